"""The pipeline: clean each RawArticle into an Article, then run the configured stages.

Streams: items go in and come out one at a time. A failure on one article becomes a
Rejection carrying the failing stage's code; it never stops the stream.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator

from khabar.clean.convert import Cleaner
from khabar.errors import InternalError, KhabarError
from khabar.ingest.sidecar import Sidecar
from khabar.model import Article, RawArticle, Rejection
from khabar.registry import Stage, create
from khabar.settings import Settings

log = logging.getLogger(__name__)


class Pipeline:
    def __init__(self, settings: Settings, sidecar: Sidecar | None = None) -> None:
        self.clean = Cleaner(settings, sidecar)
        self.stages: list[Stage] = [create(name, settings) for name in settings["pipeline.stages"]]

    @property
    def names(self) -> list[str]:
        return ["clean.v1", *(stage.name for stage in self.stages)]

    def process(self, raw: RawArticle) -> Article | Rejection:
        try:
            article = self.clean(raw)
            for stage in self.stages:
                article = stage(article)
        except KhabarError as exc:
            return Rejection(exc.stage, exc.code, exc.detail, exc.origin or raw.origin)
        except Exception as exc:  # a bug in one stage must not stop the batch
            log.exception("unexpected error on %s", raw.origin)
            return Rejection(InternalError.stage, InternalError.code, f"internal error: {exc!r}",
                             raw.origin)
        return article

    def run(self, items: Iterable[RawArticle | Rejection]) -> Iterator[Article | Rejection]:
        for item in items:
            yield item if isinstance(item, Rejection) else self.process(item)
