"""Event-clustering evaluation helpers: metrics over two labelings and two baselines.

Labelings are ``dict[str, str]`` (item id -> cluster label). Every metric is scored over the
items of ``gold``; a gold item missing from ``pred`` counts as a predicted singleton, and
predicted items absent from ``gold`` are ignored.

Baselines: the classic TDT single-pass TF-IDF clusterer and HDBSCAN over document vectors.
scikit-learn is imported lazily, so the pure-Python parts work without it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

# --- metrics -------------------------------------------------------------------------------


def _aligned(gold: dict[str, str], pred: dict[str, str]) -> list[tuple[Hashable, Hashable]]:
    """(gold cluster, predicted cluster) per gold item, in sorted id order."""
    if not gold:
        raise ValueError("gold labeling is empty")
    pairs: list[tuple[Hashable, Hashable]] = []
    for item in sorted(gold):
        label = pred.get(item)
        pairs.append((gold[item], ("label", label) if label is not None else ("alone", item)))
    return pairs


def _f1(precision: float, recall: float) -> float:
    total = precision + recall
    return 2 * precision * recall / total if total else 0.0


def bcubed(gold: dict[str, str], pred: dict[str, str]) -> tuple[float, float, float]:
    """Item-averaged B-cubed (precision, recall, F1); F1 is the harmonic mean of the averages.

    Per item: precision = |own gold cluster ∩ own predicted cluster| / |predicted cluster|,
    recall = the same overlap / |gold cluster| (Bagga & Baldwin 1998; Amigó et al. 2009).
    """
    pairs = _aligned(gold, pred)
    cells = Counter(pairs)
    gold_sizes = Counter(g for g, _ in pairs)
    pred_sizes = Counter(p for _, p in pairs)
    # Each of the n items in cell (g, p) contributes n / |p| and n / |g|.
    precision = sum(n * n / pred_sizes[p] for (_, p), n in cells.items()) / len(pairs)
    recall = sum(n * n / gold_sizes[g] for (g, _), n in cells.items()) / len(pairs)
    return precision, recall, _f1(precision, recall)


def _pairs_within(sizes: Iterable[int]) -> int:
    return sum(n * (n - 1) // 2 for n in sizes)


def pairwise(gold: dict[str, str], pred: dict[str, str]) -> tuple[float, float, float]:
    """Precision, recall and F1 over unordered item pairs placed in the same cluster.

    0/0 is defined as 1.0: no predicted pairs gives precision 1.0 (nothing wrongly joined),
    no gold pairs gives recall 1.0 (nothing to find). F1 is 0.0 when both are 0.
    """
    pairs = _aligned(gold, pred)
    both = _pairs_within(Counter(pairs).values())
    predicted = _pairs_within(Counter(p for _, p in pairs).values())
    true = _pairs_within(Counter(g for g, _ in pairs).values())
    precision = both / predicted if predicted else 1.0
    recall = both / true if true else 1.0
    return precision, recall, _f1(precision, recall)


def ami(gold: dict[str, str], pred: dict[str, str]) -> float:
    """Adjusted mutual information (scikit-learn's, arithmetic normalisation)."""
    from sklearn.metrics import (  # type: ignore[import-untyped,import-not-found,unused-ignore]
        adjusted_mutual_info_score,
    )

    pairs = _aligned(gold, pred)
    codes: dict[Hashable, int] = {}
    true = [codes.setdefault(("g", g), len(codes)) for g, _ in pairs]
    found = [codes.setdefault(("p", p), len(codes)) for _, p in pairs]
    return float(adjusted_mutual_info_score(true, found))


def scores(gold: dict[str, str], pred: dict[str, str]) -> dict[str, float]:
    """All metrics: bcubed_p/r/f1, pair_p/r/f1 and ami."""
    bp, br, bf = bcubed(gold, pred)
    pp, pr, pf = pairwise(gold, pred)
    return {"bcubed_p": bp, "bcubed_r": br, "bcubed_f1": bf,
            "pair_p": pp, "pair_r": pr, "pair_f1": pf, "ami": ami(gold, pred)}


# --- documents and Arabic-aware tokens -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Doc:
    """One article; ``day`` is an ISO date (YYYY-MM-DD) or None when unknown."""

    id: str
    title: str
    text: str
    day: str | None = None


# Harakat, Quranic annotation marks, superscript alif and tatweel.
_DROP_RE = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي"})
_LETTERS_RE = re.compile(r"[^\W\d_]+")
_MIN_STEM = 3


def _strip_prefixes(token: str) -> str:
    """Drop a conjunction (و ف), a preposition (ب ل ك) and the article while >= 3 letters stay."""
    if token[0] in "وف" and len(token) - 1 >= _MIN_STEM:
        token = token[1:]
    if token.startswith("لل") and len(token) - 2 >= _MIN_STEM:
        return token[2:]  # ل + ال with the alif elided
    if token[0] in "بلك" and len(token) - 1 >= _MIN_STEM:
        token = token[1:]
    if token.startswith("ال") and len(token) - 2 >= _MIN_STEM:
        token = token[2:]
    return token


def tokens(text: str) -> list[str]:
    """Folded, prefix-stripped letter runs of ``text``; one-letter tokens are dropped."""
    plain = _DROP_RE.sub("", text).translate(_FOLD).casefold()
    words = (_strip_prefixes(word) for word in _LETTERS_RE.findall(plain))
    return [word for word in words if len(word) > 1]


def time_order(docs: Iterable[Doc]) -> list[Doc]:
    """Documents by day, undated ones last, ties broken by id."""
    return sorted(docs, key=lambda d: (d.day is None, d.day or "", d.id))


# --- single-pass TF-IDF --------------------------------------------------------------------

Vector = dict[str, float]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


class _IncrementalTfidf:
    """TF-IDF with document frequencies from the documents seen so far (this one included).

    Weight = (1 + log tf) * log((N + 1) / (df + 0.5)), then L2-normalised: the smoothing
    keeps every weight positive from the first document on, and a term found in every
    document so far weighs almost nothing.
    """

    def __init__(self) -> None:
        self.seen = 0
        self.df: Counter[str] = Counter()

    def add(self, words: list[str]) -> Vector:
        counts = Counter(words)
        self.seen += 1
        self.df.update(counts.keys())
        weights = {t: (1 + math.log(tf)) * math.log((self.seen + 1) / (self.df[t] + 0.5))
                   for t, tf in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values()))
        return {t: w / norm for t, w in weights.items()} if norm else {}


