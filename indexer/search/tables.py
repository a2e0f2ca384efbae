"""What a searcher needs besides the posting lists: facet table, date orders, each record's document.

Building them means reading every facet value's posting list (the meeting
facet has one value per document) and every record's date — about a second at
fifty thousand records, too long for a web worker's first request. So the
indexer builds them after each commit and writes them beside the index as
``tables-<generation>.arrays`` (see :mod:`indexer.store.arrays`); a searcher maps the
file of its own generation (and segment list) without reading it and builds them
itself only when the file is missing or belongs to another state of the index.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..store import FACET_FIELDS, Postings, read_arrays, write_arrays
from .facets import Facet, FacetTable, as_mask, from_mask

PREFIX = "tables-"
SUFFIX = ".arrays"
MAGIC = b"MINTABLE"
FORMAT = 4  # bump when the arrays or their meaning change: files of another format are rebuilt


@dataclass(frozen=True)
class Tables:
    facets: FacetTable
    newest: np.ndarray  # live document numbers, newest first (undated first), then by item number
    oldest: np.ndarray  # the same, oldest first
    documents: np.ndarray  # each record's document, as a number (int32; -1: deleted or none)

    @classmethod
    def build(cls, postings: Postings) -> Tables:
        facets = FacetTable.build(postings)
        reader = postings.searcher.reader()
        alive = as_mask(facets.live, facets.size)
        live = np.flatnonzero(alive)
        documents = np.full(facets.size, -1, dtype=np.int32)
        for n, term in enumerate(reader.lexicon("doc_id")):
            ids = postings.read("doc_id", term.decode("utf-8") if isinstance(term, bytes) else term)[0]
            documents[ids[alive[ids]]] = n
        if not len(live):  # an empty index has no columns either
            return cls(facets, live, live, documents)
        dates_column, numbers_column = reader.column_reader("date"), reader.column_reader("item_no")
        dates = [_text(dates_column[d]) for d in live.tolist()]
        numbers = np.array([numbers_column[d] for d in live.tolist()], dtype=np.int64)
        rank = np.unique(np.array(dates, dtype=str), return_inverse=True)[1] if dates else np.zeros(0, int)
        undated = np.array([not d for d in dates], dtype=bool)
        newest = live[np.lexsort((numbers, -rank, ~undated))]
        oldest = live[np.lexsort((numbers, rank, ~undated))]
        return cls(facets, newest, oldest, documents)

    def order(self, sort: str) -> np.ndarray:
        return self.newest if sort == "newest" else self.oldest

    def save(self, index_dir: Path, searcher) -> Path:
        """Write the tables for the searcher's state of the index; drop older files."""
        arrays = {"live": as_mask(self.facets.live, self.facets.size), "newest": self.newest, "oldest": self.oldest,
                  "documents": self.documents}
        for name, facet in self.facets.facets.items():
            arrays[f"{name}.values"] = np.array(facet.values, dtype=str)
            arrays[f"{name}.records"], arrays[f"{name}.codes"] = facet.records, facet.codes
            arrays[f"{name}.starts"] = facet.starts
            arrays[f"{name}.bits"] = facet.bits if facet.bits is not None else np.zeros((0, 0), dtype=np.uint64)
        path = index_dir / f"{PREFIX}{searcher.reader().generation()}{SUFFIX}"
        write_arrays(path, MAGIC, {"format": FORMAT, "identity": identity(searcher), "size": self.facets.size}, arrays)
        for old in index_dir.glob(f"{PREFIX}*"):
            if old != path:
                old.unlink(missing_ok=True)
        return path

    @classmethod
    def load(cls, index_dir: Path, searcher) -> Tables | None:
        """The tables written for this searcher's state of the index (mapped), or None."""
        path = index_dir / f"{PREFIX}{searcher.reader().generation()}{SUFFIX}"
        try:
            meta, data = read_arrays(path, MAGIC)
            if meta.get("format") != FORMAT or meta.get("identity") != identity(searcher):
                return None
            size = int(meta["size"])
            facets = {}
            for name in FACET_FIELDS:
                bits = data[f"{name}.bits"]
                facets[name] = Facet(tuple(data[f"{name}.values"].tolist()), data[f"{name}.records"],
                                     data[f"{name}.codes"], data[f"{name}.starts"], bits if bits.size else None)
            return cls(FacetTable(size, from_mask(data["live"]), facets), data["newest"], data["oldest"],
                       data["documents"])
        except (OSError, KeyError, ValueError):
            return None  # missing, from another version, or damaged: build instead


def identity(searcher) -> list[str]:
    """The segments (and their deletions) a searcher sees, and its record count."""
    reader = searcher.reader()
    leaves = [f"{leaf.segment().segment_id()}:{leaf.segment().deleted_count()}"
              for leaf, _ in reader.leaf_readers() if getattr(leaf, "segment", lambda: None)()]  # none when empty
    return [*leaves, str(reader.doc_count_all())]


def read_derived(folder: Path, prefix: str, fmt: int, searcher) -> dict | None:
    """The JSON a commit wrote beside the index for this searcher's state (``<prefix><generation>.json``,
    of format ``fmt``), or None when missing, of another format or state, or damaged."""
    try:
        data = json.loads(derived_path(folder, prefix, searcher).read_text("utf-8"))
        return data if data["format"] == fmt and data["identity"] == identity(searcher) else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_derived(folder: Path, prefix: str, fmt: int, searcher, payload: dict) -> Path:
    """Write ``payload`` for this searcher's state atomically (stamped with ``fmt`` and the index's
    identity) and drop the files of older states."""
    path = derived_path(folder, prefix, searcher)
    scratch = path.with_name(path.name + ".tmp")
    scratch.write_text(json.dumps({"format": fmt, "identity": identity(searcher), **payload},
                                  ensure_ascii=False), "utf-8")
    os.replace(scratch, path)
    drop_older(folder, prefix, searcher)
    return path


def drop_older(folder: Path, prefix: str, searcher) -> None:
    path = derived_path(folder, prefix, searcher)
    for old in Path(folder).glob(f"{prefix}*.json"):
        if old != path:
            old.unlink(missing_ok=True)


def derived_path(folder: Path, prefix: str, searcher) -> Path:
    return Path(folder) / f"{prefix}{searcher.reader().generation()}.json"


def _text(value) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value or "")
