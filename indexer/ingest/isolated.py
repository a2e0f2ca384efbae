"""Uploaded files read in a child process, within limits of time and memory.

A web worker that parses an upload itself is at the mercy of the file: a .docx of millions of
empty elements held one for 14 s, three of them in one upload outlived gunicorn's 30 s and the
worker was killed; a PDF page rendered for OCR took it from 2.7 to 7.0 GB (issue 26). The
readers refuse what they can see coming (:mod:`indexer.read.archive`, the page and pixel limits);
what they cannot is bounded here. :func:`check_files` reads an upload's files, one after
another, in one child process, whose address space may grow only so far past what it has once
the engine is imported (``RLIMIT_AS``): a file that needs more memory is refused, and so is one whose reading outlasts its time, the child then killed and
a new one started for the files after it. The worker's memory never holds a file's parse; what
the child used is returned when it ends, with the upload's check.

The child is forked from multiprocessing's fork server, which gunicorn starts as a worker starts
(:func:`start_reader_server`; else the worker's first upload starts it, 1.5-4.5 s more): a
clean process that imported the engine once (a fork of the web worker itself would copy its open
index and its threads' locks). Forking from it takes 60-80 ms where spawning a process that imports
the engine takes 1.5-4.5 s (two shared cores); the server stays beside its worker, with the
engine's modules loaded and no index, until the worker exits. As with any multiprocessing start
method but fork, a script that stages uploads itself needs the ``if __name__ == "__main__":``
guard (gunicorn and the ``minutes`` command have it). ``minutes index`` parses in
its own processes without these limits (the operator's own files, no request to answer): the
readers' limits protect it.
"""
from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import os
import resource
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from .. import settings
from ..model import Document
from ..read import IMAGE_SUFFIXES, ocr, scan_pages
from .audit import FileAudit, audit_context, audit_document, parse_for_audit
from .documents import path_under_root

# Scanned pages are recognised at 2-4 s a page on two cores (scripts/bench, OCR): each may add this
# much to its file's time.
SCAN_PAGE_SECONDS = 5.0
START_SECONDS = 60.0  # for the child to import the engine (about 1.5 s)
MIB = 1024 * 1024


@dataclass(frozen=True)
class CheckLimits:
    """What reading one upload's files may cost (indexer/settings.py has each setting's meaning)."""

    seconds: float = settings.default("UPLOAD_PARSE_SECONDS")  # per file, and SCAN_PAGE_SECONDS a scanned page
    memory: int = settings.default("UPLOAD_PARSE_MEMORY")  # bytes the child's address space may grow by
    total_seconds: float = settings.default("UPLOAD_CHECK_SECONDS")  # the whole upload's files
    # Scanned pages one upload may have recognised: its check reads them within the web request, at
    # 2-4 s a page on two cores (scripts/bench, OCR), inside a web worker's 30 s timeout. (The commit
    # reads them from the OCR cache the check filled.) Longer scans go through minutes index.
    scan_pages: int = 6


DEFAULT_LIMITS = CheckLimits()


@dataclass(frozen=True)
class Checked:
    """One file read: the document it parsed into (its visibility decided) or the audit row of its
    failure; or why it was not read to the end (``refused``). The audit of a document is made by
    the caller (:func:`indexer.ingest.audit.audit_document`), with the caller's settings."""

    path: str
    parsed: Document | FileAudit | None = None
    scan_pages: int = 0
    refused: str = ""

    @property
    def audit(self) -> FileAudit | None:
        if self.parsed is None or isinstance(self.parsed, FileAudit):
            return self.parsed
        return audit_document(self.parsed, self.path)


def check_files(paths: list[Path], index_dir: Path, limits: CheckLimits) -> list[Checked]:
    """Each file parsed for its audit (as :func:`indexer.ingest.audit.audit_paths` parses it) in a
    child process within ``limits``, in the order of ``paths``; a file over a limit is refused, and the
    files after it are read on."""
    started = time.monotonic()
    checked: list[Checked] = []
    scanned = 0
    child: _Child | None = None
    try:
        for path in paths:
            left = limits.total_seconds - (time.monotonic() - started)
            if left <= 0:
                checked.append(Checked(str(path), refused=f"not read: checking this upload's files took the "
                                                          f"{limits.total_seconds:g} s it may; upload it again on its own"))
                continue
            child = child or _Child(index_dir, limits.memory)
            scannable = ocr.available() and path.suffix.lower() in {".pdf", *IMAGE_SUFFIXES}
            seconds = limits.seconds + (SCAN_PAGE_SECONDS * (limits.scan_pages - scanned) if scannable else 0)
            result = child.check(path, limits.scan_pages - scanned, limits, min(seconds, left),
                                 f"{seconds:g} s, the most reading one uploaded file may take" if seconds <= left else
                                 f"the {limits.total_seconds:g} s this upload's files may take together")
            if not child.alive():
                child = None
            scanned += result.scan_pages if not result.refused else 0
            checked.append(result)
    finally:
        if child is not None:
            child.close()
    return checked


