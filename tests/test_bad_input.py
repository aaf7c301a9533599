"""Untrusted input: each bad file or record gets a coded rejection and never stops the batch."""

from __future__ import annotations

import io
import json
import os
import random
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from khabar.engine import Engine
from khabar.settings import Settings
from tests.conftest import BODY, gzip_bytes, html_page, text_article

Write = Callable[..., Path]


def codes(engine: Engine) -> dict[str, str]:
    """origin file name (with any #record) → code, for every stored rejection."""
    return {Path(r["origin"]).name: r["code"] for r in engine.rejections()}


def test_bad_files_are_rejected_with_codes_and_good_ones_still_stored(engine: Engine,
                                                                     write: Write) -> None:
    random.seed(7)
    write("good.txt", text_article())
    write("empty.txt", b"")
    write("blank.txt", b"  \n\n ")
    write("junk.bin", bytes(random.randrange(256) for _ in range(4096)))
    write("undecodable.txt", bytes(random.randrange(0x80, 0x100) for _ in range(600)))
    write("cut.html", html_page()[:120])
    write("no-text.html", "<html><head><title>x</title></head><body><nav>menu</nav></body></html>")
    write("lines.jsonl", "\n".join([
        json.dumps({"title": "سطر جيد", "text": BODY}, ensure_ascii=False),
        '{"title": "broken", "text": "no closing brace"',
        json.dumps({"title": "بلا نص", "text": ""}, ensure_ascii=False),
        json.dumps({"title": "no text field", "summary_x": 1}),
        json.dumps(["not", "an", "object"]),
    ]))
    write("truncated.json", '[{"title": "t", "text": "' + "س" * 50 + '"}, {"title": "u", "te')
    write("bad.zip", b"PK\x03\x04 this is not really a zip archive")
    write("bad.gz", gzip_bytes(text_article().encode())[:40])
    write("feed.xml", '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>'
                      "</channel></rss>")
    report = engine.ingest([write("good.txt", text_article()).parent])
    assert report.counts.added == 3  # good.txt, line 1 and the first element of truncated.json
    assert codes(engine) == {
        "empty.txt": "E101", "blank.txt": "E101", "junk.bin": "E102",
        "undecodable.txt": "E103", "cut.html": "E201", "no-text.html": "E201",
        "lines.jsonl#2": "E105", "lines.jsonl#3": "E202", "lines.jsonl#4": "E106",
        "lines.jsonl#5": "E106", "truncated.json#2": "E105", "bad.zip": "E107",
        "bad.gz": "E107", "feed.xml": "E109",
    }
    detail = next(r["detail"] for r in engine.rejections(code="E105")
                  if r["origin"].endswith("#2") and "lines" in r["origin"])
    assert "line 2" in detail


def test_size_limit_is_configurable(tmp_path: Path, write: Write) -> None:
    settings = Settings.load(overrides={"ingest.max_page_bytes": "2000"}, environ={})
    write("big.txt", text_article(body=BODY * 20))
    write("small.txt", text_article())
    with Engine(tmp_path / "k.db", settings) as engine:
        report = engine.ingest([tmp_path / "in"])
        assert report.counts.added == 1
        assert codes(engine) == {"big.txt": "E104"}
        assert "2,000 bytes" in next(engine.rejections())["detail"]


def test_archive_bomb_is_stopped(engine: Engine, write: Write) -> None:
    write("bomb.txt.gz", gzip_bytes(b"\x41" * 50_000_000))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.txt", b"0" * 30_000_000)
    write("bomb.zip", buffer.getvalue())
    engine.ingest([write("ok.txt", text_article()).parent])
    rejected = {r["origin"].rsplit("/", 1)[-1]: r for r in engine.rejections()}
    assert set(rejected) == {"bomb.txt.gz", "bomb.zip"}
    assert all(r["code"] == "E107" and "bomb" in r["detail"] for r in rejected.values())


def test_nested_archives_beyond_the_depth_limit(tmp_path: Path, write: Write) -> None:
    data = text_article().encode()
    for _ in range(3):
        data = gzip_bytes(data)
    write("deep.txt.gz.gz.gz", data)
    settings = Settings.load(overrides={"ingest.max_archive_depth": "2"}, environ={})
    with Engine(tmp_path / "k.db", settings) as engine:
        engine.ingest([tmp_path / "in"])
        assert [r["code"] for r in engine.rejections()] == ["E107"]


def test_missing_path_is_a_rejection_not_a_crash(engine: Engine, write: Write) -> None:
    report = engine.ingest([write("a.txt", text_article()), "/no/such/place"])
    assert report.counts.added == 1 and dict(report.rejected) == {"E100": 1}


def test_broken_symlink_is_unreadable(engine: Engine, write: Write, tmp_path: Path) -> None:
    write("a.txt", text_article())
    (tmp_path / "in" / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    report = engine.ingest([tmp_path / "in"])
    assert report.counts.added == 1 and codes(engine) == {"gone.txt": "E100"}


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(engine: Engine, write: Write) -> None:
    path = write("locked.txt", text_article())
    path.chmod(0)
    engine.ingest([path])
    assert codes(engine) == {"locked.txt": "E100"}


def test_rejections_are_not_duplicated_on_reingest(engine: Engine, write: Write) -> None:
    write("empty.txt", b"")
    write("good.txt", text_article())
    folder = write("junk.bin", b"\x00\x01\x02" * 100).parent
    for _ in range(3):
        engine.ingest([folder])
    rows = list(engine.rejections())
    assert len(rows) == 2 and all(r["times"] == 3 for r in rows)
    assert engine.stats()["articles"] == 1


def test_lone_surrogates_in_json_are_replaced(engine: Engine, write: Write) -> None:
    line = ('{"title": "\\ud800 عنوان", "text": "نص فيه محرف مكسور \\udfff هنا وهناك", '
            '"x": ["\\ud801"]}')
    report = engine.ingest([write("s.jsonl", line)])
    assert report.counts.added == 1
    article = next(engine.articles())
    assert article.title == "\ufffd عنوان" and "\ufffd" in article.text
    assert article.meta["x"] == ["\ufffd"]
