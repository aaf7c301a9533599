"""The boilerplate stage: seed pages (by line number, no seed text copied here), the demo
corpus's gold body lines, and unit cases written for these tests."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from khabar.clean.boilerplate import BoilerplateStage, OutletMemory, clean_title
from khabar.clean.convert import article_id
from khabar.engine import Engine
from khabar.model import Article
from khabar.settings import Settings
from tests.conftest import ROOT, SEEDS, needs_shared

sys.path.insert(0, str(ROOT))
from bench.boilerplate import report, score


def file_lines(name: str) -> list[str]:
    """Non-empty lines of a seed file after its headline, as khabar's text holds them."""
    lines = (SEEDS / name).read_text("utf-8").split("\n")
    return [line.strip() for line in lines[1:] if line.strip()]


# Per seed file: 1-based line numbers in the file of the lines that must leave the body,
# with the field they must land in (None: just removed), from the table in seeds/README.md.
SEED_EXPECTATIONS: dict[str, dict[int, str | None]] = {
    "000_326d50b6f9cd5bb7.txt": {5: None, 7: None, 17: "headings", 41: None},
    "001_218b8eb28dce8727.txt": {3: None, 5: "byline", 16: None, 18: None, 20: None,
                                 22: None, 24: None, 26: None, 28: None},
    "002_76ddf5ff940c1963.txt": {3: "captions", 4: "captions", 28: None, 30: None, 32: None,
                                 34: None},
    "003_d4c3545b1fdec952.txt": {3: None, 4: None, 26: None, 28: None, 30: None, 32: None,
                                 34: None},
    "004_ad599ba8db572713.txt": {3: None, 4: "captions", 18: "captions", 19: None,
                                 21: "headings", 34: "source_line"},
}


@needs_shared
def test_seed_boilerplate_leaves_the_body_and_every_paragraph_stays(engine: Engine) -> None:
    engine.ingest([SEEDS], meta=SEEDS / "seeds.jsonl")
    articles = {Path(a.origin).name: a for a in engine.articles()}
    for name, removed in SEED_EXPECTATIONS.items():
        article = articles[name]
        raw = (SEEDS / name).read_text("utf-8").split("\n")
        body = article.text.split("\n")
        expected_body = [line for i, line in enumerate(raw[1:], 2)
                         if line.strip() and i not in removed]
        assert body == [line.strip() for line in expected_body], name
        for number, field in removed.items():
            line = raw[number - 1].strip()
            if field == "headings":
                assert line in article.headings, (name, number)
            elif field == "captions":
                assert line in article.captions, (name, number)
            elif field == "byline":
                assert article.byline == line, (name, number)
            elif field == "source_line":
                assert article.meta["source_line"] == line, (name, number)
    tagline_title = articles["001_218b8eb28dce8727.txt"]
    assert tagline_title.title == raw_headline("001_218b8eb28dce8727.txt").rsplit(" - ", 1)[0]
    assert "9000" in tagline_title.meta["raw_title"]
    anadolu = articles["003_d4c3545b1fdec952.txt"]
    assert anadolu.meta["dateline_place"] == "واشنطن"
    assert anadolu.meta["dateline_agency"] == "الاناضول"
    assert anadolu.text.startswith(anadolu.dateline or "-")


def raw_headline(name: str) -> str:
    return (SEEDS / name).read_text("utf-8").split("\n")[0].strip()


def test_demo_body_lines_precision_and_recall(demo_engine: Engine) -> None:
    precision, recall = report(score(demo_engine)[0])["all"]
    assert precision >= 0.98 and recall >= 0.98


def build(text: str, title: str = "الحكومة تقر موازنة العام المقبل",
          outlet: str | None = "صوت الوادي") -> Article:
    return Article(id=article_id(None, title, text), origin="t", text=text, title=title,
                   outlet=outlet)


LEAD = ("أقرت الحكومة في جلستها الأسبوعية مشروع موازنة العام المقبل بعجز متوقع يبلغ ثلاثة "
        "بالمئة من الناتج المحلي، على أن تحيله إلى البرلمان خلال أيام.")
SECOND = ("وقال وزير المالية في مؤتمر صحافي إن الموازنة تعطي الأولوية للتعليم والصحة، "
          "وتخفض الإنفاق على المباني الحكومية الجديدة.")
THIRD = "وأضاف أن الحكومة ستطرح سندات محلية لتمويل جزء من العجز خلال الربع الأول."


@pytest.fixture
def stage() -> BoilerplateStage:
    return BoilerplateStage(Settings.load(environ={}))


