"""Readers for the NER gold sets in ../shared/evaldata, mapped to khabar's four types.

Type mapping (written down here and in docs/entities.md):

* NewsFANE (fine-grained, ACE-like) → PER: Politician, Athlete, Artist, Other_PER,
  Religious_PER, Scientist, Businessperson, Lawyer, Engineer, Police; LOC: Nation,
  Population-Center, State-or-Province, County-or-District, GPE-Cluster, Continent,
  Water-Body, Land-Region-Natural, Celestial, Building-Grounds, Airport, Path,
  Subarea-Facility, Plant; ORG: Government, Non-Governmental, Commercial, Educational,
  Media, Sports, Religious_ORG, Medical-Science, Entertainment; MISC: Book, Movie,
  Software, Hardware, Food, Drug, Air, Land, Water, Projectile, Shooting; O: Group
  (peoples such as العرب, which khabar links as adjectives instead).
  NewsFANE leaves currencies and religions O; khabar calls them MISC (as Wojood's CURR and
  ANERcorp do), so single-word currency and religion names from our own list below are
  relabelled MISC.
* Wojood (nested) → PER: PERS; LOC: GPE, LOC, FAC; ORG: ORG; MISC: EVENT, CURR, PRODUCT;
  everything else (NORP, OCC, DATE, TIME, numbers, LAW, WEBSITE, LANGUAGE …) O. The
  outermost span whose mapped type is not O wins, so an ORG inside an OCC span survives.
* ANERcorp → PERS becomes PER; LOC, ORG, MISC unchanged.

NewsFANE splits clitics off (``و الصادرات``, ``حارة نا``); they are joined back so its
tokens look like running text. NewsFANE is ANERcorp re-annotated: segments sharing ≥ 10%
of their 12-character sequences with the ANERcorp test split are dropped before use.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from khabar.text.arabic import fold

Sentence = tuple[list[str], list[str]]  # tokens, BIO tags

SHARED = Path(os.environ.get("KHABAR_SHARED", Path(__file__).resolve().parents[2] / "shared"))
EVAL = SHARED / "evaldata"
NEWSFANE = EVAL / "newsfane-gold" / "NewsFANE_Gold_2014_170K.txt"
WOJOOD = EVAL / "wojood-sample"
ANER_TRAIN = EVAL / "anercorp-camel-train" / "ANERCorp_CamelLab_train.txt"
ANER_TEST = EVAL / "anercorp-camel-test" / "ANERCorp_CamelLab_test.txt"

NEWSFANE_TYPES = {
    **dict.fromkeys(("Politician", "Athlete", "Artist", "Other_PER", "Religious_PER",
                     "Scientist", "Businessperson", "Lawyer", "Engineer", "Police"), "PER"),
    **dict.fromkeys(("Nation", "Population-Center", "State-or-Province", "County-or-District",
                     "GPE-Cluster", "Continent", "Water-Body", "Land-Region-Natural",
                     "Celestial", "Building-Grounds", "Airport", "Path", "Subarea-Facility",
                     "Plant"), "LOC"),
    **dict.fromkeys(("Government", "Non-Governmental", "Commercial", "Educational", "Media",
                     "Sports", "Religious_ORG", "Medical-Science", "Entertainment"), "ORG"),
    **dict.fromkeys(("Book", "Movie", "Software", "Hardware", "Food", "Drug", "Air", "Land",
                     "Water", "Projectile", "Shooting"), "MISC"),
}
WOJOOD_TYPES = {"PERS": "PER", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "ORG": "ORG",
                "EVENT": "MISC", "CURR": "MISC", "PRODUCT": "MISC"}
ANER_TYPES = {"PERS": "PER", "LOC": "LOC", "ORG": "ORG", "MISC": "MISC"}

# Our own list: currency and religion names that khabar tags MISC (folded, no article).
MISC_WORDS = frozenset(fold(w) for w in [
    "دولار", "دولارا", "دولارات", "يورو", "درهم", "دراهم", "جنيه", "جنيها", "جنيهات", "ريال",
    "ريالات", "دينار", "دنانير", "ليرة", "ليرات", "شيكل", "روبل", "يوان", "فرنك", "روبية",
    "استرليني", "إسلام", "مسيحية", "يهودية", "بوذية", "هندوسية",
])
PROCLITICS = frozenset({"و", "ف", "ب", "ل", "ك", "س"})
ENCLITICS = frozenset({"ه", "ها", "هم", "هما", "هن", "نا", "ي", "كم", "كما", "كن"})


def _spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, type) of the BIO spans in one tag column (I without B opens a span)."""
    spans, start, kind = [], None, ""
    for i, tag in enumerate([*tags, "O"]):
        inside = tag.startswith("I-") and start is not None and tag[2:] == kind
        if start is not None and not inside:
            spans.append((start, i, kind))
            start = None
        if tag.startswith("B-") or (tag.startswith("I-") and start is None):
            start, kind = i, tag[2:]
    return spans


def _bio(n: int, spans: list[tuple[int, int, str]]) -> list[str]:
    tags = ["O"] * n
    for start, end, kind in spans:
        tags[start] = "B-" + kind
        for i in range(start + 1, end):
            tags[i] = "I-" + kind
    return tags


