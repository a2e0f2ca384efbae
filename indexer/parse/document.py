"""Official documents and minutes into :class:`~indexer.model.Document` values.

The normalized text (see :mod:`indexer.normalize`) falls into three regions:
the header (title, document number, issuing office, legal-database lines,
主送), the body (preamble, then items 一、二、…; see :mod:`indexer.parse.sections`)
and the closing (出席, 列席, 请假, 记录, 分送/抄送, signature, 整理 and 印发
lines). A document without numbered items becomes one item.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from pathlib import Path

from ..errors import ParseError
from ..hanzi import looks_traditional, simplified
from ..model import Attendance, Document, Item
from ..normalize import DATE, find_dates, normalize, parse_date
from ..patterns import (
    BOOK_TITLE,
    CLASSIFIED_MARK,
    DECREE_NUMBER,
    DOC_NUMBER,
    HEAD_MARK_LINE,
    HELD_SESSION,
    ISSUE_NUMBER,
    MARK_INTERNAL,
    MARK_PUBLIC,
    MEETING_HELD,
    MEETING_KINDS,
    MINUTES,
    SESSION,
    SHORT_NAME,
    doc_type_of,
    marking_kind,
    marking_of,
    session_text,
)
from ..read import SUPPORTED_SUFFIXES, read_file
from . import attendance, gazetteer, meeting, sections
from .header import parse_header, represented_issuer, split_issuers
from .page import read_page, with_disclosure
from .reflow import is_run_on, reflow
from .roles import department_roles
from .sections import ITEM, Line, lines_of
from .traditional import with_original

__all__ = ["SUPPORTED_SUFFIXES", "parse_file", "parse_text"]

_LABEL = re.compile(r"^(出席|列席|参会人员|参会|参加人员|邀请|请假|记录|分送|抄送|主送|附件)[：:]\s*(.*)$")
# Other words minutes use for the same blocks: 参会 is who attended, 邀请 who was invited to sit in.
_LABEL_AS = {"参会人员": "出席", "参会": "出席", "参加人员": "出席", "邀请": "列席"}
# Topic meetings go by what they did: 讨论会, 座谈会, 协调会 … are 专题会议.
_TOPIC_MEETING = re.compile(r"(?:讨论|座谈|协调|论证|推进|调度|评审|对接)会(?:议)?纪要")
_LIST_LABELS = {"出席", "列席", "请假", "分送", "抄送", "主送", "附件"}
_ISSUED = re.compile(r"(\d{4}年\d{1,2}月\d{1,2}日)\s*印发\s*$")
_COMPILED = re.compile(r"(\d{4}年\d{1,2}月\d{1,2}日)\s*整理[）)]?\s*$|整理[：:]\s*(\d{4}年\d{1,2}月\d{1,2}日)")
_DATE_LINE = re.compile(rf"^[（(]?{DATE.pattern}[）)]?$")
_ACTIONS = ("听取", "审议", "研究", "传达", "学习", "讨论", "通报", "部署", "审定", "协调")
_DECISION = re.compile(r"原则同意|原则通过|审议通过|不同意|同意|暂缓|原则上同意")


def parse_file(path: str | Path) -> Document:
    """Read and parse one file; raises :class:`ParseError` naming it and the reason."""
    path = Path(path)
    read = read_file(path)
    doc = parse_text(read.text, source=str(path), content_hash=hashlib.sha256(read.data).hexdigest())
    return replace(doc, ocr_pages=read.ocr_pages) if read.ocr_pages else doc


def parse_text(text: str, source: str = "", content_hash: str = "") -> Document:
    """Parse a document's text. Text in traditional characters is parsed as its simplified
    shadow, and what a reader sees is then taken from the original (see parse/traditional.py)."""
    shadow = simplified(text) if looks_traditional(text) else text
    doc = _parse_simplified(shadow, source, content_hash)
    return doc if shadow == text else with_original(doc, text)


def _parse_simplified(text: str, source: str = "", content_hash: str = "") -> Document:
    page = read_page(text)  # a web page's furniture out, its disclosure metadata read
    norm = normalize(page.text)
    if not norm.strip():
        raise ParseError(source or "<text>", "no text after normalization")
    if is_run_on(norm):
        norm = reflow(norm)  # one run-on line (OCR, data exports): put the breaks back by pattern
    lines = lines_of(norm)
    header = with_disclosure(parse_header(lines), page)
    title = header.title
    doc_type = doc_type_of(title)
    body_start = header.end
    body_end, closing = _closing(lines, body_start)
    reported = _reports_meeting(doc_type, title, norm)
    if reported:
        doc_type = MINUTES  # a government's website reports its meeting: 区长X主持召开区政府第45次常务会议…
        title = meeting.heading(norm) or title  # the page's heading, without its date line or breadcrumb
    preamble_span, item_spans = sections.item_spans(norm, (body_start, body_end))
    if not item_spans and doc_type == MINUTES:
        preamble_span, item_spans = _agenda_spans(lines, (body_start, body_end))
    government = meeting.government(norm, title) if reported else ""
    issuers = (government,) if government else header.issuers or split_issuers(_qualified(represented_issuer(norm[body_start:body_start + 400]), title))
    signed, signer, by_issuer = _signature(lines, body_start, body_end, issuers)
    if closing.get("signed") and not by_issuer:
        signed, signer = closing["signed"], closing.get("signer", "")
    # Who issued it decides what the items' short unit names mean: settle it before reading them.
    issuers = _located(issuers or split_issuers(signer) or page.issuers, header.metadata)
    level, place = gazetteer.issuer_level(issuers), gazetteer.issuer_place(issuers[0] if issuers else "")
    if item_spans:
        items = tuple(_item(norm, n, span, level=level, place=place) for n, span in item_spans)
    else:
        items = (_item(norm, 0, (body_start, body_end), title=title, level=level, place=place),)
    preamble = norm[slice(*preamble_span)].strip()
    # Where the meeting, its session and chair are stated: before the first item.
    head_text = norm[: preamble_span[1]] if item_spans else norm[: body_start + 600]
    minutes = doc_type == MINUTES
    meeting_kind = (header.meeting_kind or next((k for k in MEETING_KINDS if k in title or k in head_text[:300]), "")
                    or ("专题会议" if _TOPIC_MEETING.search(title) else "")) if minutes else ""
    chair_name, chair_title = meeting.chair(norm) if minutes else ("", "")
    number = header.number
    m = DOC_NUMBER.fullmatch(number) or ISSUE_NUMBER.fullmatch(number)
    decree = DECREE_NUMBER.fullmatch(number) if not m else None
    named = _date_in_name(source)
    session = (meeting.session(head_text, title) or _session(head_text)) if minutes else ""
    # A held sentence whose date is garbled or only 日前 leaves the date unknown, not guessed.
    # The page's own date gives a month and day their year: its disclosure metadata's, else a date
    # line among the furniture taken out of the text (see parse/page.py).
    page_day = header.page_date if minutes else ""
    date = "" if minutes and meeting.undated(norm) else (
        (_minutes_date(norm, preamble, session, m, page_day) if minutes else "")
        or (max(header.date, named) if header.history and named else header.date)
        or signed or closing.get("issued", "") or named
        or (m.group(2) if m else _meeting_date(preamble))  # at least the number's year
    )
    issuer = "、".join(issuers)
    attending_persons, attending_units = attendance.attending(closing.get("列席", ""), level, place)
    present = attendance.names(closing.get("出席", "")) or (meeting.attendees(norm) if minutes else ())
    return Document(
        id=_doc_id(issuer, number, norm),
        title=title,
        issuer=issuer,
        doc_type=doc_type,
        doc_number=number,
        session=session,
        date=date,
        chair=chair_name + chair_title,
        preamble=preamble,
        items=items,
        attendance=Attendance(
            present=present,
            attending=attending_units,
            attending_persons=attending_persons,
            absent=attendance.names(closing.get("请假", "")),
            recorder=closing.get("记录", "").strip("。；; "),
        ),
        distribution=addressee_phrases(closing.get("分送", "") or closing.get("抄送", "")),
        issued=closing.get("issued", ""),
        source=source,
        content_hash=content_hash or hashlib.sha256(norm.encode()).hexdigest(),
        meeting_kind=meeting_kind,
        number_prefix=m.group(1) if m else decree.group(1) if decree else "",
        number_year=int(m.group(2)) if m else 0,
        number_seq=int(m.group(3)) if m else int(decree.group(2)) if decree else 0,
        chair_name=chair_name,
        chair_title=chair_title,
        compiled=closing.get("compiled", ""),
        signed=signed,
        addressees=header.addressees or addressee_phrases(closing.get("主送", "")),
        public=_marking(norm, lines, body_start) or page.marking,
        metadata=header.metadata,
        issuer_level=level,
        number_aliases=header.number_aliases,
        text=norm,
        body_span=(body_start, body_end),
        preamble_span=preamble_span,
        preamble_roles=department_roles(preamble, level, gazetteer.issuer_place(issuer)) if preamble else (),
        preamble_topics=gazetteer.find_topics(preamble) if preamble else (),
    )


def _closing_kind(lines: list[Line], i: int) -> str | None:
    """What closing line ``lines[i]`` is, or None for body text."""
    text = lines[i].text.strip()
    if _LABEL.match(text):
        return "label"
    if _ISSUED.search(text) or _COMPILED.search(text) or marking_of(text) or _DATE_LINE.match(text):
        return "mark"
    following = next((ln.text.strip() for ln in lines[i + 1:] if ln.text.strip()), "")
    if len(text) <= 40 and not re.search(r"[，。；：、]", text) and (
            _DATE_LINE.match(following) or _ISSUED.match(following)):
        return "signer"  # the office above a signature date or a printing line
    return None


def _closing(lines: list[Line], body_start: int) -> tuple[int, dict[str, str]]:
    """Where the body ends, and the closing blocks by label (plus dates)."""
    body_lines = [i for i, ln in enumerate(lines) if ln.start >= body_start]
    for first in body_lines:
        if not lines[first].text.strip() or _closing_kind(lines, first) is None:
            continue
        parsed = _read_closing(lines, first)
        if parsed is not None:
            return lines[first].start, parsed
    return (lines[-1].end if lines else 0), {}


def _read_closing(lines: list[Line], first: int) -> dict[str, str] | None:
    """The closing blocks from ``first`` on, or None if body text follows."""
    blocks: dict[str, str] = {}
    label, compiled_by = None, False
    for i in range(first, len(lines)):
        text = lines[i].text.strip()
        if not text:
            label = None if label not in ("列席", "出席") else label
            continue
        kind = _closing_kind(lines, i)
        if kind == "label":
            m = _LABEL.match(text)
            label = _LABEL_AS.get(m.group(1), m.group(1))
            blocks[label] = (blocks.get(label, "") + "；" + m.group(2)).lstrip("；") if label in blocks else m.group(2)
            if label not in ("出席", "列席", "请假") and m.group(2).endswith("。"):
                label = None  # 分送：…单位。 the list is closed
        elif kind == "mark":
            label = None
            if m := _ISSUED.search(text):
                blocks["issued"] = parse_date(m.group(1))
            elif m := _COMPILED.search(text):
                blocks["compiled"] = parse_date(m.group(1) or m.group(2))
            elif marking_of(text):
                pass  # read with the document's other markings (see _marking)
            elif compiled_by:
                blocks["compiled"] = parse_date(text)
                compiled_by = False
            else:
                blocks["signed"] = parse_date(text)
        elif kind == "signer":
            label = None
            if text.endswith("整理"):
                compiled_by = True  # 苏州市人民政府办公室整理 / 2021年3月14日: the date under it is 整理's
            else:
                blocks["signer"] = text
        elif label in _LIST_LABELS and _continues_list(text, label):
            blocks[label] += "\n" + text  # a list continued on the next line (a wrap, kept for the list's parser)
        else:
            return None
    return blocks


def _continues_list(text: str, label: str) -> bool:
    """A line that can continue a 列席 / 分送 list: no numbered heading, no sentence inside."""
    if ITEM.match(text) or sections.SUBPOINT.match(text) or sections.POINT.match(text):
        return False
    limit = 1000 if label in ("出席", "列席", "请假") else 200  # attendance lists run long
    return len(text) <= limit and "。" not in text[:-1]


def _item(text: str, number: int, span: tuple[int, int], title: str = "", level: str = "", place: str = "") -> Item:
    body = text[slice(*span)].strip()
    if number:
        first = body.split("\n", 1)[0]
        numbered = ITEM.match(first)
        if numbered:
            title = re.split(r"(?<=[。；])", numbered.group(2), maxsplit=1)[0].rstrip("。；：")
            title = title[:80] + "…" if len(title) > 80 else title
        else:  # （一） alone, or a paragraph 会议审议了…
            title = meeting.agenda_title(first)
    first_sentence = re.split(r"[。；]", body, maxsplit=1)[0]
    action = next((a for a in _ACTIONS if a in title), "") or next((a for a in _ACTIONS if a in first_sentence), "")
    decision = _DECISION.search(body)
    return Item(
        number=number,
        title=title,
        text=body,
        subpoints=() if body.startswith("（") else sections.subpoints(text, span),  # an item （一） has none
        span=span,
        paragraphs=sections.paragraphs(text, span),
        action=action,
        reviewed=reviewed_titles(body),
        decision=decision.group() if decision else "",
        roles=department_roles(body, level, place),
        topic_matches=gazetteer.find_topics(body),
    )


def _reports_meeting(doc_type: str, title: str, text: str) -> bool:
    """Minutes not titled 纪要: a page whose heading or opening says a meeting of the
    government was held (区政府第45次常务会议召开; 张三主持召开县政府常务会议)."""
    if doc_type == MINUTES:
        return False
    if MEETING_HELD.search(title) or (doc_type == "其他" and HELD_SESSION.search(title)):
        return True
    if doc_type != "其他":
        return False
    span = meeting.held_sentence(text)
    return bool(span) and bool(MEETING_HELD.search(text[slice(*span)]))


def _agenda_spans(lines: list[Line], body: tuple[int, int]) -> tuple[tuple[int, int], list[tuple[int, tuple[int, int]]]]:
    """Items of minutes that do not number them 一、二、 (see :func:`meeting.agenda_starts`)."""
    inside = [ln for ln in lines if body[0] <= ln.start < body[1]]
    starts = meeting.agenda_starts(inside)
    if not starts:
        return (body[0], body[0]), []
    bounds = [line.start for _, line in starts] + [body[1]]
    return (body[0], bounds[0]), [(n, (bounds[i], bounds[i + 1])) for i, (n, _) in enumerate(starts)]


def _minutes_date(text: str, preamble: str, session: str, number, page: str = "") -> str:
    """The meeting's date: from the held sentence (a month and day take their year from the
    session or the number, else from the page's date, else a heading's), else the preamble's."""
    years = tuple(int(y) for y in (session[:4] if session[:4].isdigit() else "",
                                   number.group(2) if number else "") if y)
    return meeting.meeting_date(text, years, page) or _meeting_date(preamble or text[:600])


