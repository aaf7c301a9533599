"""The Engine: khabar's one API. The CLI, REST handlers, web pages and tests call it."""

from __future__ import annotations

import logging
import os
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from khabar.clean.boilerplate import OutletMemory
from khabar.cluster import recluster
from khabar.cluster.linker import ClusterLinker
from khabar.dedupe.linker import Linker
from khabar.errors import NotFound, UsageError
from khabar.extract.aliases import EntityLinker
from khabar.extract.entities import TYPES, lexicon_for
from khabar.extract.names import split_title, strip_clitics, words_key
from khabar.extract.quotes import QuoteLinker
from khabar.ingest import IngestContext, Sidecar
from khabar.ingest.reader import read_paths, read_stream
from khabar.model import Article, Rejection
from khabar.pipeline import Pipeline, restore
from khabar.progress import NoProgress, Progress
from khabar.settings import Settings
from khabar.store import ArticleFilter, Store, WriteCounts
from khabar.text.tokenize import sentence_spans

log = logging.getLogger(__name__)

DEFAULT_DB = "khabar.db"
KEEP_REJECTIONS = 1000  # how many rejections an IngestReport lists (all are stored)


def default_db() -> str:
    """``KHABAR_DB`` if set, else ``./khabar.db``."""
    return os.environ.get("KHABAR_DB") or DEFAULT_DB


@dataclass
class IngestReport:
    """What one ingest did. ``rejections`` lists the first KEEP_REJECTIONS; all are stored."""

    counts: WriteCounts = field(default_factory=WriteCounts)
    rejected: Counter[str] = field(default_factory=Counter)
    reasons: dict[str, str] = field(default_factory=dict)
    rejections: list[Rejection] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def articles(self) -> int:
        return self.counts.added + self.counts.updated + self.counts.unchanged

    @property
    def total_rejected(self) -> int:
        return sum(self.rejected.values())

    @property
    def rate(self) -> float:
        return (self.articles + self.total_rejected) / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles, "added": self.counts.added,
            "updated": self.counts.updated, "unchanged": self.counts.unchanged,
            "rejected": self.total_rejected,
            "rejected_by_code": dict(sorted(self.rejected.items())),
            "seconds": round(self.seconds, 3), "records_per_second": round(self.rate, 1),
            "rejections": [r.to_dict() for r in self.rejections],
        }


@dataclass
class ReprocessReport:
    processed: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    without_snapshot: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"processed": self.processed, "rejected": dict(self.rejected),
                "without_snapshot": self.without_snapshot, "seconds": round(self.seconds, 3)}


@dataclass
class ReclusterReport:
    articles: int
    since: str | None
    events: int
    stories: int
    history: int
    agreement: float | None  # B-cubed F1 of the rebuilt events against the previous ones
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return dict(vars(self))


def _check_day(value: str, name: str) -> None:
    try:
        date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{name} must be a date as YYYY-MM-DD, got {value!r}") from None


QUOTE_KEYS = ("speaker", "speaker_text", "text", "start", "end", "kind", "cue", "channel",
              "anonymous", "group_id", "sources")


