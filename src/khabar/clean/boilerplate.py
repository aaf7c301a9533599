"""Boilerplate: classify every line of a page and keep the article's body, character for character.

Each line becomes one of KINDS. Body lines stay in ``Article.text`` exactly as they were, in
order; the headline, sub-headings, captions, byline, dateline and source line become
structured fields; everything else (widgets, comments, related-article lists, promos,
other-language spans, repeated blocks) is recorded in ``meta["removed"]`` with its kind and
line number, so the page can be rebuilt and reprocessed.

Evidence, in order: the comment and related-article zones that end a page; cue phrases in
Arabic and English (``cues.py``); repeats of the title or of an earlier block (compared in
the matching form); lines an outlet repeats on many pages (``OutletMemory``); photo credits;
the script of the line against the article's; datelines at the start of the lead; and the
shape of short lines between paragraphs (sub-headings).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from khabar.clean import cues
from khabar.model import Article
from khabar.settings import Settings
from khabar.text.arabic import ARABIC_LETTERS_RE, LATIN_LETTERS_RE, fold, script_counts

KINDS = ("body", "headline", "heading", "caption", "byline", "dateline", "source", "related",
         "comments", "widget", "promo", "other_language", "duplicate", "outlet_boilerplate")
_TERMINAL_RE = re.compile(r"[.!?؟…:؛]['\"”»’)\]]*\s*$")
_SENTENCE_END_RE = re.compile(r"[.!?؟…]['\"”»’)\]]*\s*$")
_DIGITS_ONLY_RE = re.compile(r"^[\W\d_]{0,6}$")
HEAD = 300
_TITLE_SEPARATORS_RE = re.compile(r"\s+[|\-–—:~•]\s+|\s*[|•]\s*")


@dataclass
class Block:
    index: int
    text: str
    kind: str = "body"
    why: str = ""


TITLE_PREFIX = "title:"
SHORT_LINE = 100  # longer lines are never counted as an outlet's furniture


@dataclass
class OutletMemory:
    """What each outlet prints on many of its pages, in the matching form: short lines
    (taglines, widgets in its own words) and headline affixes ("title:" + the part).
    Learnt by the store from every page ingested (``BoilerplateStage`` lists each page's
    candidates in ``work["outlet_lines"]``) and loaded by the Engine for each run."""

    lines: dict[str, set[str]] = field(default_factory=dict)

    def line(self, outlet: str | None, folded: str) -> bool:
        return bool(outlet) and folded in self.lines.get(outlet or "", ())

    def affix(self, outlet: str | None, folded: str) -> bool:
        return self.line(outlet, TITLE_PREFIX + folded)


def outlet_lines(title: str | None, folded_lines: list[str]) -> set[str]:
    """The candidates a page contributes to its outlet's memory."""
    found = {line for line in folded_lines if 0 < len(line) <= SHORT_LINE}
    parts = _TITLE_SEPARATORS_RE.split(title or "")
    if len(parts) > 1:
        found.update(TITLE_PREFIX + folded for folded in map(_fold, parts)
                     if 0 < len(folded) <= 60)
    return found


# -- one line at a time ------------------------------------------------------------------


def _fold(text: str) -> str:
    return fold(text).strip()


def _is_prose(text: str) -> bool:
    """Long enough and ending like a sentence: a paragraph of the article."""
    return len(text) >= 80 or (len(text.split()) >= 8 and _SENTENCE_END_RE.search(text) is not None)


def _other_script(text: str, article_arabic: bool) -> bool:
    head = text[:HEAD]
    if not (LATIN_LETTERS_RE if article_arabic else ARABIC_LETTERS_RE).search(head):
        return False
    arabic, latin = script_counts(head)
    if arabic + latin < 12:
        return False
    return latin > 3 * arabic if article_arabic else arabic > 3 * latin


