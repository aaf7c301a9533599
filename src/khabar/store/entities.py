"""SQL of the entity index: entities, their lookup keys and their mentions in articles."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from khabar.store.duplicates import chunks, marks

Mention = tuple[str, str, int, int, str, str, str]  # article, entity, start, end, text, kind, role


@dataclass
class EntityRows:
    """What one batch adds: entities, keys, and the full mention list of each article in
    ``forget`` (its stored mentions are replaced). Lookups see the batch's own rows first."""

    entities: dict[str, tuple[str, str, bool]] = field(default_factory=dict)
    keys: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    forget: list[str] = field(default_factory=list)

    def add_entity(self, ident: str, name: str, kind: str, gazetteer: bool) -> None:
        old = self.entities.get(ident)
        if old is None or len(name) > len(old[0]):
            self.entities[ident] = (name, kind, gazetteer)

    def add_key(self, key: str, kind: str, ident: str, type_: str) -> None:
        if not key:
            return
        bucket = self.keys.setdefault((key, kind, type_), [])
        if ident not in bucket:
            bucket.append(ident)

    def lookup(self, index: EntityIndex, key: str, kind: str, type_: str) -> list[str]:
        found = list(self.keys.get((key, kind, type_), []))
        found += [i for i in index.lookup(key, kind, type_) if i not in found]
        return found

    def keys_of(self, index: EntityIndex, ident: str) -> list[str]:
        mine = [k for (k, kind, _), ids in self.keys.items() if kind == "name" and ident in ids]
        return mine + [k for k in index.keys_of(ident) if k not in mine]


class EntityIndex:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def lookup(self, key: str, kind: str, type_: str) -> list[str]:
        """Entities with this key, the most mentioned first."""
        rows = self.conn.execute(
            "SELECT k.entity_id FROM entity_keys k WHERE k.key = ? AND k.kind = ? "
            "AND k.type = ? ORDER BY (SELECT count(*) FROM mentions m "
            "WHERE m.entity_id = k.entity_id) DESC, k.entity_id LIMIT 20", (key, kind, type_))
        return [row[0] for row in rows]

    def keys_of(self, ident: str) -> list[str]:
        rows = self.conn.execute(
            "SELECT key FROM entity_keys WHERE entity_id = ? AND kind = 'name'", (ident,))
        return [row[0] for row in rows]

    def write(self, rows: EntityRows, stamp: str) -> None:
        for ident, (name, kind, gazetteer) in rows.entities.items():
            self.conn.execute(
                "INSERT INTO entities (id, name, type, gazetteer, created_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name "
                "WHERE NOT entities.gazetteer AND length(excluded.name) > length(entities.name)",
                (ident, name, kind, int(gazetteer), stamp))
        self.conn.executemany(
            "INSERT OR IGNORE INTO entity_keys VALUES (?, ?, ?, ?)",
            [(key, kind, type_, ident) for (key, kind, type_), ids in rows.keys.items()
             for ident in ids])
        for chunk in chunks(rows.forget):
            self.conn.execute(f"DELETE FROM mentions WHERE article_id IN ({marks(chunk)})",
                              chunk)
        self.conn.executemany("INSERT OR REPLACE INTO mentions VALUES (?, ?, ?, ?, ?, ?, ?)",
                              rows.mentions)

    # -- reads ----------------------------------------------------------------------------
    def mentions(self, article_id: str) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT m.entity_id, e.name, e.type, m.text, m.start, m.end, m.kind, m.role "
            "FROM mentions m JOIN entities e ON e.id = m.entity_id WHERE m.article_id = ? "
            "ORDER BY m.start", (article_id,))
        return [dict(zip(("entity_id", "name", "type", "text", "start", "end", "kind",
                          "role"), row, strict=True)) for row in rows]

    def entities(self, type_: str | None = None, outlet: str | None = None,
                 limit: int | None = None) -> list[dict[str, Any]]:
        """Entities with mention and article counts, the most mentioned first."""
        where, params = ["1"], []
        if type_:
            where.append("e.type = ?")
            params.append(type_)
        if outlet:
            where.append("a.outlet = ?")
            params.append(outlet)
        sql = ("SELECT e.id, e.name, e.type, count(*) AS mentions, "
               "count(DISTINCT m.article_id) AS articles FROM entities e "
               "JOIN mentions m ON m.entity_id = e.id JOIN articles a ON a.id = m.article_id "
               f"WHERE {' AND '.join(where)} GROUP BY e.id "
               "ORDER BY articles DESC, mentions DESC, e.id")
        if limit:
            sql += f" LIMIT {int(limit)}"
        out = []
        for row in self.conn.execute(sql, params):
            item = dict(zip(("id", "name", "type", "mentions", "articles"), row, strict=True))
            item["aliases"] = self.aliases(item["id"], 8)
            out.append(item)
        return out

    def aliases(self, ident: str, limit: int = 50) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT text, count(*) FROM mentions WHERE entity_id = ? GROUP BY text "
            "ORDER BY count(*) DESC, text LIMIT ?", (ident, limit))
        return [{"text": text, "count": count} for text, count in rows]

    def find(self, name_or_id: str, keys: list[str]) -> list[str]:
        """Entity ids for an id, or for a name given as its lookup keys (full names first,
        then surnames)."""
        if self.conn.execute("SELECT 1 FROM entities WHERE id = ?", (name_or_id,)).fetchone():
            return [name_or_id]
        found: list[str] = []
        for key in keys:
            for row in self.conn.execute(
                    "SELECT entity_id FROM entity_keys WHERE key = ? AND kind IN "
                    "('name', 'surname') GROUP BY entity_id ORDER BY min(kind)", (key,)):
                if row[0] not in found:
                    found.append(row[0])
        return found

    def entity(self, ident: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT id, name, type, gazetteer FROM entities WHERE id = ?",
                                (ident,)).fetchone()
        if row is None:
            return None
        articles = [dict(zip(("id", "title", "outlet", "published_at", "mentions"), r,
                             strict=True)) for r in self.conn.execute(
            "SELECT a.id, a.title, a.outlet, a.published_at, count(*) FROM mentions m "
            "JOIN articles a ON a.id = m.article_id WHERE m.entity_id = ? GROUP BY a.id "
            "ORDER BY a.published_at DESC, a.id", (ident,))]
        together = [dict(zip(("id", "name", "type", "articles"), r, strict=True))
                    for r in self.conn.execute(
            "SELECT e.id, e.name, e.type, count(DISTINCT o.article_id) AS n FROM mentions m "
            "JOIN mentions o ON o.article_id = m.article_id AND o.entity_id != m.entity_id "
            "JOIN entities e ON e.id = o.entity_id WHERE m.entity_id = ? GROUP BY e.id "
            "ORDER BY n DESC, e.id LIMIT 20", (ident,))]
        return {"id": row[0], "name": row[1], "type": row[2], "gazetteer": bool(row[3]),
                "aliases": self.aliases(ident), "articles": articles,
                "co_occurring": together}
