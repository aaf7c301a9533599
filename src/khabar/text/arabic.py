"""Arabic text normalisation: the one home of every character-level rule.

``normalize`` builds the derived *matching form* of a text together with an offset map, so
any span found in the matching form maps back to the exact characters of the original:

- diacritics (harakat, tanween, shadda, sukun, dagger alef, Quranic marks) and tatweel go;
- alef variants (أ إ آ ٱ ٲ ٳ ٵ) → ا; hamza on waw and ya (ؤ ئ) → و ي;
- alef maksura ى → ي and ta marbuta ة → ه (each configurable);
- presentation forms and other compatibility characters (ﻻ, ﷲ, ①) are unfolded (NFKC);
- Persian/Urdu letter variants (ک ی ە ۀ ھ ہ ے) → their Arabic letters;
- Arabic-Indic and Persian digits → ASCII; Arabic punctuation → ASCII (، ؛ ؟ « » “ ” ٪);
- bidi and zero-width controls go; Latin letters are case-folded and lose their accents;
- every run of whitespace becomes one space.

The mapping is per character (context-free), which makes it idempotent and lets the offset
map be exact. ``id_form`` is separate and frozen: article ids are hashes of it.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

# -- id form (frozen) --------------------------------------------------------------------
_DROP_RE = re.compile(
    "[\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200b-\u200f\u202a-\u202e\u2066-\u2069"
    "\ufeff\u061c]+"
)
ARABIC_LETTERS_RE = re.compile(r"[\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff]+")
LATIN_LETTERS_RE = re.compile(r"[A-Za-z\u00c0-\u024f]+")


def id_form(text: str) -> str:
    """The normalised form hashed into article ids (frozen; see module doc)."""
    return " ".join(_DROP_RE.sub("", unicodedata.normalize("NFKC", text)).split())


def script_counts(text: str) -> tuple[int, int]:
    """Number of Arabic-script and Latin-script letters in ``text``."""
    arabic = sum(map(len, ARABIC_LETTERS_RE.findall(text)))
    return arabic, sum(map(len, LATIN_LETTERS_RE.findall(text)))


# -- matching form -----------------------------------------------------------------------
DIACRITICS = frozenset(
    [*map(chr, range(0x064B, 0x0660)), "\u0670", *map(chr, range(0x06D6, 0x06EE))]
)
_INVISIBLE = frozenset(
    [*map(chr, range(0x200B, 0x2010)), *map(chr, range(0x202A, 0x202F)),
     *map(chr, range(0x2066, 0x206A)), "\ufeff", "\u061c", "\u00ad", "\u180e", "\u2060"]
)
_LETTERS = {
    **dict.fromkeys("أإآٱٲٳٵ", "ا"),
    "ؤ": "و", "ٶ": "و", "ئ": "ي", "ٸ": "ي",
    "ک": "ك", "ڪ": "ك", "ی": "ي", "ې": "ي", "ے": "ي", "ۍ": "ي",
    "ە": "ه", "ۀ": "ه", "ھ": "ه", "ہ": "ه", "ۂ": "ه", "ۃ": "ه",
    "،": ",", "؛": ";", "؟": "?", "٪": "%", "٫": ".", "٬": ",", "۔": ".",
    "«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"',
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'",
    "–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-",
    **{chr(0x0660 + d): str(d) for d in range(10)},
    **{chr(0x06F0 + d): str(d) for d in range(10)},
}


@dataclass(frozen=True)
class NormOptions:
    """Which optional foldings apply. The defaults suit matching names and words."""

    alef_maksura: bool = True  # ى → ي
    ta_marbuta: bool = True  # ة → ه
    latin_case: bool = True  # casefold and strip accents from Latin letters


DEFAULT = NormOptions()


_SPACES_RE = re.compile(" {2,}")


@lru_cache(maxsize=8)
def _table(options: NormOptions) -> dict[str, str]:
    return {}


def _fold_char(ch: str, options: NormOptions) -> str:
    """One character's matching form, applied until it no longer changes (idempotence)."""
    current = ch
    for _ in range(4):
        folded = "".join(_fold_once(c, options) for c in current)
        if folded == current:
            return folded
        current = folded
    return current


