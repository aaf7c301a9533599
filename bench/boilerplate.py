"""Body-line precision and recall of the boilerplate stage on the demo corpus's gold.

A stored body line counts as right when it equals a gold body paragraph (spaces collapsed);
every gold paragraph missing from the body is a recall error. Prints per-format figures
and each error. Run: ``python bench/boilerplate.py [-v]``.
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from pathlib import Path

from khabar.engine import Engine
from khabar.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "demo"
sys.path.insert(0, str(ROOT))

from tests.conftest import demo_key, demo_truth  # noqa: E402


def squash(text: str) -> str:
    return " ".join(text.split())


def score(engine: Engine) -> tuple[Counter[str], list[str]]:
    truth = {(a["file"], None if a["record"] is None else str(a["record"])): a
             for a in demo_truth()["articles"]}
    counts: Counter[str] = Counter()
    errors: list[str] = []
    for article in engine.articles():
        gold = truth[demo_key(article.origin)]
        fmt = gold["format"]
        expected = Counter(squash(p) for p in gold["body"])
        found = Counter(squash(line) for line in article.text.split("\n"))
        right = sum((expected & found).values())
        counts[f"{fmt}:tp"] += right
        counts[f"{fmt}:fp"] += sum(found.values()) - right
        counts[f"{fmt}:fn"] += sum(expected.values()) - right
        for line in (found - expected).elements():
            errors.append(f"{gold['key']} {fmt} EXTRA   {line[:90]}")
        for line in (expected - found).elements():
            errors.append(f"{gold['key']} {fmt} MISSING {line[:90]}")
    return counts, errors


def report(counts: Counter[str]) -> dict[str, tuple[float, float]]:
    result = {}
    formats = sorted({key.split(":")[0] for key in counts})
    for fmt in [*formats, "all"]:
        pick = formats if fmt == "all" else [fmt]
        tp = sum(counts[f"{f}:tp"] for f in pick)
        fp = sum(counts[f"{f}:fp"] for f in pick)
        fn = sum(counts[f"{f}:fn"] for f in pick)
        result[fmt] = (tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0)
    return result


def main() -> None:
    with tempfile.TemporaryDirectory() as folder, \
            Engine(Path(folder) / "b.db", Settings.load(environ={})) as engine:
        engine.ingest([DEMO / "corpus"], meta=DEMO / "corpus/meta.jsonl")
        counts, errors = score(engine)
    for fmt, (precision, recall) in report(counts).items():
        print(f"{fmt:8} body-line precision {precision:.3f} recall {recall:.3f}")
    if "-v" in sys.argv:
        print("\n".join(errors))


if __name__ == "__main__":
    main()
