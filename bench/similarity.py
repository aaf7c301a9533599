"""How well plain sentence-vector similarity tells the same happening from a different one —
the starting point of event clustering (issue 8), measured before any other evidence.

1. ANS stance pairs (../shared/evaldata/ans-stance, all splits): ROC AUC of headline cosine
   for "agree" (same fact, reworded) against "disagree" (same words, different fact) and
   "other" pairs.
2. The seeds: whole-document cosine against the best-matching sentence pair for 000~001
   (the same phone call, two outlets) and 001~002 (the same two presidents, another call
   three years later).

Run: ``python bench/similarity.py`` (needs ../shared).
"""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from khabar.embed.vectors import best_match, embed  # noqa: E402
from khabar.text.tokenize import sentence_spans  # noqa: E402

SHARED = ROOT.parent / "shared"
ANS = SHARED / "evaldata/ans-stance"
SEEDS = SHARED / "seeds"


def roc_auc(positives: list[float], negatives: list[float]) -> float:
    """Probability that a random positive scores above a random negative (ties half)."""
    pos, neg = np.asarray(positives), np.asarray(negatives)
    greater = (pos[:, None] > neg[None, :]).sum()
    ties = (pos[:, None] == neg[None, :]).sum()
    return float((greater + 0.5 * ties) / (len(pos) * len(neg)))


def ans() -> None:
    rows = [row for split in ("train", "dev", "test")
            for row in csv.DictReader((ANS / f"{split}.csv").open(encoding="utf-8"))]
    started = time.perf_counter()
    a = embed([r["s1"] for r in rows])
    b = embed([r["s2"] for r in rows])
    seconds = time.perf_counter() - started
    cosine = (a * b).sum(axis=1)
    by = {kind: [float(c) for c, r in zip(cosine, rows, strict=True) if r["stance"] == kind]
          for kind in ("agree", "disagree", "other")}
    print(f"1. ANS, {len(rows):,} headline pairs ({2 * len(rows) / seconds:,.0f} headlines/s):")
    print(f"   agree vs disagree ROC AUC {roc_auc(by['agree'], by['disagree']):.3f}; "
          f"agree vs other {roc_auc(by['agree'], by['other']):.3f}; mean cosine agree "
          f"{np.mean(by['agree']):.3f}, disagree {np.mean(by['disagree']):.3f}, "
          f"other {np.mean(by['other']):.3f}")


def seeds() -> None:
    texts = {p.name[:3]: p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))}
    body = {k: "\n".join(t.splitlines()[1:]) for k, t in texts.items()}
    docs = {k: embed([v])[0] for k, v in body.items()}
    sentences = {k: embed([v[s:e] for s, e in sentence_spans(v) if e - s > 20])
                 for k, v in body.items()}
    print("2. seeds: pair, whole-document cosine, best-matching sentence pair, mean of top 3")
    for x, y in (("000", "001"), ("001", "002"), ("000", "002"), ("003", "004")):
        print(f"   {x}~{y}  {float(docs[x] @ docs[y]):.3f}  "
              f"{best_match(sentences[x], sentences[y]):.3f}  "
              f"{best_match(sentences[x], sentences[y], top=3):.3f}")


def main() -> None:
    if not ANS.is_dir():
        sys.exit("needs ../shared/evaldata")
    ans()
    seeds()


if __name__ == "__main__":
    main()
