"""Checks on the shipped name data: gazetteer.jsonl, given_names.txt and triggers.toml."""

from __future__ import annotations

import json
import re
import tomllib
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

import khabar
from khabar.text.arabic import LATIN_LETTERS_RE, fold

DATA = Path(khabar.__file__).resolve().parent / "data"
GAZETTEER = DATA / "gazetteer.jsonl"
GIVEN_NAMES = DATA / "given_names.txt"
TRIGGERS = DATA / "triggers.toml"

TYPES = {"PER", "LOC", "ORG", "MISC"}
KIND_TYPE = {
    "country": "LOC",
    "capital": "LOC",
    "city": "LOC",
    "region": "LOC",
    "intl_org": "ORG",
    "government": "ORG",
    "armed_group": "ORG",
    "party": "ORG",
    "media": "ORG",
    "company": "ORG",
    "person": "PER",
    "event_misc": "MISC",
}
ID_PREFIX = {"LOC": "loc", "ORG": "org", "PER": "per", "MISC": "misc"}
ID_RE = re.compile(r"^(loc|org|per|misc):[a-z0-9]+(?:-[a-z0-9]+)*$")
ARABIC_RE = re.compile(r"[\u0621-\u064a]")
VOWELLED_RE = re.compile(r"[\u064b-\u0652]")
REQUIRED: dict[str, type | tuple[type, ...]] = {
    "id": str,
    "type": str,
    "kind": str,
    "name": str,
    "en": str,
    "aliases": list,
    "latin": list,
    "adjectives": list,
    "in": (str, type(None)),
}
PERSON_FIELDS: dict[str, type] = {"given": list, "family": list, "role": str}
OPTIONAL: dict[str, type] = {"note": str}
# Kinds whose entries may (and, for cities, regions and government bodies, should) say
# which country they are in.
IN_KINDS = {"capital", "city", "region", "government"}

# Pairs of entries that genuinely share a written name. Keep this short: other collisions
# are fixed in the data.
AMBIGUOUS = {
    frozenset({"loc:tripoli", "loc:tripoli-lebanon"}),  # طرابلس (Libya, Lebanon)
    frozenset({"loc:amman", "loc:oman"}),  # عمّان / عُمان differ only in diacritics
    frozenset({"loc:quneitra", "loc:kenitra"}),  # القنيطرة (Syria, Morocco)
    frozenset({"loc:byblos", "loc:jubail"}),  # جبيل (Lebanon) / الجبيل (Saudi Arabia)
}
# Proclitics khabar strips itself (see khabar.text.tokenize); no alias may be one of these
# plus another alias of the same entry.
PROCLITICS = ("و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك")


def load_gazetteer() -> list[dict[str, Any]]:
    entries = []
    for number, line in enumerate(GAZETTEER.read_text(encoding="utf-8").splitlines(), 1):
        assert line.strip(), f"line {number} is blank"
        entry = json.loads(line)
        assert isinstance(entry, dict), f"line {number} is not an object"
        entries.append(entry)
    return entries


ENTRIES = load_gazetteer()
BY_ID = {entry["id"]: entry for entry in ENTRIES}


def key(form: str) -> str:
    """The folded form with a leading article removed: what a lookup would compare."""
    folded = fold(form)
    return folded[2:] if folded.startswith("ال") and len(folded) > 3 else folded


def surface_forms(entry: dict[str, Any]) -> list[str]:
    return [*entry["aliases"], *entry["adjectives"]]


def test_gazetteer_is_not_empty() -> None:
    assert len(ENTRIES) > 1000


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: str(e.get("id")))
def test_entry_fields(entry: dict[str, Any]) -> None:
    allowed = set(REQUIRED) | set(OPTIONAL)
    if entry.get("kind") == "person":
        allowed |= set(PERSON_FIELDS)
    assert set(entry) >= set(REQUIRED), f"missing {set(REQUIRED) - set(entry)}"
    assert set(entry) <= allowed, f"unexpected {set(entry) - allowed}"
    for field, kind in {**REQUIRED, **OPTIONAL}.items():
        if field in entry:
            assert isinstance(entry[field], kind), field
    assert ID_RE.match(entry["id"]), entry["id"]
    assert entry["type"] in TYPES
    assert entry["kind"] in KIND_TYPE
    assert KIND_TYPE[entry["kind"]] == entry["type"]
    assert entry["id"].split(":")[0] == ID_PREFIX[entry["type"]]
    assert entry["name"] in entry["aliases"], "the canonical name is one of the aliases"
    assert ARABIC_RE.search(entry["name"])
    assert entry["en"] and entry["en"] in entry["latin"]
    for field in ("aliases", "latin", "adjectives"):
        values = entry[field]
        assert all(isinstance(value, str) for value in values), field
        assert all(value and value == value.strip() for value in values), field
        assert all("  " not in value for value in values), field
        assert len(values) == len(set(values)), f"repeated {field}"
    for field in ("aliases", "adjectives"):
        # A vowelled spelling (عمّان for Amman, عُمان for Oman) is kept on purpose: it
        # tells homographs apart when a text carries the marks.
        folded = [fold(value) for value in entry[field] if not VOWELLED_RE.search(value)]
        assert len(folded) == len(set(folded)), f"{field} that differ only in folding"
    for form in surface_forms(entry):
        assert ARABIC_RE.search(form) and not LATIN_LETTERS_RE.search(form), form
    for form in entry["latin"]:
        assert not ARABIC_RE.search(form), form
    if entry["type"] != "LOC":
        assert entry["adjectives"] == []
    if entry["kind"] == "person":
        for field, kind in PERSON_FIELDS.items():
            assert isinstance(entry[field], kind), field
        assert entry["given"] and entry["role"]
        for part in entry["given"] + entry["family"]:
            assert isinstance(part, str) and part and part == part.strip()
            assert ARABIC_RE.search(part)
    if entry["kind"] not in IN_KINDS:
        assert entry["in"] is None, "only places and government bodies are placed"


