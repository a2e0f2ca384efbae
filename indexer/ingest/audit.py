"""What the parser understood, per file and in total: the report behind
``minutes audit`` and the web app's ``/audit`` page.

Everything here is a pure function over :class:`~indexer.model.Document` values,
so the same report comes from files about to be indexed (:func:`audit_paths`)
and from an existing index (:func:`audit_documents` over the documents the
index rebuilds). Warnings point at what staff may want to fix before indexing:
a missing number, date or issuer, a title that swallowed the header, a type the
parser did not recognise, a department placed below the issuer's level.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ..deadline import Deadline
from ..errors import ParseError
from ..model import ROLES, DepartmentRole, Document, OcrPage
from ..normalize import find_dates
from ..parse import CITY, COUNTY, PROVINCE, STATE, parse_file
from ..patterns import DECREE_NUMBER, DOC_NUMBER, MINUTES
from ..read import ocr
from ..store import cache_dir, index_location
from ..visibility import Rules, decide
from .documents import OCR_CACHE, collect_files, path_under_root, visibility_context
from .sources import Roots

TITLE_MAX_CHARS = 60
UNRECOGNISED_TYPES = frozenset({"", "其他"})  # what the parser answers when no type matched
NUMBERLESS_TYPES = frozenset({"政府工作报告"})  # a report to the congress carries no number
# Levels from the top; a department ranked below its document's issuer is suspect
# (a State Council document's 发展改革委 read as 市发改委). Unknown values are not compared.
LEVEL_RANK = {STATE: 0, PROVINCE: 1, CITY: 2, COUNTY: 3}
# A page whose text was recognised from its image (indexer.read.ocr) with a confidence below
# this is flagged: an audit warning, and 较低 beside the page on the document's page. The confidence
# (the recognizer's line scores weighted by their length) runs high: one page of minutes drawn by
# tests/scan_gen.py scored 0.99 at 75 and 150 dpi, blurred or not (no character wrong); 0.96-0.97
# with a fifth to a third of its pixels speckled, alone or with a 3° turn or blur (1.5-4.5 % of
# characters wrong, the 文号 or the item headings lost); 0.94 with half its pixels speckled (6 %
# wrong). Below 0.95 a page has lost about one character in twenty and should be read against the
# paper; 0.90 would have flagged none of these pages. Calibrate on real scans when there are some.
OCR_LOW_CONFIDENCE = 0.95

# Warning kinds, in the order they are reported, with their English message.
NO_TITLE = "no_title"
TITLE_TOO_LONG = "title_too_long"
TITLE_HAS_NUMBER = "title_has_number"
UNKNOWN_TYPE = "unknown_type"
NO_NUMBER = "no_number"
NO_DATE = "no_date"
NO_ISSUER = "no_issuer"
NO_ITEMS = "no_items"
NO_ATTENDANCE = "no_attendance"
MINUTES_INCOMPLETE = "minutes_incomplete"
DEPT_BELOW_ISSUER = "dept_below_issuer"
OCR_LOW = "ocr_low_confidence"
WARNINGS = {
    NO_TITLE: "no title found",
    TITLE_TOO_LONG: f"title longer than {TITLE_MAX_CHARS} characters",
    TITLE_HAS_NUMBER: "title contains a document number",
    UNKNOWN_TYPE: "document type not recognised",
    NO_NUMBER: "no number found",
    NO_DATE: "no date found",
    NO_ISSUER: "no issuer found",
    NO_ITEMS: "minutes without numbered items",
    NO_ATTENDANCE: "minutes without attendance (出席/列席)",
    MINUTES_INCOMPLETE: "minutes without session, chair or meeting date",
    DEPT_BELOW_ISSUER: "department at a lower level than the issuer",
    OCR_LOW: f"text recognised from a scan with low confidence (below {OCR_LOW_CONFIDENCE:.0%})",
}


@dataclass(frozen=True)
class AuditWarning:
    kind: str  # a key of WARNINGS
    detail: str = ""  # what triggered it: the title's length, the number found …

    @property
    def message(self) -> str:
        return WARNINGS[self.kind] + (f": {self.detail}" if self.detail else "")


@dataclass(frozen=True)
class AuditDepartment:
    """A unit the document's items name, with what the parser made of it."""

    name: str
    level: str  # "" when the parser gave none
    known: bool  # in the gazetteer
    roles: tuple[str, ...]  # the roles it has anywhere in the document, in ROLES order
    item_count: int  # how many records (items, or the body) name it


@dataclass(frozen=True)
class AttendanceCounts:
    present: int  # 出席 names
    attending_units: int  # 列席 units
    attending_persons: int  # persons those units sent
    absent: int  # 请假
    recorder: str  # 记录, as written


