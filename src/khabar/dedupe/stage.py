"""``dedupe.v1``: the fingerprint of each article, computed with the other stages (in the
worker processes); the linker on the writer's side uses it against the stored index."""

from __future__ import annotations

from khabar.dedupe.fingerprint import fingerprint
from khabar.model import Article
from khabar.settings import Settings


class DedupeStage:
    name = "dedupe.v1"

    def __init__(self, settings: Settings) -> None:
        self.words: int = settings["dedupe.shingle_words"]

    def __call__(self, article: Article) -> Article:
        article.work["fingerprint"] = fingerprint(article.text, article.title, self.words)
        return article
