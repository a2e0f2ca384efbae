"""The audit trail: one JSON object per line, appended to ``<index>/audit.log``.

Each line is ``{"time", "user", "address", "event", "what"}``: the time in UTC
(ISO 8601), the user's name ("" for nobody), the client's address (``cli`` for the
command line), one of :data:`EVENTS`, and an object saying what (a search's query
and filters, a document's id, the user changed).

Every line is written by one ``write`` on a file opened with ``O_APPEND``: the
kernel puts each write at the end of the file, so lines from several gunicorn
workers and the command line never interleave or overwrite each other.

Searches by anonymous visitors are counted, not logged with their text: each
process keeps a count and appends one ``anonymous_searches`` line with it at the
first anonymous search a minute or more after its count began, and when it exits.

The web app appends sign-ins, searches, views and uploads; ``minutes users`` appends
its changes and ``minutes log`` prints the trail. (The parse audit, ``minutes audit``,
is another thing: :mod:`indexer.ingest.audit`.)
"""
from __future__ import annotations

import atexit
import json
import os
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

FILE_NAME = "audit.log"
EVENTS = ("sign_in", "sign_in_failed", "sign_out", "search", "view", "upload",
          "user_add", "user_remove", "passwd", "locked", "anonymous_searches")
EVENT_LABELS = {
    "sign_in": "登录", "sign_in_failed": "登录失败", "sign_out": "退出", "search": "检索", "view": "查看文档",
    "upload": "上传", "user_add": "添加用户", "user_remove": "删除用户", "passwd": "修改密码",
    "locked": "暂停登录", "anonymous_searches": "匿名检索计数",
}
ANONYMOUS_FLUSH_S = 60.0
MAX_TEXT = 500  # a query longer than this is cut in the log (the search itself refuses long ones)


def default_path(index_dir: str | Path) -> Path:
    return Path(index_dir) / FILE_NAME


def iso_time(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Entry:
    time: str
    user: str
    address: str
    event: str
    what: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"time": self.time, "user": self.user, "address": self.address, "event": self.event,
                "what": self.what}


def _cut(value):
    if isinstance(value, str) and len(value) > MAX_TEXT:
        return value[:MAX_TEXT] + "…"
    if isinstance(value, dict):
        return {k: _cut(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_cut(v) for v in value]
    return value


class AuditLog:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._anonymous = 0
        self._anonymous_since = 0.0
        atexit.register(self.flush)

    def append(self, event: str, user: str = "", address: str = "", what: dict | None = None,
               now: float | None = None) -> Entry:
        if event not in EVENTS:
            raise ValueError(f"unknown audit event {event!r}")
        entry = Entry(iso_time(time.time() if now is None else now), user or "", address or "", event,
                      _cut(dict(what or {})))
        line = (json.dumps(entry.as_dict(), ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            written = os.write(fd, line)  # one write per line: see the module's docstring
        finally:
            os.close(fd)
        if written != len(line):
            raise OSError(f"short write to {self.path}: {written} of {len(line)} bytes")
        return entry

    def count_anonymous_search(self, now: float | None = None) -> None:
        now = time.time() if now is None else now
        with self._lock:
            if not self._anonymous:
                self._anonymous_since = now
            self._anonymous += 1
            due = now - self._anonymous_since >= ANONYMOUS_FLUSH_S
        if due:
            self.flush(now)

    def flush(self, now: float | None = None) -> None:
        """Append the count of anonymous searches so far, if any, and start counting afresh."""
        with self._lock:
            count, since = self._anonymous, self._anonymous_since
            self._anonymous = 0
        if count:
            self.append("anonymous_searches", what={"count": count, "since": iso_time(since)}, now=now)

    def entries(self, since: str = "", user: str = "", event: str = "") -> Iterator[Entry]:
        """The log's entries in the order written, those from ``since`` on (an ISO date or
        time, compared as text: ``2026-11-29`` or ``2026-11-29T08:00``) by ``user`` with
        ``event`` when given. A line that is not JSON (a disk that filled mid-line) is skipped."""
        try:
            f = open(self.path, encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return
        with f:
            for line in f:
                try:
                    data = json.loads(line)
                    entry = Entry(data["time"], data["user"], data["address"], data["event"], data.get("what") or {})
                except (ValueError, KeyError, TypeError):
                    continue
                if (since and entry.time < since) or (user and entry.user != user) or (event and entry.event != event):
                    continue
                yield entry


def describe(what: dict) -> str:
    """An entry's ``what`` in one line of text: ``q=电梯 dept=市发改委 page=2``."""
    parts = []
    for key, value in what.items():
        if isinstance(value, dict):
            parts.extend(f"{k}={'|'.join(map(str, v)) if isinstance(v, list) else v}" for k, v in value.items())
        elif isinstance(value, list):
            parts.append(f"{key}={'|'.join(map(str, value))}")
        else:
            parts.append(f"{key}={value}")
    return " ".join(parts)


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str, as_json: bool = False) -> str:
    """``text`` for a terminal: control characters (C0 with CR and LF, DEL, C1 with ESC's CSI,
    line and paragraph separators, bidi overrides) written out as ``\\n``, ``\\x1b``, ``\\u2028``,
    so that a name or query can neither start a forged line nor drive the terminal. ``as_json``:
    ``text`` is JSON, and each is written ``\\u009b`` (JSON's own escape; ``json.dumps`` leaves DEL,
    C1 and the separators as they are)."""
    def escape(m: re.Match) -> str:
        c = m.group()
        if as_json:
            return f"\\u{ord(c):04x}"
        return _ESCAPES.get(c) or (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")
    return _CONTROL.sub(escape, text)