@dataclass(frozen=True)
class FileAudit:
    """One file: what it parsed into, or why it failed (``failure``; the other fields empty)."""

    path: str
    doc_id: str = ""
    failure: str = ""
    doc_type: str = ""
    meeting_kind: str = ""
    title: str = ""
    doc_number: str = ""
    session: str = ""
    issuer: str = ""
    issuer_level: str = ""
    date: str = ""
    signed: str = ""
    compiled: str = ""
    issued: str = ""
    item_count: int = 0  # numbered agenda items; 0 for a document without items
    departments: tuple[AuditDepartment, ...] = ()
    attendance: AttendanceCounts | None = None  # minutes only
    warnings: tuple[AuditWarning, ...] = ()
    visibility: str = ""  # public, internal or a group's name (see indexer.visibility)
    visibility_reason: str = ""  # rule 公开/** (visibility.toml) / marking 此件公开发布 / default
    ocr_pages: tuple[OcrPage, ...] = ()  # the pages recognised from images, with their confidence

    @property
    def ok(self) -> bool:
        return not self.failure

    @property
    def ocr(self) -> bool:
        return bool(self.ocr_pages)

    @property
    def unknown_units(self) -> tuple[str, ...]:
        """Units found where a role says a unit stands but not in the gazetteer."""
        return tuple(d.name for d in self.departments if not d.known)

    @property
    def warning_kinds(self) -> tuple[str, ...]:
        return tuple(w.kind for w in self.warnings)


@dataclass(frozen=True)
class Count:
    value: str
    count: int


@dataclass(frozen=True)
class UnitCount:
    name: str
    files: int  # files naming it
    mentions: int  # records naming it, over all files


@dataclass(frozen=True)
class AuditTotals:
    files: int
    parsed: int
    failed: int
    with_warnings: int  # parsed files with at least one warning
    item_count: int
    doc_types: tuple[Count, ...]  # most first
    warnings: tuple[Count, ...]  # files per warning kind, in WARNINGS order; kinds that occur
    dept_levels: tuple[Count, ...]  # (document, department) pairs per level; "" = no level
    unknown_units: tuple[UnitCount, ...]  # most files first
    visibility: tuple[Count, ...] = ()  # parsed files per visibility label, most first


@dataclass(frozen=True)
class AuditReport:
    files: tuple[FileAudit, ...]
    totals: AuditTotals

    @property
    def failures(self) -> tuple[FileAudit, ...]:
        return tuple(f for f in self.files if f.failure)


def _departments(doc: Document) -> tuple[AuditDepartment, ...]:
    """Each unit the items name, in order of first mention, with everything said about it."""
    said: dict[str, list[DepartmentRole]] = {}
    records = Counter()
    for item in doc.items:
        for r in item.roles:
            said.setdefault(r.name, []).append(r)
        records.update({r.name for r in item.roles})
    return tuple(
        AuditDepartment(
            name=name,
            level=next((r.level for r in roles if r.level), ""),
            known=any(r.known for r in roles),
            roles=tuple(role for role in ROLES if any(r.role == role for r in roles)),
            item_count=records[name],
        )
        for name, roles in said.items()
    )


def _attendance(doc: Document) -> AttendanceCounts | None:
    if doc.doc_type != MINUTES:
        return None
    a = doc.attendance
    return AttendanceCounts(len(a.present), len(a.attending), sum(len(u.persons) for u in a.attending),
                            len(a.absent), a.recorder)


def ocr_percent(confidence: float) -> int:
    """A confidence as the whole percent shown, rounded down, so that a page shown at 90% is
    never one flagged as below 90% (confidences carry four decimals)."""
    return round(confidence * 10000) // 100


def low_confidence(confidence: float) -> bool:
    """Whether a recognised page's confidence is below :data:`OCR_LOW_CONFIDENCE`."""
    return confidence < OCR_LOW_CONFIDENCE


def ocr_summary(pages: Iterable[OcrPage]) -> str:
    """The pages and their confidence for a terminal and the audit: ``page 1 98%, page 2 91%``."""
    return ", ".join(f"page {p.page} {ocr_percent(p.confidence)}%" for p in pages)


