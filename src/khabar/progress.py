"""Progress reporting for long work. Library code reports; the CLI decides how to show it."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def start(self, total: int | None, label: str) -> None:
        """Work of ``total`` units (None when unknown) begins."""

    def advance(self, units: int, status: str = "") -> None:
        """``units`` more are done; ``status`` is a short note such as the current file."""

    def finish(self) -> None: ...


class NoProgress:
    """The default: reports nothing."""

    def start(self, total: int | None, label: str) -> None:
        return None

    def advance(self, units: int, status: str = "") -> None:
        return None

    def finish(self) -> None:
        return None