def test_page_furniture_of_every_kind(stage: BoilerplateStage) -> None:
    lines = [
        "الحكومة تقر موازنة العام المقبل", "صوت الوادي – (متابعات)", "حجم الخط", "1",
        "عمّان - وكالة الوادي - " + LEAD, "قاعة مجلس الوزراء",
        "جانب من جلسة مجلس الوزراء في صورة أرشيفية (ليلى حداد - الوادي)",
        SECOND, "ماذا تغير في الأرقام؟", THIRD, "اقرأ أيضاً: الحكومة تخفض أسعار الوقود",
        THIRD, "Cabinet approves next year's budget with a three percent deficit target",
        "المصدر : صوت الوادي + وكالات", "شارك الخبر", "اشترك في نشرتنا البريدية",
        "التعليقات", "1. يقول محمود:", "كلام جميل ولكن الأسعار ترتفع كل يوم في السوق.",
    ]
    article = stage(build("\n".join(lines)))
    assert article.text.split("\n") == [lines[4], SECOND, THIRD]
    assert article.headings == ["ماذا تغير في الأرقام؟"]
    assert article.captions == [lines[5], lines[6]]
    assert article.byline == "صوت الوادي – (متابعات)"
    assert article.meta["source_line"] == "المصدر : صوت الوادي + وكالات"
    assert article.dateline == "عمّان - وكالة الوادي -"
    assert article.meta["dateline_place"] == "عمّان"
    kinds = {r["text"]: r["kind"] for r in article.meta["removed"]}
    assert kinds["حجم الخط"] == "widget" and kinds["1"] == "widget"
    assert kinds[lines[12]] == "other_language" and kinds[lines[10]] == "related"
    assert kinds[lines[17]] == "comments" and kinds[lines[18]] == "comments"
    assert sorted(r["line"] for r in article.meta["removed"]) == [
        i for i in range(len(lines)) if i not in (4, 7, 9)]


def test_related_list_at_the_end_versus_an_inline_read_also(stage: BoilerplateStage) -> None:
    tail = ["مقالات ذات صلة", "ارتفاع أسعار الذهب في الأسواق المحلية",
            "افتتاح معرض الكتاب بمشاركة واسعة", "منتخب الشباب يتأهل إلى النهائي"]
    article = stage(build("\n".join([LEAD, SECOND, *tail])))
    assert article.text.split("\n") == [LEAD, SECOND]
    inline = stage(build("\n".join([LEAD, "اقرأ أيضاً", "العنوان المرتبط هنا بلا نقطة",
                                    SECOND, THIRD])))
    assert SECOND in inline.text and THIRD in inline.text and "اقرأ" not in inline.text


def test_an_article_is_never_emptied(stage: BoilerplateStage) -> None:
    article = stage(build("شارك الخبر\nالتعليقات"))
    assert article.text


@pytest.mark.parametrize(("title", "outlet", "expected"), [
    ("الحكومة تقر الموازنة - It's Over 9000!", None, "الحكومة تقر الموازنة"),
    ("الحكومة تقر الموازنة | صوت الوادي", "صوت الوادي", "الحكومة تقر الموازنة"),
    ("الجزيرة نت | الحكومة تقر الموازنة", None, "الحكومة تقر الموازنة"),
    ("الحكومة تقر الموازنة - تفاصيل الأرقام", None, "الحكومة تقر الموازنة - تفاصيل الأرقام"),
    ("واشنطن بوست: خطة جديدة", None, "واشنطن بوست: خطة جديدة"),
    ("Budget approved - Gulf Courier", "Gulf Courier", "Budget approved"),
])
def test_title_affixes(title: str, outlet: str | None, expected: str) -> None:
    arabic = not title.startswith("Budget")
    assert clean_title(title, outlet, arabic, OutletMemory()) == expected


def test_outlet_boilerplate_is_learnt_and_applied(tmp_path: Path) -> None:
    stories = [LEAD, SECOND, THIRD]
    lines = []
    for n in range(6):
        body = [stories[n % 3] + f" رقم {n}.",
                "ويصدر هذا الموقع عن مؤسسة الوادي للصحافة والنشر منذ عام 1998.",
                stories[(n + 1) % 3] + f" الخبر {n}."]
        lines.append(json.dumps({"title": f"خبر الوادي رقم {n} ~ الوادي اليوم",
                                 "text": "\n".join(body), "source": "صوت الوادي",
                                 "published": f"2026-03-0{n + 1}"}, ensure_ascii=False))
    path = tmp_path / "valley.jsonl"
    path.write_text("\n".join(lines), "utf-8")
    with Engine(tmp_path / "k.db", Settings.load(environ={})) as engine:
        engine.ingest([path])
        assert all("مؤسسة الوادي" in a.text for a in engine.articles())  # nothing learnt yet
        memory = engine.outlet_memory()
        assert memory.line("صوت الوادي", "ويصدر هذا الموقع عن موسسه الوادي للصحافه والنشر منذ "
                                         "عام 1998.")
        assert memory.affix("صوت الوادي", "الوادي اليوم")
        engine.store.conn.execute("UPDATE articles SET stages = '[]'")
        engine.reprocess()
        for article in engine.articles():
            assert "مؤسسة الوادي" not in article.text
            assert article.title and not article.title.endswith("اليوم")
            assert any(r["kind"] == "outlet_boilerplate" for r in article.meta["removed"])
