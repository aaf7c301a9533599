"""RSS 2.0 / RSS 1.0 / Atom feeds: the feedparser adapter (the only module importing it)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import feedparser

from khabar.errors import EmptyInput, FeedError
from khabar.ingest.context import IngestContext
from khabar.ingest.sources import Source
from khabar.model import BodyKind, RawArticle, Rejection

_KEEP = ("id", "guid", "comments", "summary")


def _content(entry: Any) -> tuple[str, BodyKind] | None:
    """The fullest text the entry carries: content:encoded / atom content, else summary."""
    candidates = list(entry.get("content") or [])
    if entry.get("summary_detail"):
        candidates.append(entry["summary_detail"])
    best = max(candidates, key=lambda c: len(c.get("value") or ""), default=None)
    if best is None or not (best.get("value") or "").strip():
        return None
    kind: BodyKind = "html_fragment" if "html" in (best.get("type") or "html") else "text"
    return best["value"], kind


def read_feed(source: Source, ctx: IngestContext) -> Iterator[RawArticle | Rejection]:
    data = source.read(ctx.max_file_bytes)
    if not data.strip():
        raise EmptyInput("empty file", origin=source.name)
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.entries:
        reason = parsed.get("bozo_exception") or "no items"
        raise FeedError(f"not a readable feed: {reason}", origin=source.name)
    feed = parsed.feed
    fmt = "atom" if parsed.version.startswith("atom") else "rss"
    outlet = feed.get("title")
    for index, entry in enumerate(parsed.entries, 1):
        origin = f"{source.name}#{index}"
        content = _content(entry)
        if content is None:
            yield Rejection("ingest", "E202", f"feed item {index} has no text", origin)
            continue
        fields: dict[str, Any] = {
            "title": entry.get("title"),
            "url": entry.get("link"),
            "outlet": outlet,
            "published": entry.get("published") or entry.get("updated"),
            "byline": entry.get("author"),
            "language": feed.get("language"),
        }
        if fields["published"]:
            fields["published_field"] = "published" if entry.get("published") else "updated"
        meta = {k: entry[k] for k in _KEEP if entry.get(k)}
        if entry.get("tags"):
            meta["tags"] = [t.get("term") for t in entry["tags"] if t.get("term")]
        if feed.get("link"):
            meta["feed_link"] = feed["link"]
        body, kind = content
        yield RawArticle(origin=origin, format=fmt, body=body, body_kind=kind,
                         encoding=parsed.get("encoding"),
                         fields={k: v for k, v in fields.items() if v}, meta=meta)
