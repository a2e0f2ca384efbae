"""Official documents and minutes into :class:`~indexer.model.Document` values.

Works on normalized text (see :mod:`indexer.normalize`): the header (title,
document number, issuer), the preamble (meeting, chair, date), agenda items
一、二、… with sub-points （一）（二）…, and the closing blocks (出席, 列席,
请假, 记录, 分送, 印发). A document without numbered items becomes one item.
"""
from __future__ import annotations

import hashlib
import html.parser
import re
from pathlib import Path

from . import gazetteer
from .errors import ParseError
from .model import Attendance, Document, Item, SubPoint
from .normalize import cn_to_int, decode, find_dates, normalize, parse_date

MAX_FILE_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES

_CN = "一二三四五六七八九十"
_DOC_NUMBER = re.compile(r"([\u4e00-\u9fff]{0,12})〔((?:19|20)\d\d)〕(\d{1,4})号")
_DOC_TYPES = (  # (title ending, doc_type); the first that matches wins
    ("纪要", "会议纪要"), ("政府工作报告", "报告"), ("通知", "通知"), ("实施意见", "意见"), ("意见", "意见"),
    ("批复", "批复"), ("复函", "复函"), ("决定", "决定"), ("决议", "决议"), ("条例", "条例"),
    ("通报", "通报"), ("公告", "公告"), ("报告", "报告"), ("办法", "办法"), ("规定", "规定"),
    ("方案", "方案"), ("函", "函"),
)
_MEETING_KINDS = ("常务会议", "专题会议", "办公会议", "现场办公会", "全体会议")
_SESSION = re.compile(rf"第\s*(\d+|[{_CN}百零]+)\s*次({'|'.join(_MEETING_KINDS)})")
_CHAIR = re.compile(
    r"(?:([\u4e00-\u9fff]{2,3}?)(副?(?:市长|省长|区长|县长|秘书长|主任))|(副?(?:市长|省长|区长|县长|秘书长|主任))"
    r"([\u4e00-\u9fff]{2,3}?))(?:同志)?(?:在[^，。]{0,20})?主持(?:召开)?"
)
_ITEM = re.compile(rf"^([{_CN}]{{1,3}})、\s*(.*)$")
_SUBPOINT = re.compile(rf"^（([{_CN}]{{1,3}})）\s*(.*)$")
_CLOSING = re.compile(r"^(出席|列席|请假|记录|分送|抄送|主送|附件)[：:]\s*(.*)$")
_ISSUED = re.compile(r"(\d{4}年\d{1,2}月\d{1,2}日)\s*印发\s*$")
_DATE_LINE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
_PUBLIC = re.compile(r"^[（(]?此件(?:公开发布|不公开|依申请公开)[）)]?$")


def parse_file(path: str | Path) -> Document:
    """Read and parse one file; raises :class:`ParseError` naming it and the reason."""
    path = Path(path)
    name = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ParseError(name, f"unsupported file type {suffix or '(none)'}; "
                               f"supported: {', '.join(sorted(SUPPORTED_SUFFIXES))}")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ParseError(name, f"file is {size} bytes, over the {MAX_FILE_BYTES} byte limit")
        data = path.read_bytes()
    except OSError as e:
        raise ParseError(name, f"cannot read file: {e.strerror or e}") from None
    text = decode(data, name)
    if suffix in HTML_SUFFIXES:
        text = _html_text(text)
    return parse_text(text, source=name, content_hash=hashlib.sha256(data).hexdigest())


def parse_text(text: str, source: str = "", content_hash: str = "") -> Document:
    norm = normalize(text)
    if not norm.strip():
        raise ParseError(source or "<text>", "no text after normalization")
    lines = norm.split("\n")
    title, number, header_end = _header(lines)
    doc_type = _doc_type(title)
    issuer = _issuer(title, doc_type)
    body_lines, closing = _split_closing(lines[header_end:])
    preamble_lines, item_blocks = _split_items(body_lines)
    preamble = "\n".join(preamble_lines).strip()
    items = tuple(_item(n, block) for n, block in item_blocks)
    if not items:
        body = "\n".join(body_lines).strip()
        items = (Item(0, title, body, (), gazetteer.find_departments(body), gazetteer.find_topics(title + body)),)
        preamble = ""
    session = _session(norm[:2000]) if doc_type == "会议纪要" else ""
    date = (
        (_meeting_date(preamble or norm[:600]) if doc_type == "会议纪要" else "")
        or closing.get("signed") or closing["issued"] or parse_date("\n".join(lines[:header_end]))
        or _meeting_date(preamble)
    )
    doc_id = _doc_id(issuer, number, norm)
    return Document(
        id=doc_id,
        title=title,
        issuer=issuer,
        doc_type=doc_type,
        doc_number=number,
        session=session,
        date=date,
        chair=_chair(preamble or norm[:600]),
        preamble=preamble,
        items=items,
        attendance=Attendance(
            present=_names(closing.get("出席", "")),
            attending=_units(closing.get("列席", "")),
            absent=_names(closing.get("请假", "")),
            recorder=closing.get("记录", "").strip("。； "),
        ),
        distribution=_names(closing.get("分送", "") or closing.get("抄送", "")),
        issued=closing["issued"],
        source=source,
        content_hash=content_hash or hashlib.sha256(norm.encode()).hexdigest(),
    )


