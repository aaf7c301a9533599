"""Language identification: the lingua adapter (the only module importing lingua).

Most news text is plainly Arabic or plainly English; those are decided from letters and
function words in microseconds. Everything else (Persian/Urdu vs Arabic, other Latin-script
languages, mixed text) goes to lingua restricted to the configured languages.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from khabar.errors import SettingsError
from khabar.model import Article
from khabar.settings import Settings
from khabar.text.arabic import script_counts

# Runs of one script (with the spaces, digits and punctuation between its words).
LATIN_RUN_RE = re.compile(r"[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f0-9\s'’.,:;!?\-]*"
                          r"[A-Za-z\u00c0-\u024f.!?]")
ARABIC_RUN_RE = re.compile(r"[\u0621-\u064a\u0671-\u06d3][\u0600-\u06ff0-9\s.,:;!?\-]*"
                           r"[\u0621-\u064a\u0671-\u06d3.!?؟]")

# Letters used in Persian/Urdu/Kurdish but not in Arabic: their presence needs lingua.
_NON_ARABIC_LETTERS_RE = re.compile(r"[پچژگکیۀےٹڈڑںھۆێە]")
_ARABIC_WORDS = frozenset(("في", "من", "على", "إلى", "التي", "الذي", "أن", "عن", "مع", "هذا",
                          "هذه"))
_ENGLISH_WORDS = frozenset(("the", "and", "of", "to", "in", "is", "that", "for", "with", "was",
                            "on"))
QUICK_SAMPLE = 600


@lru_cache(maxsize=4)
def _detector(codes: tuple[str, ...], high_accuracy: bool = False) -> Any:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = []
    for code in codes:
        try:
            languages.append(Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())))
        except AttributeError:
            raise SettingsError(f"setting 'lang.languages': unknown language {code!r}") from None
    if len(languages) < 2:
        raise SettingsError("setting 'lang.languages' needs at least two languages")
    builder = LanguageDetectorBuilder.from_languages(*languages)
    return (builder if high_accuracy else builder.with_low_accuracy_mode()).build()


def _code(language: Any) -> str | None:
    return language.iso_code_639_1.name.lower() if language is not None else None


def quick_language(sample: str) -> str | None:
    """'ar' or 'en' when the start of the text is unambiguous, else None."""
    sample = sample[:QUICK_SAMPLE]
    arabic, latin = script_counts(sample)
    letters = arabic + latin
    if letters < 20:
        return None
    words = sample.lower().split()
    if arabic > 0.8 * letters and not _NON_ARABIC_LETTERS_RE.search(sample):
        if sum(w in _ARABIC_WORDS for w in words) >= max(2, arabic // 150):
            return "ar"
    elif latin > 0.9 * letters and sum(w in _ENGLISH_WORDS for w in words) >= max(3, latin // 60):
        return "en"
    return None


class LanguageStage:
    """``lang.v1``: sets ``Article.language`` (ISO 639-1) unless metadata gave one."""

    name = "lang.v1"
    high_accuracy = False

    def __init__(self, settings: Settings) -> None:
        self.codes = tuple(settings["lang.languages"])
        self.sample_chars: int = settings["lang.sample_chars"]
        # validate the list now, not on the first ambiguous article
        _detector(self.codes, self.high_accuracy)

    def identify(self, text: str) -> str | None:
        sample = text[: self.sample_chars]
        quick = quick_language(sample)
        if quick is not None and quick in self.codes:
            return quick
        return _code(_detector(self.codes, self.high_accuracy).detect_language_of(sample))

    def __call__(self, article: Article) -> Article:
        given = (article.language or "").split("-")[0].split("_")[0].lower()
        if len(given) == 2 and given.isalpha():
            article.language = given
        else:
            article.language = self.identify(f"{article.title or ''}\n{article.text}")
        return article


class LanguageStageV2(LanguageStage):
    """``lang.v2``: lingua in high-accuracy mode where the script leaves doubt, and the
    language of every line, with runs of another script inside a line (an English quote in
    an Arabic paragraph) as spans of their own: ``Article.language_spans`` is a list of
    ``[start, end, language]`` offsets into the text, neighbours of one language merged."""

    name = "lang.v2"
    high_accuracy = True
    MIN_RUN_LETTERS = 15

    def __call__(self, article: Article) -> Article:
        article = super().__call__(article)
        article.language_spans = self.spans(article.text, article.language)
        return article

    def spans(self, text: str, main: str | None) -> list[list[Any]]:
        spans: list[list[Any]] = []
        offset = 0
        for line in text.split("\n"):
            for start, end, language in self._line(line, main):
                if spans and spans[-1][2] == language and spans[-1][1] >= offset + start - 1:
                    spans[-1][1] = offset + end
                else:
                    spans.append([offset + start, offset + end, language])
            offset += len(line) + 1
        return spans

    def _line(self, line: str, main: str | None) -> list[tuple[int, int, str | None]]:
        if not line.strip():
            return []
        arabic, latin = script_counts(line)
        main_arabic = main in ("ar", "fa", "ur")
        line_arabic = arabic >= latin
        if line_arabic != main_arabic and arabic + latin >= self.MIN_RUN_LETTERS:
            return [(0, len(line), self.identify(line))]
        other = LATIN_RUN_RE if main_arabic else ARABIC_RUN_RE
        pieces: list[tuple[int, int, str | None]] = []
        cursor = 0
        for run in other.finditer(line):
            letters = sum(c.isalpha() for c in run.group())
            if letters < self.MIN_RUN_LETTERS:
                continue
            if run.start() > cursor:
                pieces.append((cursor, run.start(), main))
            pieces.append((run.start(), run.end(), self.identify(run.group())))
            cursor = run.end()
        pieces.append((cursor, len(line), main))
        return [(a, b, lang) for a, b, lang in pieces if line[a:b].strip()]
