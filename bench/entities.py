"""Entity clusters on the demo corpus against its gold entities (demo/truth.json).

Gold mentions are the occurrences, in each stored article's text, of the variants of the
gold entities that article lists (longest variant first, with or without a proclitic).
Each gold mention is paired with the system mention that overlaps it; B-cubed precision
and recall are computed over the paired mentions (system entity id against gold entity
id), and mention recall says how many gold mentions were paired at all.

Run: ``python bench/entities.py [-v]`` (-v lists split and merged entities).
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from khabar.engine import Engine  # noqa: E402
from khabar.settings import Settings  # noqa: E402
from tests.conftest import DEMO, demo_key, demo_truth  # noqa: E402


def gold_mentions(text: str, entities: list[dict[str, Any]]) -> list[tuple[int, int, str]]:
    variants = sorted(((v, e["id"]) for e in entities for v in e["variants"]),
                      key=lambda x: -len(x[0]))
    taken: list[tuple[int, int, str]] = []
    for variant, ident in variants:
        pattern = r"(?<!\w)(?:[وفبلك]|ال|لل|وال|بال)?" + re.escape(variant) + r"(?!\w)"
        for hit in re.finditer(pattern, text):
            if all(hit.end() <= s or hit.start() >= e for s, e, _ in taken):
                taken.append((hit.start(), hit.end(), ident))
    return sorted(taken)


def bcubed(pairs: list[tuple[str, str]]) -> tuple[float, float]:
    """B-cubed (precision, recall) of (system, gold) labels, one pair per item."""
    if not pairs:
        return 0.0, 0.0
    both = Counter(pairs)
    system = Counter(s for s, _ in pairs)
    gold = Counter(g for _, g in pairs)
    precision = sum(both[(s, g)] / system[s] for s, g in pairs) / len(pairs)
    recall = sum(both[(s, g)] / gold[g] for s, g in pairs) / len(pairs)
    return precision, recall


def evaluate(engine: Engine, verbose: bool = False) -> dict[str, float]:
    truth = demo_truth()
    entities = {e["id"]: e for e in truth["entities"]}
    by_key = {(a["file"], a["record"]): a for a in truth["articles"]}
    pairs: list[tuple[str, str]] = []
    texts: dict[tuple[str, str], set[str]] = defaultdict(set)
    missed: Counter[str] = Counter()
    total = 0
    for article in engine.articles():
        gold = by_key.get(demo_key(article.origin))
        if gold is None or not gold.get("entities"):
            continue
        expected = gold_mentions(article.text, [entities[i] for i in gold["entities"]])
        found = engine.article_view(article.id)["entities"]
        total += len(expected)
        for start, end, ident in expected:
            overlapping = [m for m in found if m["start"] < end and start < m["end"]
                           and m["type"] == entities[ident]["type"]]
            if overlapping:
                hit = max(overlapping, key=lambda m: min(end, m["end"]) - max(start, m["start"]))
                pairs.append((hit["entity_id"], ident))
                if verbose:
                    texts[(hit["entity_id"], ident)].add(hit["text"])
            elif verbose:
                missed[ident] += 1
    precision, recall = bcubed(pairs)
    if verbose:
        _explain(pairs, entities, texts)
        print("missed:", ", ".join(f"{entities[i]['name']} ({entities[i]['type']}) ×{n}"
                                   for i, n in missed.most_common()))
    return {"precision": precision, "recall": recall,
            "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
            "mention_recall": len(pairs) / total if total else 0.0, "gold_mentions": total}


def _explain(pairs: list[tuple[str, str]], entities: dict[str, dict[str, Any]],
             texts: dict[tuple[str, str], set[str]]) -> None:
    systems: dict[str, set[str]] = defaultdict(set)
    golds: dict[str, set[str]] = defaultdict(set)
    for s, g in pairs:
        systems[g].add(s)
        golds[s].add(g)
    for g, s in sorted(systems.items()):
        if len(s) > 1:
            print(f"split  {g} {entities[g]['name']}: "
                  + "; ".join(f"{i} {sorted(texts[(i, g)])}" for i in sorted(s)))
    for s, g in sorted(golds.items()):
        if len(g) > 1:
            print(f"merged {s}: {[entities[x]['name'] for x in sorted(g)]}")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        with Engine(Path(tmp) / "demo.db", Settings.load(environ={})) as engine:
            engine.ingest([DEMO / "corpus"], meta=DEMO / "corpus/meta.jsonl")
            seconds = time.perf_counter() - started
            figures = evaluate(engine, "-v" in sys.argv)
    print(f"demo corpus entity clusters: B-cubed P {figures['precision']:.3f}  "
          f"R {figures['recall']:.3f}  F1 {figures['f1']:.3f}  |  mention recall "
          f"{figures['mention_recall']:.3f} of {figures['gold_mentions']} gold mentions  |  "
          f"ingest with all stages {seconds:.1f}s")


if __name__ == "__main__":
    main()