def test_ids_are_unique() -> None:
    counts = Counter(entry["id"] for entry in ENTRIES)
    assert not [entry_id for entry_id, count in counts.items() if count > 1]


def test_in_points_at_a_place() -> None:
    for entry in ENTRIES:
        target = entry["in"]
        if target is None:
            continue
        assert target in BY_ID, f"{entry['id']}: unknown {target}"
        assert BY_ID[target]["kind"] == "country", f"{entry['id']}: {target} is not a country"
        assert target != entry["id"]


def test_every_capital_is_placed() -> None:
    for entry in ENTRIES:
        if entry["kind"] == "capital":
            assert entry["in"], entry["id"]
    capitals = defaultdict(list)
    for entry in ENTRIES:
        if entry["kind"] == "capital":
            capitals[entry["in"]].append(entry["id"])
    assert all(len(ids) == 1 for ids in capitals.values()), capitals


def test_no_clitic_prefixed_duplicates() -> None:
    problems = []
    for entry in ENTRIES:
        forms = {fold(form) for form in surface_forms(entry)}
        for form in forms:
            for prefix in PROCLITICS:
                if not form.startswith(prefix):
                    continue
                rest = form[len(prefix) :]
                if rest in forms or (prefix.endswith("ل") and "ا" + rest in forms):
                    problems.append((entry["id"], form))
    assert not problems


def test_no_form_shared_between_entries() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for entry in ENTRIES:
        for form in surface_forms(entry):
            owners[key(form)].add(entry["id"])
    shared = {
        form: sorted(ids)
        for form, ids in owners.items()
        if len(ids) > 1 and not (len(ids) == 2 and frozenset(ids) in AMBIGUOUS)
    }
    assert not shared


def test_ambiguous_list_is_still_needed() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for entry in ENTRIES:
        for form in surface_forms(entry):
            owners[key(form)].add(entry["id"])
    used = {frozenset(ids) for ids in owners.values() if len(ids) == 2}
    assert used >= AMBIGUOUS


def test_person_names_are_their_parts() -> None:
    for entry in ENTRIES:
        if entry["kind"] != "person":
            continue
        folded = {fold(alias) for alias in entry["aliases"]}
        for family in entry["family"]:
            assert any(fold(family) in alias for alias in folded), (entry["id"], family)


def test_given_names() -> None:
    lines = GIVEN_NAMES.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("#")
    names = [line for line in lines if line and not line.startswith("#")]
    assert len(names) > 500
    assert all(name == name.strip() and "  " not in name for name in names)
    assert all(ARABIC_RE.search(name) and not LATIN_LETTERS_RE.search(name) for name in names)
    folded: dict[str, str] = {}
    duplicates = []
    for name in names:
        if fold(name) in folded:
            duplicates.append((name, folded[fold(name)]))
        folded.setdefault(fold(name), name)
    assert not duplicates
    assert {"محمد", "أحمد", "فاطمة", "عبد الله", "جون", "فلاديمير"} <= set(names)


def test_triggers() -> None:
    with TRIGGERS.open("rb") as handle:
        triggers = tomllib.load(handle)
    expected = {
        "person": {"titles", "speech_verbs"},
        "org": {"heads"},
        "location": {"heads", "prepositions"},
        "misc": {"heads"},
    }
    for section, keys in expected.items():
        assert section in triggers, section
        assert set(triggers[section]) >= keys, section
        for name in keys:
            words = triggers[section][name]
            assert isinstance(words, list) and len(words) >= 20, (section, name)
            assert all(isinstance(word, str) and word == word.strip() for word in words)
            assert all(ARABIC_RE.search(word) for word in words), (section, name)
            folded = [fold(word) for word in words]
            assert len(folded) == len(set(folded)), f"{section}.{name} repeats a word"
    assert {"الرئيس", "وزير الخارجية", "المتحدث باسم"} <= set(triggers["person"]["titles"])
    assert {"قال", "قالت", "أكد"} <= set(triggers["person"]["speech_verbs"])
