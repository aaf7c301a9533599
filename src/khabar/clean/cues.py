"""Cue phrases and patterns that mark page furniture, in Arabic and English.

Phrases are written here as people write them and compared in the matching form
(``text.arabic.fold``), so spelling variants (اقرأ أيضاً / اقرا ايضا) need no listing.
"""

from __future__ import annotations

import re

from khabar.text.arabic import fold

# kind -> (phrases that make up a whole short line, phrases that start such a line)
_WHOLE: dict[str, tuple[str, ...]] = {
    "comments": (
        "التعليقات", "تعليقات", "تعليقات القراء", "التعليقات مغلقة", "اترك تعليقاً",
        "اترك تعليقا", "اترك رد", "اترك رداً", "أضف تعليق", "أضف تعليقك", "أضف تعليقاً",
        "اكتب تعليقك", "أرسل تعليقك", "إرسال التعليق", "شاركنا رأيك", "كن أول من يعلق",
        "لا توجد تعليقات", "تعليق واحد", "الاسم", "البريد الإلكتروني", "الموقع الإلكتروني",
        "leave a reply", "leave a comment", "comments", "be the first to comment", "reply",
        "post comment", "add comment",
    ),
    "related": (
        "مقالات ذات صلة", "أخبار ذات صلة", "مواضيع ذات صلة", "موضوعات ذات صلة", "اقرأ أيضاً",
        "اقرأ أيضا", "إقرأ أيضاً", "اقرأ المزيد", "شاهد أيضاً", "الأكثر قراءة",
        "الأكثر مشاهدة", "المزيد من الأخبار", "أخبار متعلقة", "قد يعجبك أيضاً",
        "قد يهمك أيضاً", "ننصحك بقراءة", "اخترنا لك", "مواد ذات صلة", "تقارير ذات صلة",
        "related", "related articles", "related posts", "read more", "read also",
        "more stories", "you may also like", "recommended",
    ),
    "widget": (
        "حجم الخط", "تكبير الخط", "تصغير الخط", "translate", "طباعة", "اطبع", "print", "شارك",
        "شارك الخبر", "شارك المقال", "شارك هذا المقال", "مشاركة", "فيسبوك", "تويتر", "واتساب",
        "تلغرام", "تيليغرام", "لينكد إن", "إكس", "facebook", "twitter", "whatsapp", "telegram",
        "linkedin", "share", "tweet", "email", "نسخ الرابط", "الرابط المختصر", "copy link",
        "أرسل لصديق", "إرسال لصديق", "حفظ", "إعجاب", "like", "a+", "a-", "a", "تم النسخ",
        "اشترك في نشرتنا البريدية", "اشترك في قائمتنا البريدية", "النشرة البريدية",
        "اشترك الآن", "subscribe", "newsletter", "sign up", "الرئيسية", "home",
        "جميع الحقوق محفوظة", "all rights reserved", "رابط مختصر", "استمع", "استمع للخبر",
        "listen", "مدة القراءة", "وقت القراءة", "غير مصنف", "uncategorized",
    ),
    "promo": (
        "إعلان", "advertisement", "sponsored", "محتوى مدعوم", "برعاية", "تابعونا على",
        "تابعنا على", "حمّل تطبيق", "حمل تطبيق", "حمّل التطبيق", "انضم إلى قناتنا",
        "تابعوا آخر الأخبار", "للاشتراك", "اضغط هنا", "click here",
    ),
}
_STARTS: dict[str, tuple[str, ...]] = {
    "comments": ("لن يتم نشر عنوان بريدك", "your email address will not be published",
                 "هذا الموقع يستخدم أكيسميت", "يستخدم هذا الموقع أكيسميت",
                 "this site uses akismet"),
    "related": ("اقرأ أيضاً", "اقرأ أيضا", "إقرأ أيضاً", "شاهد أيضاً", "اقرأ المزيد",
                "read also", "read more", "مقالات ذات صلة", "أخبار ذات صلة"),
    "widget": ("حجم الخط", "آخر تحديث", "تاريخ النشر", "نشر في", "تاريخ التحديث",
               "اشترك في", "إشترك في", "subscribe to", "الرئيسية >", "الرئيسية /", "الرئيسية »",
               "home >", "home /", "home »", "جميع الحقوق محفوظة", "حقوق النشر", "copyright",
               "©"),
    "promo": ("حمّل تطبيق", "حمل تطبيق", "تابعونا على", "تابعنا على", "تابعوا", "انضموا",
              "انضم إلى", "اشترك في قناة", "download our app", "follow us"),
}
# Lines containing these, of any length up to 60 words, are furniture.
_CONTAINS: dict[str, tuple[str, ...]] = {
    "comments": ("akismet", "أكيسميت", "الحقول الإلزامية مشار إليها", "required fields are marked",
                 "لن يتم نشر عنوان بريدك"),
}
# Kinds whose header starts a zone that runs to the end of the page.
_ZONE_KINDS = ("comments", "related")
_ZONE_STARTERS = {
    "comments": {fold(p) for p in (
        "التعليقات", "تعليقات", "تعليقات القراء", "اترك تعليقاً", "اترك رد", "أضف تعليق",
        "أضف تعليقك", "اكتب تعليقك", "كن أول من يعلق", "leave a reply", "leave a comment",
        "comments", "be the first to comment", "لن يتم نشر عنوان بريدك",
        "your email address will not be published")},
    "related": {fold(p) for p in (
        "مقالات ذات صلة", "أخبار ذات صلة", "مواضيع ذات صلة", "موضوعات ذات صلة", "اقرأ أيضاً",
        "إقرأ أيضاً", "شاهد أيضاً", "الأكثر قراءة", "الأكثر مشاهدة", "المزيد من الأخبار",
        "أخبار متعلقة", "قد يعجبك أيضاً", "قد يهمك أيضاً", "اخترنا لك", "related",
        "related articles", "related posts", "more stories", "you may also like", "read also",
        "read more")},
}
_READER_COMMENT_RE = re.compile(r"^\s*\d{1,3}\s*[.)-]?\s*(يقول|تقول|كتب|كتبت)\b|\bsays:\s*$")
_PUNCT_RE = re.compile(r"[\s:：.…,;!?\"'()\[\]«»“”|/>»\-–—_•·*#]+$")


