"""Who said what: direct quotes and reported speech in an article, with the speaker linked
to one of the article's entities (or kept as a described anonymous source) and the
reporting channel apart.

* Direct quotes: text between quote marks (“ ” « » " „ ' ', an unclosed mark runs to the
  end of its paragraph), or after a speech verb and a colon; scare quotes and titles (a few
  words in marks with no speech verb near) are not quotes.
* Reported speech: a speech verb in any person or form (قال، قالت، يقول، أكد، أوضح، أشار
  إلى، صرح بـ، أعلن، نفى، حذر من، شدد على، دعا إلى …) and its subject, then the content
  after the complementiser (إن، أن، بأن) or preposition, to the end of the sentence.
* The speaker is the named entity between the verb and the content (or right after the
  verb of a trailing ``قال`` / ``بحسب`` / ``وفق``), else an anonymous description (مصدر
  دبلوماسي، مسؤول بارز في …), else the previous quote's speaker for a verb without subject
  (وأضاف، وتابع، مضيفاً). A title alone (المتحدث باسم الوزارة) takes the person the
  article named with it, else the person named last before it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Any

from khabar.extract.aliases import Local
from khabar.extract.entities import lexicon_for
from khabar.extract.names import words_key
from khabar.model import Article
from khabar.settings import Settings
from khabar.store.quotes import QuoteIndex, QuoteRows
from khabar.text.arabic import Normalized, compile_folded
from khabar.text.arabic import normalize as _normalize

normalize = lru_cache(maxsize=512)(_normalize)

# Speech verbs (folded); the participles and attribution words carry a speaker over.
_VERBS = ("قال|قالت|يقول|تقول|اضاف|اضافت|يضيف|تضيف|تابع|تابعت|اكد|اكدت|يؤكد|تؤكد|"
          "اوضح|اوضحت|يوضح|توضح|اشار|اشارت|يشير|تشير|لفت|لفتت|صرح|صرحت|اعلن|اعلنت|يعلن|"
          "نفي|نفت|ينفي|تنفي|حذر|حذرت|يحذر|تحذر|شدد|شددت|يشدد|تشدد|دعا|دعت|يدعو|تدعو|"
          "اعتبر|اعتبرت|يعتبر|تعتبر|راي|رات|يري|تري|كشف|كشفت|افاد|افادت|ذكر|ذكرت|يذكر|"
          "تذكر|اعرب|اعربت|اكدوا|قالوا|اضافوا|اوضحوا|اشاروا|ختم|ختمت|استطرد|استطردت|"
          "اردف|اردفت|علق|علقت|رد|ردت|كتب|كتبت|غرد|غردت|زعم|زعمت|اعترف|اعترفت|نقل|نقلت|"
          "نقلوا|افادوا|اعتبروا|كشفوا|ذكروا|روي|روت|يروي|تروي|وصف|وصفت|مضيفا|مشيرا|"
          "موضحا|مؤكدا|معتبرا|لافتا|مضيفه|مشيره|موضحه|مؤكده|معتبره|لافته")
_PARTICIPLES = "مضيفا|مشيرا|موضحا|مؤكدا|معتبرا|لافتا|قائلا|متابعا|مختتما|مضيفه|مشيره|موضحه|مؤكده"
_ATTRIBUTION = "بحسب|حسب|وفق|وفقا ل|نقلا عن|على لسان"
VERB_RE = compile_folded(rf"(?<![^\W\d_])[وف]?(?:{_VERBS})(?![^\W\d_])")
PARTICIPLE_RE = compile_folded(rf"(?<![^\W\d_])(?:{_PARTICIPLES})(?![^\W\d_])")
ATTRIBUTION_RE = compile_folded(rf"(?<![^\W\d_])[و]?(?:{_ATTRIBUTION})")
# What opens the content of reported speech: a complementiser for every verb, and the
# preposition of the verbs that take one (حذر من، شدد على، دعا إلى).
_OPENER_RE = compile_folded(r"(?<![^\W\d_])(?:ب?ان|انه|انها|الي ان|علي ان|من ان|بان|فان)"
                            r"(?![^\W\d_])\s*")
_PREPOSITIONS = {"حذر": "من", "حذرت": "من", "يحذر": "من", "تحذر": "من", "شدد": "علي",
                 "شددت": "علي", "يشدد": "علي", "تشدد": "علي", "دعا": "الي", "دعت": "الي",
                 "يدعو": "الي", "تدعو": "الي", "اكد": "علي", "اكدت": "علي"}
_ANONYMOUS_RE = compile_folded(
    r"(?<![^\W\d_])(?:مصدر|مصادر|مسؤول|مسؤولون|مسؤولين|مسؤوله|شهود عيان|شاهد عيان|"
    r"متحدث|دبلوماسي|دبلوماسيون|مراقبون|خبراء|محللون|ناشطون|سكان|مقربون|اوساط)"
    r"(?:\s+[^\s,.:،\"«»“”]+){0,6}")
_CHANNEL_RE = compile_folded(
    r"(?:ل|في (?:تصريحات|تصريح|حديث|مقابله) (?:ل|مع )?|في مقابله مع |عبر |نقلت |وفق ما نقلت |"
    r"بحسب ما نقلت |بحسب |حسب |وفق )((?:وكاله|قناه|شبكه|صحيفه|موقع|تلفزيون|اذاعه|"
    r"حسابه علي منصه|حسابها علي منصه|منصه)\s+[^\s,.:،]+(?:\s+[^\s,.:،]+){0,2})")
# Opening mark → closing mark; right-to-left texts also open with ” and close with “.
_MARKS = {"“": "”", "”": "“", "«": "»", "„": "“", '"': '"', "'": "'"}
_TITLE_BEFORE_RE = compile_folded(r"(?:عمليه|ما يسمي|ما يعرف ب|كتاب|فيلم|برنامج|مبادره|حمله|"
                                  r"وسم|شعار|مسلسل|روايه|قصيده|اغنيه|مشروع|خطه|قانون|"
                                  r"صحيفه|مجله|موقع|قناه|شركه|مؤتمر|تحت عنوان|بعنوان|اسم)\s*$")


@dataclass
class Quote:
    start: int
    end: int
    text: str
    kind: str  # direct / reported
    cue: str = ""
    speaker: int | None = None  # index of the article's local entity
    speaker_text: str = ""
    anonymous: str = ""
    channel: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "kind": self.kind,
                "cue": self.cue, "speaker": self.speaker, "speaker_text": self.speaker_text,
                "anonymous": self.anonymous, "channel": self.channel}


@dataclass
class Speaker:
    """An entity mention that can speak: a person or an organisation."""

    start: int
    end: int
    entity: int
    type: str
    text: str
    role: str = ""


Recover = Callable[[int, int], "Speaker | None"]
Describe = Callable[["Quote"], "Speaker | None"]


def find(text: str, speakers: list[Speaker], recover: Recover | None = None,
         describe: Describe | None = None) -> list[Quote]:
    """Quotes of ``text``; ``speakers`` are its PER/ORG mentions (offsets into ``text``);
    ``recover(start, end)`` may name a person the tagger missed in a subject span
    (``المندوبة الأميركية لدى الأمم المتحدة سامانثا باور``)."""
    folded = normalize(text)
    quotes = _direct(text) + _colon(text, folded.text)
    quotes += [q for q in _reported(text, folded.text)
               if all(q.end <= d.start or q.start >= d.end for d in quotes)]
    quotes.sort(key=lambda q: q.start)
    last: Quote | None = None
    for quote in quotes:
        _attribute(quote, text, folded.text, speakers, last, recover)
        if quote.anonymous and quote.speaker is None and describe is not None:
            named = _resolve_title(Speaker(quote.start, quote.start, -1, "PER",
                                           quote.anonymous), speakers, quote.start, text) \
                or describe(quote)
            if named is not None:
                quote.speaker, quote.speaker_text, quote.anonymous = \
                    named.entity, named.text, ""
                if named not in speakers:
                    speakers.append(named)
        if quote.speaker is not None or quote.anonymous:
            last = quote
    return [q for q in quotes if q.cue or q.speaker is not None or q.anonymous]


# -- finding ---------------------------------------------------------------------------------
def _direct(text: str) -> list[Quote]:
    out: list[Quote] = []
    offset = 0
    for paragraph in text.split("\n"):
        i = 0
        while i < len(paragraph):
            closer = _MARKS.get(paragraph[i])
            if closer is None or (paragraph[i] == "'" and i and paragraph[i - 1].isalpha()):
                i += 1
                continue
            end = paragraph.find(closer, i + 1)
            if end < 0:
                end = len(paragraph)  # unclosed: to the end of the paragraph
            inner = paragraph[i + 1:end].strip()
            raw = paragraph[i + 1:end]
            start = offset + i + 1 + len(raw) - len(raw.lstrip())
            words = len(inner.split())
            before = normalize(paragraph[max(0, i - 40):i]).text
            after = normalize(paragraph[end + 1:end + 30]).text
            speech = VERB_RE.search(before[-30:]) or VERB_RE.match(after.lstrip(" ،,")) or \
                ATTRIBUTION_RE.match(after.lstrip(" ،,"))
            if words >= 1 and not (_TITLE_BEFORE_RE.search(before) and words <= 8) and \
                    (words >= 4 or speech):
                out.append(Quote(start, start + len(inner.rstrip(" .،,")),
                                 inner.rstrip(" .،,"), "direct"))
                out.extend(_nested(text, start, start + len(inner)))
            i = end + 1
        offset += len(paragraph) + 1
    return out


def _nested(text: str, start: int, end: int) -> list[Quote]:
    """A quote inside a quote, right after a speech verb (``قال لي: "…"``)."""
    out = []
    for inner in _direct(text[start:end]):
        lead = normalize(text[max(start, start + inner.start - 40):start + inner.start]).text
        if VERB_RE.search(lead):
            out.append(Quote(start + inner.start, start + inner.end, inner.text, "direct"))
    return out


def _colon(text: str, folded: str) -> list[Quote]:
    """``وقال الوزير: الوضع صعب جداً.``: after a speech verb and a colon, to the sentence end."""
    out = []
    for verb in VERB_RE.finditer(folded):
        colon = folded.find(":", verb.end(), verb.end() + 80)
        if colon < 0 or "\n" in folded[verb.end():colon]:
            continue
        rest = folded[colon + 1:]
        if rest.lstrip()[:1] in _MARKS:
            continue  # a direct quote in marks: found by _direct
        end = colon + 1 + min((i for i in (rest.find(c) for c in ".\n!?") if i >= 0),
                              default=len(rest))
        start = colon + 1 + (len(rest) - len(rest.lstrip()))
        if end - start > 8:
            a, b = normalize(text).to_original(start, end)
            out.append(Quote(a, b, text[a:b], "direct", text[_orig(text, verb.start()):
                                                               _orig(text, verb.end())]))
    return out


def _reported(text: str, folded: str) -> list[Quote]:
    out = []
    for verb in VERB_RE.finditer(folded):
        sentence_end = min((i for i in (folded.find(c, verb.end()) for c in ".\n!?")
                            if i >= 0), default=len(folded))
        window = folded[verb.end():min(sentence_end, verb.end() + 120)]
        opener = _OPENER_RE.search(window)
        preposition = _PREPOSITIONS.get(verb.group().lstrip("وف"))
        if preposition:
            by_preposition = re.search(rf"(?<![^\W\d_]){preposition}\s+", window)
            if by_preposition and (opener is None or by_preposition.start() < opener.start()):
                opener = by_preposition
        if opener is None:
            continue
        start = verb.end() + opener.end()
        # The content ends where a participle clause (، مضيفاً …) takes over.
        participle = PARTICIPLE_RE.search(folded, start, sentence_end)
        end = participle.start() if participle else sentence_end
        if end - start < 8:
            continue
        a, b = normalize(text).to_original(start, end)
        cue = text[_orig(text, verb.start()):_orig(text, verb.end())]
        out.append(Quote(a, b, text[a:b].rstrip(" .،,"), "reported", cue))
    return out


def _orig(text: str, folded_index: int) -> int:
    n: Normalized = normalize(text)
    if folded_index >= len(n.text):
        return len(text)
    return n.to_original(folded_index, folded_index + 1)[0]


# -- attribution -----------------------------------------------------------------------------
def _attribute(quote: Quote, text: str, folded: str, speakers: list[Speaker],
               last: Quote | None, recover: Recover | None) -> None:
    line_start = text.rfind("\n", 0, quote.start) + 1
    line_end = text.find("\n", quote.end)
    line_end = len(text) if line_end < 0 else line_end
    before = text[line_start:quote.start]
    after = text[quote.end:line_end]
    candidates_before = [s for s in speakers if line_start <= s.start and s.end <= quote.start]
    candidates_after = [s for s in speakers if quote.end <= s.start < quote.end + 90
                        and s.end <= line_end and not _is_channel(text, s.start)]
    fb, fa = normalize(before).text, normalize(after[:90]).text
    verb_before = list(VERB_RE.finditer(fb))
    if not quote.cue and verb_before and len(fb) - verb_before[-1].end() < 120:
        quote.cue = before[_orig(before, verb_before[-1].start()):
                           _orig(before, verb_before[-1].end())]
    trailing = VERB_RE.search(fa) or PARTICIPLE_RE.search(fa) or ATTRIBUTION_RE.search(fa)
    if not quote.cue and trailing:
        quote.cue = after[_orig(after, trailing.start()):_orig(after, trailing.end())]
    chosen: Speaker | None = None
    if verb_before:
        verb_at = line_start + _orig(before, verb_before[-1].end())
        between = [s for s in candidates_before if s.start >= verb_at
                   and not _is_channel(text, s.start)]
        persons = [s for s in between if s.type == "PER"]
        subject_words = normalize(text[verb_at:quote.start]).text.split()[:2]
        # Verb, then subject: a known person's surname right after the verb wins.
        chosen = _by_surname(" ".join(subject_words), speakers) or (
            persons[0] if persons else between[0] if between else None)
        if (chosen is None or chosen.type != "PER") and recover is not None:
            recovered = recover(verb_at, quote.start)
            if recovered is not None:
                speakers.append(recovered)
                chosen = recovered
        if chosen is None or chosen.type != "PER":
            subject = normalize(text[verb_at:quote.start]).text
            if _ANONYMOUS_RE.match(subject.lstrip(" ،,")):
                chosen = None
            else:  # a surname after the verb, or before it: أما عيد فاعتبر أن
                around = normalize(text[max(line_start, verb_at - 40):quote.start]).text
                chosen = _by_surname(" ".join(subject.split()[:3]), speakers) or (
                    chosen or _by_surname(" ".join(around.split()[-12:]), speakers))
    if chosen is None and trailing and candidates_after and not PARTICIPLE_RE.search(
            fa[:trailing.end()]):
        chosen = candidates_after[0]
    if chosen is None and quote.kind == "direct" and re.search(r"[:،,]\s*$", before):
        usable = [s for s in candidates_before if not _is_channel(text, s.start)]
        chosen = usable[-1] if usable else None
    if chosen is None and verb_before:  # ``وكان X قد صرّح … بأن``: the subject before
        verb_at = line_start + _orig(before, verb_before[-1].start())
        ahead = [s for s in candidates_before if s.type == "PER" and 0 <= verb_at - s.end < 12]
        chosen = ahead[-1] if ahead else None
    if chosen is not None:
        chosen = _resolve_title(chosen, speakers, quote.start, text) or chosen
        quote.speaker, quote.speaker_text = chosen.entity, chosen.text
        return _channel(quote, text, line_start, line_end)
    region, base = (before, verb_before[-1].end()) if verb_before else (after[:90], 0)
    quote.anonymous = _anonymous(region, base)
    if not quote.anonymous and last is not None and (
            not verb_before or _subjectless(fb, verb_before[-1])
            or PARTICIPLE_RE.search(fa[:20])):
        quote.speaker, quote.speaker_text = last.speaker, ""
        quote.anonymous = last.anonymous
    elif not quote.anonymous and verb_before:
        verb_at = line_start + _orig(before, verb_before[-1].start())
        persons = [s for s in candidates_before if s.type == "PER" and s.end <= verb_at
                   and not _is_channel(text, s.start)]
        if persons and _subjectless(fb, verb_before[-1], opener=True):
            # ``أكد لافروف …، وقال إن …``: the person of the clause before
            quote.speaker, quote.speaker_text = persons[-1].entity, persons[-1].text
        else:  # a described speaker: وزير النقل الأردني
            quote.anonymous = _cut(before[_orig(before, verb_before[-1].end()):].strip(" ،,:"))
    _channel(quote, text, line_start, line_end)


def _channel(quote: Quote, text: str, line_start: int, line_end: int) -> None:
    """The reporting channel named in the quote's paragraph (``لوكالة رويترز``)."""
    line = text[line_start:line_end]
    channel = _CHANNEL_RE.search(normalize(line).text)
    if channel:
        a, b = normalize(line).to_original(*channel.span(1))
        quote.channel = _cut(line[a:b])


