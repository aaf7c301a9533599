"""A real SIGKILL in the middle of a large ingest loses no committed article, corrupts
nothing, and the re-run creates no duplicate."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

RECORDS = 6000


def count(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=1) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:  # not created or not migrated yet
        return 0


@pytest.mark.slow
def test_kill_during_ingest_then_rerun(tmp_path: Path) -> None:
    source = tmp_path / "big.jsonl"
    with source.open("w", encoding="utf-8") as handle:
        for i in range(RECORDS):
            body = " ".join(f"الفقرة {i} من خبر طويل عن الاقتصاد والمياه والطاقة رقم {j}."
                            for j in range(40))
            handle.write(json.dumps({"title": f"خبر {i}", "text": body}, ensure_ascii=False))
            handle.write("\n")
    db = tmp_path / "crash.db"
    # Commit safety does not depend on the extraction stages; they would only add minutes.
    command = [sys.executable, "-m", "khabar", "--db", str(db), "-q", "--set",
               "store.batch_size=100", "--set", "pipeline.workers=1", "--set",
               "pipeline.stages=boilerplate.v1,dedupe.v1", "ingest", str(source)]
    process = subprocess.Popen(command, start_new_session=True, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while count(db) < 300 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
    assert process.poll() is None, "ingest finished before it could be killed: make it bigger"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    committed = count(db)
    assert 300 <= committed < RECORDS and committed % 100 == 0  # whole batches only
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    done = subprocess.run(command, capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode()
    assert count(db) == RECORDS
    again = subprocess.run([*command[:-1], "--format", "json", str(source)],
                           capture_output=True, check=True)
    report = json.loads(again.stdout)
    assert report["added"] == 0 and report["unchanged"] == RECORDS
