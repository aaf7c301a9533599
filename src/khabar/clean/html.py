"""The HTML adapter: the only module that imports lxml and trafilatura.

``read_page`` returns a page's main text (trafilatura, comments excluded) and the metadata
its head declares (title, site name, canonical URL, publication date, author, language,
figure captions) from meta tags and JSON-LD. ``fragment_text`` turns a feed item's HTML
into text, one paragraph per line.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import lxml.etree
import lxml.html

log = logging.getLogger(__name__)
# trafilatura logs every page it finds nothing in as a warning; khabar records a rejection.
logging.getLogger("trafilatura").setLevel(logging.ERROR)

_BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "br",
           "tr", "section", "article", "figcaption", "pre", "dd", "dt", "header", "footer"}
_DROP = ("script", "style", "noscript", "template", "iframe", "svg", "form", "button")
_SPACE_RE = re.compile(r"[ \t\r\f\v\u00a0\u200f\u200e]+")
_TITLE_SPLIT_RE = re.compile(r"\s+[|\-–—:«»]\s+")

TITLE_META = ("og:title", "twitter:title", "dc.title", "headline")
SITE_META = ("og:site_name", "application-name", "twitter:site", "publisher", "dc.publisher")
URL_META = ("og:url", "twitter:url")
DATE_META = ("article:published_time", "og:article:published_time", "datepublished",
             "publish-date", "publishdate", "pubdate", "date", "dc.date.issued", "dc.date",
             "dcterms.created", "sailthru.date", "parsely-pub-date", "article.published",
             "published_time", "publication_date", "created")
AUTHOR_META = ("author", "article:author", "dc.creator", "byl", "sailthru.author")


@dataclass
class Page:
    text: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    byline: str | None = None
    language: str | None = None
    captions: list[str] = field(default_factory=list)


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = _SPACE_RE.sub(" ", value).strip()
    return value or None


def _parse(html: str) -> Any:
    try:
        return lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return None


def _meta_tags(doc: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for node in doc.iter("meta"):
        key = node.get("property") or node.get("name") or node.get("itemprop")
        value = _clean(node.get("content"))
        if key and value:
            found.setdefault(key.strip().lower(), value)
    return found


def _json_ld(doc: Any) -> Iterator[dict[str, Any]]:
    for node in doc.iter("script"):
        if (node.get("type") or "").lower() != "application/ld+json" or not node.text:
            continue
        try:
            data = json.loads(node.text)
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                stack.extend(item.get("@graph", []) if isinstance(item.get("@graph"), list)
                             else [])
                yield item
            elif isinstance(item, list):
                stack.extend(item)


def _ld_article(doc: Any) -> dict[str, Any]:
    """The JSON-LD object describing the article (NewsArticle and kin), or {}."""
    best: dict[str, Any] = {}
    for item in _json_ld(doc):
        kind = item.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if any((isinstance(k, str) and k.endswith("Article")) or k == "Report" for k in kinds):
            return item
        if not best and ("datePublished" in item or "headline" in item):
            best = item
    return best


def _ld_name(value: Any) -> str | None:
    if isinstance(value, dict):
        return _clean(value.get("name"))
    if isinstance(value, list):
        names = [n for n in (_ld_name(v) for v in value) if n]
        return ", ".join(names) if names else None
    return _clean(value)


def _first(mapping: dict[str, str], keys: tuple[str, ...]) -> str | None:
    return next((mapping[k] for k in keys if k in mapping), None)


def _strip_site(title: str, site: str | None, guess: bool) -> str:
    """Remove a trailing or leading site name from a title ("Headline | Site").

    With ``guess``, a short last part is taken for a site name even when none is known.
    """
    parts = _TITLE_SPLIT_RE.split(title)
    if len(parts) < 2:
        return title
    if site and site in (parts[-1], parts[0]):
        kept = parts[:-1] if parts[-1] == site else parts[1:]
        match = _TITLE_SPLIT_RE.search(title)
        joiner = match.group(0) if match else " - "
        return joiner.join(kept)
    if guess and len(parts[-1]) < 30 and len(parts[0]) > 2 * len(parts[-1]):
        return title[: title.rfind(parts[-1])].rstrip(" |-–—:")
    return title


def _metadata(doc: Any, page: Page) -> None:
    tags = _meta_tags(doc)
    article = _ld_article(doc)
    page.outlet = _first(tags, SITE_META) or _ld_name(article.get("publisher"))
    title = _first(tags, TITLE_META) or _clean(article.get("headline"))
    if title:
        title = _strip_site(title, page.outlet, guess=False)
    else:
        node = doc.find(".//title")
        raw_title = _clean(node.text_content()) if node is not None else None
        title = _strip_site(raw_title, page.outlet, guess=True) if raw_title else None
    if not title:
        heading = doc.find(".//h1")
        title = _clean(heading.text_content()) if heading is not None else None
    page.title = title
    canonical = next((n.get("href") for n in doc.iter("link")
                      if (n.get("rel") or "").lower() == "canonical" and n.get("href")), None)
    page.url = _clean(canonical) or _first(tags, URL_META) or _clean(article.get("url"))
    page.published = _clean(article.get("datePublished")) or _first(tags, DATE_META)
    if not page.published:
        stamp = doc.find(".//time[@datetime]")
        page.published = _clean(stamp.get("datetime")) if stamp is not None else None
    page.byline = _ld_name(article.get("author")) or _first(tags, AUTHOR_META)
    page.language = _clean(doc.get("lang")) or _first(tags, ("og:locale", "language"))
    page.captions = [c for c in (_clean(n.text_content()) for n in doc.iter("figcaption")) if c]


def read_page(html: str, url: str | None = None) -> Page:
    """Main text and head metadata of a whole HTML page ("" text when none is found)."""
    page = Page(text="")
    doc = _parse(html)
    if doc is None:
        return page
    _metadata(doc, page)
    import trafilatura  # imported here: it takes a second to load and only pages need it

    try:
        text = trafilatura.extract(
            html, url=url or page.url, include_comments=False, include_tables=True,
            include_images=False, include_links=False, output_format="txt", deduplicate=False,
        )
    except Exception:  # trafilatura raises many kinds on broken markup
        log.warning("trafilatura failed on %s", url or page.url, exc_info=True)
        text = None
    page.text = text or ""
    return page


def fragment_text(html: str) -> str:
    """Text of an HTML fragment (a feed item's content), one block per line."""
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return html
    for bad in list(root.iter(*_DROP)):
        bad.drop_tree()
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = _clean("".join(current))
        if line:
            lines.append(line)
        current.clear()

    for event, node in lxml.etree.iterwalk(root, events=("start", "end")):
        tag = node.tag if isinstance(node.tag, str) else ""
        if event == "start":
            if tag in _BLOCKS:
                flush()
            current.append(node.text or "")
        else:
            if tag in _BLOCKS:
                flush()
            if node is not root:
                current.append(node.tail or "")
    flush()
    return "\n".join(lines)
