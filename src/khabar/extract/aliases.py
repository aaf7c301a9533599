"""One entity per real thing: mentions grouped within an article, then linked to the
entities already stored, across articles and outlets.

Within an article (``group``):

* names are compared without proclitics (``لبوتين`` → ``بوتين``), folded, with any leading
  title split off and kept as the mention's ``role`` (``وزير الخارجية الأميركي``);
* a name the gazetteer (or the user's aliases file) knows is that entry (``سورية`` and
  ``سوريا``, ``داعش`` and ``تنظيم الدولة``); place adjectives (``الروسي``) link to their
  place as ``adjective`` mentions;
* a person's surname alone joins the full name it belongs to (the nearest one before it when
  two people share it); one slip in a surname of five letters or more (``بارنون`` for
  ``بارنو``) joins only when exactly one person fits and given names do not clash;
* a role said alone later (``الرئيس الروسي``) joins the one person introduced with it.

Across articles (``EntityLinker``): gazetteer ids are global; other entities are found in
the store by full-name key, then for persons by surname or transliteration skeleton
(``David Barno`` ↔ ``ديفيد بارنو``), confirmed by given names, never across a forbidden
pair.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from khabar.extract.lexicon import Entry, Lexicon, first_word_forms
from khabar.extract.names import (
    deletions,
    edit_distance,
    similar_surname,
    skeleton,
    split_title,
    strip_clitics,
    surname,
    words_key,
)
from khabar.store.entities import EntityIndex, EntityRows
from khabar.text.arabic import ARABIC_LETTERS_RE
from khabar.text.tokenize import WORD_RE

Adder = Callable[["Local", tuple[str, str]], int]


@dataclass
class Mention:
    start: int
    end: int
    text: str
    type: str
    kind: str = "name"  # name / adjective / role
    role: str = ""
    entity: int = -1  # index into the article's local entities

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "type": self.type,
                "kind": self.kind, "role": self.role, "entity": self.entity}


@dataclass
class Local:
    """An entity as one article sees it."""

    type: str
    name: str  # best surface form (longest full name, without clitics or title)
    keys: list[str] = field(default_factory=list)  # folded full names
    gazetteer: str | None = None
    latin: bool = False

    @property
    def surname(self) -> str:
        return surname(self.keys[0].split()) if self.keys else ""

    @property
    def given(self) -> str:
        words = max(self.keys, key=len).split() if self.keys else []
        return words[0] if len(words) >= 2 else ""

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "name": self.name, "keys": self.keys,
                "gazetteer": self.gazetteer, "latin": self.latin}


def _name_words(mention: Mention, lexicon: Lexicon) -> tuple[list[str], list[str]]:
    """(title words, name words) of a mention, clitics off the first name word. Words
    before a person's given name are title too (``والري رائد المجالي``); a place's head
    word goes (``مدينة إدفو`` → ``إدفو``)."""
    words = strip_clitics(words_key(mention.text), lexicon)
    title, name = split_title(words, lexicon)
    name = name or words
    if mention.type != "PER" and len(name) >= 3 and name[-2] in lexicon.given and \
            not lexicon.names.get(tuple(name)):
        mention.type = "PER"  # ``وكيل الوزارة للسياحة أحمد الحارثي`` is a person, titled
    if mention.type == "PER" and len(name) >= 3:
        first = next((k for k, w in enumerate(name) if w in lexicon.given), 0)
        if 0 < first <= len(name) - 2:
            title, name = title + name[:first], name[first:]
    elif mention.type == "LOC" and len(name) >= 2 and lexicon.cue("location.heads", name[:1]):
        name = name[1:]
    return title, strip_clitics(name, lexicon) if title else name


def _cut_title(m: Mention, title: list[str]) -> None:
    """Move a mention's start past its leading title words (they are its ``role``)."""
    found = list(WORD_RE.finditer(m.text))
    if title and len(found) > len(title):
        cut = found[len(title)].start()
        m.start, m.text = m.start + cut, m.text[cut:]


