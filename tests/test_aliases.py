"""Alias merging: within an article (``group``) and across articles (``EntityLinker``), on a
small lexicon built here, so the rules are tested apart from the shipped data."""

from __future__ import annotations

import sqlite3

import pytest

from khabar.extract.aliases import EntityLinker, Mention, group
from khabar.extract.lexicon import Entry, Lexicon
from khabar.extract.names import edit_distance, similar_surname, skeleton, strip_clitics
from khabar.model import Article
from khabar.store import migrations
from khabar.store.entities import EntityIndex

ENTRIES = [
    Entry("loc:russia", "LOC", "country", "روسيا", "Russia", ["روسيا", "روسيا الاتحادية"],
          ["Russia"], ["روسي", "الروسي", "الروسية"]),
    Entry("loc:syria", "LOC", "country", "سوريا", "Syria", ["سوريا", "سورية"], ["Syria"],
          ["السوري", "السورية"]),
    Entry("org:isis", "ORG", "armed_group", "داعش", "ISIS",
          ["داعش", "تنظيم الدولة", "تنظيم الدولة الإسلامية", "الدولة الإسلامية"], ["ISIS"]),
    Entry("loc:us", "LOC", "country", "الولايات المتحدة", "United States",
          ["الولايات المتحدة", "أمريكا", "أميركا"], ["United States"],
          ["الأمريكي", "الأميركي", "الأمريكية", "الأميركية"]),
]
CUES = {"person": {"titles": ["الرئيس", "وزير الخارجية", "الجنرال", "السيناتور"]}}


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon(ENTRIES, ["ديفيد", "فلاديمير", "جون", "مايكل", "سامر", "سمير"], CUES)


def mentions_of(text: str, spans: list[tuple[str, str]]) -> list[Mention]:
    out, cursor = [], 0
    for surface, kind in spans:
        start = text.index(surface, cursor)
        cursor = start + len(surface)
        out.append(Mention(start, cursor, surface, kind))
    return out


def test_surname_and_clitic_forms_join_the_full_name(lexicon: Lexicon) -> None:
    text = "قال فلاديمير بوتين إن بلاده ستساعد. وأكد بوتين ذلك، وقال مقربون لبوتين إن وبوتين."
    ms = mentions_of(text, [("فلاديمير بوتين", "PER"), ("بوتين", "PER"), ("لبوتين", "PER"),
                            ("وبوتين", "PER")])
    entities = group(text, ms, lexicon)
    assert len(entities) == 1 and {m.entity for m in ms} == {0}
    assert entities[0].name == "فلاديمير بوتين"


def test_two_people_sharing_a_surname_stay_apart(lexicon: Lexicon) -> None:
    text = "التقى جون كيري بمايكل كيري. وقال كيري إن اللقاء مهم."
    ms = mentions_of(text, [("جون كيري", "PER"), ("مايكل كيري", "PER"), ("كيري", "PER")])
    entities = group(text, ms, lexicon)
    assert len(entities) == 2
    assert ms[2].entity == ms[1].entity  # the nearest one before


def test_misspelt_surname_joins_only_one_fitting_person(lexicon: Lexicon) -> None:
    text = "قال الجنرال ديفيد بارنو إن الأمر صعب. وأضاف بارنون أن القرار قريب."
    ms = mentions_of(text, [("ديفيد بارنو", "PER"), ("بارنون", "PER")])
    entities = group(text, ms, lexicon)
    assert len(entities) == 1
    assert ms[0].role == "الجنرال"
    # Different given names never merge, even with one slip in the surname.
    text = "سامر الخطيبي وسمير الخطيب."
    ms = mentions_of(text, [("سامر الخطيبي", "PER"), ("سمير الخطيب", "PER")])
    assert len(group(text, ms, lexicon)) == 2


def test_gazetteer_variants_and_adjectives(lexicon: Lexicon) -> None:
    text = "هاجم تنظيم الدولة الإسلامية مواقع في سورية، وقال الجيش السوري إن داعش انسحب من سوريا."
    ms = mentions_of(text, [("تنظيم الدولة الإسلامية", "ORG"), ("سورية", "LOC"),
                            ("السوري", "LOC"), ("داعش", "ORG"), ("سوريا", "LOC")])
    ms[2].kind = "adjective"
    entities = group(text, ms, lexicon)
    assert [e.gazetteer for e in entities] == ["org:isis", "loc:syria"]
    assert ms[2].entity == ms[1].entity == ms[4].entity


