"""Quotes on khabar's gold set (tests/data/quotes.jsonl, written for khabar): speaker
accuracy and content span F1, exact and by overlap, with articles/s of the stage.

Each gold article goes through the entities stage and the quotes stage. A gold quote is
found when a predicted quote overlaps it (the best overlap is paired); exact F1 counts
identical spans; overlap P/R are the shared characters over predicted and gold characters
of the pairs and of the unpaired quotes. The speaker is right when the predicted speaker's
name is the gold speaker's (after folding; the surname is enough for a person), or, for an
anonymous source, when the prediction is anonymous too.

Run: ``python bench/quotes.py [-v]`` (-v lists the misses).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from khabar.extract.entities import EntityStage  # noqa: E402
from khabar.extract.lexicon import shipped  # noqa: E402
from khabar.extract.names import words_key  # noqa: E402
from khabar.extract.quotes import QuoteStage  # noqa: E402
from khabar.model import Article  # noqa: E402
from khabar.settings import Settings  # noqa: E402

GOLD = ROOT / "tests/data/quotes.jsonl"


def gold_articles() -> list[dict[str, Any]]:
    if not GOLD.is_file():
        return []
    return [json.loads(line) for line in GOLD.read_text("utf-8").splitlines() if line.strip()]


def _same_speaker(gold: dict[str, Any], predicted: dict[str, Any], names: list[str],
                  gazetteer: list[str | None] | None = None) -> bool:
    if gold["speaker"] is None:
        return bool(predicted["anonymous"]) and predicted["speaker"] is None
    if predicted["speaker"] is None:
        return False
    known = gazetteer[predicted["speaker"]] if gazetteer else None
    if known and known in {e.id for e in shipped().lookup(gold["speaker"])}:
        return True  # the same gazetteer entity under another of its names (البنتاغون)
    mine, theirs = words_key(names[predicted["speaker"]]), words_key(gold["speaker"])
    joined_mine, joined_theirs = " ".join(mine), " ".join(theirs)
    return mine == theirs or (bool(mine) and mine[-1:] == theirs[-1:] and len(theirs) > 1) \
        or joined_mine in joined_theirs or joined_theirs in joined_mine


def evaluate(verbose: bool = False) -> dict[str, float]:
    settings = Settings.load(environ={})
    entities, quotes = EntityStage(settings), QuoteStage(settings)
    exact = paired = speaker_right = n_gold = n_pred = 0
    shared = pred_chars = gold_chars = 0
    started = time.perf_counter()
    articles = gold_articles()
    for item in articles:
        text = item["text"]
        article = quotes(entities(Article(id=item["id"], origin=item["id"], text=text,
                                          language="ar")))
        found = article.work["quotes"]
        names = [e["name"] for e in article.work["entities"]["entities"]]
        gazetteer = [e["gazetteer"] for e in article.work["entities"]["entities"]]
        n_pred += len(found)
        pred_chars += sum(q["end"] - q["start"] for q in found)
        for gold in item["quotes"]:
            n_gold += 1
            start = text.find(gold["text"])
            end = start + len(gold["text"])
            gold_chars += end - start
            overlaps = [(min(end, q["end"]) - max(start, q["start"]), q) for q in found
                        if q["start"] < end and start < q["end"]]
            if not overlaps:
                if verbose:
                    print(f"missed   {item['id']}: {gold['text'][:70]}")
                continue
            overlap, best = max(overlaps, key=lambda x: (
                x[0], -abs((x[1]["end"] - x[1]["start"]) - (end - start))))
            paired += 1
            shared += overlap
            exact += (best["start"], best["end"]) == (start, end)
            if _same_speaker(gold, best, names, gazetteer):
                speaker_right += 1
            elif verbose:
                who = names[best["speaker"]] if best["speaker"] is not None else \
                    best["anonymous"] or None
                print(f"speaker  {item['id']}: gold {gold['speaker'] or gold['anonymous']!r}"
                      f" got {who!r}: {gold['text'][:50]}")
    seconds = time.perf_counter() - started

    def f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    precision, recall = (shared / pred_chars if pred_chars else 0.0,
                         shared / gold_chars if gold_chars else 0.0)
    return {"quotes": n_gold, "found": paired / n_gold if n_gold else 0.0,
            "speaker_accuracy": speaker_right / paired if paired else 0.0,
            "exact_f1": f1(exact / n_pred if n_pred else 0.0, exact / n_gold if n_gold else 0.0),
            "overlap_precision": precision, "overlap_recall": recall,
            "overlap_f1": f1(precision, recall),
            "articles_per_second": len(articles) / seconds if seconds else 0.0}


def main() -> None:
    figures = evaluate("-v" in sys.argv)
    if not figures["quotes"]:
        sys.exit("no gold set at tests/data/quotes.jsonl")
    print(f"quotes gold set ({figures['quotes']} quotes): found {figures['found']:.3f}  "
          f"speaker accuracy {figures['speaker_accuracy']:.3f}  |  content exact F1 "
          f"{figures['exact_f1']:.3f}  overlap P {figures['overlap_precision']:.3f} "
          f"R {figures['overlap_recall']:.3f} F1 {figures['overlap_f1']:.3f}  |  "
          f"{figures['articles_per_second']:.0f} articles/s (entities + quotes stages)")


if __name__ == "__main__":
    main()
