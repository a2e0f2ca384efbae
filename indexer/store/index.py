"""The index of record on one screen: where it is opened, created, checked and written.

The Whoosh index lives in the index folder's ``live/`` (see :mod:`indexer.store.lifecycle`
for the folder, its locks and the atomic swap of a rebuild). It is opened only after its
schema version and analyzer fingerprint are checked against the code's
(:mod:`indexer.store.schema`): an index built otherwise is reported as outdated, never read
wrongly. :func:`open_writer` is the one place a writer is made (by
:mod:`indexer.ingest.indexing`); :class:`indexer.engine.SearchIndex` opens the searcher.
"""
from __future__ import annotations

from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import LockError

from ..errors import IndexLocked, IndexNotFound, IndexOutdated, MinutesError
from . import segmenter
from .flat import FlatCodec
from .lifecycle import cache_dir, index_location, is_legacy, live_dir
from .pickled import keep_moved_paths
from .schema import build_schema, check_meta, write_meta

LEGACY_REASON = "built by an older version, with its files directly in the index folder"
# Whatever opens an index in this process imports this module first: an index written before a
# pickled class moved names its old path (see indexer.store.pickled).
keep_moved_paths()
WRITER_MEMORY_MB = 256  # per writing process, before a segment is flushed


def index_state(index_dir: Path) -> str:
    """"current", "missing", or why the index is outdated."""
    if is_legacy(index_dir):
        return LEGACY_REASON
    live = live_dir(index_dir)
    if not whoosh_index.exists_in(str(live)):
        return "missing"
    try:
        check_meta(live, index_dir)
    except IndexOutdated as e:
        return e.reason
    return "current"


def create_index(target: Path):
    """A new, empty index in ``target`` (a ``live/`` folder, or a rebuild's scratch folder)."""
    target.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(target), build_schema())
    write_meta(target)
    return ix


def open_whoosh_index(index_dir: str | Path):
    """Open an existing index (the index folder's ``live/``) after checking its schema
    version and analyzer."""
    index_dir = Path(index_dir)
    if is_legacy(index_dir):
        raise IndexOutdated(str(index_dir), LEGACY_REASON)
    live = live_dir(index_dir)
    if not whoosh_index.exists_in(str(live)):
        raise IndexNotFound(str(index_dir))
    segmenter.use_cache_folder(cache_dir(index_dir))
    check_meta(live, index_dir)
    try:
        return whoosh_index.open_dir(str(live))
    except (OSError, ValueError) as e:  # corrupt or unreadable table of contents
        raise MinutesError(f"cannot open index at {index_dir}: {e}") from None


def open_writer(ix, index_dir: Path, timeout: float, procs: int = 1):
    """A writer of ``ix`` (use it as a context manager: committed at the end, cancelled on an
    error). ``procs`` > 1: that many processes, each writing a segment of its own.

    Not compound: Whoosh reads a compound segment's parts through BytesIO copies (~16 ms per
    part and every part's size in each process); separate files are read in place. FlatCodec:
    each segment's postings also as mapped arrays (see :mod:`indexer.store.flat`)."""
    options = {"procs": procs, "multisegment": True} if procs > 1 else {}
    try:
        return ix.writer(timeout=timeout, limitmb=WRITER_MEMORY_MB, compound=False, codec=FlatCodec(), **options)
    except LockError:  # only if a writer ignored our lock file
        raise IndexLocked(str(index_dir)) from None


def warm_up(index_dir: str | Path | None = None) -> None:
    """Load the segmenter's word table now (about a second) rather than on the first query:
    from the cache in the index folder when one is named (written there if missing)."""
    segmenter.warm_up(cache_dir(index_location(index_dir)) if index_dir else None)