def _same_as(folded: str, earlier: str, minimum: int = 12) -> bool:
    """Equal, or one a truncation of the other: at least ``minimum`` characters and 40% of
    the longer, or any three words or more when the cut is marked with an ellipsis."""
    if folded == earlier:
        return True
    shorter, longer = sorted((folded, earlier), key=len)
    trimmed = shorter.rstrip(". …")
    if len(trimmed) < minimum or not longer.startswith(trimmed):
        return False
    marked = shorter.endswith(("...", "…")) and len(trimmed.split()) >= 3
    return marked or len(trimmed) >= 0.4 * len(longer)


class _Seen:
    """Blocks met so far, indexed by their first characters so repeats are found fast."""

    KEY = 12

    def __init__(self) -> None:
        self.by_start: dict[str, list[str]] = {}

    def add(self, folded: str) -> None:
        self.by_start.setdefault(folded[: self.KEY], []).append(folded)

    def repeats(self, folded: str) -> bool:
        return any(_same_as(folded, earlier)
                   for earlier in self.by_start.get(folded[: self.KEY], ()))


def arabic_text(text: str) -> bool:
    """Mostly Arabic script (judged on the first 2,000 characters)."""
    arabic, latin = script_counts(text[:2000])
    return arabic >= latin


class Classifier:
    """Classifies the lines of one article."""

    def __init__(self, article: Article, memory: OutletMemory, arabic: bool) -> None:
        self.article = article
        self.memory = memory
        self.title = _fold(article.title or "")
        self.arabic = arabic
        self.blocks = [Block(i, line) for i, line in enumerate(article.text.split("\n"))]
        # cues and repeats show in a line's start: long paragraphs are compared by theirs
        self.folded = [_fold(b.text[:HEAD]) for b in self.blocks]

    def run(self) -> list[Block]:
        zone = ""
        seen = _Seen()
        for i, block in enumerate(self.blocks):
            folded = self.folded[i]
            kind, why = self._kind(i, block.text, folded, zone, seen)
            if kind in ("comments", "related") and why.startswith("zone start"):
                zone = kind
            block.kind, block.why = kind, why
            if kind == "body" or kind == "caption":
                seen.add(folded)
        self._short_caption_lines()
        self._headings()
        return self.blocks

    def _kind(self, i: int, text: str, folded: str, zone: str,
              seen: _Seen) -> tuple[str, str]:
        words = len(text.split())
        cue = cues.match(folded, words)
        if cue:
            kind, starts_zone = cue
            if starts_zone and kind == "related" and not self._related_tail(i):
                return kind, "cue"
            return kind, "zone start" if starts_zone else "cue"
        if zone:
            return zone, "inside zone"
        if _DIGITS_ONLY_RE.match(text.strip()):
            return "widget", "no words"
        if self.title and _same_as(folded, self.title):
            return "headline", "repeats the title"
        if seen.repeats(folded):
            return "duplicate", "repeats an earlier block"
        if self.memory.line(self.article.outlet, folded):
            return "outlet_boilerplate", "printed on many pages of this outlet"
        if cues.caption_credit(text):
            return "caption", "photo credit"
        if _other_script(text, self.arabic):
            return "other_language", "other script than the article"
        if cues.source_line(folded):
            return "source", "source line"
        if words <= 8 and cues.byline_line(folded, _fold(self.article.outlet or "")):
            return "byline", "byline"
        return "body", ""

    def _related_tail(self, i: int) -> bool:
        """After a related-articles header: is the rest of the page a list of headlines?"""
        rest = [b.text for b in self.blocks[i + 1:] if b.text.strip()]
        if not rest:
            return True
        listy = sum(1 for t in rest if not _is_prose(t) or not _SENTENCE_END_RE.search(t))
        return listy >= 0.6 * len(rest)

    def _short_caption_lines(self) -> None:
        """A short line directly above a caption is that photo's title."""
        for above, below in zip(self.blocks, self.blocks[1:], strict=False):
            if (above.kind == "body" and below.kind == "caption" and len(above.text.split()) <= 6
                    and not _TERMINAL_RE.search(above.text)):
                above.kind, above.why = "caption", "short line above a caption"

    def _headings(self) -> None:
        """Short, unpunctuated lines standing between paragraphs are sub-headings."""
        body = [b for b in self.blocks if b.kind == "body"]
        for position, block in enumerate(body):
            text = block.text.strip()
            question = text.endswith(("؟", "?")) and len(text.split()) <= 8
            if (position == 0 or len(text.split()) > 14 or len(text) > 110
                    or (_TERMINAL_RE.search(text) and not question)
                    or text.endswith(("،", ","))):
                continue
            following = body[position + 1] if position + 1 < len(body) else None
            if following is not None and _is_prose(following.text):
                block.kind, block.why = "heading", "short line between paragraphs"


