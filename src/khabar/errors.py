"""Coded errors. Convert them to output only at the edges (CLI, REST).

Codes are stable: E1xx ingest, E2xx clean, E3xx store, E9xx usage and settings.
"""

from __future__ import annotations

from typing import ClassVar

from khabar.model import Rejection


class KhabarError(Exception):
    """Base of every error khabar raises on purpose."""

    code: ClassVar[str] = "E000"
    stage: ClassVar[str] = "khabar"
    http_status: ClassVar[int] = 500

    def __init__(self, detail: str, *, origin: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.origin = origin

    def __str__(self) -> str:
        where = f"{self.origin}: " if self.origin else ""
        return f"{self.code} {where}{self.detail}"

    def rejection(self, origin: str) -> Rejection:
        """This error as the Rejection recorded for an input (its own origin if it has one)."""
        return Rejection(self.stage, self.code, self.detail, self.origin or origin)

    def to_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "stage": self.stage, "detail": self.detail,
                "origin": self.origin}


class IngestError(KhabarError):
    code = "E100"
    stage = "ingest"
    http_status = 422


class UnreadableInput(IngestError):
    code = "E100"


class EmptyInput(IngestError):
    code = "E101"


class BinaryInput(IngestError):
    code = "E102"


class UndecodableInput(IngestError):
    code = "E103"


class InputTooLarge(IngestError):
    code = "E104"
    http_status = 413


class MalformedJSON(IngestError):
    code = "E105"


class BadRecord(IngestError):
    code = "E106"


class ArchiveError(IngestError):
    code = "E107"


class UnsupportedFormat(IngestError):
    code = "E108"


class FeedError(IngestError):
    code = "E109"


class WarcError(IngestError):
    code = "E110"


class CleanError(KhabarError):
    code = "E200"
    stage = "clean"
    http_status = 422


class NoMainText(CleanError):
    code = "E201"


class EmptyText(CleanError):
    code = "E202"


class InternalError(KhabarError):
    code = "E299"
    stage = "pipeline"


class StoreError(KhabarError):
    code = "E300"
    stage = "store"


class NotFound(StoreError):
    code = "E301"
    http_status = 404


class UsageError(KhabarError):
    code = "E900"
    stage = "usage"
    http_status = 400


class SettingsError(UsageError):
    code = "E901"


class MetaFileError(UsageError):
    code = "E902"


class UnknownStage(UsageError):
    code = "E903"



class AliasesFileError(UsageError):
    code = "E904"
