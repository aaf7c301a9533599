"""Events: each new article joins the event reporting the same happening, or starts one.

Evidence for an article against a candidate event (``features``):

- ``sentence``: mean cosine of the two best-matching sentence pairs between the article's
  title/lead/key sentences and the event's pool of sentences (the same happening told in
  other words matches some sentence closely; background shared by different happenings
  does not);
- ``centroid``: cosine of the article's mean vector with the event's;
- ``entities``: cosine of rarity-weighted entity profiles (a shared rare name counts, a
  country every article names hardly does);
- ``gap``: days between the article's event day and the event's days (0 inside them):
  different days mean different happenings unless the rest of the evidence is strong (a
  follow-up of the same happening). Being on the same day is no evidence by itself: a
  stream holds many happenings each day;
- ``undated``: no day on one side.

The event is represented by its first SEED members (its pool of sentences, mean vector and
entity profile): the first reports define a happening, and an event whose representation
followed every article it absorbed would drift towards a generic topic and swallow a whole
day of loosely related news (single-pass clustering's chaining).

They are combined by a logistic model whose weights are settings (``events.weights.*``,
fitted by ``train/cluster_weights.py``); the article joins the most probable candidate if
the probability reaches ``events.threshold``. A copy (from the duplicates stage) joins its
original's event directly. Candidates come from :class:`~khabar.cluster.index.EventIndex`
(a time window and entity postings), so the cost per article does not grow with the archive.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from khabar.cluster.profile import Profile, Rarity, unit
from khabar.embed.vectors import DIM, Vectors, best_match
from khabar.settings import Settings

POOL = 16  # sentence vectors an event keeps for matching (its first members' sentences)
SEED = 5  # members whose mean vector and entities stand for the event when matching
GAP_SCALE = 7.0  # days at which the gap feature saturates
FEATURES = ("sentence", "centroid", "entities", "gap", "undated")


def short_id(prefix: str, seed: str) -> str:
    return prefix + hashlib.blake2b(seed.encode(), digest_size=6).hexdigest()


@dataclass
class EventState:
    """An event as clustering sees it; rebuilt from its members' profiles or loaded."""

    id: str
    vectors: Vectors = field(default_factory=lambda: np.zeros((0, DIM), np.float32))
    centroid: Vectors = field(default_factory=lambda: np.zeros(DIM, np.float32))  # seeds'
    entities: Counter[str] = field(default_factory=Counter)  # articles naming each
    mentions: Counter[str] = field(default_factory=Counter)  # times each is named
    seed_entities: Counter[str] = field(default_factory=Counter)  # the same, seeds only
    # Days of the first SEED dated members: when the happening took place (later reports
    # of it do not move it, so an event cannot creep along the calendar).
    seed_days: list[int] = field(default_factory=list)
    days: Counter[int] = field(default_factory=Counter)
    exact_days: Counter[int] = field(default_factory=Counter)  # days not merely estimated
    outlets: Counter[str] = field(default_factory=Counter)
    articles: list[str] = field(default_factory=list)
    title: str = ""
    title_article: str | None = None
    story_id: str | None = None

    @property
    def n(self) -> int:
        return len(self.articles)

    @property
    def first_day(self) -> int | None:
        return min(self.days) if self.days else None

    @property
    def last_day(self) -> int | None:
        return max(self.days) if self.days else None

    @property
    def day(self) -> int | None:
        """The day most members give (ties: the earliest)."""
        if not self.days:
            return None
        return min(self.days, key=lambda d: (-self.days[d], d))

    @property
    def precision(self) -> str | None:
        day = self.day
        if day is None:
            return None
        return "day" if self.exact_days[day] else "estimated"

    def add(self, p: Profile) -> None:
        self.articles.append(p.id)
        room = POOL - len(self.vectors)
        if room > 0 and len(p.vectors):
            self.vectors = np.vstack([self.vectors, p.vectors[:room]])
        if self.n <= SEED:
            self.centroid = self.centroid + p.mean
            self.seed_entities.update(p.entities.keys())
        self.entities.update(p.entities.keys())
        self.mentions.update(p.entities)
        if p.day is not None:
            self.days[p.day] += 1
            if len(self.seed_days) < SEED:
                self.seed_days.append(p.day)
            if p.precision == "day":
                self.exact_days[p.day] += 1
        if p.outlet:
            self.outlets[p.outlet] += 1
        if p.title and not self.title:
            self.title, self.title_article = p.title, p.id

    def profile(self, rarity: Rarity) -> dict[str, float]:
        """Rarity-weighted entity profile of the seed members: share naming it × idf."""
        seeds = min(self.n, SEED)
        return {e: c / seeds * rarity.idf(e) for e, c in self.seed_entities.items()}

    # -- storage --------------------------------------------------------------------------
    def state(self) -> bytes:
        data = {"entities": self.entities, "mentions": self.mentions,
                "seed_entities": self.seed_entities, "seed_days": self.seed_days,
                "days": self.days,
                "exact_days": self.exact_days, "outlets": self.outlets,
                "articles": self.articles, "title_article": self.title_article}
        return zlib.compress(json.dumps(data, ensure_ascii=False).encode(), 1)

    @classmethod
    def load(cls, ident: str, story_id: str | None, title: str, state: bytes,
             vectors: bytes, centroid: bytes) -> EventState:
        data = json.loads(zlib.decompress(state))
        return cls(
            ident, vectors=np.frombuffer(vectors, np.float16).astype(np.float32).reshape(-1, DIM),
            centroid=np.frombuffer(centroid, np.float32).copy(),
            entities=Counter(data["entities"]), mentions=Counter(data["mentions"]),
            seed_entities=Counter(data["seed_entities"]), seed_days=data["seed_days"],
            days=Counter({int(k): v for k, v in data["days"].items()}),
            exact_days=Counter({int(k): v for k, v in data["exact_days"].items()}),
            outlets=Counter(data["outlets"]), articles=data["articles"], title=title,
            title_article=data["title_article"], story_id=story_id)


