"""``entities.v1``: named entities of each article (PER, LOC, ORG, MISC) with offsets into
``text``, from khabar's own CRF model (the adapter for python-crfsuite) and its gazetteer,
grouped into the article's entities by :mod:`khabar.extract.aliases`. The writer links them
to stored entities (``EntityLinker``)."""

from __future__ import annotations

import logging
import re
import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path

from khabar.errors import AliasesFileError
from khabar.extract.aliases import Mention, group
from khabar.extract.crf import LinearCRF
from khabar.extract.features import TOKEN_RE, Featurizer, analyse
from khabar.extract.lexicon import Entry, Lexicon, Match, shipped
from khabar.extract.names import words_key
from khabar.model import Article
from khabar.settings import Settings
from khabar.text.tokenize import sentence_spans

log = logging.getLogger(__name__)
MODEL_FILE = "ner.crfsuite"
TYPES = ("PER", "LOC", "ORG", "MISC")


class Tagger:
    """The shipped CRF over the sentences of a document, plus the gazetteer."""

    def __init__(self, featurizer: Featurizer, model: Path | None = None) -> None:
        self.featurizer = featurizer
        path = model or Path(str(resources.files("khabar.data").joinpath(MODEL_FILE)))
        self.crf = LinearCRF(path, featurizer)

    def tag_document(self, sentences: list[list[str]],
                     matches: list[list[Match]] | None = None) -> list[list[str]]:
        """BIO tags of each sentence of one document (an article); a name tagged in one
        place is tagged wherever else the document writes it."""
        lexicon = self.featurizer.lexicon
        matches = matches or [lexicon.find(words) for words in sentences]
        scores = [self.crf.scores(words, self.featurizer.gazetteer(words, found))
                  for words, found in zip(sentences, matches, strict=True) if words]
        decoded = iter(self.crf.decode(scores))
        return propagate(sentences, [next(decoded) if words else [] for words in sentences])

    def mentions(self, text: str) -> list[Mention]:
        """Entity mentions of ``text`` as offsets into it; the gazetteer adds names the
        model missed and place adjectives."""
        found: list[Mention] = []
        sentences = [[(m.start(), m.end(), m.group()) for m in TOKEN_RE.finditer(text, s, e)]
                     for s, e in sentence_spans(text)]
        words_of = [[t[2] for t in tokens] for tokens in sentences]
        lexicon = self.featurizer.lexicon
        matches = [lexicon.find(words) for words in words_of]
        tagged = self.tag_document(words_of, matches)
        for tokens, words, tags, known in zip(sentences, words_of, tagged, matches,
                                              strict=True):
            taken = [False] * len(words)
            for first, last, kind in _spans(tags):
                while last - first > 1 and _LOOSE_RE.match(words[last - 1]):
                    last -= 1
                found.append(Mention(tokens[first][0], tokens[last - 1][1],
                                     text[tokens[first][0]:tokens[last - 1][1]], kind))
                taken[first:last] = [True] * (last - first)
            for match in known:
                if any(taken[match.start:match.end]) or (
                        match.kind == "name" and match.end - match.start == 1
                        and lexicon.cue("gazetteer.needs_context",
                                        (analyse(words[match.start])[2],))):
                    continue
                s, e = tokens[match.start][0], tokens[match.end - 1][1]
                found.append(Mention(s, e, text[s:e], match.entry.type, match.kind))
        return sorted(found, key=lambda m: m.start)


