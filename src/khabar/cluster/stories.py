"""Stories: events linked into threads that can run for years.

An event joins the story whose central entities and topic it shares (``features``):

- ``entities``: cosine of rarity-weighted profiles of central entities (those most of an
  event's articles name), so one famous person shared is weak evidence while the same
  rare river, committee or ferry is strong;
- ``centroid``: cosine of the event's mean vector with the story's;
- ``sentence``: best-matching pairs between the event's sentences and the headlines and
  leads of the story's events (what the thread is about, in any wording).

Time is deliberately not evidence: a thread may pause for years (the fitted weight of a
gap feature came out positive on the demo, an artefact, so there is none).

A logistic model (``stories.weights.*``) decides; an event that clears
``stories.merge_threshold`` for two stories merges them (the larger keeps its id; the merge
is recorded with its reason in the story's history).
"""

from __future__ import annotations

import json
import math
import zlib
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from khabar.cluster.events import EventState, weighted_cosine
from khabar.cluster.profile import Rarity, unit
from khabar.embed.vectors import DIM, Vectors, best_match

FEATURES = ("entities", "centroid", "sentence")
CENTRAL_SHARE = 0.5  # an event's central entities: named by at least half its articles,
CENTRAL_MOST = 8  # and among the most named
HEADLINES = 2  # sentence vectors each event lends its story (headline and lead)


def central(event: EventState) -> list[str]:
    """What the event is about: entities most of its articles name, most named first."""
    need = max(1, math.ceil(event.n * CENTRAL_SHARE))
    named = [e for e, c in event.entities.items() if c >= need]
    return sorted(named, key=lambda e: (-event.entities[e], -event.mentions[e], e)
                  )[:CENTRAL_MOST]


@dataclass
class Member:
    """What one event contributes to its story."""

    entities: list[str]
    centroid: Vectors
    vectors: Vectors
    first: int | None
    last: int | None
    articles: int
    title: str

    @classmethod
    def of(cls, event: EventState) -> Member:
        return cls(central(event), unit(event.centroid), event.vectors[:HEADLINES].copy(),
                   event.first_day, event.last_day, event.n, event.title)


@dataclass
class StoryState:
    id: str
    members: dict[str, Member] = field(default_factory=dict)

    def put(self, event: EventState) -> None:
        self.members[event.id] = Member.of(event)

    @property
    def first_day(self) -> int | None:
        return min((m.first for m in self.members.values() if m.first is not None),
                   default=None)

    @property
    def last_day(self) -> int | None:
        return max((m.last for m in self.members.values() if m.last is not None),
                   default=None)

    @property
    def articles(self) -> int:
        return sum(m.articles for m in self.members.values())

    def centroid(self) -> Vectors:
        total = np.zeros(DIM, np.float32)
        for m in self.members.values():
            total += m.centroid * m.articles
        return unit(total)

    def vectors(self) -> Vectors:
        rows = [m.vectors for m in self.members.values() if len(m.vectors)]
        return np.vstack(rows) if rows else np.zeros((0, DIM), np.float32)

    def profile(self, rarity: Rarity) -> dict[str, float]:
        counts: Counter[str] = Counter()
        for m in self.members.values():
            counts.update(m.entities)
        return {e: c / len(self.members) * rarity.idf(e) for e, c in counts.items()}

    def entities(self) -> list[str]:
        return sorted({e for m in self.members.values() for e in m.entities})

    def title(self) -> tuple[str, str | None]:
        """The headline of the event most representative of the thread: many articles and
        close to the story's centroid (ties: the earliest)."""
        if not self.members:
            return "", None
        centre = self.centroid()

        def weight(item: tuple[str, Member]) -> tuple[float, int, str]:
            ident, m = item
            return (-(m.articles * (1.0 + float(m.centroid @ centre))),
                    m.first if m.first is not None else 10**7, ident)
        ident, member = min(self.members.items(), key=weight)
        return member.title, ident

    # -- storage --------------------------------------------------------------------------
    def state(self) -> tuple[bytes, bytes]:
        order = sorted(self.members)
        meta = [{"id": i, "entities": self.members[i].entities, "first": self.members[i].first,
                 "last": self.members[i].last, "articles": self.members[i].articles,
                 "title": self.members[i].title, "rows": len(self.members[i].vectors)}
                for i in order]
        blocks = [np.vstack([self.members[i].centroid[None, :], self.members[i].vectors])
                  for i in order]
        data = np.vstack(blocks).astype(np.float16).tobytes() if blocks else b""
        return zlib.compress(json.dumps(meta, ensure_ascii=False).encode(), 1), data

    @classmethod
    def load(cls, ident: str, state: bytes, vectors: bytes) -> StoryState:
        meta = json.loads(zlib.decompress(state))
        rows = np.frombuffer(vectors, np.float16).astype(np.float32).reshape(-1, DIM)
        story, at = cls(ident), 0
        for item in meta:
            block = rows[at:at + 1 + item["rows"]]
            at += 1 + item["rows"]
            story.members[item["id"]] = Member(item["entities"], block[0], block[1:],
                                               item["first"], item["last"], item["articles"],
                                               item["title"])
        return story


def features(event: EventState, story: StoryState, rarity: Rarity) -> list[float]:
    mine = {e: rarity.idf(e) for e in central(event)}
    return [weighted_cosine(mine, story.profile(rarity)),
            float(unit(event.centroid) @ story.centroid()),
            best_match(event.vectors[:4], story.vectors(), top=2)]
