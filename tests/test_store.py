"""The SQLite store: round trips, idempotent upserts, merges that lose nothing, migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khabar.clean.convert import article_id
from khabar.model import Article, Rejection
from khabar.store import ArticleFilter, Store
from khabar.store.migrations import MIGRATIONS

ARABIC = st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)
# Articles never hold lone surrogates: decoding cannot make them and JSON input is scrubbed.
ANY = st.characters(blacklist_categories=("Cs",))
TEXT = st.text(alphabet=st.one_of(ARABIC, ANY), min_size=1, max_size=300)


def make(text: str, **fields: object) -> Article:
    return Article(id=article_id(None, None, text), origin="test", text=text,
                   **fields)  # type: ignore[arg-type]


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXT, title=st.one_of(st.none(), TEXT), meta=st.dictionaries(
    st.text(max_size=10), st.one_of(st.integers(), TEXT, st.lists(TEXT, max_size=3)),
    max_size=4), captions=st.lists(TEXT, max_size=3))
def test_any_text_round_trips(tmp_path: Path, text: str, title: str | None,
                              meta: dict[str, object], captions: list[str]) -> None:
    store = Store(tmp_path / "rt.db")
    store.migrate()
    article = make(text, title=title, meta=meta, captions=captions)
    store.write([article], [])
    assert store.article(article.id) == article
    store.write([article], [])  # the same again is a no-op
    assert list(store.articles(ArticleFilter())) == [article]
    store.conn.execute("DELETE FROM articles")
    store.close()


def test_upsert_counts_and_merge_keeps_what_a_later_copy_lacks(tmp_path: Path) -> None:
    store = Store(tmp_path / "k.db")
    store.migrate()
    bare = make("نص الخبر الكامل", title="عنوان")
    dated = make("نص الخبر الكامل", title="عنوان", outlet="صحيفة",
                 published_at="2026-03-01", published_precision="day",
                 published_provenance="metadata", meta={"note": "sidecar"})
    assert store.write([bare], []).added == 1
    assert store.write([dated], []).updated == 1
    assert store.write([bare], []).unchanged == 1  # re-read without the sidecar: nothing lost
    kept = store.article(bare.id)
    assert (kept.outlet, kept.published_at, kept.meta) == ("صحيفة", "2026-03-01",
                                                          {"note": "sidecar"})
    html_dated = make("نص الخبر الكامل", title="عنوان", published_at="2026-02-27",
                      published_precision="day", published_provenance="html")
    store.write([html_dated], [])
    assert store.article(bare.id).published_at == "2026-03-01"  # metadata beats html


def test_duplicates_inside_one_batch(tmp_path: Path) -> None:
    store = Store(tmp_path / "k.db")
    store.migrate()
    first = make("نص مكرر في الدفعة نفسها")
    second = make("نص مكرر في الدفعة نفسها", outlet="وكالة")
    counts = store.write([first, first, second], [])
    assert (counts.added, counts.unchanged, counts.updated) == (1, 1, 1)
    assert store.article(first.id).outlet == "وكالة"
    assert store.conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 1


def test_id_prefix_lookup(tmp_path: Path) -> None:
    store = Store(tmp_path / "k.db")
    store.migrate()
    article = make("خبر للبحث بالبادئة")
    store.write([article], [])
    assert store.article(article.id[:6]).id == article.id


def test_rejections_are_keyed_by_content(tmp_path: Path) -> None:
    store = Store(tmp_path / "k.db")
    store.migrate()
    rejection = Rejection("ingest", "E101", "empty file", "a.txt")
    assert store.write([], [rejection, rejection]).rejections_new == 1
    assert [r["times"] for r in store.rejections()] == [2]


def test_migrations_are_recorded_once_and_in_order(tmp_path: Path) -> None:
    store = Store(tmp_path / "k.db")
    assert store.migrate() == [name for name, _ in MIGRATIONS]
    assert store.migrate() == []
    applied, pending = store.migrations()
    assert applied == sorted(applied) == [name for name, _ in MIGRATIONS] and pending == []
    mode = sqlite3.connect(tmp_path / "k.db").execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_filters(tmp_path: Path) -> None:
    store = Store(tmp_path / "k.db")
    store.migrate()
    store.write([
        make("الخبر الأول", outlet="أ", language="ar", published_at="2026-01-10"),
        make("الخبر الثاني", outlet="ب", language="ar", published_at="2026-02-10T08:00:00"),
        make("third story", outlet="ب", language="en", published_at="2026-03-10"),
        make("خبر بلا تاريخ", outlet="أ", language="ar"),
    ], [])

    def texts(**where: object) -> list[str]:
        return [a.text for a in store.articles(ArticleFilter(**where))]  # type: ignore[arg-type]

    assert texts() == ["الخبر الأول", "الخبر الثاني", "third story", "خبر بلا تاريخ"]
    assert texts(outlet="ب") == ["الخبر الثاني", "third story"]
    assert texts(language="en") == ["third story"]
    assert texts(since="2026-02") == ["الخبر الثاني", "third story"]
    assert texts(until="2026-02-10") == ["الخبر الأول", "الخبر الثاني"]
    assert texts(limit=1) == ["الخبر الأول"]
