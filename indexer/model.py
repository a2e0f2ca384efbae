"""Plain, frozen values that every stage passes along.

Parsing produces a :class:`Document`; indexing turns each of its agenda items
into one record; searching returns the values in :mod:`indexer.engine`. None of
these know about Whoosh, jieba, HTML or URLs.

Spans are ``(start, end)`` character offsets into :attr:`Document.text`, the
normalized text. The preamble and the items partition the body
(:attr:`Document.body_span`): every character of it belongs to exactly one of
them, and inside an item to exactly one paragraph.
"""
from __future__ import annotations

import dataclasses
import functools
import typing
from dataclasses import dataclass, field

from .patterns import MINUTES

Span = tuple[int, int]

LEAD, CO_LEAD, MENTIONED = "lead", "co-lead", "mentioned"
ROLES = (LEAD, CO_LEAD, MENTIONED)


@dataclass(frozen=True)
class Point:
    """A numbered point inside a sub-point or item: 1. / （1） / ① / ㈠."""

    label: str
    text: str
    span: Span


@dataclass(frozen=True)
class SubPoint:
    """A numbered sub-point such as （一） inside an agenda item."""

    number: int
    label: str  # "（一）"
    text: str
    span: Span = (0, 0)
    points: tuple[Point, ...] = ()


@dataclass(frozen=True)
class Paragraph:
    text: str
    span: Span


@dataclass(frozen=True)
class DepartmentRole:
    """A department an item names, with the part it is given.

    ``name`` is canonical when ``known`` (it is in the gazetteer); otherwise it
    is the unit as written, found by pattern, so nothing is dropped."""

    name: str
    role: str  # lead, co-lead or mentioned
    known: bool = True
    level: str = ""  # state / province / city / county, when known


@dataclass(frozen=True)
class TopicMatch:
    topic: str
    evidence: tuple[str, ...]  # the marker words found in the item


@dataclass(frozen=True)
class Item:
    """One agenda item (一、二、…), or the whole body of a document without items.

    ``number`` is 0 for the body of a document that has no numbered items.
    """

    number: int
    title: str
    text: str
    subpoints: tuple[SubPoint, ...] = ()
    span: Span = (0, 0)
    paragraphs: tuple[Paragraph, ...] = ()
    action: str = ""  # 听取 / 审议 / 研究 / 传达 …
    reviewed: tuple[str, ...] = ()  # titles of documents named in 《》, normalized
    decision: str = ""  # 原则同意 / 同意 / …
    roles: tuple[DepartmentRole, ...] = ()
    topic_matches: tuple[TopicMatch, ...] = ()
    keywords: tuple[str, ...] = ()

    @property
    def departments(self) -> tuple[str, ...]:
        """Every department named, lead first, in order of first mention within each role."""
        return tuple(r.name for r in self.roles)

    @property
    def topics(self) -> tuple[str, ...]:
        return tuple(t.topic for t in self.topic_matches)

    @property
    def leads(self) -> tuple[str, ...]:
        return tuple(r.name for r in self.roles if r.role == LEAD)

    @property
    def co_leads(self) -> tuple[str, ...]:
        return tuple(r.name for r in self.roles if r.role == CO_LEAD)


@dataclass(frozen=True)
class AttendingUnit:
    """One unit of the 列席 list and the persons it sent."""

    unit: str  # canonical when known
    persons: tuple[str, ...] = ()
    known: bool = True
    level: str = ""


