"""Sentence-boundary precision, recall and F1 of ``text.tokenize.sentence_spans`` on the
project's own gold set (tests/data/sentences.jsonl, written for khabar), overall and per
tag. A boundary is the end offset of a sentence that is not the paragraph's last.
Run: ``python bench/sentences.py [-v]`` (-v prints each wrong paragraph).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from khabar.text.tokenize import sentence_spans

GOLD = Path(__file__).resolve().parents[1] / "tests/data/sentences.jsonl"


def boundaries(sentences: list[str]) -> set[int]:
    ends, position = set(), 0
    for sentence in sentences[:-1]:
        position += len(sentence)
        ends.add(position)
        position += 1
    return ends


def evaluate(verbose: bool = False) -> dict[str, tuple[float, float, float, int]]:
    counts: Counter[str] = Counter()
    for line in GOLD.read_text("utf-8").splitlines():
        item = json.loads(line)
        text = " ".join(item["sentences"])
        gold = boundaries(item["sentences"])
        found = {end for _, end in sentence_spans(text)[:-1]}
        for tag in ["all", *item["tags"]]:
            counts[f"{tag}:tp"] += len(gold & found)
            counts[f"{tag}:fp"] += len(found - gold)
            counts[f"{tag}:fn"] += len(gold - found)
            counts[f"{tag}:n"] += 1
        if verbose and gold != found:
            print(f"{item['id']} {item['tags']}")
            for start, end in sentence_spans(text):
                print(f"   | {text[start:end]}")
    result = {}
    for tag in sorted({key.split(":")[0] for key in counts}, key=lambda t: (t != "all", t)):
        tp, fp, fn = (counts[f"{tag}:{k}"] for k in ("tp", "fp", "fn"))
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result[tag] = (precision, recall, f1, counts[f"{tag}:n"])
    return result


def main() -> None:
    for tag, (precision, recall, f1, n) in evaluate("-v" in sys.argv).items():
        print(f"{tag:22} P {precision:.3f} R {recall:.3f} F1 {f1:.3f}  ({n} paragraphs)")


if __name__ == "__main__":
    main()
