"""Where the index lives on disk, and how it changes safely while it is being searched.

The index folder (``--index``, ``$MINUTES_INDEX``, or the project's ``index/``) is a
folder of our own; everything the index needs stays inside it, nothing is
written beside it or in the home folder::

    <index>/
      live/       the Whoosh index searchers open (segments, minutes-meta.json,
                  minutes-sources.json) and what searchers map instead of building it:
                  each segment's <segment>.flat, tables-<generation>.arrays and
                  vocabulary-<generation>.json (see indexer.store.flat, tables, suggest)
      .lock       the writer lock
      .rebuild/   a rebuild in progress (and, for a moment after the swap, the old index)
      cache/      the segmenter's word table, mapped by searchers (see indexer.store.wordtable)

- One writer at a time: every ``minutes index`` run holds an exclusive lock on
  ``<index>/.lock``, waiting up to ``timeout`` seconds (``WRITER_TIMEOUT_S``
  unless told otherwise) and then failing with a clear message, never a raw
  Whoosh LockError.
- A rebuild is built in ``.rebuild/`` and exchanged with ``live/`` in a single
  atomic rename (``renameat2(RENAME_EXCHANGE)`` on Linux), so searchers never see
  an empty or half-built index; readers of the old files keep them open until
  they reopen.
- ``folder_identity`` lets a searcher notice that ``live/`` was swapped.
- An index of an older version kept its files directly in the index folder
  (``legacy``); it reads as outdated, and a rebuild replaces it with ``live/``.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .. import settings
from ..errors import IndexLocked, MinutesError

# Read at each call: tests and callers may change it; MINUTES_WRITER_TIMEOUT sets it for a process.
WRITER_TIMEOUT_S = settings.value("WRITER_TIMEOUT")
LIVE, LOCK, SCRATCH, CACHE = "live", ".lock", ".rebuild", "cache"
# The project this package belongs to: its index/ folder is the default index.
PROJECT_ROOT = Path(__file__).resolve().parents[2]  # indexer/store/lifecycle.py → the checkout
# Test-only: kill the writer with SIGKILL when it reaches this stage, or pause it there until a
# signal comes (see crash_point).
CRASH_ENV = settings.setting("TEST_CRASH_AT").variable
PAUSE_ENV = settings.setting("TEST_PAUSE_AT").variable
PAUSE_LIMIT_S = 300.0  # a test that never sends its signal fails instead of hanging
CRASH_STAGES = ("add", "commit", "toc", "tables", "swap", "swapped", "batch")
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_LEGACY_FILES = ("_MAIN_*.toc", "MAIN_*", "minutes-meta.json", "tables-*.npz")


def default_index_dir() -> Path:
    """``$MINUTES_INDEX`` if set, else the project's ``index/`` folder, wherever the
    command runs from; an absolute path either way."""
    index = settings.value("INDEX")
    if index:
        return Path(index).absolute()
    if not (PROJECT_ROOT / "setup.py").is_file():
        raise MinutesError("no index folder: pass --index DIR or set MINUTES_INDEX "
                           f"(this installation has no project folder: {PROJECT_ROOT})")
    return PROJECT_ROOT / "index"


def index_location(value: str | Path | None) -> Path:
    """The index folder a command names (``--index``), else the default; absolute."""
    return Path(value).absolute() if value else default_index_dir()


def live_dir(index_dir: Path) -> Path:
    """The Whoosh index inside the index folder."""
    return Path(index_dir) / LIVE


def lock_path(index_dir: Path) -> Path:
    return Path(index_dir) / LOCK


def scratch_dir(index_dir: Path) -> Path:
    """Where a rebuild is built before it is swapped in."""
    return Path(index_dir) / SCRATCH


def cache_dir(index_dir: Path) -> Path:
    """Caches of this index (deleted with it)."""
    return Path(index_dir) / CACHE


def is_legacy(index_dir: Path) -> bool:
    """Whether the folder holds an index of an older version (Whoosh files directly in it)."""
    index_dir = Path(index_dir)
    return not live_dir(index_dir).exists() and any(index_dir.glob("_MAIN_*.toc"))


def remove_legacy(index_dir: Path) -> None:
    """Delete an older version's index files from the folder (after its replacement is live)."""
    for pattern in _LEGACY_FILES:
        for path in Path(index_dir).glob(pattern):
            if path.is_file():
                path.unlink(missing_ok=True)