def _mapped(tags: list[str], mapping: dict[str, str]) -> list[str]:
    spans = [(s, e, mapping[k]) for s, e, k in _spans(tags) if k in mapping]
    return _bio(len(tags), spans)


def read_conll(path: Path, sep: str | None = None) -> Iterator[tuple[list[str], list[list[str]]]]:
    """Blocks of (tokens, tag columns per token) separated by blank lines."""
    tokens: list[str] = []
    columns: list[list[str]] = []
    with open(path, encoding="utf-8-sig") as handle:
        for line in handle:
            parts = line.rstrip("\r\n").split(sep)
            if not parts or not parts[0].strip():
                if tokens:
                    yield tokens, columns
                tokens, columns = [], []
                continue
            tokens.append(parts[0])
            columns.append(parts[1:])
    if tokens:
        yield tokens, columns


def anercorp(path: Path) -> list[Sentence]:
    return [(toks, _mapped([c[0] for c in cols], ANER_TYPES)) for toks, cols in read_conll(path)]


def wojood_layers(split: str) -> Iterator[tuple[list[str], list[tuple[int, int, str]]]]:
    """Tokens of each Wojood segment (line-break markers dropped) and its spans in every
    nesting layer, with Wojood's own types."""
    for toks, cols in read_conll(WOJOOD / f"{split}.txt"):
        keep = [i for i, t in enumerate(toks) if t != "$#$"]
        toks = [toks[i] for i in keep]
        cols = [cols[i] for i in keep]
        depth = max(len(c) for c in cols)
        yield toks, [span for level in range(depth)
                     for span in _spans([c[level] if level < len(c) else "O" for c in cols])]


def wojood(split: str) -> list[Sentence]:
    out = []
    for toks, layers in wojood_layers(split):
        chosen: list[tuple[int, int, str]] = []
        candidates = [(s, e, WOJOOD_TYPES[k]) for s, e, k in layers if k in WOJOOD_TYPES]
        for s, e, k in sorted(candidates, key=lambda x: (x[0] - x[1], x[0])):
            if all(e <= cs or s >= ce for cs, ce, _ in chosen):
                chosen.append((s, e, k))
        out.append((toks, _bio(len(toks), sorted(chosen))))
    return out


def _newsfane_segments() -> Iterator[tuple[list[str], list[str]]]:
    tokens: list[str] = []
    tags: list[str] = []
    with open(NEWSFANE, encoding="utf-8-sig") as handle:
        for line in handle:
            parts = line.rstrip("\r\n").split("\t")
            token = parts[0].replace("\u200e", "").strip()
            if not token:
                if tokens:
                    yield tokens, tags
                tokens, tags = [], []
                continue
            tokens.append(token)
            tags.append(parts[1] if len(parts) > 1 else "O")
    if tokens:
        yield tokens, tags


def _grams(text: str, n: int = 12) -> set[str]:
    squeezed = "".join(fold(text).split())
    return {squeezed[i:i + n] for i in range(max(0, len(squeezed) - n + 1))}


def _join_clitics(tokens: list[str], tags: list[str]) -> Sentence:
    out_t: list[str] = []
    out_g: list[str] = []
    pending = ""
    for token, tag in zip(tokens, tags, strict=True):
        if token in PROCLITICS and tag == "O":
            pending += token
            continue
        if token in ENCLITICS and tag in ("O",) and out_t and out_t[-1][-1:].isalpha():
            out_t[-1] += token
            continue
        out_t.append(pending + token)
        out_g.append(tag)
        pending = ""
    return out_t, out_g


def _misc_words(tokens: list[str], tags: list[str]) -> list[str]:
    tags = list(tags)
    for i, token in enumerate(tokens):
        word = fold(token)
        stems = [word]
        if word[:1] in PROCLITICS and len(word) > 4:
            stems.append(word[1:])
        stems.extend(s[2:] for s in list(stems) if s.startswith("ال"))
        if tags[i] == "O" and any(s in MISC_WORDS for s in stems):
            tags[i] = "B-MISC"
    return tags


def newsfane(max_overlap: float = 0.10) -> tuple[list[Sentence], int]:
    """Filtered NewsFANE sentences and the number of segments dropped for overlapping
    the ANERcorp test split."""
    test_grams: set[str] = set()
    for toks, _ in read_conll(ANER_TEST, " "):
        test_grams |= _grams(" ".join(toks))
    kept, dropped = [], 0
    for tokens, tags in _newsfane_segments():
        grams = _grams(" ".join(tokens))
        if grams and len(grams & test_grams) / len(grams) >= max_overlap:
            dropped += 1
            continue
        joined, joined_tags = _join_clitics(tokens, _mapped(tags, NEWSFANE_TYPES))
        kept.append((joined, _misc_words(joined, joined_tags)))
    return kept, dropped


def split_heldout(sentences: list[Sentence], block: int = 40,
                  every: int = 10) -> tuple[list[Sentence], list[Sentence]]:
    """The last ``block`` segments of every ``every`` blocks are held out: contiguous runs,
    so held-out text mostly comes from articles the model never saw (deterministic)."""
    held_out = [(i // block) % every == every - 1 for i in range(len(sentences))]
    train = [s for s, out in zip(sentences, held_out, strict=True) if not out]
    held = [s for s, out in zip(sentences, held_out, strict=True) if out]
    return train, held

