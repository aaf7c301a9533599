"""The writer-side clustering: each profile joins or starts an event, and each new or grown
event is placed in a story. One :class:`Clusterer` lives for one ingest, reprocess or
recluster; what it changed is collected in :class:`ClusterRows` and written with the batch.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from khabar.cluster import events as ev
from khabar.cluster import stories as st
from khabar.cluster.events import EventState, Model, short_id
from khabar.cluster.index import EventIndex
from khabar.cluster.profile import Profile, Rarity, from_article, iso
from khabar.cluster.stories import StoryState
from khabar.embed.vectors import Vectors
from khabar.model import Article
from khabar.settings import Settings
from khabar.store.clusters import ClusterIndex, ClusterWrite

log = logging.getLogger(__name__)

REGROW = (2, 4, 8)  # sizes at which an event alone in its story looks for a story again
STORY_LOOKUP = 5  # central entities (most named × rarest first) whose stories are candidates
STORIES_PER_ENTITY = 30


class Source(Protocol):
    """What clustering reads from the store."""

    def events_between(self, first: int | None, last: int | None) -> Iterable[EventState]: ...

    def event(self, ident: str) -> EventState | None: ...

    def event_of(self, article_id: str) -> str | None: ...

    def story(self, ident: str) -> StoryState | None: ...

    def stories_naming(self, entity: str, limit: int) -> list[str]: ...


@dataclass
class ClusterRows:
    events: dict[str, EventState] = field(default_factory=dict)
    assignments: dict[str, tuple[str, float]] = field(default_factory=dict)
    stories: dict[str, StoryState] = field(default_factory=dict)
    dropped_stories: set[str] = field(default_factory=set)
    renamed_stories: dict[str, str] = field(default_factory=dict)  # absorbed -> kept
    history: list[tuple[str, str, str | None, str]] = field(default_factory=list)

    def clear(self) -> None:
        for value in vars(self).values():
            value.clear()


class Clusterer:
    def __init__(self, settings: Settings, source: Source, rarity: Rarity, *,
                 counting: bool = True) -> None:
        self.events_model = Model.from_settings(settings, "events", ev.FEATURES)
        self.stories_model = Model.from_settings(settings, "stories", st.FEATURES)
        self.merge_threshold: float = settings["stories.merge_threshold"]
        self.source, self.rarity, self.counting = source, rarity, counting
        self.index = EventIndex(source.events_between, settings["events.window_days"])
        self.stories: dict[str, StoryState] = {}
        self.story_postings: dict[str, set[str]] = defaultdict(set)
        self.article_event: dict[str, str] = {}
        self.created: set[str] = set()  # ids of the events and stories this run made
        self.rows = ClusterRows()

    def add(self, p: Profile) -> str:
        """Cluster one article; returns its event id. ``counting``: the article is new to
        the entity rarity counts (online), not already in them (recluster)."""
        if self.counting:
            self.rarity.add(p)
        event, probability, neighbours = self._match(p)
        if event is None:
            event = EventState(short_id("ev-", p.id))
            self.created.add(event.id)
        event.add(p)
        self.index.put(event)
        self.article_event[p.id] = event.id
        self.rows.events[event.id] = event
        self.rows.assignments[p.id] = (event.id, round(probability, 4))
        self._place(event, neighbours)
        return event.id

    # -- events ---------------------------------------------------------------------------
    def _event(self, ident: str) -> EventState | None:
        event = self.index.get(ident) or self.source.event(ident)
        if event is not None and ident not in self.index.events:
            self.index.put(event)
        return event

    def _match(self, p: Profile) -> tuple[EventState | None, float, list[EventState]]:
        if p.duplicate_of:
            ident = self.article_event.get(p.duplicate_of) or self.source.event_of(
                p.duplicate_of)
            original = self._event(ident) if ident else None
            if original is not None:
                return original, 1.0, []
        mean = p.mean
        entities = ev.article_entities(p, self.rarity)
        candidates = self.index.candidates(p, mean, self.rarity)
        best, best_p = None, 0.0
        for event in candidates:
            x = ev.features(p, mean, entities, event, self.rarity)
            probability = self.events_model.probability(x)
            if probability > best_p or (probability == best_p and best is not None \
                    and event.id < best.id):
                best, best_p = event, probability
        if best is not None and best_p >= self.events_model.threshold:
            return best, best_p, candidates
        return None, best_p, candidates

    # -- stories --------------------------------------------------------------------------
    def _story(self, ident: str) -> StoryState | None:
        story = self.stories.get(ident)
        if story is None:
            story = self.source.story(ident)
            if story is not None:
                self._keep(story)
        return story

    def _keep(self, story: StoryState) -> None:
        self.stories[story.id] = story
        for entity in story.entities():
            self.story_postings[entity].add(story.id)

    def _place(self, event: EventState, neighbours: list[EventState]) -> None:
        """Put a new or grown event in a story; an event alone in its story looks again
        as it grows (its central entities and topic become clearer)."""
        own = self._story(event.story_id) if event.story_id else None
        if own is not None:
            own.put(event)
            self._keep(own)
            self.rows.stories[own.id] = own
            if len(own.members) > 1 or event.n not in REGROW:
                return
        scored = self._story_scores(event, neighbours, own)
        chosen = scored[0][1] if scored and scored[0][0] >= self.stories_model.threshold \
            else None
        if chosen is None:
            if own is None:
                own = StoryState(self._new_story_id(event.id))
                self.created.add(own.id)
                self._join(event, own)
            return
        if own is not None:
            self._drop(own)
        self._join(event, chosen)
        for probability, other in scored[1:]:
            if probability >= self.merge_threshold and other.id in self.stories:
                chosen = self._merge(chosen, other, event, probability)

    def _new_story_id(self, seed: str) -> str:
        """A story id derived from its first event, unused by any story known."""
        ident, k = short_id("st-", seed), 0
        while ident in self.stories or self.source.story(ident) is not None:
            k += 1
            ident = short_id("st-", f"{seed}#{k}")
        return ident

    def _story_scores(self, event: EventState, neighbours: list[EventState],
                      own: StoryState | None) -> list[tuple[float, StoryState]]:
        ids = {n.story_id for n in neighbours if n.story_id}
        for entity in sorted(st.central(event), key=lambda e: (
                -event.mentions[e] * self.rarity.idf(e), e))[:STORY_LOOKUP]:
            ids |= self.story_postings.get(entity, set())
            ids.update(self.source.stories_naming(entity, STORIES_PER_ENTITY))
        if own is not None:
            ids.discard(own.id)
        scored = []
        for ident in sorted(ids - self.rows.dropped_stories):
            story = self._story(ident)
            if story is None or not story.members:
                continue
            x = st.features(event, story, self.rarity)
            scored.append((self.stories_model.probability(x), story))
        scored.sort(key=lambda item: (-item[0], item[1].id))
        return scored

    def _join(self, event: EventState, story: StoryState) -> None:
        event.story_id = story.id
        story.put(event)
        self._keep(story)
        self.rows.events[event.id] = event
        self.rows.stories[story.id] = story

    def _drop(self, story: StoryState) -> None:
        self.stories.pop(story.id, None)
        self.rows.stories.pop(story.id, None)
        self.rows.dropped_stories.add(story.id)

    def _merge(self, a: StoryState, b: StoryState, event: EventState, p: float
               ) -> StoryState:
        """One event ties two stories together: the one with more events keeps its id."""
        keep, gone = sorted((a, b), key=lambda s: (-len(s.members), s.first_day or 0, s.id))
        for ident, member in gone.members.items():
            keep.members[ident] = member
            loaded = self.index.get(ident)
            if loaded is not None:
                loaded.story_id = keep.id
        self._keep(keep)
        self._drop(gone)
        self.rows.stories[keep.id] = keep
        self.rows.renamed_stories[gone.id] = keep.id
        reason = (f"event {event.id} ({event.title[:80]}) belongs to both "
                  f"(probability {p:.2f})")
        self.rows.history.append((keep.id, "merged", gone.id, reason))
        log.info("story %s merged into %s: %s", gone.id, keep.id, reason)
        return keep


class StoreSource:
    """The store's cluster tables as clustering's :class:`Source` (ISO days ↔ ordinals),
    optionally hiding events and stories a recluster is rebuilding."""

    def __init__(self, index: ClusterIndex, hidden_events: frozenset[str] = frozenset(),
                 hidden_stories: frozenset[str] = frozenset()) -> None:
        self.index = index
        self.hidden_events, self.hidden_stories = hidden_events, hidden_stories

    def events_between(self, first: int | None, last: int | None) -> Iterable[EventState]:
        rows = self.index.events_between(iso(first), iso(last))
        return [_event_from(row) for row in rows if row["id"] not in self.hidden_events]

    def event(self, ident: str) -> EventState | None:
        row = self.index.event_row(ident)
        return None if row is None or ident in self.hidden_events else _event_from(row)

    def event_of(self, article_id: str) -> str | None:
        ident = self.index.event_of(article_id)
        return None if ident in self.hidden_events else ident

    def story(self, ident: str) -> StoryState | None:
        row = self.index.story_row(ident)
        if row is None or ident in self.hidden_stories:
            return None
        return StoryState.load(row["id"], row["state"], row["vectors"])

    def stories_naming(self, entity: str, limit: int) -> list[str]:
        found = self.index.stories_naming(entity, limit + len(self.hidden_stories))
        return [s for s in found if s not in self.hidden_stories][:limit]


def _event_from(row: Any) -> EventState:
    return EventState.load(row["id"], row["story_id"], row["title"], row["state"],
                           row["vectors"], row["centroid"])


def to_write(rows: ClusterRows, vectors: list[tuple[str, bytes]]) -> ClusterWrite:
    out = ClusterWrite(vectors=vectors)
    for e in rows.events.values():
        out.events.append((e.id, e.story_id, e.title, e.title_article, iso(e.day), e.precision,
                           iso(e.first_day), iso(e.last_day), e.n, len(e.outlets), e.state(),
                           e.vectors.astype(np.float16).tobytes(),
                           e.centroid.astype(np.float32).tobytes()))
    out.assignments = [(a, e, p) for a, (e, p) in rows.assignments.items()]
    for s in rows.stories.values():
        title, title_event = s.title()
        state, data = s.state()
        out.stories.append((s.id, title, title_event, iso(s.first_day), iso(s.last_day),
                            len(s.members), s.articles, state, data))
        out.story_entities[s.id] = s.entities()
    out.dropped_stories = sorted(rows.dropped_stories)
    out.renamed_stories = sorted(rows.renamed_stories.items())
    out.history = list(rows.history)
    return out


class ClusterLinker:
    """Online clustering on the writer's side, batch by batch (after the entity linker,
    whose ids it uses)."""

    def __init__(self, settings: Settings, index: ClusterIndex) -> None:
        self.index = index
        counts, total = index.document_counts()
        self.clusterer = Clusterer(settings, StoreSource(index), Rarity(counts, total))

    def link(self, articles: list[Article]) -> ClusterWrite:
        fresh = [a for a in articles if "vectors" in a.work]
        done = self.index.assigned([a.id for a in fresh])
        vectors = []
        for article in fresh:
            data: Vectors = article.work["vectors"]
            vectors.append((article.id, data.astype(np.float16).tobytes()))
            if article.id in done or article.id in self.clusterer.article_event:
                continue
            profile = from_article(article, data, article.work.get("entity_ids"))
            self.clusterer.add(profile)
        out = to_write(self.clusterer.rows, vectors)
        self.clusterer.rows.clear()
        return out
