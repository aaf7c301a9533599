"""SQLite store: articles upserted by content id, rejections, one batched writer.

The connection runs in autocommit mode with WAL; every write goes through
:meth:`Store.write`, which holds one ``BEGIN IMMEDIATE`` transaction per batch, so a crash
loses at most the batch in flight and never leaves half an article.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from khabar.errors import NotFound, StoreError
from khabar.model import PROVENANCES, Article, Rejection
from khabar.store import migrations
from khabar.store.clusters import ClusterIndex, ClusterWrite
from khabar.store.duplicates import DuplicateIndex, DuplicateRows
from khabar.store.entities import EntityIndex, EntityRows
from khabar.store.migrations import now, transaction
from khabar.store.quotes import QuoteIndex, QuoteRows

ARTICLE_COLUMNS = (
    "id", "origin", "url", "outlet", "title", "text", "byline", "dateline", "captions",
    "headings", "language", "published_at", "published_precision", "published_provenance",
    "fetched_at", "encoding", "format", "meta", "language_spans", "stages", "dates",
    "event_time", "published_range",
)
JSON_COLUMNS = ("captions", "headings", "meta", "language_spans", "stages", "dates",
                "published_range")
NULLABLE_JSON_COLUMNS = ("event_time",)
# Set by the duplicates linker, not by the pipeline: read with the article, written apart.
LINK_COLUMNS = ("duplicate_of", "duplicate_kind", "duplicate_similarity")
# Where the same content arrives again these say where from, not what it is.
_NOT_CONTENT = ("origin", "fetched_at")


@dataclass
class WriteCounts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejections_new: int = 0
    rejections_seen: int = 0

    def __iadd__(self, other: WriteCounts) -> WriteCounts:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self


@dataclass
class ArticleFilter:
    outlet: str | None = None
    since: str | None = None
    until: str | None = None
    language: str | None = None
    limit: int | None = None
    event_since: str | None = None
    event_until: str | None = None


_EVENT_DAY = "substr(json_extract(event_time, '$.value'), 1, 10)"


def _digest(row: dict[str, Any]) -> str:
    content = {k: row[k] for k in ARTICLE_COLUMNS if k not in _NOT_CONTENT}
    blob = json.dumps(content, ensure_ascii=False, sort_keys=True)
    return hashlib.blake2b(blob.encode("utf-8"), digest_size=12).hexdigest()


def _to_row(article: Article) -> dict[str, Any]:
    row = {k: getattr(article, k) for k in ARTICLE_COLUMNS}
    for key in JSON_COLUMNS:
        row[key] = json.dumps(row[key] or ({} if key == "meta" else []), ensure_ascii=False,
                              sort_keys=True, default=str)
    for key in NULLABLE_JSON_COLUMNS:
        row[key] = None if row[key] is None else json.dumps(row[key], sort_keys=True)
    return row


def _from_row(row: sqlite3.Row) -> Article:
    data = {k: row[k] for k in (*ARTICLE_COLUMNS, *LINK_COLUMNS)}
    for key in JSON_COLUMNS:
        data[key] = json.loads(data[key])
    for key in NULLABLE_JSON_COLUMNS:
        data[key] = None if data[key] is None else json.loads(data[key])
    return Article.from_dict(data)


_PUBLISHED = ("published_at", "published_precision", "published_provenance")


def _merge(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """New values win, but a field the new input leaves empty keeps its stored value and a
    publication date is replaced only by one of equal or better provenance, so re-reading
    an article without its sidecar loses nothing the sidecar gave."""
    merged = dict(old)
    for key in ARTICLE_COLUMNS:
        if key not in (*_NOT_CONTENT, *_PUBLISHED, "meta") and new[key] not in (None, "", "[]"):
            merged[key] = new[key]
    if _rank(new["published_provenance"]) <= _rank(old["published_provenance"]):
        merged.update({key: new[key] for key in _PUBLISHED})
    merged["meta"] = json.dumps({**json.loads(old["meta"]), **json.loads(new["meta"])},
                                ensure_ascii=False, sort_keys=True)
    return merged


def _rank(provenance: str | None) -> int:
    order = PROVENANCES
    return order.index(provenance) if provenance in order else len(order)


class Store:
    def __init__(self, path: str | Path, *, busy_timeout: float = 30.0) -> None:
        self.path = Path(path)
        try:
            self.conn = sqlite3.connect(self.path, timeout=busy_timeout, isolation_level=None,
                                        check_same_thread=False)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open database: {exc}", origin=str(self.path)) from exc
        self.duplicates = DuplicateIndex(self.conn)
        self.entities = EntityIndex(self.conn)
        self.quotes = QuoteIndex(self.conn)
        self.clusters = ClusterIndex(self.conn)

    def close(self) -> None:
        self.conn.close()

    # -- schema ---------------------------------------------------------------------------
    def migrate(self) -> list[str]:
        return migrations.migrate(self.conn)

    def migrations(self) -> tuple[list[str], list[str]]:
        """(applied, pending) migration names."""
        return migrations.applied(self.conn), migrations.pending(self.conn)

    # -- writes ---------------------------------------------------------------------------
    def write(self, articles: Iterable[Article], rejections: Iterable[Rejection],
              duplicates: DuplicateRows | None = None,
              entities: EntityRows | None = None,
              quotes: QuoteRows | None = None,
              clusters: ClusterWrite | None = None) -> WriteCounts:
        """Upsert a batch in one transaction. An article already stored, or seen earlier in
        the batch, is merged into the earlier copy (see ``_merge``), never duplicated.
        ``duplicates`` (fingerprints and links of the batch) and ``entities`` (entities, keys
        and each article's mentions) go in the same transaction."""
        counts = WriteCounts()
        stamp = now()
        articles = list(articles)
        rows = [_to_row(article) for article in articles]
        with transaction(self.conn):
            stored = self._stored([row["id"] for row in rows])
            new: dict[str, dict[str, Any]] = {}
            for row in rows:
                old = new.get(row["id"]) or stored.get(row["id"])
                if old is None:
                    row.update(digest=_digest(row), ingested_at=stamp, updated_at=stamp)
                    new[row["id"]] = row
                    counts.added += 1
                    continue
                merged = _merge(old, row)
                merged["digest"] = _digest(merged)
                if merged["digest"] == old["digest"]:
                    counts.unchanged += 1
                    continue
                merged["updated_at"] = stamp
                old.update(merged)
                if row["id"] not in new:
                    sets = ", ".join(f"{k} = :{k}" for k in merged if k != "id")
                    self.conn.execute(f"UPDATE articles SET {sets} WHERE id = :id", merged)
                counts.updated += 1
            self.conn.executemany(
                "INSERT OR IGNORE INTO pages VALUES (?, ?)",
                [(a.id, a.work["page"]) for a in articles if "page" in a.work])
            self._count_outlet_lines([a for a in articles if a.id in new])
            if new:
                columns = list(next(iter(new.values())))
                self.conn.executemany(
                    f"INSERT INTO articles ({', '.join(columns)}) "
                    f"VALUES ({', '.join(':' + c for c in columns)})", new.values())
            for rejection in rejections:
                self._reject(rejection, stamp, counts)
            self._write_links(stamp, duplicates, entities, quotes, clusters)
        return counts

    def _stored(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        """Stored rows for these ids (SQLite limits the number of parameters per query)."""
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(ids), 900):
            chunk = ids[start:start + 900]
            sql = f"SELECT * FROM articles WHERE id IN ({', '.join('?' * len(chunk))})"
            found.update((row["id"], dict(row)) for row in self.conn.execute(sql, chunk))
        return found

    def _reject(self, rejection: Rejection, stamp: str, counts: WriteCounts) -> None:
        parts = "\x1f".join((rejection.stage, rejection.code, rejection.origin, rejection.detail))
        key = hashlib.blake2b(parts.encode("utf-8", "replace"), digest_size=12).hexdigest()
        cursor = self.conn.execute(
            "UPDATE rejections SET last_seen = ?, times = times + 1 WHERE key = ?", (stamp, key))
        if cursor.rowcount:
            counts.rejections_seen += 1
            return
        self.conn.execute(
            "INSERT INTO rejections (key, stage, code, detail, origin, first_seen, last_seen)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (key, rejection.stage, rejection.code, rejection.detail, rejection.origin, stamp,
             stamp),
        )
        counts.rejections_new += 1

    def _count_outlet_lines(self, articles: list[Article]) -> None:
        counts: dict[tuple[str, str], int] = {}
        for article in articles:
            if article.outlet:
                for line in article.work.get("outlet_lines", ()):
                    key = (article.outlet, line)
                    counts[key] = counts.get(key, 0) + 1
        self.conn.executemany(
            "INSERT INTO outlet_lines VALUES (?, ?, ?) ON CONFLICT (outlet, line) "
            "DO UPDATE SET articles = articles + excluded.articles",
            [(outlet, line, n) for (outlet, line), n in counts.items()])

    def outlet_lines(self, min_articles: int, min_share: float) -> dict[str, set[str]]:
        """Per outlet, the lines found on at least ``min_articles`` of its pages and on at
        least ``min_share`` of them."""
        sql = ("WITH sizes AS (SELECT outlet, count(*) AS n FROM articles WHERE outlet IS NOT "
               "NULL GROUP BY outlet) SELECT l.outlet, l.line FROM outlet_lines l JOIN sizes s "
               "ON s.outlet = l.outlet WHERE l.articles >= ? AND l.articles >= ? * s.n")
        found: dict[str, set[str]] = {}
        for outlet, line in self.conn.execute(sql, (min_articles, min_share)):
            found.setdefault(outlet, set()).add(line)
        return found

    # -- reprocessing ---------------------------------------------------------------------
    def stale(self, stages: list[str], stage: str | None, after: str, limit: int
              ) -> list[tuple[str, bytes | None]]:
        """(id, page snapshot) of articles after ``after`` (by id) whose stages differ from
        ``stages`` (or lack ``stage``), ``limit`` at a time: resumable by construction."""
        if stage:
            where, value = "NOT EXISTS (SELECT 1 FROM json_each(a.stages) WHERE value = ?)", stage
        else:
            where, value = "a.stages != ?", json.dumps(stages)
        sql = (f"SELECT a.id, p.data FROM articles a LEFT JOIN pages p ON p.article_id = a.id "
               f"WHERE a.id > ? AND {where} ORDER BY a.id LIMIT ?")
        return [(row[0], row[1]) for row in self.conn.execute(sql, (after, value, limit))]

    def count_stale(self, stages: list[str], stage: str | None) -> int:
        if stage:
            sql = ("SELECT count(*) FROM articles a WHERE NOT EXISTS "
                   "(SELECT 1 FROM json_each(a.stages) WHERE value = ?)")
            return int(self.conn.execute(sql, (stage,)).fetchone()[0])
        sql = "SELECT count(*) FROM articles a WHERE a.stages != ?"
        return int(self.conn.execute(sql, (json.dumps(stages),)).fetchone()[0])

    def replace(self, articles: list[Article], duplicates: DuplicateRows,
                entities: EntityRows | None = None, quotes: QuoteRows | None = None,
                clusters: ClusterWrite | None = None) -> None:
        """Overwrite reprocessed articles (keeping id, origin and ingest time), with their
        fresh duplicate fingerprints and links, in one transaction."""
        stamp = now()
        with transaction(self.conn):
            for article in articles:
                row = _to_row(article)
                row.update(digest=_digest(row), updated_at=stamp)
                sets = ", ".join(f"{k} = :{k}" for k in row if k not in ("id", "origin"))
                self.conn.execute(f"UPDATE articles SET {sets} WHERE id = :id", row)
            self._write_links(stamp, duplicates, entities, quotes, clusters)

    def _write_links(self, stamp: str, duplicates: DuplicateRows | None,
                     entities: EntityRows | None, quotes: QuoteRows | None,
                     clusters: ClusterWrite | None) -> None:
        """What the writer-side linkers made for a batch (inside its transaction)."""
        if duplicates is not None:
            self.duplicates.write(duplicates)
        if entities is not None:
            self.entities.write(entities, stamp)
        if quotes is not None:
            self.quotes.write(quotes)
        if clusters is not None:
            self.clusters.write(clusters, stamp)

    def rebuild_clusters(self, articles: list[str], events: list[str], stories: list[str],
                         rows: ClusterWrite) -> None:
        """Replace the events and stories a recluster rebuilt, in one transaction."""
        with transaction(self.conn):
            self.clusters.clear(articles, events, stories)
            self.clusters.write(rows, now())

    def forget_fingerprints(self, ids: list[str]) -> None:
        """Drop these articles from the duplicates index (their own links too)."""
        with transaction(self.conn):
            self.duplicates.forget(ids)

    # -- reads ----------------------------------------------------------------------------
    def article(self, ident: str) -> Article:
        """By id, or by a unique id prefix of at least 4 characters."""
        row = self.conn.execute("SELECT * FROM articles WHERE id = ?", (ident,)).fetchone()
        if row is None and len(ident) >= 4:
            rows = self.conn.execute(
                "SELECT * FROM articles WHERE id >= ? AND id < ? LIMIT 2",
                (ident, ident + "\U0010ffff")).fetchall()
            if len(rows) > 1:
                raise NotFound(f"id prefix {ident!r} matches more than one article")
            row = rows[0] if rows else None
        if row is None:
            raise NotFound(f"no article with id {ident!r}")
        return _from_row(row)

    def articles(self, where: ArticleFilter) -> Iterator[Article]:
        clauses: list[str] = []
        params: list[Any] = []
        if where.outlet:
            clauses.append("outlet = ?")
            params.append(where.outlet)
        if where.language:
            clauses.append("language = ?")
            params.append(where.language)
        if where.since:
            clauses.append("substr(published_at, 1, ?) >= ?")
            params += [len(where.since), where.since]
        if where.until:
            clauses.append("substr(published_at, 1, ?) <= ?")
            params += [len(where.until), where.until]
        if where.event_since:
            clauses.append(f"substr({_EVENT_DAY}, 1, ?) >= ?")
            params += [len(where.event_since), where.event_since]
        if where.event_until:
            clauses.append(f"substr({_EVENT_DAY}, 1, ?) <= ?")
            params += [len(where.event_until), where.event_until]
        sql = "SELECT * FROM articles"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        sql += " ORDER BY published_at IS NULL, published_at, id"
        if where.limit is not None:
            sql += " LIMIT ?"
            params.append(where.limit)
        for row in self.conn.execute(sql, params):
            yield _from_row(row)

    def rejections(self, code: str | None = None, stage: str | None = None,
                   limit: int | None = None) -> Iterator[dict[str, Any]]:
        sql = "SELECT * FROM rejections WHERE (? IS NULL OR code = ?) AND (? IS NULL OR stage = ?)"
        sql += " ORDER BY first_seen, origin"
        params: list[Any] = [code, code, stage, stage]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        for row in self.conn.execute(sql, params):
            yield dict(row)

    def stats(self) -> dict[str, Any]:
        one = self.conn.execute
        span = one("SELECT min(published_at), max(published_at), count(published_at) "
                   "FROM articles").fetchone()
        return {
            "articles": one("SELECT count(*) FROM articles").fetchone()[0],
            "outlets": dict(one("SELECT coalesce(outlet, '?'), count(*) FROM articles "
                                "GROUP BY outlet ORDER BY count(*) DESC, outlet").fetchall()),
            "languages": dict(one("SELECT coalesce(language, '?'), count(*) FROM articles "
                                  "GROUP BY language ORDER BY count(*) DESC").fetchall()),
            "formats": dict(one("SELECT coalesce(format, '?'), count(*) FROM articles "
                                "GROUP BY format ORDER BY count(*) DESC").fetchall()),
            "published": {"first": span[0], "last": span[1], "dated": span[2]},
            "rejections": [dict(r) for r in one(
                "SELECT code, stage, count(*) AS inputs, min(detail) AS example "
                "FROM rejections GROUP BY code, stage ORDER BY code")],
        }
