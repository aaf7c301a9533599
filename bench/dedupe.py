"""Near-duplicate detection on the SaudiNewsNet stream: khabar's fingerprint + LSH next to
datasketch's MinHash + MinHashLSH, with the same shingles, signature size and threshold, in
the same run (khabar uses one-permutation hashing; datasketch one hash per permutation).

Prints articles/s of each (and the ratio), khabar on one and on two processes, the groups
each finds and how far they agree (khabar links each article to its best earlier copy;
datasketch lists every candidate over its threshold), 30 random khabar pairs for a
precision spot-check, and
how many ANS-stance headline pairs the detector flags (paraphrases are NOT copies: they are
for the event stage; contradicting pairs must not be flagged either).

Needs ../shared (research-only data; nothing from it is kept) and ``pip install datasketch``
(``pip install -e .[bench]``). Run: ``python bench/dedupe.py [--sample N]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import time
import zipfile
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from khabar.dedupe.fingerprint import (
    BAND_ROWS,
    PERMUTATIONS,
    Fingerprint,
    fingerprint,
    jaccard,
    shingles,
)
from khabar.dedupe.linker import MAX_CANDIDATES, Thresholds, best_match, compare
from khabar.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared/evaldata"
SHINGLE = 4


def stream(limit: int | None) -> Iterator[tuple[str, str, str]]:
    """(url, title, content) of the non-empty SaudiNewsNet articles."""
    count = 0
    for path in sorted((EVAL / "saudinewsnet-unlabeled/dataset").glob("*.zip")):
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                for item in json.loads(archive.read(name)):
                    if (item.get("content") or "").strip():
                        yield item["url"], item.get("title") or "", item["content"]
                        count += 1
                        if limit and count >= limit:
                            return


def _fingerprints(texts: list[str]) -> list[Fingerprint]:
    return [fingerprint(text, None, SHINGLE) for text in texts]


class Index:
    """khabar's LSH, in memory: band keys to article numbers, candidates verified at once
    against a growing matrix of signatures (what the linker does against SQLite)."""

    def __init__(self, limits: Thresholds) -> None:
        self.buckets: dict[int, list[int]] = {}
        self.signatures = np.zeros((1024, PERMUTATIONS), dtype=np.uint32)
        self.shingles = np.zeros(1024, dtype=np.int64)
        self.bodies: list[str] = []
        self.limits = limits

    def add(self, fp: Fingerprint) -> list[tuple[int, float]]:
        me = len(self.bodies)
        keys = fp.keys
        shared = Counter(other for key in keys for other in self.buckets.get(key, ()))
        candidates = sorted(c for c, _ in shared.most_common(MAX_CANDIDATES))
        matches = []
        if candidates:
            rows = np.array(candidates)
            found = best_match(fp, self.signatures[rows], self.shingles[rows],
                               np.array([self.bodies[c] == fp.body_hash for c in candidates]),
                               np.zeros(len(rows), dtype=bool), np.full(len(rows), np.nan),
                               self.limits)
            if found is not None:
                matches.append((candidates[found[0]], found[2]))
        if me == len(self.shingles):
            self.signatures = np.vstack([self.signatures, np.zeros_like(self.signatures)])
            self.shingles = np.concatenate([self.shingles, np.zeros_like(self.shingles)])
        self.signatures[me], self.shingles[me] = fp.signature, fp.shingles
        self.bodies.append(fp.body_hash)
        if not matches:  # as the linker: only originals are indexed
            for key in keys:
                self.buckets.setdefault(key, []).append(me)
        return matches


def run_khabar(texts: list[str], workers: int, limits: Thresholds
               ) -> tuple[float, list[tuple[int, int, float]]]:
    start = time.perf_counter()
    if workers > 1:
        chunks = [texts[i:i + 500] for i in range(0, len(texts), 500)]
        with ProcessPoolExecutor(workers) as pool:
            prints = [fp for part in pool.map(_fingerprints, chunks) for fp in part]
    else:
        prints = _fingerprints(texts)
    index = Index(limits)
    pairs = [(number, other, similarity) for number, fp in enumerate(prints)
             for other, similarity in index.add(fp)]
    return time.perf_counter() - start, pairs


def run_datasketch(texts: list[str], threshold: float) -> tuple[float, list[tuple[int, int]]]:
    from datasketch import MinHash, MinHashLSH

    start = time.perf_counter()
    lsh = MinHashLSH(threshold=threshold, num_perm=PERMUTATIONS)
    pairs = []
    for number, text in enumerate(texts):
        hashes = shingles(text, SHINGLE)
        minhash = MinHash(num_perm=PERMUTATIONS, seed=1)
        minhash.update_batch([int(h).to_bytes(8, "little") for h in hashes])
        pairs.extend((number, int(other)) for other in lsh.query(minhash))
        lsh.insert(str(number), minhash)
    return time.perf_counter() - start, pairs


def groups(count: int, pairs: list[tuple[int, int]]) -> list[set[int]]:
    parent = list(range(count))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        parent[find(a)] = find(b)
    members: dict[int, set[int]] = {}
    for x in range(count):
        members.setdefault(find(x), set()).add(x)
    return [m for m in members.values() if len(m) > 1]


def stance(limits: Thresholds) -> None:
    counts: dict[str, list[int]] = {}
    for split in ("train", "dev", "test"):
        with (EVAL / f"ans-stance/{split}.csv").open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                a, b = (fingerprint(row[k], None, SHINGLE) for k in ("s1", "s2"))
                flagged = compare(a, b, limits) is not None
                counts.setdefault(row["stance"], [0, 0])[flagged] += 1
    for label, (kept, flagged) in sorted(counts.items()):
        print(f"  ANS {label:9} pairs: {flagged:4} of {kept + flagged:5} flagged as copies "
              f"({flagged / (kept + flagged):.1%})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=None, help="only the first N articles")
    args = parser.parse_args()
    if not EVAL.is_dir():
        raise SystemExit("needs ../shared/evaldata beside the checkout")
    limits = Thresholds.from_settings(Settings.load(environ={}))
    items = list(stream(args.sample))
    texts = [content for _, _, content in items]
    print(f"SaudiNewsNet: {len(texts):,} non-empty articles; {SHINGLE}-word shingles, "
          f"{PERMUTATIONS} permutations, {PERMUTATIONS // BAND_ROWS} bands × {BAND_ROWS} rows, "
          f"near threshold {limits.near}, containment {limits.contained}")
    one_s, one_pairs = run_khabar(texts, 1, limits)
    two_s, _ = run_khabar(texts, 2, limits)
    ds_s, ds_pairs = run_datasketch(texts, limits.near)
    n = len(texts)
    print(f"  datasketch MinHashLSH, 1 process: {n / ds_s:8,.0f} articles/s ({ds_s:.1f} s)")
    print(f"  khabar, 1 process:                {n / one_s:8,.0f} articles/s ({one_s:.1f} s), "
          f"{ds_s / one_s:.2f}× datasketch")
    print(f"  khabar, 2 processes:              {n / two_s:8,.0f} articles/s ({two_s:.1f} s), "
          f"{ds_s / two_s:.2f}× datasketch")
    ours = groups(n, [(a, b) for a, b, _ in one_pairs])
    theirs = groups(n, ds_pairs)
    ours_pairs = {tuple(sorted((a, b))) for a, b, _ in one_pairs}
    # datasketch only reports LSH candidates; keep those whose estimate passes too
    theirs_pairs = {tuple(sorted(p)) for p in ds_pairs}
    print(f"  groups: khabar {len(ours):,} ({sum(map(len, ours)):,} articles, "
          f"{len(ours_pairs):,} linked pairs); datasketch {len(theirs):,} "
          f"({sum(map(len, theirs)):,} articles, {len(theirs_pairs):,} candidate pairs)")
    both = len(ours_pairs & theirs_pairs)
    print(f"  pairs found by both: {both:,}; khabar only: {len(ours_pairs - theirs_pairs):,}; "
          f"datasketch only: {len(theirs_pairs - ours_pairs):,} (its candidates include pairs "
          "under the threshold, and it has no containment test)")
    print("  30 random khabar pairs (similarity, titles) for a precision spot-check:")
    random.seed(20261123)
    for a, b, similarity in random.sample(one_pairs, min(30, len(one_pairs))):
        estimate = jaccard(np.asarray(_fingerprints([texts[a]])[0].signature),
                           _fingerprints([texts[b]])[0].signature)
        print(f"    {similarity:.2f} (J {estimate:.2f}) {items[a][1][:50]} || {items[b][1][:50]}")
    stance(limits)


if __name__ == "__main__":
    main()
