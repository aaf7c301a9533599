"""Clustering at scale: the full default pipeline (ingest → clean → duplicates → entities
→ dates → quotes → sentence vectors → events → stories) over the 31k-article SaudiNewsNet
stream in date order, with its worker pool on this machine's cores. Prints articles/s next
to the bare unzip + json + INSERT baseline measured in the same run, the writer's
clustering time per article early (around 1k stored articles) and late (around 30k), peak
RSS, the numbers of events and stories, and 20 random multi-article events for a
spot-check. Needs ../shared (research-only data; nothing from it is kept).

Run: ``python bench/cluster_scale.py [--limit-days N]``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.ingest import BASELINE, DATASET, run  # noqa: E402

# Runs in a fresh interpreter so its peak RSS is its own. The writer-side clustering
# (ClusterLinker.link) is timed per batch, with the number of articles stored before it.
FULL = """
import json, random, resource, sys, time
from pathlib import Path
from khabar.cluster.linker import ClusterLinker
from khabar.engine import Engine
from khabar.settings import Settings

timings = []
original = ClusterLinker.link
def timed(self, articles):
    stored = self.index.conn.execute("SELECT count(*) FROM event_articles").fetchone()[0]
    start = time.perf_counter()
    rows = original(self, articles)
    timings.append((stored, len(rows.assignments), time.perf_counter() - start))
    return rows
ClusterLinker.link = timed

paths = sorted(Path(sys.argv[2]).glob("*.zip"))
start = time.perf_counter()
with Engine(sys.argv[1], Settings.load(environ={})) as engine:
    report = engine.ingest(paths)
    seconds = time.perf_counter() - start
    events = engine.events()
    stories = engine.stories(limit=None)
    multi = [e for e in events if len(e["article_ids"]) > 1]
    sample = random.Random(20).sample(multi, min(20, len(multi)))
    spot = []
    for e in sample:
        titles = [(a.outlet, a.title) for a in map(engine.article, e["article_ids"][:6])]
        spot.append({"id": e["id"], "date": e["date"], "title": e["title"],
                     "articles": len(e["article_ids"]), "members": titles})
rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
          resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sizes = sorted((len(e["article_ids"]) for e in events), reverse=True)
print(json.dumps({"seconds": seconds, "stored": report.articles, "peak_rss_mb": rss / 1024,
                  "timings": timings, "events": len(events), "multi": len(multi),
                  "largest": sizes[:5], "stories": len(stories),
                  "multi_event_stories": sum(len(s["events"]) > 1 for s in stories),
                  "spot": spot}, ensure_ascii=False))
"""


def per_article(timings: list[list[float]], low: int, high: int) -> float:
    """Milliseconds per clustered article over the batches written with ``low``…``high``
    articles already stored."""
    chosen = [(n, s) for stored, n, s in timings if low <= stored <= high and n]
    count = sum(n for n, _ in chosen)
    return 1000 * sum(s for _, s in chosen) / count if count else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit-days", type=int, help="Use only the first N daily files.")
    args = parser.parse_args()
    if not DATASET.is_dir():
        sys.exit("needs ../shared/evaldata/saudinewsnet-unlabeled")
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        for path in sorted(DATASET.glob("*.zip"))[:args.limit_days]:
            shutil.copy(path, data / path.name)
        base = run(BASELINE, str(Path(tmp) / "base.db"), str(data))
        full = run(FULL, str(Path(tmp) / "full.db"), str(data))
    base_rate = float(base["stored"]) / float(base["seconds"])  # type: ignore[arg-type]
    rate = float(full["stored"]) / float(full["seconds"])  # type: ignore[arg-type]
    timings: list[list[float]] = full["timings"]  # type: ignore[assignment]
    last = max((t[0] for t in timings), default=0)
    early, late = per_article(timings, 500, 1500), per_article(timings, last - 2000, last)
    print(f"full pipeline: {full['stored']} articles in {full['seconds']:.0f} s = "
          f"{rate:.1f} articles/s (baseline unzip+json+INSERT {base_rate:,.0f}/s; ratio "
          f"{rate / base_rate:.4f}); peak RSS {full['peak_rss_mb']:.0f} MB")
    print(f"clustering in the writer: {early:.2f} ms/article at ~1k stored, {late:.2f} "
          f"ms/article at ~{last // 1000}k stored (ratio {late / early:.2f})")
    print(f"events {full['events']} ({full['multi']} with several articles; largest "
          f"{full['largest']}), stories {full['stories']} ({full['multi_event_stories']} "
          f"with several events)")
    print("\n20 random multi-article events:")
    for e in full["spot"]:  # type: ignore[attr-defined]
        print(f"- {e['date']} {e['title']} [{e['articles']} articles]")
        for outlet, title in e["members"]:
            print(f"    {outlet}: {title}")


if __name__ == "__main__":
    main()