_ROLE_HEAD_RE = compile_folded(r"^(?:ال)?(?:وزير|وزيرة|متحدث|متحدثة|ناطق|ناطقة|رئيس|رئيسة|"
                               r"مدير|مديرة|سفير|سفيرة|نائب|امين|امينة|محافظ|قائد|مبعوث)")


def _resolve_title(chosen: Speaker, speakers: list[Speaker], before: int, text: str = ""
                   ) -> Speaker | None:
    """``المتحدثة باسم الوزارة`` / ``الوزير`` as the speaker: the person the article named
    with that title (its mention's role), the latest before the quote."""
    words = normalize(chosen.text).text.split()
    if not words or not _ROLE_HEAD_RE.match(words[0]) or len(words) > 5:
        return None
    head = words[0].removeprefix("ال")
    titled = [s for s in speakers if s.type == "PER" and s is not chosen
              and len(s.text.split()) >= 2 and head in normalize(
                  f"{s.role} {text[s.end:s.end + 45]}").text]
    earlier = [s for s in titled if s.start < before]
    return earlier[-1] if earlier else titled[0] if titled else None


_CHANNEL_HEAD_RE = compile_folded(r"^(?:ل|ب)(?:صحيفه|قناه|وكاله|موقع|شبكه|اذاعه|تلفزيون|مجله)")


