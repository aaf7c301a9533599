"""SQL of the duplicates index: fingerprints, LSH buckets and duplicate links."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

CHUNK = 900  # SQLite's default limit on query parameters is 999


@dataclass
class StoredFingerprint:
    article_id: str
    shingles: int
    signature: bytes
    duplicate_of: str | None
    published_at: str | None
    language: str | None


@dataclass
class DuplicateRows:
    """What one batch adds to the index, written in the batch's transaction."""

    fingerprints: list[tuple[str, str, str | None, int, bytes]] = field(default_factory=list)
    buckets: list[tuple[int, str]] = field(default_factory=list)
    links: list[tuple[str, str, str, float]] = field(default_factory=list)
    reroots: list[tuple[str, str]] = field(default_factory=list)


def chunks(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


class DuplicateIndex:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def indexed(self, ids: Iterable[str]) -> set[str]:
        found: set[str] = set()
        for chunk in chunks(list(ids)):
            sql = f"SELECT article_id FROM fingerprints WHERE article_id IN ({marks(chunk)})"
            found.update(row[0] for row in self.conn.execute(sql, chunk))
        return found

    def exact(self, body_hash: str, limit: int = 1) -> list[str]:
        """Articles with this body (one is enough: copies share their original)."""
        rows = self.conn.execute(
            "SELECT article_id FROM fingerprints WHERE body_hash = ? LIMIT ?", (body_hash, limit))
        return [row[0] for row in rows]

    def same_title(self, title_hash: str, limit: int = 20) -> list[str]:
        """The latest articles with this headline."""
        rows = self.conn.execute(
            "SELECT article_id FROM fingerprints WHERE title_hash = ? ORDER BY rowid DESC "
            "LIMIT ?", (title_hash, limit))
        return [row[0] for row in rows]

    def bucket_sizes(self, keys: list[int]) -> dict[int, int]:
        sql = (f"SELECT bucket, count(*) FROM lsh_buckets WHERE bucket IN ({marks(keys)}) "
               "GROUP BY bucket")
        return {row[0]: row[1] for row in self.conn.execute(sql, keys)}

    def in_buckets(self, keys: list[int], limit: int) -> dict[str, int]:
        """The ``limit`` articles sharing most LSH buckets with ``keys``, with that count:
        templated news (daily weather, market closes) must not make lookups quadratic."""
        sql = (f"SELECT article_id, count(*) FROM lsh_buckets WHERE bucket IN ({marks(keys)}) "
               "GROUP BY article_id ORDER BY count(*) DESC, article_id LIMIT ?")
        return {row[0]: row[1] for row in self.conn.execute(sql, [*keys, limit])}

    def fingerprints(self, ids: Iterable[str]) -> dict[str, StoredFingerprint]:
        found: dict[str, StoredFingerprint] = {}
        for chunk in chunks(list(ids)):
            sql = ("SELECT f.article_id, f.shingles, f.signature, a.duplicate_of, "
                   "a.published_at, a.language FROM fingerprints f JOIN articles a "
                   f"ON a.id = f.article_id WHERE f.article_id IN ({marks(chunk)})")
            for row in self.conn.execute(sql, chunk):
                found[row[0]] = StoredFingerprint(*row)
        return found

    def forget(self, ids: list[str]) -> None:
        """Inside the caller's transaction: no fingerprint, buckets or own link for ``ids``."""
        for chunk in chunks(ids):
            params = marks(chunk)
            self.conn.execute(f"DELETE FROM fingerprints WHERE article_id IN ({params})", chunk)
            self.conn.execute(f"DELETE FROM lsh_buckets WHERE article_id IN ({params})", chunk)
            self.conn.execute(
                "UPDATE articles SET duplicate_of = NULL, duplicate_kind = NULL, "
                f"duplicate_similarity = NULL WHERE id IN ({params})", chunk)

    def write(self, rows: DuplicateRows) -> None:
        """Inside the caller's transaction."""
        self.conn.executemany("INSERT OR REPLACE INTO fingerprints VALUES (?, ?, ?, ?, ?)",
                              rows.fingerprints)
        self.conn.executemany("INSERT INTO lsh_buckets VALUES (?, ?)", rows.buckets)
        # links first, then re-rootings in the order they happened (A's copies move to B…)
        self.conn.executemany(
            "UPDATE articles SET duplicate_of = ?, duplicate_kind = ?, duplicate_similarity = ?"
            " WHERE id = ?", [(root, kind, similarity, article) for article, root, kind,
                              similarity in rows.links])
        for old_root, new_root in rows.reroots:
            self.conn.execute("UPDATE articles SET duplicate_of = ? WHERE duplicate_of = ?",
                              (new_root, old_root))

    def groups(self, kind: str | None = None, limit: int | None = None
               ) -> Iterator[dict[str, Any]]:
        """Each group of copies: its original and its copies (newest groups first)."""
        sql = ("SELECT duplicate_of, count(*) AS copies FROM articles WHERE duplicate_of IS NOT "
               "NULL AND (? IS NULL OR duplicate_kind = ?) GROUP BY duplicate_of "
               "ORDER BY count(*) DESC, duplicate_of")
        params: list[Any] = [kind, kind]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        for root, _ in self.conn.execute(sql, params).fetchall():
            rows = self.conn.execute(
                "SELECT id, outlet, title, published_at, duplicate_kind, duplicate_similarity "
                "FROM articles WHERE id = ? OR duplicate_of = ? "
                "ORDER BY duplicate_of IS NOT NULL, published_at, id", (root, root)).fetchall()
            original, *copies = (dict(r) for r in rows)
            yield {"original": original, "copies": copies}


def marks(items: list[Any]) -> str:
    return ", ".join("?" * len(items))