@dataclass(frozen=True)
class Attendance:
    present: tuple[str, ...] = ()  # 出席
    attending: tuple[AttendingUnit, ...] = ()  # 列席, unit by unit
    attending_persons: tuple[str, ...] = ()  # 列席 persons named without a unit
    absent: tuple[str, ...] = ()  # 请假, with the reason as written
    recorder: str = ""  # 记录


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    issuer: str
    doc_type: str  # 会议纪要, 通知, 意见, 批复, …
    doc_number: str  # normalized, e.g. "〔2021〕9号" or "示府发〔2021〕20号"; "" when none
    session: str  # e.g. "第128次常务会议"; "" when none
    date: str  # ISO date of the meeting, else of signing or issue; "" when unknown
    chair: str  # name and title, e.g. "王明市长"; "" when none
    preamble: str  # text before the first item (who met, when, what they heard)
    items: tuple[Item, ...]
    attendance: Attendance = field(default_factory=Attendance)
    distribution: tuple[str, ...] = ()  # 分送 / 抄送
    issued: str = ""  # ISO date of 印发
    source: str = ""  # the file it came from
    content_hash: str = ""
    meeting_kind: str = ""  # 常务会议 / 专题会议 / 办公会议 / 现场办公会 / 全体会议
    number_prefix: str = ""  # 国发, 示府发, …; "" for minutes numbered 〔2021〕9号
    number_year: int = 0
    number_seq: int = 0
    chair_name: str = ""
    chair_title: str = ""
    compiled: str = ""  # ISO date of 整理
    signed: str = ""  # ISO date under the signature (成文)
    addressees: tuple[str, ...] = ()  # 主送
    public: str = ""  # 此件公开发布 / 此件不公开 / …, as written
    # Who may read it (see indexer.visibility), decided at indexing, and why (the rule or marking).
    visibility: str = "public"
    visibility_reason: str = ""
    metadata: tuple[tuple[str, str], ...] = ()  # legal-database header lines: (label, value)
    issuer_level: str = ""  # state / province / city / county: what short unit names mean here
    number_aliases: tuple[str, ...] = ()  # other spellings of the number (国务院令第706号 / 国令第706号)
    text: str = ""  # the normalized text every span points into
    body_span: Span = (0, 0)
    preamble_span: Span = (0, 0)
    # What the preamble names, for its record's facets (read once, by the parser). Not stored with
    # the document's other fields in the index: its record's dept and topic fields hold them.
    preamble_roles: tuple[DepartmentRole, ...] = ()
    preamble_topics: tuple[TopicMatch, ...] = ()
    # The pages whose text was recognised from images (a scan or photo, see indexer.read.ocr),
    # so it may hold errors; empty when the whole text is the file's own.
    ocr_pages: tuple[OcrPage, ...] = ()

    @property
    def ocr(self) -> bool:
        """Whether any of the text was recognised from page images (the JSON's ``ocr``)."""
        return bool(self.ocr_pages)

    @property
    def year(self) -> str:
        return self.date[:4] if self.date else ""

    @property
    def meeting(self) -> str:
        """The facet value that names the meeting: minutes only."""
        if self.doc_type != MINUTES:
            return ""
        return self.doc_number or self.session


@dataclass(frozen=True)
class OcrPage:
    """A page of a file whose text was recognised from its image."""

    page: int  # 1-based, in the file
    confidence: float  # 0..1: the recognizer's scores of the page's lines, weighted by their length


@dataclass(frozen=True)
class FileFailure:
    """A file that could not be indexed, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class Moved:
    """A file that is indexed from another place now (``was`` is gone), or a whole
    source root re-linked to the folder it moved to."""

    was: str
    now: str


@dataclass(frozen=True)
class Copy:
    """A file with the same content as a file already indexed (``indexed``): not indexed again."""

    path: str
    indexed: str


@dataclass(frozen=True)
class IndexReport:
    """What one ``minutes index`` run did. Paths are the files' absolute paths."""

    indexed: tuple[str, ...]
    unchanged: tuple[str, ...]
    failed: tuple[FileFailure, ...]
    pruned: tuple[str, ...] = ()  # documents removed because their file is gone
    rebuilt: bool = False  # a fresh index was swapped in
    skipped: bool = False  # --if-needed found a current index
    copies: tuple[Copy, ...] = ()
    moved: tuple[Moved, ...] = ()  # files re-read at their new place
    relinked: tuple[Moved, ...] = ()  # source roots that moved: their documents stay, nothing is re-read
    documents: int = 0  # in the index after the run
    records: int = 0
    was_documents: int = 0  # before it
    was_records: int = 0


def from_dict(cls, data):
    """Rebuild a (nested) frozen dataclass from ``dataclasses.asdict`` output,
    e.g. after a JSON round trip: lists become tuples again."""
    hints = _hints(cls)
    values = {}
    for f in dataclasses.fields(cls):
        if f.name in data:
            values[f.name] = _convert(hints[f.name], data[f.name])
    return cls(**values)


@functools.cache
def _hints(cls) -> dict:
    """A dataclass's resolved field types, once per class: resolving them anew for every
    record (string annotations are evaluated each time) took most of the time of
    rebuilding an index's documents (cross-references, the parse audit)."""
    return typing.get_type_hints(cls)


def _convert(hint, value):
    origin = typing.get_origin(hint)
    if dataclasses.is_dataclass(hint):
        return from_dict(hint, value)
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_convert(args[0], v) for v in value)
        return tuple(_convert(a, v) for a, v in zip(args, value))
    return value
