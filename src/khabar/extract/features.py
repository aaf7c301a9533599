"""Token features for the NER tagger, shared by training (``train/ner.py``) and tagging.

A token's own features depend only on its text, so they are computed once per distinct
word and cached; a token's features in a sentence are its own, its neighbours' core
features (prefixed with their offset), and the gazetteer reading of the
sentence (``g=B-LOC`` …). All words are folded first, so hamza and ة/ه spellings, and
corpora that drop hamza, share one feature space.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from khabar.extract.lexicon import Lexicon, Match, shipped
from khabar.text.arabic import fold_word
from khabar.text.tokenize import WORD_RE, is_headword, split_clitics

TOKEN_RE = re.compile(WORD_RE.pattern + r"|[^\w\s\u064b-\u065f\u0670]", re.UNICODE)
_ARABIC_RE = re.compile(r"^[\u0621-\u064a\u0671-\u06d3]+$")
_DIGIT_RE = re.compile(r"^[\d٠-٩.,/\-]+$")
_LATIN_RE = re.compile(r"^[A-Za-z\u00c0-\u024f.'\-]+$")
WINDOW = 2
CACHE_LIMIT = 60_000  # words whose feature lists are kept (the CRF keeps its own sums)


def shape(word: str) -> str:
    if _ARABIC_RE.match(word):
        return "ar"
    if _DIGIT_RE.match(word):
        return "num"
    if _LATIN_RE.match(word):
        return "Lat" if word[:1].isupper() else "lat"
    if len(word) == 1:
        return "p" + word
    return "mix"


@lru_cache(maxsize=100_000)
def analyse(word: str) -> tuple[str, str, str, str]:
    """(folded word, proclitics, stem with its article, bare stem without it)."""
    folded = fold_word(word).lower()
    clitic, stem = split_clitics(folded)
    bare = stem[2:] if stem.startswith("ال") and len(stem) > 4 else stem
    return folded, clitic, stem, bare


class Featurizer:
    """Feature lists for sentences of tokens, with per-word caches."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon or shipped()
        self._own: dict[str, list[str]] = {}
        self._core: dict[str, tuple[str, ...]] = {}
        self._cue_cache: dict[tuple[str, str], list[str]] = {}

    def core(self, word: str) -> tuple[str, ...]:
        """What a token tells its neighbours: stem and cue flags."""
        cached = self._core.get(word)
        if cached is None:
            _, _, stem, bare = analyse(word)
            values = [f"s={stem}"]
            values.extend(self._cues(stem, bare))
            cached = tuple(values)
            if len(self._core) < CACHE_LIMIT:
                self._core[word] = cached
        return cached

    def own(self, word: str) -> list[str]:
        cached = self._own.get(word)
        if cached is not None:
            return cached
        folded, clitic, stem, bare = analyse(word)
        article = stem != bare
        feats = [
            "bias", f"w={folded}", f"s={stem}", f"b={bare}", f"sh={shape(word)}",
            f"cl={clitic}", f"al={article}", f"len={min(len(bare), 9)}",
            f"p2={bare[:2]}", f"p3={bare[:3]}", f"x1={bare[-1:]}", f"x2={bare[-2:]}",
            f"x3={bare[-3:]}",
        ]
        if shape(word) == "ar" and bare:
            feats.append(f"dict={is_headword(bare) or is_headword(stem)}")
        feats.extend(self._cues(stem, bare))
        if len(self._own) < CACHE_LIMIT:
            self._own[word] = feats
        return feats

    def _cues(self, stem: str, bare: str) -> list[str]:
        cached = self._cue_cache.get((stem, bare))
        if cached is None:
            cached = self._cue_cache[(stem, bare)] = self._find_cues(stem, bare)
        return cached

    def _find_cues(self, stem: str, bare: str) -> list[str]:
        lex = self.lexicon
        out = []
        if bare in lex.given or stem in lex.given:
            out.append("given")
        for name in ("person.titles", "org.heads", "location.heads", "misc.heads",
                     "person.speech_verbs", "location.prepositions"):
            if lex.cue(name, (stem,)) or lex.cue(name, (bare,)):
                out.append(name)
        return out

    def gazetteer(self, words: Sequence[str], matches: list[Match] | None = None) -> list[str]:
        """BIO reading of the sentence by the gazetteer: ``B-LOC``, ``I-ORG``, ``A-LOC``
        (an adjective of a place) or ``O``."""
        tags = ["O"] * len(words)
        for match in self.lexicon.find(words) if matches is None else matches:
            if match.kind == "adjective":
                tags[match.start] = "A-" + match.entry.type
                continue
            tags[match.start] = "B-" + match.entry.type
            for i in range(match.start + 1, match.end):
                tags[i] = "I-" + match.entry.type
        return tags

    def sentence(self, words: Sequence[str]) -> list[list[str]]:
        n = len(words)
        cores = [self.core(w) for w in words]
        gaz = self.gazetteer(words)
        out = []
        for i, word in enumerate(words):
            feats = list(self.own(word))
            feats.append(f"g={gaz[i]}")
            for d in range(-WINDOW, WINDOW + 1):
                if d == 0:
                    continue
                j = i + d
                if 0 <= j < n:
                    feats.extend(f"{d}{v}" for v in cores[j])
                    feats.append(f"{d}g={gaz[j]}")
                else:
                    feats.append(f"{d}edge")
            out.append(feats)
        return out
