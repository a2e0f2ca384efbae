"""Each department's tasks per year (the workload grid) and the topics of one department's tasks."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..deadline import NO_DEADLINE, Deadline
from ..model import CO_LEAD, LEAD
from .crossrefs import PER_VIEW, CrossReferences


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
    for doc in deadline.each(refs.documents.values()):
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
    return PER_VIEW.get(refs, "workload", build)


def dept_topics(refs: CrossReferences, dept: str, deadline: Deadline = NO_DEADLINE) -> DeptTopics:
    """One department's tasks per topic (of the task's item) and year."""
    return PER_VIEW.get(refs, f"topics:{dept}", lambda: _dept_topics(refs, dept, deadline))


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
