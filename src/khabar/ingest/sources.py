"""Where input bytes come from: files on disk, archive members, standard input."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from khabar.errors import InputTooLarge, UnreadableInput


@dataclass
class Source:
    """One input: a file on disk (``path``) or bytes in memory (``data``).

    ``name`` becomes the origin of everything read from it; ``depth`` counts the archives
    it sits in.
    """

    name: str
    path: Path | None = None
    data: bytes | None = None
    depth: int = 0

    def size(self) -> int:
        if self.data is not None:
            return len(self.data)
        assert self.path is not None
        return self.path.stat().st_size

    def open(self) -> BinaryIO:
        if self.data is not None:
            return io.BytesIO(self.data)
        assert self.path is not None
        try:
            return self.path.open("rb")
        except OSError as exc:
            raise UnreadableInput(f"cannot open: {exc.strerror}", origin=self.name) from exc

    def head(self, size: int = 8192) -> bytes:
        if self.data is not None:
            return self.data[:size]
        with self.open() as handle:
            return handle.read(size)

    def read(self, limit: int) -> bytes:
        """All bytes, refusing inputs over ``limit`` (E104)."""
        if self.data is not None:
            data = self.data
        else:
            with self.open() as handle:
                data = handle.read(limit + 1)
        if len(data) > limit:
            raise InputTooLarge(f"larger than the limit of {limit:,} bytes", origin=self.name)
        return data


# Project documentation found when walking a folder: never news, so never read from a walk.
DOC_NAMES = ("README", "LICENSE", "LICENCE", "COPYING", "NOTICE", "CHANGELOG", "AUTHORS")


def is_doc_file(name: str) -> bool:
    return name.split(".", 1)[0].upper() in DOC_NAMES


def walk(path: Path, skip: set[Path]) -> Iterator[Source]:
    """Files under ``path`` (itself if a file), sorted; in folders, hidden files, project
    documentation (README, LICENSE, …) and ``skip`` are left out."""
    if path.is_dir():
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                file = Path(root, name)
                if not (name.startswith(".") or is_doc_file(name) or file.resolve() in skip):
                    yield Source(name=str(file), path=file)
    else:
        yield Source(name=str(path), path=path)
