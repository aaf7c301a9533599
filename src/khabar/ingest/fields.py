"""Map the many field names of news records onto khabar's, and read their dates."""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import Any

# khabar field -> names seen in the wild (compared case-insensitively, ignoring - and _).
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline", "name", "heading"),
    "text": ("text", "content", "body", "articlebody", "article", "fulltext", "maintext",
             "contentencoded", "description", "summary"),
    "url": ("url", "link", "canonicalurl", "canonical", "uri", "href", "permalink"),
    "outlet": ("outlet", "source", "site", "sitename", "publisher", "newspaper", "domain"),
    "published": ("published", "date", "pubdate", "datepublished", "publishedat",
                  "publishedtime", "publicationdate", "pubdatetime", "datetime", "created",
                  "dateextracted", "time"),
    "byline": ("byline", "author", "authors", "creator", "dccreator", "writer"),
    "language": ("language", "lang", "inlanguage", "locale"),
    "fetched_at": ("fetchedat", "crawledat", "downloaded", "scrapedat", "dateextracted"),
}
_KEY_RE = re.compile(r"[\s_\-:.]")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


_KNOWN = {name for names in FIELD_NAMES.values() for name in names}


def _key(name: str) -> str:
    return _KEY_RE.sub("", name).lower()


def _flatten_value(value: Any) -> Any:
    """Pick the useful scalar out of nested shapes ({"name": ...}, [..], {"@value": ...})."""
    if isinstance(value, Mapping):
        for key in ("name", "@value", "value", "url", "href", "title"):
            if key in value:
                return _flatten_value(value[key])
        return None
    if isinstance(value, list):
        parts = [_flatten_value(v) for v in value]
        strings = [str(p) for p in parts if p not in (None, "")]
        return ", ".join(strings) if strings else None
    return value


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def scrub(value: Any) -> Any:
    """Replace lone surrogates (JSON can carry ``\\ud800``; no text file can) with U+FFFD,
    in strings nested anywhere in ``value``."""
    if isinstance(value, str):
        return _SURROGATE_RE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {scrub(k): scrub(v) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v) for v in value]
    return value


def map_record(record: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Split a record into (khabar fields, meta); fields not recognised are kept in meta.

    For each khabar field the first non-empty name in FIELD_NAMES order wins, so
    ``content`` beats ``description`` and ``published`` beats ``date_extracted``. ``text``
    is "" (not missing) when a text field exists but is empty. ``published_field`` names
    the field the date came from.
    """
    by_key = {_key(str(name)): str(name) for name in record}
    fields: dict[str, Any] = {}
    used: set[str] = set()
    for target, names in FIELD_NAMES.items():
        for name in names:
            original = by_key.get(name)
            shared = target in ("published", "fetched_at")  # date_extracted fills both
            if original is None or (original in used and not shared):
                continue
            raw = record[original]
            if target == "text" and isinstance(raw, list):
                value: Any = "\n\n".join(str(part) for part in raw if part)
            else:
                value = _flatten_value(raw)
            if value in (None, ""):
                if target == "text" and "text" not in fields:
                    fields["text"] = ""
                    used.add(original)
                continue
            fields[target] = value if shared else str(value)
            used.add(original)
            if target == "published":
                fields["published_field"] = original
            break
    meta = {str(name): value for name, value in record.items()
            if str(name) not in used and not (value in (None, "") and _key(str(name)) in _KNOWN)}
    return fields, meta


def parse_datetime(value: Any) -> tuple[str, str] | None:
    """Read a metadata date into ``(ISO 8601 string, precision)``; None if unreadable.

    Accepts datetimes, dates, struct_time, epoch seconds/ms, ISO 8601 (with or without
    zone, ``Z``, space separator), RFC 822 (feeds, mail), ``YYYY/MM/DD``, ``DD/MM/YYYY``
    (day first, as Arabic outlets write it), ``YYYY-MM`` and ``YYYY``; Arabic-Indic digits.
    """
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds"), "time"
    if isinstance(value, date):
        return value.isoformat(), "day"
    if isinstance(value, time.struct_time):
        return datetime(*value[:6], tzinfo=UTC).isoformat(timespec="seconds"), "time"
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = value / 1000 if value > 1e11 else value
        try:
            return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds"), "time"
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    text = value.strip().translate(_DIGITS)
    return _parse_date_string(text) if 4 <= len(text) <= 64 else None


_YEAR_RE = re.compile(r"(\d{4})")
_YM_RE = re.compile(r"(\d{4})-(\d{1,2})")
_YMD_SLASH_RE = re.compile(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})")
_DMY_RE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_TIME_RE = re.compile(r"[ T](\d{1,2}):(\d{2})(?::(\d{2}))?")


def _parse_date_string(text: str) -> tuple[str, str] | None:
    iso = text.replace("Z", "+00:00").replace("z", "+00:00")
    try:
        parsed = datetime.fromisoformat(iso)
    except ValueError:
        parsed = None
    if parsed is not None:
        has_time = bool(re.search(r"\d[T ]\d", text))
        if has_time:
            return parsed.isoformat(timespec="seconds"), "time"
        return parsed.date().isoformat(), "day"
    if re.search(r"[A-Za-z]{3}", text):
        try:
            return parsedate_to_datetime(text).isoformat(timespec="seconds"), "time"
        except (TypeError, ValueError, IndexError):
            return None
    for regex, order in ((_YMD_SLASH_RE, (1, 2, 3)), (_DMY_RE, (3, 2, 1))):
        match = regex.fullmatch(text.split()[0]) if text.split() else None
        if match:
            year, month, day = (int(match.group(i)) for i in order)
            return _with_time(year, month, day, text)
    if (match := _YM_RE.fullmatch(text)) and 1 <= int(match.group(2)) <= 12:
        return f"{int(match.group(1)):04d}-{int(match.group(2)):02d}", "month"
    if (match := _YEAR_RE.fullmatch(text)) and 1000 <= int(match.group(1)) <= 2999:
        return match.group(1), "year"
    return None


def _with_time(year: int, month: int, day: int, text: str) -> tuple[str, str] | None:
    try:
        day_value = date(year, month, day)
    except ValueError:
        return None
    clock = _TIME_RE.search(text)
    if not clock:
        return day_value.isoformat(), "day"
    try:
        moment = datetime(year, month, day, int(clock.group(1)), int(clock.group(2)),
                          int(clock.group(3) or 0))
    except ValueError:
        return day_value.isoformat(), "day"
    return moment.isoformat(timespec="seconds"), "time"
