"""Events and stories: the demo corpus against its truth, batch determinism, the seeds'
story, and the pieces (state round trips, copies, stable ids, the views)."""

from __future__ import annotations

import json
import random
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from khabar.cluster import events as ev
from khabar.cluster.events import EventState
from khabar.cluster.profile import Profile, Rarity
from khabar.cluster.recluster import _overlap_names, agreement
from khabar.cluster.stories import StoryState
from khabar.embed.vectors import embed
from khabar.engine import Engine
from khabar.errors import NotFound, UsageError
from khabar.settings import Settings
from khabar.summarize import timeline
from tests.conftest import DEMO, SEEDS, demo_article_key, demo_truth_articles, needs_shared


def labels(engine: Engine) -> tuple[dict[str, str], dict[str, str], dict[str, str],
                                    dict[str, str]]:
    """(gold events, gold stories, events, stories) by demo article key."""
    truth = demo_truth_articles()
    gold_e, gold_s, events, stories = {}, {}, {}, {}
    for article in engine.articles():
        key = demo_article_key(article.origin)
        view = engine.article_view(article.id)
        gold_e[key], gold_s[key] = truth[key]["event"], truth[key]["story"]
        events[key], stories[key] = view["event_id"], view["story_id"]
    return gold_e, gold_s, events, stories


def test_demo_events_and_stories_meet_the_floors(demo_engine: Engine) -> None:
    gold_e, gold_s, events, stories = labels(demo_engine)
    assert all(events.values()) and all(stories.values())
    assert agreement(gold_e, events) >= 0.95
    assert agreement(gold_s, stories) >= 0.90


def _shuffled_demo(order: int) -> list[Path]:
    """The demo inputs as separate paths, in a shuffled order."""
    files = sorted(p for p in (DEMO / "corpus").rglob("*") if p.is_file()
                   and "broken" not in p.parts and p.name != "meta.jsonl")
    random.Random(order).shuffle(files)
    return files


def test_recluster_is_deterministic_and_independent_of_ingest_order(tmp_path: Path) -> None:
    results = []
    for order in (1, 2):
        with Engine(tmp_path / f"k{order}.db", Settings.load(environ={})) as engine:
            for path in _shuffled_demo(order):
                engine.ingest([path], meta=DEMO / "corpus/meta.jsonl")
            _, _, online_e, _ = labels(engine)
            report = engine.recluster()
            assert report.articles == len(online_e)
            assert report.agreement is not None and report.agreement >= 0.9
            gold_e, gold_s, events, stories = labels(engine)
            assert agreement(gold_e, events) >= 0.93 and agreement(gold_s, stories) >= 0.85
            again = engine.recluster()
            assert again.agreement == 1.0
            assert labels(engine)[2] == events  # ids survive a second run
            results.append((_partition(events), _partition(stories)))
    assert results[0] == results[1]


