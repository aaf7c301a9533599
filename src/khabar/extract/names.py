"""Name forms used to compare mentions: keys, clitic stripping, titles, transliteration and
a bounded edit distance. Pure functions, no state."""

from __future__ import annotations

import re

from khabar.extract.lexicon import Lexicon, first_word_forms
from khabar.text.arabic import ARABIC_LETTERS_RE, fold_word
from khabar.text.tokenize import WORD_RE

_LATIN_ARTICLE_RE = re.compile(r"^(?:al|el|ad|an|ar|as|ash|at|az)[-‐ ]", re.IGNORECASE)


def words_key(text: str) -> list[str]:
    """Folded words of a name, Latin lower-cased, punctuation dropped."""
    return [fold_word(w).lower() for w in WORD_RE.findall(text)]


def strip_clitics(words: list[str], lexicon: Lexicon) -> list[str]:
    """Drop the proclitics of a name's first word when the rest is a known name, given name
    or gazetteer word, or when the bare word is not (لبوتين → بوتين, but لبنان stays)."""
    if not words or not ARABIC_LETTERS_RE.fullmatch(words[0]):
        return words
    forms = first_word_forms(words[0])
    if (tuple(words) in lexicon.names or words[0] in lexicon.given
            or words[0] in lexicon.starts):
        return words
    for form in forms[1:]:
        if (form, *words[1:]) in lexicon.names or form in lexicon.given \
                or form in lexicon.starts:
            return [form, *words[1:]]
    if len(forms) > 1 and words[0][:1] in "وف" and words[0][1:3] == "ال":
        return [words[0][1:], *words[1:]]
    return words


def split_title(words: list[str], lexicon: Lexicon) -> tuple[list[str], list[str]]:
    """(title words, name words): the longest leading title phrase (``وزير الخارجية``,
    ``الرئيس``), with the place adjectives that follow it (``الروسي``)."""
    for n in range(min(4, len(words) - 1), 0, -1):
        if lexicon.cue("person.titles", words[:n]):
            rest = words[n:]
            while len(rest) > 1 and (lexicon.adjectives.get(rest[0]) is not None
                                     or tuple(rest[:1]) in lexicon.names):
                n += 1
                rest = rest[1:]
            return words[:n], words[n:]
    return [], words


def surname(words: list[str]) -> str:
    """The family part of a person's name: the last word, with ``بن``/``ابن``/``أبو``
    phrases kept whole (``بن لادن``, ``أبو مازن``)."""
    if len(words) >= 2 and words[-2] in ("بن", "ابن", "ابو", "ال", "عبد"):
        return " ".join(words[-2:])
    return words[-1] if words else ""


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Levenshtein distance, or ``limit + 1`` as soon as it exceeds ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def similar_surname(a: str, b: str) -> bool:
    """One slip (added, dropped or swapped letter) in a surname of five letters or more,
    same first letter: ``بارنو`` / ``بارنون``."""
    return (a != b and min(len(a), len(b)) >= 5 and a[0] == b[0]
            and edit_distance(a, b, 1) <= 1)


def deletions(word: str) -> list[str]:
    """Each form of ``word`` with one letter dropped (five letters or more): two surnames
    one slip apart share one of these forms, or one is a form of the other."""
    if len(word) < 5 or " " in word:
        return []
    return sorted({word[:i] + word[i + 1:] for i in range(len(word))})


# -- transliteration ---------------------------------------------------------------------
# Both scripts are reduced to one consonant skeleton: letters that English spellings of
# Arabic and Russian names render alike share a class; vowels and ع/ء/ه-like letters go.
_ARABIC_CLASS = str.maketrans({
    "ب": "b", "پ": "b", "ت": "t", "ط": "t", "ث": "s", "س": "s", "ص": "s", "ج": "j", "چ": "j",
    "ح": "", "خ": "k", "د": "d", "ض": "d", "ذ": "z", "ز": "z", "ظ": "z", "ر": "r", "ش": "c",
    "ع": "", "غ": "g", "ف": "f", "ق": "k", "ك": "k", "گ": "g", "ل": "l", "م": "m", "ن": "n",
    "ه": "", "و": "", "ي": "", "ا": "", "ء": "", "ى": "", "ة": "", "ڤ": "f",
})
_LATIN_STEPS = (
    ("sch", "c"), ("sh", "c"), ("ch", "c"), ("kh", "k"), ("gh", "g"), ("th", "t"),
    ("dh", "z"), ("ph", "f"), ("ck", "k"), ("dj", "j"), ("ts", "t"), ("zh", "j"),
    ("q", "k"), ("c", "k"), ("x", "ks"), ("v", "f"), ("p", "b"), ("w", ""), ("y", ""),
    ("h", ""), ("e", ""), ("a", ""), ("i", ""), ("o", ""), ("u", ""),
)


def skeleton(text: str) -> str:
    """A script-independent consonant key of a name (``Barno`` = ``بارنو`` = ``brn``)."""
    text = _LATIN_ARTICLE_RE.sub("", text.strip())
    out = []
    for word in text.split():
        if ARABIC_LETTERS_RE.search(word):
            folded = fold_word(word)
            if folded.startswith("ال") and len(folded) > 4:
                folded = folded[2:]
            key = folded.translate(_ARABIC_CLASS)
        else:
            key = word.lower()
            for old, new in _LATIN_STEPS:
                key = key.replace(old, new)
            key = re.sub(r"[^a-z]", "", key)
        out.append(re.sub(r"(.)\1+", r"\1", key.replace("g", "j")))
    return " ".join(w for w in out if w)
