"""WARC and WARC.gz web archives: the warcio adapter (the only module importing it).

HTML ``response`` (HTTP 2xx) and ``resource`` records become pages; other records are
skipped silently (requests, metadata, DNS) or, for non-HTML responses, counted as skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from khabar.errors import InputTooLarge, KhabarError, WarcError
from khabar.ingest.context import IngestContext
from khabar.ingest.decode import canonical_name, declared_html_charset, decode
from khabar.ingest.sniff import sniff
from khabar.ingest.sources import Source
from khabar.model import RawArticle, Rejection


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            try:
                return canonical_name(value.strip().strip("\"'"))
            except LookupError:
                return None
    return None


def _payload(record: Any, ctx: IngestContext) -> tuple[bytes, str] | None:
    """HTML-ish payload and content type of a 2xx response or resource record, else None."""
    headers = record.http_headers
    if record.rec_type == "response":
        if headers is None or not headers.get_statuscode().startswith("2"):
            return None
        content_type = headers.get_header("Content-Type") or ""
    elif record.rec_type == "resource":
        content_type = record.rec_headers.get_header("Content-Type") or ""
    else:
        return None
    data: bytes = record.content_stream().read(ctx.max_page_bytes + 1)
    return data, content_type


def _page(record: Any, data: bytes, content_type: str, origin: str,
          ctx: IngestContext) -> RawArticle | None:
    if len(data) > ctx.max_page_bytes:
        raise InputTooLarge(f"record over {ctx.max_page_bytes:,} bytes", origin=origin)
    if "html" not in content_type.lower() and sniff(origin, data[:8192]) != "html":
        return None
    declared = _charset(content_type) or declared_html_charset(data)
    text, encoding = decode(data, origin, declared=declared, forced=ctx.encoding)
    fields = {
        "url": record.rec_headers.get_header("WARC-Target-URI"),
        "fetched_at": record.rec_headers.get_header("WARC-Date"),
    }
    return RawArticle(origin=origin, format="warc", body=text, body_kind="html",
                      encoding=encoding, fields={k: v for k, v in fields.items() if v})


def read_warc(source: Source, ctx: IngestContext) -> Iterator[RawArticle | Rejection]:
    """Pages of a WARC; each origin is ``file#offset`` (the record's byte offset)."""
    pages = 0
    with source.open() as handle:
        records = ArchiveIterator(handle, arc2warc=True)
        try:
            for record in records:
                payload = _payload(record, ctx)
                if payload is None:
                    continue
                # Only after the payload is read: asking earlier skips the record's content.
                origin = f"{source.name}#{records.get_record_offset()}"
                try:
                    page = _page(record, *payload, origin, ctx)
                except KhabarError as exc:
                    yield exc.rejection(origin)
                    continue
                if page is not None:
                    pages += 1
                    yield page
        except (ArchiveLoadFailed, ValueError, EOFError, OSError) as exc:
            raise WarcError(f"broken WARC after {pages} pages: {exc}", origin=source.name)\
                from exc
    if pages == 0:
        raise WarcError("no HTML response records in this WARC", origin=source.name)