def start_reader_server() -> None:
    """Start the fork server the upload check's children come from, now rather than on the first
    upload (gunicorn calls this in each new worker): it imports the engine in its own process while
    the worker takes requests."""
    multiprocessing.get_context("forkserver").set_forkserver_preload([__name__])
    multiprocessing.forkserver.ensure_running()


class _Child:
    """A spawned process reading files on request, one at a time."""

    def __init__(self, index_dir: Path, memory: int):
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])  # read when the server starts: the engine imported once
        self.conn, theirs = context.Pipe()
        environ = {k: v for k, v in os.environ.items() if k.startswith(settings.PREFIX)}
        self.process = context.Process(target=_serve, args=(theirs, str(index_dir), memory, environ), daemon=True,
                                       name="minutes-upload-check")
        self.process.start()
        theirs.close()
        try:  # ready: the engine imported, the memory limit set
            if self.conn.poll(START_SECONDS) and self.conn.recv() == "ready":
                return
        except (EOFError, OSError):
            pass
        self.close()
        raise RuntimeError(f"the process that reads uploads did not start (exit status {self.process.exitcode})")

    def alive(self) -> bool:
        return not self.conn.closed

    def check(self, path: Path, scan_budget: int, limits: CheckLimits, seconds: float, over: str) -> Checked:
        try:
            self.conn.send((str(path), scan_budget, limits.scan_pages))
            answered = self.conn.poll(seconds)
        except OSError:  # it died between files
            answered = True
        if answered:
            try:
                checked, going_on = self.conn.recv()
            except (EOFError, OSError):  # it died reading the file
                self.close()
                return Checked(str(path), refused=_death(self.process.exitcode, limits.memory))
            if not going_on:
                self.close()
            return checked
        self.process.kill()  # deep in the file: not to be waited for
        self.close()
        return Checked(str(path), refused=f"reading it took longer than {over}; minutes index reads it without "
                                          f"this limit")

    def close(self) -> None:
        """Stop the child (killed when it does not stop at once: it may be deep in a file)."""
        if self.conn.closed:
            return
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(0.5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def _memory_reason(memory: int) -> str:
    return f"reading it needs more than {memory / MIB:.0f} MB of memory, the most an uploaded file may use"


def _death(code: int | None, memory: int) -> str:
    if code is not None and code < 0:
        name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
        if -code in (signal.SIGKILL, signal.SIGSEGV, signal.SIGABRT, signal.SIGBUS):  # out of memory, mostly
            return f"{_memory_reason(memory)} (the process reading it ended by {name})"
        return f"the process reading it ended by {name}"
    return f"the process reading it ended (exit status {code})"


# --- the child ---------------------------------------------------------------------------

def _serve(conn, index_dir: str, memory: int, environ: dict[str, str]) -> None:
    """Read the files the parent names until it sends None; each answer a :class:`Checked`.
    ``environ``: the parent's settings now (the server this was forked from has those of its start)."""
    for name in [n for n in os.environ if n.startswith(settings.PREFIX)]:
        del os.environ[name]
    os.environ.update(environ)
    _limit_memory(memory)
    conn.send("ready")
    while (job := conn.recv()) is not None:
        path, scan_budget, scan_limit = job
        try:
            conn.send((_check(Path(path), Path(index_dir), scan_budget, scan_limit), True))
        except MemoryError:
            # What a MemoryError interrupted may be in any state: the next file gets a fresh process.
            conn.send((Checked(path, refused=_memory_reason(memory)), False))
            return


def _limit_memory(memory: int) -> None:
    """Limit this process's address space to what it has now (the engine imported) and ``memory`` more."""
    try:
        with open("/proc/self/statm") as statm:  # Linux: the first field is the address space, in pages
            now = int(statm.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        now = 0
    resource.setrlimit(resource.RLIMIT_AS, (now + memory, now + memory))


def _check(path: Path, index_dir: Path, scan_budget: int, scan_limit: int) -> Checked:
    pages = scan_pages(path.read_bytes(), path.suffix) if ocr.available() else 0
    if pages > scan_budget:
        return Checked(str(path), scan_pages=pages,
                       refused=f"{pages} scanned pages to recognise, and one upload may have at most {scan_limit} "
                               "(each takes seconds); add it with minutes index")
    rules, roots = audit_context(index_dir)
    return Checked(str(path), parse_for_audit(path, path_under_root(path, path, roots), rules), pages)