def weighted_cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(w * b[e] for e, w in a.items() if e in b)
    if dot == 0:
        return 0.0
    norm = np.sqrt(sum(w * w for w in a.values()) * sum(w * w for w in b.values()))
    return float(dot / norm)


def day_gap(day: int | None, first: int | None, last: int | None) -> int | None:
    if day is None or first is None or last is None:
        return None
    return max(first - day, day - last, 0)


def features(p: Profile, mean: Vectors, entities: dict[str, float], event: EventState,
             rarity: Rarity) -> list[float]:
    """The evidence that article ``p`` reports ``event``'s happening, in FEATURES order."""
    seed_days = event.seed_days
    gap = day_gap(p.day, min(seed_days, default=None), max(seed_days, default=None))
    if gap is not None:
        gap = max(0, gap - p.slack)
    return [best_match(p.vectors, event.vectors, top=2),
            float(mean @ unit(event.centroid)),
            weighted_cosine(entities, event.profile(rarity)),
            0.0 if gap is None else min(gap, GAP_SCALE) / GAP_SCALE,
            1.0 if gap is None else 0.0]


@dataclass(frozen=True)
class Model:
    """A logistic model over named features; weights and bias come from settings."""

    weights: tuple[float, ...]
    bias: float
    threshold: float

    @classmethod
    def from_settings(cls, settings: Settings, section: str, names: tuple[str, ...]
                      ) -> Model:
        return cls(tuple(float(settings[f"{section}.weights.{n}"]) for n in names),
                   float(settings[f"{section}.bias"]), float(settings[f"{section}.threshold"]))

    def probability(self, x: list[float]) -> float:
        z = self.bias + sum(w * v for w, v in zip(self.weights, x, strict=True))
        return float(1.0 / (1.0 + np.exp(-z)))


def article_entities(p: Profile, rarity: Rarity) -> dict[str, float]:
    return {e: rarity.idf(e) for e in p.entities}
