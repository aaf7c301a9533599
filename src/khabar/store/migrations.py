"""Schema changes as named, ordered migrations, recorded in ``schema_migrations``.

Append new ones at the end; never edit one that has shipped.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

MIGRATIONS: list[tuple[str, str]] = [
    (
        "0001_articles_and_rejections",
        """
        CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            origin TEXT NOT NULL,
            url TEXT,
            outlet TEXT,
            title TEXT,
            text TEXT NOT NULL,
            byline TEXT,
            dateline TEXT,
            captions TEXT NOT NULL DEFAULT '[]',
            headings TEXT NOT NULL DEFAULT '[]',
            language TEXT,
            published_at TEXT,
            published_precision TEXT,
            published_provenance TEXT NOT NULL DEFAULT 'unknown',
            fetched_at TEXT,
            encoding TEXT,
            format TEXT,
            meta TEXT NOT NULL DEFAULT '{}',
            digest TEXT NOT NULL,
            ingested_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX articles_outlet ON articles(outlet);
        CREATE INDEX articles_published ON articles(published_at);
        CREATE INDEX articles_language ON articles(language);
        CREATE INDEX articles_url ON articles(url);
        CREATE TABLE rejections (
            key TEXT PRIMARY KEY,
            stage TEXT NOT NULL,
            code TEXT NOT NULL,
            detail TEXT NOT NULL,
            origin TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            times INTEGER NOT NULL DEFAULT 1
        );
        CREATE INDEX rejections_code ON rejections(code);
        """,
    ),
    (
        "0002_language_spans_duplicates_stages",
        """
        ALTER TABLE articles ADD COLUMN language_spans TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE articles ADD COLUMN duplicate_of TEXT;
        ALTER TABLE articles ADD COLUMN duplicate_kind TEXT;
        ALTER TABLE articles ADD COLUMN duplicate_similarity REAL;
        ALTER TABLE articles ADD COLUMN stages TEXT NOT NULL DEFAULT '[]';
        CREATE INDEX articles_duplicate_of ON articles(duplicate_of);
        CREATE TABLE fingerprints (
            article_id TEXT PRIMARY KEY,
            body_hash TEXT NOT NULL,
            title_hash TEXT,
            shingles INTEGER NOT NULL,
            signature BLOB NOT NULL
        );
        CREATE INDEX fingerprints_body ON fingerprints(body_hash);
        CREATE INDEX fingerprints_title ON fingerprints(title_hash);
        CREATE TABLE lsh_buckets (bucket INTEGER NOT NULL, article_id TEXT NOT NULL);
        CREATE INDEX lsh_buckets_bucket ON lsh_buckets(bucket);
        """,
    ),
    (
        "0003_pages",
        """
        CREATE TABLE pages (article_id TEXT PRIMARY KEY, data BLOB NOT NULL);
        CREATE INDEX lsh_buckets_article ON lsh_buckets(article_id);
        """,
    ),
    (
        "0004_outlet_lines",
        """
        CREATE TABLE outlet_lines (
            outlet TEXT NOT NULL,
            line TEXT NOT NULL,
            articles INTEGER NOT NULL,
            PRIMARY KEY (outlet, line)
        ) WITHOUT ROWID;
        """,
    ),
    (
        "0005_entities",
        """
        CREATE TABLE entities (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            type TEXT NOT NULL,
            gazetteer INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        );
        CREATE INDEX entities_type ON entities(type);
        CREATE TABLE entity_keys (
            key TEXT NOT NULL,
            kind TEXT NOT NULL,
            type TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            PRIMARY KEY (key, kind, type, entity_id)
        ) WITHOUT ROWID;
        CREATE INDEX entity_keys_entity ON entity_keys(entity_id);
        CREATE TABLE mentions (
            article_id TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,
            kind TEXT NOT NULL,
            role TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (article_id, start, end)
        ) WITHOUT ROWID;
        CREATE INDEX mentions_entity ON mentions(entity_id);
        """,
    ),
    (
        "0006_dates",
        """
        ALTER TABLE articles ADD COLUMN dates TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE articles ADD COLUMN event_time TEXT;
        ALTER TABLE articles ADD COLUMN published_range TEXT NOT NULL DEFAULT '[]';
        CREATE INDEX articles_event_date
            ON articles(substr(json_extract(event_time, '$.value'), 1, 10));
        """,
    ),
    (
        "0007_quotes",
        """
        CREATE TABLE quotes (
            article_id TEXT NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,
            kind TEXT NOT NULL,
            cue TEXT NOT NULL DEFAULT '',
            speaker_id TEXT,
            speaker_text TEXT NOT NULL DEFAULT '',
            anonymous TEXT NOT NULL DEFAULT '',
            channel TEXT NOT NULL DEFAULT '',
            group_id TEXT NOT NULL,
            PRIMARY KEY (article_id, start)
        ) WITHOUT ROWID;
        CREATE INDEX quotes_speaker ON quotes(speaker_id);
        CREATE INDEX quotes_group ON quotes(group_id);
        """,
    ),
    (
        "0008_events_stories",
        """
        CREATE TABLE article_vectors (
            article_id TEXT PRIMARY KEY,
            data BLOB NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE events (
            id TEXT PRIMARY KEY,
            story_id TEXT,
            title TEXT NOT NULL DEFAULT '',
            title_article TEXT,
            day TEXT,
            precision TEXT,
            first_day TEXT,
            last_day TEXT,
            articles INTEGER NOT NULL,
            outlets INTEGER NOT NULL,
            state BLOB NOT NULL,
            vectors BLOB NOT NULL,
            centroid BLOB NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX events_first_day ON events(first_day);
        CREATE INDEX events_last_day ON events(last_day);
        CREATE INDEX events_story ON events(story_id);
        CREATE TABLE event_articles (
            article_id TEXT PRIMARY KEY,
            event_id TEXT NOT NULL,
            probability REAL NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX event_articles_event ON event_articles(event_id);
        CREATE TABLE stories (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL DEFAULT '',
            title_event TEXT,
            first_day TEXT,
            last_day TEXT,
            events INTEGER NOT NULL,
            articles INTEGER NOT NULL,
            state BLOB NOT NULL,
            vectors BLOB NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX stories_last_day ON stories(last_day);
        CREATE TABLE story_entities (
            entity_id TEXT NOT NULL,
            story_id TEXT NOT NULL,
            PRIMARY KEY (entity_id, story_id)
        ) WITHOUT ROWID;
        CREATE INDEX story_entities_story ON story_entities(story_id);
        CREATE TABLE story_history (
            story_id TEXT NOT NULL,
            at TEXT NOT NULL,
            action TEXT NOT NULL,
            other_id TEXT,
            reason TEXT NOT NULL
        );
        CREATE INDEX story_history_story ON story_history(story_id);
        """,
    ),
]


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """One write transaction (the connection is in autocommit mode otherwise)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def applied(conn: sqlite3.Connection) -> list[str]:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT)"
    )
    return [row[0] for row in conn.execute("SELECT name FROM schema_migrations ORDER BY name")]


def pending(conn: sqlite3.Connection) -> list[str]:
    done = set(applied(conn))
    return [name for name, _ in MIGRATIONS if name not in done]


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply pending migrations, each in its own transaction; return their names."""
    todo = pending(conn)
    for name, sql in MIGRATIONS:
        if name not in todo:
            continue
        with transaction(conn):
            if name not in applied(conn):  # another process may have just applied it
                for statement in sql.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute("INSERT INTO schema_migrations VALUES (?, ?)", (name, now()))
    return todo
