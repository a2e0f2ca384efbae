"""Shapes over the whole index: what cites what, policies through meetings, tasks, time.

Cross-references (:mod:`.crossrefs`: 引用/被引用, a reviewed document's path, each
department's tasks), the timeline of a query's matches (:mod:`.timeline`), the meeting
calendar and a meeting's neighbours (:mod:`.calendar`), and the department workload grid
(:mod:`.workload`). Built once per searcher (or read from what ``minutes index`` saved).
"""
from __future__ import annotations

from .calendar import Calendar, Meeting, MeetingItem, YearCount, calendar, neighbours
from .crossrefs import (
    CrossReferences,
    DocRef,
    PolicyStep,
    Reference,
    Task,
    save_crossrefs,
)
from .lineage import Lineage, Link, lineage, stem
from .timeline import Bar, Stack, Timeline, month_codes, narrowed, series
from .validity import LABELS as VALIDITY_LABELS
from .validity import SHOWN as VALIDITY_SHOWN
from .validity import (
    UNKNOWN,
    Evidence,
    Validity,
    ValidityTable,
    load_validity,
    marked,
    save_validity,
    with_validity,
)
from .workload import (
    DeptTopics,
    TopicCount,
    Workload,
    WorkloadCell,
    WorkloadRow,
    dept_topics,
    workload,
)

__all__ = [
    "UNKNOWN", "VALIDITY_LABELS", "VALIDITY_SHOWN", "Bar", "Calendar", "CrossReferences", "DeptTopics", "DocRef",
    "Evidence", "Lineage", "Link", "Meeting", "MeetingItem", "PolicyStep", "Reference", "Stack", "Task",
    "Timeline", "TopicCount", "Validity", "ValidityTable", "Workload", "WorkloadCell", "WorkloadRow", "YearCount",
    "calendar", "dept_topics", "lineage", "load_validity", "marked", "month_codes", "narrowed", "neighbours",
    "save_crossrefs", "save_validity", "series", "stem", "with_validity", "workload",
]
