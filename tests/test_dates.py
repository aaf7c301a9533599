"""Time expressions, publication dates and event times: the demo corpus's dated truth,
the seeds' "dates that must be read right", our gold set of expressions, odd input."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.engine import Engine
from khabar.extract.dates import find, hijri_to_gregorian
from tests.conftest import SEEDS, demo_key, demo_truth, needs_shared

GOLD = Path(__file__).parent / "data" / "dates.jsonl"


def _overlapping(found: list[dict[str, object]], text: str, source: str
                 ) -> list[dict[str, object]]:
    start = source.find(text)
    return [d for d in found if int(d["start"]) < start + len(text)  # type: ignore[call-overload]
            and start < int(d["end"])]  # type: ignore[call-overload]


def test_demo_dates_and_event_times(demo_engine: Engine) -> None:
    truth = {(a["file"], None if a["record"] is None else str(a["record"])): a
             for a in demo_truth()["articles"]}
    values, events, missed = Counter(), Counter(), []
    for article in demo_engine.articles():
        gold = truth[demo_key(article.origin)]
        for expected in gold["dates"]:
            if expected["role"] == "caption" or expected["text"] not in article.text:
                continue
            found = _overlapping(article.dates, expected["text"], article.text)
            values["total"] += 1
            if found and found[0]["value"] == expected["value"]:
                values["right"] += 1
            else:
                missed.append((gold["key"], expected["text"], found[:1]))
        gold_events = [d["value"] for d in gold["dates"] if d["role"] == "event"]
        if gold_events and gold["language"] == "ar":
            events["total"] += 1
            events["right"] += bool(article.event_time and
                                    article.event_time["value"][:10] == gold_events[0])
    assert values["total"] >= 60
    assert values["right"] / values["total"] >= 0.95, missed
    assert events["right"] / events["total"] >= 0.9, events


def test_caption_dates_never_date_an_article(engine: Engine, tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("عنوان\n\nاجتمع الوزيران في عمّان لبحث المياه.\n"
                      "(صورة أرشيفية بتاريخ 7 يوليو 2019)\n", "utf-8")
    engine.ingest([source])
    article = next(engine.articles())
    assert article.published_at is None and article.published_provenance == "unknown"
    # the caption line left the body (a caption field) or stayed as a caption-role date
    assert all(d["role"] == "caption" for d in article.dates)
    assert article.event_time is None


def test_estimated_publication_date_has_a_range(engine: Engine, tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("عنوان\n\nأعلنت الوزارة الخميس 12 آذار 2026 انتهاء الإضراب، بعد أن بدأ "
                      "الأحد 8 آذار 2026.\n", "utf-8")
    engine.ingest([source])
    article = next(engine.articles())
    assert (article.published_at, article.published_provenance) == ("2026-03-12", "estimated")
    assert article.published_range == ["2026-03-12", "2026-03-15"]
    assert article.event_time == {"value": "2026-03-12", "precision": "day", "confidence": 0.9}


SEED_DATES = {
    # file prefix: [(expression text, value, role or None)]
    "000": [("السبت", "2017-01-28", "event"), ("الخميس", "2017-01-26", None),
            ("تشرين الثاني/نوفمبر", "2016-11", None), ("من 2003 إلى 2005", "2003/2005", None)],
    "001": [("يوم السبت", "2017-01-28", "event"), ("العام المقبل", "2018", None)],
    "002": [("30 كانون الأول/ديسمبر الجاري", "2019-12-30", None),
            ("بين الثالث والسابع من يناير", "2020-01-03/2020-01-07", None)],
    "004": [("الأحد", "2015-09-27", None), ("الاثنين", "2015-09-28", None)],
}


@needs_shared
def test_seed_dates(engine: Engine) -> None:
    engine.ingest([SEEDS], meta=SEEDS / "seeds.jsonl")
    by_file = {Path(a.origin).name[:3]: a for a in engine.articles()}
    for prefix, expected in SEED_DATES.items():
        article = by_file[prefix]
        for text, value, role in expected:
            found = [d for d in article.dates if str(d["text"]).startswith(text)
                     or text.startswith(str(d["text"]))]
            assert found, (prefix, text, [d["text"] for d in article.dates])
            assert found[0]["value"] == value, (prefix, text, found)
            if role:
                assert found[0]["role"] == role, (prefix, text, found)
    assert by_file["000"].event_time["value"] == "2017-01-28"  # type: ignore[index]
    assert by_file["001"].event_time["value"] == "2017-01-28"  # type: ignore[index]
    for article in by_file.values():  # photo dates are never the event
        for d in article.dates:
            if d["value"] in ("2019-07-07", "2014-12-04"):
                assert d["role"] != "event"
    # the numbers of 000 are not dates
    texts = " ".join(str(d["text"]) for d in by_file["000"].dates)
    assert "500" not in texts.replace("2005", "") and "خمسة آلاف" not in texts


@needs_shared
def test_seeds_without_sidecar_are_never_dated_by_a_caption(engine: Engine) -> None:
    engine.ingest(sorted(SEEDS.glob("*.txt")))
    for article in engine.articles():
        assert article.published_at not in ("2019-07-07", "2014-12-04")
        assert article.published_provenance in ("unknown", "estimated", "dateline")


def gold_lines() -> list[dict[str, object]]:
    if not GOLD.is_file():
        return []
    return [json.loads(line) for line in GOLD.read_text("utf-8").splitlines() if line.strip()]


def score_gold(lines: list[dict[str, object]]) -> tuple[float, float, int]:
    """(value accuracy, span overlap F1, expressions) of ``find`` on the gold set."""
    right = tp = found_total = gold_total = 0
    for line in lines:
        text = str(line["text"])
        found = find(text, date.fromisoformat(str(line["published"])))
        found_total += len(found)
        for expected in line["expressions"]:  # type: ignore[attr-defined]
            gold_total += 1
            hits = _overlapping([f.to_dict() for f in found], expected["text"], text)
            if hits:
                tp += 1
                right += hits[0]["value"] == expected["value"]
    precision = tp / found_total if found_total else 1.0
    recall = tp / gold_total if gold_total else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return right / gold_total if gold_total else 1.0, f1, gold_total


@pytest.mark.skipif(not GOLD.is_file(), reason="no gold set")
def test_gold_set() -> None:
    accuracy, f1, count = score_gold(gold_lines())
    assert count >= 300
    assert accuracy >= 0.95, accuracy
    assert f1 >= 0.9, f1


def test_hijri_conversion_both_ranges() -> None:
    assert hijri_to_gregorian(1438, 3, 15) == date(2016, 12, 14)
    assert hijri_to_gregorian(1319, 1, 1).year == 1901  # tabular calendar before 1343 AH


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([
    *"0123456789٠١٢/-.: ()،", "يناير", "كانون الثاني", " ", "السبت", "عام", "الساعة", "هـ",
    "رمضان", "بين", "من", "إلى", "و", "الماضي", "المقبل", "أمس", "منذ", "أيام", "March",
    "2026", "31", "الثلاثين"]),
    max_size=40).map("".join),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)))
def test_find_never_fails(text: str, anchor: date) -> None:
    for e in find(text, anchor):
        assert text[e.start:e.end] == e.text and e.precision in ("year", "month", "day", "time")