def _is_channel(text: str, start: int) -> bool:
    """A mention written as the channel (``لـ«مرآة الخليج»``, ``لصحيفة …``, ``في مقابلة مع
    شبكة …``, ``عبر منصة …``), not a speaker."""
    if _CHANNEL_HEAD_RE.match(normalize(text[start:start + 12]).text):
        return True
    window = text[max(0, start - 45):start]
    if re.search(r"(?:مقابلة|حديث|تصريحات?|حوار)\s+(?:مع|ل)\s*\S*\s*[«\"“(]?$|"
                 r"(?:عبر|على)\s+(?:حساب\S*\s+(?:على|في)\s+)?(?:منصة|موقع|تطبيق|قناة)?\s*"
                 r"[«\"“(]?$|(?:نقلت(?:ها)?|نشرت(?:ها)?|أوردت(?:ها)?)\s+(?:صحيفة|وكالة|"
                 r"قناة|شبكة|موقع)?\s*[«\"“(]?$", window):
        return True
    before = text[max(0, start - 12):start]
    return bool(re.search(r"(?<!\S)(?:لـ?\s*[«\"“(]|لـ\s*|لصحيفة\s|لوكالة\s|لقناة\s|"
                          r"لشبكة\s|لموقع\s|لإذاعة\s|لتلفزيون\s)$", before))


