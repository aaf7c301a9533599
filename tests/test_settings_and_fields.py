"""Settings precedence and validation; field mapping and metadata dates."""

from __future__ import annotations

from pathlib import Path

import pytest

from khabar.errors import SettingsError
from khabar.ingest.fields import map_record, parse_datetime
from khabar.settings import Settings, describe_defaults


def test_every_default_has_help() -> None:
    infos = describe_defaults()
    assert infos and all(info.help for info in infos)


def test_precedence_defaults_file_env_set(tmp_path: Path) -> None:
    config = tmp_path / "k.toml"
    config.write_text("[store]\nbatch_size = 10\nbusy_timeout = 5\n", "utf-8")
    loaded = Settings.load(config, ["store.batch_size=30"],
                           environ={"KHABAR_STORE_BATCH_SIZE": "20",
                                    "KHABAR_LANG_LANGUAGES": "ar,en"})
    assert loaded["store.batch_size"] == 30 and loaded.source("store.batch_size") == "--set"
    assert loaded["store.busy_timeout"] == 5.0
    assert loaded["lang.languages"] == ["ar", "en"]
    assert Settings.load(environ={})["store.batch_size"] == 500


@pytest.mark.parametrize(("overrides", "environ", "message"), [
    (["nope.key=1"], {}, "'nope.key'"),
    (["store.batch_size=many"], {}, "'store.batch_size'"),
    (["store.batch_size"], {}, "section.key=value"),
    ([], {"KHABAR_NOT_A_SETTING": "1"}, "KHABAR_NOT_A_SETTING"),
])
def test_bad_settings_name_the_key(overrides: list[str], environ: dict[str, str],
                                   message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.load(overrides=overrides, environ=environ)


def test_bad_settings_file(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("[store\n", "utf-8")
    with pytest.raises(SettingsError, match="not valid TOML"):
        Settings.load(config, environ={})


def test_field_priorities_and_meta() -> None:
    fields, meta = map_record({"Title": "ع", "description": "ملخص", "content": "النص",
                               "date_extracted": "2015-07-21 02:51:32", "published": "2015-07-20",
                               "Author": {"name": "كاتب"}, "extra": 1, "outlet": None})
    assert fields["text"] == "النص" and fields["title"] == "ع" and fields["byline"] == "كاتب"
    assert fields["published"] == "2015-07-20" and fields["published_field"] == "published"
    assert fields["fetched_at"] == "2015-07-21 02:51:32"
    assert meta == {"description": "ملخص", "extra": 1}


@pytest.mark.parametrize(("value", "expected"), [
    ("2015-07-21 02:51:32", ("2015-07-21T02:51:32", "time")),
    ("2026-03-01T10:00:00Z", ("2026-03-01T10:00:00+00:00", "time")),
    ("Sat, 14 Mar 2026 09:30:00 +0300", ("2026-03-14T09:30:00+03:00", "time")),
    ("14/03/2026", ("2026-03-14", "day")),
    ("2026/3/4 10:22", ("2026-03-04T10:22:00", "time")),
    ("٢٠٢٦-٠٣-١٤", ("2026-03-14", "day")),
    ("2026-03", ("2026-03", "month")),
    ("2026", ("2026", "year")),
    (1700000000, ("2023-11-14T22:13:20+00:00", "time")),
    ("31/02/2026", None),
    ("yesterday", None),
    ("", None),
])
def test_metadata_dates(value: object, expected: tuple[str, str] | None) -> None:
    assert parse_datetime(value) == expected


def test_settings_doc_lists_every_key() -> None:
    doc = (Path(__file__).resolve().parents[1] / "docs/settings.md").read_text("utf-8")
    missing = [info.key for info in describe_defaults() if f"`{info.key}`" not in doc]
    assert not missing
