"""Batch clustering: rebuild the events and stories of a date range from the stored
profiles, in a fixed order (event day, publication time, id), so the result does not depend
on the order in which articles were ingested. Events reaching back before the range are
rebuilt whole; stories keep their events outside the range. Rebuilt events and stories
take the ids of the old ones they overlap most, and stories merged or split relative to
the old ones say so in their history.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass

from khabar.cluster.events import short_id
from khabar.cluster.linker import Clusterer, ClusterRows, StoreSource, to_write
from khabar.cluster.profile import Profile, Rarity, stored
from khabar.cluster.stories import StoryState
from khabar.settings import Settings
from khabar.store.clusters import ClusterIndex, ClusterWrite

log = logging.getLogger(__name__)


@dataclass
class Plan:
    profiles: list[Profile]
    old_events: dict[str, str]  # article -> event before
    old_stories: dict[str, str | None]  # event -> story before
    since: str | None


def plan(index: ClusterIndex, since: str | None) -> Plan:
    """What to rebuild: the articles of the range and every member of their events."""
    if since:
        since = index.straddle_start(since)
    rows = index.profile_rows(since)
    ids = [r["id"] for r in rows]
    old_events = index.events_of_articles(ids)
    extra = sorted(set(index.members(sorted(set(old_events.values())))) - set(ids))
    if extra:
        rows += index.profile_rows(None, extra)
        old_events.update(index.events_of_articles(extra))
    profiles = stored(rows, index.mention_counts([r["id"] for r in rows]))
    profiles.sort(key=Profile.sort_key)
    events = sorted(set(old_events.values()))
    stories = index.event_stories(events=events)
    return Plan(profiles, old_events, {e: stories.get(e) for e in events}, since)


def run(settings: Settings, index: ClusterIndex, work: Plan,
        advance: Callable[[int], None] = lambda n: None) -> ClusterWrite:
    hidden_events = frozenset(work.old_stories)
    hidden_stories = frozenset(s for s in work.old_stories.values() if s)
    counts, total = index.document_counts()
    clusterer = Clusterer(settings, StoreSource(index, hidden_events, hidden_stories),
                          Rarity(counts, total), counting=False)
    kept = _kept_stories(index, hidden_events, hidden_stories)
    for story in kept:
        clusterer._keep(story)
    for i, profile in enumerate(work.profiles, 1):
        clusterer.add(profile)
        if i % 100 == 0:
            advance(100)
    advance(len(work.profiles) % 100)
    rows = clusterer.rows
    rows.history.clear()  # merges inside the rebuild are steps, not history
    for story in kept:  # rewritten even if nothing joined them: the old rows are cleared
        if story.id in clusterer.stories:
            rows.stories[story.id] = story
    _stable_ids(rows, work, clusterer.created)
    return to_write(rows, [])


def _kept_stories(index: ClusterIndex, hidden_events: frozenset[str],
                  hidden_stories: frozenset[str]) -> list[StoryState]:
    """The rebuilt stories' events outside the range, as stories of their own again."""
    source = StoreSource(index)
    kept: dict[str, StoryState] = {}
    for event_id, story_id in sorted(index.event_stories(stories=sorted(hidden_stories))
                                     .items()):
        if story_id is not None and event_id not in hidden_events:
            event = source.event(event_id)
            if event is not None:
                kept.setdefault(story_id, StoryState(story_id)).put(event)
    return list(kept.values())


def _overlap_names(new: dict[str, set[str]], old: dict[str, set[str]], prefix: str,
                   fixed: Collection[str] = ()) -> dict[str, str]:
    """New cluster id -> the old id it overlaps most (each old id used once, biggest
    overlaps first), or a fresh id derived from its first member; ``fixed`` ids keep
    their names."""
    names = {n: n for n in new if n in fixed}
    used = set(names)
    pairs = sorted(((len(new[n] & old[o]), n, o) for n in new for o in old
                    if n not in names and new[n] & old[o]), key=lambda t: (-t[0], t[1], t[2]))
    for _, n, o in pairs:
        if n not in names and o not in used:
            names[n] = o
            used.add(o)
    for n in sorted(set(new) - set(names)):
        fresh, k = short_id(prefix, min(new[n] or {n})), 0
        while fresh in used or fresh in old:
            k += 1
            fresh = short_id(prefix, f"{min(new[n])}#{k}")
        names[n] = fresh
        used.add(fresh)
    return names


