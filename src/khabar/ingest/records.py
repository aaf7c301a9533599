"""Readers for JSON Lines and JSON documents (arrays, or objects wrapping a list)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from khabar.errors import (
    BadRecord,
    EmptyInput,
    InputTooLarge,
    KhabarError,
    MalformedJSON,
    UndecodableInput,
)
from khabar.ingest.context import IngestContext
from khabar.ingest.decode import decode
from khabar.ingest.fields import FIELD_NAMES, map_record, scrub
from khabar.ingest.sources import Source
from khabar.model import BodyKind, RawArticle, Rejection

_HTML_HINT_RE = re.compile(r"</?(p|div|br|span|a|h[1-6]|li|img|strong|em)\b[^>]*>", re.I)
_WRAPPERS = ("articles", "items", "data", "results", "docs", "documents", "entries", "news")
_WS = " \t\r\n"


def record_to_raw(record: Any, origin: str, fmt: str, encoding: str,
                  ctx: IngestContext) -> RawArticle:
    """One JSON record as a RawArticle; E106 when it is not an object with a text field."""
    if not isinstance(record, dict):
        raise BadRecord(f"record is a JSON {type(record).__name__}, not an object", origin=origin)
    fields, meta = map_record(scrub(record))
    text = fields.pop("text", None)
    if text is None:
        names = ", ".join(FIELD_NAMES["text"][:5])
        hint = "; it looks like a sidecar row: pass that file with --meta" if (
            "file" in record or "path" in record) else ""
        raise BadRecord(f"no text field (looked for {names}, …){hint}", origin=origin)
    if not isinstance(text, str):
        raise BadRecord(f"text field is a JSON {type(text).__name__}, not a string",
                        origin=origin)
    if len(text) > ctx.max_page_bytes:
        raise InputTooLarge(f"record text over {ctx.max_page_bytes:,} bytes", origin=origin)
    kind: BodyKind = "html_fragment" if len(_HTML_HINT_RE.findall(text[:5000])) >= 2 else "text"
    return RawArticle(origin=origin, format=fmt, body=text, body_kind=kind, encoding=encoding,
                      fields=fields, meta=meta)


def _guarded(record: Any, origin: str, fmt: str, encoding: str,
             ctx: IngestContext) -> RawArticle | Rejection:
    try:
        return record_to_raw(record, origin, fmt, encoding, ctx)
    except KhabarError as exc:
        return exc.rejection(origin)


def _lines(source: Source, ctx: IngestContext) -> tuple[Iterator[bytes], str, str]:
    """Raw lines of a JSONL input, the codec to decode each, and the encoding to record."""
    head = source.head(65536)
    if not head.strip():
        raise EmptyInput("empty file", origin=source.name)
    cut = head.rfind(b"\n") + 1 if len(head) == 65536 else len(head)
    encoding = decode(head[:cut] or head, source.name, forced=ctx.encoding)[1]
    if encoding.startswith(("utf-16", "utf-32")):
        text = decode(source.read(ctx.max_file_bytes), source.name, forced=ctx.encoding)[0]
        return (line.encode("utf-8") for line in text.split("\n")), "utf-8", encoding

    def stream() -> Iterator[bytes]:
        with source.open() as handle:
            yield from handle

    return stream(), "utf-8-sig" if encoding.startswith("utf-8") else encoding, encoding


def read_jsonl(source: Source, ctx: IngestContext) -> Iterator[RawArticle | Rejection]:
    lines, codec, encoding = _lines(source, ctx)
    for number, line in enumerate(lines, 1):
        origin = f"{source.name}#{number}"
        if not line.strip():
            continue
        if len(line) > ctx.max_page_bytes:
            yield Rejection("ingest", InputTooLarge.code,
                            f"line {number} is over {ctx.max_page_bytes:,} bytes", origin)
            continue
        try:
            record = json.loads(line.decode(codec))
        except UnicodeDecodeError as exc:
            yield Rejection("ingest", UndecodableInput.code,
                            f"line {number} is not {codec}: {exc.reason}", origin)
            continue
        except ValueError as exc:
            yield Rejection("ingest", MalformedJSON.code,
                            f"malformed JSON on line {number}: {exc}", origin)
            continue
        yield _guarded(record, origin, "jsonl", encoding, ctx)


def read_json(source: Source, ctx: IngestContext) -> Iterator[RawArticle | Rejection]:
    """A JSON array of records (streamed element by element), or an object: either one
    record or a wrapper holding the records under a key such as ``articles``."""
    data = source.read(ctx.max_file_bytes)
    if not data.strip():
        raise EmptyInput("empty file", origin=source.name)
    text, encoding = decode(data, source.name, forced=ctx.encoding)
    del data
    start = len(text) - len(text.lstrip(_WS))
    if text.startswith("[", start):
        yield from _array(text, start + 1, source.name, encoding, ctx)
        return
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise MalformedJSON(f"malformed JSON: {exc}", origin=source.name) from exc
    items = next((document[k] for k in _WRAPPERS
                  if isinstance(document, dict) and isinstance(document.get(k), list)), None)
    if items is None:
        yield _guarded(document, source.name, "json", encoding, ctx)
        return
    for index, item in enumerate(items, 1):
        yield _guarded(item, f"{source.name}#{index}", "json", encoding, ctx)


def _array(text: str, pos: int, name: str, encoding: str,
           ctx: IngestContext) -> Iterator[RawArticle | Rejection]:
    decoder = json.JSONDecoder()
    index = 0
    while True:
        while pos < len(text) and text[pos] in _WS + ",":
            pos += 1
        if pos >= len(text) or text[pos] == "]":
            if pos >= len(text):
                yield Rejection("ingest", MalformedJSON.code,
                                f"JSON array not closed after element {index}", name)
            return
        index += 1
        try:
            record, pos = decoder.raw_decode(text, pos)
        except ValueError as exc:
            yield Rejection("ingest", MalformedJSON.code,
                            f"malformed JSON in element {index}: {exc}; rest of file skipped",
                            f"{name}#{index}")
            return
        yield _guarded(record, f"{name}#{index}", "json", encoding, ctx)
