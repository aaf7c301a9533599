"""Where candidate events come from: the events whose days fall within a window around the
article's day, loaded from the store a window at a time and kept in memory while an ingest
or a recluster runs, plus entity postings over them. Cost per article depends on how many
events fall in the window, not on the size of the archive.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

import numpy as np

from khabar.cluster.events import EventState
from khabar.cluster.profile import Profile, Rarity
from khabar.embed.vectors import Vectors

Loader = Callable[[int | None, int | None], Iterable[EventState]]
MAX_SPAN = 31  # days an event is indexed under at most (first to last day)
CANDIDATES = 12  # best events by centroid, and as many by shared rare entities


class EventIndex:
    def __init__(self, loader: Loader, window: int, keep_days: int = 120) -> None:
        self.loader, self.window, self.keep_days = loader, window, keep_days
        self.events: dict[str, EventState] = {}
        self.by_day: dict[int, set[str]] = defaultdict(set)
        self.undated: set[str] = set()
        self.postings: dict[str, set[str]] = defaultdict(set)
        self.loaded: set[int] = set()
        self.undated_loaded = False

    # -- membership -----------------------------------------------------------------------
    def put(self, event: EventState) -> None:
        """Index a new or grown event under its days and entities."""
        self.events[event.id] = event
        first, last = event.first_day, event.last_day
        if first is None or last is None:
            self.undated.add(event.id)
        else:
            self.undated.discard(event.id)
            for day in range(first, min(last, first + MAX_SPAN) + 1):
                self.by_day[day].add(event.id)
        for entity in event.entities:
            self.postings[entity].add(event.id)

    def drop(self, event_id: str) -> None:
        event = self.events.pop(event_id, None)
        if event is None:
            return
        self.undated.discard(event_id)
        for ids in (*self.by_day.values(), *self.postings.values()):
            ids.discard(event_id)

    def get(self, event_id: str) -> EventState | None:
        return self.events.get(event_id)

    # -- loading --------------------------------------------------------------------------
    def _ensure(self, day: int | None) -> None:
        if day is None:
            if not self.undated_loaded:
                self._load(self.loader(None, None))
                self.undated_loaded = True
            return
        wanted = range(day - self.window, day + self.window + 1)
        if all(d in self.loaded for d in wanted):
            return
        self._evict(day)
        self._load(self.loader(wanted[0], wanted[-1]))
        self.loaded.update(wanted)

    def _load(self, events: Iterable[EventState]) -> None:
        for event in events:
            if event.id not in self.events:
                self.put(event)

    def _evict(self, day: int) -> None:
        """Forget loaded days far from the one in hand (their events stay in the store)."""
        far = {d for d in self.loaded if abs(d - day) > self.keep_days}
        if not far:
            return
        self.loaded -= far
        for d in far:
            for event_id in list(self.by_day.pop(d, ())):
                event = self.events.get(event_id)
                if event is not None and event.last_day is not None and \
                        abs(event.last_day - day) > self.keep_days:
                    self.drop(event_id)

    # -- candidates -----------------------------------------------------------------------
    def candidates(self, p: Profile, mean: Vectors, rarity: Rarity) -> list[EventState]:
        """Events near the article's day (every loaded event for an undated article, and
        undated events for every article), best by centroid and by shared rare entities."""
        self._ensure(None)
        self._ensure(p.day)
        if p.day is None:
            pool = set(self.events)
        else:
            pool = set().union(*(self.by_day.get(d, ()) for d in range(
                p.day - self.window, p.day + self.window + 1)))
            pool |= self.undated
        if not pool:
            return []
        ids = sorted(pool)
        matrix = np.stack([self.events[i].centroid for i in ids])
        norms = np.maximum(np.linalg.norm(matrix, axis=1), 1e-9)
        cosine = (matrix @ mean) / norms
        best = [ids[i] for i in np.argsort(-cosine, kind="stable")[:CANDIDATES]]
        shared: dict[str, float] = defaultdict(float)
        for entity in p.entities:
            weight = rarity.idf(entity)
            for event_id in self.postings.get(entity, ()):
                if event_id in pool:
                    shared[event_id] += weight
        best += sorted(shared, key=lambda i: (-shared[i], i))[:CANDIDATES]
        return [self.events[i] for i in dict.fromkeys(best)]
