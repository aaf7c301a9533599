"""Quotes: finding, attribution, carried-over speakers, anonymous sources, channels, groups
across outlets, the store and CLI, the seeds' quote table, the demo corpus and the gold set."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from bench.quotes import evaluate, gold_articles
from khabar.cli import main
from khabar.engine import Engine
from khabar.extract.names import words_key
from khabar.extract.quotes import Speaker, find
from tests.conftest import SEEDS, demo_key, demo_truth, needs_shared

# Written for these tests.
TEXT = ("قال وزير الخارجية الأردني سامي الخطيب إن المحادثات ستستأنف الأسبوع المقبل.\n"
        "وأضاف: «نحن مستعدون لكل الاحتمالات، ولن نتنازل عن حقوقنا».\n"
        "من جهته، أكد مصدر دبلوماسي مطلع لوكالة رويترز أن الخلاف ما زال قائماً.\n"
        "«الوضع صعب جداً»، قالت الوزيرة هدى سالم في تصريحات لقناة الجزيرة.\n"
        "وأطلق الجيش ما يسمى \"عملية الفجر\" أمس.")


def _speakers() -> list[Speaker]:
    out = []
    for entity, name in enumerate(("سامي الخطيب", "هدى سالم")):
        at = TEXT.index(name)
        out.append(Speaker(at, at + len(name), entity, "PER", name))
    return out


def test_direct_reported_carried_anonymous_and_channel() -> None:
    quotes = find(TEXT, _speakers())
    got = [(q.kind, q.text, q.speaker, q.anonymous, q.channel) for q in quotes]
    assert got == [
        ("reported", "المحادثات ستستأنف الأسبوع المقبل", 0, "", ""),
        ("direct", "نحن مستعدون لكل الاحتمالات، ولن نتنازل عن حقوقنا", 0, "", ""),
        ("reported", "الخلاف ما زال قائماً", None, "مصدر دبلوماسي مطلع", "وكالة رويترز"),
        ("direct", "الوضع صعب جداً", 1, "", "قناة الجزيرة"),
    ]  # the operation's name in quotes is not a quote
    for q in quotes:
        assert TEXT[q.start:q.end] == q.text


def test_odd_marks_and_empty_text() -> None:
    assert find("", []) == []
    text = "وقال المتحدث: ”هذا لن يتكرر“. وقالت الوزارة: «البيان واضح"
    found = [q.text for q in find(text, [])]
    assert "هذا لن يتكرر" in found and "البيان واضح" in found  # reversed and unclosed marks


def _stored_quotes(engine: Engine) -> list[dict[str, object]]:
    return engine.quotes()


def test_store_cli_and_groups_across_outlets(tmp_path: Path,
                                             write: Callable[..., Path]) -> None:
    first = write("a.txt", "عنوان أول\n\n" + TEXT)
    second = write("b.txt", "عنوان ثان\n\nقال سامي الخطيب، وزير الخارجية، إن المحادثات "
                            "ستستأنف خلال الأسبوع المقبل في عمّان.\n")
    db = str(tmp_path / "q.db")
    runner = CliRunner()
    assert runner.invoke(main, ["--db", db, "ingest", str(first), str(second)]).exit_code == 0
    result = runner.invoke(main, ["--db", db, "quotes", "--speaker", "الخطيب",
                                  "--format", "json"])
    rows = json.loads(result.output)
    assert result.exit_code == 0 and rows and all(r["speaker"]["name"] == "سامي الخطيب"
                                                  for r in rows)
    same = [r for r in rows if "المحادثات" in r["text"]]
    assert len(same) == 2 and len({r["group_id"] for r in same}) == 1
    assert all(r["sources"] == 2 for r in same)
    with Engine(db) as engine:
        article = next(a for a in engine.articles() if "أول" in (a.title or ""))
        view = engine.article_view(article.id)
        assert {"speaker", "speaker_text", "text", "start", "end", "kind", "cue",
                "channel"} <= set(view["quotes"][0])
        assert engine.entity("الخطيب")[0]["quotes"]


def test_demo_corpus_quotes(demo_engine: Engine) -> None:
    truth = demo_truth()
    names = {e["id"]: {" ".join(words_key(v)) for v in e["variants"] + [e["name"]]}
             for e in truth["entities"]}
    by_key = {(a["file"], None if a["record"] is None else str(a["record"])): a
              for a in truth["articles"]}
    total = found = right = 0
    for article in demo_engine.articles():
        gold = by_key[demo_key(article.origin)]
        stored = demo_engine.article_view(article.id)["quotes"]
        for quote in gold["quotes"]:
            start = article.text.find(quote["text"])
            if start < 0:
                continue
            total += 1
            hits = [q for q in stored if q["start"] < start + len(quote["text"])
                    and start < q["end"]]
            if not hits:
                continue
            found += 1
            speaker = hits[0]["speaker"]
            if quote["speaker"] not in names:  # an anonymous source, described
                right += speaker is None and bool(hits[0]["anonymous"])
            elif speaker and (" ".join(words_key(speaker["name"])) in names[quote["speaker"]]
                              or words_key(speaker["name"])[-1:] in
                              [k.split()[-1:] for k in names[quote["speaker"]]]):
                right += 1
    assert total >= 60
    assert found / total >= 0.85, (found, total)
    assert right / found >= 0.75, (right, found)  # measured 0.78: see bench/quotes.py


SEED_QUOTES = [  # file, speaker, quote begins (../shared/seeds/README.md)
    ("004", "بوتين", "اقترحنا التعاون مع دول المنطقة"),
    ("004", "لافروف", "التنسيق لقتال تنظيم الدولة"),
    ("004", "باور", "بالإضافة إلى حقيقة أنه يقصف شعبه"),
    ("003", "كيربي", "عدا القناة التي فتحتها وزارة الدفاع"),
    ("000", "ترامب", "علينا أن نتخلص من داعش"),
    ("000", "ترامب", "هذا شر"),
    ("000", "بارنو", "الرئيس ترامب ربما يتطلع"),
    ("000", "بارنو", "قد يختار نشر جنود"),
    ("001", "الكرملين", "أظهر الجانبان رغبة في العمل النشط"),
    ("002", "جيدلي", "المعلومات التي قدمتها الولايات المتحدة"),
    ("002", "جيدلي", "بحث الرئيسان أيضا"),
]


@needs_shared
def test_seed_quotes(engine: Engine) -> None:
    engine.ingest([SEEDS], meta=SEEDS / "seeds.jsonl")
    by_file = {Path(a.origin).name[:3]: a.id for a in engine.articles()}
    for prefix, speaker, begins in SEED_QUOTES:
        quotes = engine.article_view(by_file[prefix])["quotes"]
        hits = [q for q in quotes if q["text"].startswith(begins)]
        assert hits, (prefix, begins, [q["text"][:30] for q in quotes])
        name = (hits[0]["speaker"] or {}).get("name") or ""
        assert speaker in name, (prefix, begins, name)


@pytest.mark.skipif(not gold_articles(), reason="no gold set")
def test_gold_set() -> None:
    figures = evaluate()
    assert figures["quotes"] >= 150
    # Issue 7's targets (measured 0.907 and 0.941).
    assert figures["speaker_accuracy"] >= 0.9, figures
    assert figures["overlap_f1"] >= 0.85, figures
