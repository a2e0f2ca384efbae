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
(:class:`~indexer.crossref.CrossReferences`, already scoped to the caller's access),
once per view.
"""
from __future__ import annotations

import re
import threading
import weakref
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np

from .crossref import CrossReferences
from .deadline import NO_DEADLINE, Deadline
from .facets import FacetTable, as_mask
from .model import CO_LEAD, LEAD, Document
from .postings import Postings

MINUTES = "会议纪要"
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

@dataclass(frozen=True)
class MeetingItem:
    number: int
    title: str


@dataclass(frozen=True)
class Meeting:
    doc_id: str
    title: str
    doc_number: str
    session: str
    meeting_kind: str
    issuer: str
    date: str
    chair: str
    items: tuple[MeetingItem, ...]

    @property
    def year(self) -> str:
        return self.date[:4]


@dataclass(frozen=True)
class YearCount:
    year: str  # "" for meetings without a date
    count: int
    selected: bool


@dataclass(frozen=True)
class Calendar:
    years: tuple[YearCount, ...]  # newest first, undated last
    meetings: tuple[Meeting, ...]  # of the selected years (all when none), newest year first, in date order within


def _meeting(doc: Document) -> Meeting:
    return Meeting(doc.id, doc.title, doc.doc_number, doc.session, doc.meeting_kind, doc.issuer, doc.date,
                   doc.chair, tuple(MeetingItem(i.number, i.title) for i in doc.items if i.number))


def _order(m: Meeting):
    return (m.date, m.doc_number, m.doc_id)


class _PerView:
    """Values computed once per cross-references view (a view is per searcher and access)."""

    def __init__(self):
        self._cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def get(self, refs: CrossReferences, key: str, build):
        with self._lock:
            found = self._cache.setdefault(refs, {})
        if key not in found:
            found[key] = build()
        return found[key]


_PER_VIEW = _PerView()


def meetings(refs: CrossReferences, deadline: Deadline = NO_DEADLINE) -> tuple[Meeting, ...]:
    """Every minutes document of the view, oldest first."""
    return _PER_VIEW.get(refs, "meetings", lambda: tuple(sorted(
        (_meeting(d) for d in _checked(refs.documents.values(), deadline) if d.doc_type == MINUTES), key=_order)))


def _checked(values, deadline: Deadline):
    """The values, the deadline checked before each (a first build at a city's scale takes tenths of a second)."""
    for value in values:
        deadline.check()
        yield value


def calendar(refs: CrossReferences, years: tuple[str, ...] = (), deadline: Deadline = NO_DEADLINE) -> Calendar:
    """The meetings by year; ``years`` (a facet: "" selects the undated) narrows the list."""
    found = meetings(refs, deadline)
    counts = Counter(m.year for m in found)
    shown = sorted(counts, key=lambda y: (y == "", y), reverse=True)
    shown = [y for y in shown if y] + [y for y in shown if not y]
    shown += [y for y in years if y not in counts]  # a selected year stays visible to remove it
    listed = [m for m in found if not years or m.year in years]
    by_year = defaultdict(list)
    for m in listed:
        by_year[m.year].append(m)
    ordered = [m for y in shown if y in by_year for m in by_year[y]]
    return Calendar(tuple(YearCount(y, counts.get(y, 0), y in years) for y in shown), tuple(ordered))


def neighbours(refs: CrossReferences, doc_id: str,
               deadline: Deadline = NO_DEADLINE) -> tuple[Meeting | None, Meeting | None]:
    """The previous and next meeting of the same kind by the same issuer (by date)."""
    series_ = _PER_VIEW.get(refs, "series", lambda: _series(meetings(refs, deadline)))
    doc = refs.documents.get(doc_id)
    if doc is None or doc.doc_type != MINUTES:
        return None, None
    same = series_.get((doc.issuer, doc.meeting_kind), ())
    at = next((k for k, m in enumerate(same) if m.doc_id == doc_id), None)
    if at is None:
        return None, None
    return (same[at - 1] if at > 0 else None), (same[at + 1] if at + 1 < len(same) else None)


def _series(found: tuple[Meeting, ...]) -> dict[tuple[str, str], tuple[Meeting, ...]]:
    out = defaultdict(list)
    for m in found:
        if m.date:
            out[m.issuer, m.meeting_kind].append(m)
    return {k: tuple(v) for k, v in out.items()}


# --- department workload ----------------------------------------------------------------------

@dataclass(frozen=True)
class WorkloadCell:
    year: str  # "" for tasks of undated documents
    lead: int
    co_lead: int


@dataclass(frozen=True)
class WorkloadRow:
    dept: str
    lead: int
    co_lead: int
    cells: tuple[WorkloadCell, ...]  # one per year of the grid, in the grid's order


@dataclass(frozen=True)
class Workload:
    years: tuple[str, ...]  # oldest first; "" (undated) last when any
    rows: tuple[WorkloadRow, ...]  # most tasks first, then by name


@dataclass(frozen=True)
class TopicCount:
    topic: str
    counts: tuple[int, ...]  # per year of the department's years
    total: int


@dataclass(frozen=True)
class DeptTopics:
    dept: str
    years: tuple[str, ...]
    topics: tuple[TopicCount, ...]  # most tasks first


def _task_roles(refs: CrossReferences, deadline: Deadline):
    """(department, year, role, item) for every lead or co-lead role an item gives: the
    same rule as :meth:`CrossReferences.tasks` (one task per role an item gives)."""
    for doc in _checked(refs.documents.values(), deadline):
        year = doc.date[:4]
        for item in doc.items:
            for r in item.roles:
                if r.role in (LEAD, CO_LEAD):
                    yield r.name, year, r.role, item


def _years(values) -> tuple[str, ...]:
    found = set(values)
    return tuple(sorted(y for y in found if y)) + (("",) if "" in found else ())


def workload(refs: CrossReferences, deadline: Deadline = NO_DEADLINE) -> Workload:
    """Department × year counts of the tasks the view's items give, as lead and as co-lead."""
    def build() -> Workload:
        counts: Counter = Counter()
        for dept, year, role, _ in _task_roles(refs, deadline):
            counts[dept, year, role] += 1
        years = _years(y for _, y, _ in counts)
        rows = []
        for dept in {d for d, _, _ in counts}:
            cells = tuple(WorkloadCell(y, counts[dept, y, LEAD], counts[dept, y, CO_LEAD]) for y in years)
            rows.append(WorkloadRow(dept, sum(c.lead for c in cells), sum(c.co_lead for c in cells), cells))
        rows.sort(key=lambda r: (-(r.lead + r.co_lead), r.dept))
        return Workload(years, tuple(rows))
    return _PER_VIEW.get(refs, "workload", build)


def dept_topics(refs: CrossReferences, dept: str, deadline: Deadline = NO_DEADLINE) -> DeptTopics:
    """One department's tasks per topic (of the task's item) and year."""
    return _PER_VIEW.get(refs, f"topics:{dept}", lambda: _dept_topics(refs, dept, deadline))


def _dept_topics(refs: CrossReferences, dept: str, deadline: Deadline) -> DeptTopics:
    counts: Counter = Counter()
    years = set()
    for name, year, _, item in _task_roles(refs, deadline):
        if name == dept:
            years.add(year)
            for topic in dict.fromkeys(t.topic for t in item.topic_matches):
                counts[topic, year] += 1
    order = _years(years)
    topics = [TopicCount(t, tuple(counts[t, y] for y in order), sum(counts[t, y] for y in order))
              for t in {t for t, _ in counts}]
    topics.sort(key=lambda t: (-t.total, t.topic))
    return DeptTopics(dept, order, tuple(topics))
