"""Posting lists and field lengths as numpy arrays, read once per searcher.

Whoosh hands out postings one at a time through its matcher objects, which is
where a Python search engine spends its time: a broad word such as 会议 is in
most records, and Whoosh would call ``id()``, ``weight()`` and ``score()`` for
each of them on every query. Here a posting list is read block by block into
two arrays (document numbers, weights) the first time a query needs it and
kept, within a budget, for the searcher's life; scoring and matching then work
on whole arrays (see :mod:`indexer.scoring` and :mod:`indexer.matching`).

This module reads Whoosh 2.7's on-disk format (the W3 codec: pickled blocks of
delta-coded ids and weights, and one length byte per record and field). It is
the one place that knows it; where the format is not the expected one it falls
back to Whoosh's public matcher interface, which gives the same arrays slower.
"""
from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.matching import ListMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

POSTINGS_BUDGET = 4_000_000  # postings kept in memory per searcher (~48 MB), least recently used dropped first
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
        self._budget = budget
        self._held = 0
        self._lists: OrderedDict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._lengths: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()  # gthread workers share a searcher

    def get(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        key = (fieldname, text)
        with self._lock:
            if key in self._lists:
                self._lists.move_to_end(key)
                return self._lists[key]
        result = self.read(fieldname, text)
        with self._lock:
            if key not in self._lists:
                self._lists[key] = result
                self._held += len(result[0])
                while self._held > self._budget and len(self._lists) > 1:
                    _, (dropped, _) = self._lists.popitem(last=False)
                    self._held -= len(dropped)
        return result

    def read(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The posting list from the index, not kept."""
        ids, weights = [], []
        for leaf, offset in self._leaves:
            found = _read_leaf(leaf, fieldname, text)
            if found is not None:
                ids.append(found[0] + offset)
                weights.append(found[1])
        return (np.concatenate(ids), np.concatenate(weights)) if ids else _EMPTY

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


def _read_leaf(leaf, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray] | None:
    try:
        m = leaf.postings(fieldname, text)
    except TermNotFound:
        return None
    while isinstance(m, FilterMatcher):
        m = m.child  # deleted records: left to the caller's live set
    if isinstance(m, W3LeafMatcher):
        return _read_blocks(m)
    if isinstance(m, ListMatcher):
        ids = np.asarray(m._ids, dtype=np.int64)
        if m._weights is not None:
            return ids, np.asarray(m._weights, dtype=np.float64)
        return ids, np.full(len(ids), m._all_weights or 1.0, dtype=np.float64)
    ids, weights = [], []  # an unknown matcher: the public interface
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        m.next()
    return np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float64)


def _read_blocks(m: W3LeafMatcher) -> tuple[np.ndarray, np.ndarray]:
    """Every block of a W3 posting list: the ids are delta-coded unless stored as bytes."""
    ids, weights = [], []
    while True:
        m._read_data()
        block_ids, block_weights = m._data[0], m._data[1]
        block = np.asarray(block_ids, dtype=np.int64)
        ids.append(block if m._byteids else np.cumsum(block))
        if block_weights is None:
            weights.append(np.ones(len(block), dtype=np.float64))
        elif isinstance(block_weights, float):
            weights.append(np.full(len(block), block_weights, dtype=np.float64))
        else:
            weights.append(np.asarray(block_weights, dtype=np.float64))
        if m._lastblock:
            break
        m._goto(m._nextoffset)
    return np.concatenate(ids), np.concatenate(weights)


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