def _partition(labels_: dict[str, str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for item, label in labels_.items():
        groups[label].add(item)
    return {frozenset(g) for g in groups.values()}


def test_recluster_since_rebuilds_only_the_range(tmp_path: Path) -> None:
    with Engine(tmp_path / "k.db", Settings.load(environ={})) as engine:
        engine.ingest([DEMO / "corpus"], meta=DEMO / "corpus/meta.jsonl")
        before = engine.events()
        report = engine.recluster(since="2026-05-01")
        assert report.since is not None and report.since <= "2026-05-01"
        assert 0 < report.articles < 49
        after = engine.events()
        early = [e["id"] for e in before if (e["last_date"] or "9") < report.since]
        assert early and early == [e["id"] for e in after if (e["last_date"] or "9")
                                   < report.since]
        stories = {s["id"]: s for s in engine.stories(limit=None)}
        assert {e["story_id"] for e in after} == set(stories)  # no event lost its story
        assert sum(len(s["events"]) for s in stories.values()) == len(after)
        with pytest.raises(UsageError):
            engine.recluster(since="May 2026")


def test_reingest_changes_no_event(tmp_path: Path) -> None:
    with Engine(tmp_path / "k.db", Settings.load(environ={})) as engine:
        engine.ingest([DEMO / "corpus/html"])
        first = {e["id"]: e["article_ids"] for e in engine.events()}
        engine.ingest([DEMO / "corpus/html"])
        assert {e["id"]: e["article_ids"] for e in engine.events()} == first


def test_stories_json_contract_and_story_view(demo_engine: Engine) -> None:
    stories = demo_engine.stories()
    assert len(stories) >= 5
    for story in stories:
        assert {"id", "title", "first_date", "last_date", "events"} <= set(story)
        dates = [e["date"] for e in story["events"] if e["date"]]
        assert dates == sorted(dates)
        for event in story["events"]:
            assert set(event) == {"id", "date", "precision", "title", "article_ids"}
            assert event["article_ids"]
    one = demo_engine.story(stories[0]["id"][:8])
    assert one["id"] == stories[0]["id"]
    assert one["entities"] and one["events"][0]["outlets"] and one["events"][0]["articles"]
    assert {"quotes", "history"} <= set(one)
    article = one["events"][0]["article_ids"][0]
    view = demo_engine.article_view(article)
    assert (view["event_id"], view["story_id"]) == (one["events"][0]["id"], one["id"])
    with pytest.raises(NotFound):
        demo_engine.story("st-doesnotexist")
    events = demo_engine.events(story=one["id"])
    assert [e["id"] for e in events] == [e["id"] for e in one["events"]]


# -- the seeds -----------------------------------------------------------------------------
SEED_EVENTS = [("004",), ("003",), ("000", "001"), ("002",)]  # E1 < E2 < E3 < E4


@needs_shared
@pytest.mark.parametrize("sidecar", [True, False])
def test_seeds_make_four_events_in_one_story(engine: Engine, sidecar: bool) -> None:
    engine.ingest(sorted(SEEDS.glob("*.txt")), meta=SEEDS / "seeds.jsonl" if sidecar else None)
    stories = engine.stories()
    assert len(stories) == 1
    names = {a.id: Path(a.origin).name[:3] for a in engine.articles()}
    timeline_ = [tuple(sorted(names[i] for i in e["article_ids"])) for e in stories[0]["events"]]
    if sidecar:
        assert timeline_ == SEED_EVENTS
        assert [e["date"] for e in stories[0]["events"]] == [
            "2015-09-27", "2016-07-13", "2017-01-28", "2019-12-30"]
    else:  # no publication dates: the events are listed as undated, never by a caption
        assert sorted(timeline_) == sorted(SEED_EVENTS)
        assert all(e["date"] is None for e in stories[0]["events"])
    engine.recluster()
    again = engine.stories()
    assert len(again) == 1 and [tuple(sorted(names[i] for i in e["article_ids"]))
                                for e in again[0]["events"]] == timeline_


# -- pieces --------------------------------------------------------------------------------
def _profile(ident: str, texts: list[str], day: int | None = 738000,
             entities: dict[str, int] | None = None, duplicate_of: str | None = None
             ) -> Profile:
    return Profile(ident, day, "day", "outlet", texts[0], None, embed(texts),
                   entities or {}, duplicate_of)


CALL = ["اتفق الرئيسان خلال اتصال هاتفي على التعاون لمكافحة الإرهاب في سوريا",
        "وقال الكرملين إن الجانبين أبديا رغبة في التنسيق"]
CALL_2 = ["بحث الزعيمان في مكالمة هاتفية التنسيق في محاربة الإرهاب بسوريا",
          "وأوضح البيت الأبيض أن الاتصال كان بناء"]
WHEAT = ["ارتفعت أسعار القمح في الأسواق العالمية بعد موجة جفاف طويلة",
         "وتوقع محللون أن تستمر الأسعار في الصعود حتى نهاية العام"]


def test_event_state_and_story_state_round_trip() -> None:
    event = EventState("ev-1")
    event.add(_profile("a", CALL, entities={"per:x": 2, "loc:syria": 1}))
    event.add(_profile("b", CALL_2, day=738001))
    loaded = EventState.load("ev-1", None, event.title, event.state(),
                             event.vectors.astype(np.float16).tobytes(),
                             event.centroid.tobytes())
    assert loaded.articles == ["a", "b"] and loaded.entities == event.entities
    assert (loaded.first_day, loaded.last_day, loaded.day) == (738000, 738001, 738000)
    assert np.allclose(loaded.vectors, event.vectors, atol=1e-3)
    story = StoryState("st-1")
    story.put(event)
    state, vectors = story.state()
    back = StoryState.load("st-1", state, vectors)
    assert back.entities() == story.entities() and back.title() == story.title()
    assert back.first_day == 738000 and back.articles == 2


def test_the_model_joins_the_same_happening_not_another_day_or_topic(
        settings: Settings) -> None:
    model = ev.Model.from_settings(settings, "events", ev.FEATURES)
    rarity = Rarity({"loc:syria": 50}, 100)
    event = EventState("ev-1")
    event.add(_profile("a", CALL, entities={"per:x": 1, "loc:syria": 1}))

    def probability(p: Profile) -> float:
        entities = ev.article_entities(p, rarity)
        return model.probability(ev.features(p, p.mean, entities, event, rarity))
    same = _profile("b", CALL_2, entities={"per:x": 1, "loc:syria": 1})
    assert probability(same) >= model.threshold
    assert probability(_profile("c", WHEAT)) < 0.1
    week_later = _profile("d", CALL_2, day=738007, entities={"per:x": 1, "loc:syria": 1})
    assert probability(week_later) < probability(same) and probability(week_later) < 0.5
    lagged = _profile("e", CALL_2, day=738001, entities={"per:x": 1})
    lagged.slack = 1  # only the publication day is known: a day's lag is forgiven
    on_time = _profile("f", CALL_2, day=738001, entities={"per:x": 1})
    assert probability(lagged) > probability(on_time)


def test_a_copy_joins_its_originals_event(tmp_path: Path) -> None:
    with Engine(tmp_path / "k.db", Settings.load(environ={})) as engine:
        body = "\n".join(CALL + CALL_2 + WHEAT) * 3
        original = tmp_path / "a.txt"
        original.write_text("اتصال هاتفي بين الرئيسين\n\n" + body, "utf-8")
        copy = tmp_path / "b.txt"
        copy.write_text("اتصال هاتفي بين الرئيسين\n\n" + body + "\nنقلا عن وكالة", "utf-8")
        engine.ingest([original])
        engine.ingest([copy])
        events = engine.events()
        assert len(events) == 1 and len(events[0]["article_ids"]) == 2


def test_stable_ids_follow_the_largest_overlap() -> None:
    new = {"n1": {"a", "b", "c"}, "n2": {"d"}, "n3": {"e"}}
    old = {"o1": {"a", "b"}, "o2": {"c", "d"}}
    names = _overlap_names(new, old, "ev-")
    assert names["n1"] == "o1" and names["n2"] == "o2"
    assert names["n3"].startswith("ev-") and names["n3"] not in ("o1", "o2")


def test_markdown_escapes_headlines() -> None:
    story = {"id": "st-1", "title": "[click](http://x) *bold*", "first_date": None,
             "last_date": None, "articles": 1, "outlets": ["a|b"], "entities": [],
             "events": [{"id": "e", "date": None, "precision": None, "title": "<b>x</b>",
                         "article_ids": ["1"]}]}
    text = timeline.story_markdown(story)
    assert "\\[click\\]" in text and "\\<b\\>" in text and "a\\|b" in text
    assert "undated" in text
    assert timeline.when({"date": "2026-01-02", "precision": "estimated",
                          "first_date": "2026-01-02", "last_date": "2026-01-02"}) == \
        "~2026-01-02 (estimated)"


def test_cli_stories_story_events_and_recluster(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from khabar.cli import main
    db = str(tmp_path / "k.db")
    runner = CliRunner()
    runner.invoke(main, ["--db", db, "ingest", str(DEMO / "corpus/html")])
    result = runner.invoke(main, ["--db", db, "stories", "--format", "json"])
    stories = json.loads(result.output)
    assert result.exit_code == 0 and stories and stories[0]["events"]
    result = runner.invoke(main, ["--db", db, "story", stories[0]["id"], "--format", "md"])
    assert result.exit_code == 0 and result.output.startswith("## ")
    result = runner.invoke(main, ["--db", db, "events", "--format", "jsonl"])
    assert result.exit_code == 0 and all(json.loads(line)["article_ids"]
                                         for line in result.output.splitlines())
    result = runner.invoke(main, ["--db", db, "recluster", "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.output)["agreement"] is not None
    result = runner.invoke(main, ["--db", db, "story", "st-nothing"])
    assert result.exit_code == 1 and "E301" in result.output
    result = runner.invoke(main, ["--db", db, "recluster", "--since", "yesterday"])
    assert result.exit_code == 2
