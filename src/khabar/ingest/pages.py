"""Readers for single-document inputs: plain-text articles and HTML pages."""

from __future__ import annotations

from collections.abc import Iterator

from khabar.errors import EmptyInput
from khabar.ingest.context import IngestContext
from khabar.ingest.decode import declared_html_charset, decode
from khabar.ingest.sources import Source
from khabar.model import RawArticle

MAX_TITLE_CHARS = 300


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_headline(text: str) -> tuple[str | None, str]:
    """The seeds' layout: headline on the first line, a blank line, then the body.

    Without the blank line the whole text is body and there is no headline.
    """
    text = text.strip("\n")
    first, sep, rest = text.partition("\n")
    if sep and rest.startswith("\n") and 0 < len(first.strip()) <= MAX_TITLE_CHARS:
        return first.strip(), rest.strip("\n")
    return None, text


def read_text(source: Source, ctx: IngestContext) -> Iterator[RawArticle]:
    data = source.read(ctx.max_page_bytes)
    if not data.strip():
        raise EmptyInput("empty file", origin=source.name)
    text, encoding = decode(data, source.name, forced=ctx.encoding)
    title, body = split_headline(normalise_newlines(text))
    fields = {"title": title} if title else {}
    yield RawArticle(origin=source.name, format="txt", body=body, encoding=encoding,
                     fields=fields)


def read_html(source: Source, ctx: IngestContext) -> Iterator[RawArticle]:
    data = source.read(ctx.max_page_bytes)
    if not data.strip():
        raise EmptyInput("empty file", origin=source.name)
    text, encoding = decode(data, source.name, declared=declared_html_charset(data),
                            forced=ctx.encoding)
    yield RawArticle(origin=source.name, format="html", body=text, body_kind="html",
                     encoding=encoding)
