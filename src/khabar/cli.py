"""The ``khabar`` command line. Holds no logic of its own: every command calls the Engine.

Output: tables on a terminal, JSON Lines / JSON when piped (``--format`` overrides).
Exit codes: 0 all fine, 1 some inputs rejected (or an item not found), 2 usage error or
nothing could be read.
"""

from __future__ import annotations

import csv
import json
import logging
import re
import sys
from collections.abc import Callable, Iterable
from typing import Any, NoReturn

import click
from rich.console import Console
from rich.logging import RichHandler
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from khabar import __version__
from khabar.engine import Engine, IngestReport, default_db
from khabar.errors import KhabarError, UsageError
from khabar.settings import Settings, describe_defaults
from khabar.summarize import timeline

ARTICLE_KEYS = ("id", "origin", "url", "outlet", "title", "published_at", "language")
SHOW_KEYS = (*ARTICLE_KEYS, "text", "byline", "dateline", "captions", "headings", "encoding",
             "published_precision", "published_provenance", "fetched_at", "format", "meta",
             "language_spans", "duplicate_of", "duplicate_kind", "duplicate_similarity",
             "sentences", "entities", "dates", "event_time", "published_range", "quotes",
             "stages")
QUOTE_ROW_KEYS = ("speaker", "speaker_text", "text", "kind", "cue", "channel", "anonymous",
                  "group_id", "sources", "article_id", "outlet", "published_at", "start", "end")
ENTITY_KEYS = ("name", "type", "articles", "mentions", "aliases", "id")
REJECTION_KEYS = ("code", "stage", "origin", "detail", "first_seen", "last_seen", "times")
SHOWN_REJECTIONS = 20
HEADERS = {"published_at": "published", "language": "lang"}
MIN_WIDTHS = {"id": 16, "published_at": 10, "outlet": 10, "language": 4, "code": 4,
              "stage": 6, "times": 5, "first_seen": 10, "last_seen": 10, "name": 16,
              "type": 4, "mentions": 8, "articles": 8, "date": 10, "precision": 9,
              "first_date": 10, "last_date": 10, "events": 6, "outlets": 7}

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False)


class State:
    def __init__(self, db: str | None, config: str | None, overrides: tuple[str, ...],
                 quiet: bool) -> None:
        self.db, self.config, self.overrides, self.quiet = db, config, overrides, quiet

    def settings(self) -> Settings:
        return Settings.load(self.config, self.overrides)

    def engine(self) -> Engine:
        return Engine(self.db or default_db(), self.settings())


def fail(error: KhabarError) -> NoReturn:
    where = f"{error.origin}: " if error.origin else ""
    err.print(f"[bold red]error {error.code}[/]: ", end="")
    err.print(f"{where}{error.detail}", markup=False, soft_wrap=True)
    sys.exit(2 if isinstance(error, UsageError) else 1)


def guarded(func: Callable[..., Any]) -> Callable[..., Any]:
    """Convert KhabarError into one red line and an exit code (the CLI edge)."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except KhabarError as exc:
            fail(exc)

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper


def default_format(terminal: str = "table", piped: str = "jsonl") -> str:
    """The output format when --format is not given: one for a terminal, one for a pipe."""
    return terminal if sys.stdout.isatty() else piped


def emit_rows(rows: Iterable[dict[str, Any]], keys: tuple[str, ...], fmt: str,
              widths: dict[str, int] | None = None) -> int:
    """Print rows as table / json / jsonl / csv; return how many."""
    count = 0
    if fmt == "jsonl":
        for row in rows:
            sys.stdout.write(json.dumps({k: row.get(k) for k in keys}, ensure_ascii=False) + "\n")
            count += 1
    elif fmt == "json":
        items = [{k: row.get(k) for k in keys} for row in rows]
        sys.stdout.write(json.dumps(items, ensure_ascii=False, indent=2) + "\n")
        count = len(items)
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(keys), extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(row.get(k)) for k in keys})
            count += 1
    else:
        table = Table(show_lines=False)
        for key in keys:
            table.add_column(HEADERS.get(key, key), overflow="ellipsis", no_wrap=True,
                             max_width=(widths or {}).get(key), min_width=MIN_WIDTHS.get(key))
        for row in rows:
            table.add_row(*(_cell(row.get(k)) for k in keys))
            count += 1
        out.print(table)
    return count


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


FORMATS = click.Choice(["table", "json", "jsonl", "csv"])


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", type=click.Path(dir_okay=False), envvar="KHABAR_DB",
              help="Database file (default: $KHABAR_DB, else ./khabar.db).")
@click.option("--config", type=click.Path(dir_okay=False), envvar="KHABAR_CONFIG",
              help="Settings file (TOML) over the shipped defaults.")
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE",
              help="Override one setting, e.g. --set store.batch_size=100 (repeatable).")
@click.option("-v", "--verbose", count=True, help="Log progress (-v) or details (-vv).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars or summaries.")
@click.version_option(__version__, prog_name="khabar")
@click.pass_context
def main(ctx: click.Context, db: str | None, config: str | None, overrides: tuple[str, ...],
         verbose: int, quiet: bool) -> None:
    """khabar (خبر): Arabic news into events, stories and timelines."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(message)s", handlers=[
        RichHandler(console=err, show_path=False, show_time=verbose > 1)])
    ctx.obj = State(db, config, overrides, quiet)


