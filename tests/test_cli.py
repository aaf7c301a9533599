"""The command line: JSON contracts, exit codes, database selection, every command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from khabar.cli import ARTICLE_KEYS, SHOW_KEYS, main
from tests.conftest import BODY, HEADLINE, text_article

Write = Callable[..., Path]


@pytest.fixture
def run(tmp_path: Path) -> Callable[..., tuple[int, str]]:
    """run(*args) → (exit code, stdout) with a clean environment and tmp database."""

    def invoke(*args: str, db: Path | None = None, stdin: bytes | None = None) -> tuple[int, str]:
        runner = CliRunner()
        result = runner.invoke(main, ["--db", str(db or tmp_path / "cli.db"), *args],
                               input=stdin, env={"KHABAR_DB": None, "KHABAR_CONFIG": None},
                               catch_exceptions=False)
        return result.exit_code, result.stdout

    return invoke


def test_ingest_articles_show_contract(run: Callable[..., tuple[int, str]], write: Write) -> None:
    path = write("a.txt", text_article())
    code, _ = run("ingest", str(path))
    assert code == 0
    code, out = run("articles", "--format", "jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(rows) == 1
    assert tuple(rows[0]) == ARTICLE_KEYS
    assert rows[0]["title"] == HEADLINE and rows[0]["language"] == "ar"
    code, out = run("show", rows[0]["id"], "--format", "json")
    shown = json.loads(out)
    assert code == 0 and tuple(shown) == SHOW_KEYS
    assert shown["text"] == BODY and shown["published_provenance"] == "unknown"
    for fmt in ("json", "csv", "table"):
        code, out = run("articles", "--format", fmt)
        assert code == 0 and HEADLINE[:10] in out and rows[0]["id"] in out


def test_exit_codes(run: Callable[..., tuple[int, str]], write: Write) -> None:
    good = write("good.txt", text_article())
    empty = write("empty.txt", b"")
    assert run("ingest", str(good))[0] == 0
    assert run("ingest", str(good), str(empty))[0] == 1
    assert run("ingest", str(empty))[0] == 2  # nothing could be read
    assert run("ingest", "/no/such/dir")[0] == 2
    assert run("show", "ffffffffffffffff")[0] == 1
    assert run("--set", "store.batch_size=lots", "stats")[0] == 2
    assert run("ingest", str(good), "--encoding", "klingon")[0] == 2
    bad_meta = write("meta.jsonl", "{not json")
    assert run("ingest", str(good), "--meta", str(bad_meta))[0] == 2


def test_filters_rejections_stats_settings_migrate(run: Callable[..., tuple[int, str]],
                                                  write: Write) -> None:
    write("x/a.jsonl", "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)
                                  for r in [
        {"title": "أ", "text": BODY, "source": "صحيفة أ", "date": "2026-01-05", "lang": "ar"},
        {"title": "ب", "text": BODY + " ب", "source": "صحيفة ب", "date": "2026-02-05"},
        {"title": "c", "text": "an English text about the bridge and the river",
         "date": "2026-03-01"},
        "{broken",
    ]))
    code, _ = run("ingest", str(write("x/empty.txt", b"").parent))
    assert code == 1
    _, out = run("articles", "--outlet", "صحيفة ب", "--format", "jsonl")
    assert [json.loads(line)["title"] for line in out.splitlines()] == ["ب"]
    _, out = run("articles", "--since", "2026-02", "--until", "2026-02-28", "--format", "jsonl")
    assert len(out.splitlines()) == 1
    _, out = run("articles", "--lang", "en", "--format", "jsonl")
    assert [json.loads(line)["title"] for line in out.splitlines()] == ["c"]
    _, out = run("rejections", "--format", "jsonl")
    assert sorted(json.loads(line)["code"] for line in out.splitlines()) == ["E101", "E105"]
    _, out = run("rejections", "--code", "E105", "--format", "json")
    assert [r["code"] for r in json.loads(out)] == ["E105"]
    _, out = run("stats", "--format", "json")
    stats = json.loads(out)
    assert stats["articles"] == 3 and stats["outlets"]["صحيفة أ"] == 1
    assert {r["code"] for r in stats["rejections"]} == {"E101", "E105"}
    code, out = run("stats", "--format", "text")
    assert code == 0 and "rejections by reason" in out
    _, out = run("--set", "store.batch_size=7", "settings", "--format", "json")
    batch = next(r for r in json.loads(out) if r["key"] == "store.batch_size")
    assert batch["value"] == 7 and batch["source"] == "--set" and batch["help"]
    code, out = run("migrate")
    assert code == 0 and "up to date" in out
    code, out = run("migrate", "--list")
    assert out.startswith("applied  0001_")


def test_stdin_and_console_script_and_khabar_db(tmp_path: Path) -> None:
    env = {**os.environ, "KHABAR_DB": str(tmp_path / "env.db")}
    line = json.dumps({"title": HEADLINE, "text": BODY}, ensure_ascii=False)
    done = subprocess.run([sys.executable, "-m", "khabar", "-q", "ingest", "-"],
                          input=line.encode(), env=env, capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode()
    done = subprocess.run([sys.executable, "-m", "khabar", "articles"], env=env,
                          capture_output=True, check=True)
    (row,) = [json.loads(x) for x in done.stdout.decode().splitlines()]  # jsonl when piped
    assert row["origin"] == "<stdin>#1"


def test_empty_path_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "k.db"), "ingest", ""])
    assert result.exit_code == 2 and "E900" in result.output
