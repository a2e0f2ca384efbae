"""Posting lists and field lengths as numpy arrays, read once per searcher.

Whoosh hands out postings one at a time through its matcher objects, which is
where a Python search engine spends its time: a broad word such as 会议 is in
most records, and Whoosh would call ``id()``, ``weight()`` and ``score()`` for
each of them on every query. Here a posting list is read block by block into
two arrays (document numbers, weights) the first time a query needs it and
kept, within a budget, for the searcher's life; scoring and matching then work
on whole arrays (see :mod:`indexer.search.scoring` and :mod:`indexer.search.matching`).

This module reads Whoosh 2.7's on-disk format (the W3 codec: pickled blocks of
delta-coded ids and weights, and one length byte per record and field). It is
the one place that knows it; where the format is not the expected one it falls
back to Whoosh's public matcher interface, which gives the same arrays slower.

Segments with a derived ``.flat`` file (see :mod:`indexer.store.flat`) are not decoded
at all: their arrays are mapped. The block decoder below serves the segments
without one, and writes the missing files for ``minutes index``.
"""
from __future__ import annotations

import struct
import threading
from array import array
from collections import OrderedDict

import numpy as np
from whoosh import columns, formats
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from .flat import (
    FlatSegment,
    FlatWriter,
    decode_deltas,
    flat_path,
    open_flat,
    positions_from_deltas,
    term_key,
)

POSTINGS_BUDGET = 4_000_000  # postings kept in memory per searcher (~48 MB), least recently used dropped first
POSITIONS_BUDGET = 4_000_000  # term positions kept for phrase checks (~32 MB)
PARTIAL_DECODE = 4  # decode only the wanted records' positions when they are under a quarter of the term's
ASKED_LIMIT = 100_000  # terms remembered as decoded in part (beyond it, every use decodes in part)
_LENGTHS = np.array([byte_to_length(i) for i in range(256)], dtype=np.float64)
_EMPTY = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))


