"""From RawArticle to Article: main text, title, metadata, publication date and id.

This is the ``clean`` step every article passes before the configured stages. The text
it produces is the article body; it is never altered afterwards.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from khabar.clean.html import fragment_text, read_page
from khabar.errors import EmptyText, NoMainText, SettingsError
from khabar.ingest.fields import parse_datetime
from khabar.ingest.sidecar import Sidecar
from khabar.model import Article, RawArticle
from khabar.settings import Settings
from khabar.text.arabic import id_form
from khabar.urls import canonical_url


def article_id(url: str | None, title: str | None, text: str) -> str:
    """Content hash: canonical URL + normalised title and text (16 hex digits)."""
    key = "\x1f".join((canonical_url(url) or "", id_form(title or ""), id_form(text)))
    return hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()


def tidy_text(text: str) -> str:
    """One paragraph per line: line endings to ``\\n``, spaces around lines and blank lines
    removed. Characters inside lines are left exactly as they were."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    lines = (line.strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


class Cleaner:
    """Turns RawArticles into Articles; raises E201/E202 for articles without text."""

    def __init__(self, settings: Settings, sidecar: Sidecar | None = None) -> None:
        self.min_chars: int = settings["ingest.min_text_chars"]
        self.sidecar = sidecar
        zone_name: str = settings["ingest.default_timezone"]
        try:
            self.zone = ZoneInfo(zone_name) if zone_name else None
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise SettingsError(
                f"setting 'ingest.default_timezone': unknown time zone {zone_name!r}"
            ) from exc

    def __call__(self, raw: RawArticle) -> Article:
        fields = dict(raw.fields)
        meta = dict(raw.meta)
        captions: list[str] = []
        page_date: Any = None
        if raw.body_kind == "html":
            page = read_page(raw.body, fields.get("url"))
            for key in ("title", "outlet", "url", "byline", "language"):
                if not fields.get(key) and getattr(page, key):
                    fields[key] = getattr(page, key)
            page_date, captions, text = page.published, page.captions, page.text
        elif raw.body_kind == "html_fragment":
            text = fragment_text(raw.body)
        else:
            text = raw.body
        text = tidy_text(text)
        if len(text) < self.min_chars:
            if raw.body_kind == "html":
                found = f" (only {len(text)} characters)" if text else ""
                raise NoMainText(f"no main text found in the HTML page{found}",
                                 origin=raw.origin)
            detail = "empty text" if not text else f"text too short ({len(text)} characters)"
            raise EmptyText(detail, origin=raw.origin)
        if self.sidecar and (row := self.sidecar.lookup(raw.origin, fields.get("url"))):
            fields.update(row.fields)
            meta.update(row.meta)
        article = Article(
            id=article_id(fields.get("url"), fields.get("title"), text),
            origin=raw.origin,
            text=text,
            url=fields.get("url"),
            outlet=_str(fields.get("outlet")),
            title=_str(fields.get("title")),
            byline=_str(fields.get("byline")),
            captions=captions,
            language=_str(fields.get("language")),
            fetched_at=self._date(fields.get("fetched_at"))[0],
            encoding=raw.encoding,
            format=raw.format,
            meta=meta,
        )
        self._publication(article, fields, page_date)
        return article

    def _date(self, value: Any) -> tuple[str | None, str | None]:
        parsed = parse_datetime(value) if value not in (None, "") else None
        if parsed is None:
            return None, None
        iso, precision = parsed
        if self.zone and precision == "time" and len(iso) == 19:
            iso = f"{iso}{_offset(iso, self.zone)}"
        return iso, precision

    def _publication(self, article: Article, fields: dict[str, Any], page_date: Any) -> None:
        """Metadata > HTML head. An unreadable date is kept in meta, never guessed."""
        for value, provenance in ((fields.get("published"), "metadata"), (page_date, "html")):
            if value in (None, ""):
                continue
            iso, precision = self._date(value)
            if iso is None:
                article.meta.setdefault("published_unparsed", str(value))
                continue
            article.published_at = iso
            article.published_precision = precision
            article.published_provenance = provenance
            if provenance == "metadata" and fields.get("published_field"):
                article.meta.setdefault("published_field", fields["published_field"])
            return


def _str(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _offset(iso: str, zone: ZoneInfo) -> str:
    stamp = datetime.fromisoformat(iso).replace(tzinfo=zone).isoformat(timespec="seconds")
    return stamp[19:]
