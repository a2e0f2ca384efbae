"""Limits on failed sign-ins, shared by every gunicorn worker through a small SQLite
file beside the index (``<index>/signin.sqlite``, WAL journal).

- per name typed: after ``max_failures`` failures within ``lock_seconds``, the name is
  locked for ``lock_seconds``. Names that exist and names that do not are counted and
  locked alike, so a lock says nothing about which names exist;
- per client address: after ``max_per_address`` failures within ``lock_seconds``, the
  address is locked for ``lock_seconds``, whatever name it tries.

A successful sign-in clears its name's failures (not its address's). Each change runs
in one ``BEGIN IMMEDIATE`` transaction: two workers counting at once never lose a failure.
This module imports no Flask.
"""
from __future__ import annotations

import os
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

FILE_NAME = "signin.sqlite"
ACCOUNT, ADDRESS = "account", "address"

SCHEMA = """
CREATE TABLE IF NOT EXISTS failures (key TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS failures_by_key ON failures (key, at);
CREATE TABLE IF NOT EXISTS locks (key TEXT PRIMARY KEY, until REAL NOT NULL);
"""


def default_path(index_dir: str | Path) -> Path:
    return Path(index_dir) / FILE_NAME


@dataclass(frozen=True)
class Lock:
    kind: str  # ACCOUNT or ADDRESS
    until: float

    def minutes_left(self, now: float) -> int:
        """Whole minutes left, rounded up (at least 1), as the page says them."""
        return max(1, -int(-(self.until - now) // 60))


def _keys(name: str, address: str) -> tuple[str, str]:
    return f"{ACCOUNT}:{name.casefold()}", f"{ADDRESS}:{address}"


class SignInLimits:
    def __init__(self, path: str | Path, max_failures: int = 5, max_per_address: int = 20,
                 lock_seconds: float = 15 * 60):
        self.path = Path(path)
        self.max_failures = max_failures
        self.max_per_address = max_per_address
        self.lock_seconds = lock_seconds

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Made private (issue 26): SQLite gives its journal files the database file's mode.
        os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, 0o600))
        db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.executescript(SCHEMA)
        return db

    def locked(self, name: str, address: str, now: float | None = None) -> Lock | None:
        """The lock on this name or this address, if one is in force (the name's first)."""
        now = time.time() if now is None else now
        account, addr = _keys(name, address)
        with closing(self._connect()) as db:
            rows = dict(db.execute("SELECT key, until FROM locks WHERE key IN (?, ?) AND until > ?",
                                   (account, addr, now)).fetchall())
        if account in rows:
            return Lock(ACCOUNT, rows[account])
        if addr in rows:
            return Lock(ADDRESS, rows[addr])
        return None

    def failed(self, name: str, address: str, now: float | None = None) -> Lock | None:
        """Count a failure; the lock it set, if it was the one too many."""
        now = time.time() if now is None else now
        since = now - self.lock_seconds
        lock = None
        with closing(self._connect()) as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute("DELETE FROM failures WHERE at <= ?", (since,))
                db.execute("DELETE FROM locks WHERE until <= ?", (now,))
                for kind, key, limit in ((ACCOUNT, _keys(name, address)[0], self.max_failures),
                                         (ADDRESS, _keys(name, address)[1], self.max_per_address)):
                    db.execute("INSERT INTO failures (key, at) VALUES (?, ?)", (key, now))
                    (count,) = db.execute("SELECT count(*) FROM failures WHERE key = ?", (key,)).fetchone()
                    if count >= limit:
                        until = now + self.lock_seconds
                        db.execute("INSERT OR REPLACE INTO locks (key, until) VALUES (?, ?)", (key, until))
                        db.execute("DELETE FROM failures WHERE key = ?", (key,))
                        lock = lock or Lock(kind, until)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return lock

    def succeeded(self, name: str) -> None:
        with closing(self._connect()) as db:
            db.execute("DELETE FROM failures WHERE key = ?", (_keys(name, "")[0],))