class BarProgress:
    """rich progress bar on stderr, for Engine methods that report progress."""

    def __init__(self) -> None:
        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
                            TransferSpeedColumn(), TimeRemainingColumn(),
                            TextColumn("[dim]{task.fields[status]}"), console=err,
                            transient=True)
        self.task: Any = None

    def start(self, total: int | None, label: str) -> None:
        self.bar.start()
        self.task = self.bar.add_task(label, total=total, status="")

    def advance(self, units: int, status: str = "") -> None:
        self.bar.update(self.task, advance=units, status=status[-50:])

    def finish(self) -> None:
        self.bar.stop()


class CountProgress(BarProgress):
    """The same bar, counting articles instead of bytes."""

    def __init__(self) -> None:
        self.bar = Progress(TextColumn("{task.description}"), BarColumn(),
                            TextColumn("{task.completed}/{task.total}"), TimeRemainingColumn(),
                            console=err, transient=True)
        self.task = None


def print_report(report: IngestReport, sources: list[str]) -> None:
    counts = report.counts
    err.print(
        f"ingested [bold]{report.articles}[/] articles from {', '.join(sources)} in "
        f"{report.seconds:.1f} s ({report.rate:,.0f} records/s): {counts.added} added, "
        f"{counts.updated} updated, {counts.unchanged} unchanged"
    )
    if not report.total_rejected:
        return
    by_code = ", ".join(f"{code} ×{n}" for code, n in sorted(report.rejected.items()))
    err.print(f"[yellow]rejected {report.total_rejected}[/] ({by_code}):")
    for rejection in report.rejections[:SHOWN_REJECTIONS]:
        err.print(f"  [yellow]{rejection.code}[/] {rejection.origin}: {rejection.detail}",
                  markup=True, soft_wrap=True)
    hidden = report.total_rejected - min(len(report.rejections), SHOWN_REJECTIONS)
    if hidden > 0:
        err.print(f"  … and {hidden} more: see `khabar rejections`")


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--meta", type=click.Path(exists=True, dir_okay=False),
              help="JSONL sidecar giving fields (outlet, published, url, …) per file or URL.")
@click.option("--encoding", help="Force this text encoding instead of detecting it.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="text: summary on stderr; json: the full report on stdout.")
@click.pass_obj
@guarded
def ingest(state: State, paths: tuple[str, ...], meta: str | None, encoding: str | None,
           fmt: str) -> None:
    """Read articles from files, folders, archives, WARC, feeds or - (stdin)."""
    if encoding:
        try:
            "".encode(encoding)
        except LookupError:
            raise UsageError(f"unknown encoding {encoding!r}") from None
    show_bar = not state.quiet and err.is_terminal
    with state.engine() as engine:
        report = engine.ingest(paths, meta=meta, encoding=encoding,
                               progress=BarProgress() if show_bar else None)
    if fmt == "json":
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    elif not state.quiet:
        print_report(report, list(paths))
    if report.articles == 0:
        if not report.total_rejected:
            err.print("[red]nothing to read[/]: no input files found")
        sys.exit(2)
    sys.exit(1 if report.total_rejected else 0)


@main.command()
@click.option("--outlet", help="Only this outlet (exact name).")
@click.option("--since", help="Published on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--until", help="Published on or before this date (same forms).")
@click.option("--event-since", help="Reports a happening on or after this date (same forms).")
@click.option("--event-until", help="Reports a happening on or before this date.")
@click.option("--lang", "language", help="Only this language (ISO 639-1, e.g. ar).")
@click.option("--limit", type=click.IntRange(min=0), help="At most this many.")
@click.option("--format", "fmt", type=FORMATS, help="Default: table on a terminal, else jsonl.")
@click.pass_obj
@guarded
def articles(state: State, outlet: str | None, since: str | None, until: str | None,
             event_since: str | None, event_until: str | None, language: str | None,
             limit: int | None, fmt: str | None) -> None:
    """List stored articles in publication order (undated last)."""
    for value in (since, until, event_since, event_until):
        if value and not re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", value):
            raise UsageError(f"not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
    with state.engine() as engine:
        rows = (a.to_dict() for a in engine.articles(
            outlet=outlet, since=since, until=until, language=language, limit=limit,
            event_since=event_since, event_until=event_until))
        fmt = fmt or default_format()
        keys = ("id", "published_at", "outlet", "language", "title") if fmt == "table" else (
            ARTICLE_KEYS)
        emit_rows(rows, keys, fmt, {"title": 70, "outlet": 24})


@main.command()
@click.argument("ident", metavar="ID")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]),
              help="Default: text on a terminal, else json.")