def group(text: str, mentions: list[Mention], lexicon: Lexicon) -> list[Local]:
    """Give each mention its ``entity`` index; return the article's local entities."""
    entities: list[Local] = []
    by_key: dict[tuple[str, str], int] = {}
    persons_single: list[Mention] = []
    roles: dict[str, set[int]] = {}

    def add(local: Local, lookup: tuple[str, str]) -> int:
        by_key[lookup] = len(entities)
        entities.append(local)
        return len(entities) - 1

    present = _places_named(mentions, lexicon)
    for m in sorted(mentions, key=lambda m: m.kind != "name"):
        if m.kind == "adjective":
            entry = lexicon.adjective(m.text)
            if entry is None:
                continue
            _attach_entry(m, entry, entities, by_key, add)
            continue
        title, words = _name_words(m, lexicon)
        if not words:  # punctuation or a title alone: nothing to name
            continue
        if not m.role:
            m.role = _surface_title(m, title) if title else _title_before(text, m, lexicon)
        if title and m.type == "PER":
            _cut_title(m, title)
        entry = _known(words, lexicon, m.text, present)
        if entry is not None:
            _attach_entry(m, entry, entities, by_key, add)
        elif m.type == "PER" and (len(words) == 1 or surname(words) == " ".join(words)):
            persons_single.append(m)
            continue
        else:
            key = " ".join(words)
            index = by_key.get((m.type, key))
            if index is None:
                index = _fuzzy_person(words, m.type, entities) if m.type == "PER" else None
            if index is None:
                latin = not ARABIC_LETTERS_RE.search(m.text)
                index = add(Local(m.type, _display(m.text, words), [key], latin=latin),
                            (m.type, key))
            elif key not in entities[index].keys:
                entities[index].keys.append(key)
                if len(words) > len(entities[index].name.split()):
                    entities[index].name = _display(m.text, words)
            m.entity = index
        if m.role and m.type == "PER":
            roles.setdefault(m.role, set()).add(m.entity)
    for m in persons_single:
        m.entity = _single_person(m, lexicon, entities, mentions, by_key, add)
    _role_mentions(text, mentions, roles, entities)
    return entities


_CLAUSE_BREAKS = ".،,:؛;!?؟\n()«»\"“”"


def _title_before(text: str, m: Mention, lexicon: Lexicon) -> str:
    """The title right before a name, in the same clause (``وزير الخارجية الأميركي``)."""
    window = text[max(0, m.start - 80):m.start]
    cut = max(window.rfind(ch) for ch in _CLAUSE_BREAKS)
    surface = window[cut + 1:].split()[-6:]
    if not surface or not window[cut + 1:].endswith((" ", "\u00a0")) or not any(
            form in lexicon.title_starts for word in surface for form in first_word_forms(word)):
        return ""
    every: list[str] = []
    for word in reversed(surface):  # the run of plain words that ends at the name
        folded = words_key(word)
        if len(folded) != 1:
            break
        every.insert(0, folded[0])
    surface = surface[len(surface) - len(every):]
    for k in range(len(every), 0, -1):
        words = strip_clitics(every[-k:], lexicon)
        title, rest = split_title([*words, "_"], lexicon)
        if title and rest == ["_"]:
            return _strip_first_clitic(" ".join(surface[-k:]), words[0])
    for k in range(len(every), 0, -1):  # a title and its complement: وزير الاستثمار السعودي
        words = strip_clitics(every[-k:], lexicon)
        if lexicon.cue("person.titles", words[:1]) and not any(w in lexicon.given
                                                                 for w in words[1:]):
            return _strip_first_clitic(" ".join(surface[-k:]), words[0])
    return ""


def _surface_title(m: Mention, title: list[str]) -> str:
    surface = m.text.split()[:len(title)]
    return _strip_first_clitic(" ".join(surface), title[0])


def _strip_first_clitic(surface: str, first_key: str) -> str:
    head, _, tail = surface.partition(" ")
    extra = len(words_key(head)[0]) - len(first_key) if words_key(head) else 0
    head = head[extra:] if extra > 0 else head
    return f"{head} {tail}".strip()


def _known(words: list[str], lexicon: Lexicon, surface: str, present: set[str]
           ) -> Entry | None:
    hits = lexicon.names.get(tuple(words))
    if not hits:
        return None
    return hits[0] if len(hits) == 1 else lexicon.choose(hits, surface, present)


