"""Progress of a long ``minutes index`` run, on standard error.

On a terminal: click's progress bar, with the files per second and the file being
read beside its ETA. Elsewhere (a log, a pipe, cron): plain lines, one per 5% of
the files and at least one every ``PLAIN_EVERY_S`` seconds, each with the count,
files per second and ETA, so a log shows how far a run got.
"""
from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

import click

PLAIN_EVERY_S = 10.0


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class Progress:
    """``on_plan`` / ``on_file`` callbacks for :func:`indexer.index_paths`; a context manager."""

    def __init__(self, stream=None, *, tty: bool | None = None):
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.total = self.done = 0
        self.started = time.monotonic()
        self.last_line = self.started
        self.next_share = 0
        self.bar = None

    def __enter__(self) -> Progress:
        if self.tty:
            self.bar = click.progressbar(length=0, label="indexing", file=self.stream, show_pos=True,
                                         show_percent=True, item_show_func=self._beside_bar).__enter__()
        return self

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)

    def rate(self) -> float:
        return self.done / max(time.monotonic() - self.started, 1e-6)

    def line(self) -> str:
        """``indexing: 120/200 files (60%), 35.2 files/s, ETA 0:00:02``"""
        rate = self.rate()
        share = f" ({100 * self.done // self.total}%)" if self.total else ""
        eta = _clock((self.total - self.done) / rate) if rate and self.total else "?"
        return f"indexing: {self.done}/{self.total} files{share}, {rate:.1f} files/s, ETA {eta}"

    def on_plan(self, count: int) -> None:
        self.total, self.started = count, time.monotonic()
        if self.bar is not None:
            self.bar.length = count
        else:
            click.echo(f"indexing: {count} files", file=self.stream)

    def on_file(self, path: Path) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.update(1, path)
            return
        now = time.monotonic()
        if 100 * self.done >= self.next_share * self.total or now - self.last_line >= PLAIN_EVERY_S:
            click.echo(self.line(), file=self.stream)
            self.stream.flush()
            self.last_line = now
            self.next_share = 100 * self.done // max(self.total, 1) // 5 * 5 + 5

    def _beside_bar(self, path: Path | None) -> str | None:
        return f"{self.rate():.1f} files/s  {path.name}" if path else None


def failure_summary(failed) -> list[str]:
    """The failures counted by kind of reason (the reason up to its first parenthesis or colon),
    most frequent first: ``failed 10 files: 4 not a valid .ofd file, 3 …``."""
    if not failed:
        return []
    kinds = Counter(f.reason.split(" (")[0].split(": ")[0] for f in failed)
    return [f"failed {len(failed)} files: " + "; ".join(f"{n} × {kind}" for kind, n in kinds.most_common())]
