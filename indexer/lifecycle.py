"""How the index on disk changes safely while it is being searched.

- One writer at a time: every ``minutes index`` run holds an exclusive lock on
  ``.<index>.lock`` beside the index folder, waiting up to ``WRITER_TIMEOUT_S``
  and then failing with a clear message, never a raw Whoosh LockError.
- A rebuild is built in a sibling folder and exchanged with the live one in a
  single atomic rename (``renameat2(RENAME_EXCHANGE)`` on Linux), so searchers
  never see an empty or half-built index; readers of the old files keep them
  open until they reopen.
- ``folder_identity`` lets a searcher notice that its folder was swapped.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import IndexLocked

WRITER_TIMEOUT_S = 10.0
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def lock_path(index_dir: Path) -> Path:
    return index_dir.parent / f".{index_dir.name}.lock"


@contextmanager
def writer_lock(index_dir: Path, timeout: float = WRITER_TIMEOUT_S) -> Iterator[None]:
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path(index_dir), os.O_CREAT | os.O_RDWR, 0o644)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexLocked(str(index_dir)) from None
                time.sleep(0.1)
        yield
    finally:
        os.close(fd)  # closing releases the lock; so does the process dying


def scratch_dir(index_dir: Path) -> Path:
    """Where a rebuild is built before it is swapped in."""
    return index_dir.parent / f".{index_dir.name}.rebuild"


def clear_scratch(index_dir: Path) -> None:
    """Remove what a rebuild killed half-way left behind (call under the lock)."""
    shutil.rmtree(scratch_dir(index_dir), ignore_errors=True)


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
    """Make ``built`` the index at ``index_dir``; the old index is deleted."""
    if not index_dir.exists():
        os.rename(built, index_dir)
        return
    if not _exchange(built, index_dir):
        # Not atomic: for a moment there is no index. Only where renameat2 is missing.
        old = index_dir.parent / f".{index_dir.name}.old"
        shutil.rmtree(old, ignore_errors=True)
        os.rename(index_dir, old)
        os.rename(built, index_dir)
        built = old
    shutil.rmtree(built, ignore_errors=True)


def folder_identity(index_dir: Path) -> tuple[int, int]:
    """Changes when the folder is swapped for another one."""
    st = os.stat(index_dir)
    return (st.st_dev, st.st_ino)