def _fold_once(ch: str, options: NormOptions) -> str:
    if ch in DIACRITICS or ch in _INVISIBLE or ch == "\u0640":
        return ""
    if ch.isspace():
        return " "
    if ch in _LETTERS:
        return _LETTERS[ch]
    if ch == "ى":
        return "ي" if options.alef_maksura else ch
    if ch == "ة":
        return "ه" if options.ta_marbuta else ch
    if ord(ch) < 0x80:
        return ch.lower() if options.latin_case else ch
    if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") and ord(ch) > 0x9F:
        return "" if unicodedata.category(ch) == "Cf" else ch
    folded = unicodedata.normalize("NFKC", ch)
    if options.latin_case:
        folded = folded.casefold()
        if any("LATIN" in unicodedata.name(c, "") for c in folded):
            decomposed = unicodedata.normalize("NFD", folded)
            folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    return folded


def _mapping(ch: str, options: NormOptions) -> str:
    table = _table(options)
    found = table.get(ch)
    if found is None:
        found = table[ch] = _fold_char(ch, options)
    return found


@dataclass(frozen=True)
class Normalized:
    """A matching form and, for each of its characters, the index it came from."""

    text: str
    starts: tuple[int, ...]
    source: str

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original that ``text[start:end]`` came from.

        The end is extended over diacritics that directly follow the last character, so a
        word found in the matching form covers its whole written form.
        """
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span {start}:{end} outside 0:{len(self.text)}")
        if start == end:
            position = self.starts[start] if start < len(self.starts) else len(self.source)
            return position, position
        first, last = self.starts[start], self.starts[end - 1] + 1
        while last < len(self.source) and self.source[last] in DIACRITICS:
            last += 1
        return first, last

    def to_normalized(self, start: int, end: int) -> tuple[int, int]:
        """The span of the matching form covering original characters ``start:end``."""
        return bisect_left(self.starts, start), bisect_right(self.starts, end - 1)


def normalize(text: str, options: NormOptions = DEFAULT) -> Normalized:
    """The matching form of ``text`` with its offset map (never raises on any ``str``)."""
    table = _table(options)
    pieces = [table[ch] if ch in table else _mapping(ch, options) for ch in text]
    joined = "".join(pieces)
    starts = [index for index, piece in enumerate(pieces) for _ in piece]
    if "  " in joined:  # a run of spaces keeps its first
        drop = {i for m in _SPACES_RE.finditer(joined) for i in range(m.start() + 1, m.end())}
        joined = "".join(c for i, c in enumerate(joined) if i not in drop)
        starts = [s for i, s in enumerate(starts) if i not in drop]
    return Normalized(joined, tuple(starts), text)


def fold(text: str, options: NormOptions = DEFAULT) -> str:
    """The matching form alone (equal to ``normalize(text).text``), for hot paths."""
    table = _table(options)
    joined = "".join([table[ch] if ch in table else _mapping(ch, options) for ch in text])
    return _SPACES_RE.sub(" ", joined) if "  " in joined else joined


_WORD_CACHE: dict[str, str] = {}
_WORD_CACHE_LIMIT = 500_000


def fold_word(word: str) -> str:
    """``fold`` of one word with the default options, cached: news repeats its words."""
    found = _WORD_CACHE.get(word)
    if found is None:
        if len(_WORD_CACHE) >= _WORD_CACHE_LIMIT:
            _WORD_CACHE.clear()
        found = _WORD_CACHE[word] = fold(word)
    return found


_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ؤ": "و", "ئ": "ي", "ة": "ه", "ى": "ي"})


def compile_folded(pattern: str) -> re.Pattern[str]:
    """A regex written in normal spelling, compiled to match folded text (hamza forms,
    ة and ى in its literal letters folded as ``fold`` folds them)."""
    return re.compile(pattern.translate(_FOLD))