def test_title_is_kept_as_role_and_role_alone_links(lexicon: Lexicon) -> None:
    text = "قال الرئيس الروسي فلاديمير بوتين إن بلاده مستعدة. وأكد الرئيس الروسي أن الحوار مستمر."
    ms = mentions_of(text, [("الرئيس الروسي فلاديمير بوتين", "PER")])
    entities = group(text, ms, lexicon)
    assert ms[0].role == "الرئيس الروسي" and entities[0].name == "فلاديمير بوتين"
    roles = [m for m in ms if m.kind == "role"]
    assert len(roles) == 1 and roles[0].entity == 0
    assert text[roles[0].start:roles[0].end] == "الرئيس الروسي"


def test_names_helpers(lexicon: Lexicon) -> None:
    assert strip_clitics(["لبوتين"], lexicon) == ["لبوتين"]  # unknown stem: left alone
    assert strip_clitics(["لسوريا"], lexicon) == ["سوريا"]
    assert strip_clitics(["والولايات", "المتحده"], lexicon) == ["الولايات", "المتحده"]
    assert edit_distance("بارنو", "بارنون") == 1
    assert similar_surname("بارنو", "بارنون") and not similar_surname("سمير", "سامر")
    assert skeleton("David Barno") == skeleton("ديفيد بارنو")
    assert skeleton("Vladimir Putin") == skeleton("فلاديمير بوتين")
    assert skeleton("Sergei Lavrov") == skeleton("سيرغي لافروف")


def _article(ident: str, text: str, spans: list[tuple[str, str]], lexicon: Lexicon) -> Article:
    ms = mentions_of(text, spans)
    entities = group(text, ms, lexicon)
    article = Article(id=ident, origin=ident, text=text)
    article.work["entities"] = {"entities": [e.to_dict() for e in entities],
                                "mentions": [m.to_dict() for m in ms if m.entity >= 0]}
    return article


def test_linker_across_articles(lexicon: Lexicon) -> None:
    conn = sqlite3.connect(":memory:")
    migrations.migrate(conn)
    index = EntityIndex(conn)
    linker = EntityLinker(index, frozenset({frozenset(("سامر الخطيب", "سمير الخطيب"))}))
    batches = [
        [_article("a1", "قال ديفيد بارنو إن سوريا مهمة.", [("ديفيد بارنو", "PER"),
                                                         ("سوريا", "LOC")], lexicon)],
        [_article("a2", "وأكد بارنو أن سورية ستتغير.", [("بارنو", "PER"), ("سورية", "LOC")],
                  lexicon),
         _article("a3", "David Barno said so.", [("David Barno", "PER")], lexicon),
         _article("a4", "قال ديفيد بارنون ذلك.", [("ديفيد بارنون", "PER")], lexicon),
         _article("a5", "قال مايكل بارنو ذلك.", [("مايكل بارنو", "PER")], lexicon)],
        [_article("a6", "وقال ديفيد بارتو ذلك.", [("ديفيد بارتو", "PER")], lexicon)],
    ]
    for batch in batches:
        index.write(linker.link(batch), "2026-01-01")
    rows = conn.execute("SELECT article_id, entity_id FROM mentions ORDER BY article_id, start")
    owner = {}
    for article_id, entity_id in rows:
        owner.setdefault(article_id, []).append(entity_id)
    barno = owner["a1"][0]
    assert owner["a1"][1] == owner["a2"][1] == "loc:syria"
    assert owner["a2"][0] == barno and owner["a3"][0] == barno and owner["a4"][0] == barno
    assert owner["a5"][0] != barno  # another given name: another person
    assert owner["a6"][0] == barno  # one letter wrong in the surname, same given name
    # Re-linking an article replaces its mentions instead of adding to them.
    index.write(linker.link(batches[0]), "2026-01-02")
    assert conn.execute("SELECT count(*) FROM mentions WHERE article_id = 'a1'").fetchone()[0] == 2
