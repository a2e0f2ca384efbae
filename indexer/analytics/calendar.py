"""The meetings of the index: the minutes by year (the meeting calendar) and a meeting's
previous and next of the same series, per cross-references view (see :mod:`.crossrefs`).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from ..deadline import NO_DEADLINE, Deadline
from ..model import Document
from ..patterns import MINUTES
from .crossrefs import PER_VIEW, CrossReferences


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


def meetings(refs: CrossReferences, deadline: Deadline = NO_DEADLINE) -> tuple[Meeting, ...]:
    """Every minutes document of the view, oldest first."""
    return PER_VIEW.get(refs, "meetings", lambda: tuple(sorted(
        (_meeting(d) for d in deadline.each(refs.documents.values()) if d.doc_type == MINUTES), key=_order)))


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
    series_ = PER_VIEW.get(refs, "series", lambda: _series(meetings(refs, deadline)))
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
