"""Words, clitics and sentences."""

from __future__ import annotations

import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khabar.text.tokenize import sentence_spans, split_clitics, words
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT))
from bench.sentences import evaluate


def test_sentence_gold_set_floor() -> None:
    precision, recall, f1, paragraphs = evaluate()["all"]
    assert paragraphs >= 100 and f1 >= 0.97, (precision, recall)


@pytest.mark.parametrize(("text", "expected"), [
    ("قال د. محمد إن النمو بلغ 3.5 بالمئة. وأضاف أن الوضع مستقر!",
     ["قال د. محمد إن النمو بلغ 3.5 بالمئة.", "وأضاف أن الوضع مستقر!"]),
    ('وقال الوزير: "لن نتراجع. هذا قرارنا" مضيفاً أن الحكومة ماضية. ثم غادر.',
     ['وقال الوزير: "لن نتراجع. هذا قرارنا" مضيفاً أن الحكومة ماضية.', "ثم غادر."]),
    ("زار الوفد www.example.org/a.b وعاد في 14.03.2026 مساءً. وانتهت الزيارة",
     ["زار الوفد www.example.org/a.b وعاد في 14.03.2026 مساءً.", "وانتهت الزيارة"]),
    ("وتشير الأرقام إلى... تراجع واضح. فهل تستمر؟ ربما…",
     ["وتشير الأرقام إلى... تراجع واضح.", "فهل تستمر؟", "ربما…"]),
    ("السطر الأول هنا.\nالسطر الثاني هنا.", ["السطر الأول هنا.", "السطر الثاني هنا."]),
])
def test_sentences(text: str, expected: list[str]) -> None:
    assert [text[a:b] for a, b in sentence_spans(text)] == expected


@given(st.text(max_size=300))
def test_sentence_spans_are_ordered_trimmed_and_inside(text: str) -> None:
    previous = 0
    for start, end in sentence_spans(text):
        assert previous <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
        previous = end


@pytest.mark.parametrize(("word", "expected"), [
    ("لبوتين", ("ل", "بوتين")), ("وبوتين", ("و", "بوتين")), ("للرئيس", ("ل", "الرئيس")),
    ("وللرئيس", ("ول", "الرئيس")), ("وقال", ("و", "قال")), ("والولايات", ("و", "الولايات")),
    ("لبنان", ("", "لبنان")), ("بغداد", ("", "بغداد")), ("ليبيا", ("", "ليبيا")),
    ("بارنو", ("", "بارنو")), ("والد", ("", "والد")), ("Putin", ("", "Putin")),
])
def test_clitics_split_without_mangling_names(word: str, expected: tuple[str, str]) -> None:
    assert split_clitics(word) == expected


def test_a_lexicon_decides_for_unknown_names() -> None:
    known = {"لافروف"}.__contains__
    assert split_clitics("ولافروف", known) == ("و", "لافروف")
    assert split_clitics("ولافروف") == ("", "ولافروف")


def test_words_keep_offsets() -> None:
    text = "قال مسؤول في U.S. Army إن 3.5 بالمئة"
    tokens = words(text)
    assert [t.text for t in tokens] == ["قال", "مسؤول", "في", "U.S", "Army", "إن", "3.5", "بالمئة"]
    assert all(text[t.start:t.end] == t.text for t in tokens)
