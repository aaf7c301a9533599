"""Tagging with khabar's CRF without building feature strings for every token (the adapter
for python-crfsuite, which trains the model and whose model file this reads).

A linear-chain CRF scores a token's labels by adding the weights of its features. All of a
token's features but the gazetteer ones depend on one word only (its own word,
or a neighbour's at a fixed offset), so each distinct word's weight rows are summed once
and cached: a sentence's label scores are a few array additions, and Viterbi decoding runs
over all sentences of an article at once. The result is the same labelling pycrfsuite's
tagger gives for the features of :meth:`Featurizer.sentence` (tested).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from khabar.extract.features import WINDOW, Featurizer

Array = np.ndarray[Any, np.dtype[np.floating[Any]]]
OFFSETS = [d for d in range(-WINDOW, WINDOW + 1) if d]
GAZ_TAGS = ["O"] + [f"{p}-{t}" for p in "BIA" for t in ("PER", "LOC", "ORG", "MISC")]
_GAZ_INDEX = {tag: i for i, tag in enumerate(GAZ_TAGS)}
_CACHE_LIMIT = 150_000


class LinearCRF:
    def __init__(self, path: Path, featurizer: Featurizer) -> None:
        import pycrfsuite

        tagger = pycrfsuite.Tagger()
        tagger.open(str(path))
        info = tagger.info()
        self.labels: list[str] = list(tagger.labels())
        index = {label: i for i, label in enumerate(self.labels)}
        size = len(self.labels)
        self.transitions = np.zeros((size, size))
        for (a, b), weight in info.transitions.items():
            self.transitions[index[a], index[b]] = weight
        # One row of label weights per attribute; row 0 is all zeros (unknown attributes).
        self.attribute_row: dict[str, int] = {}
        rows: list[Array] = [np.zeros(size)]
        for (attribute, label), weight in info.state_features.items():
            row = self.attribute_row.setdefault(attribute, len(rows))
            if row == len(rows):
                rows.append(np.zeros(size))
            rows[row][index[label]] = weight
        self.weights = np.stack(rows)
        self.featurizer = featurizer
        self.zero = np.zeros(size)
        self.gazetteer = {d: np.stack([self.weight([f"{d or ''}g={g}"]) for g in GAZ_TAGS])
                          for d in [0, *OFFSETS]}
        self.edges = {d: self.weight([f"{d}edge"]) for d in OFFSETS}
        # Weight blocks of the words seen, as rows of one growing array (see _rows).
        self._row_of: dict[str, int] = {}
        self._blocks = np.zeros((1024, 1 + len(OFFSETS), size), dtype=np.float32)

    def weight(self, features: list[str]) -> Array:
        """Summed label weights of these attributes (unknown ones weigh nothing)."""
        get = self.attribute_row.get
        rows = [get(feature, 0) for feature in features]
        return self.weights[rows].sum(axis=0) if rows else self.zero.copy()

    def _rows(self, words: list[str]) -> list[int]:
        """Row of each word's weight block: row 0 its own features, row k what it adds to
        the token at ``-OFFSETS[k - 1]`` from it (computed once per distinct word)."""
        if len(self._row_of) + len(words) > _CACHE_LIMIT:
            self._row_of.clear()
        rows = []
        for word in words:
            row = self._row_of.get(word)
            if row is None:
                row = len(self._row_of)
                if row >= len(self._blocks):
                    grown = np.zeros((2 * len(self._blocks), *self._blocks.shape[1:]),
                                     dtype=np.float32)
                    grown[:row] = self._blocks[:row]
                    self._blocks = grown
                core = self.featurizer.core(word)
                get = self.attribute_row.get
                groups = [[get(f, 0) for f in self.featurizer.own(word)]] + [
                    [get(f"{d}{v}", 0) for v in core] for d in OFFSETS]
                flat = [i for group in groups for i in group]
                starts = np.cumsum([0] + [len(g) for g in groups[:-1]])
                self._blocks[row] = np.add.reduceat(self.weights[flat], starts, axis=0)
                self._row_of[word] = row
            rows.append(row)
        return rows

    def scores(self, words: list[str], gazetteer: list[str]) -> Array:
        """(tokens × labels) state scores of one sentence."""
        n = len(words)
        rows = self._rows(words)
        blocks = self._blocks[rows]
        out = blocks[:, 0].copy()
        gaz = np.array([_GAZ_INDEX[g] for g in gazetteer])
        out += self.gazetteer[0][gaz]
        for k, d in enumerate(OFFSETS, 1):
            # token i sees word i + d at offset d
            if d < 0:
                out[-d:] += blocks[:n + d, k] + self.gazetteer[d][gaz[:n + d]]
                out[:min(-d, n)] += self.edges[d]
            else:
                out[:n - d] += blocks[d:, k] + self.gazetteer[d][gaz[d:]]
                out[max(n - d, 0):] += self.edges[d]
        return out

    def decode(self, sentences: list[Array]) -> list[list[str]]:
        """Viterbi labels of several sentences at once (padded to the longest)."""
        if not sentences:
            return []
        lengths = [len(s) for s in sentences]
        longest, size = max(lengths), len(self.labels)
        scores = np.zeros((len(sentences), longest, size))
        for row, s in enumerate(sentences):
            scores[row, :len(s)] = s
        back = np.zeros((len(sentences), longest, size), dtype=np.int64)
        delta = scores[:, 0].copy()
        best: list[Array] = [delta]
        for t in range(1, longest):
            candidates = delta[:, :, None] + self.transitions[None]
            back[:, t] = candidates.argmax(axis=1)
            delta = candidates.max(axis=1) + scores[:, t]
            best.append(delta)
        out: list[list[str]] = []
        for row, n in enumerate(lengths):
            if n == 0:
                out.append([])
                continue
            label = int(best[n - 1][row].argmax())
            path = [label]
            for t in range(n - 1, 0, -1):
                label = int(back[row, t, label])
                path.append(label)
            out.append([self.labels[i] for i in reversed(path)])
        return out