def _session(text: str) -> str:
    m = SESSION.search(text)
    return session_text(m.group(1), m.group(2)) if m else ""


def _meeting_date(text: str) -> str:
    """The date of the sentence that says the meeting was held (the last date before its 召开 or
    主持: a signature date left above it, as a scan's head may leave it, is not the meeting's),
    else the first date."""
    for sentence in re.split(r"(?<=[。；])", text):
        held = min((i for i in (sentence.find("召开"), sentence.find("主持")) if i >= 0), default=-1)
        if held >= 0:
            dates = find_dates(sentence)
            before = [iso for start, iso in dates if start < held]
            if before or dates:
                return before[-1] if before else dates[0][1]
    dates = find_dates(text)
    return dates[0][1] if dates else ""


def _signature(lines: list[Line], start: int, end: int, issuers: tuple[str, ...] = ()) -> tuple[str, str, bool]:
    """The date standing alone on a line inside the body, and the line above it:
    a notice's signature. A document that forwards another carries the other's
    signature too: the first date signed by the issuer wins, else the first date."""
    found = []
    body = [ln for ln in lines if start <= ln.start < end and ln.text.strip()]
    for i, line in enumerate(body):
        if _DATE_LINE.match(line.text.strip()):
            above = body[i - 1].text.strip() if i else ""
            signer = above if len(above) <= 40 and not re.search(r"[，。；：]", above) else ""
            found.append((parse_date(line.text), signer))
    for date, signer in found:
        if signer and any(signer.startswith(name) or name.startswith(signer) for name in issuers):
            return date, signer, True
    return (*found[0], False) if found else ("", "", False)