def _places_named(mentions: list[Mention], lexicon: Lexicon) -> set[str]:
    """Gazetteer ids the article names without ambiguity (names and adjectives)."""
    present = set()
    for m in mentions:
        adjective = lexicon.adjective(m.text) if m.kind == "adjective" else None
        if adjective is not None:
            present.add(adjective.id)
        words = words_key(m.text)
        hits = lexicon.names.get(tuple(strip_clitics(words, lexicon)), [])
        if len(hits) == 1:
            present.add(hits[0].id)
    return present


def _attach_entry(m: Mention, entry: Entry, entities: list[Local],
                  by_key: dict[tuple[str, str], int], add: Adder) -> None:
    index = by_key.get(("gaz", entry.id))
    if index is None:
        index = add(Local(entry.type, entry.name, [" ".join(words_key(entry.name))],
                          gazetteer=entry.id), ("gaz", entry.id))
        if entry.type == "PER":
            by_key[("PER", " ".join(words_key(entry.name)))] = index
    m.entity = index
    m.type = entry.type


def _display(text: str, words: list[str]) -> str:
    """The surface words of the name part of a mention (title and clitics removed)."""
    surface = text.split()
    start = max(0, len(surface) - len(words))
    shown = surface[start:]
    if shown and words and words_key(shown[0]) != words[:1]:
        first = words_key(shown[0])[0] if words_key(shown[0]) else ""
        cut = len(first) - len(words[0]) if first.endswith(words[0]) else 0
        shown[0] = shown[0][cut:] if cut > 0 else shown[0]
    return " ".join(shown)


def _fuzzy_person(words: list[str], kind: str, entities: list[Local]) -> int | None:
    """A full name with one slip in the surname and the same given name."""
    fits = [i for i, e in enumerate(entities)
            if e.type == kind and e.given and e.given == words[0]
            and similar_surname(e.surname, surname(words))]
    return fits[0] if len(fits) == 1 else None


def _single_person(m: Mention, lexicon: Lexicon, entities: list[Local],
                   mentions: list[Mention], by_key: dict[tuple[str, str], int],
                   add: Adder) -> int:
    """A person named by surname alone (``بوتين``, ``لبوتين``, ``بن سالم``): the full name in
    the article with that surname, else with that surname misspelt, else with that given
    name — each only when one person fits — else its own entity."""
    words = _name_words(m, lexicon)[1]
    name = " ".join(words)
    forms = [" ".join([form, *words[1:]]) for form in first_word_forms(words[0])]
    persons = [i for i, e in enumerate(entities) if e.type == "PER"]
    for form in forms:
        exact = [i for i in persons if entities[i].surname == form]
        if len(exact) > 1:  # two people share the surname: the nearest one before
            before = [x for x in mentions if x.entity in exact and x.start < m.start]
            return max(before, key=lambda x: x.start).entity if before else exact[0]
        if exact:
            return exact[0]
    for fits in ([i for i in persons if entities[i].keys and
                  similar_surname(entities[i].surname, name)],
                 [i for i in persons if entities[i].given in forms]):
        if len(fits) == 1:
            return fits[0]
    for form in forms:
        if ("PER", form) in by_key:
            return by_key[("PER", form)]
    latin = not ARABIC_LETTERS_RE.search(m.text)
    return add(Local("PER", _display(m.text, words), [name], latin=latin), ("PER", name))


def _role_mentions(text: str, mentions: list[Mention], roles: dict[str, set[int]],
                   entities: list[Local]) -> None:
    """``الرئيس الروسي`` alone, after ``الرئيس الروسي فلاديمير بوتين``: a role mention."""
    taken = [(m.start, m.end) for m in mentions]
    for role, owners in roles.items():
        if len(owners) != 1 or len(role.split()) < 2:
            continue
        owner = next(iter(owners))
        first = min((m.start for m in mentions if m.entity == owner), default=len(text))
        pattern = r"(?<!\w)[وفبل]?" + r"\s+".join(_folded_letters(w) for w in words_key(role))
        for hit in re.finditer(pattern + r"(?!\w)", text):
            if hit.start() < first or any(s < hit.end() and hit.start() < e for s, e in taken):
                continue
            mentions.append(Mention(hit.start(), hit.end(), hit.group(), "PER", "role", role,
                                    owner))