def propagate(sentences: list[list[str]], tags: list[list[str]]) -> list[list[str]]:
    """One sense per document: untagged repeats of a name tagged elsewhere in it (with or
    without proclitics) get that name's type; names tagged with two types are left alone."""
    stems = [[analyse(w)[2] for w in words] for words in sentences]
    folded = [[analyse(w)[0] for w in words] for words in sentences]
    names: dict[tuple[str, ...], str | None] = {}
    for stem, fold, sentence_tags in zip(stems, folded, tags, strict=True):
        for first, last, kind in _spans(sentence_tags):
            key = (stem[first], *fold[first + 1:last])
            if len(key) > 1 or len(key[0]) >= 3:
                names[key] = kind if names.get(key, kind) == kind else None
    if not names:
        return tags
    starts = {key[0] for key in names}
    longest = max(len(key) for key in names)
    out = []
    for stem, fold, sentence_tags in zip(stems, folded, tags, strict=True):
        sentence_tags = list(sentence_tags)
        i = 0
        while i < len(stem):
            if stem[i] in starts and sentence_tags[i] == "O":
                for n in range(min(longest, len(stem) - i), 0, -1):
                    known = names.get((stem[i], *fold[i + 1:i + n]))
                    if known and sentence_tags[i:i + n] == ["O"] * n:
                        sentence_tags[i:i + n] = ["B-" + known] + ["I-" + known] * (n - 1)
                        i += n - 1
                        break
            i += 1
        out.append(sentence_tags)
    return out


# A lone proclitic with tatweel (لـ بـ), or a conjunction, never ends a name.
_LOOSE_RE = re.compile(r"^(?:[وفبلك]\u0640*|[وفبلك]?\u0640+)$|^\W+$")


def _spans(tags: list[str]) -> list[tuple[int, int, str]]:
    spans, start, kind = [], -1, ""
    for i, tag in enumerate([*tags, "O"]):
        if start >= 0 and not (tag.startswith("I-") and tag[2:] == kind):
            spans.append((start, i, kind))
            start = -1
        if tag.startswith("B-") or (tag.startswith("I-") and start < 0):
            start, kind = i, tag[2:]
    return spans


def user_entries(path: str) -> tuple[list[Entry], frozenset[frozenset[str]]]:
    """Entries and forbidden pairs from a user's ``aliases.toml`` (see docs/entities.md)."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise AliasesFileError(f"cannot read aliases file {path}: {exc}") from exc
    entries = []
    for i, item in enumerate(data.get("entity", [])):
        if not isinstance(item, dict) or not item.get("name") or \
                item.get("type", "PER") not in TYPES:
            raise AliasesFileError(f"{path}: [[entity]] #{i + 1} needs a name and a type in "
                             f"{', '.join(TYPES)}")
        record = {"id": item.get("id") or f"user:{' '.join(words_key(item['name']))}",
                  "type": "PER", "kind": "user", **item}
        entries.append(Entry(**{k: v for k, v in record.items()
                                if k in Entry.__dataclass_fields__}))
    forbidden: set[frozenset[str]] = set()
    for i, item in enumerate(data.get("forbid", [])):
        names = item.get("names", []) if isinstance(item, dict) else []
        if len(names) < 2:
            raise AliasesFileError(f"{path}: [[forbid]] #{i + 1} needs at least two names")
        keys = [" ".join(words_key(n)) for n in names]
        forbidden.update(frozenset((a, b)) for a in keys for b in keys if a != b)
    return entries, frozenset(forbidden)


@lru_cache(maxsize=4)
def lexicon_for(aliases_file: str) -> tuple[Lexicon, frozenset[frozenset[str]]]:
    """The shipped lexicon, with the user's entries first when an aliases file is set."""
    if not aliases_file:
        return shipped(), frozenset()
    entries, forbidden = user_entries(aliases_file)
    lexicon = shipped().extended(entries)
    return lexicon, forbidden


class EntityStage:
    name = "entities.v1"

    def __init__(self, settings: Settings) -> None:
        self.lexicon, _ = lexicon_for(settings["entities.aliases_file"])
        self.tagger = Tagger(Featurizer(self.lexicon))
        self.max_chars: int = settings["entities.max_chars"]

    def __call__(self, article: Article) -> Article:
        if article.language not in (None, "ar"):
            article.work["entities"] = {"entities": [], "mentions": []}
            return article
        text = article.text[:self.max_chars]
        mentions = self.tagger.mentions(text)
        entities = group(text, mentions, self.lexicon)
        article.work["entities"] = {
            "entities": [e.to_dict() for e in entities],
            "mentions": [m.to_dict() for m in mentions if m.entity >= 0],
        }
        log.debug("%s: %d mentions of %d entities", article.id,
                  len(article.work["entities"]["mentions"]), len(entities))
        return article