class Engine:
    """Open a khabar database (created and migrated on first use) and work on it."""

    def __init__(self, db: str | Path | None = None, settings: Settings | None = None,
                 *, migrate: bool = True) -> None:
        self.settings = settings or Settings.load()
        self.db_path = Path(db or default_db())
        self.store = Store(self.db_path, busy_timeout=self.settings["store.busy_timeout"])
        if migrate:
            self.store.migrate()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    # -- ingest ---------------------------------------------------------------------------
    def ingest(self, paths: Iterable[str | Path], *, meta: str | Path | None = None,
               encoding: str | None = None, progress: Progress | None = None) -> IngestReport:
        """Read files, directories, archives (``-`` = stdin); store articles, record rejections.

        ``meta`` is a JSONL sidecar of per-file/URL fields; ``encoding`` forces a codec.
        Progress is reported in bytes of input files.
        """
        paths = list(paths)
        if any(not str(path).strip() for path in paths):
            raise UsageError("an empty path was given: name a file, a folder, or - for stdin")
        ctx, pipeline = self._prepare(meta, encoding)
        progress = progress or NoProgress()
        progress.start(sum(_size(p) for p in paths) or None, "ingest")

        try:
            items = read_paths(paths, ctx, lambda s: progress.advance(_size(s.name), s.name))
            return self._write(pipeline.run(items))
        finally:
            progress.finish()

    def ingest_stream(self, stream: BinaryIO, name: str = "<stdin>", *,
                      meta: str | Path | None = None, encoding: str | None = None
                      ) -> IngestReport:
        """Ingest one byte stream (an upload, a pipe) of any supported format."""
        ctx, pipeline = self._prepare(meta, encoding)
        return self._write(pipeline.run(read_stream(stream, name, ctx)))

    def _prepare(self, meta: str | Path | None, encoding: str | None
                 ) -> tuple[IngestContext, Pipeline]:
        sidecar = Sidecar.load(meta) if meta else None
        ctx = IngestContext.from_settings(self.settings, encoding=encoding, sidecar=sidecar)
        return ctx, Pipeline(self.settings, sidecar, self.outlet_memory())

    def outlet_memory(self) -> OutletMemory:
        """What each outlet prints on most of its pages, learnt from the articles stored."""
        return OutletMemory(self.store.outlet_lines(self.settings["boilerplate.outlet_pages"],
                                                    self.settings["boilerplate.outlet_share"]))

    def _linkers(self) -> tuple[Linker, EntityLinker, QuoteLinker, ClusterLinker]:
        """The writer-side linkers: duplicates, entities to the ones stored, quotes to
        their speakers' entities and statement groups, then events and stories (after the
        duplicates and entities, whose links they use)."""
        _, forbidden = lexicon_for(self.settings["entities.aliases_file"])
        return (Linker(self.store.duplicates, self.settings),
                EntityLinker(self.store.entities, forbidden), QuoteLinker(self.store.quotes),
                ClusterLinker(self.settings, self.store.clusters))

    def _write(self, results: Iterable[Article | Rejection]) -> IngestReport:
        report = IngestReport()
        started = time.perf_counter()
        batch_size: int = self.settings["store.batch_size"]
        articles: list[Article] = []
        rejections: list[Rejection] = []

        linker, entity_linker, quote_linker, cluster_linker = self._linkers()

        def flush() -> None:
            links = linker.link(articles)
            entities = entity_linker.link(articles)
            quotes = quote_linker.link(articles)
            report.counts += self.store.write(articles, rejections, links, entities, quotes,
                                              cluster_linker.link(articles))
            articles.clear()
            rejections.clear()

        for item in results:
            if isinstance(item, Rejection):
                rejections.append(item)
                report.rejected[item.code] += 1
                report.reasons.setdefault(item.code, item.detail)
                if len(report.rejections) < KEEP_REJECTIONS:
                    report.rejections.append(item)
                log.info("rejected %s: %s %s", item.origin, item.code, item.detail)
            else:
                articles.append(item)
            if len(articles) + len(rejections) >= batch_size:
                flush()
        flush()
        report.seconds = time.perf_counter() - started
        return report

    def reprocess(self, *, stage: str | None = None,
                  progress: Progress | None = None) -> ReprocessReport:
        """Run the configured stages again on stored articles whose stages differ from the
        pipeline's (or, with ``stage``, that lack that stage), from their cleaned snapshots,
        batch by batch: killed and run again, it continues where it stopped. Duplicate
        links of the reprocessed articles are rebuilt. An article whose stages fail keeps
        its stored version (counted in ``rejected``)."""
        pipeline = Pipeline(self.settings, memory=self.outlet_memory())
        if stage is not None and stage not in pipeline.names:
            raise UsageError(f"stage {stage!r} is not in pipeline.stages "
                             f"({', '.join(pipeline.names)})")
        report = ReprocessReport()
        started = time.perf_counter()
        progress = progress or NoProgress()
        progress.start(self.store.count_stale(pipeline.names, stage) or None, "reprocess")
        linker, entity_linker, quote_linker, cluster_linker = self._linkers()
        batch_size: int = self.settings["store.batch_size"]
        after = ""
        try:
            while rows := self.store.stale(pipeline.names, stage, after, batch_size):
                after = rows[-1][0]
                done: list[Article] = []
                for _, page in rows:
                    if page is None:
                        report.without_snapshot += 1
                        continue
                    result = pipeline.reprocess(restore(page))
                    if isinstance(result, Rejection):
                        report.rejected[result.code] += 1
                    else:
                        done.append(result)
                self.store.forget_fingerprints([a.id for a in done])
                links = linker.link(done)
                entities = entity_linker.link(done)
                quotes = quote_linker.link(done)
                self.store.replace(done, links, entities, quotes, cluster_linker.link(done))
                report.processed += len(done)
                progress.advance(len(rows), after)
        finally:
            progress.finish()
            report.seconds = time.perf_counter() - started
        return report

    def recluster(self, *, since: str | None = None,
                  progress: Progress | None = None) -> ReclusterReport:
        """Rebuild events and stories from the stored articles (all, or those whose event
        day is ``since`` or later, widened to whole events) in a fixed order, so the result
        does not depend on ingest order. Ids of events and stories that survive are kept;
        ``agreement`` is the B-cubed F1 of the new events against the previous ones."""
        if since is not None:
            _check_day(since, "--since")
        started = time.perf_counter()
        index = self.store.clusters
        work = recluster.plan(index, since)
        progress = progress or NoProgress()
        progress.start(len(work.profiles) or None, "recluster")
        try:
            rows = recluster.run(self.settings, index, work, lambda n: progress.advance(n))
        finally:
            progress.finish()
        before = dict(work.old_events)
        after = {article: event for article, event, _ in rows.assignments}
        self.store.rebuild_clusters(sorted(work.old_events), sorted(work.old_stories),
                                    sorted({s for s in work.old_stories.values() if s}), rows)
        return ReclusterReport(
            articles=len(work.profiles), since=work.since, events=len(rows.events),
            stories=len(rows.stories), history=len(rows.history),
            agreement=round(recluster.agreement(before, after), 4) if before else None,
            seconds=round(time.perf_counter() - started, 3))

    # -- reads ----------------------------------------------------------------------------
    def article(self, ident: str) -> Article:
        """One article by id or unique id prefix; raises NotFound (E301)."""
        return self.store.article(ident)

    def articles(self, *, outlet: str | None = None, since: str | None = None,
                 until: str | None = None, language: str | None = None,
                 limit: int | None = None, event_since: str | None = None,
                 event_until: str | None = None) -> Iterator[Article]:
        """Articles in publication order (undated last), filtered by publication date or by
        event time (``event_since``/``event_until``); dates as ISO prefixes."""
        return self.store.articles(ArticleFilter(outlet, since, until, language, limit,
                                                 event_since, event_until))

    def article_view(self, ident: str) -> dict[str, Any]:
        """One article as the JSON contract shows it: its fields plus ``sentences`` (the
        ``[start, end]`` offsets of each sentence in ``text``)."""
        article = self.article(ident)
        view = article.to_dict()
        view["sentences"] = [list(span) for span in sentence_spans(article.text)]
        view["entities"] = self.store.entities.mentions(article.id)
        view["quotes"] = [{k: q[k] for k in QUOTE_KEYS}
                          for q in self.store.quotes.of_article(article.id)]
        view["event_id"], view["story_id"] = self.store.clusters.of_article(article.id)
        return view

    def quotes(self, *, speaker: str | None = None, since: str | None = None,
               until: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Quotes, newest first: ``{speaker: {entity_id, name} | null, speaker_text, text,
        start, end, kind, cue, channel, anonymous, group_id, sources, article_id, outlet,
        published_at, title}``; ``speaker`` is any name or id of an entity (NotFound if
        none)."""
        ids = self._entity_ids(speaker) if speaker else None
        return self.store.quotes.search(ids, since, until, limit)

    def entities(self, *, type: str | None = None, outlet: str | None = None,
                 limit: int | None = None) -> list[dict[str, Any]]:
        """Entities with ``aliases`` (surface forms with counts), ``mentions`` and
        ``articles`` counts, the most widely reported first; filters by type and outlet."""
        if type is not None and type not in TYPES:
            raise UsageError(f"unknown entity type {type!r} (one of {', '.join(TYPES)})")
        return self.store.entities.entities(type, outlet, limit)

    def entity(self, name_or_id: str) -> list[dict[str, Any]]:
        """Every entity an id or a name (any alias, any spelling) designates, each with its
        aliases, articles, co-occurring entities and quotes; raises NotFound (E301) if
        none."""
        found = [e for e in map(self.store.entities.entity, self._entity_ids(name_or_id)) if e]
        if not found:
            raise NotFound(f"no entity named {name_or_id!r}", origin=name_or_id)
        for item in found:
            item["quotes"] = self.store.quotes.search([item["id"]], None, None, 50)
        return found

    def _entity_ids(self, name_or_id: str) -> list[str]:
        """Stored entity ids for an id or a name (clitics and titles may be on it)."""
        lexicon, _ = lexicon_for(self.settings["entities.aliases_file"])
        words = strip_clitics(words_key(name_or_id), lexicon)
        keys = [" ".join(words), " ".join(split_title(words, lexicon)[1])]
        ids = self.store.entities.find(name_or_id.strip(), keys)
        for entry in lexicon.lookup(" ".join(words)):
            if entry.id not in ids and self.store.entities.find(entry.id, []):
                ids.insert(0, entry.id)
        if not ids:
            raise NotFound(f"no entity named {name_or_id!r}", origin=name_or_id)
        return ids

    def stories(self, *, since: str | None = None, until: str | None = None,
                limit: int | None = None, entities: int = 5) -> list[dict[str, Any]]:
        """Stories, the latest first: ``{id, title, first_date, last_date, events: [{id,
        date, precision, title, article_ids}], articles, outlets, entities}``; ``since`` /
        ``until`` keep the stories active in that range (ISO dates)."""
        for value, name in ((since, "--since"), (until, "--until")):
            if value is not None:
                _check_day(value, name)
        return self._stories(self.store.clusters.story_rows(since, until, limit), entities)

    def story(self, ident: str) -> dict[str, Any]:
        """One story by id (or unique id prefix) with its timeline: each event with its
        date, precision, headline, outlets and articles; then its central entities, quotes
        and history (merges and splits). NotFound (E301) if there is none."""
        rows = self.store.clusters.story_rows(None, None, 2, ident)
        exact = [r for r in rows if r["id"] == ident]
        if len(rows) > 1 and not exact:
            raise NotFound(f"story id prefix {ident!r} matches more than one story")
        if not rows:
            raise NotFound(f"no story with id {ident!r}", origin=ident)
        story = self._stories(exact or rows, 15, detail=True)[0]
        story["quotes"] = self.store.clusters.story_quotes(story["id"], 20)
        story["history"] = self.store.clusters.history(story["id"])
        return story

    def _stories(self, rows: list[dict[str, Any]], entities: int, detail: bool = False
                 ) -> list[dict[str, Any]]:
        index = self.store.clusters
        ids = [r["id"] for r in rows]
        events = index.event_rows(ids) if ids else []
        members = index.event_members([e["id"] for e in events])
        outlets = index.story_outlets(ids)
        by_story: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
        for event in events:
            found = members[event["id"]]
            item = {"id": event["id"], "date": event["date"], "precision": event["precision"],
                    "title": event["title"], "article_ids": [a["id"] for a in found]}
            if detail:
                item.update(first_date=event["first_date"], last_date=event["last_date"],
                            outlets=sorted({a["outlet"] for a in found if a["outlet"]}),
                            articles=found)
            by_story[event["story_id"]].append(item)
        for row in rows:
            row["events"] = by_story[row["id"]]
            row["outlets"] = outlets[row["id"]]
            row["entities"] = index.story_entities_top(row["id"], entities)
        return rows

    def events(self, *, since: str | None = None, until: str | None = None,
               story: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Events in timeline order (undated last): ``{id, story_id, title, date, precision,
        first_date, last_date, articles, outlets, article_ids}``."""
        for value, name in ((since, "--since"), (until, "--until")):
            if value is not None:
                _check_day(value, name)
        stories = [self.story(story)["id"]] if story else None
        rows = self.store.clusters.event_rows(stories, since, until, limit)
        members = self.store.clusters.event_members([r["id"] for r in rows])
        for row in rows:
            row["article_ids"] = [a["id"] for a in members[row["id"]]]
        return rows

    def duplicates(self, *, kind: str | None = None,
                   limit: int | None = None) -> Iterator[dict[str, Any]]:
        """Groups of copies: ``{"original": {...}, "copies": [{..., duplicate_kind,
        duplicate_similarity}]}``, largest groups first."""
        return self.store.duplicates.groups(kind, limit)

    def rejections(self, *, code: str | None = None, stage: str | None = None,
                   limit: int | None = None) -> Iterator[dict[str, Any]]:
        return self.store.rejections(code, stage, limit)

    def stats(self) -> dict[str, Any]:
        data = self.store.stats()
        data["database"] = str(self.db_path)
        data["size_bytes"] = self.db_path.stat().st_size if self.db_path.exists() else 0
        return data

    def migrate(self) -> list[str]:
        return self.store.migrate()

    def migrations(self) -> tuple[list[str], list[str]]:
        return self.store.migrations()


def _size(path: str | Path) -> int:
    """Bytes in a file or under a directory; 0 for stdin or anything unreadable."""
    path = Path(path)
    try:
        if path.is_dir():
            return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
        return path.stat().st_size if path.is_file() else 0
    except OSError:
        return 0
