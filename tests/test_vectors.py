"""The sentence-vector adapter and sentence-level similarity."""

from __future__ import annotations

import numpy as np

from khabar.embed.vectors import best_match, embed

# Written for these tests.
SAME = ["اتفق الرئيسان خلال اتصال هاتفي على التعاون لمكافحة الإرهاب",
        "بحث الزعيمان في مكالمة هاتفية التنسيق في محاربة الإرهاب"]
OTHER = ["ارتفعت أسعار القمح في الأسواق العالمية بعد موجة جفاف"]


def test_embed_gives_unit_vectors() -> None:
    vectors = embed([*SAME, *OTHER])
    assert vectors.shape == (3, 512)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert embed([]).shape == (0, 512)


def test_best_match_prefers_the_same_happening() -> None:
    a, b, c = embed(SAME[:1]), embed(SAME[1:]), embed(OTHER)
    assert best_match(a, b) > best_match(a, c) + 0.1
    assert best_match(a, embed([])) == 0.0
    both = embed([SAME[1], OTHER[0]])
    assert abs(best_match(a, both) - best_match(a, b)) < 1e-4  # the best pair counts
