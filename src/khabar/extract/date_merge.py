"""Joining time expressions that stand next to each other: a clock time and its day
(``يوم الأحد 15 آذار الساعة العاشرة صباحاً بتوقيت دمشق``) become one datetime with the
zone's offset on that date; two dates joined by من … إلى or بين … و become one interval."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from typing import Any, TypeVar

from khabar.text.arabic import compile_folded, normalize

E = TypeVar("E", bound=Any)  # khabar.extract.dates.TimeExpression

# Zones named in Arabic news ("بتوقيت دمشق"), by folded city name; offsets come from the
# system's time-zone database for the date in question (summer time included).
ZONES = {"دمشق": "Asia/Damascus", "مكه": "Asia/Riyadh", "مكه المكرمه": "Asia/Riyadh",
         "الرياض": "Asia/Riyadh", "بغداد": "Asia/Baghdad", "عمان": "Asia/Amman",
         "الدوحه": "Asia/Qatar", "الكويت": "Asia/Kuwait", "بيروت": "Asia/Beirut",
         "القاهره": "Africa/Cairo", "القدس": "Asia/Jerusalem", "غزه": "Asia/Gaza",
         "ابوظبي": "Asia/Dubai", "دبي": "Asia/Dubai", "الامارات": "Asia/Dubai",
         "مسقط": "Asia/Muscat", "المنامه": "Asia/Bahrain", "صنعاء": "Asia/Aden",
         "طهران": "Asia/Tehran", "انقره": "Europe/Istanbul", "اسطنبول": "Europe/Istanbul",
         "تونس": "Africa/Tunis", "الجزائر": "Africa/Algiers", "الرباط": "Africa/Casablanca",
         "طرابلس": "Africa/Tripoli", "الخرطوم": "Africa/Khartoum", "موسكو": "Europe/Moscow",
         "واشنطن": "America/New_York", "نيويورك": "America/New_York",
         "لندن": "Europe/London", "باريس": "Europe/Paris", "غرينتش": "UTC", "جرينتش": "UTC",
         "gmt": "UTC", "utc": "UTC"}


def zone_offset(city: str, day: date, hour: int, minute: int) -> str:
    """``+03:00`` for a city's zone at that local time, or "" if unknown."""
    name = ZONES.get(re.sub(r"\s+", " ", city.strip()))
    if not name:
        return ""
    try:
        from datetime import datetime
        from zoneinfo import ZoneInfo

        offset = datetime(day.year, day.month, day.day, hour % 24, minute,
                          tzinfo=ZoneInfo(name)).utcoffset()
    except Exception:  # no time-zone database on this system
        return ""
    if offset is None:
        return ""
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


_PM_RE = compile_folded(r"مساء|ليلا|ليلة|عصر|ظهر|بعد الظهر")
_JOIN_TIME_RE = compile_folded(r"^[\s,]*(?:(?:عند|في|من|على)\s+)?(?:(?:صباح|مساء|ظهر|فجر|عصر|ليلة)"
                          r"\s+)?(?:يوم\s+)?[\s,]*$")
_RANGE_OPEN_RE = compile_folded(r"(?:(?<![^\W\d_])(?:ما\s+)?(?:بين|من|يومي|ايام))\s*$")
_RANGE_JOIN_RE = compile_folded(r"^\s*(?:الي\s+غايه|لغايه|حتي|الي|و|-)\s*$")


def combine(expressions: list[E], text: str) -> list[E]:
    """Clock times join the day next to them (``يوم الأحد 15 آذار الساعة العاشرة``), two
    dates joined by من … إلى / بين … و become one interval; a time with no day stays bare."""
    out: list[E] = []
    for e in expressions:
        previous = out[-1] if out else None
        gap = text[previous.end:e.start] if previous else ""
        if previous and _is_day(previous) != _is_day(e) and {previous.kind, e.kind} & {"time"} \
                and _JOIN_TIME_RE.match(fold_gap(gap)) and not (
                    previous.kind == "time" and e.kind == "time"):
            out[-1] = _with_time(previous, e, text)
            continue
        if previous and _RANGE_JOIN_RE.match(fold_gap(gap)) and _RANGE_OPEN_RE.search(
                fold_gap(text[max(0, previous.start - 12):previous.start])) and \
                previous.value and e.value and "/" not in previous.value + e.value:
            out[-1] = _interval(previous, e, text)
            continue
        out.append(e)
    for e in out:
        if e.kind == "time" and (not e.value or "T" not in e.value):
            e.value, e.confidence = None, 0.5
    return out


def fold_gap(gap: str) -> str:
    return normalize(gap).text


def _is_day(e: E) -> bool:
    return bool(e.kind != "time" and e.precision == "day" and e.value and "/" not in e.value)


def _with_time(a: E, b: E, text: str) -> E:
    day, clock = (a, b) if a.kind != "time" else (b, a)
    start, end = min(a.start, b.start), max(a.end, b.end)
    hour, minute = (int(x) for x in (clock.value or "00:00").split(":"))
    if hour < 12 and _PM_RE.search(fold_gap(text[max(0, start - 8):end])):
        hour += 12
    zone = clock.zone
    after = re.match(r"\s*(?:بتوقيت|بالتوقيت)\s+([^\s,.،؛:]+(?:\s+المكرمة)?)", text[end:])
    if after and not zone:
        zone, end = fold_gap(after.group(1)), end + after.end()
    on = date.fromisoformat((day.value or "")[:10])
    value = f"{on}T{hour % 24:02d}:{minute:02d}{zone_offset(zone, on, hour, minute)}"
    return replace(day, start=start, end=end, text=text[start:end], value=value,
                   precision="time", kind="datetime")


def anchor_of(e: E) -> date | None:
    return date.fromisoformat(e.anchor) if e.anchor else None


def _interval(a: E, b: E, text: str) -> E:
    opener = _RANGE_OPEN_RE.search(fold_gap(text[max(0, a.start - 12):a.start]))
    start = a.start - (len(opener.group()) if opener else 0)
    first, last = a.value or "", b.value or ""
    if a.kind == "weekday" and b.kind == "weekday":  # من الأحد إلى الثلاثاء المقبلين
        start_day, end_day = date.fromisoformat(first), date.fromisoformat(last)
        span = (end_day.weekday() - start_day.weekday()) % 7
        anchor = anchor_of(b)
        if anchor is not None and end_day > anchor:  # upcoming: from the next first day
            ahead = (start_day.weekday() - anchor.weekday()) % 7 or 7
            start_day = anchor + timedelta(days=ahead)
            end_day = start_day + timedelta(days=span)
        else:
            start_day = end_day - timedelta(days=span)
        first, last = start_day.isoformat(), end_day.isoformat()
    elif a.relative and len(first) == len(last) and first[:4] != last[:4]:
        first = last[:4] + first[4:]  # من مطلع يناير إلى نهاية يونيو 2024: one year
    precision = a.precision if len(first) <= len(last) else b.precision
    return replace(b, start=start, text=text[start:b.end], value=f"{first}/{last}",
                   precision=precision, role=a.role, confidence=min(a.confidence, b.confidence),
                   kind="range", relative=a.relative and b.relative)
