"""Words and sentences, as offsets into the original text.

Sentences are split inside each line (khabar's text has one paragraph per line) at
``. ! ? ؟ …`` followed by space, except inside quotation marks or brackets, after
abbreviations, titles and initials (د. أ.د. ج.م.ع U.S.), after a list number that opens a
sentence, and where the mark is not followed by space (decimals, dates, URLs, e-mail). A
quotation that ends a sentence takes its closing mark with it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

# Letters and digits, with Arabic diacritics (shadda, harakat) inside words: عمّان is one word.
_LETTER = r"(?:[^\W_]|[\u064b-\u065f\u0670])"
WORD_RE = re.compile(rf"{_LETTER}+(?:[.'’\-]{_LETTER}+)*", re.UNICODE)
ARABIC_WORD_RE = re.compile(r"^[\u0621-\u064a\u0671-\u06d3\u064b-\u065f\u0670]+$")

# -- words -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str


def words(text: str) -> list[Token]:
    """Word tokens (letters and digits, with inner dots, hyphens and apostrophes)."""
    return [Token(m.start(), m.end(), m.group()) for m in WORD_RE.finditer(text)]


# Proclitics: conjunction (و ف), then preposition (ب ل ك), then the article (ال).
_PROCLITICS = ("و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك")


def clitic_splits(word: str) -> Iterator[tuple[str, str]]:
    """Every (proclitics, stem) reading of an Arabic ``word``, shortest proclitics first.

    The article stays on the stem (والولايات → و + الولايات); ``لل`` is ``ل`` + ``ال``
    (للرئيس → ل + الرئيس). Stems keep at least three letters (two after an article).
    """
    if not ARABIC_WORD_RE.match(word):
        return
    for prefix in _PROCLITICS:
        if not word.startswith(prefix):
            continue
        stem = word[len(prefix):]
        if prefix.endswith("ل") and stem.startswith("ل") and len(stem) >= 3:
            yield prefix, "ا" + stem  # ل + الرئيس is written للرئيس
        if len(stem) >= 3:
            yield prefix, stem


@lru_cache(maxsize=200_000)
def is_headword(word: str) -> bool:
    """A dictionary headword: simplemma knows it and lemmatises it to itself."""
    import simplemma

    return bool(simplemma.is_known(word, lang="ar")) and simplemma.lemmatize(word,
                                                                             lang="ar") == word


@lru_cache(maxsize=200_000)
def _known_stem(stem: str) -> bool:
    """Default lexicon: a headword, or any form simplemma knows once the article is on it."""
    import simplemma

    return is_headword(stem) or (stem.startswith("ال") and
                                 bool(simplemma.is_known(stem, lang="ar")))


def split_clitics(word: str, known: Callable[[str], bool] | None = None) -> tuple[str, str]:
    """(proclitics, stem) for matching: ``لبوتين`` → (``ل``, ``بوتين``), ``وللرئيس`` →
    (``ول``, ``الرئيس``). A proclitic is split off only when what remains (with or without
    its article) is known — to ``known`` if given (e.g. an entity lexicon), else as a
    simplemma headword — and never from a word that is itself a headword, so names such as
    ``لبنان`` or ``بغداد`` stay whole. The shortest such split wins."""
    if not ARABIC_WORD_RE.match(word) or is_headword(word):
        return "", word
    check = known or _known_stem
    for prefix, stem in clitic_splits(word):
        if check(stem) or (stem.startswith("ال") and check(stem[2:])):
            return prefix, stem
    # و/ف before the article is a conjunction whatever follows (والولايات → و + الولايات);
    # a three-letter minimum after the article keeps والد and والي whole.
    if word[:1] in "وف" and word[1:3] == "ال" and len(word) >= 6:
        return word[0], word[1:]
    return "", word


# -- sentences ---------------------------------------------------------------------------
_OPENERS = {"“": "”", "«": "»", "(": ")", "[": "]", "‹": "›", "„": "“", "﴾": "﴿"}
_CLOSERS = set(_OPENERS.values()) | {'"', "'"}
_TERMINAL_RE = re.compile(r"(?:\.{3}|…|[.!?؟]+)(?:[\"'”»)\]’›﴿]*)(?=\s|$)")
_ABBREVIATIONS = frozenset({
    # Arabic titles and common abbreviations (without their final dot)
    "د", "أ", "أ.د", "م", "ج", "ص", "ت", "ق", "ش", "ب", "ط", "ه", "هـ", "ص.ب", "ج.م.ع",
    "أ.ف.ب", "ق.م", "م.م", "ش.م.م", "إلخ", "الخ", "ت.ع", "ع.م", "أ.م.د", "م.م.د",
    # Latin
    "dr", "mr", "mrs", "ms", "prof", "st", "no", "vs", "inc", "ltd", "co", "jr", "sr", "gen",
    "col", "lt", "sgt", "rev", "fig", "vol", "pp", "p", "u.s", "u.k", "u.n", "e.g", "i.e",
    "a.m", "p.m", "mt", "ft", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec",
})


def _protected(line: str) -> list[tuple[int, int]]:
    """Spans inside matched quotation marks and brackets (unmatched openers are ignored)."""
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(line):
        if stack and ch == stack[-1][0]:
            spans.append((stack.pop()[1], i))
        elif ch in _OPENERS:
            stack.append((_OPENERS[ch], i))
        elif ch == '"':
            stack.append(('"', i))
    return spans


_LIST_LABELS = frozenset({"المادة", "البند", "الفقرة", "الفصل", "الباب", "رقم", "الحلقة",
                          "الجزء", "المرحلة", "الخطوة", "البند رقم", "item", "article", "no"})
_TITLES = frozenset({"د", "أ", "أ.د", "م", "ج", "ص", "ت", "ق", "ش", "ب", "ط", "ل", "dr", "mr",
                     "mrs", "ms", "prof", "st", "gen", "col", "lt", "sgt", "rev", "jr", "sr",
                     "no", "vs", "fig", "vol", "pp", "p", "mt", "ft"})
# Words that go on with the sentence after an ambiguous mark (circumstantial phrases).
_CONTINUATIONS = frozenset({
    "وفق", "وفقا", "وفقاً", "وسط", "في", "إلى", "الى", "على", "عن", "من", "قبل", "بعد",
    "حسب", "بحسب", "حسبما", "مضيفا", "مضيفاً", "مشيرا", "مشيراً", "موضحا", "موضحاً",
    "مؤكدا", "مؤكداً", "معتبرا", "معتبراً", "قائلا", "قائلاً", "لافتا", "لافتاً", "مرفقا",
    "مرفقاً", "متابعا", "متابعاً", "مختتما", "مختتماً", "الموافق", "أي", "حيث",
})
_OPENERS_WORDS = frozenset({
    "ثم", "لكن", "لكنه", "لكنها", "لكنهم", "كما", "غير", "إلا", "بينما", "أما", "هذا", "هذه",
    "هكذا", "إذ", "لذلك", "لذا", "بل", "قد", "لقد", "لم", "لن", "هل", "متى", "يذكر", "يشار",
    "يأتي", "تأتي", "جاء", "وجاء",
})
_NUMBER_RE = re.compile(r"^\(?\d{1,3}\)?$")
_DATE_NUMBER_RE = re.compile(r"^[\d/.\-]+$")


def _dot_kind(line: str, mark: int, sentence_start: int) -> str:
    """What a dot followed by space is: "abbreviation", "list", "ambiguous" or "end"."""
    words_before = line[sentence_start:mark].split()
    if not words_before:
        return "end"
    token = words_before[-1].lstrip("(«\"“'")
    previous = words_before[-2] if len(words_before) >= 2 else ""
    if token.endswith((")", "]", "»", "”", '"', "'")):
        return "end"
    lowered = token.lower()
    if _NUMBER_RE.match(token):
        before = line[sentence_start:mark - len(token)].rstrip()
        if not before or before.endswith((":", "،", ",", "؛")) or previous in _LIST_LABELS:
            return "list"
        return "end"
    if token in ("م", "هـ", "ه") and _DATE_NUMBER_RE.match(previous or "-"):
        return "ambiguous"  # a year marker: "عام 2026 م." may end the sentence or not
    if lowered in _TITLES or (len(token) == 1 and token.isalpha()):
        return "abbreviation"  # a title or an initial: د. محمد، ج. بوش
    if re.fullmatch(r"(?:[A-Z]\.)+[A-Z]", token):
        return "abbreviation"  # initials: J.K. Rowling
    if "." in token and all(len(part) <= 2 for part in token.split(".")):
        return "ambiguous"  # ق.م. أ.ف.ب. U.S.
    if lowered in _ABBREVIATIONS:
        return "ambiguous"
    return "end"


def _opens_sentence(line: str, position: int) -> bool:
    """Can the word after ``position`` begin an Arabic sentence?"""
    rest = line[position:].lstrip()
    if not rest:
        return True
    if rest[0] in "«“\"(" or ("A" <= rest[0] <= "Z"):
        return True
    word = rest.split(maxsplit=1)[0].strip("«»“”\"'()،,.:")
    if word in _CONTINUATIONS:
        return False
    if word in _OPENERS_WORDS:
        return True
    return word[:1] in ("و", "ف") and len(word) >= 3


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of every sentence, line by line, without surrounding spaces."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        spans.extend((offset + s, offset + e) for s, e in _split_line(line))
        offset += len(line) + 1
    return spans


def _split_line(line: str) -> list[tuple[int, int]]:
    protected = _protected(line)
    cuts: list[int] = []
    start = 0
    for match in _TERMINAL_RE.finditer(line):
        mark, end, token = match.start(), match.end(), match.group()
        inside = [span for span in protected if span[0] < mark < span[1]]
        # never inside brackets, nor inside a quotation that does not close right here
        if any(line[s] in "([﴾" or e >= end for s, e in inside):
            continue
        ambiguous = bool(inside) or token.startswith(("...", "…"))
        if token[0] == "." and not token.startswith("..."):
            kind = _dot_kind(line, mark, start)
            if kind in ("abbreviation", "list"):
                continue
            ambiguous = ambiguous or kind == "ambiguous"
        if ambiguous and not _opens_sentence(line, end):
            continue
        cuts.append(end)
        start = end
    bounds = [0, *cuts, len(line)]
    result = []
    for a, b in pairwise(bounds):
        piece = line[a:b]
        stripped = piece.strip()
        if stripped:
            lead = len(piece) - len(piece.lstrip())
            result.append((a + lead, a + lead + len(stripped)))
    return result
