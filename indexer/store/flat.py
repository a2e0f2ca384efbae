"""Posting lists as flat arrays on disk, mapped by every searcher without decoding.

Whoosh stores a posting list as zlib-compressed pickles, block by block, and a
term's positions as one pickle per posting. Decoding them in Python is where a
first-time query spent its time (a broad word's positions: hundreds of
milliseconds), and every worker, and every searcher reopened after an update,
paid it again.

So while Whoosh writes a segment, :class:`FlatCodec` also writes the same
postings as flat arrays in one file beside it, ``<index>_<segment id>.flat``:

* a term table keyed by ``field \\0 term bytes`` (:class:`indexer.store.arrays.KeyTable`),
  giving each term's range of postings and of positions;
* per posting: the segment's document number, the weight, and the number of
  positions; and the positions themselves, in posting order.

Each array is stored in the smallest type that holds it exactly. A searcher
maps the file (``numpy.memmap``): pages are read on first touch and shared by
every process through the OS, and a reopen after an update maps only the new
segments' files. The name follows Whoosh's segment files, so Whoosh deletes the
file with its segment after a merge. Whoosh's own files stay the source of
truth: a segment without a readable ``.flat`` file (an index written before
this module, a damaged file) is read through Whoosh as before, and
``minutes index`` writes the missing files (see :mod:`indexer.store.postings`).
"""
from __future__ import annotations

from array import array
from pathlib import Path
from pickle import loads

import numpy as np
from whoosh import formats
from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter

from .arrays import KeyTable, key_arrays, read_arrays, write_arrays

MAGIC = b"MINFLAT1"
FORMAT = 1  # bump when the layout or meaning changes: files of another format are ignored (and rewritten)
SUFFIX = ".flat"


def term_key(fieldname: str, btext: bytes) -> bytes:
    return fieldname.encode("utf-8") + b"\0" + btext


def decode_deltas(values) -> list[list[int]]:
    """Whoosh's Positions values (a count, then the pickled position deltas, whose final
    STOP byte may be trimmed) as lists of deltas, with one unpickling for all of them."""
    return loads(b"\x80\x02(" + b"".join([v[4:-1] if v[-1:] == b"." else v[4:] for v in values]) + b"l.")


