"""Tell an input's format from its first bytes, with the file name as a tie-breaker."""

from __future__ import annotations

import bz2
import lzma
import re
import zlib

FORMATS = ("gzip", "bz2", "xz", "zip", "tar", "warc", "feed", "html", "json", "jsonl", "text")

_HTML_RE = re.compile(
    r"<(!doctype\s+html|html|head|body|meta|title|article|div|p|h1|h2|table|section)[\s>/]",
    re.IGNORECASE,
)
_FEED_RE = re.compile(r"<(rss|rdf:RDF|feed)[\s>]", re.IGNORECASE)
_LEAD_RE = re.compile(r"^(\s|<\?xml[^>]*>|<!--.*?-->)*", re.DOTALL)


def _text_head(head: bytes) -> str:
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"),
                       (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom):].decode(codec, "ignore")
    if head[1:200:2].count(0) > 50:
        return head.decode("utf-16-le", "ignore")
    if head[0:200:2].count(0) > 50:
        return head.decode("utf-16-be", "ignore")
    return head.decode("latin-1")


def sniff(name: str, head: bytes) -> str:
    """One of FORMATS for an input called ``name`` that starts with ``head``."""
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith(b"BZh"):
        return "bz2"
    if head.startswith(b"\xfd7zXZ\x00"):
        return "xz"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head[257:262] == b"ustar":
        return "tar"
    if head.startswith(b"WARC/"):
        return "warc"
    text = _text_head(head)
    lead = text[_LEAD_RE.match(text).end():] if text else ""  # type: ignore[union-attr]
    lower = name.lower()
    if lead.startswith("<"):
        if _FEED_RE.search(lead[:4096]) and not lead[:15].lower().startswith("<!doctype html"):
            return "feed"
        if _HTML_RE.search(lead[:4096]):
            return "html"
    if lead.startswith("["):
        return "json"
    if lead.startswith("{"):
        if lower.endswith(".json") and not _looks_like_jsonl(lead):
            return "json"
        return "jsonl"
    if lower.endswith((".html", ".htm", ".xhtml")) and _HTML_RE.search(text[:65536]):
        return "html"
    return "text"


def _looks_like_jsonl(lead: str) -> bool:
    """True if the first line is a whole JSON object followed by another line."""
    first, sep, _rest = lead.partition("\n")
    return bool(sep) and first.rstrip().endswith("}")


def decompressed_head(kind: str, head: bytes, size: int = 4096) -> bytes:
    """The first bytes after decompressing a gzip/bz2/xz ``head`` (best effort)."""
    try:
        if kind == "gzip":
            return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, size)
        if kind == "bz2":
            return bz2.BZ2Decompressor().decompress(head, size)
        if kind == "xz":
            return lzma.LZMADecompressor().decompress(head, size)
    except (zlib.error, OSError, lzma.LZMAError, EOFError):
        return b""
    return b""
