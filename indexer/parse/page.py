"""What a browser shows of a government web page, around the document: its furniture and its
disclosure metadata.

Minutes are often saved as the text of the page that published them (a copy of the browser's
window, or a page read by :mod:`indexer.read.html`). Around the document stand:

- **furniture** (:data:`~indexer.patterns.FURNITURE`): navigation (• 繁体版 • 无障碍浏览 • English),
  banners (网站支持IPv6), breadcrumbs (您当前的位置：首页 > 政务公开 > …), 字体：【大】【中】【小】,
  打印本页 关闭窗口, 扫一扫在手机上查看当前页面, share bars, footers (版权所有, 网站标识码, ICP备) and, above
  the document's first line or below its last only, a footer's contact lines
  (:data:`~indexer.patterns.FURNITURE_EDGE`: 主办单位：, 举报电话：, 联系我们);
- **tags and entities** a text copy kept (<p>, </div>, &nbsp;);
- **disclosure metadata** (政府信息公开: 索引号, 发布机构, 文号, 生成日期, 公开方式, 内容概述 …), one
  label per line, label and value on two lines, several ``label：value`` to a line, or as a table
  (cells parted by tabs or ``|``), labels as :data:`~indexer.patterns.DISCLOSURE_LABELS` names them.

:func:`read_page` takes all of it out of the text before the parser reads the head, so none of it
becomes the title, an item or body text (a 内容概述 repeating the opening paragraph is metadata,
not a second paragraph); breadcrumbs are kept as ``页面`` metadata, the disclosure fields under
their one label. :func:`with_disclosure` then uses the fields the head lacks.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace

from ..normalize import normalize, parse_date
from ..patterns import (
    DECREE_NUMBER,
    DISCLOSURE_FIELDS,
    DISCLOSURE_LABELS,
    DOC_NUMBER,
    FURNITURE,
    FURNITURE_BUTTONS,
    FURNITURE_EDGE,
    HTML_ENTITY,
    HTML_TAG,
    NAV_SEPARATOR,
    NAV_WORDS,
    decree_number,
    doc_type_of,
    marking_of,
    split_number_prefix,
)
from . import meeting
from .header import Header, split_issuers

__all__ = ["PAGE", "Page", "page_date", "read_page", "with_disclosure"]

PAGE = "页面"  # the label of a breadcrumb kept as metadata
_SCAN_LINES = 60  # disclosure metadata stands among the page's first lines
_MAX_FURNITURE = 200  # a longer line is text
_MAX_VALUE = 120  # a field's value; a 内容概述 may run to a paragraph
_MAX_SUMMARY = 600
_SUMMARY = "内容概述"
_PAGE_DATES = ("生成日期", "成文日期", "发布日期")
# Labels that also head a paragraph of text (名称：, 摘要：): metadata only beside another field.
_WEAK = frozenset({"名称", "分类", "摘要", "关键词", "主题词", "有效性", "时效性"})
# Labels of a site's own line (时间：… 来源：… 访问量：…): such a line is the head's (indexer.parse.header).
_SITE_LABEL = r"发布时间|时间|日期|来源|访问量|浏览次数|点击数|阅读次数|作者|字号|编辑|责任编辑"


def _spaced(labels) -> str:
    """Labels as a pattern that lets pages space them out (索 引 号, 标\u3000\u3000题)."""
    return "|".join(r"[ \t\u3000]*".join(label) for label in sorted(labels, key=len, reverse=True))


_LABELS = _spaced([*DISCLOSURE_LABELS, *_SITE_LABEL.split("|")])
# Where a field starts inside a line: a label and its colon, after a space or a cell's bar (a label
# of three characters or more may follow its neighbour's value directly).
_LONG_LABELS = _spaced(label for label in DISCLOSURE_LABELS if len(label) >= 3)
_FIELD = re.compile(rf"(?:^|(?<=[\s|｜]))({_LABELS})\s*[：:]|({_LONG_LABELS})\s*[：:]")
_LABEL_CELL = re.compile(rf"({_spaced(DISCLOSURE_LABELS)})\s*[：:]?")
_TABLE_RULE = re.compile(r"^[\s|｜:：\-—=+]*$")
_SENTENCE = re.compile(r"[。；]|[：:，]$")  # a sentence the head took for want of a title
_BRACKET_SEQ = re.compile(r"[\[［【〔﹝(（]\s*((?:19|20)\d\d)\s*[\]］】〕﹞)）]\s*第\s*(\d{1,5})\s*[号期]")


@dataclass(frozen=True)
class Page:
    text: str  # the text without furniture, tags and disclosure lines
    metadata: tuple[tuple[str, str], ...] = ()  # breadcrumbs (页面) and disclosure fields, as they stood
    # The date a furniture line printed (发布时间：2020-08-25 08:13 字体：大 中 小), ISO: the page's date
    # when its disclosure metadata states none.
    dated: str = ""

    def value(self, label: str) -> str:
        """The first value of a field (by its one label: 文号, 发布机构 …), or ""."""
        return next((v for k, v in self.metadata if k == label and v), "")

    @property
    def issuers(self) -> tuple[str, ...]:
        """The 发布机构: the issuer of a document that names none itself."""
        return split_issuers(self.value("发布机构"))

    @property
    def marking(self) -> str:
        """公开方式：主动公开 as a marking (see :func:`indexer.patterns.marking_of`), or ""."""
        way = self.value("公开方式")
        return marking_of(f"公开方式：{way}") if way else ""


def page_date(metadata: tuple[tuple[str, str], ...]) -> str:
    """The date a page states for its document (生成日期, else 成文日期, else 发布日期), ISO. Never a
    meeting's date, but the year a meeting date written without one (5月6日) takes."""
    found = {k: parse_date(v) or _iso(v) for k, v in metadata if k in _PAGE_DATES}
    return next((found[k] for k in _PAGE_DATES if found.get(k)), "")


