"""Stages by versioned name. A stage takes an Article and returns it with more fields set.

Names are ``<job>.v<N>``; a new behaviour is a new version beside the old one. The table
maps names to ``module:class`` so heavy libraries load only when their stage is used.
"""

from __future__ import annotations

import importlib
from typing import Protocol

from khabar.errors import UnknownStage
from khabar.model import Article
from khabar.settings import Settings

STAGES: dict[str, str] = {
    "boilerplate.v1": "khabar.clean.boilerplate:BoilerplateStage",
    "lang.v1": "khabar.clean.lang:LanguageStage",
    "lang.v2": "khabar.clean.lang:LanguageStageV2",
    "dedupe.v1": "khabar.dedupe.stage:DedupeStage",
    "entities.v1": "khabar.extract.entities:EntityStage",
    "dates.v1": "khabar.extract.timing:DatesStage",
    "quotes.v1": "khabar.extract.quotes:QuoteStage",
    "embed.v1": "khabar.embed.sentences:SentenceStage",
}


class Stage(Protocol):
    name: str

    def __call__(self, article: Article) -> Article: ...


def create(name: str, settings: Settings) -> Stage:
    """Build the stage registered as ``name``; E903 names the unknown one."""
    target = STAGES.get(name)
    if target is None:
        known = ", ".join(sorted(STAGES))
        raise UnknownStage(f"unknown stage {name!r} in pipeline.stages (known: {known})")
    module, _, attr = target.partition(":")
    factory = getattr(importlib.import_module(module), attr)
    stage: Stage = factory(settings)
    return stage
