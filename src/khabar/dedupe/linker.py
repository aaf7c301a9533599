"""Link each new article to the copies already known: exact (same matching-form body),
near (estimated Jaccard of word shingles over a threshold), contained (a shortened or
extended copy: most of the smaller text is inside the larger) and title (the same headline,
published close together, with some text in common).

Candidates come from the body hash, the title hash and LSH buckets, in the store and in the
batch being written, so the cost per article does not grow with the archive. A group's
original is its earliest-published member (ingest order breaks ties); when an older copy
arrives later, the group moves under it. Runs in the single writer, before each batch.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import NDArray

from khabar.dedupe.fingerprint import PERMUTATIONS, Fingerprint
from khabar.model import Article
from khabar.settings import Settings
from khabar.store.duplicates import DuplicateIndex, DuplicateRows


@dataclass
class _Known:
    shingles: int
    signature: NDArray[np.uint32]
    root: str
    published: str | None
    language: str | None


@dataclass(frozen=True)
class Thresholds:
    near: float
    contained: float
    title: float
    title_days: int
    min_shingles: int

    @classmethod
    def from_settings(cls, settings: Settings) -> Thresholds:
        return cls(settings["dedupe.near_jaccard"], settings["dedupe.containment"],
                   settings["dedupe.title_jaccard"], settings["dedupe.title_window_days"],
                   settings["dedupe.min_shingles"])


def _days_apart(a: str | None, b: str | None) -> float:
    """Days between two ISO dates; NaN when either is unknown."""
    try:
        if a and b:
            return float(abs((date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days))
    except ValueError:
        pass
    return float("nan")


def best_match(fp: Fingerprint, signatures: NDArray[np.uint32], shingles: NDArray[np.int64],
               same_body: NDArray[np.bool_], same_title: NDArray[np.bool_],
               days: NDArray[np.float64], limits: Thresholds) -> tuple[int, str, float] | None:
    """The best copy among ``m`` candidates (row ``i`` of each array), as (i, kind,
    similarity), or None. All candidates are judged at once; ``days`` is NaN if unknown.
    Exact beats near and contained (by similarity), which beat title variants."""
    similarity = (signatures == fp.signature).sum(axis=1) / PERMUTATIONS
    smaller = np.minimum(shingles, fp.shingles)
    overlap = similarity * (shingles + fp.shingles) / (1 + similarity)
    share = np.minimum(1.0, overlap / np.maximum(smaller, 1))
    near = similarity >= limits.near
    contained = ~near & (smaller >= limits.min_shingles) & (share >= limits.contained)
    title = same_title & (similarity >= limits.title) & ~(days > limits.title_days)
    rank = np.select([same_body, near | contained, title], [3, 2, 1], 0)
    if not rank.any():
        return None
    score = np.select([same_body, near, contained, title], [1.0, similarity, share, similarity],
                      0.0)
    best = int(np.lexsort((-score, -rank))[0])
    kind = ("exact" if same_body[best] else "near" if near[best]
            else "contained" if contained[best] else "title")
    return best, kind, round(float(score[best]), 3)


def compare(a: Fingerprint, b: Fingerprint, limits: Thresholds) -> tuple[str, float] | None:
    """(kind, similarity) when two fingerprints are copies (same title counts), else None."""
    found = best_match(a, b.signature[None, :], np.array([b.shingles]),
                       np.array([a.body_hash == b.body_hash]),
                       np.array([a.title_hash is not None and a.title_hash == b.title_hash]),
                       np.array([np.nan]), limits)
    return None if found is None else found[1:]


# LSH candidates verified per article: those sharing the most bands.
MAX_CANDIDATES = 64
# Most articles one LSH bucket holds (templated news would otherwise fill buckets).
BUCKET_CAP = 32


class Linker:
    def __init__(self, index: DuplicateIndex, settings: Settings) -> None:
        self.index = index
        self.limits = Thresholds.from_settings(settings)

    def link(self, articles: list[Article]) -> DuplicateRows:
        """Fingerprint rows, buckets and links for the new articles of one batch."""
        batch = _Batch(self.index.indexed(a.id for a in articles if "fingerprint" in a.work))
        rows = DuplicateRows()
        for article in articles:
            fp: Fingerprint | None = article.work.get("fingerprint")
            if fp is None or article.id in batch.done or article.id in batch.known:
                continue
            keys = list(fp.keys)
            same_body = set(self.index.exact(fp.body_hash)) | batch.body.get(fp.body_hash, set())
            same_title: set[str] = set()
            if fp.title_hash:
                same_title = set(self.index.same_title(fp.title_hash)) | batch.title.get(
                    fp.title_hash, set())
            sizes = self.index.bucket_sizes(keys)
            shared = Counter(self.index.in_buckets(keys, MAX_CANDIDATES))
            for key in keys:
                shared.update(batch.bucket.get(key, ()))
            candidates = same_body | same_title | {c for c, _ in
                                                   shared.most_common(MAX_CANDIDATES)}
            candidates.discard(article.id)
            me = _Known(fp.shingles, fp.signature, article.id, article.published_at,
                        article.language)
            match = self._best(article, fp, candidates, same_body, same_title, batch)
            if match is not None:
                self._attach(article, me, *match, batch, rows)
            # Only originals go into the LSH buckets: a copy is found through its original,
            # so a flood of copies of one text does not make every lookup return them all.
            # A bucket holding BUCKET_CAP articles already says nothing new: it stays as is.
            room = [k for k in keys if sizes.get(k, 0) + len(batch.bucket.get(k, ())) < BUCKET_CAP]
            original = me.root == article.id
            batch.add(article.id, me, fp, room if original else [])
            rows.fingerprints.append((article.id, fp.body_hash, fp.title_hash, fp.shingles,
                                      fp.signature.tobytes()))
            if original:
                rows.buckets.extend((key, article.id) for key in room)
        return rows

    def _best(self, article: Article, fp: Fingerprint, candidates: set[str],
              same_body: set[str], same_title: set[str], batch: _Batch
              ) -> tuple[str, float, _Known] | None:
        stored = self.index.fingerprints(c for c in candidates if c not in batch.known)
        known: list[tuple[str, _Known]] = []
        for candidate in sorted(candidates):
            entry = batch.known.get(candidate)
            if entry is None and candidate in stored:
                row = stored[candidate]
                entry = _Known(row.shingles, np.frombuffer(row.signature, dtype=np.uint32),
                               batch.root(row.duplicate_of or candidate), row.published_at,
                               row.language)
            if entry is not None and not (entry.language and article.language
                                          and entry.language != article.language):
                known.append((candidate, entry))
        if not known:
            return None
        found = best_match(
            fp, np.stack([k.signature for _, k in known]),
            np.array([k.shingles for _, k in known]),
            np.array([c in same_body for c, _ in known]),
            np.array([c in same_title for c, _ in known]),
            np.array([_days_apart(article.published_at, k.published) for _, k in known],
                     dtype=np.float64), self.limits)
        if found is None:
            return None
        index, kind, similarity = found
        return kind, similarity, known[index][1]

    def _attach(self, article: Article, me: _Known, kind: str, similarity: float,
                match: _Known, batch: _Batch, rows: DuplicateRows) -> None:
        root = batch.root(match.root)
        if _earlier(article.published_at, self._published(root, batch)):
            # an older copy arrived later: the group moves under it
            rows.links.append((root, article.id, kind, similarity))
            rows.reroots.append((root, article.id))
            batch.move(root, article.id)
            return
        rows.links.append((article.id, root, kind, similarity))
        me.root = root
        article.duplicate_of, article.duplicate_kind = root, kind
        article.duplicate_similarity = similarity

    def _published(self, article_id: str, batch: _Batch) -> str | None:
        if article_id in batch.known:
            return batch.known[article_id].published
        found = self.index.fingerprints([article_id]).get(article_id)
        return found.published_at if found else None


class _Batch:
    """What the batch being linked has added so far, and the groups it has moved."""

    def __init__(self, done: set[str]) -> None:
        self.done = done
        self.known: dict[str, _Known] = {}
        self.body: dict[str, set[str]] = {}
        self.title: dict[str, set[str]] = {}
        self.bucket: dict[int, set[str]] = {}
        self.moved: dict[str, str] = {}

    def add(self, article_id: str, known: _Known, fp: Fingerprint, keys: list[int]) -> None:
        self.known[article_id] = known
        self.body.setdefault(fp.body_hash, set()).add(article_id)
        if fp.title_hash:
            self.title.setdefault(fp.title_hash, set()).add(article_id)
        for key in keys:
            self.bucket.setdefault(key, set()).add(article_id)

    def root(self, article_id: str) -> str:
        while article_id in self.moved:
            article_id = self.moved[article_id]
        return article_id

    def move(self, old_root: str, new_root: str) -> None:
        self.moved[old_root] = new_root
        for entry in self.known.values():
            if entry.root == old_root:
                entry.root = new_root


def _earlier(a: str | None, b: str | None) -> bool:
    """Is date ``a`` strictly earlier than ``b``? Undated is never earlier."""
    return a is not None and (b is None or a[:19] < b[:19])
