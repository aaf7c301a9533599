"""Every encoding an Arabic news file comes in, detected and recorded."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from pathlib import Path

import pytest

from khabar.engine import Engine
from khabar.ingest.decode import decode
from tests.conftest import BODY, HEADLINE, html_page, text_article

Write = Callable[..., Path]


@pytest.mark.parametrize(("encoding", "prefix", "recorded"), [
    ("utf-8", b"", "utf-8"),
    ("utf-8", codecs.BOM_UTF8, "utf-8-sig"),
    ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16"),
    ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16"),
    ("utf-16-le", b"", "utf-16"),
    ("windows-1256", b"", "windows-1256"),
    ("iso-8859-6", b"", "iso-8859-6"),
])
def test_text_files_in_every_encoding(engine: Engine, write: Write, encoding: str,
                                      prefix: bytes, recorded: str) -> None:
    # ISO-8859-6 has no Arabic comma or quotation marks; keep to what it can encode.
    body = BODY.replace("،", ",") if encoding == "iso-8859-6" else BODY
    data = prefix + text_article(HEADLINE, body).encode(encoding)
    report = engine.ingest([write(f"article.{encoding}.txt", data)])
    assert report.counts.added == 1, report.rejections
    article = next(engine.articles())
    assert (article.title, article.text) == (HEADLINE, body)
    assert article.encoding == recorded


def test_html_meta_charset_is_honoured(engine: Engine, write: Write) -> None:
    page = html_page(charset="windows-1256").replace("©", "(c)")
    engine.ingest([write("page.html", page.encode("windows-1256"))])
    article = next(engine.articles())
    assert article.encoding == "windows-1256" and article.title == HEADLINE


def test_valid_utf8_wins_over_a_wrong_declared_charset(engine: Engine, write: Write) -> None:
    engine.ingest([write("liar.html", html_page(charset="windows-1256"))])
    assert next(engine.articles()).encoding == "utf-8"


def test_forced_encoding(engine: Engine, write: Write) -> None:
    path = write("a.txt", text_article().encode("windows-1256"))
    engine.ingest([path], encoding="windows-1256")
    assert next(engine.articles()).encoding == "windows-1256"


def test_cp1256_and_iso_8859_6_are_told_apart() -> None:
    sample = "وقالت مصادر في الوزارة إن الاجتماع سيعقد في العاصمة خلال الأسبوع المقبل"
    assert decode(sample.encode("windows-1256"), "x")[1] == "windows-1256"
    assert decode(sample.encode("iso-8859-6"), "x")[1] == "iso-8859-6"
