"""Dispatch each input to the reader for its format; turn failures into Rejections.

Everything is a generator: files are walked, opened and read one at a time, and a broken
input never stops the others.
"""

from __future__ import annotations

import logging
import sys
import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from khabar.errors import (
    EmptyInput,
    InputTooLarge,
    KhabarError,
    UnreadableInput,
    UnsupportedFormat,
)
from khabar.ingest import archives
from khabar.ingest.context import IngestContext
from khabar.ingest.feeds import read_feed
from khabar.ingest.pages import read_html, read_text
from khabar.ingest.records import read_json, read_jsonl
from khabar.ingest.sniff import decompressed_head, sniff
from khabar.ingest.sources import Source, walk
from khabar.ingest.warc import read_warc
from khabar.model import RawArticle, Rejection

log = logging.getLogger(__name__)

Item = RawArticle | Rejection
Reader = Callable[[Source, IngestContext], Iterator[Item]]

READERS: dict[str, Reader] = {
    "text": read_text,
    "html": read_html,
    "jsonl": read_jsonl,
    "json": read_json,
    "feed": read_feed,
    "warc": read_warc,
}
_CAUGHT = (OSError, EOFError, zlib.error, MemoryError, RecursionError)


def _format(source: Source, head: bytes) -> str:
    kind = sniff(source.name, head)
    if kind in ("gzip", "bz2", "xz"):
        inner = decompressed_head(kind, head)
        if inner.startswith(b"WARC/") and kind == "gzip":
            return "warc"
        if inner[257:262] == b"ustar":
            return "tar"
    return kind


def _members(source: Source, kind: str, ctx: IngestContext) -> Iterator[Source]:
    if kind == "zip":
        return archives.read_zip(source, ctx)
    if kind == "tar":
        return archives.read_tar(source, ctx)
    return archives.read_compressed(source, kind, ctx)


def read_source(source: Source, ctx: IngestContext) -> Iterator[Item]:
    """Every RawArticle in ``source``, and a Rejection for each part that cannot be read."""
    try:
        head = source.head(8192)
        if not head:
            raise EmptyInput("empty file", origin=source.name)
        kind = _format(source, head)
        log.debug("%s: format %s", source.name, kind)
        if kind in ("zip", "tar", "gzip", "bz2", "xz"):
            for member in _members(source, kind, ctx):
                yield from read_source(member, ctx)
            return
        reader = READERS.get(kind)
        if reader is None:
            raise UnsupportedFormat(f"unsupported format {kind}", origin=source.name)
        yield from reader(source, ctx)
    except KhabarError as exc:
        yield exc.rejection(source.name)
    except _CAUGHT as exc:
        yield Rejection("ingest", UnreadableInput.code, f"cannot read: {exc}", source.name)


def iter_sources(paths: Iterable[str | Path], ctx: IngestContext) -> Iterator[Source | Rejection]:
    """Files under each path (directories recursively), or a Rejection for a missing path."""
    for path in paths:
        path = Path(path)
        if not path.exists():
            yield Rejection("ingest", UnreadableInput.code, "no such file or directory",
                            str(path))
            continue
        yield from walk(path, ctx.skip)


def read_paths(paths: Iterable[str | Path], ctx: IngestContext,
               done: Callable[[Source], None] | None = None) -> Iterator[Item]:
    """Read files, directories (recursively) and archives; ``-`` is standard input.
    ``done`` is called after each file has been read (for progress)."""
    for path in paths:
        if str(path) == "-":
            yield from read_stream(sys.stdin.buffer, "<stdin>", ctx)
            continue
        for source in iter_sources([path], ctx):
            if isinstance(source, Rejection):
                yield source
                continue
            yield from read_source(source, ctx)
            if done is not None:
                done(source)


def read_stream(stream: BinaryIO, name: str, ctx: IngestContext) -> Iterator[Item]:
    """Read a byte stream (stdin, an upload) of any supported format, spooled to a temp file."""
    with tempfile.TemporaryDirectory(prefix="khabar-") as folder:
        spool = Path(folder, "input")
        with spool.open("wb") as handle:
            copied = 0
            while chunk := stream.read(1 << 20):
                copied += len(chunk)
                if copied > ctx.max_file_bytes:
                    yield Rejection("ingest", InputTooLarge.code,
                                    f"over {ctx.max_file_bytes:,} bytes", name)
                    return
                handle.write(chunk)
        yield from read_source(Source(name=name, path=spool), ctx)
