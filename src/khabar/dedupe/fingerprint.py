"""Fingerprints of article bodies: a hash of the matching form, and a MinHash signature over
word shingles with LSH band keys, in numpy.

Shingles are runs of ``k`` words of the matching form (``text.arabic.fold_word``, cached per
raw token). The signature uses one-permutation hashing with densification (Li et al. 2012;
Shrivastava & Li 2014): each shingle is hashed once, the hash's top bits choose one of
``PERMUTATIONS`` bins and the minimum of the rest is kept per bin; an empty bin borrows
from the next filled one. One hash per shingle instead of one per shingle and permutation,
with the same estimator (the share of equal bins estimates Jaccard). Everything is seeded
and fixed, so signatures are stable across runs, processes and machines.
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from khabar.text.arabic import fold_word

PERMUTATIONS = 128  # bins; LSH uses 42 bands × 3 rows of them
_BIN_SHIFT = np.uint64(64 - 7)
_VALUE_MASK = np.uint64((1 << 57) - 1)
_MIX = np.uint64(0x9E3779B97F4A7C15)
_SCRAMBLE = np.uint64(0xBF58476D1CE4E5B9)
_EMPTY_VALUE = (1 << 57) - 1


BAND_ROWS = 3  # signature values per LSH band: 42 bands


@dataclass(frozen=True)
class Fingerprint:
    body_hash: str
    title_hash: str | None
    shingles: int
    signature: NDArray[np.uint32]
    keys: tuple[int, ...] = ()  # LSH band keys, computed with the signature


def band_keys(signature: NDArray[np.uint32], rows: int = BAND_ROWS) -> tuple[int, ...]:
    """LSH keys: one 63-bit integer per band of ``rows`` signature values, band-tagged."""
    count = PERMUTATIONS // rows
    matrix = signature[: count * rows].reshape(count, rows).astype(np.uint64)
    keys = np.zeros(count, dtype=np.uint64)
    for column in range(rows):
        keys = keys * _MIX + matrix[:, column]
    keys = (keys ^ (np.arange(count, dtype=np.uint64) * _MIX)) >> np.uint64(1)
    return tuple(keys.tolist())


_HASHES: dict[str, int] = {}
_PUNCTUATION = "\"'«»“”()[]{}.,;:!?،؛؟…-–—/\\|*#%&+=<>~`^_•·"


def _learn(raw_tokens: set[str]) -> None:
    """Cache a 64-bit hash for each new raw token: crc32 and length of its matching form
    without surrounding punctuation (0 for a token with no word in it)."""
    if len(_HASHES) > 1_000_000:
        _HASHES.clear()
    for raw in raw_tokens:
        word = fold_word(raw).strip(_PUNCTUATION)
        _HASHES[raw] = zlib.crc32(word.encode("utf-8")) | (len(word) << 32) if word else 0


def word_hashes(text: str) -> NDArray[np.uint64]:
    """One hash per word of ``text`` in the matching form (C-level loops: news is long)."""
    raw = text.split()
    missing = set(raw).difference(_HASHES)  # iterates the tokens, not the whole cache
    if missing:
        _learn(missing)
    found = np.fromiter(map(_HASHES.__getitem__, raw), dtype=np.uint64, count=len(raw))
    kept: NDArray[np.uint64] = found[found != 0]
    return kept


def shingle_hashes(word_hashes: NDArray[np.uint64], k: int) -> NDArray[np.uint64]:
    """64-bit hashes of the ``k``-word shingles (the whole text if shorter). Repeats are
    kept: MinHash ignores them, and they are rare enough not to matter to set sizes."""
    if word_hashes.size == 0:
        return np.zeros(0, dtype=np.uint64)
    k = min(k, word_hashes.size)
    count = word_hashes.size - k + 1
    combined = np.zeros(count, dtype=np.uint64)
    for offset in range(k):
        combined = combined * _MIX + word_hashes[offset: offset + count]
    return combined


def shingles(text: str, k: int) -> NDArray[np.uint64]:
    """Hashes of the ``k``-word shingles of ``text`` in the matching form."""
    return shingle_hashes(word_hashes(text), k)


def signature(hashes: NDArray[np.uint64]) -> NDArray[np.uint32]:
    """One-permutation MinHash with densification: ``PERMUTATIONS`` values."""
    if hashes.size == 0:
        return np.full(PERMUTATIONS, 0xFFFFFFFF, dtype=np.uint32)
    mixed = hashes * _SCRAMBLE
    mixed ^= mixed >> np.uint64(31)
    mixed *= _MIX
    bins = (mixed >> _BIN_SHIFT).astype(np.intp)
    values = np.full(PERMUTATIONS, _EMPTY_VALUE, dtype=np.uint64)
    np.minimum.at(values, bins, mixed & _VALUE_MASK)
    filled = np.flatnonzero(values != _EMPTY_VALUE)
    if filled.size < PERMUTATIONS:  # borrow from the next filled bin, marked by distance
        positions = np.arange(PERMUTATIONS)
        donor = filled[np.searchsorted(filled, positions) % filled.size]
        distance = ((donor - positions) % PERMUTATIONS).astype(np.uint64)
        values = values[donor] + distance * np.uint64(0x2545F4914F6CDD1D)
    result: NDArray[np.uint32] = (values >> np.uint64(25)).astype(np.uint32)
    return result


def fingerprint(text: str, title: str | None, k: int) -> Fingerprint:
    """Body hash (of the word-hash sequence: equal matching forms, equal hash), title hash
    (headlines of four words or more), shingle count and signature."""
    body_words = word_hashes(text)
    hashes = shingle_hashes(body_words, k)
    body = hashlib.blake2b(body_words.tobytes(), digest_size=12).hexdigest()
    title_words = word_hashes(title or "")
    title_hash = hashlib.blake2b(title_words.tobytes(), digest_size=8).hexdigest() if (
        title_words.size >= 4) else None
    values = signature(hashes)
    return Fingerprint(body, title_hash, int(hashes.size), values, band_keys(values))


def jaccard(a: NDArray[np.uint32], b: NDArray[np.uint32]) -> float:
    """Estimated Jaccard similarity of two shingle sets from their signatures."""
    return float(np.count_nonzero(a == b)) / PERMUTATIONS


def containment(similarity: float, size_a: int, size_b: int) -> float:
    """Estimated share of the smaller set inside the larger, from Jaccard and set sizes."""
    if min(size_a, size_b) == 0:
        return 0.0
    overlap = similarity * (size_a + size_b) / (1 + similarity)
    return min(1.0, overlap / min(size_a, size_b))