def document_warnings(doc: Document, departments: tuple[AuditDepartment, ...] = ()) -> tuple[AuditWarning, ...]:
    """What looks wrong or missing in one parsed document."""
    found = []
    title = doc.title.strip()
    if not title:
        found.append(AuditWarning(NO_TITLE))
    if len(title) > TITLE_MAX_CHARS:
        found.append(AuditWarning(TITLE_TOO_LONG, f"{len(title)} characters"))
    # The bracketed part only: the pattern's prefix may run back into the words before it.
    numbers = [f"〔{m.group(2)}〕{int(m.group(3))}号" for m in DOC_NUMBER.finditer(title)]
    numbers += [f"{m.group(1)}令第{int(m.group(2))}号" for m in DECREE_NUMBER.finditer(title)]
    if numbers:
        found.append(AuditWarning(TITLE_HAS_NUMBER, "、".join(dict.fromkeys(numbers))))
    if doc.doc_type in UNRECOGNISED_TYPES:
        found.append(AuditWarning(UNKNOWN_TYPE))
    if not doc.doc_number and doc.doc_type not in NUMBERLESS_TYPES:
        found.append(AuditWarning(NO_NUMBER))
    if not doc.date:  # what sorting and the year facet use
        found.append(AuditWarning(NO_DATE))
    if not doc.issuer:
        found.append(AuditWarning(NO_ISSUER))
    if doc.doc_type == MINUTES:
        if not any(item.number for item in doc.items):
            found.append(AuditWarning(NO_ITEMS))
        if not (doc.attendance.present or doc.attendance.attending):
            found.append(AuditWarning(NO_ATTENDANCE))
        missing = minutes_missing(doc)
        if missing:
            found.append(AuditWarning(MINUTES_INCOMPLETE, "会议纪要缺少：" + "、".join(missing)))
    issuer_rank = LEVEL_RANK.get(doc.issuer_level)
    if issuer_rank is not None:
        below = [d for d in departments if LEVEL_RANK.get(d.level, -1) > issuer_rank]
        if below:
            found.append(AuditWarning(
                DEPT_BELOW_ISSUER,
                "、".join(f"{d.name} ({d.level})" for d in below) + f" in a {doc.issuer_level} document"))
    low = [p for p in doc.ocr_pages if low_confidence(p.confidence)]
    if low:
        found.append(AuditWarning(OCR_LOW, ocr_summary(low)))
    return tuple(found)


SESSION_KINDS = frozenset({"常务会议", "全体会议", ""})  # kinds of meeting always numbered (第N次)


def minutes_missing(doc: Document) -> tuple[str, ...]:
    """What a document typed 会议纪要 lacks of 会次 (session; not asked of a topic or office
    meeting that a 文号 names), 主持人 (chair) and 会议日期 (the meeting's date: the document's
    date as its opening states it, not one it fell back on — a signature, a page's 生成日期, the
    number's year)."""
    if doc.doc_type != MINUTES:
        return ()
    # Up to the first item (the held sentence may stand in the head), else the body's start; an
    # indexed document keeps its preamble only.
    opening = doc.text[:doc.preamble_span[1] or doc.body_span[0] + 600] or doc.preamble
    dated = bool(doc.date) and (not opening or doc.date in {iso for _, iso in find_dates(opening)} or _month_day(doc.date) in opening)
    # Topic and office meetings are seldom numbered: a 文号 names those minutes well enough.
    numbered = doc.session or (doc.doc_number and doc.meeting_kind not in SESSION_KINDS)
    return tuple(name for name, found in (("会次", numbered), ("主持人", doc.chair), ("会议日期", dated))
                 if not found)


def _month_day(iso: str) -> str:
    return f"{int(iso[5:7])}月{int(iso[8:10])}日" if len(iso) == 10 else "\0"


def audit_document(doc: Document, path: str = "") -> FileAudit:
    """One parsed document's row of the report."""
    departments = _departments(doc)
    return FileAudit(
        path=path or doc.source,
        doc_id=doc.id,
        doc_type=doc.doc_type,
        meeting_kind=doc.meeting_kind,
        title=doc.title,
        doc_number=doc.doc_number,
        session=doc.session,
        issuer=doc.issuer,
        issuer_level=doc.issuer_level,
        date=doc.date,
        signed=doc.signed,
        compiled=doc.compiled,
        issued=doc.issued,
        item_count=sum(1 for item in doc.items if item.number),
        departments=departments,
        attendance=_attendance(doc),
        warnings=document_warnings(doc, departments),
        visibility=doc.visibility,
        visibility_reason=doc.visibility_reason,
        ocr_pages=doc.ocr_pages,
    )


def mark_duplicates(files: list[FileAudit]) -> list[FileAudit]:
    """A later file that parses to the same document (same id: issuer and number, or
    the same text) as an earlier one fails to index, as ``minutes index`` reports it."""
    first: dict[str, str] = {}
    out = []
    for f in files:
        if f.doc_id and f.doc_id in first:
            f = FileAudit(path=f.path, failure=f"duplicate document: {f.doc_number or 'same text'} "
                                               f"is already in {first[f.doc_id]}")
        elif f.doc_id:
            first[f.doc_id] = f.path
        out.append(f)
    return out