class _TextExtractor(html.parser.HTMLParser):
    _BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "title"}
    _SKIP = {"script", "style", "head"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self._SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def _html_text(markup: str) -> str:
    extractor = _TextExtractor()
    extractor.feed(markup)
    extractor.close()
    return "".join(extractor.parts)


def _header(lines: list[str]) -> tuple[str, str, int]:
    """Title, document number, and the index of the first body line."""
    number, title_lines, end, title_done = "", [], 0, False
    for i, line in enumerate(lines[:15]):
        if not line or line.startswith("【") or "原文链接" in line:
            continue  # blank or legal-database header line
        m = _DOC_NUMBER.search(line)
        if m and len(line) <= len(m.group(0)) + 12 and not number:
            number = m.group(0)
            end = i + 1
            continue
        if title_lines and parse_date(line) and len(line) < 40:
            end = i + 1  # the issuing office and date, or the occasion, under the title
            continue
        if title_done or "。" in line or line.endswith(("：", ":")) or _ITEM.match(line) or len(line) > 60:
            break
        if title_lines and title_lines[-1].endswith("文件"):
            title_lines.pop()  # 红头 such as "示例市人民政府文件" above the real title
        title_lines.append(line)
        end = i + 1
        title_done = _doc_type("".join(title_lines)) != "其他"
    title = "".join(title_lines) or next((ln for ln in lines if ln), "")
    return title, number, end


def _doc_type(title: str) -> str:
    core = re.sub(r"[（(][^）)]*[）)]$", "", title)  # 《…条例（草案）》 ends with its note
    for ending, doc_type in _DOC_TYPES:
        if core.endswith(ending) or (ending in ("纪要", "政府工作报告") and ending in core):
            return doc_type
    return "其他"


def _issuer(title: str, doc_type: str) -> str:
    if doc_type == "会议纪要":
        for kind in (*_MEETING_KINDS, "会议"):
            if kind in title:
                return title[: title.index(kind)].rstrip("第")
    if "关于" in title:
        return title[: title.index("关于")]
    return ""


def _split_closing(lines: list[str]) -> tuple[list[str], dict[str, str]]:
    """Body lines, and the closing blocks keyed by their label (plus "issued")."""
    closing: dict[str, str] = {"issued": ""}
    body: list[str] = []
    label = None
    for line in lines:
        issued = _ISSUED.search(line)
        if issued:
            closing["issued"] = parse_date(issued.group(1))
            label = None
            continue
        if _DATE_LINE.match(line):  # a signature: the office on the line above, then the date
            closing["signed"] = parse_date(line)
            while body and not body[-1]:
                body.pop()
            if body and len(body[-1]) <= 20 and not re.search("[，。；：]", body[-1]):
                body.pop()
            label = None
            continue
        m = _CLOSING.match(line)
        if m:
            label = m.group(1)
            closing[label] = closing.get(label, "") + m.group(2)
        elif _PUBLIC.match(line):
            closing["public"] = line
            label = None
        elif label and line:
            closing[label] += "；" + line if label == "列席" else line
        elif not label:
            body.append(line)
    return body, closing


def _split_items(lines: list[str]) -> tuple[list[str], list[tuple[int, list[str]]]]:
    preamble: list[str] = []
    items: list[tuple[int, list[str]]] = []
    expected = 1
    for line in lines:
        m = _ITEM.match(line)
        if m and cn_to_int(m.group(1)) == expected:
            items.append((expected, [line]))
            expected += 1
        elif items:
            items[-1][1].append(line)
        else:
            preamble.append(line)
    return preamble, items


def _item(number: int, block: list[str]) -> Item:
    text = "\n".join(block).strip()
    head = _ITEM.match(block[0]).group(2)
    title = re.split(r"(?<=[。；])", head, maxsplit=1)[0].rstrip("。；：")
    if len(title) > 80:
        title = title[:80] + "…"
    subpoints: list[SubPoint] = []
    for line in block[1:]:
        m = _SUBPOINT.match(line)
        if m and cn_to_int(m.group(1)) == len(subpoints) + 1:
            subpoints.append(SubPoint(len(subpoints) + 1, f"（{m.group(1)}）", line))
        elif subpoints and line:
            last = subpoints[-1]
            subpoints[-1] = SubPoint(last.number, last.label, last.text + "\n" + line)
    return Item(
        number=number,
        title=title,
        text=text,
        subpoints=tuple(subpoints),
        departments=gazetteer.find_departments(text),
        topics=gazetteer.find_topics(text),
    )


def _session(text: str) -> str:
    m = _SESSION.search(text)
    return f"第{cn_to_int(m.group(1))}次{m.group(2)}" if m else ""


def _chair(text: str) -> str:
    m = _CHAIR.search(text)
    if not m:
        return ""
    name, title = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
    return f"{name}{title}"


def _meeting_date(text: str) -> str:
    """The date of the sentence that says the meeting was held, else the first date."""
    for sentence in re.split(r"(?<=[。；])", text):
        if "召开" in sentence or "主持" in sentence:
            date = parse_date(sentence)
            if date:
                return date
    dates = find_dates(text)
    return dates[0][1] if dates else ""


def _names(text: str) -> tuple[str, ...]:
    return tuple(n for n in re.split(r"[、，,；;。\s]+", text) if n)


def _units(text: str) -> tuple[str, ...]:
    return tuple(u.strip() for u in re.split(r"[；;。\n]+", text) if u.strip())


def _doc_id(issuer: str, number: str, text: str) -> str:
    key = f"{issuer}|{number}" if number else text
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
