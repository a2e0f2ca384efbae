"""Facet filtering and disjunctive counts with bitsets.

Values within one facet are OR-ed and facets are AND-ed. Counts are
disjunctive, as in Datasette and most shops: the count next to a value of
facet F is what the results would be with that value added to F's selection,
so selecting 市发改委 still shows what the other departments would give.

Each facet is held, once per searcher, as parallel arrays read from its posting
lists: for every (record, value) pair the record's document number and the
value's index. A query's matches are a boolean array by document number. A facet
with few values also keeps one bitset row per value, and its counts are
``bitwise_count`` of each row and the matches; a facet with many (the meeting
facet has one per document) counts with one ``bincount`` of the value indexes
whose record is in the matches. Either way a few hundred microseconds for fifty
thousand records.

Query matching hands over bitsets (Python ints, one bit per document number);
the helpers below convert between them and numpy masks.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..store import FACET_FIELDS
from .results import FACETS, FacetValue


def to_bits(docnums: Iterable[int], size: int) -> int:
    """A bitset with the given document numbers set."""
    buffer = bytearray((size >> 3) + 1)
    for d in docnums:
        buffer[d >> 3] |= 1 << (d & 7)
    return int.from_bytes(buffer, "little")


def flags(bits: int, size: int) -> bytes:
    """The bitset as bytes: testing one bit of a big int shifts all of it, a byte does not."""
    return bits.to_bytes((size >> 3) + 1, "little")


def as_mask(bits: int, size: int) -> np.ndarray:
    """The bitset as one boolean per document number."""
    return np.unpackbits(np.frombuffer(flags(bits, size), dtype=np.uint8), bitorder="little")[:size].view(bool)


def from_mask(mask: np.ndarray) -> int:
    """Booleans by document number as a bitset."""
    return int.from_bytes(np.packbits(mask, bitorder="little").tobytes(), "little")


def iter_bits(bits: int, size: int):
    """The document numbers in a bitset, in order."""
    for i, byte in enumerate(flags(bits, size)):
        while byte:
            low = byte & -byte
            yield (i << 3) + low.bit_length() - 1
            byte ^= low


FACET_LIMIT = 30  # values returned per facet, most frequent first (selected values always)
BITSET_BUDGET = 8 << 20  # bytes of per-value bitsets per facet; a facet needing more uses its pairs only


def _words(size: int) -> int:
    return (size + 63) // 64


def _packed(mask: np.ndarray) -> np.ndarray:
    """Booleans by document number as 64-bit words (the layout of Facet.bits)."""
    out = np.zeros(_words(len(mask)) * 8, dtype=np.uint8)
    packed = np.packbits(mask, bitorder="little")
    out[:len(packed)] = packed
    return out.view(np.uint64)


@dataclass(frozen=True)
class Facet:
    """One facet's values and its (record, value) pairs, ordered by record."""

    values: tuple[str, ...]  # in name order
    records: np.ndarray  # document numbers, ascending
    codes: np.ndarray  # index into values, one per entry of records
    starts: np.ndarray  # starts[d]:starts[d + 1] are record d's entries
    bits: np.ndarray | None  # one row of 64-bit words per value: its records as a bitset (facets with few values)

    @classmethod
    def of(cls, values: list[str], records: np.ndarray, codes: np.ndarray, size: int) -> Facet:
        order = np.argsort(records, kind="stable")
        records, codes = records[order], codes[order]
        starts = np.zeros(size + 1, dtype=np.int64)
        np.cumsum(np.bincount(records, minlength=size), out=starts[1:])
        bits = None
        if len(values) * _words(size) * 8 <= BITSET_BUDGET:
            flat = np.zeros((len(values), _words(size) * 64), dtype=bool)
            flat[codes, records] = True
            bits = np.packbits(flat, axis=1, bitorder="little").view(np.uint64)
        return cls(tuple(values), records, codes, starts, bits)

    @cached_property
    def index(self) -> dict[str, int]:
        return {v: i for i, v in enumerate(self.values)}

    def mask(self, wanted: tuple[str, ...]) -> np.ndarray:
        """The records carrying any of the wanted values."""
        codes = [self.index[v] for v in wanted if v in self.index]
        out = np.zeros(len(self.starts) - 1, dtype=bool)
        if codes:
            out[self.records[np.isin(self.codes, codes)]] = True
        return out

    def counts(self, base: np.ndarray) -> np.ndarray:
        """How many records of ``base`` carry each value: by bitset intersections when the
        facet has few values; else from the records' own entries when they are few, else by
        one pass over all pairs."""
        if self.bits is not None:
            return np.bitwise_count(self.bits & _packed(base)).sum(axis=1, dtype=np.int64)
        docs = np.flatnonzero(base)
        if len(docs) * 8 < len(base):
            first, lengths = self.starts[docs], self.starts[docs + 1] - self.starts[docs]
            # The entries of every record in docs, gathered without a Python loop.
            entries = np.repeat(first - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
            picked = self.codes[entries]
        else:
            picked = self.codes[base[self.records]]
        return np.bincount(picked, minlength=len(self.values))


@dataclass(frozen=True)
class FacetTable:
    size: int  # one more than the highest document number
    live: int  # bitset of every live record
    facets: dict[str, Facet]

    @classmethod
    def build(cls, postings) -> FacetTable:
        """From the facet fields' posting lists."""
        reader = postings.searcher.reader()
        size = postings.size
        alive = np.zeros(size, dtype=bool)
        alive[np.fromiter(reader.all_doc_ids(), dtype=np.int64)] = True
        facets = {}
        for name in FACET_FIELDS:
            values, records, codes = [], [], []
            for term in reader.lexicon(name):  # in byte order, which for UTF-8 is name order
                text = term.decode("utf-8") if isinstance(term, bytes) else term
                if not text:
                    continue  # e.g. the meeting of a document that is not minutes
                ids = postings.read(name, text)[0]
                ids = ids[alive[ids]]
                if len(ids):
                    records.append(ids)
                    codes.append(np.full(len(ids), len(values), dtype=np.int32))
                    values.append(text)
            facets[name] = Facet.of(
                values,
                np.concatenate(records) if records else np.zeros(0, dtype=np.int64),
                np.concatenate(codes) if codes else np.zeros(0, dtype=np.int32),
                size,
            )
        return cls(size, from_mask(alive), facets)


def filter_and_count(
    table: FacetTable, candidates: int, filters: dict[str, tuple[str, ...]]
) -> tuple[int, dict[str, tuple[FacetValue, ...]]]:
    """The candidates (a bitset) that pass every filter, and every facet's counts."""
    found = as_mask(candidates, table.size)
    # (a facet the table lacks — the derived validity of a table made without it — matches nothing)
    selection = {name: table.facets[name].mask(wanted) if name in table.facets else np.zeros(table.size, dtype=bool)
                 for name, wanted in filters.items()}
    matched = found.copy()
    for mask in selection.values():
        matched &= mask
    facets = {}
    for name in (n for n in FACETS if n in table.facets):
        base = found  # everything but this facet's own selection
        for other, mask in selection.items():
            if other != name:
                base = base & mask
        facets[name] = _ordered(name, table.facets[name], base, filters.get(name, ()))
    return from_mask(matched), facets


def _ordered(name: str, facet: Facet, base: np.ndarray, selected: tuple[str, ...]) -> tuple[FacetValue, ...]:
    counts = facet.counts(base)
    present = np.flatnonzero(counts)  # value indexes, in name order
    top = present[np.lexsort((present, -counts[present]))][:FACET_LIMIT]  # most frequent, then by name
    shown = {facet.values[i]: int(counts[i]) for i in top}
    for value in selected:
        if value not in shown:
            index = facet.index.get(value)
            shown[value] = int(counts[index]) if index is not None else 0  # keep a selected value visible to remove it
    if name == "year":
        order = sorted(shown, reverse=True)
    else:
        order = sorted(shown, key=lambda v: (-shown[v], v))
    return tuple(FacetValue(v, shown[v], v in selected) for v in order)
