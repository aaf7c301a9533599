"""Named-entity recognition: quality on gold data and speed of the entities stage.

1. The shipped model (src/khabar/data/ner.crfsuite) on the ANERcorp test split (CAMeL
   Lab) and on Wojood's sample test split: exact-span micro P/R/F1 and F1 per type
   (conlleval rules), and sentences/s.
2. ``--heldout``: a model trained as the shipped one but without the held-out NewsFANE
   blocks (every 10th run of 40 segments), scored on those blocks.
3. ``--comparison``: the comparison model trained on ANERcorp's train split (not shipped:
   the corpus has no licence to redistribute a model), scored on its test split.
4. The ``entities.v1`` stage (tagger + gazetteer + alias grouping) on cleaned SaudiNewsNet
   articles (research-only data, read for timing only): articles/s in one process and
   with a pool of 2, next to a baseline measured in the same run (sentence splitting and
   tokenising the same articles, the least any tagger must do), and the RSS the stage adds.

Run: ``python bench/ner.py [--heldout] [--comparison] [--articles N]``. Needs ../shared.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from train import ner as trainer  # noqa: E402
from train import ner_data  # noqa: E402

from bench.ingest import DATASET  # noqa: E402
from khabar.clean.convert import Cleaner  # noqa: E402
from khabar.extract.entities import MODEL_FILE, EntityStage  # noqa: E402
from khabar.extract.features import TOKEN_RE, Featurizer  # noqa: E402
from khabar.ingest import IngestContext  # noqa: E402
from khabar.ingest.reader import read_paths  # noqa: E402
from khabar.model import Article, RawArticle  # noqa: E402
from khabar.settings import Settings  # noqa: E402
from khabar.text.tokenize import sentence_spans  # noqa: E402

SHIPPED = ROOT / "src/khabar/data" / MODEL_FILE


def quality(args: argparse.Namespace) -> None:
    featurizer = Featurizer()
    sets = {"ANERcorp test (CAMeL split)": ner_data.anercorp(ner_data.ANER_TEST),
            "Wojood sample test": ner_data.wojood("test")}
    for name, sentences in sets.items():
        predicted, rate = trainer.tag_all(SHIPPED, sentences, featurizer)
        trainer.report(f"shipped · {name}", trainer.score([t for _, t in sentences], predicted),
                       rate)
    with tempfile.TemporaryDirectory() as tmp:
        if args.heldout:
            fane, _ = ner_data.newsfane()
            fane_train, held = ner_data.split_heldout(fane)
            data = fane_train + ner_data.wojood("train") + ner_data.wojood("val")
            model = Path(tmp) / "heldout.crfsuite"
            trainer.train(data, model, featurizer)
            predicted, rate = trainer.tag_all(model, held, featurizer)
            trainer.report("NewsFANE held-out blocks", trainer.score([t for _, t in held],
                                                                      predicted), rate)
        if args.comparison:
            model = Path(tmp) / "anercorp.crfsuite"
            trainer.train(ner_data.anercorp(ner_data.ANER_TRAIN), model, featurizer)
            test = sets["ANERcorp test (CAMeL split)"]
            predicted, rate = trainer.tag_all(model, test, featurizer)
            trainer.report("comparison (ANERcorp train) · test",
                           trainer.score([t for _, t in test], predicted), rate)


def cleaned_articles(count: int) -> list[Article]:
    settings = Settings.load(environ={})
    cleaner = Cleaner(settings)
    out: list[Article] = []
    for item in read_paths(sorted(DATASET.glob("*.zip")), IngestContext.from_settings(settings)):
        if isinstance(item, RawArticle):
            try:
                article = cleaner(item)
            except Exception:
                continue
            article.language = "ar"
            out.append(article)
            if len(out) >= count:
                break
    return out


def _baseline(articles: list[Article]) -> int:
    tokens = 0
    for article in articles:
        for start, end in sentence_spans(article.text):
            tokens += sum(1 for _ in TOKEN_RE.finditer(article.text, start, end))
    return tokens


_STAGE: EntityStage | None = None


def _init() -> None:
    global _STAGE
    _STAGE = EntityStage(Settings.load(environ={}))


def _tag(chunk: list[Article]) -> int:
    assert _STAGE is not None
    return sum(len(_STAGE(a).work.pop("entities")["mentions"]) for a in chunk)


def speed(count: int) -> None:
    articles = cleaned_articles(count)
    started = time.perf_counter()
    tokens = _baseline(articles)
    base = len(articles) / (time.perf_counter() - started)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    _init()
    _tag(articles[:20])  # warm the caches of the features once
    rss_loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    mentions = _tag(articles)
    one = len(articles) / (time.perf_counter() - started)
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    chunks = [articles[i:i + 50] for i in range(0, len(articles), 50)]
    started = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(2, initializer=_init) as pool:
        pool.map(_tag, chunks)
    two = len(articles) / (time.perf_counter() - started)
    print(f"entities.v1 on {len(articles)} SaudiNewsNet articles ({tokens:,} tokens, "
          f"{mentions:,} mentions):")
    print(f"  baseline (split sentences + tokenise)  {base:>8,.0f} articles/s  1.00")
    print(f"  entities.v1, 1 process                 {one:>8,.0f} articles/s  {one / base:.3f}")
    print(f"  entities.v1, pool of 2 (incl. start-up) {two:>7,.0f} articles/s  {two / base:.3f}")
    print(f"  RSS added by the stage: {rss_loaded - rss_before:.0f} MB loaded, "
          f"{rss_after - rss_before:.0f} MB after tagging")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--heldout", action="store_true")
    parser.add_argument("--comparison", action="store_true")
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args()
    if not ner_data.ANER_TEST.is_file():
        sys.exit("needs ../shared/evaldata (see README)")
    quality(args)
    speed(args.articles)


if __name__ == "__main__":
    main()