class Postings:
    """The posting lists of one searcher's index, as ``(docnums, weights)`` arrays.

    Document numbers are the searcher's (segment offsets added); deleted records
    are still in the arrays, as they are in Whoosh's posting lists, so callers
    intersect with the live records."""

    def __init__(self, searcher, budget: int = POSTINGS_BUDGET):
        self.searcher = searcher
        reader = searcher.reader()
        self.size = reader.doc_count_all()
        self._leaves = list(reader.leaf_readers())
        self._flats: list[FlatSegment | None] = [_flat_of(leaf) for leaf, _ in self._leaves]
        self.mapped = all(f is not None for f in self._flats)  # nothing to decode
        self._lists = _Cache(budget)
        self._lengths: dict[str, np.ndarray] = {}
        self._positions = _Cache(POSITIONS_BUDGET)
        self._asked: set[tuple[str, str]] = set()  # terms whose positions were decoded in part

    def get(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The term's posting list. Mapped segments give it without decoding, so it is not
        kept (a worker's private memory stays small); decoded lists are kept."""
        if self.mapped:
            return self.read(fieldname, text)
        found = self._lists.get((fieldname, text))
        return found if found is not None else self._lists.put((fieldname, text), self.read(fieldname, text))

    def read(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The posting list from the index, not kept: document numbers (of any integer
        type) and weights (float64, or integers where Whoosh's are whole numbers: arithmetic
        with them gives what it gives with Whoosh's). A term of one segment is the mapped
        arrays themselves."""
        parts = []
        key = self._key(fieldname, text)
        if key is None:
            return _EMPTY
        for (leaf, offset), flat in zip(self._leaves, self._flats):
            if flat is not None:
                row = flat.find(key)
                found = flat.postings(row) if row >= 0 else None
            else:
                found = _read_leaf(leaf, fieldname, text)
            if found is not None:
                parts.append((found[0], offset, found[1]))
        if len(parts) == 1 and parts[0][1] == 0:
            ids, _, weights = parts[0]
            # Integers count as float64 in arithmetic with floats; float32 would stay float32.
            return ids, weights if weights.dtype.kind in "iu" else weights.astype(np.float64)
        if not parts:
            return _EMPTY
        return (np.concatenate([ids.astype(np.int64) + offset for ids, offset, _ in parts]),
                np.concatenate([weights.astype(np.float64) for *_, weights in parts]))

    def _key(self, fieldname: str, text) -> bytes | None:
        """The term as the flat files key it; None for a field the schema lacks."""
        schema = self.searcher.schema
        if fieldname not in schema:
            return None
        return term_key(fieldname, text if isinstance(text, bytes) else schema[fieldname].to_bytes(text))

    def positions(self, fieldname: str, text: str, among: np.ndarray | None = None) -> np.ndarray:
        """Occurrences of the term as ``docnum << 32 | position``, ascending (for phrase checks):
        all of them, or at least those in the records flagged by ``among``.

        Mapped segments give slices of their arrays (only the wanted records'), not
        kept. Decoding the other segments' positions is the slow part, so the first time
        a term is asked for while few of its records are wanted, only those are decoded,
        and not kept; otherwise, and from the second time on, all of it is decoded and kept."""
        if self.mapped:
            return self._positions_of(fieldname, text, among)
        key = (fieldname, text)
        found = self._positions.get(key)
        if found is not None:
            return found
        if among is not None:
            ids = self.get(fieldname, text)[0]
            if key in self._asked or np.count_nonzero(among[ids]) * PARTIAL_DECODE > len(ids):
                among = None  # asked before, or much of it is wanted: decode all of it and keep it
            elif len(self._asked) < ASKED_LIMIT:
                self._asked.add(key)
        found = self._positions_of(fieldname, text, among)
        return found if among is not None else self._positions.put(key, found)

    def _positions_of(self, fieldname: str, text: str, among: np.ndarray | None) -> np.ndarray:
        key = self._key(fieldname, text)
        if key is None:
            return _EMPTY[0]
        parts = []
        for (leaf, offset), flat in zip(self._leaves, self._flats):
            wanted = None if among is None else among[offset:offset + leaf.doc_count_all()]
            if flat is not None:
                row = flat.find(key)
                part = flat.positions(row, wanted) if row >= 0 else None
            else:
                part = _leaf_positions(leaf, fieldname, text, wanted)
            if part is not None and len(part):
                parts.append(part + (offset << 32))
        return np.concatenate(parts) if parts else _EMPTY[0]

    def mask(self, fieldname: str, text: str) -> np.ndarray:
        """The records holding the term, as booleans by document number."""
        out = np.zeros(self.size, dtype=bool)
        out[self.get(fieldname, text)[0]] = True
        return out

    def lengths(self, fieldname: str) -> np.ndarray:
        """Each record's length of the field as Whoosh's scorer sees it (one byte, decoded)."""
        if fieldname not in self._lengths:
            parts = [_leaf_lengths(leaf, fieldname) for leaf, _ in self._leaves]
            self._lengths[fieldname] = np.concatenate(parts) if parts else np.zeros(0)
        return self._lengths[fieldname]


def _leaf_matcher(leaf, fieldname: str, text: str):
    """The term's posting matcher in one segment, or None; deleted records are left in
    (the caller intersects with the live records)."""
    try:
        m = leaf.postings(fieldname, text)
    except TermNotFound:
        return None
    while isinstance(m, FilterMatcher):
        m = m.child
    return m


def _blocks(m: W3LeafMatcher):
    """Each block of a W3 posting list as (ids, weights, values); the ids are delta-coded
    unless stored as bytes, weights and values are as stored."""
    while True:
        m._read_data()
        ids = np.asarray(m._data[0], dtype=np.int64)
        yield (ids if m._byteids else np.cumsum(ids)), m._data[1], m._data[2]
        if m._lastblock:
            return
        m._goto(m._nextoffset)


def _read_leaf(leaf, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray] | None:
    m = _leaf_matcher(leaf, fieldname, text)
    if m is None:
        return None
    if isinstance(m, W3LeafMatcher):
        ids, weights = [], []
        for block, block_weights, _ in _blocks(m):
            ids.append(block)
            weights.append(_block_weights(block_weights, len(block)))
        return np.concatenate(ids), np.concatenate(weights)
    ids, weights = [], []  # not W3 blocks (Whoosh 2.7.4 writes nothing else): the public interface
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        m.next()
    return np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float64)


def _block_weights(weights, count: int) -> np.ndarray:
    """A W3 block's weights: None for all 1.0, one float for all alike, or the array."""
    if weights is None:
        return np.ones(count, dtype=np.float64)
    if isinstance(weights, float):
        return np.full(count, weights, dtype=np.float64)
    return np.asarray(weights, dtype=np.float64)


def _leaf_positions(leaf, fieldname: str, text: str, among: np.ndarray | None) -> np.ndarray | None:
    """Whoosh's Positions format: per posting, a count and the pickled position deltas
    (the pickle's final STOP byte may be trimmed). ``among``: the leaf's records to decode."""
    m = _leaf_matcher(leaf, fieldname, text)
    if m is None:
        return None
    if isinstance(m, W3LeafMatcher):
        chunks = ((ids, values) for ids, _, values in _blocks(m))  # a block at a time
    else:
        chunks = ((np.asarray([d], dtype=np.int64), (v,)) for d, v in m.items())
    docs, deltas = [], []
    for ids, values in chunks:
        if among is not None:
            wanted = np.flatnonzero(among[ids])
            ids, values = ids[wanted], [values[i] for i in wanted.tolist()]
        docs.append(ids)
        if len(values):
            deltas.extend(decode_deltas(values))  # one unpickling per block
    if not deltas:
        return None
    counts, positions = positions_from_deltas(deltas)
    return (np.repeat(np.concatenate(docs), counts) << 32) | positions


def _leaf_lengths(leaf, fieldname: str) -> np.ndarray:
    count = leaf.doc_count_all()
    lenfield = f"_{fieldname}_len"
    perdoc = leaf._perdoc
    if not perdoc.has_column(lenfield):
        return np.zeros(count, dtype=np.float64)
    column = perdoc.column_reader(lenfield, LENGTHS_COLUMN)
    try:
        raw = np.frombuffer(bytes(column._dbfile.get(column._basepos, column._count)), dtype=np.uint8)
    except AttributeError:  # another column reader: one value at a time
        raw = np.fromiter((column[d] for d in range(count)), dtype=np.uint8, count=count)
    codes = np.zeros(count, dtype=np.uint8)
    codes[:min(count, len(raw))] = raw[:count]
    return _LENGTHS[codes]


class _Cache:
    """Arrays (or tuples of equal-length arrays) by key, least recently used dropped
    first beyond a budget of elements. Thread-safe: threads may share a searcher
    (the test suite's readers, Flask's development server)."""

    def __init__(self, budget: int):
        self._budget = budget
        self._held = 0
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        return None

    def put(self, key, value: np.ndarray) -> np.ndarray:
        with self._lock:
            if key not in self._items:
                self._items[key] = value
                self._held += _size(value)
                while self._held > self._budget and len(self._items) > 1:
                    _, dropped = self._items.popitem(last=False)
                    self._held -= _size(dropped)
            return self._items[key]


def _size(value) -> int:
    return len(value[0]) if isinstance(value, tuple) else len(value)


def _flat_of(leaf) -> FlatSegment | None:
    segment = getattr(leaf, "segment", lambda: None)()
    storage = getattr(leaf, "_storage", None)
    if segment is None or not hasattr(storage, "folder"):
        return None
    return open_flat(storage.folder, segment)


def write_missing_flats(searcher) -> int:
    """Write the ``.flat`` file of every segment that lacks one (an index written
    before them, a damaged file), decoding its posting lists once; returns how many."""
    written = 0
    for leaf, _ in searcher.reader().leaf_readers():
        segment = getattr(leaf, "segment", lambda: None)()
        storage = getattr(leaf, "_storage", None)
        if segment is None or not hasattr(storage, "folder") or _flat_of(leaf) is not None:
            continue
        writer = FlatWriter()
        schema = searcher.schema
        for fieldname, btext in leaf.all_terms():
            m = _leaf_matcher(leaf, fieldname, btext)
            if m is None:
                continue
            if not isinstance(m, W3LeafMatcher):
                break  # not Whoosh 2.7's blocks: the segment stays on Whoosh's interface
            positional = type(schema[fieldname].format) is formats.Positions
            ids, weights, values = [], [], []
            for block, block_weights, block_values in _blocks(m):
                ids.extend(block.tolist())
                weights.extend(_block_weights(block_weights, len(block)).tolist())
                if positional:
                    values.extend(block_values)
            writer.add_term(term_key(fieldname, btext), ids, weights, decode_deltas(values) if positional else None)
        else:
            writer.write(flat_path(storage.folder, segment))
            written += 1
    return written


def _stored_offsets(reader) -> None:
    """Whoosh's ``VarBytesColumn.Reader._read_offsets_and_lengths`` with the offsets
    summed by numpy. The stored-fields column of a segment keeps only each record's
    length; Whoosh derives the offsets in a Python loop each time a searcher first
    reads a stored record: 5 ms per segment at ten thousand records, paid by every
    first query after a reopen. Columns that store their offsets go to Whoosh's own."""
    dbfile, last, count = reader._dbfile, reader._basepos + reader._length - 1, reader._doccount
    code = chr(dbfile.get_byte(last))
    if code == "X":
        return _whoosh_offsets(reader)
    lengths = dbfile.get_array(last - struct.calcsize(code) * count, code, count)
    sizes = np.asarray(lengths, dtype=np.int64)
    offsets = array("q")
    offsets.frombytes((np.cumsum(sizes) - sizes).tobytes())
    reader._offsets, reader._lengths = offsets, lengths


_whoosh_offsets = columns.VarBytesColumn.Reader._read_offsets_and_lengths
columns.VarBytesColumn.Reader._read_offsets_and_lengths = _stored_offsets
