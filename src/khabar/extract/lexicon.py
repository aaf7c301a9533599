"""The shipped name lists: gazetteer entries, given names and cue words (``khabar/data``).

Everything is matched on *keys*: the folded form of each word (``fold``: hamza forms,
ة/ه, ى/ي, diacritics), with proclitics (و ف ب ل ك and their pairs) split off the first
word of a phrase, so ``لبوتين`` and ``والولايات المتحدة`` find ``بوتين`` and
``الولايات المتحدة``. A user's ``aliases.toml`` adds entries through the same index.
"""

from __future__ import annotations

import copy
import json
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from khabar.text.arabic import fold_word
from khabar.text.tokenize import clitic_splits

MAX_PHRASE = 8
_VOWELLED_RE = re.compile(r"[\u064b-\u0652]")


@dataclass
class Entry:
    """One real thing the gazetteer knows: a place, an organisation, a person, an event."""

    id: str
    type: str
    kind: str
    name: str
    en: str = ""
    aliases: list[str] = field(default_factory=list)
    latin: list[str] = field(default_factory=list)
    adjectives: list[str] = field(default_factory=list)
    within: str | None = None
    given: list[str] = field(default_factory=list)
    family: list[str] = field(default_factory=list)
    role: str = ""


def key(text: str) -> tuple[str, ...]:
    """The match key of a phrase: its folded words (Latin lower-cased)."""
    return tuple(fold_word(w).lower() for w in text.split())


@lru_cache(maxsize=100_000)
def first_word_forms(word: str) -> tuple[str, ...]:
    """The folded word, then each reading with proclitics split off (shortest first)."""
    folded = fold_word(word)
    forms = [folded]
    for _, stem in clitic_splits(folded):
        if stem not in forms:
            forms.append(stem)
    return tuple(forms)


@dataclass(frozen=True)
class Match:
    start: int  # token index
    end: int  # token index, exclusive
    entry: Entry
    kind: str  # "name" or "adjective"


class Lexicon:
    """Index of names (phrases of folded words) and adjectives to gazetteer entries."""

    def __init__(self, entries: Iterable[Entry], given: Iterable[str] = (),
                 cues: dict[str, dict[str, list[str]]] | None = None) -> None:
        self.entries: dict[str, Entry] = {}
        self.names: dict[tuple[str, ...], list[Entry]] = {}
        self.adjectives: dict[str, Entry] = {}
        self.starts: set[str] = set()
        self.vowelled: list[tuple[str, Entry]] = []
        for entry in entries:
            self.add(entry)
        # Compound given names count written apart (first word) and joined: عبد الله / عبدالله.
        self.given = frozenset(fold_word(form) for name in given
                               for form in (name.replace(" ", ""), name.split()[0])
                               if form != "عبد")
        cues = cues or {}
        self.cues: dict[str, frozenset[tuple[str, ...]]] = {
            f"{section}.{name}": frozenset(key(v) for v in values)
            for section, table in cues.items() for name, values in table.items()
        }
        # First words of person titles: a quick test before looking for a whole title.
        self.title_starts = frozenset(k[0] for k in self.cues.get("person.titles", ()) if k)

    def extended(self, first: Iterable[Entry]) -> Lexicon:
        """A copy with these entries ahead of its own (a user's aliases win over the
        shipped gazetteer); name lists and cues are shared."""
        out = copy.copy(self)
        out.entries, out.names, out.adjectives, out.starts, out.vowelled = {}, {}, {}, set(), []
        for entry in [*first, *self.entries.values()]:
            out.add(entry)
        return out

    def add(self, entry: Entry) -> None:
        self.entries[entry.id] = entry
        for alias in {entry.name, *entry.aliases, *entry.latin}:
            k = key(alias)
            if not k or len(k) > MAX_PHRASE:
                continue
            bucket = self.names.setdefault(k, [])
            if entry not in bucket:
                bucket.append(entry)
            self.starts.add(k[0])
        for adjective in entry.adjectives:
            self.adjectives.setdefault(fold_word(adjective), entry)
        self.vowelled.extend((alias, entry) for alias in entry.aliases
                             if _VOWELLED_RE.search(alias))

    def choose(self, hits: list[Entry], surface: str, present: set[str]) -> Entry:
        """One of several entries sharing a name (عمان: Amman or Oman): the one whose
        vowelled spelling the text uses, else the one whose country the article names,
        else the first."""
        for alias, entry in self.vowelled:
            if entry in hits and alias in surface:
                return entry
        for entry in hits:
            if entry.within in present:
                return entry
        return hits[0]

    def cue(self, name: str, words: Sequence[str]) -> bool:
        return tuple(words) in self.cues.get(name, frozenset())

    def lookup(self, phrase: str) -> list[Entry]:
        return self.names.get(key(phrase), [])

    def find(self, words: Sequence[str]) -> list[Match]:
        """Longest non-overlapping name matches over a sequence of word tokens, then
        adjectives (``الروسي`` → Russia) where no name matched."""
        folded = [fold_word(w).lower() for w in words]
        matches: list[Match] = []
        i = 0
        while i < len(words):
            found = self._longest(words[i], folded, i)
            if found:
                end, entry = found
                matches.append(Match(i, end, entry, "name"))
                i = end
                continue
            adjective = self.adjective(words[i])
            if adjective is not None:
                matches.append(Match(i, i + 1, adjective, "adjective"))
            i += 1
        return matches

    def _longest(self, word: str, folded: list[str], i: int) -> tuple[int, Entry] | None:
        for form in first_word_forms(word.lower()):
            if form not in self.starts:
                continue
            for n in range(min(MAX_PHRASE, len(folded) - i), 0, -1):
                hits = self.names.get((form, *folded[i + 1:i + n]))
                if hits:
                    return i + n, hits[0]
        return None

    def adjective(self, word: str) -> Entry | None:
        for form in first_word_forms(word):
            entry = self.adjectives.get(form)
            if entry is not None:
                return entry
        return None


def _read(name: str) -> str:
    return resources.files("khabar.data").joinpath(name).read_text(encoding="utf-8")


def load_entries(text: str) -> list[Entry]:
    entries = []
    for line in text.splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        record["within"] = record.pop("in", None)
        known = Entry.__dataclass_fields__
        entries.append(Entry(**{k: v for k, v in record.items() if k in known}))
    return entries


@lru_cache(maxsize=1)
def shipped() -> Lexicon:
    """The lexicon built from the files shipped in ``khabar/data`` (loaded once)."""
    given = [line.strip() for line in _read("given_names.txt").splitlines()
             if line.strip() and not line.startswith("#")]
    cues = tomllib.loads(_read("triggers.toml"))
    return Lexicon(load_entries(_read("gazetteer.jsonl")), given, cues)