_FOLD_CLASSES = {"ا": "[اأإآٱ]", "ه": "[هة]", "ي": "[يىئ]", "و": "[وؤ]"}


def _folded_letters(word: str) -> str:
    """A regex matching ``word`` (folded) in unfolded text, diacritics allowed."""
    return "".join(_FOLD_CLASSES.get(ch, re.escape(ch)) + "[\u064b-\u065f\u0670]*"
                   for ch in word)


# -- across articles -----------------------------------------------------------------------
def new_id(kind: str, key: str) -> str:
    digest = hashlib.blake2b(f"{kind}|{key}".encode(), digest_size=6).hexdigest()
    return f"{kind.lower()}:{digest}"


class EntityLinker:
    """Resolve each article's local entities to stored entity ids (writer side)."""

    def __init__(self, index: EntityIndex, forbidden: frozenset[frozenset[str]] = frozenset()
                 ) -> None:
        self.index = index
        self.forbidden = forbidden

    def link(self, articles: list[Any]) -> EntityRows:
        rows = EntityRows()
        for article in articles:
            found = article.work.get("entities")
            if found is None:
                continue
            locals_ = [Local(**e) for e in found["entities"]]
            ids = [self._resolve(local, rows) for local in locals_]
            article.work["entity_ids"] = ids  # for the quote linker after this one
            rows.forget.append(article.id)
            for m in found["mentions"]:
                if m["entity"] >= 0:
                    rows.mentions.append((article.id, ids[m["entity"]], m["start"], m["end"],
                                          m["text"], m["kind"], m["role"]))
        return rows

    def _resolve(self, local: Local, rows: EntityRows) -> str:
        ident = local.gazetteer or self._find(local, rows)
        if ident is None:
            ident = new_id(local.type, local.keys[0] if local.keys else local.name)
        rows.add_entity(ident, local.name, local.type, bool(local.gazetteer))
        for key in local.keys:
            rows.add_key(key, "name", ident, local.type)
        if local.type == "PER" and local.surname:
            rows.add_key(local.surname, "surname", ident, local.type)
            for form in deletions(local.surname):
                rows.add_key(form, "surname-1", ident, local.type)
        for key in local.keys:
            rows.add_key(skeleton(key), "skeleton", ident, local.type)
        return ident

    def _find(self, local: Local, rows: EntityRows) -> str | None:
        for key in local.keys:
            hits = rows.lookup(self.index, key, "name", local.type)
            if hits:
                return hits[0]
        if local.type != "PER":
            return None
        candidates = rows.lookup(self.index, local.surname, "surname", "PER")
        if not candidates and not local.latin:  # a slip in the surname: بارنون / بارنو
            probes = [(local.surname, "surname-1")] + [
                (form, kind) for form in deletions(local.surname)
                for kind in ("surname", "surname-1")]
            candidates = list(dict.fromkeys(
                c for key, kind in probes for c in rows.lookup(self.index, key, kind, "PER")))
        if local.latin or not candidates:
            candidates = candidates or rows.lookup(
                self.index, skeleton(local.keys[0]), "skeleton", "PER")
        fitting = [c for c in candidates if self._compatible(local, c, rows)]
        return fitting[0] if len(fitting) == 1 else None

    def _compatible(self, local: Local, candidate: str, rows: EntityRows) -> bool:
        their = rows.keys_of(self.index, candidate)
        for mine in local.keys:
            for other in their:
                if frozenset((mine, other)) in self.forbidden:
                    return False
        if local.latin:
            return any(skeleton(k) == skeleton(o) or skeleton(k).split()[-1:] ==
                       skeleton(o).split()[-1:] for k in local.keys for o in their)
        mine_surname = local.surname
        if not any(surname(o.split()) == mine_surname
                   or similar_surname(surname(o.split()), mine_surname) for o in their):
            return False
        given = local.given
        for other in their:
            words = other.split()
            if not ARABIC_LETTERS_RE.search(other):
                continue
            if given and len(words) >= 2 and words[0] != given and \
                    edit_distance(words[0], given, 1) > 1:
                return False
        return True
