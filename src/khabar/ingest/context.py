"""What every reader needs to know: limits from settings, forced encoding, the sidecar."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from khabar.ingest.sidecar import Sidecar
from khabar.settings import Settings


@dataclass
class IngestContext:
    max_page_bytes: int
    max_file_bytes: int
    max_archive_bytes: int
    max_compression_ratio: float
    max_archive_members: int
    max_archive_depth: int
    encoding: str | None = None
    sidecar: Sidecar | None = None
    skip: set[Path] = field(default_factory=set)

    @classmethod
    def from_settings(cls, settings: Settings, *, encoding: str | None = None,
                      sidecar: Sidecar | None = None) -> IngestContext:
        return cls(
            max_page_bytes=settings["ingest.max_page_bytes"],
            max_file_bytes=settings["ingest.max_file_bytes"],
            max_archive_bytes=settings["ingest.max_archive_bytes"],
            max_compression_ratio=settings["ingest.max_compression_ratio"],
            max_archive_members=settings["ingest.max_archive_members"],
            max_archive_depth=settings["ingest.max_archive_depth"],
            encoding=encoding,
            sidecar=sidecar,
            skip={sidecar.path.resolve()} if sidecar and sidecar.path else set(),
        )