_NAME_DATE = re.compile(r"[_(（\s]((?:19|20)\d\d)-(\d\d)-(\d\d)[)）]?$")


def _date_in_name(source: str) -> str:
    """A version date at the end of a file's name (优化营商环境条例(2019-10-22).md):
    what an archive or law database names a file by. Used when the text states no
    date, or when it is later than the history the text lists (a revision it omits)."""
    m = _NAME_DATE.search(Path(source).stem) if source else None
    return f"{m.group(1)}-{m.group(2)}-{m.group(3)}" if m else ""


def _located(issuers: tuple[str, ...], metadata: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """市政府 on a page of a city's site is that city's: 来源：苏州市人民政府办公室 → 苏州市人民政府."""
    if not issuers or not re.match(r"^市(?:人民)?政府", issuers[0]):
        return issuers
    for _, value in metadata:
        m = re.search(r"([\u4e00-\u9fff]{2,4}?市)(?:人民)?政府", value)
        if m:
            return (m.group(1) + "人民政府" + re.sub(r"^市(?:人民)?政府", "", issuers[0]), *issuers[1:])
    return issuers


def _qualified(government: str, title: str) -> str:
    """市人民政府 in a report titled 2022年示例市政府工作报告 is 示例市人民政府."""
    place = re.search(r"([\u4e00-\u9fff]{2,6}?[市省县区])(?:人民)?政府工作报告", re.sub(r"^\d{4}年", "", title))
    if government[:1] in "市省县区" and place and place.group(1).endswith(government[:1]):
        return place.group(1) + government[1:]
    return government


HEAD_LINES = 3  # the head holds at least this many lines, wherever the header parser stopped
HEAD_CHARS = 120  # characters of a line that can be the head's


def _marking(text: str, lines: list[Line], head_end: int) -> str:
    """Who the document says may read it, as written: a classification in its head first
    (密级：机密, 秘密★1年, a line 机密), then a 密级 line of another value, then the most
    restrictive marking line anywhere (此件不公开, 内部资料, （此件发至县团级） before
    此件公开发布: a document marked both ways is not published). "" when it says nothing."""
    filled = [ln for ln in lines if ln.text.strip()]
    if filled:
        head_end = max(head_end, filled[min(HEAD_LINES, len(filled)) - 1].end)
    # Of a long line (run-on text whose lines could not be put back), only its start is the head.
    head = [line.strip()[:HEAD_CHARS] for line in text[:head_end].split("\n")]
    classified = CLASSIFIED_MARK.search("\n".join(head))
    if classified:
        return classified.group(0)
    head_marks = [line for line in head if HEAD_MARK_LINE.fullmatch(line)]
    if head_marks:
        return head_marks[0]  # 机密 alone, or 密级：内部
    found = [m for m in (marking_of(ln.text.strip()) for ln in filled) if m]
    return next((m for m in found if marking_kind(m) == MARK_INTERNAL), "") or \
        next((m for m in found if marking_kind(m) == MARK_PUBLIC), "")


def reviewed_titles(text: str) -> tuple[str, ...]:
    """The titles in 《》, once each, without short names (以下简称《创新行动2021》)
    and their later uses."""
    short = {m.group(1) for m in SHORT_NAME.finditer(text)}
    return tuple(dict.fromkeys(m.group(1) for m in BOOK_TITLE.finditer(text) if m.group(1) not in short))


def addressee_phrases(text: str) -> tuple[str, ...]:
    """分送 / 主送 as the phrases they list: 各市、区人民政府 stays one (各市人民政府
    and 各区人民政府, sharing their ending); 苏州工业园区、苏州高新区 are two."""
    out: list[str] = []
    for phrase in (p for p in re.split(r"[，,；;。\s]+", text) if p):
        parts = phrase.split("、")
        i = 0
        while i < len(parts):
            part = parts[i]
            while i + 1 < len(parts) and re.fullmatch(r"各?[省市县区乡镇]", part.split("、")[-1]):
                i += 1
                part += "、" + parts[i]  # 各市、区人民政府: the first names only a level
            out.append(part)
            i += 1
    return tuple(p for p in out if p)


def _doc_id(issuer: str, number: str, text: str) -> str:
    key = f"{issuer}|{number}" if number else text
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
