"""Arabic time expressions: found in an article's text, normalised against an anchor (the
publication date), with span, value, precision, calendar and confidence.

Matching runs on the folded text (hamza forms, ة/ه, ى/ي, Arabic-Indic digits, diacritics
and tatweel all folded; see ``text.arabic.normalize``) and spans are mapped back to the
original. Covered: month names of the four regional systems (MSA/Egyptian, Levantine/Iraqi,
Tunisian/Algerian, Moroccan) alone, juxtaposed or with ``/``; day numbers and ordinal day
words; numeric dates; Hijri dates (Umm al-Qura through hijridate, the tabular calendar
outside its range); years (bare ones only where they cannot be counts or article
numbers); weekdays and relative expressions resolved against the anchor, with year
roll-over; ranges; clock times with zones; English dates inside Arabic text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from khabar.extract.date_merge import combine
from khabar.text.arabic import compile_folded as _compile
from khabar.text.arabic import normalize

# -- vocabularies (folded spellings) -------------------------------------------------------
MONTHS = {
    # MSA / Egyptian, with common variants
    "يناير": 1, "فبراير": 2, "مارس": 3, "ابريل": 4, "مايو": 5, "يونيو": 6, "يونيه": 6,
    "يوليو": 7, "يوليه": 7, "اغسطس": 8, "سبتمبر": 9, "اكتوبر": 10, "نوفمبر": 11,
    "ديسمبر": 12,
    # Levantine / Iraqi
    "كانون الثاني": 1, "كانون ثاني": 1, "شباط": 2, "اذار": 3, "نيسان": 4, "ايار": 5,
    "حزيران": 6, "تموز": 7, "اب": 8, "ايلول": 9, "تشرين الاول": 10, "تشرين اول": 10,
    "تشرين الثاني": 11, "تشرين ثاني": 11, "كانون الاول": 12, "كانون اول": 12,
    # Tunisian / Algerian
    "جانفي": 1, "فيفري": 2, "افريل": 4, "ماي": 5, "جوان": 6, "جويليه": 7, "اوت": 8,
    # Moroccan
    "يوليوز": 7, "غشت": 8, "شتنبر": 9, "نونبر": 11, "دجنبر": 12,
}
# Month names that are also ordinary words (آب father, مارس practised, ماي): only with a
# day, a year, a dual partner or the word شهر.
AMBIGUOUS_MONTHS = frozenset({"اب", "مارس", "ماي"})
HIJRI_MONTHS = {
    "محرم": 1, "صفر": 2, "ربيع الاول": 3, "ربيع الثاني": 4, "ربيع الاخر": 4,
    "جمادي الاولي": 5, "جمادي الاول": 5, "جمادي الثانيه": 6, "جمادي الاخره": 6,
    "جمادي الاخر": 6, "رجب": 7, "شعبان": 8, "رمضان": 9, "شوال": 10, "ذو القعده": 11,
    "ذي القعده": 11, "ذو الحجه": 12, "ذي الحجه": 12,
}
ENGLISH_MONTHS = {
    name: i for i, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")], 1) for name in names
}
_DECADE_WORDS = {"العشرين": 20, "الثلاثين": 30, "الاربعين": 40, "الخمسين": 50, "الستين": 60,
                 "السبعين": 70, "الثمانين": 80, "التسعين": 90}
DECADES = {f"{w}{ending}": n for w, n in _DECADE_WORDS.items() for ending in ("يات", "ات")}
ENGLISH_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
                    "saturday": 5, "sunday": 6}
WEEKDAYS = {"الاثنين": 0, "الاتنين": 0, "الثلاثاء": 1, "الاربعاء": 2, "الخميس": 3,
            "الجمعه": 4, "السبت": 5, "الاحد": 6}
_UNITS = ["", "الحادي", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع",
          "الثامن", "التاسع"]
ORDINALS = {"الاول": 1, "غره": 1, "فاتح": 1, **{u: i for i, u in enumerate(_UNITS) if i > 1},
            "العاشر": 10, **{f"{u} عشر": 10 + i for i, u in enumerate(_UNITS) if i},
            **{f"{u}{tens}": 20 + i for i, u in enumerate(["", *[f"{u} و" for u in _UNITS[1:]]])
               for tens in ("العشرين", "العشرون") if i <= 9},
            "الثلاثين": 30, "الثلاثون": 30, "الحادي والثلاثين": 31, "الحادي والثلاثون": 31}
NUMBERS = {"يوم": 1, "يومين": 2, "اسبوع": 1, "اسبوعين": 2, "شهر": 1, "شهرين": 2, "عام": 1,
           "عامين": 2, "سنه": 1, "سنتين": 2, "ساعه": 1, "ساعتين": 2, "واحد": 1, "ثلاثه": 3,
           "ثلاث": 3, "اربعه": 4, "اربع": 4, "خمسه": 5, "خمس": 5, "سته": 6, "ست": 6,
           "سبعه": 7, "سبع": 7, "ثمانيه": 8, "ثماني": 8, "ثمان": 8, "تسعه": 9, "تسع": 9,
           "عشره": 10, "عشر": 10}
UNITS = {"يوم": "day", "يومين": "day", "ايام": "day", "اسبوع": "week", "اسبوعين": "week",
         "اسابيع": "week", "شهر": "month", "شهرين": "month", "اشهر": "month",
         "شهور": "month", "عام": "year", "عامين": "year", "اعوام": "year", "سنه": "year",
         "سنتين": "year", "سنوات": "year", "سنين": "year"}
HOURS = {"الواحده": 1, "الثانيه": 2, "الثالثه": 3, "الرابعه": 4, "الخامسه": 5,
         "السادسه": 6, "السابعه": 7, "الثامنه": 8, "التاسعه": 9, "العاشره": 10,
         "الحاديه عشره": 11, "الثانيه عشره": 12}
def _alternation(words: object) -> str:
    names = sorted(words, key=len, reverse=True)  # type: ignore[call-overload]
    return "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names)


# No letter right before, or only a proclitic (و ف ب ل ك) that is itself a word start.
_B = r"(?:(?<![^\W\d_])|(?<=(?<![^\W\d_])[وفبلك]))"
_E = r"(?![^\W\d_])"  # no letter right after
MONTH = _alternation(MONTHS)
DUAL = rf"(?:\s*[/\-]\s*|\s*\(\s*|\s+)(?P<m2>{MONTH})(?:\s*\))?"
DAY = rf"(?P<d>[0-3]?\d|{_alternation(ORDINALS)})"
YEAR = r"(?P<y>[12]\d{3})"
DUAL_PLAIN = rf"(?:\s*[/\-]\s*|\s*\(\s*|\s+)(?:{MONTH})(?:\s*\))?"
EN_MONTH = _alternation(ENGLISH_MONTHS)
# Direction words after a month, week, year or weekday, with feminine and plural forms.
_PAST = ("الماضي", "المنصرم", "الفايت", "السابق")
_NEXT = ("المقبل", "القادم")
_CURRENT = ("الجاري", "الحالي")
DIRECTION = "|".join(rf"{w}(?:ه|ين|تين)?" for w in (*_PAST, *_NEXT, *_CURRENT))
RELATIVE_TO_MONTH = rf"(?P<cur>{DIRECTION})"


def direction(word: str | None) -> int | None:
    """-1 for a past word, 1 for a next word, 0 for the current one, None for none."""
    word = re.sub(r"(?:ه|ين|تين)$", "", word or "")
    return -1 if word in _PAST else 1 if word in _NEXT else 0 if word in _CURRENT else None

PATTERNS: list[tuple[str, re.Pattern[str]]] = [(name, _compile(p)) for name, p in [
    ("english", rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<em>{EN_MONTH})\.?,?\s+{YEAR}"
                rf"|(?P<em2>{EN_MONTH})\.?\s+(?P<d2>\d{{1,2}}),?\s+(?P<y2>[12]\d{{3}})"),
    ("english_range", rf"\bbetween\s+(?P<em>{EN_MONTH})\s+and\s+(?P<em3>{EN_MONTH})"
                      rf"(?:,?\s+{YEAR})?\b"),
    ("english_month", rf"\b(?P<em>{EN_MONTH})\.?\s+(?:(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?![\d:])"
                      rf"|{YEAR})\b"),
    ("english_weekday", rf"\b(?:(?P<rel>last|next|on|this)\s+)?"
                        rf"(?P<ew>{_alternation(ENGLISH_WEEKDAYS)})\b"),
    ("english_decade", r"\b(?:the\s+)?(?P<y>(?:1[89]|20)\d0)'?s\b"),
    ("month_range", rf"{_B}(?:بين|من)\s+(?:شهري?\s+)?(?P<m>{MONTH})(?:{DUAL_PLAIN})?"
                    rf"(?:\s*,?\s*(?P<y1>[12]\d{{3}}))?\s+(?:و|الي|حتي)\s*(?:شهر\s+)?"
                    rf"(?P<m3>{MONTH}){_E}(?:{DUAL_PLAIN})?(?:\s*,?\s*{YEAR})?"),
    ("year_part", rf"{_B}(?P<edge>مطلع|بدايه|اوائل|منتصف|اواسط|اواخر|نهايه)\s+(?:العام|السنه)"
                  rf"(?:\s+{RELATIVE_TO_MONTH}|\s+{YEAR})?{_E}"),
    ("day_range", rf"{_B}(?:بين|من|يومي|ايام)\s+(?P<d1>[0-3]?\d|{_alternation(ORDINALS)})\s*"
                  rf"(?:و|الي|حتي|-)\s*(?P<d>[0-3]?\d|{_alternation(ORDINALS)})\s+(?:من\s+)?(?:شهر\s+)?"
                  rf"(?P<m>{MONTH}){_E}(?:{DUAL})?(?:\s*,?\s*{YEAR})?(?:\s+{RELATIVE_TO_MONTH})?"),
    ("year_range", rf"{_B}(?:(?:بين|خلال الفتره بين)\s+(?:عامي|سنتي|العامين|عام|سنه)?\s*"
                   rf"(?P<y1>[12]\d{{3}})\s*(?:و|-)\s*(?:عام\s+)?(?P<y>[12]\d{{3}})"
                   rf"|من\s+(?:عام\s+|سنه\s+)?(?P<y3>[12]\d{{3}})\s+(?:الي|حتي)\s+(?:عام\s+|سنه\s+)?"
                   rf"(?P<y4>[12]\d{{3}})"
                   rf"|(?:(?:عام|العام|سنه|عامي)\s*)?\(?\s*(?P<y5>[12]\d{{3}})\s*[-/]\s*"
                   rf"(?P<y6>[12]\d{{3}})(?![\d/]))"),
    ("hijri", rf"(?:(?:يوم\s+)?(?:{_alternation(WEEKDAYS)})\s*,?\s*)?"
              rf"(?:{DAY}(?:\s+|\s*/\s*)(?:من\s+)?)?(?:شهر\s+)?"
              rf"(?P<hm>{_alternation(HIJRI_MONTHS)}){_E}(?:\s*[,/]?\s*(?P<y>1[34]\d{{2}}))?(?:\s*(?P<mark>هـ|ه|للهجره|هجريه|هجري){_E})?"),
    ("hijri_year", rf"{_B}(?:(?:(?:عام|سنه|العام)\s*)?\(?\s*(?P<y>1[2-4]\d{{2}})\s*\)?\s*"
                   rf"(?P<mark>هـ|ه|للهجره|هجريه|هجري){_E}"
                   rf"|(?:العام|السنه)\s+(?:ال)?هجري(?:ه)?\s+(?P<y2>1[2-4]\d{{2}}))"),
    ("named", rf"{_B}(?:(?:يوم\s+)?(?P<wd>{_alternation(WEEKDAYS)})\s*,?\s*)?"
              rf"(?:{DAY}\s+(?:من\s+)?(?:شهر\s+)?|(?P<edge>مطلع|اوائل|منتصف|اواسط|اواخر|نهايه|"
              rf"بدايه|اخر|اول)\s+(?:شهر\s+)?|(?P<sh>شهر)\s+)?(?P<m>{MONTH}){_E}(?:{DUAL})?"
              rf"(?:\s*[,/]?\s*\(?\s*(?:(?:من\s+)?(?:عام|سنه)\s+)?{YEAR}(?:\s*\))?)?"
              rf"(?:\s+{RELATIVE_TO_MONTH})?"),
    ("numeric", rf"(?:(?P<mn>{MONTH})\s*\(\s*)?"
                r"(?<![\d/.\-])(?:(?P<d>[0-3]?\d)\s*(?P<s>[/.\-])\s*(?P<m>[0-3]?\d)\s*(?P=s)\s*"
                r"\(?\s*(?P<y>[12]\d{3})|(?P<y2>[12]\d{3})\s*(?P<s2>[/\-])\s*(?P<m2>[01]?\d)\s*"
                r"(?P=s2)\s*(?P<d2>[0-3]?\d))"
                r"(?![\d/\-]|\.\d)(?:\s*(?P<mark>م|ميلاديه|ميلادي|هـ|ه|للهجره|هجريه|هجري)"
                r"(?![^\W\d_]))?"),
    ("time", r"(?:الساعه\s+(?P<h>\d{1,2}(?::\d{2})?|" + _alternation(HOURS) + r")"
             r"(?:\s+و?(?P<frac>النصف|الربع|نصف|ربع))?|(?P<h2>\d{1,2}:\d{2}))"
             r"(?:\s+(?P<ampm>صباحا|ظهرا|فجرا|ليلا|بعد الظهر|عصرا|"
             rf"(?:صباح|مساء)(?!\s+(?:يوم\s+)?(?:امس|اليوم|الغد|{_alternation(WEEKDAYS)}))))?"
             r"(?:\s+(?:بتوقيت|بالتوقيت)\s+(?P<zone>[^\s,.:;]+(?:\s+المكرمه)?))?"),
    ("weekday", rf"{_B}(?:(?P<tod>صباح|مساء|ظهر|فجر|ليله|عصر|ظهيره)\s+)?(?:(?P<yawm>يوم)\s+)?"
                rf"(?P<wd>{_alternation(WEEKDAYS)}){_E}(?:\s+(?P<rel>{DIRECTION}){_E})?"),
    ("relative", rf"{_B}(?:(?P<ago>منذ|قبل|بعد)\s+(?:(?P<n>\d{{1,3}}|{_alternation(NUMBERS)})\s+)?"
                 rf"(?P<unit>{_alternation(UNITS)}){_E}"
                 rf"|(?:(?:هذا|هذه)\s+)?(?P<period>الاسبوع|الشهر|العام|السنه){_E}\s*"
                 rf"(?P<rel>{DIRECTION}){_E}"
                 rf"|(?:(?:صباح|مساء|ظهر|فجر|ليله|عصر)\s+)?"
                 rf"(?P<word>اول\s+امس|امس\s+الاول|اول\s+من\s+امس|بعد\s+غد|يوم\s+غد|امس|غدا|"
                 rf"الغد|اليوم){_E}(?:\s*,?\s*(?P<wd>{_alternation(WEEKDAYS)}){_E})?)"),
    ("decade", rf"{_B}(?P<dec>{_alternation([d[2:] for d in DECADES] + list(DECADES))}){_E}"
               r"(?:\s+(?:من\s+)?(?P<c>القرن\s+(?:الماضي|العشرين|الحالي|الحادي\s+والعشرين)))?"),
    ("year", rf"{_B}(?:(?P<pre>عام|العام|سنه|لعام|بعام|خلال|منذ|مطلع|منتصف|اواخر|نهايه|"
             rf"بدايه)\s*\(?\s*)?(?P<y>(?:1[89]|20)\d{{2}})\s*\)?(?:\s*(?P<ad>م|ميلاديه|ميلادي){_E})?"),
]]
# Words before a number that make it an identifier, and after it a count.
_NOT_YEAR_BEFORE = _compile(r"(?:رقم|الماده|ماده|القرار|قرار|البند|بند|الفقره|فقره|القانون|"
                              r"قانون|رقمه|العدد|عدد|الصفحه|صفحه|الطريق|اتصل|هاتف)\s*:?\s*$")
_NOT_YEAR_AFTER = _compile(r"^\s*(?:%|في المئة|بالمئة|في المائة|بالمائة|شخص|جندي|مقاتل|دولار|"
                           r"يورو|جنيه|ريال|"
                             r"درهم|دينار|ليره|طن|كيلو|كلم|كم|متر|ميل|برميل|مليون|الف|قتيل|"
                             r"مصاب|عنصر|طالب|منزل|وحده|صاروخ|طائره|مليار|نسمه|عامل|سائق|"
                             r"مهاجر|لاجي|اسره|عائله|حاله|[x×*+]|-\s*\d)")
# Cues that the sentence speaks of what is to come: future verbs and their phrases.
_FUTURE = _compile(r"(?<![^\W\d_])[وف]?(?:سوف|المقرر|المتوقع|يتوقع|تتوقع|المرتقب|المنتظر|يعتزم|"
                     r"تعتزم|ينتظر|سي[^\W\d_]{2,}|ست[^\W\d_]{2,}|سن[^\W\d_]{2,}|المقبل|القادم)"
                     r"(?![^\W\d_])")
_IMPERFECT = re.compile(r"(?<![^\W\d_])[يت][^\W\d_]{2,}$")
# ... or aims and wishes: أن/لن/كي + imperfect verb, نريد، يأمل …
_INTENT = _compile(r"(?<![^\W\d_])(?:(?:ان|لن|كي|لكي|حتي)\s+(?!ال)[يتن][^\W\d_]{2,}|"
                     r"[نيت](?:ريد|امل|تطلع|سعي|عتزم|خطط)[^\W\d_]*)")
_CAPTION = _compile(r"صوره|ارشيفيه|تصوير|الصوره|\bphoto\b|\bfile\b|\bgetty\b|\bepa\b|"
                      r"\bafp\b|\breuters\b|\bap photo\b")


@dataclass
class TimeExpression:
    start: int
    end: int
    text: str
    value: str | None  # ISO date/month/year/datetime, or "start/end"; None if unresolved
    precision: str  # year / month / day / time
    calendar: str = "gregorian"
    role: str = "mention"  # publication / event / caption / mention
    anchor: str | None = None
    confidence: float = 0.9
    kind: str = ""  # the pattern that found it
    relative: bool = False  # depends on the anchor
    zone: str = ""  # a clock time's zone as written (بتوقيت دمشق → دمشق)

    def to_dict(self) -> dict[str, object]:
        return {"text": self.text, "start": self.start, "end": self.end, "value": self.value,
                "precision": self.precision, "calendar": self.calendar, "role": self.role,
                "anchor": self.anchor, "confidence": self.confidence}


# -- calendars -------------------------------------------------------------------------------
def hijri_to_gregorian(year: int, month: int, day: int) -> date:
    """Umm al-Qura where hijridate covers it (1343–1500 AH), else the tabular calendar."""
    if 1343 <= year <= 1500:
        from hijridate import Hijri

        g = Hijri(year, month, day).to_gregorian()
        return date(g.year, g.month, g.day)
    days = day + int(29.5 * (month - 1) + 0.99) + (year - 1) * 354 + (3 + 11 * year) // 30
    return date.fromordinal(days + 227014)  # 1 Muharram 1 AH = 16 July 622 (Julian)


def _number(token: str) -> int | None:
    token = token.strip()
    if token.isdigit():
        return int(token)
    return ORDINALS.get(re.sub(r"\s+", " ", token)) or NUMBERS.get(token)


def _month_of(name: str | None) -> int | None:
    return MONTHS.get(re.sub(r"\s+", " ", name)) if name else None


# -- finding -------------------------------------------------------------------------------
@dataclass
class _Raw:
    start: int
    end: int
    kind: str
    groups: dict[str, str]
    priority: int


# Every expression holds a trigger word (a digit, a month, a weekday, a unit of time…), and
# each pattern only runs in windows around its own triggers: text without dates costs one
# scan of its words.
_GROUPS = {
    "english": "en", "english_range": "en", "english_month": "en", "english_weekday": "en",
    "english_decade": "num", "month_range": "month", "year_part": "rel", "day_range": "month",
    "year_range": "num", "hijri": "hijri", "hijri_year": "hijri", "named": "month",
    "numeric": "num", "time": "time", "weekday": "weekday", "relative": "rel",
    "decade": "decade", "year": "num",
}
_TRIGGERS: dict[str, set[str]] = {}
for _group, _words in [
        ("month", [m.split()[0] for m in MONTHS]), ("hijri", [m.split()[0] for m in HIJRI_MONTHS]),
        ("hijri", ["هـ", "ه", "هجري", "هجريه", "للهجره"]), ("weekday", list(WEEKDAYS)),
        ("rel", [*UNITS, "امس", "غدا", "الغد", "غد", "اليوم", "الاسبوع", "الشهر", "العام",
                 "السنه"]), ("time", ["الساعه"]),
        ("en", [*ENGLISH_MONTHS, *ENGLISH_WEEKDAYS]), ("decade", [d[2:] for d in DECADES])]:
    for _word in _words:
        _TRIGGERS.setdefault(_word, set()).add(_group)
_WORD_RE = re.compile(r"[^\W\d_]+|\d+")
WINDOW = 70


def _windows(folded: str) -> dict[str, list[tuple[int, int]]]:
    """For each trigger group, the merged spans of text around its trigger words."""
    windows: dict[str, list[tuple[int, int]]] = {}
    for hit in _WORD_RE.finditer(folded):
        word = hit.group()
        if word[0].isdigit():  # years (and the dates around them), clock times
            groups: set[str] | frozenset[str] = {"num"} if len(word) == 4 else set()
            if folded[hit.end():hit.end() + 1] == ":":
                groups = {*groups, "time"}
        else:
            groups = _TRIGGERS.get(word) or (
                _TRIGGERS.get(word[1:]) or frozenset() if word[0] in "وفبلك" else frozenset())
            if not groups and word.startswith("ال"):
                groups = _TRIGGERS.get(word[2:], frozenset())
        for group in groups:
            start, end = max(0, hit.start() - WINDOW), min(len(folded), hit.end() + WINDOW)
            spans = windows.setdefault(group, [])
            if spans and start <= spans[-1][1]:
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
    return windows


def _candidates(folded: str) -> list[_Raw]:
    found: list[_Raw] = []
    windows = _windows(folded)
    for priority, (kind, pattern) in enumerate(PATTERNS):
        for start, end in windows.get(_GROUPS[kind], ()):
            for m in pattern.finditer(folded, start, end):
                if m.end() > m.start() and _acceptable(kind, m, folded):
                    groups = {k: v or "" for k, v in m.groupdict().items()}
                    found.append(_Raw(m.start(), m.end(), kind, groups, priority))
    # Longest first, then pattern order; no overlaps.
    found.sort(key=lambda r: (r.start - r.end, r.priority, r.start))
    chosen: list[_Raw] = []
    for raw in found:
        if all(raw.end <= c.start or raw.start >= c.end for c in chosen):
            chosen.append(raw)
    return sorted(chosen, key=lambda r: r.start)


def _acceptable(kind: str, m: re.Match[str], folded: str) -> bool:
    g = {k: v or "" for k, v in m.groupdict().items()}
    if kind == "named":
        month = re.sub(r"\s+", " ", g["m"])
        anchored = g.get("d") or g.get("y") or g.get("m2") or g.get("sh") or g.get("edge") \
            or g.get("cur")
        if month in AMBIGUOUS_MONTHS and not (g.get("d") or g.get("y") or g.get("m2")
                                              or g.get("sh") or g.get("cur") or g.get("edge")):
            return False
        if g.get("m2") and MONTHS.get(re.sub(r"\s+", " ", g["m2"])) != MONTHS[month]:
            return False
        if g.get("d") and not 1 <= (_number(g["d"]) or 0) <= 31:
            return False
        return bool(anchored) or month not in AMBIGUOUS_MONTHS
    if kind == "hijri":
        return bool(g.get("d") or g.get("y") or g.get("mark"))
    if kind == "numeric":
        first = int(g.get("d") or g.get("d2") or 0)
        second = int(g.get("m") or g.get("m2") or 0)
        return (1 <= first <= 31 and 1 <= second <= 12) or (1 <= first <= 12 < second <= 31)
    if kind == "year":
        year = int(g["y"])
        before, after = folded[max(0, m.start() - 25):m.start()], folded[m.end():m.end() + 25]
        if _NOT_YEAR_BEFORE.search(before) or _NOT_YEAR_AFTER.match(after):
            return False
        if re.search(r"[\d.,:/]\s*$", before) or re.match(r"\s*[\d.,:/]\d", after):
            return False
        return bool(g.get("pre") or g.get("ad")) or 1900 <= year <= 2099
    if kind == "month_range":
        return MONTHS[re.sub(r"\s+", " ", g["m"])] != MONTHS[re.sub(r"\s+", " ", g["m3"])]
    if kind == "relative" and g.get("word") == "اليوم" and not g.get("wd"):
        after = folded[m.end():m.end() + 12]
        return not re.match(r"\s+(?:ال[^\W\d_]+|نفسه|ذاته|التالي|الاول|الثاني|الوطني)", after)
    if kind == "relative" and g.get("unit") and g.get("ago") == "بعد" and not g.get("n") \
            and g["unit"] not in ("يومين", "اسبوعين", "شهرين", "عامين", "سنتين"):
        return False
    if kind == "time":
        return bool(g.get("h") or g.get("h2"))
    return True


def find(text: str, anchor: date | None = None) -> list[TimeExpression]:
    """Every time expression in ``text``, resolved against ``anchor`` where relative."""
    normalized = normalize(text)
    folded = normalized.text
    out: list[TimeExpression] = []
    for raw in _candidates(folded):
        _extend(raw, folded)
        start, end = normalized.to_original(raw.start, raw.end)
        while end < len(text) and text[end] == "\u0640":  # هـ
            end += 1
        sentence = _sentence_around(folded, raw.start, raw.end)
        before = folded[max(0, raw.start - 120):raw.start]
        before = before[max(before.rfind(c) for c in ".!?\n") + 1:]
        expression = _resolve(raw, anchor, before)
        if expression is None:
            continue
        expression.start, expression.end, expression.text = start, end, text[start:end]
        expression.anchor = anchor.isoformat() if anchor and expression.relative else None
        if _CAPTION.search(sentence):
            expression.role = "caption"
        out.append(expression)
    return combine(out, text)


_LEAD_RE = _compile(rf"(?:(?<![^\W\d_])(?:(?:يوم\s+)?(?:{_alternation(WEEKDAYS)})\s+"
                      r"الموافق|بتاريخ|تاريخ|يوم|منذ|خلال|قبل|بعد)\s*:?\s*\(?\s*)$")


def _extend(raw: _Raw, folded: str) -> None:
    """Span conventions: a leading ``بتاريخ``/``يوم``/``منذ``/``خلال`` belongs to the date,
    brackets are kept only in pairs, and trailing spaces and commas go."""
    lead = _LEAD_RE.search(folded, max(0, raw.start - 30), raw.start)
    if lead and (raw.kind not in ("relative", "weekday", "time") or (
            raw.kind == "relative" and raw.groups["period"] and
            lead.group().startswith(("منذ", "خلال")))):
        raw.start = lead.start()
    while raw.end > raw.start and folded[raw.end - 1] in " ,":
        raw.end -= 1
    span = folded[raw.start:raw.end]
    opened, closed = span.count("("), span.count(")")
    if opened > closed:
        after = re.match(r"\s*\)", folded[raw.end:])
        if after:
            raw.end += after.end()
        else:
            raw.start += span.index("(") + 1
    elif closed > opened:
        before = re.search(r"\(\s*$", folded[max(0, raw.start - 4):raw.start])
        if span.rstrip().endswith(")") or not before:  # "1948 )": the bracket is not ours
            raw.end = raw.start + span.rindex(")")
        else:  # "1343 ) هجري": the opening bracket belongs too
            raw.start -= len(before.group())
    while raw.end > raw.start and folded[raw.end - 1] in " ,(":
        raw.end -= 1
    while raw.start < raw.end and folded[raw.start] in " (":
        raw.start += 1


def _sentence_around(folded: str, start: int, end: int) -> str:
    left = max(folded.rfind(c, 0, start) for c in ".!?\n")
    right = min((i for i in (folded.find(c, end) for c in ".!?\n") if i >= 0),
                default=len(folded))
    return folded[left + 1:right]


# -- resolving -------------------------------------------------------------------------------
def _resolve(raw: _Raw, anchor: date | None, before: str) -> TimeExpression | None:
    g = raw.groups
    kind = raw.kind
    future = bool(_FUTURE.search(before) or _IMPERFECT.search(before.rstrip(" ,"))
                  or _INTENT.search(before))
    if kind == "english":
        month = ENGLISH_MONTHS[(g.get("em") or g.get("em2") or "").lower()]
        day, year = int(g.get("d") or g.get("d2") or 0), int(g.get("y") or g.get("y2") or 0)
        return _day(year, month, day, kind)
    if kind.startswith("english_"):
        return _english(kind, g, anchor, future)
    if kind == "month_range":
        return _month_range(g, anchor, future)
    if kind == "year_part":
        return _year_part(g, anchor)
    if kind == "numeric":
        year = int(g.get("y") or g.get("y2") or 0)
        month = int(g.get("m") or g.get("m2") or 0)
        day = int(g.get("d") or g.get("d2") or 0)
        if month > 12 >= day:  # 4/22/1948: month first
            day, month = month, day
        if 1300 <= year <= 1500 or g.get("mark", "").startswith(("ه", "ل")):
            # 14-09-1432 هـ: a Hijri date written in digits
            try:
                value = hijri_to_gregorian(year, month, day)
            except (ValueError, OverflowError):
                return None
            return TimeExpression(0, 0, "", value.isoformat(), "day", "hijri", kind=kind)
        return _day(year, month, day, kind)
    if kind in ("named", "day_range"):
        return _named(g, anchor, future, kind)
    if kind == "hijri":
        return _hijri(g, anchor)
    if kind == "hijri_year":  # the Gregorian days the Hijri year covers
        year = int(g.get("y") or g.get("y2") or 0)
        first = hijri_to_gregorian(year, 1, 1)
        last = hijri_to_gregorian(year + 1, 1, 1) - timedelta(days=1)
        return TimeExpression(0, 0, "", f"{first}/{last}", "year", "hijri", kind=kind)
    if kind == "year_range":
        since = g.get("y1") or g.get("y3") or g.get("y5")
        until = g.get("y") or g.get("y4") or g.get("y6")
        if not since or not until or int(since) >= int(until):
            return None
        return TimeExpression(0, 0, "", f"{since}/{until}", "year", kind=kind)
    if kind == "decade":
        decade = DECADES.get(g["dec"] or "") or DECADES["ال" + (g["dec"] or "")]
        century = 2000 if g.get("c") and re.search(r"الحالي|الحادي", g["c"] or "") else 1900
        return TimeExpression(0, 0, "", f"{century + decade}/{century + decade + 9}", "year",
                              kind=kind)
    if kind == "year":
        return TimeExpression(0, 0, "", g["y"], "year", kind=kind,
                              confidence=0.9 if g.get("pre") or g.get("ad") else 0.7)
    if kind == "weekday":
        return _weekday(g, anchor, future)
    if kind == "relative":
        return _relative(g, anchor)
    if kind == "time":
        return _clock(g)
    return None


def _day(year: int, month: int, day: int, kind: str) -> TimeExpression | None:
    try:
        value = date(year, month, day)
    except ValueError:
        return None
    return TimeExpression(0, 0, "", value.isoformat(), "day", kind=kind)


def _roll(month: int, anchor: date | None, future: bool) -> int | None:
    """The year of a month named without one: the anchor's, the one before or the one
    after, whichever puts the month nearest the anchor, the sentence's direction counting
    half again (a past ``نوفمبر`` written in January is last November; an upcoming
    ``يناير`` written in December is next January; ``حزيران`` in February is this June)."""
    if anchor is None:
        return None

    def cost(year: int) -> float:
        delta = (year - anchor.year) * 12 + month - anchor.month
        against = delta > 0 if not future else delta < 0
        return abs(delta) * (1.5 if against else 1.0)

    return min((anchor.year, anchor.year - 1, anchor.year + 1), key=cost)


def _named(g: dict[str, str], anchor: date | None, future: bool, kind: str
           ) -> TimeExpression | None:
    month = _month_of(g["m"])
    if month is None:
        return None
    relative = not g.get("y")
    if g.get("y"):
        year: int | None = int(g["y"] or 0)
    elif direction(g.get("cur")) == 0:
        year = anchor.year if anchor else None
    elif direction(g.get("cur")) == -1:
        year = (anchor.year - (month >= anchor.month)) if anchor else None
    elif direction(g.get("cur")) == 1:
        year = (anchor.year + (month <= anchor.month)) if anchor else None
    else:
        year = _roll(month, anchor, future)
    day = _number(g["d"]) if g.get("d") else None
    first = _number(g["d1"]) if g.get("d1") else None
    expression = TimeExpression(0, 0, "", None, "day" if day else "month", kind=kind,
                                relative=relative)
    if year is None:
        expression.confidence = 0.5
        return expression
    try:
        if first and day:
            expression.value = f"{date(year, month, first)}/{date(year, month, day)}"
        elif day:
            expression.value = date(year, month, day).isoformat()
        else:
            expression.value = f"{year:04d}-{month:02d}"
    except ValueError:
        return None
    if relative:
        expression.confidence = 0.8
    return expression


def _english(kind: str, g: dict[str, str], anchor: date | None, future: bool
             ) -> TimeExpression | None:
    if kind == "english_decade":
        start = int(g["y"] or 0)
        return TimeExpression(0, 0, "", f"{start}/{start + 9}", "year", kind=kind)
    if kind == "english_weekday":
        rel = {"last": "الماضي", "next": "المقبل"}.get(g.get("rel") or "", "")
        return _weekday({"wd": "", "rel": rel}, anchor, future,
                        ENGLISH_WEEKDAYS[(g["ew"] or "").lower()])
    month = ENGLISH_MONTHS[(g["em"] or "").lower()]
    if kind == "english_range":
        last = ENGLISH_MONTHS[(g["em3"] or "").lower()]
        return _months(month, last, int(g["y"]) if g.get("y") else None, anchor, future, kind)
    if g.get("y"):
        return TimeExpression(0, 0, "", f"{g['y']}-{month:02d}", "month", kind=kind)
    year = _roll(month, anchor, future)
    expression = TimeExpression(0, 0, "", None, "day", kind=kind, relative=True)
    if year is not None:
        try:
            expression.value = date(year, month, int(g["d"] or 0)).isoformat()
        except ValueError:
            return None
    return expression


def _months(first: int, last: int, year: int | None, anchor: date | None, future: bool,
            kind: str) -> TimeExpression:
    """``بين حزيران وأيلول``: a month interval, in the year given or read from the anchor."""
    relative = year is None
    start_year = year - (first > last) if year is not None else _roll(first, anchor, future)
    expression = TimeExpression(0, 0, "", None, "month", kind=kind, relative=relative)
    if start_year is not None:
        end_year = start_year + (first > last)
        expression.value = f"{start_year:04d}-{first:02d}/{end_year:04d}-{last:02d}"
    return expression


def _month_range(g: dict[str, str], anchor: date | None, future: bool
                 ) -> TimeExpression | None:
    first, last = _month_of(g["m"]), _month_of(g["m3"])
    if first is None or last is None:
        return None
    if g.get("y1") and g.get("y"):
        return TimeExpression(0, 0, "", f"{g['y1']}-{first:02d}/{g['y']}-{last:02d}", "month",
                              kind="month_range")
    year = int(g["y"]) if g.get("y") else int(g["y1"]) if g.get("y1") else None
    return _months(first, last, year, anchor, future, "month_range")


_PART_MONTH = {"مطلع": 1, "بدايه": 1, "اوايل": 1, "منتصف": 6, "اواسط": 6, "اواخر": 12,
               "نهايه": 12}


def _year_part(g: dict[str, str], anchor: date | None) -> TimeExpression:
    month = _PART_MONTH[g["edge"] or ""]
    expression = TimeExpression(0, 0, "", None, "month", kind="year_part",
                                relative=not g.get("y"))
    if g.get("y"):
        year: int | None = int(g["y"] or 0)
    elif anchor is None:
        year = None
    else:
        step = direction(g.get("cur")) or 0
        year = anchor.year + step
    if year is not None:
        expression.value = f"{year:04d}-{month:02d}"
    return expression


def _hijri(g: dict[str, str], anchor: date | None) -> TimeExpression | None:
    month = HIJRI_MONTHS.get(re.sub(r"\s+", " ", g["hm"] or ""))
    if month is None:
        return None
    day = _number(g["d"]) if g.get("d") else None
    year = int(g["y"]) if g.get("y") else None
    if year is None and anchor is not None:
        from hijridate import Gregorian

        year = Gregorian(anchor.year, anchor.month, anchor.day).to_hijri().year
    expression = TimeExpression(0, 0, "", None, "day" if day else "month", "hijri",
                                kind="hijri", relative=not g.get("y"))
    if year is None:
        return expression
    try:
        if day:
            expression.value = hijri_to_gregorian(year, month, day).isoformat()
        else:  # the Gregorian days the Hijri month covers
            start = hijri_to_gregorian(year, month, 1)
            following = hijri_to_gregorian(year + month // 12, month % 12 + 1, 1)
            expression.value = f"{start}/{following - timedelta(days=1)}"
    except (ValueError, OverflowError):
        return None
    return expression


def _weekday(g: dict[str, str], anchor: date | None, future: bool,
             weekday: int | None = None) -> TimeExpression | None:
    weekday = WEEKDAYS[g["wd"] or ""] if weekday is None else weekday
    expression = TimeExpression(0, 0, "", None, "day", kind="weekday", relative=True,
                                confidence=0.8)
    if anchor is None:
        return expression
    back = (anchor.weekday() - weekday) % 7
    rel = direction(g.get("rel"))
    if rel == -1:
        value = anchor - timedelta(days=back or 7)
    elif rel == 1:
        value = anchor + timedelta(days=(weekday - anchor.weekday()) % 7 or 7)
    elif future and back:
        value = anchor + timedelta(days=7 - back)
    else:
        value = anchor - timedelta(days=back)
    expression.value = value.isoformat()
    return expression


def _relative(g: dict[str, str], anchor: date | None) -> TimeExpression | None:
    word = re.sub(r"\s+", " ", g.get("word") or "")
    expression = TimeExpression(0, 0, "", None, "day", kind="relative", relative=True)
    if word:
        shift = {"اليوم": 0, "امس": -1, "غدا": 1, "الغد": 1, "يوم غد": 1, "بعد غد": 2,
                 "اول امس": -2,
                 "امس الاول": -2, "اول من امس": -2}[word]
        if anchor:
            expression.value = (anchor + timedelta(days=shift)).isoformat()
        return expression
    if g.get("period"):
        return _period(g["period"] or "", g.get("rel") or "", anchor, expression)
    unit = UNITS[g["unit"] or ""]
    count = _number(g["n"]) if g.get("n") else NUMBERS.get(g["unit"] or "", 1)
    sign = 1 if g.get("ago") == "بعد" else -1
    expression.precision = "day" if unit in ("day", "week") else unit
    if anchor and count:
        days = {"day": 1, "week": 7}.get(unit)
        if days:
            expression.value = (anchor + timedelta(days=sign * days * count)).isoformat()
        elif unit == "month":
            total = anchor.year * 12 + anchor.month - 1 + sign * count
            expression.value = f"{total // 12:04d}-{total % 12 + 1:02d}"
        else:
            expression.value = str(anchor.year + sign * count)
    return expression


def _period(period: str, rel: str, anchor: date | None, expression: TimeExpression
            ) -> TimeExpression:
    step = direction(rel) or 0
    if period == "الاسبوع":
        expression.precision = "day"
        if anchor:
            monday = anchor - timedelta(days=anchor.weekday()) + timedelta(weeks=step)
            expression.value = f"{monday}/{monday + timedelta(days=6)}"
    elif period == "الشهر":
        expression.precision = "month"
        if anchor:
            total = anchor.year * 12 + anchor.month - 1 + step
            expression.value = f"{total // 12:04d}-{total % 12 + 1:02d}"
    else:
        expression.precision = "year"
        if anchor:
            expression.value = str(anchor.year + step)
    return expression


def _clock(g: dict[str, str]) -> TimeExpression | None:
    text = (g.get("h") or g.get("h2") or "").strip()
    if ":" in text:
        hour, minute = (int(x) for x in text.split(":"))
    else:
        hour = int(text) if text.isdigit() else HOURS.get(re.sub(r"\s+", " ", text), 0)
        minute = {"النصف": 30, "نصف": 30, "الربع": 15, "ربع": 15}.get(g.get("frac") or "", 0)
    if g.get("ampm") in ("مساء", "ظهرا", "بعد الظهر", "عصرا", "ليلا") and hour < 12:
        hour += 12
    if not (0 <= hour <= 24 and 0 <= minute < 60):
        return None
    clock = f"{hour % 24:02d}:{minute:02d}"
    expression = TimeExpression(0, 0, "", clock, "time", kind="time")
    expression.zone = (g.get("zone") or "").strip()
    return expression
