"""What clustering knows of one article: its day, sentence vectors and entities.

Built from a freshly processed :class:`Article` (online, in the writer) or from stored rows
(``recluster``), so both paths cluster exactly the same data.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from khabar.embed.vectors import DIM, Vectors
from khabar.model import Article


@dataclass
class Profile:
    id: str
    day: int | None  # proleptic ordinal of the event day (else the publication day)
    precision: str | None
    outlet: str | None
    title: str
    published_at: str | None
    vectors: Vectors  # unit rows: title, lead and key sentences
    entities: dict[str, int] = field(default_factory=dict)  # entity id -> mentions
    duplicate_of: str | None = None
    slack: int = 0  # days of reporting lag forgiven: 1 when the day is the publication day

    @property
    def mean(self) -> Vectors:
        return unit(self.vectors.sum(axis=0)) if len(self.vectors) else np.zeros(
            DIM, dtype=np.float32)

    def sort_key(self) -> tuple[int, str, str]:
        """Batch order: by day (undated last), publication time, then id."""
        return (self.day if self.day is not None else 10**7, self.published_at or "~",
                self.id)


def unit(vector: Vectors) -> Vectors:
    norm = float(np.linalg.norm(vector))
    out: Vectors = (vector / norm).astype(np.float32) if norm > 0 else vector.astype(
        np.float32)
    return out


def day_of(value: str | None) -> int | None:
    try:
        return date.fromisoformat(value[:10]).toordinal() if value and len(value) >= 10 \
            else None
    except ValueError:
        return None


def iso(day: int | None) -> str | None:
    return None if day is None else date.fromordinal(day).isoformat()


def article_day(event_time: dict[str, Any] | None, published_at: str | None,
                provenance: str | None) -> tuple[int | None, str | None, int]:
    """The day an article's happening took place, how it is known (``day``: stated, or
    the publication day of a dated article; ``estimated``: from an estimated publication
    date) and the slack: 1 when only the publication day is known (reports often appear
    the day after the happening), else 0."""
    estimated = provenance == "estimated"
    if event_time and event_time.get("precision") in ("day", "time"):
        day = day_of(event_time.get("value"))
        if day is not None:
            fallback = float(event_time.get("confidence", 1.0)) < 0.5
            return day, "estimated" if estimated and fallback else "day", int(fallback)
    day = day_of(published_at)
    if day is None:
        return None, None, 0
    return day, "estimated" if estimated else "day", 1


def from_article(article: Article, vectors: Vectors, entity_ids: list[str] | None
                 ) -> Profile:
    day, precision, slack = article_day(article.event_time, article.published_at,
                                        article.published_provenance)
    counts: Counter[str] = Counter()
    found = article.work.get("entities") or {}
    if entity_ids:
        for mention in found.get("mentions", []):
            if 0 <= mention["entity"] < len(entity_ids):
                counts[entity_ids[mention["entity"]]] += 1
    return Profile(article.id, day, precision, article.outlet, article.title or "",
                   article.published_at, vectors.astype(np.float32), dict(counts),
                   article.duplicate_of, slack)


class Rarity:
    """Inverse document frequency of entities over the stored articles (updated as batches
    arrive): an entity most articles name (a country, the king) says little."""

    def __init__(self, document_counts: dict[str, int], articles: int) -> None:
        self.df = Counter(document_counts)
        self.n = articles

    def add(self, profile: Profile) -> None:
        self.n += 1
        self.df.update(profile.entities.keys())

    def idf(self, entity: str) -> float:
        return math.log((self.n + 1) / (self.df.get(entity, 0) + 1)) + 0.1


def stored(rows: Iterable[Any], mentions: dict[str, dict[str, int]]) -> list[Profile]:
    """Profiles from the store's rows (``ClusterIndex.profile_rows``), in their order."""
    out = []
    for row in rows:
        event_time = json.loads(row["event_time"]) if row["event_time"] else None
        day, precision, slack = article_day(event_time, row["published_at"],
                                            row["published_provenance"])
        vectors = np.frombuffer(row["data"], np.float16).astype(np.float32).reshape(-1, DIM)
        out.append(Profile(row["id"], day, precision, row["outlet"], row["title"] or "",
                           row["published_at"], vectors, mentions.get(row["id"], {}),
                           row["duplicate_of"], slack))
    return out