@contextmanager
def writer_lock(index_dir: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the index's writer lock; wait up to ``timeout`` seconds (default
    ``WRITER_TIMEOUT_S``, read now) for another writer, then raise IndexLocked."""
    Path(index_dir).mkdir(parents=True, exist_ok=True)
    with file_lock(lock_path(index_dir), WRITER_TIMEOUT_S if timeout is None else timeout, index_dir):
        yield


@contextmanager
def file_lock(path: Path, timeout: float, index_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if need be), across processes; wait up to
    ``timeout`` seconds for its holder, then raise IndexLocked naming ``index_dir``."""
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexLocked(str(index_dir)) from None
                time.sleep(min(0.1, max(deadline - time.monotonic(), 0.0)))
        yield
    finally:
        os.close(fd)  # closing releases the lock; so does the process dying


def clear_scratch(index_dir: Path) -> None:
    """Remove what a rebuild killed half-way left behind (call under the lock)."""
    shutil.rmtree(scratch_dir(index_dir), ignore_errors=True)


def crash_point(stage: str) -> None:
    """Test-only hook: with ``MINUTES_TEST_CRASH_AT=<stage>`` in the environment the
    writer kills itself (SIGKILL, as ``kill -9`` would) on reaching ``stage``, so that
    tests can crash it at a known moment instead of a random one. Stages, in order:
    ``add`` (half the documents handed to Whoosh: segment files open and partly
    written), ``commit`` (every document added, before the commit), ``toc`` (inside
    the commit: segment files complete, the new table of contents not yet written),
    ``tables`` (committed, facet tables not yet written), ``swap`` (a rebuild
    complete in ``.rebuild/``, not yet swapped in), ``swapped`` (exchanged, the old
    index not yet deleted); and, in an update or first build that commits in batches,
    ``batch`` (a batch committed, at least half the run's files in).

    With ``MINUTES_TEST_PAUSE_AT=<stage>`` instead, the writer writes ``paused at <stage>``
    to standard error on reaching it and waits there until a signal interrupts it (a test
    sends SIGINT, as Ctrl-C would), however long the machine takes to get there.
    Never set either outside tests."""
    if settings.value("TEST_CRASH_AT") == stage:
        os.kill(os.getpid(), signal.SIGKILL)
    if settings.value("TEST_PAUSE_AT") == stage:
        # Ctrl-C's own handler, even where the process was started with SIGINT ignored (a
        # background job of a non-interactive shell: a CI runner's, say).
        signal.signal(signal.SIGINT, signal.default_int_handler)
        print(f"paused at {stage}", file=sys.stderr, flush=True)
        until = time.monotonic() + PAUSE_LIMIT_S
        while time.monotonic() < until:  # short sleeps, not signal.pause(): a signal landing just before one is acted on after it
            time.sleep(0.05)
        raise MinutesError(f"paused at {stage} for {PAUSE_LIMIT_S:.0f} s and no signal came")


def _exchange(a: Path, b: Path) -> bool:
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False  # the kernel or file system cannot exchange
    raise OSError(err, os.strerror(err), str(b))


def swap_in(built: Path, index_dir: Path) -> None:
    """Make the index built in ``built`` (the scratch folder) the live one; the old one
    is deleted. Both folders are inside the index folder, so the exchange stays in it."""
    live = live_dir(index_dir)
    if not live.exists():
        os.rename(built, live)
        remove_legacy(index_dir)
        return
    if not _exchange(built, live):
        # Not atomic: for a moment there is no index. Only where renameat2 is missing.
        old = Path(index_dir) / ".old"
        shutil.rmtree(old, ignore_errors=True)
        os.rename(live, old)
        os.rename(built, live)
        built = old
    crash_point("swapped")
    shutil.rmtree(built, ignore_errors=True)


def folder_identity(index_dir: Path) -> tuple[int, int]:
    """Changes when the live index is swapped for another one."""
    st = os.stat(live_dir(index_dir))
    return (st.st_dev, st.st_ino)
