"""SQL of events and stories: article vectors, events and their articles, stories, the
entities that find a story, and each story's history of merges and splits."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from khabar.store.duplicates import chunks, marks

EVENT_COLUMNS = ("id", "story_id", "title", "title_article", "day", "precision", "first_day",
                 "last_day", "articles", "outlets", "state", "vectors", "centroid")
_EVENT_STATE = "SELECT id, story_id, title, state, vectors, centroid FROM events"
STORY_COLUMNS = ("id", "title", "title_event", "first_day", "last_day", "events", "articles",
                 "state", "vectors")


@dataclass
class ClusterWrite:
    """Rows one batch writes: plain column tuples, in the column orders above."""

    vectors: list[tuple[str, bytes]] = field(default_factory=list)
    events: list[tuple[Any, ...]] = field(default_factory=list)
    assignments: list[tuple[str, str, float]] = field(default_factory=list)
    stories: list[tuple[Any, ...]] = field(default_factory=list)
    story_entities: dict[str, list[str]] = field(default_factory=dict)
    dropped_stories: list[str] = field(default_factory=list)
    renamed_stories: list[tuple[str, str]] = field(default_factory=list)  # (old, new)
    history: list[tuple[str, str, str | None, str]] = field(default_factory=list)


class ClusterIndex:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    # -- writes (inside the caller's transaction) -----------------------------------------
    def write(self, rows: ClusterWrite, stamp: str) -> None:
        execute = self.conn.executemany
        execute("INSERT OR REPLACE INTO article_vectors VALUES (?, ?)", rows.vectors)
        cols = ", ".join(EVENT_COLUMNS)
        execute(f"INSERT OR REPLACE INTO events ({cols}, updated_at) VALUES "
                f"({marks(list(EVENT_COLUMNS))}, ?)", [(*r, stamp) for r in rows.events])
        execute("INSERT OR REPLACE INTO event_articles VALUES (?, ?, ?)", rows.assignments)
        execute("UPDATE events SET story_id = ? WHERE story_id = ?",
                [(new, old) for old, new in rows.renamed_stories])
        gone = rows.dropped_stories + [s[0] for s in rows.stories]
        for chunk in chunks(gone):
            self.conn.execute(f"DELETE FROM story_entities WHERE story_id IN ({marks(chunk)})",
                              chunk)
        for chunk in chunks(rows.dropped_stories):
            self.conn.execute(f"DELETE FROM stories WHERE id IN ({marks(chunk)})", chunk)
        cols = ", ".join(STORY_COLUMNS)
        execute(f"INSERT OR REPLACE INTO stories ({cols}, updated_at) VALUES "
                f"({marks(list(STORY_COLUMNS))}, ?)", [(*r, stamp) for r in rows.stories])
        execute("INSERT OR IGNORE INTO story_entities VALUES (?, ?)",
                [(e, s) for s, entities in rows.story_entities.items() for e in entities])
        execute("INSERT INTO story_history (story_id, at, action, other_id, reason) "
                "VALUES (?, ?, ?, ?, ?)",
                [(s, stamp, action, other, reason) for s, action, other, reason in rows.history])

    def clear(self, article_ids: list[str], event_ids: list[str], story_ids: list[str]) -> None:
        """Forget the assignments, events and stories a recluster rebuilds."""
        for table, column, ids in (("event_articles", "article_id", article_ids),
                                   ("events", "id", event_ids),
                                   ("story_entities", "story_id", story_ids),
                                   ("stories", "id", story_ids)):
            for chunk in chunks(ids):
                self.conn.execute(f"DELETE FROM {table} WHERE {column} IN ({marks(chunk)})",
                                  chunk)

    # -- what clustering reads ------------------------------------------------------------
    def events_between(self, first: str | None, last: str | None, limit: int = 20000
                       ) -> list[sqlite3.Row]:
        """Events whose days meet [first, last]; both None: the undated events."""
        if first is None or last is None:
            return self.conn.execute(f"{_EVENT_STATE} WHERE first_day IS NULL ORDER BY rowid "
                                     "DESC LIMIT ?", (limit,)).fetchall()
        return self.conn.execute(f"{_EVENT_STATE} WHERE first_day <= ? AND last_day >= ? "
                                 "LIMIT ?", (last, first, limit)).fetchall()

    def event_row(self, ident: str) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self.conn.execute(f"{_EVENT_STATE} WHERE id = ?",
                                                    (ident,)).fetchone()
        return row

    def event_of(self, article_id: str) -> str | None:
        row = self.conn.execute("SELECT event_id FROM event_articles WHERE article_id = ?",
                                (article_id,)).fetchone()
        return None if row is None else str(row[0])

    def of_article(self, article_id: str) -> tuple[str | None, str | None]:
        """(event id, story id) of an article."""
        row = self.conn.execute(
            "SELECT x.event_id, e.story_id FROM event_articles x LEFT JOIN events e "
            "ON e.id = x.event_id WHERE x.article_id = ?", (article_id,)).fetchone()
        return (None, None) if row is None else (row[0], row[1])

    def assigned(self, article_ids: list[str]) -> set[str]:
        found: set[str] = set()
        for chunk in chunks(article_ids):
            found.update(r[0] for r in self.conn.execute(
                f"SELECT article_id FROM event_articles WHERE article_id IN ({marks(chunk)})",
                chunk))
        return found

    def story_row(self, ident: str) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self.conn.execute(
            "SELECT id, state, vectors FROM stories WHERE id = ?", (ident,)).fetchone()
        return row

    def stories_naming(self, entity: str, limit: int) -> list[str]:
        rows = self.conn.execute(
            "SELECT s.id FROM story_entities x JOIN stories s ON s.id = x.story_id "
            "WHERE x.entity_id = ? ORDER BY s.last_day DESC, s.id LIMIT ?", (entity, limit))
        return [r[0] for r in rows]

    def document_counts(self) -> tuple[dict[str, int], int]:
        """Articles naming each entity, and the number of articles."""
        counts = dict(self.conn.execute(
            "SELECT entity_id, count(DISTINCT article_id) FROM mentions GROUP BY entity_id"
        ).fetchall())
        total = self.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        return counts, int(total)

    def profile_rows(self, since: str | None, ids: list[str] | None = None
                     ) -> list[sqlite3.Row]:
        """Per article with vectors, what a profile needs (recluster): all of them, those
        whose event day (else publication day) is on or after ``since``, or those in
        ``ids``."""
        day = ("coalesce(substr(json_extract(a.event_time, '$.value'), 1, 10), "
               "substr(a.published_at, 1, 10))")
        sql = ("SELECT a.id, a.outlet, a.title, a.published_at, a.published_provenance, "
               "a.event_time, a.duplicate_of, v.data FROM articles a JOIN article_vectors v "
               "ON v.article_id = a.id")
        if ids is not None:
            return [row for chunk in chunks(ids) for row in self.conn.execute(
                f"{sql} WHERE a.id IN ({marks(chunk)})", chunk)]
        if since:
            return self.conn.execute(f"{sql} WHERE {day} >= ?", (since,)).fetchall()
        return self.conn.execute(sql).fetchall()

    def straddle_start(self, since: str) -> str:
        """The earliest first day of the events reaching ``since`` or later, followed back
        until no event crosses it: reclustering from there leaves no event half rebuilt."""
        while True:
            row = self.conn.execute("SELECT min(first_day) FROM events WHERE last_day >= ?",
                                    (since,)).fetchone()
            if row[0] is None or row[0] >= since:
                return since
            since = row[0]

    def mention_counts(self, article_ids: list[str]) -> dict[str, dict[str, int]]:
        found: dict[str, dict[str, int]] = {}
        for chunk in chunks(article_ids):
            for article, entity, n in self.conn.execute(
                    f"SELECT article_id, entity_id, count(*) FROM mentions WHERE article_id IN "
                    f"({marks(chunk)}) GROUP BY article_id, entity_id", chunk):
                found.setdefault(article, {})[entity] = n
        return found

    def events_of_articles(self, article_ids: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for chunk in chunks(article_ids):
            found.update(self.conn.execute(
                f"SELECT article_id, event_id FROM event_articles WHERE article_id IN "
                f"({marks(chunk)})", chunk).fetchall())
        return found

    def members(self, event_ids: list[str]) -> list[str]:
        found: list[str] = []
        for chunk in chunks(event_ids):
            found += [r[0] for r in self.conn.execute(
                f"SELECT article_id FROM event_articles WHERE event_id IN ({marks(chunk)})",
                chunk)]
        return found

    def event_stories(self, *, events: list[str] | None = None,
                      stories: list[str] | None = None) -> dict[str, str | None]:
        """Event id -> story id, for these events or for the events of these stories."""
        column, ids = ("id", events) if events is not None else ("story_id", stories or [])
        return dict(self.conn.execute(
            f"SELECT id, story_id FROM events WHERE {column} IN "
            f"(SELECT value FROM json_each(?))", (json.dumps(ids),)).fetchall())

    # -- views ----------------------------------------------------------------------------
    def story_rows(self, since: str | None, until: str | None, limit: int | None,
                   ident: str | None = None) -> list[dict[str, Any]]:
        """Stories, the latest first (undated last), or the one with id (or unique id
        prefix) ``ident``."""
        where, params = _active(since, until)
        if ident is not None:
            where.append("id >= ? AND id < ?")
            params += [ident, ident + "\U0010ffff"]
        sql = (f"SELECT id, title, first_day, last_day, events, articles FROM stories WHERE "
               f"{' AND '.join(where)} ORDER BY last_day IS NULL, last_day DESC, articles DESC, "
               f"id")
        return self._dicts(sql, params, limit,
                           ("id", "title", "first_date", "last_date", "events", "articles"))

    def event_rows(self, story_ids: list[str] | None, since: str | None = None,
                   until: str | None = None, limit: int | None = None
                   ) -> list[dict[str, Any]]:
        """Events in timeline order (by day, undated last), of some stories or all."""
        where, params = _active(since, until)
        if story_ids is not None:
            where.append("story_id IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(story_ids))
        sql = (f"SELECT id, story_id, title, day, precision, first_day, last_day, articles, "
               f"outlets FROM events WHERE {' AND '.join(where)} "
               f"ORDER BY day IS NULL, day, first_day, id")
        return self._dicts(sql, params, limit, ("id", "story_id", "title", "date", "precision",
                                                "first_date", "last_date", "articles",
                                                "outlets"))

    def _dicts(self, sql: str, params: list[Any], limit: int | None,
               keys: tuple[str, ...]) -> list[dict[str, Any]]:
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [dict(zip(keys, row, strict=True)) for row in self.conn.execute(sql, params)]

    def event_members(self, event_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        """Each event's articles, earliest published first."""
        found: dict[str, list[dict[str, Any]]] = {e: [] for e in event_ids}
        for chunk in chunks(event_ids):
            for row in self.conn.execute(
                    f"SELECT x.event_id, a.id, a.title, a.outlet, a.published_at, "
                    f"a.duplicate_of FROM event_articles x JOIN articles a ON a.id = "
                    f"x.article_id WHERE x.event_id IN ({marks(chunk)}) "
                    f"ORDER BY a.published_at IS NULL, a.published_at, a.id", chunk):
                found[row[0]].append(dict(zip(("id", "title", "outlet", "published_at",
                                               "duplicate_of"), row[1:], strict=True)))
        return found

    def story_entities_top(self, story_id: str, limit: int) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT m.entity_id, n.name, n.type, count(DISTINCT m.article_id) AS k "
            "FROM events e JOIN event_articles x ON x.event_id = e.id JOIN mentions m "
            "ON m.article_id = x.article_id JOIN entities n ON n.id = m.entity_id "
            "WHERE e.story_id = ? AND m.kind != 'adjective' GROUP BY m.entity_id "
            "ORDER BY k DESC, count(*) DESC, m.entity_id LIMIT ?", (story_id, limit))
        return [dict(zip(("id", "name", "type", "articles"), r, strict=True)) for r in rows]

    def story_quotes(self, story_id: str, limit: int) -> list[dict[str, Any]]:
        """Attributed quotes from the story's articles, one per statement group, the most
        widely carried first."""
        rows = self.conn.execute(
            "SELECT q.text, q.speaker_id, n.name, q.article_id, a.outlet, a.published_at, "
            "x.event_id, count(*) OVER (PARTITION BY q.group_id) AS sources, "
            "row_number() OVER (PARTITION BY q.group_id ORDER BY a.published_at, a.id) AS k "
            "FROM events e JOIN event_articles x ON x.event_id = e.id JOIN quotes q "
            "ON q.article_id = x.article_id JOIN articles a ON a.id = q.article_id "
            "LEFT JOIN entities n ON n.id = q.speaker_id WHERE e.story_id = ? "
            "AND q.speaker_id IS NOT NULL", (story_id,))
        keys = ("text", "speaker_id", "speaker", "article_id", "outlet", "published_at",
                "event_id", "sources")
        found = [dict(zip(keys, r[:-1], strict=True)) for r in rows if r[-1] == 1]
        found.sort(key=lambda q: (-q["sources"], q["published_at"] or "", q["article_id"]))
        return found[:limit]

    def story_outlets(self, story_ids: list[str]) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {s: [] for s in story_ids}
        for chunk in chunks(story_ids):
            for story, outlet in self.conn.execute(
                    f"SELECT DISTINCT e.story_id, a.outlet FROM events e JOIN event_articles x "
                    f"ON x.event_id = e.id JOIN articles a ON a.id = x.article_id WHERE "
                    f"e.story_id IN ({marks(chunk)}) AND a.outlet IS NOT NULL "
                    f"ORDER BY a.outlet", chunk):
                found[story].append(outlet)
        return found

    def history(self, story_id: str) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT story_id, at, action, other_id, reason FROM story_history WHERE "
            "story_id = ? OR other_id = ? ORDER BY rowid", (story_id, story_id))
        return [dict(zip(("story_id", "at", "action", "other_id", "reason"), r, strict=True))
                for r in rows]


def _active(since: str | None, until: str | None) -> tuple[list[str], list[Any]]:
    """Conditions for rows whose days meet [since, until] (either may be open)."""
    where, params = ["1"], []
    if since:
        where.append("last_day >= ?")
        params.append(since)
    if until:
        where.append("first_day <= ?")
        params.append(until)
    return where, params
