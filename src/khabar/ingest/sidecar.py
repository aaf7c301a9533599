"""The ``--meta FILE.jsonl`` sidecar: rows that give fields to articles by file name or URL.

A row names its article with ``file`` (a name or a relative path, matched against the end
of the article's origin) and/or ``url``; every other field is mapped like a record's
(``outlet``, ``published``, …) and unknown ones are kept in the article's meta.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from khabar.errors import MetaFileError
from khabar.ingest.fields import map_record
from khabar.urls import canonical_url

FILE_KEYS = ("file", "path", "filename")


@dataclass(frozen=True)
class SidecarRow:
    parts: tuple[str, ...]
    url: str | None
    fields: dict[str, Any]
    meta: dict[str, Any]


def _parts(name: str) -> tuple[str, ...]:
    return tuple(p for p in PurePosixPath(name.replace("\\", "/")).parts if p not in ("", "."))


def origin_parts(origin: str) -> tuple[str, ...]:
    """Path components of an origin: an archive member's own path, no ``#record`` suffix."""
    inner = origin.rsplit("::", 1)[-1]
    return _parts(inner.split("#", 1)[0])


class Sidecar:
    def __init__(self, rows: list[SidecarRow], path: Path | None = None) -> None:
        self.path = path
        self._by_name: dict[str, list[SidecarRow]] = {}
        self._by_url: dict[str, SidecarRow] = {}
        for row in rows:
            if row.parts:
                self._by_name.setdefault(row.parts[-1], []).append(row)
            if row.url:
                self._by_url[row.url] = row

    def __len__(self) -> int:
        return len({id(r) for rows in self._by_name.values() for r in rows} |
                   {id(r) for r in self._by_url.values()})

    @classmethod
    def load(cls, path: str | Path) -> Sidecar:
        path = Path(path)
        try:
            lines = path.read_text("utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise MetaFileError(f"cannot read meta file: {exc}", origin=str(path)) from exc
        rows = []
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as exc:
                raise MetaFileError(f"line {number}: not JSON ({exc})", origin=str(path)) from exc
            if not isinstance(record, dict):
                raise MetaFileError(f"line {number}: not a JSON object", origin=str(path))
            rows.append(_row(record, number, path))
        return cls(rows, path)

    def lookup(self, origin: str, url: str | None) -> SidecarRow | None:
        if url and (row := self._by_url.get(canonical_url(url) or "")):
            return row
        parts = origin_parts(origin)
        if not parts:
            return None
        best: SidecarRow | None = None
        for row in self._by_name.get(parts[-1], []):
            if parts[-len(row.parts):] == row.parts and (best is None or
                                                         len(row.parts) > len(best.parts)):
                best = row
        return best


def _row(record: dict[str, Any], number: int, path: Path) -> SidecarRow:
    name = next((record[k] for k in FILE_KEYS if isinstance(record.get(k), str)), None)
    body = {k: v for k, v in record.items() if k not in FILE_KEYS}
    fields, meta = map_record(body)
    url = canonical_url(fields["url"]) if fields.get("url") else None
    if not name and not url:
        raise MetaFileError(f"line {number}: names no file ({'/'.join(FILE_KEYS)}) or url",
                            origin=str(path))
    fields.pop("text", None)
    return SidecarRow(_parts(name) if name else (), url, fields, meta)
