"""Fingerprints of article bodies: a hash of the matching form, and a MinHash signature over
word shingles with LSH band keys, all in numpy (no per-shingle Python loop).

Shingles are runs of ``k`` words of the matching form (``text.arabic.fold_word``). Each
word is hashed once (crc32, cached); a shingle's 64-bit hash combines its words' hashes;
signature value ``i`` is ``min((a_i · h + b_i) mod 2^64 >> 32)`` over the shingles, with
fixed odd multipliers, so signatures are stable across runs, processes and machines.
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from khabar.text.arabic import fold_word

PERMUTATIONS = 126
_rng = np.random.default_rng(20260301)
_A = (_rng.integers(1, 2**63, PERMUTATIONS, dtype=np.uint64) * np.uint64(2) + np.uint64(1))
_B = _rng.integers(0, 2**63, PERMUTATIONS, dtype=np.uint64)
_MIX = np.uint64(0x9E3779B97F4A7C15)


@dataclass(frozen=True)
class Fingerprint:
    body_hash: str
    title_hash: str | None
    shingles: int
    signature: NDArray[np.uint32]

    def bands(self, rows: int) -> list[int]:
        """LSH keys: one 63-bit integer per band of ``rows`` signature values, band-tagged."""
        count = PERMUTATIONS // rows
        matrix = self.signature[: count * rows].reshape(count, rows).astype(np.uint64)
        keys = np.zeros(count, dtype=np.uint64)
        for column in range(rows):
            keys = keys * _MIX + matrix[:, column]
        keys = (keys ^ (np.arange(count, dtype=np.uint64) * _MIX)) >> np.uint64(1)
        return [int(k) for k in keys]


_TOKENS: dict[str, tuple[str, int]] = {}
_PUNCTUATION = "\"'«»“”()[]{}.,;:!?،؛؟…-–—/\\|*#%&+=<>~`^_•·"
_EMPTY = ("", 0)


def _token(raw: str) -> tuple[str, int]:
    """A raw token's matching form without surrounding punctuation, and its 64-bit hash
    (crc32 and length), cached: news repeats its words."""
    found = _TOKENS.get(raw)
    if found is None:
        if len(_TOKENS) > 1_000_000:
            _TOKENS.clear()
        word = fold_word(raw).strip(_PUNCTUATION)
        found = _TOKENS[raw] = (word, zlib.crc32(word.encode("utf-8")) | (len(word) << 32)
                                ) if word else _EMPTY
    return found


def tokens(text: str) -> list[tuple[str, int]]:
    """(word, hash) for every word of ``text``, in the matching form."""
    return [t for t in map(_token, text.split()) if t[1]]


def words(text: str) -> list[str]:
    """The words of ``text`` in the matching form, punctuation around them dropped."""
    return [word for word, _ in tokens(text)]


def shingle_hashes(found: list[tuple[str, int]], k: int) -> NDArray[np.uint64]:
    """64-bit hashes of the distinct ``k``-word shingles (the whole text if shorter)."""
    if not found:
        return np.zeros(0, dtype=np.uint64)
    hashes = np.array([h for _, h in found], dtype=np.uint64)
    k = min(k, len(hashes))
    combined = np.zeros(len(hashes) - k + 1, dtype=np.uint64)
    for offset in range(k):
        combined = combined * _MIX + hashes[offset: len(hashes) - k + 1 + offset]
    return np.unique(combined)


_buffer = np.empty((PERMUTATIONS, 1024), dtype=np.uint64)


def signature(hashes: NDArray[np.uint64]) -> NDArray[np.uint32]:
    """MinHash signature, computed in a reused buffer (fresh large temporaries cost more
    in page faults than the arithmetic)."""
    global _buffer
    if hashes.size == 0:
        return np.full(PERMUTATIONS, 0xFFFFFFFF, dtype=np.uint32)
    if _buffer.shape[1] < hashes.size:
        _buffer = np.empty((PERMUTATIONS, max(hashes.size, 2 * _buffer.shape[1])), np.uint64)
    work = _buffer[:, : hashes.size]
    np.multiply(_A[:, None], hashes[None, :], out=work)
    np.add(work, _B[:, None], out=work)
    np.right_shift(work, np.uint64(32), out=work)
    result: NDArray[np.uint32] = work.min(axis=1).astype(np.uint32)
    return result


def fingerprint(text: str, title: str | None, k: int) -> Fingerprint:
    found = tokens(text)
    hashes = shingle_hashes(found, k)
    body = hashlib.blake2b(" ".join(w for w, _ in found).encode("utf-8"),
                           digest_size=12).hexdigest()
    title_tokens = words(title or "")
    title_hash = hashlib.blake2b(" ".join(title_tokens).encode("utf-8"),
                                 digest_size=8).hexdigest() if len(title_tokens) >= 4 else None
    return Fingerprint(body, title_hash, int(hashes.size), signature(hashes))


def jaccard(a: NDArray[np.uint32], b: NDArray[np.uint32]) -> float:
    """Estimated Jaccard similarity of two shingle sets from their signatures."""
    return float(np.count_nonzero(a == b)) / PERMUTATIONS


def containment(similarity: float, size_a: int, size_b: int) -> float:
    """Estimated share of the smaller set inside the larger, from Jaccard and set sizes."""
    if min(size_a, size_b) == 0:
        return 0.0
    overlap = similarity * (size_a + size_b) / (1 + similarity)
    return min(1.0, overlap / min(size_a, size_b))
