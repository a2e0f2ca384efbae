"""Official documents and minutes into :class:`~indexer.model.Document` values.

The normalized text (see :mod:`indexer.normalize`) falls into three regions:
the header (title, document number, issuing office, legal-database lines,
主送), the body (preamble, then items 一、二、…; see :mod:`indexer.sections`)
and the closing (出席, 列席, 请假, 记录, 分送/抄送, signature, 整理 and 印发
lines). A document without numbered items becomes one item.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from . import gazetteer, sections
from .errors import ParseError
from .formats import SUPPORTED_SUFFIXES, read_file
from .model import Attendance, AttendingUnit, Document, Item
from .normalize import DOC_NUMBER, cn_to_int, find_dates, normalize, parse_date
from .roles import department_roles
from .sections import ITEM, Line, lines_of

__all__ = ["SUPPORTED_SUFFIXES", "parse_file", "parse_text"]

_DOC_TYPES = (  # (title ending, doc_type); the first that matches wins
    ("纪要", "会议纪要"), ("政府工作报告", "报告"), ("通知", "通知"), ("意见", "意见"), ("批复", "批复"),
    ("复函", "复函"), ("决定", "决定"), ("决议", "决议"), ("条例", "条例"), ("通报", "通报"), ("公告", "公告"),
    ("报告", "报告"), ("办法", "办法"), ("规定", "规定"), ("方案", "方案"), ("函", "函"),
)
MEETING_KINDS = ("常务会议", "专题会议", "办公会议", "现场办公会", "全体会议")
_SESSION = re.compile(rf"第\s*(\d+|[一二三四五六七八九十百零]+)\s*次({'|'.join(MEETING_KINDS)})")
_TITLES = r"常务副市长|副市长|市长|副省长|省长|副区长|区长|副县长|县长|副秘书长|秘书长|副主任|主任"
_CHAIR = re.compile(
    rf"(?:([\u4e00-\u9fff]{{2,3}}?)({_TITLES})|({_TITLES})([\u4e00-\u9fff]{{2,3}}?))(?:同志)?(?:在[^，。]{{0,20}})?主持"
)
_LABEL = re.compile(r"^(出席|列席|请假|记录|分送|抄送|主送|附件)[：:]\s*(.*)$")
_LIST_LABELS = {"出席", "列席", "请假", "分送", "抄送", "主送", "附件"}
_ISSUED = re.compile(r"(\d{4}年\d{1,2}月\d{1,2}日)\s*印发\s*$")
_COMPILED = re.compile(r"(\d{4}年\d{1,2}月\d{1,2}日)\s*整理[）)]?\s*$|整理[：:]\s*(\d{4}年\d{1,2}月\d{1,2}日)")
_DATE_LINE = re.compile(r"^[（(]?\d{4}年\d{1,2}月\d{1,2}日[）)]?$")
_PUBLIC = re.compile(r"^[（(]?(此件(?:公开发布|不公开|依申请公开|主动公开))[）)]?$")
_META = re.compile(r"^【([^】]{1,20})】\s*(.*)$|^(原文链接|来源|发布日期|时效性)[：:]\s*(.*)$")
_ACTIONS = ("听取", "审议", "研究", "传达", "学习", "讨论", "通报", "部署", "审定", "协调")
_DECISION = re.compile(r"原则同意|原则通过|审议通过|不同意|同意|暂缓|原则上同意")
_REVIEWED = re.compile(r"《([^《》\n]{2,80})》")


def parse_file(path: str | Path) -> Document:
    """Read and parse one file; raises :class:`ParseError` naming it and the reason."""
    path = Path(path)
    text, data = read_file(path)
    return parse_text(text, source=str(path), content_hash=hashlib.sha256(data).hexdigest())


def parse_text(text: str, source: str = "", content_hash: str = "") -> Document:
    norm = normalize(text)
    if not norm.strip():
        raise ParseError(source or "<text>", "no text after normalization")
    lines = lines_of(norm)
    header = _header(lines)
    title = header["title"]
    doc_type = _doc_type(title)
    body_start = header["end"]
    body_end, closing = _closing(lines, body_start)
    preamble_span, item_spans = sections.item_spans(norm, (body_start, body_end))
    if item_spans:
        items = tuple(_item(norm, n, span) for n, span in item_spans)
    else:
        items = (_item(norm, 0, (body_start, body_end), title=title),)
    preamble = norm[slice(*preamble_span)].strip()
    # Where the meeting, its session and chair are stated: before the first item.
    head_text = norm[: preamble_span[1]] if item_spans else norm[: body_start + 600]
    number = header["number"]
    meeting_kind = next((k for k in MEETING_KINDS if k in title or k in head_text[:300]), "") \
        if doc_type == "会议纪要" else ""
    chair = _CHAIR.search(head_text) if doc_type == "会议纪要" else None
    chair_name, chair_title = (
        (chair.group(1), chair.group(2)) if chair and chair.group(1) else
        (chair.group(4), chair.group(3)) if chair else ("", ""))
    signed = closing.get("signed") or _signature_date(lines, body_start, body_end)
    date = (
        (_meeting_date(preamble or norm[:600]) if doc_type == "会议纪要" else "")
        or signed or closing.get("issued", "") or header["date"] or _meeting_date(preamble)
    )
    m = DOC_NUMBER.fullmatch(number)
    issuer = _issuer(title, doc_type)
    return Document(
        id=_doc_id(issuer, number, norm),
        title=title,
        issuer=issuer,
        doc_type=doc_type,
        doc_number=number,
        session=_session(head_text) if doc_type == "会议纪要" else "",
        date=date,
        chair=chair_name + chair_title,
        preamble=preamble,
        items=items,
        attendance=Attendance(
            present=_names(closing.get("出席", "")),
            attending=_attending(closing.get("列席", "")),
            absent=_names(closing.get("请假", "")),
            recorder=closing.get("记录", "").strip("。；; "),
        ),
        distribution=_names(closing.get("分送", "") or closing.get("抄送", "")),
        issued=closing.get("issued", ""),
        source=source,
        content_hash=content_hash or hashlib.sha256(norm.encode()).hexdigest(),
        meeting_kind=meeting_kind,
        number_prefix=m.group(1) if m else "",
        number_year=int(m.group(2)) if m else 0,
        number_seq=int(m.group(3)) if m else 0,
        chair_name=chair_name,
        chair_title=chair_title,
        compiled=closing.get("compiled", ""),
        signed=signed,
        addressees=header["addressees"] or _names(closing.get("主送", "")),
        public=closing.get("public", "") or _public_in(norm[body_start:body_end]),
        metadata=header["metadata"],
        text=norm,
        body_span=(body_start, body_end),
        preamble_span=preamble_span,
    )


def _header(lines: list[Line]) -> dict:
    """Title, number, metadata, 主送, and the offset where the body starts."""
    number, title_lines, metadata, date = "", [], [], ""
    end, title_done, addressees = 0, False, ()
    for i, line in enumerate(lines[:20]):
        text = line.text.strip()
        if not text:
            continue
        meta = _META.match(text)
        if meta:
            metadata.append((meta.group(1) or meta.group(3), (meta.group(2) or meta.group(4) or "").strip()))
            end = line.end
            continue
        m = DOC_NUMBER.search(text)
        if m and len(text) <= len(m.group(0)) + 12 and not number:
            number = m.group(0)
            end = line.end
            continue
        if title_lines and parse_date(text) and len(text) < 40 and "。" not in text:
            date = date or parse_date(text)
            end = line.end  # the issuing office and date, or the occasion, under the title
            continue
        if title_done and text.startswith(("主送：", "主送:")):
            addressees = _names(text[3:])
            end = line.end
            break
        if title_done and text.endswith(("：", ":")) and "。" not in text and len(text) < 120:
            addressees = _names(text.rstrip("：:"))  # 主送 without its label: 各区人民政府，市各委办局：
            end = line.end
            break
        if title_done or "。" in text or text.endswith(("：", ":")) or ITEM.match(text) or len(text) > 60:
            break
        if title_lines and title_lines[-1].endswith("文件"):
            title_lines.pop()  # 红头 such as "示例市人民政府文件" above the real title
        title_lines.append(text)
        end = line.end
        title_done = _doc_type("".join(title_lines)) != "其他"
    title = "".join(title_lines) or next((ln.text.strip() for ln in lines if ln.text.strip()), "")
    body_start = min(end + 1, lines[-1].end) if end else 0
    return {"title": title, "number": number, "metadata": tuple(metadata), "date": date,
            "addressees": addressees, "end": body_start}


def _doc_type(title: str) -> str:
    core = re.sub(r"[（(][^）)]*[）)]$", "", title)  # 《…条例（草案）》 ends with its note
    for ending, doc_type in _DOC_TYPES:
        if core.endswith(ending) or (ending in ("纪要", "政府工作报告") and ending in core):
            return doc_type
    return "其他"


def _issuer(title: str, doc_type: str) -> str:
    if doc_type == "会议纪要":
        for kind in (*MEETING_KINDS, "会议"):
            if kind in title:
                return title[: title.index(kind)].rstrip("第")
    if "关于" in title:
        return title[: title.index("关于")]
    return ""


def _closing_kind(lines: list[Line], i: int) -> str | None:
    """What closing line ``lines[i]`` is, or None for body text."""
    text = lines[i].text.strip()
    if _LABEL.match(text):
        return "label"
    if _ISSUED.search(text) or _COMPILED.search(text) or _PUBLIC.match(text) or _DATE_LINE.match(text):
        return "mark"
    following = next((ln.text.strip() for ln in lines[i + 1:] if ln.text.strip()), "")
    if len(text) <= 20 and not re.search(r"[，。；：、]", text) and _DATE_LINE.match(following):
        return "signer"
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
    label = None
    for i in range(first, len(lines)):
        text = lines[i].text.strip()
        if not text:
            label = None if label not in ("列席", "出席") else label
            continue
        kind = _closing_kind(lines, i)
        if kind == "label":
            m = _LABEL.match(text)
            label = m.group(1)
            blocks[label] = (blocks.get(label, "") + "；" + m.group(2)).lstrip("；") if label in blocks else m.group(2)
        elif kind == "mark":
            label = None
            if m := _ISSUED.search(text):
                blocks["issued"] = parse_date(m.group(1))
            elif m := _COMPILED.search(text):
                blocks["compiled"] = parse_date(m.group(1) or m.group(2))
            elif m := _PUBLIC.match(text):
                blocks["public"] = m.group(1)
            else:
                blocks["signed"] = parse_date(text)
        elif kind == "signer":
            label = None
        elif label in _LIST_LABELS and _continues_list(text):
            blocks[label] += ("；" if label == "列席" else "") + text  # a list continued on the next line
        else:
            return None
    return blocks


def _continues_list(text: str) -> bool:
    """A line that can continue a 列席 / 分送 list: no numbered heading, no sentence inside."""
    if ITEM.match(text) or sections.SUBPOINT.match(text) or sections.POINT.match(text):
        return False
    return len(text) <= 120 and "。" not in text[:-1]


def _item(text: str, number: int, span: tuple[int, int], title: str = "") -> Item:
    body = text[slice(*span)].strip()
    if number:
        head = ITEM.match(body.split("\n", 1)[0]).group(2)
        title = re.split(r"(?<=[。；])", head, maxsplit=1)[0].rstrip("。；：")
        if len(title) > 80:
            title = title[:80] + "…"
    first_sentence = re.split(r"[。；]", body, maxsplit=1)[0]
    action = next((a for a in _ACTIONS if a in title), "") or next((a for a in _ACTIONS if a in first_sentence), "")
    decision = _DECISION.search(body)
    return Item(
        number=number,
        title=title,
        text=body,
        subpoints=sections.subpoints(text, span),
        span=span,
        paragraphs=sections.paragraphs(text, span),
        action=action,
        reviewed=tuple(dict.fromkeys(m.group(1) for m in _REVIEWED.finditer(body))),
        decision=decision.group() if decision else "",
        roles=department_roles(body),
        topic_matches=gazetteer.find_topics(body),
    )


def _session(text: str) -> str:
    m = _SESSION.search(text)
    return f"第{cn_to_int(m.group(1))}次{m.group(2)}" if m else ""


def _meeting_date(text: str) -> str:
    """The date of the sentence that says the meeting was held, else the first date."""
    for sentence in re.split(r"(?<=[。；])", text):
        if "召开" in sentence or "主持" in sentence:
            date = parse_date(sentence)
            if date:
                return date
    dates = find_dates(text)
    return dates[0][1] if dates else ""


def _signature_date(lines: list[Line], start: int, end: int) -> str:
    """A date standing alone on a line inside the body (a notice's signature)."""
    for line in lines:
        if start <= line.start < end and _DATE_LINE.match(line.text.strip()):
            return parse_date(line.text)
    return ""


def _public_in(text: str) -> str:
    for line in text.split("\n"):
        m = _PUBLIC.match(line.strip())
        if m:
            return m.group(1)
    return ""


def _names(text: str) -> tuple[str, ...]:
    return tuple(n for n in re.split(r"[、，,；;。\s]+", text) if n)


def _attending(text: str) -> tuple[AttendingUnit, ...]:
    """列席: "市政府办公室 周涛、吴敏；市发改委 郑伟" → units with their persons."""
    units = []
    for entry in (e.strip() for e in re.split(r"[；;。\n]+", text)):
        if not entry:
            continue
        if " " in entry:
            unit, persons = entry.split(" ", 1)
        else:
            pattern, _ = gazetteer.department_matcher()
            m = pattern.match(entry)
            unit, persons = (entry[: m.end()], entry[m.end():]) if m else (entry, "")
        units.append(AttendingUnit(unit.strip(), _names(persons)))
    return tuple(units)


def _doc_id(issuer: str, number: str, text: str) -> str:
    key = f"{issuer}|{number}" if number else text
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