def _iso(value: str) -> str:
    m = re.match(r"((?:19|20)\d\d)[-./](\d{1,2})[-./](\d{1,2})", value)
    return parse_date(f"{m.group(1)}年{m.group(2)}月{m.group(3)}日") if m else ""


def read_page(text: str) -> Page:
    """The text without its page's furniture, and the metadata it printed (see the module)."""
    lines = [_untagged(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    keep = [line is not None for line in lines]
    lines = [line or "" for line in lines]
    metadata: list[tuple[str, str]] = []
    dated = ""
    for i, line in enumerate(lines):
        if _furniture(line.strip()):
            keep[i] = False
            dated = dated or meeting.page_date(normalize(line))
            if _is_breadcrumb(line.strip()):
                metadata.append((PAGE, _clean(line)))
    fields, used = _disclosure(lines, keep)
    for i in used:
        keep[i] = False
    filled = [i for i, line in enumerate(lines) if keep[i] and line.strip()]
    for run in (filled, filled[::-1]):  # a footer's contact lines, above the first line or below the last
        for i in run:
            if not _edge(lines[i].strip()):
                break
            keep[i] = False
    kept = "\n".join(line for i, line in enumerate(lines) if keep[i])
    return Page(text=kept, metadata=tuple(metadata + fields), dated=dated)


def _untagged(line: str) -> str | None:
    """A line without tags and with its entities read; None for a line that was only tags."""
    if "<" in line:
        stripped = HTML_TAG.sub("", line)
        if stripped != line and not stripped.strip():
            return None
        line = stripped
    if "&" in line:
        line = HTML_ENTITY.sub(lambda m: " " if m.group(0).lower() in ("&nbsp;", "&ensp;", "&emsp;")
                               else html.unescape(m.group(0)), line)
    return line


def _clean(text: str) -> str:
    return normalize(text).strip()


def _furniture(text: str) -> bool:
    if not text or len(text) > _MAX_FURNITURE:
        return False
    return bool(FURNITURE_BUTTONS.match(text)) or ("。" not in text and bool(FURNITURE.search(text))) or _nav(text)


def _nav(text: str) -> bool:
    """A line of a site's channels: 首页 政务公开 政务服务 互动交流 (走进示例区 among them)."""
    words = [w for w in NAV_SEPARATOR.split(text) if w]
    known = sum(1 for w in words if w in NAV_WORDS or re.fullmatch(r"走进\S{2,6}", w))
    return len(words) >= 3 and all(len(w) <= 8 for w in words) and known * 2 > len(words)


def _is_breadcrumb(text: str) -> bool:
    return bool(re.search(r"位置\s*[：:]|[>＞»›]", text))


def _edge(text: str) -> bool:
    return len(text) <= _MAX_FURNITURE and "。" not in text and bool(FURNITURE_EDGE.search(text))


def _disclosure(lines: list[str], keep: list[bool]) -> tuple[list[tuple[str, str]], list[int]]:
    """The disclosure fields among the first lines, under their one label, and the lines they took."""
    fields: list[tuple[str, str]] = []
    used: list[int] = []
    pending: tuple[str, int] | None = None  # a label whose value is on the next line
    scanned = 0
    for i, line in enumerate(lines):
        text = line.strip()
        if not keep[i] or not text:
            continue
        scanned += 1
        if scanned > _SCAN_LINES:
            break
        if pending and _takes(pending[0], text):
            fields.append((pending[0], text))
            used += [pending[1], i]
            pending = None
            continue
        if pending:
            used.append(pending[1])  # a label left empty (主 题 词：): the page's, not the text's
        pending = None
        pairs = _fields(text)
        if pairs is None:
            continue
        if pairs and not pairs[-1][1]:
            pending = (pairs.pop()[0], i)
        fields += pairs
        if pairs or _TABLE_RULE.match(text):
            used.append(i)
    labels = {label for label, _ in fields}
    if len(labels) < 2 and all(label in _WEAK for label in labels):
        return [], []  # 摘要：… alone heads a paragraph; it is no page's metadata
    return [(DISCLOSURE_LABELS[label], _clean(value)) for label, value in fields], used


def _label(text: str) -> str:
    return re.sub(r"[ \t\u3000]", "", text)


def _takes(label: str, text: str) -> bool:
    """Whether the line under a label alone is its value: not a label, not too long, and no title
    or sentence where a short field stands (a 主题词 left empty above the document's title)."""
    if _LABEL_CELL.fullmatch(text) or len(text) > _limit(label):
        return False
    if DISCLOSURE_LABELS[label] == "主题词" and re.fullmatch(r"\S{1,8}(?:[ \t\u3000]+\S{1,8})+", text.strip()):
        return True  # 体育　运动会　函: words, not a title
    short = DISCLOSURE_LABELS[label] not in ("信息名称", _SUMMARY)
    return not (short and ("关于" in text or "。" in text or doc_type_of(text) != "其他"))


def _limit(label: str) -> int:
    return _MAX_SUMMARY if DISCLOSURE_LABELS[label] == _SUMMARY else _MAX_VALUE


def _fields(text: str) -> list[tuple[str, str]] | None:
    """The (label, value) pairs a line holds, the last with an empty value when its value is on
    the next line; [] for a table's rule; None when the line is not all disclosure fields."""
    if _TABLE_RULE.match(text) and "|" in text:
        return []
    if text[:1] in "|｜":
        cells = [c.strip() for c in re.split(r"[|｜]", text.strip("|｜ \t"))]
    else:
        cells = [c.strip() for c in re.split(r"\t+|\s{3,}", text)]
    pairs: list[tuple[str, str]] = []
    label = ""
    for cell in cells:
        if not cell:
            continue
        only = _LABEL_CELL.fullmatch(cell)
        if only:
            if label:
                pairs.append((label, ""))
            label = _label(only.group(1))
        elif label:
            pairs.append((label, cell))
            label = ""
        else:
            inline = _inline(cell)
            if inline is None:
                return None
            pairs += inline
    if label:
        pairs.append((label, ""))
    if not pairs or any(k not in DISCLOSURE_LABELS for k, _ in pairs):
        return None
    if any(len(v) > _limit(k) for k, v in pairs) or (len(pairs) > 1 and any(not v for k, v in pairs[:-1])):
        return None
    return pairs


def _inline(cell: str) -> list[tuple[str, str]] | None:
    """索引号：xxx 发布机构：xxx 生成日期：2023-05-06 → its pairs; None unless a label starts it."""
    starts = list(_FIELD.finditer(cell))
    if not starts or starts[0].start() != 0:
        return None
    out = []
    for n, m in enumerate(starts):
        end = starts[n + 1].start() if n + 1 < len(starts) else len(cell)
        out.append((_label(m.group(1) or m.group(2)), cell[m.end():end].strip()))
    return out


def number_of(value: str) -> tuple[str, tuple[str, ...]]:
    """A 文号 field as the document's number, with its other spellings: 示府办〔2023〕第 5 号 and
    示府办〔2023〕第5期 → 示府办〔2023〕5号; 国务院令第 706 号 → 国务院令第706号."""
    text = _clean(_BRACKET_SEQ.sub(r"〔\1〕\2号", value))
    m = DOC_NUMBER.search(text)
    if m:
        _, prefix = split_number_prefix(text[: m.start(2) - 1])
        return f"{prefix}〔{m.group(2)}〕{int(m.group(3))}号", ()
    decree = DECREE_NUMBER.search(text)
    return decree_number(decree.group(1), int(decree.group(2))) if decree else ("", ())


def with_disclosure(header: Header, page: Page) -> Header:
    """The head with what the page's metadata says and the text did not: 信息名称 as the title
    when the text has none of its own (or a sentence cut short), 文号 as the number, 发文机关 as
    the issuer (as the page names it), 成文日期 as the date the head states, and the page's date.
    The 发布机构 is the issuer only when nothing else names one (see :mod:`indexer.parse.document`)."""
    if not page.metadata:
        return replace(header, page_date=page.dated) if page.dated else header
    title, number, aliases = header.title, header.number, header.number_aliases
    name = page.value("信息名称")
    if name and (not title or title.endswith("…") or DOC_NUMBER.search(title) or _SENTENCE.search(title)
                 or (doc_type_of(title) == "其他" and doc_type_of(name) != "其他")):
        title = name
    if not number and page.value("文号"):
        number, aliases = number_of(page.value("文号"))
    issuer = page.value("发文机关")
    return replace(
        header, title=title, number=number, number_aliases=aliases,
        issuers=split_issuers(issuer) if issuer else header.issuers,
        date=header.date or parse_date(page.value("成文日期")) or _iso(page.value("成文日期")),
        page_date=page_date(page.metadata) or page.dated,
        metadata=tuple(sorted(page.metadata, key=_order)) + header.metadata,
    )


def _order(field: tuple[str, str]) -> int:
    return DISCLOSURE_FIELDS.index(field[0]) if field[0] in DISCLOSURE_FIELDS else -1