def audit_totals(files: Iterable[FileAudit]) -> AuditTotals:
    files = tuple(files)
    parsed = [f for f in files if f.ok]
    warnings = Counter(kind for f in parsed for kind in dict.fromkeys(f.warning_kinds))
    unit_files = Counter(name for f in parsed for name in f.unknown_units)
    unit_mentions = Counter()
    for f in parsed:
        unit_mentions.update({d.name: d.item_count for d in f.departments if not d.known})
    return AuditTotals(
        files=len(files),
        parsed=len(parsed),
        failed=len(files) - len(parsed),
        with_warnings=sum(1 for f in parsed if f.warnings),
        item_count=sum(f.item_count for f in parsed),
        doc_types=_most_first(Counter(f.doc_type for f in parsed)),
        warnings=tuple(Count(kind, warnings[kind]) for kind in WARNINGS if warnings[kind]),
        dept_levels=_most_first(Counter(d.level for f in parsed for d in f.departments)),
        unknown_units=tuple(
            UnitCount(name, n, unit_mentions[name])
            for name, n in sorted(unit_files.items(), key=lambda kv: (-kv[1], -unit_mentions[kv[0]], kv[0]))),
        visibility=_most_first(Counter(f.visibility for f in parsed)),
    )


def _most_first(counter: Counter) -> tuple[Count, ...]:
    return tuple(Count(v, n) for v, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def audit_documents(docs: Iterable[Document]) -> AuditReport:
    """The report for documents already parsed (e.g. those an index holds), in the order given."""
    files = mark_duplicates([audit_document(doc) for doc in docs])
    return AuditReport(tuple(files), audit_totals(files))


def audit_index(search_index, deadline: Deadline | None = None, access=None) -> AuditReport:
    """The report for what a :class:`~indexer.engine.SearchIndex` holds, by source file:
    the documents it rebuilds from its stored fields (see :mod:`indexer.analytics.crossrefs`) that
    ``access`` may read (None: all), under the deadline (by default, the index's time
    limit from now)."""
    deadline = deadline or search_index.deadline()
    docs = sorted(search_index.crossrefs(deadline, access).documents.values(), key=lambda d: (d.source, d.id))

    def checked():
        for doc in docs:
            deadline.check()
            yield doc

    return audit_documents(checked())


def audit_paths(paths: Iterable[str | Path], on_file: Callable[[Path], None] | None = None,
                index_dir: str | Path | None = None) -> AuditReport:
    """Parse every file named or under the folders named (as ``minutes index`` would
    pick them) and report on each; nothing is indexed. A file that cannot be read
    or parsed, or is refused as classified, is a row with its reason, and the batch goes on.

    Visibility is decided as ``minutes index --index INDEX_DIR`` would: with that index
    folder's ``visibility.toml`` and each file's path under the source root the index
    records for it (else under the folder named); without ``index_dir``, by the
    document's marking, else internal. Raises VisibilityRulesError for a malformed file."""
    rules, roots = audit_context(index_dir)
    files: list[FileAudit] = []
    for given in paths:
        collected, missing = collect_files([given])
        files += [FileAudit(path=f.path, failure=f.reason) for f in missing]
        for path in collected:
            parsed = parse_for_audit(path, path_under_root(path, given, roots), rules)
            files.append(parsed if isinstance(parsed, FileAudit) else audit_document(parsed, str(path)))
            if on_file:
                on_file(path)
    files = mark_duplicates(files)
    return AuditReport(tuple(files), audit_totals(files))


def audit_context(index_dir: str | Path | None) -> tuple[Rules, Roots]:
    """What decides visibility in an audit (:func:`visibility_context`); scans read from now on are
    kept in ``index_dir``'s OCR cache, so that indexing the files does not read them again."""
    rules, roots = visibility_context(index_dir)
    if index_dir is not None:
        ocr.use_cache(cache_dir(index_location(index_dir)) / OCR_CACHE)
    return rules, roots


def parse_for_audit(path: Path, under_root: str, rules: Rules) -> Document | FileAudit:
    """The document ``path`` parses into, with the visibility ``rules`` give it at ``under_root``;
    else its audit row, naming why not (a parser bug too: the audit goes on)."""
    try:
        return decide(parse_file(path), under_root, rules)
    except ParseError as e:
        return FileAudit(path=str(path), failure=e.reason)
    except MemoryError:  # not the file's fault alone: the caller decides (indexer.ingest.isolated)
        raise
    except Exception as e:  # noqa: BLE001 - a parser bug on one file is reported on that file; the audit goes on
        return FileAudit(path=str(path), failure=f"parser error: {type(e).__name__}: {e}")


__all__ = [
    "AttendanceCounts", "AuditDepartment", "AuditReport", "AuditTotals", "AuditWarning", "Count", "FileAudit",
    "OCR_LOW_CONFIDENCE", "UnitCount", "WARNINGS", "audit_context", "audit_document", "audit_documents", "audit_index",
    "audit_paths", "audit_totals", "document_warnings", "low_confidence", "mark_duplicates", "minutes_missing",
    "ocr_percent", "ocr_summary", "parse_for_audit",
]
