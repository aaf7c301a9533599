"""Ingest: read any supported input into RawArticles (or Rejections saying why not)."""

from khabar.ingest.context import IngestContext
from khabar.ingest.reader import read_paths, read_stream
from khabar.ingest.sidecar import Sidecar

__all__ = ["IngestContext", "Sidecar", "read_paths", "read_stream"]
