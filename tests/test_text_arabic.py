"""Arabic normalisation: idempotent, offsets exact, never raises, folds what it promises."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.text.arabic import NormOptions, fold, fold_word, id_form, normalize

ARABIC_BLOCKS = st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)
PRESENTATION = st.characters(min_codepoint=0xFB50, max_codepoint=0xFEFF)
TEXTS = st.text(alphabet=st.one_of(ARABIC_BLOCKS, PRESENTATION, st.characters(),
                                   st.sampled_from(" \n\t\u00a0\u200f")), max_size=200)


@settings(max_examples=400)
@given(TEXTS)
def test_idempotent_and_fold_agrees(text: str) -> None:
    once = normalize(text)
    assert normalize(once.text).text == once.text
    assert fold(text) == once.text
    assert len(once.starts) == len(once.text)


@settings(max_examples=400)
@given(TEXTS, st.data())
def test_spans_map_back_to_the_characters_they_came_from(text: str, data: st.DataObject) -> None:
    norm = normalize(text)
    if not norm.text:
        return
    # spans that do not cut through one original character's expansion (ﻻ → لا)
    bounds = [i for i in range(len(norm.text) + 1)
              if i in (0, len(norm.text)) or norm.starts[i] != norm.starts[i - 1]]
    start = data.draw(st.sampled_from(bounds))
    end = data.draw(st.sampled_from([b for b in bounds if b >= start]))
    first, last = norm.to_original(start, end)
    assert 0 <= first <= last <= len(text)
    assert fold(text[first:last]).strip() == norm.text[start:end].strip()
    assert norm.to_normalized(first, last)[0] <= start


@pytest.mark.parametrize(("raw", "expected"), [
    ("أحمد إبراهيم آمنة ٱلله", "احمد ابراهيم امنه الله"),
    ("مُحَمَّدٌ ـــ العــربية", "محمد العربيه"),
    ("مؤتمر رئيس هيئة", "موتمر رييس هييه"),
    ("مصطفى على", "مصطفي علي"),
    ("ﻻ ﻷ ﷲ", "لا لا الله"),
    ("٢٠٢٦ ۱۴۰۵ ٣٫٥", "2026 1405 3.5"),
    ("کتاب یوم ە", "كتاب يوم ه"),
    ("«نعم»، قال؛ لماذا؟ ٪", "\"نعم\", قال; لماذا? %"),
    ("a\u200fb\u200d c   \n d", "ab c d"),
    ("Erdoğan ÉCOLE Straße", "erdogan ecole strasse"),
])
def test_foldings(raw: str, expected: str) -> None:
    assert fold(raw) == expected


def test_options() -> None:
    keep = NormOptions(alef_maksura=False, ta_marbuta=False, latin_case=False)
    assert fold("مصطفى مدرسة Cairo", keep) == "مصطفى مدرسة Cairo"


def test_offsets_cover_whole_words_with_their_diacritics() -> None:
    text = "وصلَ الرئيسُ الأميركيُّ إلى عمّانَ"
    norm = normalize(text)
    start = norm.text.index("الاميركي")
    first, last = norm.to_original(start, start + len("الاميركي"))
    assert text[first:last] == "الأميركيُّ"


def test_fold_word_is_fold() -> None:
    assert fold_word("الإماراتُ") == fold("الإماراتُ") == "الامارات"


def test_id_form_is_frozen() -> None:
    # ids of stored articles depend on this exact output: never change it
    assert id_form(" مُحَمَّدٌ\u200f  ـــالعربية\n\n x ﻻ ") == "محمد العربية x لا"
