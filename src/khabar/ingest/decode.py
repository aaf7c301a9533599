"""Bytes to text: BOMs, declared charsets, UTF-16 without BOM, and Arabic single-byte code pages.

Detection order: forced encoding > BOM > UTF-16 by NUL pattern > valid UTF-8 > declared
charset > the Arabic code page (windows-1256 or ISO-8859-6) that reads most like Arabic.
"""

from __future__ import annotations

import codecs
import re

from khabar.errors import BinaryInput, UndecodableInput
from khabar.text.arabic import script_counts

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SINGLE_BYTE = ("windows-1256", "iso-8859-6", "windows-1252")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")
_SUSPECT_RE = re.compile(r"[\u00c0-\u00ff\u00d7\u00f7]")
_META_CHARSET_RE = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.IGNORECASE
)
SAMPLE = 65536


def canonical_name(encoding: str) -> str:
    """Codec name as users know it (``cp1256`` → ``windows-1256``); raises LookupError."""
    name = codecs.lookup(encoding).name
    return {"cp1256": "windows-1256", "cp1252": "windows-1252", "iso8859-6": "iso-8859-6",
            "iso8859-1": "iso-8859-1", "utf-8-sig": "utf-8"}.get(name, name)


def declared_html_charset(head: bytes) -> str | None:
    """The charset a page declares in ``<meta charset>`` / http-equiv, if it is a known codec."""
    match = _META_CHARSET_RE.search(head[:8192])
    if not match:
        return None
    try:
        return canonical_name(match.group(1).decode("ascii"))
    except (LookupError, UnicodeDecodeError):
        return None


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 without BOM: high bytes (one parity) take very few values (0x00 for ASCII,
    0x06 for Arabic) while low bytes (the other parity) vary."""
    sample = sample[: len(sample) // 2 * 2]
    if len(sample) < 8:
        return None

    def concentration(column: bytes) -> float:
        counts = sorted((column.count(value) for value in set(column)), reverse=True)
        return sum(counts[:2]) / len(column)

    even, odd = concentration(sample[0::2]), concentration(sample[1::2])
    if odd > 0.85 and even < 0.6:
        return "utf-16-le"
    if even > 0.85 and odd < 0.6:
        return "utf-16-be"
    return None


def _plausibility(text: str) -> float:
    """How much ``text`` reads like natural text, roughly in [-1, 1]."""
    if not text:
        return 0.0
    arabic, latin = script_counts(text)
    spaces = text.count(" ") + text.count("\n")
    bad = len(_CONTROL_RE.findall(text)) + 2 * len(_SUSPECT_RE.findall(text)) * (arabic > latin)
    bonus = 3 * text.count("ال") + 2 * text.count(" في ")
    return (arabic + latin + spaces + bonus - 4 * bad) / len(text)


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _check_not_binary(text: str, origin: str) -> None:
    sample = text[:SAMPLE]
    if "\x00" in sample or (sample and len(_CONTROL_RE.findall(sample)) > 0.05 * len(sample)):
        raise BinaryInput("looks like binary data, not text", origin=origin)


def decode(
    data: bytes, origin: str, *, declared: str | None = None, forced: str | None = None
) -> tuple[str, str]:
    """Decode ``data``; return ``(text, encoding name)``. Raises E102 / E103."""
    if forced:
        text = _strict(data, forced)
        if text is None:
            raise UndecodableInput(f"not valid {forced}", origin=origin)
        _check_not_binary(text, origin)
        return text.lstrip("\ufeff"), canonical_name(forced)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _strict(data, encoding)
            if text is None:
                raise UndecodableInput(f"starts with a {encoding} BOM but is not {encoding}",
                                       origin=origin)
            return text.lstrip("\ufeff"), encoding
    sample = data[:SAMPLE]
    if b"\x00" in sample:
        utf16 = _utf16_without_bom(sample)
        text = _strict(data, utf16) if utf16 else None
        if text is None:
            raise BinaryInput("contains NUL bytes: binary data, not text", origin=origin)
        _check_not_binary(text, origin)
        return text, "utf-16"
    text = _strict(data, "utf-8")
    if text is not None and (declared is None or not text.isascii()):
        _check_not_binary(text, origin)
        return text, "utf-8"
    if declared:
        text = _strict(data, declared)
        if text is not None:
            _check_not_binary(text, origin)
            return text, declared
    return _best_single_byte(data, origin)


def _best_single_byte(data: bytes, origin: str) -> tuple[str, str]:
    sample = data[:SAMPLE]
    scored = []
    for encoding in _SINGLE_BYTE:
        text = _strict(sample, encoding)
        if text is not None:
            scored.append((_plausibility(text), encoding))
    if not scored:
        raise UndecodableInput("not UTF-8, UTF-16, windows-1256 or ISO-8859-6", origin=origin)
    score, encoding = max(scored)
    if score < 0.6:
        raise UndecodableInput(
            f"no encoding reads it as text (best: {encoding}, score {score:.2f})", origin=origin
        )
    text = _strict(data, encoding)
    if text is None:
        raise UndecodableInput(f"not valid {encoding} past the first {SAMPLE} bytes",
                               origin=origin)
    _check_not_binary(text, origin)
    return text, encoding