@click.pass_obj
@guarded
def show(state: State, ident: str, fmt: str | None) -> None:
    """Show one article (by id or unique id prefix)."""
    with state.engine() as engine:
        article = engine.article_view(ident)
    if (fmt or default_format("text", "json")) == "json":
        data = {k: article.get(k) for k in SHOW_KEYS}
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    out.print(f"[bold]{article['title'] or '(no title)'}[/]")
    for key in ("id", "outlet", "published_at", "published_precision", "published_provenance",
                "url", "origin", "language", "encoding", "byline", "dateline", "duplicate_of",
                "duplicate_kind", "duplicate_similarity"):
        if article.get(key):
            out.print(f"[dim]{key}:[/] {article[key]}", markup=True)
    if article["event_time"]:
        event = article["event_time"]
        out.print(f"[dim]event time:[/] {event['value']} ({event['precision']}, "
                  f"confidence {event['confidence']})", markup=True)
    if article["dates"]:
        out.print("[dim]dates:[/] " + "، ".join(
            f"{d['text']} = {d['value'] or '?'} ({d['role']})" for d in article["dates"]),
            markup=True)
    for quote in article["quotes"]:
        who = (quote["speaker"] or {}).get("name") or quote["anonymous"] or "?"
        out.print(f"[dim]quote ({quote['kind']}, {quote['cue']}):[/] {who}: ", end="",
                  markup=True)
        out.print(quote["text"], markup=False)
    if article["entities"]:
        names = sorted({(m["name"], m["type"]) for m in article["entities"]})
        out.print("[dim]entities:[/] " + "، ".join(f"{n} ({t})" for n, t in names),
                  markup=True)
    out.print()
    out.print(article["text"], markup=False)


@main.command()
@click.option("--type", "type_", type=click.Choice(["PER", "LOC", "ORG", "MISC"]),
              help="Only this type.")
@click.option("--outlet", help="Only entities mentioned by this outlet (counts are its own).")
@click.option("--limit", type=click.IntRange(min=0), help="At most this many.")
@click.option("--format", "fmt", type=FORMATS, help="Default: table on a terminal, else jsonl.")
@click.pass_obj
@guarded
def entities(state: State, type_: str | None, outlet: str | None, limit: int | None,
             fmt: str | None) -> None:
    """Entities (people, places, organisations, other names), the most reported first, with
    their aliases and how many mentions and articles they have."""
    with state.engine() as engine:
        rows = engine.entities(type=type_, outlet=outlet, limit=limit)
    fmt = fmt or default_format()
    if fmt in ("table", "csv"):
        rows = [{**r, "aliases": "، ".join(a["text"] for a in r["aliases"])} for r in rows]
    emit_rows(rows, ENTITY_KEYS, fmt, {"aliases": 60, "name": 30, "id": 18})