def _room(array: npt.NDArray[Any], size: int) -> npt.NDArray[Any]:
    """``array``, doubled (zero-filled) if it cannot hold ``size`` items."""
    if size <= len(array):
        return array
    bigger = np.zeros(max(size, 2 * len(array)), dtype=array.dtype)
    bigger[: len(array)] = array
    return bigger


class _Posting:
    """One term's documents and weights, as growable arrays."""

    __slots__ = ("docs", "size", "weights")

    def __init__(self) -> None:
        self.docs: IntArray = np.zeros(4, dtype=np.int64)
        self.weights: FloatArray = np.zeros(4, dtype=np.float64)
        self.size = 0

    def append(self, doc: int, weight: float) -> None:
        self.docs = _room(self.docs, self.size + 1)
        self.weights = _room(self.weights, self.size + 1)
        self.docs[self.size], self.weights[self.size] = doc, weight
        self.size += 1


class _Clusters:
    """Clusters as sums of member vectors. A centroid is the sum over its size, so the cosine
    with a centroid is the cosine with the sum, and the sum's dot product with a document is
    the total of the document's dot products with the members (from an inverted index)."""

    def __init__(self) -> None:
        self.postings: dict[str, _Posting] = {}
        self.cluster_of: IntArray = np.zeros(64, dtype=np.int64)  # per document
        self.norm2: FloatArray = np.zeros(64, dtype=np.float64)  # |sum|^2 per cluster
        self.docs = self.count = 0

    def dots(self, vector: Vector) -> FloatArray:
        """Dot product of ``vector`` with every cluster's sum (0 where no term is shared)."""
        docs, weights = [], []
        for term, weight in vector.items():
            posting = self.postings.get(term)
            if posting is not None:
                docs.append(posting.docs[: posting.size])
                weights.append(posting.weights[: posting.size] * weight)
        if not docs:
            return np.zeros(self.count, dtype=np.float64)
        clusters = self.cluster_of[np.concatenate(docs)]
        sums = np.bincount(clusters, weights=np.concatenate(weights), minlength=self.count)
        return sums.astype(np.float64, copy=False)

    def nearest(self, vector: Vector) -> tuple[int, float, float]:
        """(cluster, cosine, dot) of the most similar centroid, lowest cluster on ties;
        (-1, 0.0, 0.0) when no cluster shares a term (weights are all positive)."""
        dots = self.dots(vector)
        shared = np.flatnonzero(dots > 0)
        if not shared.size:
            return -1, 0.0, 0.0
        cosines = dots[shared] / np.sqrt(self.norm2[shared])
        top = int(np.argmax(cosines))  # the first maximum: shared is in ascending order
        return int(shared[top]), float(cosines[top]), float(dots[shared[top]])

    def add(self, vector: Vector, cluster: int, dot: float) -> int:
        """File ``vector`` under ``cluster`` (-1: a new one), ``dot`` being its dot product
        with that cluster's sum; return the cluster."""
        if cluster < 0:
            cluster, self.count = self.count, self.count + 1
            self.norm2 = _room(self.norm2, self.count)
        self.norm2[cluster] += 2 * dot + sum(w * w for w in vector.values())
        for term, weight in vector.items():
            self.postings.setdefault(term, _Posting()).append(self.docs, weight)
        self.cluster_of = _room(self.cluster_of, self.docs + 1)
        self.cluster_of[self.docs] = cluster
        self.docs += 1
        return cluster


