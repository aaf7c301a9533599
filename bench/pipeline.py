"""The whole default pipeline (ingest, clean, then every stage in ``pipeline.stages``, store) on
the SaudiNewsNet stream: articles/s and peak RSS of ``Engine.ingest`` with its worker
pool, next to the bare unzip + json + INSERT baseline of ``bench/ingest.py`` measured in
the same run; then milliseconds per article for each stage, in one process, on a sample.
Needs ../shared (research-only data; nothing from it is kept).
Run: ``python bench/pipeline.py [--sample N]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.ingest import BASELINE, DATASET, KHABAR, run  # noqa: E402
from khabar.clean.convert import Cleaner  # noqa: E402
from khabar.dedupe.linker import Linker  # noqa: E402
from khabar.ingest import IngestContext  # noqa: E402
from khabar.ingest.reader import read_paths  # noqa: E402
from khabar.model import Article, RawArticle  # noqa: E402
from khabar.pipeline import Pipeline, snapshot  # noqa: E402
from khabar.settings import Settings  # noqa: E402
from khabar.store import Store  # noqa: E402


def per_stage(sample: int, folder: Path) -> tuple[int, dict[str, float]]:
    """Seconds spent in each step over the first ``sample`` records, one process."""
    settings = Settings.load(environ={})
    ctx = IngestContext.from_settings(settings)
    pipeline, cleaner = Pipeline(settings), Cleaner(settings)
    store = Store(folder / "stages.db")
    store.migrate()
    linker = Linker(store.duplicates, settings)
    spent: Counter[str] = Counter()
    batch: list[Article] = []
    count = 0
    clock = time.perf_counter()
    for item in read_paths(sorted(DATASET.glob("*.zip")), ctx):
        spent["read"] += time.perf_counter() - clock
        if isinstance(item, RawArticle):
            count += 1
            try:
                start = time.perf_counter()
                article = cleaner(item)
                article.work["page"] = snapshot(article)
                spent["clean.v1"] += time.perf_counter() - start
                for stage in pipeline.stages:
                    start = time.perf_counter()
                    article = stage(article)
                    spent[stage.name] += time.perf_counter() - start
                batch.append(article)
            except Exception:  # rejected articles: counted in the read/clean time
                pass
        if len(batch) >= 500 or (count >= sample and batch):
            start = time.perf_counter()
            links = linker.link(batch)
            spent["dedupe link"] += time.perf_counter() - start
            start = time.perf_counter()
            store.write(batch, [], links)
            spent["store"] += time.perf_counter() - start
            batch = []
        if count >= sample:
            break
        clock = time.perf_counter()
    store.close()
    return count, dict(spent)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=5000, help="records timed per stage")
    args = parser.parse_args()
    if not DATASET.is_dir():
        raise SystemExit(f"no dataset at {DATASET} (needs ../shared beside the checkout)")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        base = run(BASELINE, str(folder / "base.db"), str(DATASET))
        full = run(KHABAR, str(folder / "full.db"), str(DATASET), "0", "default stages")
        records = int(base["stored"])  # type: ignore[call-overload]
        base_s, full_s = float(base["seconds"]), float(full["seconds"])  # type: ignore[arg-type]
        stages = ", ".join(Settings.load(environ={})["pipeline.stages"])
        print(f"SaudiNewsNet, {records:,} records, default pipeline ({stages}) with the "
              "worker pool:")
        print(f"  baseline unzip+json+INSERT: {records / base_s:8,.0f} records/s ({base_s:.1f} s)")
        print(f"  khabar full pipeline:       {records / full_s:8,.0f} records/s ({full_s:.1f} s)"
              f", {base_s / full_s:.2f}× the baseline's speed, peak RSS "
              f"{float(full['peak_rss_mb']):.0f} MB, stored {full['stored']}, "  # type: ignore[arg-type]
              f"rejected {full['rejected']}")
        count, spent = per_stage(args.sample, folder)
    total = sum(spent.values())
    print(f"per stage, one process, first {count:,} records ({count / total:,.0f} records/s):")
    for step, seconds in spent.items():
        print(f"  {step:16} {1000 * seconds / count:7.3f} ms/article")


if __name__ == "__main__":
    main()
