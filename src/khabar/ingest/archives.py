"""Archives and compressed files: zip, tar (any compression), gzip, bzip2 and xz.

Members are read into memory and handed back to the dispatcher as Sources one level
deeper. Guards against archive bombs: a total uncompressed budget per archive, a
compression-ratio limit per member, a member count and a nesting depth (all E107).
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from typing import IO

from khabar.errors import ArchiveError, InputTooLarge
from khabar.ingest.context import IngestContext
from khabar.ingest.sources import Source

_SUFFIXES = {"gzip": (".gz", ".tgz"), "bz2": (".bz2", ".tbz2"), "xz": (".xz", ".txz")}
_ERRORS = (OSError, EOFError, zlib.error, lzma.LZMAError, tarfile.TarError, zipfile.BadZipFile,
           ValueError)


class _Budget:
    """Uncompressed bytes and members still allowed for one archive."""

    def __init__(self, source: Source, ctx: IngestContext) -> None:
        self.source, self.ctx = source, ctx
        self.left = ctx.max_archive_bytes
        self.members = 0

    def read(self, handle: IO[bytes] | io.BufferedIOBase, name: str, compressed: int) -> bytes:
        self.members += 1
        if self.members > self.ctx.max_archive_members:
            raise ArchiveError(f"more than {self.ctx.max_archive_members:,} members",
                               origin=self.source.name)
        limit = min(self.left, self.ctx.max_file_bytes)
        ratio_limit = int(max(compressed, 1) * self.ctx.max_compression_ratio) + 65536
        data = handle.read(min(limit, ratio_limit) + 1)
        if len(data) > ratio_limit:
            raise ArchiveError(
                f"member {name} expands more than {self.ctx.max_compression_ratio:g}× "
                "(archive bomb?)", origin=self.source.name)
        if len(data) > limit:
            raise ArchiveError(f"uncompressed size over {limit:,} bytes (archive bomb?)",
                               origin=self.source.name)
        self.left -= len(data)
        return data


def _decompress(kind: str, raw: IO[bytes]) -> io.BufferedIOBase:
    if kind == "gzip":
        return gzip.GzipFile(fileobj=raw, mode="rb")
    if kind == "bz2":
        return bz2.BZ2File(raw)
    return lzma.LZMAFile(raw)


def _member(source: Source, name: str, data: bytes) -> Source:
    return Source(name=f"{source.name}::{name}", data=data, depth=source.depth + 1)


def _check_depth(source: Source, ctx: IngestContext) -> None:
    if source.depth >= ctx.max_archive_depth:
        raise ArchiveError(f"archives nested deeper than {ctx.max_archive_depth}",
                           origin=source.name)


def read_zip(source: Source, ctx: IngestContext) -> Iterator[Source]:
    _check_depth(source, ctx)
    budget = _Budget(source, ctx)
    try:
        with source.open() as handle, zipfile.ZipFile(handle) as archive:
            for info in sorted(archive.infolist(), key=lambda i: i.filename):
                if info.is_dir() or _hidden(info.filename):
                    continue
                with archive.open(info) as member:
                    data = budget.read(member, info.filename, info.compress_size)
                yield _member(source, info.filename, data)
    except _ERRORS as exc:
        raise ArchiveError(f"broken zip archive: {exc}", origin=source.name) from exc


def read_tar(source: Source, ctx: IngestContext) -> Iterator[Source]:
    _check_depth(source, ctx)
    budget = _Budget(source, ctx)
    compressed = source.size()
    try:
        with source.open() as handle, tarfile.open(fileobj=handle, mode="r:*") as archive:
            for info in archive:
                if not info.isfile() or _hidden(info.name):
                    continue
                member = archive.extractfile(info)
                if member is None:
                    continue
                data = budget.read(member, info.name, compressed)
                yield _member(source, info.name, data)
    except _ERRORS as exc:
        raise ArchiveError(f"broken tar archive: {exc}", origin=source.name) from exc


def read_compressed(source: Source, kind: str, ctx: IngestContext) -> Iterator[Source]:
    """A single gzip/bzip2/xz-compressed file: its content, named without the suffix."""
    _check_depth(source, ctx)
    budget = _Budget(source, ctx)
    name = source.name.rsplit("::", 1)[-1].rsplit("/", 1)[-1]
    for suffix in _SUFFIXES[kind]:
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)] + (".tar" if suffix.startswith(".t") else "")
            break
    try:
        with source.open() as raw, _decompress(kind, raw) as handle:
            data = budget.read(handle, name, source.size())
    except InputTooLarge:
        raise
    except _ERRORS as exc:
        raise ArchiveError(f"broken {kind} file: {exc}", origin=source.name) from exc
    yield Source(name=f"{source.name}::{name}", data=data, depth=source.depth + 1)


def _hidden(name: str) -> bool:
    return any(part.startswith(".") or part == "__MACOSX" for part in name.split("/"))
