"""The pipeline: clean each RawArticle into an Article, then run the configured stages.

Streams: items go in and come out one at a time, in input order. A failure on one article
becomes a Rejection carrying the failing stage's code; it never stops the stream.

Large inputs are processed by a pool of worker processes (``pipeline.workers``): the
first ``CHUNK`` items run in-process, and only if more follow does a pool start, so small
jobs pay nothing. At most ``2 × workers`` chunks are in flight, so memory stays bounded.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from multiprocessing.pool import AsyncResult

from khabar.clean.boilerplate import BoilerplateStage, OutletMemory
from khabar.clean.convert import Cleaner
from khabar.errors import InternalError, KhabarError
from khabar.ingest.sidecar import Sidecar
from khabar.model import Article, RawArticle, Rejection
from khabar.registry import Stage, create
from khabar.settings import Settings

log = logging.getLogger(__name__)

Item = RawArticle | Rejection
Result = Article | Rejection
CHUNK = 256


class Pipeline:
    def __init__(self, settings: Settings, sidecar: Sidecar | None = None,
                 memory: OutletMemory | None = None) -> None:
        self.settings, self.sidecar, self.memory = settings, sidecar, memory
        self.clean = Cleaner(settings, sidecar)
        self.stages: list[Stage] = [create(name, settings) for name in settings["pipeline.stages"]]
        for stage in self.stages:
            if memory is not None and isinstance(stage, BoilerplateStage):
                stage.memory = memory
        wanted: int = settings["pipeline.workers"]
        self.workers = wanted if wanted > 0 else min(os.cpu_count() or 1, 8)

    @property
    def names(self) -> list[str]:
        return ["clean.v1", *(stage.name for stage in self.stages)]

    def process(self, raw: RawArticle) -> Result:
        """Clean and run the stages; a failure becomes a Rejection."""
        return self._guard(raw.origin, lambda: self._clean_and_run(raw))

    def reprocess(self, article: Article) -> Result:
        """Run the stages again on an article restored from its cleaned snapshot."""
        return self._guard(article.origin, lambda: self.run_stages(article))

    def _clean_and_run(self, raw: RawArticle) -> Article:
        article = self.clean(raw)
        article.work["page"] = snapshot(article)
        return self.run_stages(article)

    @staticmethod
    def _guard(origin: str, work: Callable[[], Article]) -> Result:
        try:
            return work()
        except KhabarError as exc:
            return exc.rejection(origin)
        except Exception as exc:  # a bug in one stage must not stop the batch
            log.exception("unexpected error on %s", origin)
            return Rejection(InternalError.stage, InternalError.code, f"internal error: {exc!r}",
                             origin)

    def run_stages(self, article: Article) -> Article:
        """The configured stages on a cleaned article (also used to reprocess)."""
        for stage in self.stages:
            article = stage(article)
        article.stages = self.names
        return article

    def process_all(self, items: list[Item]) -> list[Result]:
        return [item if isinstance(item, Rejection) else self.process(item) for item in items]

    def run(self, items: Iterable[Item]) -> Iterator[Result]:
        stream = iter(items)
        first = list(islice(stream, CHUNK))
        yield from self.process_all(first)
        if len(first) < CHUNK:
            return
        if self.workers <= 1:
            for item in stream:
                yield item if isinstance(item, Rejection) else self.process(item)
            return
        yield from self._run_pool(stream)

    def _run_pool(self, stream: Iterator[Item]) -> Iterator[Result]:
        context = multiprocessing.get_context("spawn")
        with context.Pool(self.workers, initializer=_start_worker,
                          initargs=(self.settings, self.sidecar, self.memory)) as pool:
            pending: deque[AsyncResult[list[Result]]] = deque()
            while chunk := list(islice(stream, CHUNK)):
                pending.append(pool.apply_async(_work, (chunk,)))
                if len(pending) >= 2 * self.workers:
                    yield from pending.popleft().get()
            while pending:
                yield from pending.popleft().get()


def snapshot(article: Article) -> bytes:
    """The article as cleaning left it, compressed: what reprocessing starts from."""
    data = json.dumps(article.to_dict(), ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(data.encode("utf-8"), 1)  # level 1: most of the gain, little CPU


def restore(data: bytes) -> Article:
    return Article.from_dict(json.loads(zlib.decompress(data)))


_worker: Pipeline | None = None


def _start_worker(settings: Settings, sidecar: Sidecar | None,
                  memory: OutletMemory | None) -> None:
    global _worker
    _worker = Pipeline(settings, sidecar, memory)


def _work(chunk: list[Item]) -> list[Result]:
    assert _worker is not None
    return _worker.process_all(chunk)