def _by_surname(subject: str, speakers: list[Speaker]) -> Speaker | None:
    """``وأضاف المجالي أن``: a surname the tagger did not mark, of a person it did mark."""
    words = set(re.findall(r"[^\W\d_]+", subject)[:12])
    fits = {s.entity: s for s in speakers if s.type == "PER"
            and normalize(s.text).text.split()[-1:] and
            normalize(s.text).text.split()[-1] in words}
    return next(iter(fits.values())) if len(fits) == 1 else None


_STOP_WORDS = {"ان", "بان", "انه", "انها", "في", "عن", "عبر", "خلال", "قائلا", "الي", "علي",
               "من", "قد", "امام", "لدي", "عقب", "بعد", "قبل"}


def _cut(phrase: str) -> str:
    """A description or channel name ends before a complementiser, a preposition or a
    channel (``مصدر دبلوماسي مطلع لوكالة رويترز أن`` → ``مصدر دبلوماسي مطلع``)."""
    kept: list[str] = []
    for word in re.split(r"\s+|(?<=[،,:])", phrase):
        if not word:
            continue
        if word.endswith(("،", ",", ":")):
            kept.append(word.rstrip("،,:"))
            break
        folded = normalize(word).text.strip("،,.:\"")
        if folded in _STOP_WORDS or word.startswith(("لـ", "ل(", "ل«", 'ل"')) or (
                kept and folded.startswith("ل") and
                                     folded[1:].startswith(("وكاله", "قناه", "شبكه", "صحيفه",
                                                            "موقع", "تلفزيون", "اذاعه"))):
            break
        kept.append(word.strip("،,.:"))
    return " ".join(kept)


