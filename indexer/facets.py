"""Facet filtering and disjunctive counts with bitsets.

Values within one facet are OR-ed and facets are AND-ed. Counts are
disjunctive, as in Datasette and most shops: the count next to a value of
facet F is what the results would be with that value added to F's selection,
so selecting 市发改委 still shows what the other departments would give.

Each facet value is a bitset of the records that carry it (a Python int, one
bit per document number), built once per searcher from the posting lists. A
query's matches become one more bitset; every count is then ``(a & b).bit_count()``,
so counting costs the same for ten matches or fifty thousand.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from whoosh.idsets import DocIdSet

from .results import FacetValue
from .schema import FACET_FIELDS


def to_bits(docnums: Iterable[int], size: int) -> int:
    """A bitset with the given document numbers set."""
    buffer = bytearray((size >> 3) + 1)
    for d in docnums:
        buffer[d >> 3] |= 1 << (d & 7)
    return int.from_bytes(buffer, "little")


def flags(bits: int, size: int) -> bytes:
    """The bitset as bytes: testing one bit of a big int shifts all of it, a byte does not."""
    return bits.to_bytes((size >> 3) + 1, "little")


def iter_bits(bits: int, size: int):
    """The document numbers in a bitset, in order."""
    for i, byte in enumerate(flags(bits, size)):
        while byte:
            low = byte & -byte
            yield (i << 3) + low.bit_length() - 1
            byte ^= low


class BitsetIds(DocIdSet):
    """A bitset as Whoosh's filter collector reads it (membership only)."""

    def __init__(self, bits: int, size: int):
        self.bits = bits
        self.size = size
        self._flags = flags(bits, size)

    def __contains__(self, docnum: int) -> bool:
        return docnum >> 3 < len(self._flags) and self._flags[docnum >> 3] >> (docnum & 7) & 1 == 1

    def __len__(self) -> int:
        return self.bits.bit_count()

    def __iter__(self):
        return iter_bits(self.bits, self.size)


SPARSE = 64  # values carried by this few records keep a list of document numbers, not a bitset
FACET_LIMIT = 30  # values returned per facet, most frequent first (selected values always)


@dataclass
class FacetTable:
    size: int  # one more than the highest document number
    live: int  # bitset of every live record
    values: dict[str, dict[str, int]]  # facet → value → bitset, for values with many records
    sparse: dict[str, dict[str, tuple[int, ...]]]  # facet → value → document numbers, for the rest

    def bits(self, name: str, value: str) -> int:
        if value in self.values.get(name, {}):
            return self.values[name][value]
        return to_bits(self.sparse.get(name, {}).get(value, ()), self.size)

    @classmethod
    def build(cls, searcher) -> FacetTable:
        reader = searcher.reader()
        size = reader.doc_count_all()
        live = to_bits(reader.all_doc_ids(), size)
        alive = flags(live, size)
        values: dict[str, dict[str, int]] = {}
        sparse: dict[str, dict[str, tuple[int, ...]]] = {}
        for name in FACET_FIELDS:
            values[name], sparse[name] = {}, {}
            for term in reader.lexicon(name):
                text = term.decode("utf-8") if isinstance(term, bytes) else term
                if not text:
                    continue  # e.g. the meeting of a document that is not minutes
                ids = [d for d in reader.postings(name, text).all_ids() if alive[d >> 3] >> (d & 7) & 1] \
                    if reader.doc_frequency(name, text) <= SPARSE else None
                if ids is not None:
                    if ids:
                        sparse[name][text] = tuple(ids)
                else:
                    bits = to_bits(reader.postings(name, text).all_ids(), size) & live
                    if bits:
                        values[name][text] = bits
        return cls(size, live, values, sparse)


def filter_and_count(
    table: FacetTable, candidates: int, filters: dict[str, tuple[str, ...]]
) -> tuple[int, dict[str, tuple[FacetValue, ...]]]:
    """The candidates (a bitset) that pass every filter, and every facet's counts."""
    selection = {}
    for name, wanted in filters.items():
        bits = 0
        for value in wanted:
            bits |= table.bits(name, value)
        selection[name] = bits
    matched = candidates
    for bits in selection.values():
        matched &= bits
    facets = {}
    for name in FACET_FIELDS:
        base = candidates  # everything but this facet's own selection
        for other, bits in selection.items():
            if other != name:
                base &= bits
        counts = {}
        if base:
            counts = {v: (base & bits).bit_count() for v, bits in table.values.get(name, {}).items()}
            present = flags(base, table.size)
            for value, ids in table.sparse.get(name, {}).items():
                counts[value] = sum(present[d >> 3] >> (d & 7) & 1 for d in ids)
        facets[name] = _ordered(name, {v: c for v, c in counts.items() if c}, set(filters.get(name, ())))
    return matched, facets


def _ordered(name: str, counts: dict[str, int], selected: set[str]) -> tuple[FacetValue, ...]:
    for value in selected - set(counts):
        counts[value] = 0  # keep a selected value visible so it can be removed
    top = sorted(counts, key=lambda v: (-counts[v], v))[:FACET_LIMIT]
    keep = set(top) | selected
    if name == "year":
        order = sorted(keep, reverse=True)
    else:
        order = sorted(keep, key=lambda v: (-counts[v], v))
    return tuple(FacetValue(v, counts[v], v in selected) for v in order)
