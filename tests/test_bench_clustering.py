"""bench/clustering.py: hand-computed metrics, the Arabic tokens, single-pass TF-IDF and
HDBSCAN. Sample sentences are original text written for these tests."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

# bench/ is not installed: put the repo root on the path (works under bare `pytest` too).
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.clustering import (
    DEFAULT_GRID,
    Doc,
    ami,
    bcubed,
    best_threshold,
    hdbscan_docs,
    pairwise,
    scores,
    tfidf_single_pass,
    time_order,
    tokens,
)

GOLD = {"a": "x", "b": "x", "c": "x", "d": "y", "e": "y"}
PRED = {"a": "1", "b": "1", "c": "2", "d": "2", "e": "2"}


def test_bcubed_by_hand() -> None:
    # gold {a,b,c | d,e}, pred {a,b | c,d,e}.
    # Precision per item = |gold ∩ pred| / |pred|: a 2/2, b 2/2, c 1/3, d 2/3, e 2/3
    #   -> (1 + 1 + 1/3 + 2/3 + 2/3) / 5 = (11/3) / 5 = 11/15.
    # Recall per item = |gold ∩ pred| / |gold|: a 2/3, b 2/3, c 1/3, d 2/2, e 2/2
    #   -> (2/3 + 2/3 + 1/3 + 1 + 1) / 5 = 11/15.  F1 = 11/15.
    p, r, f = bcubed(GOLD, PRED)
    assert p == pytest.approx(11 / 15)
    assert r == pytest.approx(11 / 15)
    assert f == pytest.approx(11 / 15)


def test_bcubed_one_big_cluster() -> None:
    # Everything in one predicted cluster of 5: precision a,b,c 3/5, d,e 2/5
    #   -> (9/5 + 4/5) / 5 = 13/25; recall 1; F1 = 2 * 13/25 / (1 + 13/25) = 26/38.
    p, r, f = bcubed(GOLD, dict.fromkeys(GOLD, "all"))
    assert (p, r) == pytest.approx((13 / 25, 1.0))
    assert f == pytest.approx(26 / 38)


def test_perfect_clustering_scores_one() -> None:
    renamed = {item: label.upper() for item, label in GOLD.items()}  # names don't matter
    assert bcubed(GOLD, renamed) == pytest.approx((1.0, 1.0, 1.0))
    assert pairwise(GOLD, renamed) == pytest.approx((1.0, 1.0, 1.0))


def test_all_singletons_and_missing_items() -> None:
    # Missing predictions are singletons: precision 1, recall = mean of 1/|gold cluster|
    #   = (3 * 1/3 + 2 * 1/2) / 5 = 2/5.
    singletons = {item: item for item in GOLD}
    for pred in (singletons, {}):
        p, r, f = bcubed(GOLD, pred)
        assert (p, r, f) == pytest.approx((1.0, 0.4, 2 * 0.4 / 1.4))
        # No predicted pairs: precision is 0/0 := 1.0, recall 0/4.
        assert pairwise(GOLD, pred) == pytest.approx((1.0, 0.0, 0.0))


def test_predictions_outside_gold_are_ignored() -> None:
    assert bcubed({"a": "x", "b": "x"}, {"a": "1", "b": "1", "z": "1"}) == (1.0, 1.0, 1.0)


def test_pairwise_by_hand() -> None:
    # Gold pairs ab ac bc de (4); predicted pairs ab cd ce de (4); shared ab de (2).
    assert pairwise(GOLD, PRED) == pytest.approx((0.5, 0.5, 0.5))
    # No gold pairs at all: recall 0/0 := 1.0, precision 0/1.
    assert pairwise({"a": "x", "b": "y"}, {"a": "1", "b": "1"}) == (0.0, 1.0, 0.0)


def test_empty_gold_is_an_error() -> None:
    with pytest.raises(ValueError):
        bcubed({}, PRED)


def test_ami_and_scores() -> None:
    pytest.importorskip("sklearn")
    assert ami(GOLD, {item: label * 2 for item, label in GOLD.items()}) == pytest.approx(1.0)
    assert ami(GOLD, PRED) < 1.0
    result = scores(GOLD, PRED)
    assert set(result) == {"bcubed_p", "bcubed_r", "bcubed_f1", "pair_p", "pair_r",
                           "pair_f1", "ami"}
    assert result["bcubed_f1"] == pytest.approx(11 / 15)
    assert result["pair_f1"] == pytest.approx(0.5)


def test_tokens_fold_and_strip() -> None:
    assert tokens("والحكومة") == ["حكومه"]
    assert tokens("للمدينة") == ["مدينه"]
    assert tokens("بالمستشفى") == ["مستشفي"]
    assert tokens("أَحْمَــد، إسلام آمال") == ["احمد", "اسلام", "امال"]
    assert tokens("وزير") == ["زير"] and tokens("ولد") == ["ولد"]  # needs >= 3 letters left
    assert tokens("الله 2024 و Gaza") == ["الله", "gaza"]


def test_time_order_puts_undated_last() -> None:
    docs = [Doc("b", "", "", None), Doc("c", "", "", "2024-01-02"),
            Doc("a", "", "", None), Doc("d", "", "", "2024-01-01"), Doc("e", "", "", "2024-01-02")]
    assert [d.id for d in time_order(docs)] == ["d", "c", "e", "a", "b"]


SAME_1 = Doc("1", "وزير الخارجية يلتقي نظيره الأردني في عمّان",
             "بحث وزير الخارجية مع نظيره الأردني أزمة المياه على الحدود المشتركة.", "2024-03-01")
SAME_2 = Doc("2", "وزير الخارجية يجتمع بنظيره الأردني في عمان",
             "ناقش وزير الخارجية ونظيره الأردني أزمة المياه عند الحدود المشتركة.", "2024-03-02")
OTHER = Doc("3", "المنتخب الوطني يفوز في بطولة كرة السلة",
            "فاز المنتخب الوطني لكرة السلة على منافسه في نهائي البطولة القارية.", "2024-03-01")


def test_single_pass_joins_near_duplicates() -> None:
    docs = [SAME_2, OTHER, SAME_1]
    labels = tfidf_single_pass(docs, 0.3)
    assert labels["1"] == labels["2"] != labels["3"]
    assert tfidf_single_pass(docs, 0.3) == labels  # deterministic
    assert len(set(tfidf_single_pass(docs, 0.99).values())) == 3  # too strict to join
    assert tfidf_single_pass([Doc("x", "", "123", None)], 0.0) == {"x": "c0"}


def test_single_pass_rejects_duplicate_ids() -> None:
    with pytest.raises(ValueError):
        tfidf_single_pass([SAME_1, SAME_1], 0.3)


def test_best_threshold() -> None:
    pytest.importorskip("sklearn")
    gold = {"1": "talks", "2": "talks", "3": "sport"}
    threshold, result = best_threshold([SAME_1, SAME_2, OTHER], gold)
    assert threshold in DEFAULT_GRID
    assert result["bcubed_f1"] == pytest.approx(1.0)
    assert DEFAULT_GRID[0] == 0.05 and DEFAULT_GRID[-1] == 0.6 and len(DEFAULT_GRID) == 12


def test_hdbscan_three_tight_pairs() -> None:
    pytest.importorskip("sklearn")
    rng = np.random.default_rng(0)
    centres = np.eye(4)[:3]
    points = np.repeat(centres, 2, axis=0) + rng.normal(scale=0.01, size=(6, 4))
    points /= np.linalg.norm(points, axis=1, keepdims=True)
    ids = ["a1", "a2", "b1", "b2", "c1", "c2"]
    labels = hdbscan_docs(points, ids)
    assert labels["a1"] == labels["a2"]
    assert labels["b1"] == labels["b2"]
    assert labels["c1"] == labels["c2"]
    assert len(set(labels.values())) == 3
    assert hdbscan_docs(points, ids) == labels  # deterministic
    assert hdbscan_docs(points[:1], ["a1"]) == {"a1": "n:a1"}
    with pytest.raises(ValueError):
        hdbscan_docs(points, ids[:5])
