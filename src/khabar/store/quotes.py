"""SQL of the quotes: each quote of each article, its speaker and its quote group."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from khabar.store.duplicates import chunks, marks

QuoteRow = tuple[str, int, int, str, str, str, str | None, str, str, str, str]
KEYS = ("article_id", "start", "end", "text", "kind", "cue", "speaker_id", "speaker_text",
        "anonymous", "channel", "group_id")


@dataclass
class QuoteRows:
    """What one batch writes: the full quote list of each article in ``forget``."""

    quotes: list[QuoteRow] = field(default_factory=list)
    forget: list[str] = field(default_factory=list)


class QuoteIndex:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def by_speaker(self, speaker_id: str, limit: int = 300) -> list[tuple[str, str]]:
        """(group id, text) of a speaker's latest quotes."""
        rows = self.conn.execute(
            "SELECT q.group_id, q.text FROM quotes q JOIN articles a ON a.id = q.article_id "
            "WHERE q.speaker_id = ? ORDER BY a.published_at DESC LIMIT ?", (speaker_id, limit))
        return [(row[0], row[1]) for row in rows]

    def write(self, rows: QuoteRows) -> None:
        for chunk in chunks(rows.forget):
            self.conn.execute(f"DELETE FROM quotes WHERE article_id IN ({marks(chunk)})", chunk)
        self.conn.executemany(
            f"INSERT OR REPLACE INTO quotes VALUES ({', '.join('?' * len(KEYS))})", rows.quotes)

    def of_article(self, article_id: str) -> list[dict[str, Any]]:
        return self._select("q.article_id = ?", [article_id], "q.start")

    def search(self, speaker_ids: list[str] | None, since: str | None, until: str | None,
               limit: int | None) -> list[dict[str, Any]]:
        where: list[str] = ["1"]
        params: list[Any] = []
        if speaker_ids is not None:
            where.append(f"q.speaker_id IN ({marks(speaker_ids) or 'NULL'})")
            params += speaker_ids
        if since:
            where.append("substr(a.published_at, 1, ?) >= ?")
            params += [len(since), since]
        if until:
            where.append("substr(a.published_at, 1, ?) <= ?")
            params += [len(until), until]
        return self._select(" AND ".join(where), params,
                            "a.published_at IS NULL, a.published_at DESC, q.article_id, q.start",
                            limit)

    def _select(self, where: str, params: list[Any], order: str, limit: int | None = None
                ) -> list[dict[str, Any]]:
        sql = ("SELECT q.*, e.name, a.outlet, a.published_at, a.title, "
               "(SELECT count(DISTINCT article_id) FROM quotes g WHERE g.group_id = q.group_id)"
               " FROM quotes q JOIN articles a ON a.id = q.article_id "
               f"LEFT JOIN entities e ON e.id = q.speaker_id WHERE {where} ORDER BY {order}")
        if limit:
            sql += f" LIMIT {int(limit)}"
        out = []
        for row in self.conn.execute(sql, params):
            item = dict(zip(KEYS, row[:len(KEYS)], strict=True))
            name, outlet, published, title, sources = row[len(KEYS):]
            item["speaker"] = {"entity_id": item["speaker_id"], "name": name} \
                if item["speaker_id"] else None
            item.update(outlet=outlet, published_at=published, title=title, sources=sources)
            out.append(item)
        return out
