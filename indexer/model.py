"""Plain, frozen values that every stage passes along.

Parsing produces a :class:`Document`; indexing turns each of its agenda items
into one record; searching returns :class:`SearchResult` values. None of these
know about Whoosh, jieba, HTML or URLs.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SubPoint:
    """A numbered sub-point such as （一） inside an agenda item."""

    number: int
    label: str  # as written after normalization, e.g. "（一）"
    text: str


@dataclass(frozen=True)
class Item:
    """One agenda item (一、二、…), or the whole body of a document without items.

    ``number`` is 0 for the body of a document that has no numbered items.
    """

    number: int
    title: str
    text: str
    subpoints: tuple[SubPoint, ...] = ()
    departments: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class Attendance:
    present: tuple[str, ...] = ()  # 出席
    attending: tuple[str, ...] = ()  # 列席, one entry per unit as written
    absent: tuple[str, ...] = ()  # 请假
    recorder: str = ""  # 记录


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    issuer: str
    doc_type: str  # 会议纪要, 通知, 意见, 批复, …
    doc_number: str  # normalized, e.g. "〔2021〕9号" or "示府发〔2021〕20号"; "" when none
    session: str  # e.g. "第128次常务会议"; "" when none
    date: str  # ISO date of the meeting, else of issue; "" when unknown
    chair: str  # name and title as written, e.g. "王明市长"; "" when none
    preamble: str  # text before the first item (who met, when, what they heard)
    items: tuple[Item, ...]
    attendance: Attendance = field(default_factory=Attendance)
    distribution: tuple[str, ...] = ()  # 分送 / 抄送
    issued: str = ""  # ISO date of 印发, "" when none
    source: str = ""  # the file it came from
    content_hash: str = ""

    @property
    def year(self) -> str:
        return self.date[:4] if self.date else ""

    @property
    def meeting(self) -> str:
        """The facet value that names the meeting: minutes only."""
        if self.doc_type != "会议纪要":
            return ""
        return self.doc_number or self.session


@dataclass(frozen=True)
class FileFailure:
    """A file that could not be indexed, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class IndexReport:
    indexed: tuple[str, ...]
    unchanged: tuple[str, ...]
    failed: tuple[FileFailure, ...]
