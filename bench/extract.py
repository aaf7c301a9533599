"""Main-text extraction on trafilatura's own evaluation cases (../shared/evaldata/
trafilatura-rtl): khabar's HTML path next to plain trafilatura, in the same run.

Scoring is trafilatura's: each ``with`` snippet found in the output is a true positive,
each missing one a false negative; each ``without`` snippet found is a false positive.
khabar's output is what it keeps as article content: title, body, sub-headings and
captions (page furniture, comments and related lists are what it removes). Cases whose
HTML is stored (the right-to-left page and 150 others) are run; the rest are counted as
not available. Run: ``python bench/extract.py [-v]``.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path

import trafilatura

from khabar.clean.convert import Cleaner
from khabar.errors import KhabarError
from khabar.ingest.decode import declared_html_charset, decode
from khabar.model import RawArticle
from khabar.pipeline import Pipeline
from khabar.settings import Settings

DATA = Path(__file__).resolve().parents[1].parent / "shared/evaldata/trafilatura-rtl"


def khabar_text(pipeline: Pipeline, cleaner: Cleaner, html: str, url: str) -> str:
    raw = RawArticle(origin=url, format="html", body=html, body_kind="html",
                     fields={"url": url} if url.startswith("http") else {})
    try:
        article = pipeline.run_stages(cleaner(raw))
    except KhabarError:
        return ""
    return "\n".join([article.title or "", article.text, *article.headings,
                      *article.captions])


def score(counts: Counter[str]) -> tuple[float, float, float]:
    tp, fn, fp = counts["tp"], counts["fn"], counts["fp"]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def main() -> None:
    if not DATA.is_dir():
        raise SystemExit("needs ../shared/evaldata/trafilatura-rtl beside the checkout")
    verbose = "-v" in sys.argv
    settings = Settings.load(overrides={"pipeline.stages": ["boilerplate.v1", "lang.v2"]},
                             environ={})
    pipeline, cleaner = Pipeline(settings), Cleaner(settings)
    counts = {name: {"rtl": Counter[str](), "all": Counter[str]()}
              for name in ("trafilatura", "khabar")}
    seconds = Counter[str]()
    run = missing = 0
    for line in (DATA / "cases-all.jsonl").read_text("utf-8").splitlines():
        case = json.loads(line)
        path = DATA / "html" / case["file"]
        if not path.exists():
            path = DATA / case["file"]
        if not path.exists():
            missing += 1
            continue
        data = path.read_bytes()
        try:
            html = decode(data, case["file"], declared=declared_html_charset(data))[0]
        except KhabarError:
            html = data.decode("utf-8", "replace")
        run += 1
        outputs = {}
        start = time.perf_counter()
        outputs["trafilatura"] = trafilatura.extract(html, url=case["url"]) or ""
        seconds["trafilatura"] += time.perf_counter() - start
        start = time.perf_counter()
        outputs["khabar"] = khabar_text(pipeline, cleaner, html, case["url"])
        seconds["khabar"] += time.perf_counter() - start
        groups = ["all", "rtl"] if case.get("lang") else ["all"]
        for name, text in outputs.items():
            for snippet in case["with"]:
                found = snippet in text
                for group in groups:
                    counts[name][group]["tp" if found else "fn"] += 1
                if verbose and not found:
                    print(f"{name:11} MISSING {case['file']}: {snippet[:60]}")
            for snippet in case["without"]:
                found = snippet in text
                for group in groups:
                    counts[name][group]["fp" if found else "tn"] += 1
                if verbose and found:
                    print(f"{name:11} EXTRA   {case['file']}: {snippet[:60]}")
    print(f"trafilatura evaluation cases: {run} run, {missing} without stored HTML")
    for group, label in (("rtl", "right-to-left pages"), ("all", "all stored pages")):
        for name in ("trafilatura", "khabar"):
            precision, recall, f1 = score(counts[name][group])
            print(f"  {label:20} {name:11} P {precision:.3f} R {recall:.3f} F1 {f1:.3f}")
    print(f"  time: trafilatura {seconds['trafilatura']:.1f} s, khabar "
          f"{seconds['khabar']:.1f} s ({seconds['khabar'] / seconds['trafilatura']:.2f}×)")


if __name__ == "__main__":
    main()