@main.command()
@click.option("--speaker", help="Only this speaker (any name or id of an entity).")
@click.option("--since", help="Published on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--until", help="Published on or before this date (same forms).")
@click.option("--limit", type=click.IntRange(min=0), help="At most this many.")
@click.option("--format", "fmt", type=FORMATS, help="Default: table on a terminal, else jsonl.")
@click.pass_obj
@guarded
def quotes(state: State, speaker: str | None, since: str | None, until: str | None,
           limit: int | None, fmt: str | None) -> None:
    """Who said what: direct and reported quotes with their speakers, newest first; the
    same statement in several outlets shares a group_id (sources = how many articles)."""
    with state.engine() as engine:
        rows = engine.quotes(speaker=speaker, since=since, until=until, limit=limit)
    fmt = fmt or default_format()
    if fmt in ("table", "csv"):
        rows = [{**r, "speaker": (r["speaker"] or {}).get("name") or r["anonymous"]}
                for r in rows]
        emit_rows(rows, ("published_at", "speaker", "text", "sources", "outlet"), fmt,
                  {"text": 70, "speaker": 24})
        return
    emit_rows(rows, QUOTE_ROW_KEYS, fmt)


@main.command()
@click.argument("name", metavar="NAME_OR_ID")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]),
              help="Default: text on a terminal, else json.")
@click.pass_obj
@guarded
def entity(state: State, name: str, fmt: str | None) -> None:
    """One entity by id or by any of its names: aliases, articles, co-occurring entities."""
    with state.engine() as engine:
        found = engine.entity(name)
    if (fmt or default_format("text", "json")) == "json":
        sys.stdout.write(json.dumps(found, ensure_ascii=False, indent=2) + "\n")
        return
    for item in found:
        out.print(f"[bold]{item['name']}[/] ({item['type']}) [dim]{item['id']}[/]")
        out.print("[dim]aliases:[/] " + "، ".join(f"{a['text']} ×{a['count']}"
                                                   for a in item["aliases"]), markup=True)
        out.print(f"[dim]articles ({len(item['articles'])}):[/]", markup=True)
        for a in item["articles"][:20]:
            out.print(f"  {a['id']} {a['published_at'] or '-'} {a['outlet'] or '?'}: ",
                      end="", markup=False)
            out.print(a["title"] or "", markup=False)
        for quote in item["quotes"][:10]:
            out.print(f"  «{quote['text'][:160]}» [dim]{quote['outlet'] or '?'} "
                      f"{quote['published_at'] or ''}[/]", markup=True)
        if item["co_occurring"]:
            out.print("[dim]with:[/] " + "، ".join(f"{c['name']} ({c['articles']})"
                                                  for c in item["co_occurring"][:12]))
        out.print()


@main.command()
@click.option("--since", help="Only stories active on or after this day (YYYY-MM-DD).")
@click.option("--until", help="Only stories active on or before this day (YYYY-MM-DD).")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "table", "json", "jsonl", "md"]),
              help="Default: text (timelines) on a terminal, else json.")
@click.pass_obj
@guarded
def stories(state: State, since: str | None, until: str | None, limit: int,
            fmt: str | None) -> None:
    """Stories, the latest first: title, first and last date, events (the timeline),
    articles, outlets and top entities."""
    with state.engine() as engine:
        found = engine.stories(since=since, until=until, limit=limit)
    fmt = fmt or default_format("text", "json")
    if fmt == "text":
        for story in found:
            for line in timeline.story_text(story):
                out.print(line, markup=False, highlight=False, soft_wrap=True)
            out.print()
    elif fmt == "md":
        sys.stdout.write("\n".join(timeline.story_markdown(s) for s in found))
    elif fmt == "table":
        rows = [{**s, "events": len(s["events"]), "outlets": len(s["outlets"]),
                 "entities": "، ".join(e["name"] for e in s["entities"])} for s in found]
        emit_rows(rows, ("id", "first_date", "last_date", "events", "articles", "outlets",
                         "title", "entities"), fmt, {"title": 60, "entities": 30})
    else:
        emit_rows(found, ("id", "title", "first_date", "last_date", "events", "articles",
                          "outlets", "entities"), fmt)


@main.command()
@click.argument("ident")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "md"]),
              help="Default: text on a terminal, else json.")
