"""``dates.v1``: every time expression of an article, its publication date when the source
gave none, and its event time (when the happening it reports took place).

Publication date, best source first: metadata or the page's own meta / JSON-LD (set at
ingest), then a date in the dateline or byline, then evidence in the text: the latest
full date the body states outside captions, marked ``estimated`` with a range (the story
cannot be older than what it reports; it may be a few days younger). A caption's date never
counts, and an article with no evidence stays undated.

Event time: the first day-precision expression outside captions that falls within a week
before (or a day after) the publication date (``اتفقا، السبت`` → that Saturday); else the
publication day itself, with low confidence.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from khabar.extract.dates import TimeExpression, find
from khabar.model import Article
from khabar.settings import Settings

EVENT_BEFORE_DAYS = 7
EVENT_AFTER_DAYS = 1
ESTIMATE_SPAN_DAYS = 3


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value and "/" not in value else None
    except ValueError:
        return None


def publication_from_lines(lines: list[str]) -> date | None:
    """A full date written in a dateline or byline (``دمشق - 12 آذار 2026``)."""
    for line in lines:
        for e in find(line):
            day = _day(e.value)
            if day and e.precision in ("day", "time") and not e.relative:
                return day
    return None


def estimate(expressions: list[TimeExpression]) -> date | None:
    """The latest absolute full date stated in the body, outside captions."""
    days = [_day(e.value) for e in expressions
            if e.role != "caption" and not e.relative and e.precision in ("day", "time")]
    return max((d for d in days if d), default=None)


def event_time(expressions: list[TimeExpression], anchor: date | None
               ) -> tuple[TimeExpression | None, dict[str, Any] | None]:
    for e in expressions:
        day = _day(e.value)
        if e.role == "caption" or day is None or e.precision not in ("day", "time"):
            continue
        if anchor is None:
            if not e.relative:
                return e, {"value": e.value, "precision": e.precision, "confidence": 0.5}
            continue
        if anchor - timedelta(days=EVENT_BEFORE_DAYS) <= day <= \
                anchor + timedelta(days=EVENT_AFTER_DAYS):
            confidence = 0.9 if e.start < 400 else 0.7
            return e, {"value": e.value, "precision": e.precision, "confidence": confidence}
    if anchor is not None:
        return None, {"value": anchor.isoformat(), "precision": "day", "confidence": 0.4}
    return None, None


class DatesStage:
    name = "dates.v1"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def __call__(self, article: Article) -> Article:
        text = article.text
        anchor = _day(article.published_at)
        if anchor is None:
            lines = [article.dateline or ""] + [
                r.get("text", "") for r in article.meta.get("removed", [])
                if isinstance(r, dict) and r.get("kind") in ("byline", "dateline")]
            anchor = publication_from_lines([line for line in lines if line])
            if anchor is not None:
                _set_published(article, anchor, "dateline")
        expressions = find(text, anchor)
        if anchor is None:
            anchor = estimate(expressions)
            if anchor is not None:
                _set_published(article, anchor, "estimated")
                article.published_range = [
                    anchor.isoformat(), (anchor + timedelta(days=ESTIMATE_SPAN_DAYS)).isoformat()]
                expressions = find(text, anchor)
        chosen, article.event_time = event_time(expressions, anchor)
        if chosen is not None:
            chosen.role = "event"
        for e in expressions:
            if e.role == "mention" and article.published_provenance == "dateline" and \
                    article.dateline and e.start < len(article.dateline) and \
                    _day(e.value) == anchor:
                e.role = "publication"
        article.dates = [e.to_dict() for e in expressions]
        return article


def _set_published(article: Article, day: date, provenance: str) -> None:
    article.published_at = day.isoformat()
    article.published_precision = "day"
    article.published_provenance = provenance
