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

# Letters used in Persian/Urdu/Kurdish but not in Arabic: their presence needs lingua.
_NON_ARABIC_LETTERS_RE = re.compile(r"[پچژگکیۀےٹڈڑںھۆێە]")
_ARABIC_WORDS = frozenset(("في", "من", "على", "إلى", "التي", "الذي", "أن", "عن", "مع", "هذا",
                          "هذه"))
_ENGLISH_WORDS = frozenset(("the", "and", "of", "to", "in", "is", "that", "for", "with", "was",
                            "on"))
QUICK_SAMPLE = 600


@lru_cache(maxsize=4)
def _detector(codes: tuple[str, ...]) -> Any:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = []
    for code in codes:
        try:
            languages.append(Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())))
        except AttributeError:
            raise SettingsError(f"setting 'lang.languages': unknown language {code!r}") from None
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


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

    def __init__(self, settings: Settings) -> None:
        self.codes = tuple(settings["lang.languages"])
        self.sample_chars: int = settings["lang.sample_chars"]
        _detector(self.codes)  # validate the list now, not on the first ambiguous article

    def identify(self, text: str) -> str | None:
        sample = text[: self.sample_chars]
        quick = quick_language(sample)
        if quick is not None and quick in self.codes:
            return quick
        found = _detector(self.codes).detect_language_of(sample)
        return found.iso_code_639_1.name.lower() if found is not None else None

    def __call__(self, article: Article) -> Article:
        given = (article.language or "").split("-")[0].split("_")[0].lower()
        if len(given) == 2 and given.isalpha():
            article.language = given
        else:
            article.language = self.identify(f"{article.title or ''}\n{article.text}")
        return article
