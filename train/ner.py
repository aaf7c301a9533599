"""Train khabar's NER model (a CRF over khabar.extract.features) and score it.

    python train/ner.py                 # the shipped model: filtered NewsFANE + Wojood
    python train/ner.py --comparison    # comparison model on ANERcorp train (not shipped)
    python train/ner.py --dev           # train without the NewsFANE held-out part, score it

The shipped model is written to src/khabar/data/ner.crfsuite. It learns from NewsFANE
(CC BY-SA 3.0) and Wojood's sample (MIT), so it ships under CC BY-SA 3.0 with the
attribution in src/khabar/data/NER-MODEL-LICENSE.md. Nothing here reads the ANERcorp test
split except to drop overlapping NewsFANE segments and, in --score, to report figures.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pycrfsuite  # noqa: E402

from khabar.extract.entities import Tagger  # noqa: E402
from khabar.extract.features import Featurizer  # noqa: E402
from khabar.extract.lexicon import Lexicon  # noqa: E402
from train import ner_data  # noqa: E402

MODEL = ROOT / "src/khabar/data/ner.crfsuite"
DOCUMENT = 20  # sentences per pseudo-article when scoring
PARAMS = {"c1": 0.15, "c2": 0.01, "max_iterations": 200,
          "feature.possible_transitions": True, "feature.minfreq": 1}


def spans(tags: list[str]) -> set[tuple[int, int, str]]:
    return set(ner_data._spans(tags))


def score(gold: list[list[str]], predicted: list[list[str]]) -> dict[str, tuple[float, ...]]:
    """Exact-span micro P/R/F1 overall and per type (conlleval rules)."""
    tp: Counter[str] = Counter()
    n_gold: Counter[str] = Counter()
    n_pred: Counter[str] = Counter()
    for g, p in zip(gold, predicted, strict=True):
        gs, ps = spans(g), spans(p)
        for _, _, k in gs:
            n_gold[k] += 1
        for _, _, k in ps:
            n_pred[k] += 1
        for _, _, k in gs & ps:
            tp[k] += 1
    out = {}
    for kind in [*sorted(n_gold | n_pred), "ALL"]:
        t = sum(tp.values()) if kind == "ALL" else tp[kind]
        g = sum(n_gold.values()) if kind == "ALL" else n_gold[kind]
        p = sum(n_pred.values()) if kind == "ALL" else n_pred[kind]
        precision = t / p if p else 0.0
        recall = t / g if g else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[kind] = (precision, recall, f1, g)
    return out


def train(sentences: list[ner_data.Sentence], path: Path, featurizer: Featurizer) -> None:
    trainer = pycrfsuite.Trainer(verbose=False)
    for tokens, tags in sentences:
        trainer.append(featurizer.sentence(tokens), tags)
    trainer.set_params(PARAMS)
    trainer.train(str(path))


def tag_all(path: Path, sentences: list[ner_data.Sentence], featurizer: Featurizer,
            document: int = DOCUMENT) -> tuple[list[list[str]], float]:
    """Tags of every sentence, tagged as khabar tags articles: runs of ``document``
    consecutive sentences stand for one article (these sets keep no article breaks)."""
    tagger = Tagger(featurizer, path)
    started = time.perf_counter()
    out: list[list[str]] = []
    for i in range(0, len(sentences), document):
        out.extend(tagger.tag_document([tokens for tokens, _ in sentences[i:i + document]]))
    return out, len(sentences) / (time.perf_counter() - started)


def report(name: str, figures: dict[str, tuple[float, ...]], rate: float) -> None:
    p, r, f, n = figures["ALL"]
    per_type = "  ".join(f"{k} {v[2]:.3f}" for k, v in figures.items() if k != "ALL")
    print(f"{name:<34} P {p:.3f}  R {r:.3f}  F1 {f:.3f}  ({n} gold)  |  {per_type}"
          f"  |  {rate:,.0f} sentences/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--comparison", action="store_true",
                        help="train on ANERcorp train instead (figures only, not shipped)")
    parser.add_argument("--dev", action="store_true",
                        help="hold out every 10th NewsFANE sentence and score on it")
    parser.add_argument("--out", type=Path, help="model path (default: the shipped one)")
    parser.add_argument("--no-gazetteer", action="store_true", help="ablation: no name lists")
    parser.add_argument("--c1", type=float, default=PARAMS["c1"], help="L1 penalty")
    parser.add_argument("--c2", type=float, default=PARAMS["c2"], help="L2 penalty")
    args = parser.parse_args()
    PARAMS.update(c1=args.c1, c2=args.c2)
    featurizer = Featurizer(Lexicon([]) if args.no_gazetteer else None)
    fane, dropped = ner_data.newsfane()
    fane_train, fane_held = ner_data.split_heldout(fane)
    print(f"NewsFANE: {len(fane)} segments kept, {dropped} dropped as overlapping the "
          f"ANERcorp test split ({sum(len(t) for t, _ in fane):,} tokens kept)")
    if args.comparison:
        data = ner_data.anercorp(ner_data.ANER_TRAIN)
        out = args.out or Path("/tmp/khabar-ner-anercorp.crfsuite")
    else:
        data = (fane_train if args.dev else fane) + ner_data.wojood("train") + \
            ner_data.wojood("val")
        out = args.out or (Path("/tmp/khabar-ner-dev.crfsuite") if args.dev else MODEL)
    started = time.perf_counter()
    train(data, out, featurizer)
    print(f"trained on {len(data):,} sentences in {time.perf_counter() - started:.0f}s "
          f"-> {out} ({out.stat().st_size / 1e6:.1f} MB)")
    sets = {"Wojood sample test": ner_data.wojood("test")}
    if args.dev:  # (ANERcorp train holds the same text as NewsFANE: no held-out for it)
        sets["NewsFANE held-out blocks"] = fane_held
    if not args.dev:  # choices are made on the held-out part, never on the test split
        sets["ANERcorp test (CAMeL split)"] = ner_data.anercorp(ner_data.ANER_TEST)
    for name, sentences in sets.items():
        predicted, rate = tag_all(out, sentences, featurizer)
        report(name, score([t for _, t in sentences], predicted), rate)


if __name__ == "__main__":
    main()
