"""Acceptance on the five seed articles in ../shared/seeds (skipped when absent)."""

from __future__ import annotations

import json
from pathlib import Path

from khabar.engine import Engine
from tests.conftest import SEEDS, needs_shared

pytestmark = needs_shared


def test_seeds_with_sidecar(engine: Engine) -> None:
    report = engine.ingest([SEEDS], meta=SEEDS / "seeds.jsonl")
    assert (report.counts.added, report.total_rejected) == (5, 0)
    rows = {Path(a.origin).name: a for a in engine.articles()}
    for line in (SEEDS / "seeds.jsonl").read_text("utf-8").splitlines():
        expected = json.loads(line)
        article = rows[expected["file"]]
        assert article.outlet == expected["outlet"]
        assert article.published_at == expected["published"]
        assert article.published_provenance == "metadata"
        first_line = (SEEDS / expected["file"]).read_text("utf-8").splitlines()[0].strip()
        assert article.meta.get("raw_title", article.title) == first_line
        assert article.title and first_line.startswith(article.title)
        assert article.language == "ar" and article.encoding == "utf-8"
    again = engine.ingest([SEEDS], meta=SEEDS / "seeds.jsonl")
    assert (again.counts.added, again.counts.updated, again.counts.unchanged) == (0, 0, 5)


def test_seeds_without_sidecar_are_undated(engine: Engine) -> None:
    engine.ingest(sorted(SEEDS.glob("*.txt")))
    articles = list(engine.articles())
    assert len(articles) == 5
    assert all(a.published_at is None and a.published_provenance == "unknown"
               for a in articles)
