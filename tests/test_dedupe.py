"""Duplicates: fingerprints, links of every kind, groups independent of ingest order."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from khabar.dedupe.fingerprint import containment, fingerprint, jaccard
from khabar.engine import Engine
from khabar.settings import Settings
from tests.conftest import demo_key, demo_truth

Write = Callable[..., Path]

STORY = [
    "أعلنت وزارة الزراعة اليوم خطة لدعم مزارعي القمح في المحافظات الشمالية بعد موسم جاف.",
    "وتشمل الخطة توزيع بذور محسنة وأسمدة بأسعار مخفضة على أكثر من عشرة آلاف مزارع.",
    "وقال وزير الزراعة في مؤتمر صحافي إن الحكومة رصدت مبلغاً إضافياً لتعويض الخسائر.",
    "وأضاف أن فرق الوزارة ستبدأ الأسبوع المقبل جولات ميدانية لتقييم الأضرار في القرى.",
    "وأشار إلى أن نسبة الأمطار هذا العام تراجعت إلى أدنى مستوى منذ عقدين بحسب الأرصاد.",
    "ورحب اتحاد المزارعين بالخطة لكنه طالب بتسريع صرف التعويضات قبل موعد الزراعة.",
    "ويعتمد آلاف الأسر في المنطقة على زراعة القمح والشعير مصدراً رئيسياً للدخل.",
    "ومن المتوقع أن تعرض الوزارة تفاصيل الخطة على البرلمان في جلسته المقبلة للمصادقة.",
]
OTHER = [
    "افتتح مهرجان المسرح العربي دورته الجديدة مساء أمس بعرض لفرقة شابة من المغرب.",
    "ويشارك في المهرجان أكثر من عشرين عرضاً من تسع دول عربية على مدى أسبوع كامل.",
    "وقالت مديرة المهرجان إن الدورة تحتفي بالكتاب المسرحيين الشباب وتجاربهم الجديدة.",
    "وتقام على هامش المهرجان ورش تدريبية في الإخراج والتمثيل والسينوغرافيا للهواة.",
]


THIRD = [
    "سجلت أسعار الذهب ارتفاعاً جديداً في تعاملات الأسواق المحلية خلال الأسبوع الماضي.",
    "وعزا تجار في سوق الصاغة الارتفاع إلى زيادة الطلب مع اقتراب موسم الأعراس الصيفي.",
]


def record(title: str, lines: list[str], date: str, outlet: str) -> str:
    return json.dumps({"title": title, "text": "\n".join(lines), "published": date,
                       "source": outlet}, ensure_ascii=False)


def links(engine: Engine) -> dict[str, tuple[str | None, str | None]]:
    return {a.title or "": (a.duplicate_of, a.duplicate_kind) for a in engine.articles()}


def test_demo_copies_are_exactly_the_gold_copies(demo_engine: Engine) -> None:
    truth = demo_truth()
    keys = {(a["file"], None if a["record"] is None else str(a["record"])): a["key"]
            for a in truth["articles"]}
    ids = {keys[demo_key(a.origin)]: a for a in demo_engine.articles()}
    expected = {a["key"]: a["copy_of"] for a in truth["articles"]}
    found = {key: None for key in ids}
    by_id = {a.id: key for key, a in ids.items()}
    for key, article in ids.items():
        if article.duplicate_of:
            found[key] = by_id[article.duplicate_of]
    assert found == expected


def test_kinds_exact_near_contained_title(engine: Engine, write: Write) -> None:
    lines = [
        record("الحكومة تدعم مزارعي القمح", STORY, "2026-03-01", "أ"),
        # the same text with diacritics, tatweel and other spacing: exact
        record("دعم لمزارعي القمح", [s.replace("الزراعة", "الزِّراعة").replace("القمح", "القـمح")
                                     for s in STORY], "2026-03-02", "ب"),
        # one sentence rewritten, one dropped: near
        record("خطة لدعم المزارعين", [*STORY[:3], "جملة جديدة كتبها المحرر هنا عن الموضوع.",
                                      *STORY[4:7]], "2026-03-02", "ج"),
        # the first half only: contained
        record("مختصر خطة القمح", STORY[:4], "2026-03-03", "د"),
        # unrelated
        record("مهرجان المسرح العربي", OTHER, "2026-03-01", "ه"),
    ]
    engine.ingest([write("a.jsonl", "\n".join(lines))])
    found = links(engine)
    root = next(a.id for a in engine.articles() if a.title == "الحكومة تدعم مزارعي القمح")
    assert found["دعم لمزارعي القمح"] == (root, "exact")
    assert found["خطة لدعم المزارعين"] == (root, "near")
    assert found["مختصر خطة القمح"] == (root, "contained")
    assert found["مهرجان المسرح العربي"] == (None, None)
    assert found["الحكومة تدعم مزارعي القمح"] == (None, None)


def test_title_variant_needs_the_same_headline_and_shared_text(engine: Engine,
                                                              write: Write) -> None:
    title = "وزارة الزراعة تعلن خطة دعم المزارعين"
    lines = [record(title, STORY[:6], "2026-03-01", "أ"),
             record(title, STORY[3:5] + OTHER, "2026-03-02", "ب"),
             record(title, THIRD, "2026-03-20", "ج")]
    engine.ingest([write("t.jsonl", "\n".join(lines))])
    kinds = sorted((a.published_at or "", a.duplicate_kind or "-") for a in engine.articles())
    assert kinds == [("2026-03-01", "-"), ("2026-03-02", "title"), ("2026-03-20", "-")]


def test_groups_do_not_depend_on_ingest_order(tmp_path: Path, write: Write) -> None:
    original = record("النص الأصلي", STORY, "2026-03-01", "وكالة")
    copy_one = record("نسخة أولى", STORY[:7], "2026-03-02", "صحيفة أ")
    copy_two = record("نسخة ثانية", STORY[1:], "2026-03-03", "صحيفة ب")
    results = []
    for name, order in (("forward", [original, copy_one, copy_two]),
                        ("backward", [copy_two, copy_one, original]),
                        ("split", [copy_one, copy_two])):
        with Engine(tmp_path / f"{name}.db") as engine:
            engine.ingest([write(f"{name}.jsonl", "\n".join(order))])
            if name == "split":  # the original arrives in a later run
                engine.ingest([write("late.jsonl", original)])
            titles = {a.id: a.title for a in engine.articles()}
            results.append({a.title: titles.get(a.duplicate_of or "") for a in
                            engine.articles()})
    assert results[0] == results[1] == results[2] == {
        "النص الأصلي": None, "نسخة أولى": "النص الأصلي", "نسخة ثانية": "النص الأصلي"}


def test_reingest_does_not_relink_or_duplicate_index_rows(engine: Engine, write: Write) -> None:
    path = write("a.jsonl", "\n".join([record("أ", STORY, "2026-03-01", "x"),
                                       record("ب", STORY[:6], "2026-03-02", "y")]))
    engine.ingest([path])
    engine.ingest([path])
    conn = engine.store.conn
    assert conn.execute("SELECT count(*) FROM fingerprints").fetchone()[0] == 2
    # only originals are in the LSH buckets; the copy is reached through its original
    assert conn.execute("SELECT count(DISTINCT article_id) FROM lsh_buckets").fetchone()[0] == 1
    groups = list(engine.duplicates())
    assert len(groups) == 1 and len(groups[0]["copies"]) == 1


SENTENCES = st.lists(st.sampled_from(STORY + OTHER), min_size=1, max_size=12)


@given(SENTENCES, SENTENCES)
def test_similarity_is_symmetric_and_bounded(a: list[str], b: list[str]) -> None:
    fa, fb = fingerprint(" ".join(a), None, 4), fingerprint(" ".join(b), None, 4)
    assert jaccard(fa.signature, fb.signature) == jaccard(fb.signature, fa.signature)
    similarity = jaccard(fa.signature, fb.signature)
    assert 0.0 <= similarity <= 1.0
    assert containment(similarity, fa.shingles, fb.shingles) == containment(
        similarity, fb.shingles, fa.shingles)
    if a == b:
        assert similarity == 1.0 and fa.body_hash == fb.body_hash


def test_fingerprints_are_stable_across_runs() -> None:
    # the LSH index stores these values: a change here silently breaks stored databases
    fp = fingerprint(" ".join(STORY), "الحكومة تدعم مزارعي القمح", 4)
    assert fp.shingles == 103
    assert fp.signature[:4].tolist() == [3913309227, 1178997636, 2739653340, 5341748]
    assert len(fp.keys) == 42 and all(0 <= key < 2**63 for key in fp.keys)


def test_templated_articles_do_not_make_linking_quadratic(
        tmp_path: Path, make_settings: Callable[..., Settings], write: Write) -> None:
    # many texts alike enough to share LSH buckets but not copies: a daily template; only
    # the duplicates stage runs, so the time measured is linking's
    settings = make_settings(pipeline__stages=["dedupe.v1"])
    with Engine(tmp_path / "linking.db", settings) as engine:
        rows = []
        for day in range(1, 400):
            body = " ".join(f"الفقرة {day} من النشرة اليومية عن الطقس والحرارة والرياح رقم {j}."
                            for j in range(30))
            rows.append(json.dumps({"title": f"نشرة {day}", "text": body}, ensure_ascii=False))
        start = time.perf_counter()
        engine.ingest([write("daily.jsonl", "\n".join(rows))])
        assert time.perf_counter() - start < 20
        assert engine.stats()["articles"] == 399
