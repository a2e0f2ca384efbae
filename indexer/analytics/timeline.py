"""Shapes over time: a request's matches per month or year, the meetings of the index
by year, and each department's tasks per year.

The timeline counts what a search matches (the bitset :meth:`SearchIndex._match`
gives) per period with numpy: every record's month is read once per searcher from
the ``date`` field's posting lists (one list per distinct date, not one call per
record) and the counts are one ``bincount`` over the matches, stacked by document
type through the ``doc_type`` facet's (record, value) pairs.

A record is placed in a period when its date is a full ``YYYY-MM-DD``: exactly what the
query language's ``日期：2021-03`` (or ``日期：2021``) finds, so a bar's link narrows the
results to the bar's count. Records dated by a year alone (a document whose only date
is its number's year) or not at all are counted as ``undated``.

The calendar and the workload grid are read from the cross-references' documents
(:class:`~indexer.analytics.crossrefs.CrossReferences`, already scoped to the caller's access),
once per view.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..search import FacetTable, as_mask
from ..store import Postings

MONTHS_MAX = 36  # a span of matches longer than this many months is shown by year
_FULL_DATE = re.compile(r"^(\d{4})-(\d{2})-\d{2}$")


@dataclass(frozen=True)
class Stack:
    doc_type: str
    count: int


@dataclass(frozen=True)
class Bar:
    period: str  # "2021-03" (a month) or "2021" (a year): also the 日期： value that finds it
    count: int
    stacks: tuple[Stack, ...]  # by document type, most frequent type of the series first; counts > 0


@dataclass(frozen=True)
class Timeline:
    unit: str  # month or year
    bars: tuple[Bar, ...]  # every period from the first match's to the last's, empty ones too
    doc_types: tuple[str, ...]  # the stacks' types, most frequent first
    undated: int  # matches without a full date: in no bar
    total: int  # every match


def month_codes(postings: Postings, size: int) -> np.ndarray:
    """Each record's month as ``year * 12 + month - 1`` (-1: no full date), by document number:
    from the ``date`` column's per-segment arrays when they read as expected (milliseconds at fifty
    thousand records), else from the ``date`` postings, one list per distinct date (a few
    hundredths of a millisecond each, a third of a second for five thousand dates)."""
    found = _from_columns(postings.searcher.reader(), size)
    return found if found is not None else _from_postings(postings, size)


def _month(date: str) -> int:
    m = _FULL_DATE.match(date)
    return int(m.group(1)) * 12 + int(m.group(2)) - 1 if m else -1


def _from_postings(postings: Postings, size: int) -> np.ndarray:
    months = np.full(size, -1, dtype=np.int32)
    for term in postings.searcher.reader().lexicon("date"):
        text = term.decode("utf-8") if isinstance(term, bytes) else term
        month = _month(text)
        if month >= 0:
            ids = postings.read("date", text)[0]
            months[ids[ids < size]] = month
    return months


def _from_columns(reader, size: int) -> np.ndarray | None:
    """From Whoosh 2.7.4's column of the sortable ``date`` field: per segment, the values one
    after another, with each record's offset and length. A full date is ten bytes
    ``YYYY-MM-DD``; read as digits with numpy. None when a column is anything else."""
    months = np.full(size, -1, dtype=np.int32)
    try:
        for leaf, offset in reader.leaf_readers():
            count = leaf.doc_count_all()
            if not count:
                continue
            column = getattr(leaf.column_reader("date"), "_reader", None)
            lengths, starts = np.asarray(column._lengths, dtype=np.int64), np.asarray(column._offsets, dtype=np.int64)
            if len(lengths) != count or len(starts) != count or offset + count > size:
                return None
            full = np.flatnonzero(lengths == 10)
            if not len(full):
                continue
            end = int((starts + lengths).max())
            raw = np.frombuffer(column._dbfile.get(column._basepos, end), dtype=np.uint8).astype(np.int32) - 48
            d = raw[starts[full, None] + np.arange(10)]  # one row of ten characters per dated record
            digits = np.delete(d, (4, 7), axis=1)
            ok = (d[:, 4] == d[:, 7]) & (d[:, 4] == ord("-") - 48) & ((digits >= 0) & (digits <= 9)).all(axis=1)
            year = d[:, 0] * 1000 + d[:, 1] * 100 + d[:, 2] * 10 + d[:, 3]
            month = d[:, 5] * 10 + d[:, 6]
            ok &= (month >= 1) & (month <= 12)
            months[offset + full[ok]] = (year * 12 + month - 1)[ok]
    except (AttributeError, TypeError, ValueError):
        return None
    return months


def series(months: np.ndarray, facets: FacetTable, matched: int, unit: str = "") -> Timeline:
    """The matches (a bitset) per period; ``unit`` month or year, else by the span."""
    mask = as_mask(matched, facets.size)
    placed = mask & (months >= 0)
    codes = months[placed]
    total, undated = int(mask.sum()), int(mask.sum() - placed.sum())
    if not len(codes):
        return Timeline(unit or "month", (), (), undated, total)
    first, last = int(codes.min()), int(codes.max())
    unit = unit or ("month" if last - first < MONTHS_MAX else "year")
    if unit == "year":
        codes, first, last = codes // 12, first // 12, last // 12
    # Stacks: the doc_type facet's pairs whose record is placed (one type per record).
    facet = facets.facets["doc_type"]
    chosen = placed[facet.records]
    period = months[facet.records[chosen]] // (12 if unit == "year" else 1) - first
    width = last - first + 1
    grid = np.bincount(period * len(facet.values) + facet.codes[chosen],
                       minlength=width * len(facet.values)).reshape(width, len(facet.values))
    counts = np.bincount(codes - first, minlength=width)
    order = [int(i) for i in np.lexsort((np.arange(len(facet.values)), -grid.sum(axis=0))) if grid[:, i].any()]
    bars = []
    for k in range(width):
        label = str(first + k) if unit == "year" else f"{(first + k) // 12}-{(first + k) % 12 + 1:02d}"
        stacks = tuple(Stack(facet.values[i], int(grid[k, i])) for i in order if grid[k, i])
        bars.append(Bar(label, int(counts[k]), stacks))
    return Timeline(unit, tuple(bars), tuple(facet.values[i] for i in order), undated, total)


def narrowed(q: str, period: str) -> str:
    """The query and the bar's period as the query language writes it (``日期：2021-03``):
    both hold, so a range already in the query still applies (the bar lies within it)."""
    term = f"日期：{period}"
    return q if term in q.split() else " ".join(p for p in (q.strip(), term) if p)


# --- the meeting calendar ---------------------------------------------------------------------


# --- department workload ----------------------------------------------------------------------