def _anonymous(region: str, folded_from: int) -> str:
    n = normalize(region)
    found = _ANONYMOUS_RE.search(n.text, folded_from)
    if found is None:
        return ""
    a, b = n.to_original(*found.span())
    return _cut(region[a:b])


def _subjectless(folded_before: str, verb: re.Match[str], opener: bool = False) -> bool:
    """``وأضاف``, ``وتابع``: a verb with nothing between it and the quote but an opener;
    with ``opener``, the verb's own complementiser may be followed by more words
    (``وقال إن الغرض … هو "…"``)."""
    rest = folded_before[verb.end():].strip(" :،,\"'«»“”„")
    if opener and re.match(r"(?:ب?ان|انه|انها)(?![^\W\d_])", rest):
        return True
    return not rest or bool(re.fullmatch(r"(?:ب?ان|ان|قائلا|بالقول)?\s*", rest))


# -- the stage -------------------------------------------------------------------------------
class QuoteStage:
    """``quotes.v1``: runs after ``entities.v1`` and uses its mentions as speakers."""

    name = "quotes.v1"

    def __init__(self, settings: Settings) -> None:
        self.lexicon, _ = lexicon_for(settings["entities.aliases_file"])

    def __call__(self, article: Article) -> Article:
        found = article.work.setdefault("entities", {"mentions": [], "entities": []})
        speakers = [Speaker(m["start"], m["end"], m["entity"], m["type"], m["text"], m["role"])
                    for m in found["mentions"]
                    if m["type"] in ("PER", "ORG") and m["kind"] in ("name", "role")]

        def recover(start: int, end: int) -> Speaker | None:
            return _titled_person(article.text, start, end, self.lexicon, found)

        def describe(quote: Quote) -> Speaker | None:
            return _described_entity(quote, article.text, self.lexicon, found)

        quotes = find(article.text, speakers, recover, describe) \
            if article.language in (None, "ar") else []
        article.work["quotes"] = [q.to_dict() for q in quotes]
        return article