def positions_from_deltas(deltas: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """(count per posting, positions): each posting's deltas summed into positions."""
    counts = np.fromiter(map(len, deltas), dtype=np.int64, count=len(deltas))
    flat = np.fromiter((d for ds in deltas for d in ds), dtype=np.int64, count=int(counts.sum()))
    running, firsts = np.cumsum(flat), np.cumsum(counts) - counts
    nonempty = counts > 0
    before = np.zeros(len(counts), dtype=np.int64)
    before[nonempty] = running[firsts[nonempty]] - flat[firsts[nonempty]]
    return counts, running - np.repeat(before, counts)


def _narrow(values: np.ndarray) -> np.ndarray:
    """The values in the smallest type that holds them exactly."""
    if not len(values):
        return values.astype(np.uint8)
    if values.dtype.kind == "f":
        if not (np.all(values == np.round(values)) and values.min() >= 0):
            return values
        values = values.astype(np.int64)
    low, high = int(values.min()), int(values.max())
    for dtype in (np.uint8, np.uint16, np.uint32, np.int64):
        info = np.iinfo(dtype)
        if info.min <= low and high <= info.max:
            return values.astype(dtype)
    return values


class FlatWriter:
    """Collects one segment's postings, term by term in Whoosh's order, and writes the file."""

    def __init__(self):
        self._keys: list[bytes] = []
        self._post_starts = array("q")
        self._pos_starts = array("q")
        # Weights as Whoosh keeps them: single precision.
        self._ids, self._weights, self._counts = array("q"), array("f"), array("q")
        self._positions: list[np.ndarray] = []
        self._npos = 0

    def add_term(self, key: bytes, ids, weights, deltas: list[list[int]] | None) -> None:
        """One term's postings; ``deltas``: each posting's position deltas, or None."""
        self._keys.append(key)
        self._post_starts.append(len(self._ids))
        self._pos_starts.append(self._npos)
        self._ids.extend(ids)
        self._weights.extend(weights)
        if deltas is None:
            self._counts.frombytes(bytes(8 * len(ids)))
        else:
            counts, positions = positions_from_deltas(deltas)
            self._counts.extend(counts.tolist())
            self._positions.append(positions)
            self._npos += len(positions)

    def write(self, path: Path) -> None:
        n = len(self._keys)
        order, table = key_arrays(self._keys)
        post_starts = np.frombuffer(self._post_starts, dtype=np.int64)
        post_ends = np.append(post_starts[1:], len(self._ids)) if n else post_starts
        pos_starts = np.frombuffer(self._pos_starts, dtype=np.int64)
        arrays = {
            **table,
            "post_starts": post_starts[order],
            "post_ends": post_ends[order],
            "pos_starts": pos_starts[order],
            "ids": _narrow(np.frombuffer(self._ids, dtype=np.int64)),
            "weights": _narrow(np.frombuffer(self._weights, dtype=np.float32)),
            "counts": _narrow(np.frombuffer(self._counts, dtype=np.int64)),
            "positions": _narrow(np.concatenate(self._positions) if self._positions else np.zeros(0, np.int64)),
        }
        docs = int(arrays["ids"].max()) + 1 if len(self._ids) else 0
        write_arrays(path, MAGIC, {"format": FORMAT, "docs": docs, "terms": n}, arrays)


class FlatSegment:
    """One segment's ``.flat`` file, mapped."""

    def __init__(self, path: Path):
        meta, arrays = read_arrays(path, MAGIC)
        if meta.get("format") != FORMAT:
            raise ValueError(f"{path.name}: format {meta.get('format')}, expected {FORMAT}")
        self.docs = meta["docs"]  # one past the highest document number with a posting
        self.terms = KeyTable(arrays)
        self.find = self.terms.find  # the term's row, or -1
        for name in ("post_starts", "post_ends", "pos_starts", "ids", "weights", "counts", "positions"):
            setattr(self, "_" + name, arrays[name])

    def postings(self, row: int) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, weights) of the term in ``row``, as mapped (read-only)."""
        a, b = int(self._post_starts[row]), int(self._post_ends[row])
        return self._ids[a:b], self._weights[a:b]

    def positions(self, row: int, among: np.ndarray | None = None) -> np.ndarray:
        """The term's occurrences as ``docnum << 32 | position``, ascending: all of
        them, or only those in the records ``among`` flags (segment's numbering)."""
        a, b = int(self._post_starts[row]), int(self._post_ends[row])
        ids = self._ids[a:b].astype(np.int64)
        counts = self._counts[a:b].astype(np.int64)
        first = int(self._pos_starts[row])
        if among is not None:
            wanted = np.flatnonzero(among[ids])
            if len(wanted) < len(ids):
                starts = first + np.cumsum(counts) - counts
                ids, counts = ids[wanted], counts[wanted]
                total = int(counts.sum())
                # The wanted postings' position ranges, as one index array.
                index = np.repeat(starts[wanted] - (np.cumsum(counts) - counts), counts) + np.arange(total)
                return (np.repeat(ids, counts) << 32) | self._positions[index].astype(np.int64)
        total = int(counts.sum())
        return (np.repeat(ids, counts) << 32) | self._positions[first:first + total].astype(np.int64)


def flat_path(folder: str | Path, segment) -> Path:
    """Named as Whoosh names the segment's own files (``MAIN_<id>.pst``), so that Whoosh
    deletes it with them."""
    return Path(folder) / f"{segment.segment_id()}{SUFFIX}"


def open_flat(folder: str | Path, segment) -> FlatSegment | None:
    """The segment's mapped file, or None when it is missing, damaged, of another
    format or not of this segment's size."""
    try:
        flat = FlatSegment(flat_path(folder, segment))
    except (OSError, ValueError, KeyError):
        return None
    return flat if flat.docs <= segment.doc_count_all() else None


class _RememberedLengths:
    """A segment's field lengths, each read once: Whoosh asks for the record's length with every
    posting (a column read each time, a tenth of indexing), so once for each term of a record."""

    def __init__(self, lengths):
        self._read, self._known = lengths.doc_field_length, {}

    def doc_field_length(self, docnum, fieldname, default=0):
        key = (docnum, fieldname)
        if key not in self._known:
            self._known[key] = self._read(docnum, fieldname, default)
        return self._known[key]


class _CapturingFieldWriter(W3FieldWriter):
    """Whoosh's field writer that also hands every posting to a :class:`FlatWriter`."""

    def __init__(self, codec, storage, segment):
        super().__init__(codec, storage, segment)
        self._flat = FlatWriter()
        self._flat_target = (storage.folder, segment)

    def add_postings(self, schema, lengths, items):
        super().add_postings(schema, _RememberedLengths(lengths) if lengths else lengths, items)

    def start_field(self, fieldname, fieldobj):
        super().start_field(fieldname, fieldobj)
        self._flat_positional = type(fieldobj.format) is formats.Positions

    def start_term(self, btext):
        super().start_term(btext)
        self._flat_key = term_key(self._fieldname, btext)
        self._flat_ids, self._flat_weights, self._flat_values = array("q"), array("f"), []

    def add(self, docnum, weight, vbytes, length):
        super().add(docnum, weight, vbytes, length)
        self._flat_ids.append(docnum)
        self._flat_weights.append(weight)
        if self._flat_positional:
            self._flat_values.append(vbytes)

    def finish_term(self):
        super().finish_term()
        deltas = decode_deltas(self._flat_values) if self._flat_positional else None
        self._flat.add_term(self._flat_key, self._flat_ids, self._flat_weights, deltas)

    def close(self):
        super().close()
        folder, segment = self._flat_target
        self._flat.write(flat_path(folder, segment))


class FlatCodec(W3Codec):
    """Whoosh's codec, writing each segment's ``.flat`` file beside it."""

    def field_writer(self, storage, segment):
        return _CapturingFieldWriter(self, storage, segment)