# -- the stage ---------------------------------------------------------------------------


def clean_title(title: str | None, outlet: str | None, arabic: bool,
                memory: OutletMemory) -> str | None:
    """The headline without site names and taglines ("… - It's Over 9000!", "… | الموقع")."""
    if not title:
        return title
    parts = [p for p in _TITLE_SEPARATORS_RE.split(title) if p.strip()]
    if len(parts) < 2:
        return title
    outlet_folded = _fold(outlet or "")

    def affix(part: str) -> bool:
        folded = _fold(part).strip()
        part_arabic, part_latin = script_counts(part)
        foreign = part_latin > 0 and part_arabic == 0 if arabic else part_arabic > part_latin
        return (folded == outlet_folded or memory.affix(outlet, folded)
                or cues.site_name(folded) or (foreign and len(part) < 60))

    start, end = 0, len(parts)
    while end - start > 1 and affix(parts[end - 1]):
        end -= 1
    while end - start > 1 and affix(parts[start]):
        start += 1
    if (start, end) == (0, len(parts)):
        return title
    first = title.index(parts[start])
    last = title.rindex(parts[end - 1]) + len(parts[end - 1])
    return title[first:last].strip()


def apply(article: Article, blocks: Iterable[Block]) -> Article:
    """Rebuild ``article`` from its classified lines."""
    body: list[str] = []
    removed: list[dict[str, Any]] = []
    for block in blocks:
        if block.kind == "body":
            body.append(block.text)
            continue
        removed.append({"line": block.index, "kind": block.kind, "text": block.text})
        if block.kind == "heading":
            article.headings.append(block.text.strip())
        elif block.kind == "caption" and block.text.strip() not in article.captions:
            article.captions.append(block.text.strip())
        elif block.kind == "byline" and not article.byline:
            article.byline = block.text.strip()
        elif block.kind == "source":
            article.meta["source_line"] = block.text.strip()
    article.meta["removed"] = removed
    article.text = "\n".join(body)
    return article


def mark_dateline(article: Article) -> None:
    """A dateline opening the lead (``واشنطن- الاناضول- …``) is recorded, and stays in the text."""
    for line in article.text.split("\n")[:2]:
        found = cues.dateline(line)
        if found:
            text, place, agency = found
            article.dateline = text
            article.meta["dateline_place"] = place
            if agency:
                article.meta["dateline_agency"] = agency
            return


class BoilerplateStage:
    """``boilerplate.v1``: body lines kept verbatim; the rest classified and recorded."""

    name = "boilerplate.v1"

    def __init__(self, settings: Settings, memory: OutletMemory | None = None) -> None:
        self.memory = memory or OutletMemory()

    def __call__(self, article: Article) -> Article:
        arabic = arabic_text(article.text)
        classifier = Classifier(article, self.memory, arabic)
        blocks = classifier.run()
        article.work["outlet_lines"] = outlet_lines(article.title, classifier.folded)
        if not any(b.kind == "body" for b in blocks):
            # never empty an article: keep its longest line rather than nothing
            longest = max(blocks, key=lambda b: len(b.text))
            longest.kind, longest.why = "body", "only text left"
        raw_title = article.title
        article.title = clean_title(article.title, article.outlet, arabic, self.memory)
        if raw_title != article.title:
            article.meta["raw_title"] = raw_title
        apply(article, blocks)
        mark_dateline(article)
        return article