def _described_entity(quote: Quote, text: str, lexicon: Any, found: dict[str, Any]
                      ) -> Speaker | None:
    """A described speaker that names someone the tagger missed becomes an entity: an
    organisation (``وزارة الداخلية``, ``الجيش``) or a person (``الاقتصادي نايف الشمري``).
    Anonymous sources (``مصدر دبلوماسي``) stay descriptions."""
    description = quote.anonymous
    if _ANONYMOUS_RE.match(normalize(description).text):
        return None
    words = description.split()
    keys = [normalize(w).text for w in words]
    given = next((i for i, k in enumerate(keys) if k in lexicon.given and i < len(keys) - 1
                  and not (k == "باسم" and i and keys[i - 1].endswith(_SPOKESPERSON))), None)
    if given is not None:
        kind, name = "PER", " ".join(words[given:given + 3])
    elif keys and (lexicon.cue("org.heads", (keys[0],)) or
                   lexicon.cue("org.heads", (keys[0].removeprefix("ال"),))):
        kind, name = "ORG", description
    else:
        return None
    at = text.rfind(name, 0, quote.start)
    at = text.find(name) if at < 0 else at
    if at < 0:
        return None
    return _add_speaker(found, kind, name, at, " ".join(words[:given or 0]))


def _add_speaker(found: dict[str, Any], kind: str, name: str, at: int, role: str) -> Speaker:
    """A speaker the tagger missed, added to the article's entities and mentions (so the
    writer links it like any other) and returned."""
    index = len(found["entities"])
    found["entities"].append(Local(kind, name, [" ".join(words_key(name))]).to_dict())
    found["mentions"].append({"start": at, "end": at + len(name), "text": name, "type": kind,
                              "kind": "name", "role": role, "entity": index})
    return Speaker(at, at + len(name), index, kind, name, role)


_SPOKESPERSON = ("متحدث", "متحدثه", "ناطق", "ناطقه")


def _names_person(folded: list[str], cut: int, lexicon: Any) -> bool:
    """Do the two words before ``cut`` name a person: a title (or a given name) before
    them, and neither a known name, a place adjective, a title nor a function word?"""
    if cut < 2 or (cut < 3 and folded[0] not in lexicon.given):
        return False
    name_words, before = folded[cut - 2:cut], folded[:cut - 2]
    if name_words[0] == "باسم" and before and before[-1].endswith(_SPOKESPERSON):
        return False  # المتحدث باسم الوزارة: "on behalf of", not the name Basem
    titled = any(lexicon.cue("person.titles", (w,)) or lexicon.cue("person.titles", ("ال" + w,))
                 for w in before) or any(lexicon.cue("person.titles", pair)
                                         for pair in pairwise(before)) \
        or name_words[0] in lexicon.given
    return titled and not any(
        w in _NOT_NAME or w in _NAME_END or w in lexicon.adjectives or w in lexicon.starts
        or (w.startswith("ال") and w[2:] in lexicon.starts)
        or lexicon.cue("person.titles", (w,)) for w in name_words)


