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
from .timeline import Bar, Stack, Timeline, month_codes, narrowed, series
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
    "ASKS", "Answer", "Bar", "Calendar", "CrossReferences", "DeptTopics", "DocRef", "Issued", "Meeting",
    "MeetingItem", "MeetingLine", "PolicyStep", "Question", "Reference", "Stack", "Task", "Timeline",
    "TopicCount", "Unit", "Workload", "WorkloadCell", "WorkloadRow", "YearCount", "answer", "ask", "calendar",
    "dept_topics", "month_codes", "narrowed", "neighbours", "save_crossrefs", "series", "subjects", "subjects_ready", "workload",
]