def _vectors(docs: Sequence[Doc]) -> list[tuple[str, Vector]]:
    """(id, TF-IDF vector) in time order, IDF taken from the documents before and this one."""
    if len({d.id for d in docs}) != len(docs):
        raise ValueError("document ids are not unique")
    tfidf = _IncrementalTfidf()
    return [(doc.id, tfidf.add(tokens(f"{doc.title}\n{doc.text}"))) for doc in time_order(docs)]


def _single_pass(vectors: list[tuple[str, Vector]], threshold: float) -> dict[str, str]:
    clusters = _Clusters()
    labels: dict[str, str] = {}
    for item, vector in vectors:
        best, cosine, dot = clusters.nearest(vector)
        if best < 0 or cosine < threshold:
            best, dot = -1, 0.0
        labels[item] = f"c{clusters.add(vector, best, dot)}"
    return labels


def tfidf_single_pass(docs: Sequence[Doc], threshold: float) -> dict[str, str]:
    """TDT single-pass clustering: each document, in time order, joins the cluster whose
    centroid (mean of member TF-IDF vectors) is most cosine-similar if that is >= threshold
    (lowest cluster on ties), else opens a new cluster. Only clusters sharing a term are
    candidates; a document with no tokens is alone. Labels: ``c0``, ``c1``... by creation."""
    return _single_pass(_vectors(docs), threshold)


DEFAULT_GRID: tuple[float, ...] = tuple(round(0.05 * k, 2) for k in range(1, 13))


def best_threshold(docs: Sequence[Doc], gold: dict[str, str],
                   grid: Sequence[float] = DEFAULT_GRID) -> tuple[float, dict[str, float]]:
    """(threshold, scores) of the grid's best single-pass run by B-cubed F1 (first wins ties).

    An oracle: the threshold is tuned on the gold labels it is scored against, so the
    result is generous to the baseline.
    """
    if not grid:
        raise ValueError("empty threshold grid")
    vectors = _vectors(docs)  # the same for every threshold
    best: tuple[float, dict[str, float]] | None = None
    for threshold in grid:
        result = scores(gold, _single_pass(vectors, threshold))
        if best is None or result["bcubed_f1"] > best[1]["bcubed_f1"]:
            best = (threshold, result)
    assert best is not None
    return best


# --- HDBSCAN over document vectors ---------------------------------------------------------


def hdbscan_docs(vectors: npt.NDArray[Any], ids: Sequence[str],
                 min_cluster_size: int = 2) -> dict[str, str]:
    """HDBSCAN (scikit-learn, euclidean) over unit vectors: on the unit sphere euclidean
    distance orders pairs as cosine does. Noise points become singletons. Labels are
    ``h<k>`` for clusters and ``n:<id>`` for noise."""
    from sklearn.cluster import HDBSCAN  # type: ignore[import-untyped,import-not-found,unused-ignore]

    matrix = np.asarray(vectors, dtype=np.float64)
    if matrix.ndim != 2 or matrix.shape[0] != len(ids):
        raise ValueError(f"vectors of shape {matrix.shape} do not match {len(ids)} ids")
    if len(ids) < max(2, min_cluster_size):
        return {item: f"n:{item}" for item in ids}
    model = HDBSCAN(min_cluster_size=min_cluster_size, metric="euclidean", copy=True)
    found = model.fit_predict(matrix)
    return {item: f"h{int(k)}" if k >= 0 else f"n:{item}"
            for item, k in zip(ids, found, strict=True)}
