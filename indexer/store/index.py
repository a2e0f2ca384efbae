"""x"""
from __future__ import annotations

from pathlib import Path

from whoosh import index as whoosh_index

from ..errors import IndexNotFound, IndexOutdated, MinutesError
from . import segmenter
from .lifecycle import cache_dir, index_location, is_legacy, live_dir
from .schema import build_schema, check_meta, write_meta
from .segmenter import use_cache_folder


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


LEGACY_REASON = "built by an older version, with its files directly in the index folder"


def create_index(target: Path):
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
    use_cache_folder(cache_dir(index_dir))
    check_meta(live, index_dir)
    try:
        return whoosh_index.open_dir(str(live))
    except (OSError, ValueError) as e:  # corrupt or unreadable table of contents
        raise MinutesError(f"cannot open index at {index_dir}: {e}") from None


def warm_up(index_dir: str | Path | None = None) -> None:
    """Load the segmenter's word table now (about a second) rather than on the first query:
    from the cache in the index folder when one is named (written there if missing)."""
    segmenter.warm_up(cache_dir(index_location(index_dir)) if index_dir else None)