@click.pass_obj
@guarded
def story(state: State, ident: str, fmt: str | None) -> None:
    """One story's timeline: each event with its date and precision, headline, outlets and
    articles; then its central entities, quotes and history."""
    with state.engine() as engine:
        found = engine.story(ident)
    fmt = fmt or default_format("text", "json")
    if fmt == "json":
        sys.stdout.write(json.dumps(found, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt == "md":
        sys.stdout.write(timeline.story_markdown(found))
        return
    for line in timeline.story_text(found):
        out.print(line, markup=False, highlight=False, soft_wrap=True)
    for event in found["events"]:
        out.print(f"\n{timeline.when(event)}  {event['title']}", markup=False, highlight=False)
        for a in event["articles"]:
            copy = " (copy)" if a["duplicate_of"] else ""
            out.print(f"    {a['id']} {a['outlet'] or '?'}{copy}: {a['title'] or ''}",
                      markup=False, highlight=False)
    for q in found["quotes"][:10]:
        out.print(f"  «{q['text'][:160]}» — {q['speaker']} ({q['outlet'] or '?'})",
                  markup=False, highlight=False)
    for h in found["history"]:
        out.print(f"  {h['at'][:10]} {h['action']} {h['other_id']}: {h['reason']}",
                  markup=False, highlight=False)


@main.command()
@click.option("--since", help="Only events on or after this day (YYYY-MM-DD).")
@click.option("--until", help="Only events on or before this day (YYYY-MM-DD).")
@click.option("--story", "story_id", help="Only the events of this story (id or prefix).")
@click.option("--limit", type=click.IntRange(min=1))
@click.option("--format", "fmt", type=click.Choice(["table", "json", "jsonl", "csv", "md"]),
              help="Default: table on a terminal, else jsonl.")
@click.pass_obj
@guarded
def events(state: State, since: str | None, until: str | None, story_id: str | None,
           limit: int | None, fmt: str | None) -> None:
    """Events (one real happening each) in timeline order, undated last."""
    with state.engine() as engine:
        found = engine.events(since=since, until=until, story=story_id, limit=limit)
    fmt = fmt or default_format()
    if fmt == "md":
        sys.stdout.write(timeline.events_markdown(found))
        return
    keys = ("id", "date", "precision", "title", "articles", "outlets", "story_id")
    emit_rows(found, (*keys, "first_date", "last_date", "article_ids") if fmt != "table"
              else keys, fmt, {"title": 70})


@main.command()
@click.option("--since", help="Only articles whose event day is on or after this day "
                              "(YYYY-MM-DD); events reaching back before it are rebuilt whole.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.pass_obj
@guarded
def recluster(state: State, since: str | None, fmt: str) -> None:
    """Rebuild events and stories in batch, in a fixed order (deterministic, whatever the
    order articles were ingested in); surviving ids are kept."""
    show_bar = not state.quiet and err.is_terminal and fmt == "text"
    with state.engine() as engine:
        report = engine.recluster(since=since, progress=CountProgress() if show_bar else None)
    if fmt == "json":
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False) + "\n")
    elif not state.quiet:
        err.print(f"reclustered {report.articles} articles"
                  f"{' from ' + report.since if report.since else ''} in {report.seconds:.1f} s"
                  f": {report.events} events, {report.stories} stories; agreement with the "
                  f"previous events (B-cubed F1) {report.agreement}; {report.history} story "
                  f"merges/splits recorded")


@main.command()
@click.option("--stage", help="Only articles that lack this stage (e.g. boilerplate.v2).")
@click.pass_obj
@guarded
def reprocess(state: State, stage: str | None) -> None:
    """Run the configured stages again on stored articles made by other stage versions."""
    show_bar = not state.quiet and err.is_terminal
    with state.engine() as engine:
        report = engine.reprocess(stage=stage, progress=CountProgress() if show_bar else None)
    if not state.quiet:
        rejected = sum(report.rejected.values())
        err.print(f"reprocessed {report.processed} articles in {report.seconds:.1f} s"
                  + (f"; {rejected} failed and kept their stored version "
                     f"({dict(report.rejected)})" if rejected else "")
                  + (f"; {report.without_snapshot} have no cleaned snapshot (ingested before "
                     "khabar kept them): ingest their sources again" if report.without_snapshot
                     else ""))
    sys.exit(1 if report.rejected else 0)


@main.command()
@click.option("--kind", type=click.Choice(["exact", "near", "contained", "title"]),
              help="Only groups with copies of this kind.")
@click.option("--limit", type=click.IntRange(min=0), help="At most this many groups.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "jsonl"]),
              help="Default: text on a terminal, else jsonl (one group per line).")
@click.pass_obj
@guarded
def duplicates(state: State, kind: str | None, limit: int | None, fmt: str | None) -> None:
    """Groups of copies: each original with its exact, near, contained and title copies."""
    with state.engine() as engine:
        groups = engine.duplicates(kind=kind, limit=limit)
        fmt = fmt or default_format("text", "jsonl")
        if fmt == "json":
            sys.stdout.write(json.dumps(list(groups), ensure_ascii=False, indent=2) + "\n")
            return
        count = 0
        for group in groups:
            count += 1
            if fmt == "jsonl":
                sys.stdout.write(json.dumps(group, ensure_ascii=False) + "\n")
                continue
            original = group["original"]
            out.print(f"[bold]{original['id']}[/] {original['published_at'] or '-'} "
                      f"{original['outlet'] or '?'}: ", end="")
            out.print(original["title"] or "", markup=False)
            for copy in group["copies"]:
                out.print(f"  {copy['duplicate_kind']:9} {copy['duplicate_similarity']:.2f} "
                          f"{copy['id']} {copy['outlet'] or '?'}: ", end="", markup=False)
                out.print(copy["title"] or "", markup=False)
        if fmt == "text" and not count:
            out.print("no duplicates")


@main.command()
@click.option("--code", help="Only this code (e.g. E105).")
@click.option("--stage", help="Only this stage (ingest, clean, …).")
@click.option("--limit", type=click.IntRange(min=0))
@click.option("--format", "fmt", type=FORMATS, help="Default: table on a terminal, else jsonl.")
@click.pass_obj
@guarded
def rejections(state: State, code: str | None, stage: str | None, limit: int | None,
               fmt: str | None) -> None:
    """Inputs that were not stored, with their coded reasons."""
    with state.engine() as engine:
        emit_rows(engine.rejections(code=code, stage=stage, limit=limit), REJECTION_KEYS,
                  fmt or default_format(), {"origin": 60, "detail": 60})


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]),
              help="Default: text on a terminal, else json.")
