"""Arabic text normalisation: the one home of every character-level rule.

``id_form`` is frozen: article ids are hashes of it, so changing it changes every id.
Matching forms for search and entities are built on top of it in later layers.
"""

from __future__ import annotations

import re
import unicodedata

# Harakat, tanween, shadda, sukun, dagger alef and Quranic marks; tatweel; zero-width and
# bidirectional controls that change nothing a reader sees.
_DROP_RE = re.compile(
    "[\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200b-\u200f\u202a-\u202e\u2066-\u2069"
    "\ufeff\u061c]+"
)

ARABIC_LETTER_RE = re.compile(r"[\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff]")
LATIN_LETTER_RE = re.compile(r"[A-Za-z\u00c0-\u024f]")


def id_form(text: str) -> str:
    """The normalised form hashed into article ids (frozen; see module doc)."""
    return " ".join(_DROP_RE.sub("", unicodedata.normalize("NFKC", text)).split())


def script_counts(text: str) -> tuple[int, int]:
    """Number of Arabic-script and Latin-script letters in ``text``."""
    return len(ARABIC_LETTER_RE.findall(text)), len(LATIN_LETTER_RE.findall(text))
