"""The audit trail's file (indexer/accounts/trail.py): whole lines from several processes at once."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from ..conftest import ROOT

TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


@pytest.mark.slow  # two processes of their own
def test_two_processes_append_whole_lines(tmp_path):
    path = tmp_path / "audit.log"
    script = ("import sys; from indexer import AuditLog\n"
              "log = AuditLog(sys.argv[1])\n"
              "for n in range(400): log.append('search', sys.argv[2], '-', {'q': '电梯' * 50, 'n': n})\n")
    procs = [subprocess.Popen([sys.executable, "-c", script, str(path), who], cwd=ROOT) for who in ("w1", "w2")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    entries = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(entries) == 800 and all(TIME.fullmatch(e["time"]) for e in entries)
    for who in ("w1", "w2"):
        assert [e["what"]["n"] for e in entries if e["user"] == who] == list(range(400))
        assert {(e["address"], e["event"], e["what"]["q"]) for e in entries if e["user"] == who} == {
            ("-", "search", "电梯" * 50)}