@click.pass_obj
@guarded
def stats(state: State, fmt: str | None) -> None:
    """Counts: articles per outlet, language and format, dates, rejections by reason."""
    with state.engine() as engine:
        data = engine.stats()
    if (fmt or default_format("text", "json")) == "json":
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    span = data["published"]
    out.print(f"[bold]{data['articles']}[/] articles from {len(data['outlets'])} outlets in "
              f"{data['database']} ({data['size_bytes'] / 1e6:.1f} MB); "
              f"dated {span['dated']}, from {span['first'] or '-'} to {span['last'] or '-'}")
    for title, counts in (("outlet", data["outlets"]), ("language", data["languages"]),
                          ("format", data["formats"])):
        table = Table(title=f"articles per {title}", title_justify="left")
        table.add_column(title)
        table.add_column("articles", justify="right")
        for name, count in counts.items():
            table.add_row(name, str(count))
        out.print(table)
    table = Table(title="rejections by reason", title_justify="left")
    for column in ("code", "stage", "inputs", "example"):
        table.add_column(column, justify="right" if column == "inputs" else "left")
    for row in data["rejections"]:
        table.add_row(row["code"], row["stage"], str(row["inputs"]), row["example"])
    out.print(table if data["rejections"] else "no rejections")


@main.command("settings")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]),
              help="Default: text on a terminal, else json.")
@click.pass_obj
@guarded
def settings_cmd(state: State, fmt: str | None) -> None:
    """Effective settings: value, where it came from, and what it does."""
    settings = state.settings()
    rows = [{"key": info.key, "value": settings[info.key], "source": settings.source(info.key),
             "help": info.help} for info in describe_defaults()]
    if (fmt or default_format("text", "json")) == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table()
    for column in ("key", "value", "source", "help"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(row["key"], json.dumps(row["value"], ensure_ascii=False), row["source"],
                      row["help"])
    out.print(table)


@main.command()
@click.option("--list", "list_only", is_flag=True, help="Only list applied and pending ones.")
@click.pass_obj
@guarded
def migrate(state: State, list_only: bool) -> None:
    """Apply pending database migrations (new databases are migrated automatically)."""
    engine = Engine(state.db or default_db(), state.settings(), migrate=False)
    with engine:
        if list_only:
            done, todo = engine.migrations()
            for name in done:
                out.print(f"applied  {name}")
            for name in todo:
                out.print(f"pending  {name}")
            return
        applied = engine.migrate()
    out.print("\n".join(f"applied {name}" for name in applied) or "database is up to date")


if __name__ == "__main__":  # pragma: no cover
    main()