def _folded(phrases: tuple[str, ...]) -> frozenset[str]:
    return frozenset(fold(p).strip() for p in phrases)



_WHOLE_F = {kind: _folded(phrases) for kind, phrases in _WHOLE.items()}
_STARTS_F = {kind: tuple(sorted(_folded(phrases), key=len, reverse=True))
             for kind, phrases in _STARTS.items()}
_CONTAINS_F = {kind: _folded(phrases) for kind, phrases in _CONTAINS.items()}


def match(folded: str, words: int) -> tuple[str, bool] | None:
    """(kind, starts a zone) when a line is page furniture by its wording."""
    bare = _PUNCT_RE.sub("", folded).strip(" :.-–—|>»")
    if not bare:
        return None
    if _READER_COMMENT_RE.search(folded):
        return "comments", True
    for kind, phrases in _WHOLE_F.items():
        if bare in phrases and words <= 8:
            return kind, bare in _ZONE_STARTERS.get(kind, ())
    if words <= 60:
        for kind, contained in _CONTAINS_F.items():
            if any(phrase in folded for phrase in contained):
                return kind, kind == "comments" and any(
                    folded.startswith(s) for s in _ZONE_STARTERS["comments"])
    for kind, prefixes in _STARTS_F.items():
        for prefix in prefixes:
            if bare.startswith(prefix) and words <= len(prefix.split()) + 16:
                return kind, False
    return None


# -- captions, source lines, bylines, site names, datelines ------------------------------
_CREDIT_WORDS = _folded((
    "رويترز", "الأوروبية", "أسوشيتد برس", "أسوشيتدبرس", "فرانس برس", "الفرنسية", "أ ف ب",
    "أ.ف.ب", "الأناضول", "غيتي", "غيتي إيميجز", "إيبا", "شينخوا", "سبوتنيك", "تاس", "وكالات",
    "أرشيف", "أرشيفية", "تصوير", "صورة", "مواقع التواصل", "مواقع التواصل الاجتماعي",
    "إنترنت", "الجزيرة", "رويترز/أرشيف", "afp", "reuters", "ap", "epa", "getty",
    "getty images", "xinhua", "anadolu", "archive", "photo", "file photo",
))
_CREDIT_RE = re.compile(r"\(([^()]{2,60})\)\s*$")
_CAPTION_START_RE = re.compile(r"^\s*(\(?صورة\b|الصورة\s*:|صور\s*:|photo\s*:|image\s*:)",
                               re.IGNORECASE)