def _stable_ids(rows: ClusterRows, work: Plan, created: set[str]) -> None:
    """Rename what the run created after the old events and stories it overlaps most;
    events and stories that existed before it (outside the range) keep their ids."""
    events = dict(rows.events)
    old_members: dict[str, set[str]] = defaultdict(set)
    for article, event in work.old_events.items():
        old_members[event].add(article)
    event_names = _overlap_names({e.id: set(e.articles) for e in events.values()},
                                 old_members, "ev-", set(events) - created)
    stories = dict(rows.stories)
    new_story_articles = {s.id: {a for e in s.members if e in events
                                 for a in events[e].articles} for s in stories.values()}
    old_story_articles: dict[str, set[str]] = defaultdict(set)
    for event, story in work.old_stories.items():
        if story:
            old_story_articles[story] |= old_members[event]
    story_names = _overlap_names(new_story_articles, old_story_articles, "st-",
                                 set(stories) - created)
    rows.events = {}
    for state in events.values():
        state.id = event_names[state.id]
        state.story_id = story_names.get(state.story_id or "", state.story_id)
        rows.events[state.id] = state
    rows.assignments = {a: (event_names[e], p) for a, (e, p) in rows.assignments.items()}
    rows.renamed_stories = {old: story_names.get(new, new)
                            for old, new in rows.renamed_stories.items()}
    rows.stories = {}
    for thread in stories.values():
        thread.id = story_names[thread.id]
        thread.members = {event_names.get(e, e): m for e, m in thread.members.items()}
        rows.stories[thread.id] = thread
    _history(rows, new_story_articles, old_story_articles, story_names)


def _history(rows: ClusterRows, new: dict[str, set[str]], old: dict[str, set[str]],
             names: dict[str, str]) -> None:
    """Stories whose articles came from several old stories (merged), and old stories
    whose articles went to several new ones (split)."""
    sources: dict[str, Counter[str]] = {names[n]: Counter() for n in new}
    for n, articles in new.items():
        for o, theirs in old.items():
            if articles & theirs:
                sources[names[n]][o] = len(articles & theirs)
    for story, parts in sorted(sources.items()):
        if len(parts) > 1:
            detail = ", ".join(f"{o} ({k} articles)" for o, k in sorted(parts.items()))
            for o in sorted(parts):
                if o != story:
                    rows.history.append((story, "merged", o, f"recluster joined {detail}"))
    for o in sorted(old):
        pieces = sorted(s for s, p in sources.items() if o in p)
        if len(pieces) > 1:
            for s in pieces:
                rows.history.append((s, "split", o, f"recluster divided {o} into "
                                                    f"{', '.join(pieces)}"))
    log.info("recluster history: %d records", len(rows.history))


def agreement(a: dict[str, str], b: dict[str, str]) -> float:
    """B-cubed F1 of one labelling against another over their common items."""
    items = sorted(set(a) & set(b))
    if not items:
        return 1.0
    groups_a: dict[str, set[str]] = defaultdict(set)
    groups_b: dict[str, set[str]] = defaultdict(set)
    for i in items:
        groups_a[a[i]].add(i)
        groups_b[b[i]].add(i)
    p = sum(len(groups_a[a[i]] & groups_b[b[i]]) / len(groups_b[b[i]]) for i in items)
    r = sum(len(groups_a[a[i]] & groups_b[b[i]]) / len(groups_a[a[i]]) for i in items)
    p, r = p / len(items), r / len(items)
    return 2 * p * r / (p + r) if p + r else 0.0