_NAME_END = frozenset({"ان", "بان", "انه", "انها", "في", "خلال", "عقب", "امام", "لدي", "عبر",
                       "قائلا", "بعد", "قبل"})
_NOT_NAME = frozenset({"ان", "بان", "من", "في", "عن", "الي", "علي", "قد", "لا", "ما", "هذا",
                       "هذه", "ذلك", "التي", "الذي", "امس", "اليوم", "ايضا", "له", "لها", "لهم",
                       "صحفي", "صحافي", "موتمر", "بيان", "بيانا", "تصريح", "تصريحات", "حديث",
                       "كلمه", "مقابله", "اجتماع", "جلسه", "مقتضب", "رسمي", "صحفيه", "صحافيه"})


def _titled_person(text: str, start: int, end: int, lexicon: Any,
                   found: dict[str, Any]) -> Speaker | None:
    """A title somewhere after the speech verb, then, right before the quote or ``إن``, two
    words that are no known name, place adjective or function word (``وقالت سفيرة أميركا
    لدى الأمم المتحدة سامنثا باور إن``): a person the tagger missed. Added to the
    article's entities (so the writer links it) and returned."""
    region = text[start:end]
    words = list(re.finditer(r"[^\W\d_]+", region))
    folded = [normalize(w.group()).text for w in words]
    ends = [i for i, w in enumerate(folded) if w in _NAME_END or _CHANNEL_HEAD_RE.match(w)]
    cut = next((i for i in [*ends, len(words)] if _names_person(folded, i, lexicon)), None)
    if cut is None:
        return None
    at, stop = start + words[cut - 2].start(), start + words[cut - 1].end()
    return _add_speaker(found, "PER", text[at:stop], at, text[start + words[0].start():at].strip())


# -- grouping across outlets (writer side) ----------------------------------------------------
SAME_STATEMENT = 0.35  # Jaccard of content words from which two quotes are one statement


def content_words(text: str) -> frozenset[str]:
    """Folded words of three letters or more, the article and one proclitic off."""
    words = set()
    for word in normalize(text).text.split():
        word = word.strip(".,:;!?\"'()")
        if word[:1] in "وفبل" and len(word) > 4:
            word = word[1:]
        if word.startswith("ال") and len(word) > 4:
            word = word[2:]
        if len(word) >= 3:
            words.add(word)
    return frozenset(words)


def same_statement(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return False
    shared = len(a & b)
    return shared / len(a | b) >= SAME_STATEMENT or shared / min(len(a), len(b)) >= 0.6


class QuoteLinker:
    """Quotes to rows with their speaker's stored entity id and a group: the same statement
    by the same speaker (same or different words) reported by several articles."""

    def __init__(self, index: QuoteIndex) -> None:
        self.index = index

    def link(self, articles: list[Article]) -> QuoteRows:
        rows = QuoteRows()
        seen: dict[str, list[tuple[str, frozenset[str]]]] = {}
        for article in articles:
            found = article.work.get("quotes")
            if found is None:
                continue
            ids = article.work.get("entity_ids") or []
            rows.forget.append(article.id)
            for q in found:
                speaker = ids[q["speaker"]] if q["speaker"] is not None and \
                    q["speaker"] < len(ids) else None
                group = self._group(speaker, q["text"], article.id, q["start"], seen)
                rows.quotes.append((article.id, q["start"], q["end"], q["text"], q["kind"],
                                    q["cue"], speaker, q["speaker_text"], q["anonymous"],
                                    q["channel"], group))
        return rows

    def _group(self, speaker: str | None, text: str, article_id: str, start: int,
               seen: dict[str, list[tuple[str, frozenset[str]]]]) -> str:
        words = content_words(text)
        own = f"{article_id}:{start}"
        if speaker is None:
            return own
        known = seen.setdefault(speaker, [(g, content_words(t))
                                          for g, t in self.index.by_speaker(speaker)])
        for group, other in known:
            if same_statement(words, other):
                known.append((group, words))
                return group
        known.append((own, words))
        return own