def caption_credit(text: str) -> bool:
    """A photo caption: ends with a credit in brackets, or starts with "صورة"/"Photo:"."""
    if _CAPTION_START_RE.match(text):
        return True
    found = _CREDIT_RE.search(text)
    if not found:
        return False
    credit = fold(found.group(1)).strip()
    parts = {p.strip() for p in re.split(r"[-–—/،,]", credit) if p.strip()}
    if len(credit.split()) > 7:
        return False
    return bool(parts & _CREDIT_WORDS) or any(w in _CREDIT_WORDS for w in credit.split()) or (
        len(parts) == 2 and len(text) > len(found.group(0)) + 15)


_SOURCE_RE = re.compile(r"^(المصدر|المصادر|مصدر الخبر|source|sources)\s*[:：]")


def source_line(folded: str) -> bool:
    return bool(_SOURCE_RE.match(folded)) and len(folded.split()) <= 12


_BYLINE_MARKS = _folded(("متابعات", "(متابعات)", "خاص", "بقلم", "كتب", "كتبت", "إعداد",
                         "تحرير", "مراسلنا", "مراسلتنا", "by", "وكالات"))
_BYLINE_RE = re.compile(r"^(بقلم|كتب|كتبت|إعداد|اعداد|تحرير|by)\s*[:：]?\s+\S", re.IGNORECASE)


def byline_line(folded: str, outlet: str) -> bool:
    """An outlet or author line ("صوت الشمال – (متابعات)", "بقلم: …")."""
    if _BYLINE_RE.match(folded):
        return True
    tokens = {t.strip("()[]–—-:") for t in folded.split()}
    marked = bool(tokens & _BYLINE_MARKS) or "(متابعات)" in folded
    names_outlet = bool(outlet) and outlet in folded
    return marked and (names_outlet or len(tokens) <= 5) and not folded.endswith(".")


_SITE_WORDS = _folded(("نت", "نيوز", "news", "tv", "اونلاين", "أونلاين", "online", "بوابة",
                       "موقع", "صحيفة", "جريدة", "وكالة", "قناة", "the", "times", "post",
                       "daily", "أخبار", "اخبار", "الإخبارية", "الإخباري", "24", "اليوم"))


def site_name(folded: str) -> bool:
    """Looks like a site or outlet name: short, with a word such as نت، نيوز، .com."""
    words = folded.split()
    return 0 < len(words) <= 4 and (bool(set(words) & _SITE_WORDS) or ".com" in folded
                                    or ".net" in folded or "www." in folded)


_AR = r"[\u0621-\u064a\u0671-\u06d3\u064b-\u065f\u0670]+"
_DATELINE_RE = re.compile(
    rf"^(?P<place>{_AR}(?:\s{_AR}){{0,2}})\s*"
    rf"(?:\((?P<agency1>[^()\n]{{2,30}})\)\s*[-–—:]?|[-–—]\s*(?:\(?(?P<agency2>[^()\-–—:\n]{{2,30}}?)\)?"
    rf"\s*[-–—:])?)\s*(?=\S)"
)


def dateline(line: str) -> tuple[str, str, str | None] | None:
    """(dateline text, place, agency) at the start of a lead paragraph, if there is one."""
    found = _DATELINE_RE.match(line)
    if not found:
        return None
    agency = (found.group("agency1") or found.group("agency2") or "").strip() or None
    text = found.group(0).rstrip()
    rest = line[found.end():]
    if len(rest.split()) < 5 or (agency and len(agency.split()) > 4):
        return None
    if not agency and not re.search(r"[-–—]\s*$", text):
        return None
    return text, found.group("place").strip(), agency
