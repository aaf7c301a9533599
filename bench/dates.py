"""Time expressions: khabar's finder next to dateparser's ``search_dates`` / ``parse`` on the
same inputs, in the same run.

1. Span P/R/F1 on the DATE mentions of the Wojood sample (token spans, exact; each split,
   then all), with dateparser's ``search_dates`` (languages=["ar"]) beside it.
2. Pass rate on the Arabic "parsed date" and "search result" cases of dateparser's own
   test suite (../shared/evaldata/dateparser-ar), both systems.
3. Our gold set (tests/data/dates.jsonl, written for khabar): normalisation accuracy and
   span overlap F1; dateparser ``parse`` of each gold expression's text for comparison.
4. Speed: all Wojood segments through ``find`` and through ``search_dates``.

Run: ``python bench/dates.py`` (needs ../shared and ``pip install dateparser``).
"""

from __future__ import annotations

import json
import sys
import time
import warnings
from datetime import date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from train.ner_data import WOJOOD, wojood_layers  # noqa: E402

from khabar.extract.dates import find  # noqa: E402
from tests.test_dates import gold_lines, score_gold  # noqa: E402

CASES = ROOT.parent / "shared/evaldata/dateparser-ar/cases.jsonl"


def wojood(split: str) -> list[tuple[list[str], set[tuple[int, int]]]]:
    """(tokens, gold DATE token spans) of each segment; nested DATE spans count too."""
    return [(tokens, {(s, e) for s, e, kind in layers if kind == "DATE"})
            for tokens, layers in wojood_layers(split)]


def token_spans(tokens: list[str], char_spans: list[tuple[int, int]]) -> set[tuple[int, int]]:
    starts, position = [], 0
    for token in tokens:
        starts.append(position)
        position += len(token) + 1
    out = set()
    for start, end in char_spans:
        covered = [i for i, s in enumerate(starts) if s < end and start < s + len(tokens[i])]
        if covered:
            out.add((covered[0], covered[-1] + 1))
    return out


def ours(text: str) -> list[tuple[int, int]]:
    return [(e.start, e.end) for e in find(text)]


def theirs(text: str) -> list[tuple[int, int]]:
    from dateparser.search import search_dates

    found = search_dates(text, languages=["ar"]) or []
    spans, cursor = [], 0
    for substring, _ in found:
        start = text.find(substring, cursor)
        if start >= 0:
            spans.append((start, start + len(substring)))
            cursor = start + len(substring)
    return spans


def span_scores(segments: list[tuple[list[str], set[tuple[int, int]]]], system: Any
                ) -> tuple[float, float, float, float]:
    tp = n_found = n_gold = 0
    started = time.perf_counter()
    for tokens, gold in segments:
        found = token_spans(tokens, system(" ".join(tokens)))
        tp += len(found & gold)
        n_found += len(found)
        n_gold += len(gold)
    seconds = time.perf_counter() - started
    p = tp / n_found if n_found else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0, seconds


def dateparser_cases() -> tuple[int, int, int]:
    """(cases, ours passed, dateparser passed)."""
    import dateparser

    rows = [json.loads(line) for line in CASES.read_text("utf-8").splitlines()]
    rows = [r for r in rows if r["lang"] == "ar" and r["asserted"] in ("parsed date",
                                                                         "search result")]
    mine = dp = 0
    for row in rows:
        settings = dict(row.get("settings") or {})
        now = row.get("now") or settings.get("RELATIVE_BASE")
        anchor = datetime.fromisoformat(now).date() if now else None
        if row["asserted"] == "parsed date":
            expected = row["expected"]
            found = find(row["input"], anchor)
            mine += any(e.value and expected.startswith(e.value[:16]) and len(e.value) >= 10
                        for e in found)
            if now:
                settings["RELATIVE_BASE"] = datetime.fromisoformat(now)
            parsed = dateparser.parse(row["input"], languages=["ar"], settings=settings)
            dp += parsed is not None and parsed.isoformat() == expected
        else:
            expected = row["expected"]
            if isinstance(expected, str):  # the whole input is one date and time
                values = [e.value for e in find(row["input"], anchor) if e.value]
                mine += any(v and "T" in v for v in values)
                from dateparser.search import search_dates

                hits = search_dates(row["input"], languages=["ar"]) or []
                dp += len(hits) == 1 and hits[0][0].strip() == expected.strip()
            else:
                values = [e.value for e in find(row["input"], anchor)]
                mine += all(any(v == want[:10] for v in values) for _, want in expected)
                from dateparser.search import search_dates

                settings["RELATIVE_BASE"] = datetime.fromisoformat(now) if now else None
                hits = search_dates(row["input"], languages=["ar"],
                                    settings={k: v for k, v in settings.items() if v}) or []
                dp += [[s, d.isoformat()] for s, d in hits] == expected
    return len(rows), mine, dp


def gold_with_dateparser(lines: list[dict[str, Any]]) -> float:
    import dateparser

    right = total = 0
    for line in lines:
        base = datetime.fromisoformat(str(line["published"]))
        for expected in line["expressions"]:
            total += 1
            parsed = dateparser.parse(expected["text"], languages=["ar"],
                                      settings={"RELATIVE_BASE": base})
            if parsed is None:
                continue
            value = str(expected["value"])
            got = {"year": f"{parsed.year}", "month": f"{parsed:%Y-%m}",
                   "day": parsed.date().isoformat()}.get(expected["precision"],
                                                         parsed.isoformat()[:16])
            right += value.startswith(got) and "/" not in value
    return right / total if total else 0.0


def main() -> None:
    warnings.filterwarnings("ignore")
    if not WOJOOD.is_dir():
        sys.exit("needs ../shared/evaldata")
    print("1. Wojood sample, DATE mentions, exact token spans")
    every = []
    for split in ("train", "val", "test"):
        segments = wojood(split)
        every += segments
        p, r, f, _ = span_scores(segments, ours)
        print(f"   khabar      {split:<5} P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    p, r, f, mine_s = span_scores(every, ours)
    print(f"   khabar      all   P {p:.3f}  R {r:.3f}  F1 {f:.3f}  ({mine_s:.2f}s)")
    p, r, f, theirs_s = span_scores(every, theirs)
    print(f"   dateparser  all   P {p:.3f}  R {r:.3f}  F1 {f:.3f}  ({theirs_s:.2f}s)")
    print(f"   speed: khabar {len(every) / mine_s:,.0f} segments/s, search_dates "
          f"{len(every) / theirs_s:,.0f}/s: {theirs_s / mine_s:.1f}x faster")
    cases, mine, dp = dateparser_cases()
    print(f"2. dateparser's Arabic test cases: khabar {mine}/{cases} ({mine / cases:.2f}), "
          f"dateparser {dp}/{cases} ({dp / cases:.2f})")
    lines = gold_lines()
    if lines:
        accuracy, f1, count = score_gold(lines)
        print(f"3. khabar gold set ({count} expressions): normalisation accuracy "
              f"{accuracy:.3f}, span overlap F1 {f1:.3f}; dateparser.parse on the same "
              f"expression texts {gold_with_dateparser(lines):.3f}")
    _ = date


if __name__ == "__main__":
    main()
