"""Ingest benchmark: all 18 SaudiNewsNet zips into a fresh SQLite file.

Prints articles/s, peak RSS and counts (stored, rejected by reason) for khabar's ingest
layer alone (read, decode, map fields, clean, store: ``pipeline.stages = []``) and with the
default stages, each with its worker pool and in one process, next to a baseline measured
in the same run:
unzip + json.loads + one INSERT per record into a bare SQLite table (the least any
ingester must do). Also checks that every record with empty content is reported as a
rejection. Run: ``python bench/ingest.py [DATASET_DIR]``. Needs ../shared (research-only
data: nothing from it is kept).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATASET = ROOT.parent / "shared/evaldata/saudinewsnet-unlabeled/dataset"

# Each variant runs in a fresh interpreter so its peak RSS is its own.
KHABAR = """
import json, resource, sys, time
from khabar.engine import Engine
from khabar.settings import Settings
overrides = {"pipeline.workers": sys.argv[3]}
if sys.argv[4] == "ingest-only":
    overrides["pipeline.stages"] = []
settings = Settings.load(overrides=overrides, environ={})
start = time.perf_counter()
with Engine(sys.argv[1], settings) as engine:
    report = engine.ingest([sys.argv[2]])
    empty = sum(1 for r in engine.rejections() if r["detail"] == "empty text")
seconds = time.perf_counter() - start
rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
          resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({"seconds": seconds, "stored": report.articles,
                  "rejected": dict(report.rejected), "empty_rejections": empty,
                  "peak_rss_mb": rss / 1024}))
"""

BASELINE = """
import json, resource, sqlite3, sys, time, zipfile
from pathlib import Path
start = time.perf_counter()
conn = sqlite3.connect(sys.argv[1])
conn.execute("PRAGMA journal_mode=WAL")
conn.execute("CREATE TABLE raw (url TEXT PRIMARY KEY, doc TEXT)")
stored = 0
for path in sorted(Path(sys.argv[2]).glob("*.zip")):
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            rows = [(r["url"], json.dumps(r, ensure_ascii=False))
                    for r in json.loads(archive.read(name))]
            with conn:
                conn.executemany("INSERT OR IGNORE INTO raw VALUES (?, ?)", rows)
            stored += len(rows)
seconds = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "stored": stored, "rejected": {},
                  "empty_rejections": 0, "peak_rss_mb": rss / 1024}))
"""


def run(code: str, *args: str) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def records(dataset: Path) -> tuple[int, int]:
    total = empty = 0
    for path in sorted(dataset.glob("*.zip")):
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                for record in json.loads(archive.read(name)):
                    total += 1
                    empty += not (record.get("content") or "").strip()
    return total, empty


def main() -> None:
    dataset = Path(sys.argv[1]) if len(sys.argv) > 1 else DATASET
    if not dataset.is_dir():
        raise SystemExit(f"no dataset at {dataset} (needs ../shared beside the checkout)")
    total, empty = records(dataset)
    print(f"SaudiNewsNet: {len(list(dataset.glob('*.zip')))} zips, {total:,} records, "
          f"{empty} with empty content")
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        results["baseline (unzip+json+INSERT)"] = run(BASELINE, f"{folder}/base.db", str(dataset))
        for stages in ("ingest-only", "default stages"):
            for workers, label in (("1", "1 process"), ("0", "workers")):
                results[f"khabar {stages}, {label}"] = run(
                    KHABAR, f"{folder}/{stages[0]}{workers}.db", str(dataset), workers, stages)
    base = float(results["baseline (unzip+json+INSERT)"]["seconds"])  # type: ignore[arg-type]
    print(f"{'variant':36} {'records/s':>10} {'×baseline':>10} {'seconds':>8} {'RSS MB':>7} "
          f"{'stored':>7}  rejected")
    for name, result in results.items():
        seconds = float(result["seconds"])  # type: ignore[arg-type]
        print(f"{name:36} {total / seconds:10,.0f} {base / seconds:10.2f} {seconds:8.1f} "
              f"{float(result['peak_rss_mb']):7.0f} {result['stored']:>7}  "  # type: ignore[arg-type]
              f"{result['rejected']}")
    found = results["khabar default stages, workers"]["empty_rejections"]
    verdict = "all reported" if found == empty else "MISSING SOME"
    print(f"empty-content records rejected as 'empty text': {found} of {empty} ({verdict})")


if __name__ == "__main__":
    main()
