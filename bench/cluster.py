"""Events and stories against gold: khabar online (articles clustered as they are ingested)
and batch (``recluster``), next to two baselines computed in the same run on the same
articles: single-pass TF-IDF cosine clustering (the TDT baseline, at its best threshold on
each gold set: an oracle setting, generous to it) and HDBSCAN over whole-document USE
vectors (scikit-learn). Scores: B-cubed P/R/F1, pairwise F1 and AMI.

Gold sets: the seeds (../shared/seeds/README.md: 4 events, 1 story), with and without their
sidecar; the demo corpus (demo/truth.json); a hand-labelled set of 450 SaudiNewsNet articles
(bench/data/saudinewsnet-events.jsonl: identifiers and labels only, research data used for
evaluation, never for fitting). Last, the event model's probability on ANS headline pairs
(ROC AUC of "agree" against "disagree" and "other").

Run: ``python bench/cluster.py [--skip-snn]`` (needs ../shared for the seeds, SNN and ANS).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.clustering import Doc, best_threshold, hdbscan_docs, scores  # noqa: E402
from bench.similarity import roc_auc  # noqa: E402
from khabar.cluster import events as ev  # noqa: E402
from khabar.cluster.events import EventState, Model  # noqa: E402
from khabar.cluster.profile import Profile, Rarity, article_day, iso  # noqa: E402
from khabar.embed.vectors import embed  # noqa: E402
from khabar.engine import Engine  # noqa: E402
from khabar.settings import Settings  # noqa: E402
from tests.conftest import DEMO, demo_article_key, demo_truth_articles  # noqa: E402

SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
SNN = SHARED / "evaldata/saudinewsnet-unlabeled/dataset"
SNN_GOLD = ROOT / "bench/data/saudinewsnet-events.jsonl"
ANS = SHARED / "evaldata/ans-stance"
SEED_EVENTS = {"004": "E1", "003": "E2", "000": "E3", "001": "E3", "002": "E4"}

Labels = dict[str, str]


def clustered(engine: Engine, key: Callable[[Any], str | None]
              ) -> tuple[Labels, Labels, list[Doc]]:
    """Event and story labels by gold key, and the documents for the baselines."""
    events, stories, docs = {}, {}, []
    for article in engine.articles():
        k = key(article)
        if k is None:
            continue
        view = engine.article_view(article.id)
        events[k] = view["event_id"] or article.id
        stories[k] = view["story_id"] or article.id
        day, _, _ = article_day(article.event_time, article.published_at,
                             article.published_provenance)
        docs.append(Doc(k, article.title or "", article.text, iso(day)))
    return events, stories, docs


def evaluate(name: str, paths: list[Path], meta: Path | None, key: Callable[[Any], str | None],
             gold_events: Labels, gold_stories: Labels) -> None:
    settings = Settings.load(environ={})
    with tempfile.TemporaryDirectory() as tmp, Engine(Path(tmp) / "k.db", settings) as engine:
        started = time.perf_counter()
        engine.ingest(paths, meta=meta)
        seconds = time.perf_counter() - started
        online_e, online_s, docs = clustered(engine, key)
        report = engine.recluster()
        batch_e, batch_s, _ = clustered(engine, key)
    docs = [d for d in docs if d.id in gold_events]
    print(f"\n== {name}: {len(docs)} articles, {len(set(gold_events.values()))} gold events, "
          f"{len(set(gold_stories.values()))} gold stories (ingest {seconds:.1f} s; online vs "
          f"batch event agreement, B-cubed F1 {report.agreement})")
    vectors = embed([f"{d.title}\n{d.text}"[:2000] for d in docs])
    hdb = hdbscan_docs(vectors, [d.id for d in docs])
    for level, gold, online, batch in (("events", gold_events, online_e, batch_e),
                                       ("stories", gold_stories, online_s, batch_s)):
        threshold, tfidf = best_threshold(docs, gold)
        rows = [("khabar online", scores(gold, online)), ("khabar batch", scores(gold, batch)),
                (f"TF-IDF single-pass (t={threshold:.2f})", tfidf),
                ("HDBSCAN, document USE", scores(gold, hdb))]
        print(f"  {level:<8} {'method':<32} B3-P  B3-R  B3-F1 pair-F1  AMI")
        for label, s in rows:
            print(f"  {'':<8} {label:<32} {s['bcubed_p']:.3f} {s['bcubed_r']:.3f} "
                  f"{s['bcubed_f1']:.3f}  {s['pair_f1']:.3f}  {s['ami']:.3f}")


def seeds() -> None:
    files = sorted(SEEDS.glob("*.txt"))
    gold_e = {f.name[:3]: SEED_EVENTS[f.name[:3]] for f in files}
    gold_s = {k: "S1" for k in gold_e}

    def key(article: Any) -> str:
        return str(Path(article.origin).name[:3])
    for meta in (SEEDS / "seeds.jsonl", None):
        evaluate(f"seeds ({'with' if meta else 'without'} seeds.jsonl)", files, meta, key,
                 gold_e, gold_s)


def demo() -> None:
    truth = demo_truth_articles()
    gold_e = {k: a["event"] for k, a in truth.items()}
    gold_s = {k: a["story"] for k, a in truth.items()}
    evaluate("demo corpus", [DEMO / "corpus"], DEMO / "corpus/meta.jsonl",
             lambda article: demo_article_key(article.origin), gold_e, gold_s)


def snn() -> None:
    gold = [json.loads(line) for line in SNN_GOLD.open(encoding="utf-8")]
    wanted = {g["url"] for g in gold}
    records = []
    for path in sorted(SNN.glob("*.zip")):
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                records += [r for r in json.loads(archive.read(member)) if r["url"] in wanted]
    with tempfile.TemporaryDirectory() as tmp:
        stream = Path(tmp) / "snn.jsonl"
        stream.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                          "utf-8")
        evaluate("SaudiNewsNet, 450 hand-labelled articles", [stream], None,
                 lambda a: a.url if a.url in wanted else None,
                 {g["url"]: g["event"] for g in gold}, {g["url"]: g["story"] for g in gold})


def ans() -> None:
    """The event model on headline pairs: one headline as an event, the other as an article
    on the same day (sentence and centroid evidence; no entities)."""
    settings = Settings.load(environ={})
    model = Model.from_settings(settings, "events", ev.FEATURES)
    rows = [r for split in ("train", "dev", "test")
            for r in csv.DictReader((ANS / f"{split}.csv").open(encoding="utf-8"))]
    a, b = embed([r["s1"] for r in rows]), embed([r["s2"] for r in rows])
    rarity = Rarity({}, 0)
    by: dict[str, list[float]] = {"agree": [], "disagree": [], "other": []}
    for r, x, y in zip(rows, a, b, strict=True):
        event = EventState("e")
        event.add(Profile("a", 1, "day", None, r["s1"], None, x[None, :]))
        p = Profile("b", 1, "day", None, r["s2"], None, y[None, :])
        by[r["stance"]].append(model.probability(ev.features(p, p.mean, {}, event, rarity)))
    print(f"\n== ANS headline pairs ({len(rows):,}): event probability ROC AUC agree vs "
          f"disagree {roc_auc(by['agree'], by['disagree']):.3f}, agree vs other "
          f"{roc_auc(by['agree'], by['other']):.3f}; share judged the same event: agree "
          f"{sum(p >= model.threshold for p in by['agree']) / len(by['agree']):.2f}, disagree "
          f"{sum(p >= model.threshold for p in by['disagree']) / len(by['disagree']):.2f}, "
          f"other {sum(p >= model.threshold for p in by['other']) / len(by['other']):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-snn", action="store_true")
    args = parser.parse_args()
    demo()
    if not SHARED.is_dir():
        print("../shared is absent: seeds, SaudiNewsNet and ANS skipped")
        return
    seeds()
    if not args.skip_snn:
        snn()
    ans()


if __name__ == "__main__":
    main()
