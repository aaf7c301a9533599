"""The shipped demo corpus ingests completely and matches its ground truth."""

from __future__ import annotations

from khabar.engine import Engine
from tests.conftest import demo_key, demo_truth


def test_every_article_stored_with_its_metadata(demo_engine: Engine) -> None:
    truth = demo_truth()
    stored = {demo_key(a.origin): a for a in demo_engine.articles()}
    assert len(stored) == len(truth["articles"]) >= 45
    for expected in truth["articles"]:
        record = expected["record"]
        article = stored[(expected["file"], None if record is None else str(record))]
        assert expected["title"] in (article.title or ""), expected["key"]
        assert article.outlet == expected["outlet"], expected["key"]
        if expected["published"]:
            assert article.published_at == expected["published"], expected["key"]
        else:  # undated at the source: at most an estimate from the text, never metadata
            assert article.published_provenance in ("estimated", "unknown"), expected["key"]
        assert article.language == expected["language"], expected["key"]
        assert (article.encoding or "").removesuffix("-sig") == expected["encoding"]
        if expected["url"]:
            assert article.url == expected["url"], expected["key"]


def test_broken_inputs_rejected_with_their_codes(demo_engine: Engine) -> None:
    expected = {(b["file"], None if b["record"] is None else str(b["record"])): b["code"]
                for b in demo_truth()["broken"]}
    found = {demo_key(r["origin"]): r["code"] for r in demo_engine.rejections()}
    assert found == expected


def test_corpus_shape(demo_engine: Engine) -> None:
    stats = demo_engine.stats()
    assert len([o for o in stats["outlets"] if o != "?"]) >= 6
    assert {"txt", "html", "jsonl", "rss"} <= set(stats["formats"])
    assert stats["languages"].get("en", 0) >= 1
    truth = demo_truth()
    assert len(truth["stories"]) >= 5 and len(truth["events"]) >= 12
    assert any(a["encoding"] == "windows-1256" for a in truth["articles"])
