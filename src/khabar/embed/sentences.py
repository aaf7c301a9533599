"""Stage ``embed.v1``: vectors for the sentences that say what an article reports.

An article is represented by its title, its lead (the first body sentences, where news
writing puts the happening) and one key sentence further down (the one naming the most
entities), each embedded on its own: event matching compares these sentence by sentence.
Vectors travel to the writer as float16 in ``work["vectors"]`` (one row per sentence).
"""

from __future__ import annotations

import logging

import numpy as np

from khabar.embed.vectors import embed
from khabar.model import Article
from khabar.settings import Settings
from khabar.text.tokenize import sentence_spans

log = logging.getLogger(__name__)

MIN_WORDS = 5  # shorter lines (captions, bylines, "read more") say too little
LOOK_CHARS = 8000  # how far into the body key sentences are sought


class SentenceStage:
    name = "embed.v1"

    def __init__(self, settings: Settings) -> None:
        self.lead: int = settings["embed.lead_sentences"]
        self.max_chars: int = settings["embed.max_sentence_chars"]

    def __call__(self, article: Article) -> Article:
        texts = [text[:self.max_chars] for text in key_sentences(article, self.lead)]
        article.work["vectors"] = embed(texts).astype(np.float16)
        log.debug("%s: %d sentence vectors", article.id, len(texts))
        return article


def key_sentences(article: Article, lead: int) -> list[str]:
    """The title, the first ``lead`` body sentences of at least MIN_WORDS words, and the
    later sentence naming the most distinct entities (if it names at least two)."""
    text = article.text[:LOOK_CHARS]
    spans = [(s, e) for s, e in sentence_spans(text) if len(text[s:e].split()) >= MIN_WORDS]
    chosen = [text[s:e] for s, e in spans[:lead]]
    title = (article.title or "").strip()
    if title and not any(title in sentence for sentence in chosen[:1]):
        chosen.insert(0, title)
    key = _key_sentence(article, spans[lead:])
    if key is not None:
        chosen.append(text[key[0]:key[1]])
    return chosen or [article.text[:1000]]


def _key_sentence(article: Article, spans: list[tuple[int, int]]) -> tuple[int, int] | None:
    mentions = (article.work.get("entities") or {}).get("mentions", [])
    best, best_count = None, 1
    for start, end in spans:
        named = {m["entity"] for m in mentions if start <= m["start"] < end}
        if len(named) > best_count:
            best, best_count = (start, end), len(named)
    return best
