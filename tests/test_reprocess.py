"""Reprocessing stored articles when the pipeline's stages change."""

from __future__ import annotations

from pathlib import Path

import pytest

from khabar.engine import Engine
from khabar.errors import UsageError
from khabar.settings import Settings
from tests.conftest import DEMO


def test_reprocess_applies_new_stages_and_is_a_no_op_after(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    old = Settings.load(overrides={"pipeline.stages": ["lang.v1"], "store.batch_size": 7},
                        environ={})
    with Engine(db, old) as engine:
        engine.ingest([DEMO / "corpus"], meta=DEMO / "corpus/meta.jsonl")
        before = {a.id: a for a in engine.articles()}
        assert all(a.stages == ["clean.v1", "lang.v1"] for a in before.values())
        assert not list(engine.duplicates()) and not engine.entities()
    new = Settings.load(overrides={"store.batch_size": 7}, environ={})
    with Engine(db, new) as engine:
        report = engine.reprocess(stage="boilerplate.v1")
        assert report.processed == len(before) and not report.rejected
        after = {a.id: a for a in engine.articles()}
        assert after.keys() == before.keys()
        assert all(a.stages[-5:] == ["dedupe.v1", "entities.v1", "dates.v1", "quotes.v1",
                                     "embed.v1"] for a in after.values())
        assert engine.entities(limit=1)  # the new entities stage linked its mentions
        assert sum(len(e["article_ids"]) for e in engine.events()) == len(after)
        shorter = sum(len(after[i].text) < len(before[i].text) for i in after)
        assert shorter >= len(after) // 2  # boilerplate left the bodies
        assert [len(g["copies"]) for g in engine.duplicates()] == [3]  # the wire copies
        assert engine.reprocess().processed == 0


def test_unknown_stage_is_a_usage_error(engine: Engine) -> None:
    with pytest.raises(UsageError):
        engine.reprocess(stage="nothing.v9")
