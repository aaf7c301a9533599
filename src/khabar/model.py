"""The data that flows through khabar: plain dataclasses, no I/O.

One :class:`Article` travels through every stage; each stage returns it with more fields set.
Every later span (entity, date, quote) is an offset into ``Article.text``, which is never
altered after cleaning.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any, Literal

BodyKind = Literal["text", "html", "html_fragment"]
Precision = Literal["year", "month", "day", "time"]
Provenance = Literal["metadata", "html", "dateline", "estimated", "unknown"]

PRECISIONS: tuple[str, ...] = ("year", "month", "day", "time")
PROVENANCES: tuple[str, ...] = ("metadata", "html", "dateline", "estimated", "unknown")


@dataclass
class RawArticle:
    """One article as read from its source, before cleaning.

    ``fields`` holds the recognised fields under khabar's names (title, url, outlet,
    published, byline, language, fetched_at); ``meta`` keeps every other field as given.
    """

    origin: str
    format: str
    body: str
    body_kind: BodyKind = "text"
    encoding: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class Article:
    """A cleaned article. ``id`` is a content hash (canonical URL + normalised text)."""

    id: str
    origin: str
    text: str
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    byline: str | None = None
    dateline: str | None = None
    captions: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    language: str | None = None
    published_at: str | None = None
    published_precision: str | None = None
    published_provenance: str = "unknown"
    fetched_at: str | None = None
    encoding: str | None = None
    format: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    language_spans: list[list[Any]] = field(default_factory=list)
    # Time expressions ({text, start, end, value, precision, calendar, role}), the event
    # time ({value, precision, confidence}) and, for an estimated publication date, its range.
    dates: list[dict[str, Any]] = field(default_factory=list)
    event_time: dict[str, Any] | None = None
    published_range: list[str] = field(default_factory=list)
    duplicate_of: str | None = None
    duplicate_kind: str | None = None
    duplicate_similarity: float | None = None
    stages: list[str] = field(default_factory=list)
    # Working data between stages and the writer (e.g. the duplicates fingerprint); not stored.
    work: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(replace(self, work={}))
        del data["work"]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        names = {f.name for f in fields(cls)} - {"work"}
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass(frozen=True)
class Rejection:
    """An input (file, record, article) that was not stored, and why."""

    stage: str
    code: str
    detail: str
    origin: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)
