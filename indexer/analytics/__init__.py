"""Shapes over the whole index: what cites what, policies through meetings, tasks, time.

Cross-references (:mod:`.crossrefs`: 引用/被引用, a reviewed document's path, each
department's tasks), the timeline of a query's matches (:mod:`.timeline`), the meeting
calendar and a meeting's neighbours (:mod:`.calendar`), and the department workload grid
(:mod:`.workload`). Built once per searcher (or read from what ``minutes index`` saved).
"""
from __future__ import annotations

from .answers import ASKS, Answer, Issued, MeetingLine, Question, Unit, answer, ask, subjects, subjects_ready
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
    Labels,
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
    "ASKS", "UNKNOWN", "VALIDITY_LABELS", "VALIDITY_SHOWN", "Answer", "Bar", "Calendar", "CrossReferences",
    "DeptTopics", "DocRef", "Evidence", "Issued", "Labels", "Lineage", "Link", "Meeting", "MeetingItem", "MeetingLine",
    "PolicyStep", "Question", "Reference", "Stack", "Task", "Timeline", "TopicCount", "Unit", "Validity",
    "ValidityTable", "Workload", "WorkloadCell", "WorkloadRow", "YearCount", "answer", "ask", "calendar",
    "dept_topics", "lineage", "load_validity", "marked", "month_codes", "narrowed", "neighbours",
    "save_crossrefs", "save_validity", "series", "stem", "subjects", "subjects_ready", "with_validity",
    "workload",
]
