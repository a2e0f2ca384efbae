"""Line breaks for text that lost them.

Documents that came through OCR or a data export often arrive as one run-on
line: red header, number, title, addressees, body, signature and the printing
line all run together (山东省财政厅文件鲁财会〔2021〕13号山东省财政厅关于…的通知各市财政局：为…).
:func:`reflow` puts back the breaks the parser relies on, by pattern rather
than by line: header parts, the title, the addressee line, numbered items and
sub-points, labelled blocks (附件, 联系人, 分送 …), markings of who may read it
(（此件公开发布）, 秘密★1年) and the signature and printing dates. Only newlines are inserted; no character is changed or dropped.
"""
from __future__ import annotations

import re

from ..patterns import (
    CJK,
    DOC_NUMBER,
    ISSUER_START,
    ORG_SUFFIX,
    ROUTING_NUMBER,
    RUN_ON_MARKING,
    TELEGRAM_NOISE,
    TITLE_END,
    cn_to_int,
    split_number_prefix,
)

RUN_ON_CHARS = 150  # a first line this long holds more than a title
_HEADER_ZONE = 600
_DATE = re.compile(r"(?:19|20)\d\d年\d{1,2}月\d{1,2}日")
_LABELS = re.compile(r"(?:附件|联系人|联系电话|参会|参会人员|邀请|出席|列席|请假|记录|分送|抄送|抄报|主送)[：:]")
_ITEM = re.compile(r"([一二三四五六七八九十]{1,3})、")
_SUBPOINT = re.compile(r"[（(]([一二三四五六七八九十]{1,3})[)）]")
_SENTENCE_END = "。；：:！？!?）)”"


def is_run_on(text: str) -> bool:
    """Whether the text's first line runs on past any header."""
    lines = [line for line in text.split("\n") if line.strip()]
    first = lines[0] if lines else ""
    return len(first) >= RUN_ON_CHARS or (len(lines) == 1 and len(first) >= 80)


def reflow(text: str) -> str:
    """The text with line breaks put back where a run-on first line lost them."""
    lines = text.split("\n")
    first = next(i for i, line in enumerate(lines) if line.strip())
    header, rest, issuers = split_header(lines[first])
    body = break_body(rest, issuers)
    return "\n".join([*lines[:first], *header, *body, *lines[first + 1:]])


def _outside_brackets(text: str, pos: int) -> bool:
    """Whether ``pos`` lies outside any 《…》 or （…） of ``text``."""
    depth = {"《": 0, "（": 0, "(": 0}
    closing = {"》": "《", "）": "（", ")": "("}
    for ch in text[:pos]:
        if ch in depth:
            depth[ch] += 1
        elif ch in closing and depth[closing[ch]]:
            depth[closing[ch]] -= 1
    return not any(depth.values())


def _title_end(zone: str) -> int:
    """Where the title ends in a run-on header, or -1. A title holds no 。."""
    zone = zone[: zone.find("。")] if "。" in zone else zone
    for m in TITLE_END.finditer(zone):
        if _outside_brackets(zone, m.start()) and zone[m.end():m.end() + 1] != "的":
            return m.end()
    stop = min([m.start() for m in _DATE.finditer(zone)] + [zone.find("。") % (len(zone) + 1)])
    ends = [m.end() for m in re.finditer("纪要", zone[:stop])]
    return ends[-1] if ends else -1


def _tokens(segment: str) -> list[tuple[int, int]]:
    """Spans of the parts above a title: red header (X文件), noise, numbers."""
    spans = []
    for pattern in (DOC_NUMBER, ROUTING_NUMBER):
        for m in pattern.finditer(segment):
            start = m.start() + len(m.group(0)) - len(m.group(0).lstrip())
            if pattern is DOC_NUMBER:
                org, prefix = split_number_prefix(segment[: m.start(2) - 1])
                start = m.start(2) - 1 - len(prefix)
            spans.append((start, m.end()))
    numbers = list(spans)
    for m in TELEGRAM_NOISE.finditer(segment):
        if len(m.group(0).strip("·，, ")) >= 2 and not any(s < m.end() and m.start() < e for s, e in numbers):
            spans.append((m.start(), m.end()))
    for m in re.finditer(r"抄报[：:]|抄送[：:]", segment):
        spans.append((m.start(), m.end()))
    for m in RUN_ON_MARKING.finditer(segment):
        spans.append((m.start(), m.end()))  # 秘密★1年, （内部） above the title: a line of their own
    for m in re.finditer(r"文件|会议纪要(?=[^关]{0,12}〔)", segment):
        spans.append((m.end(), m.end()))  # a break after the red header
    return sorted(spans)


def split_header(line: str) -> tuple[list[str], str, list[str]]:
    """A run-on line's header as lines (red header, marks, number, title,
    addressees), the rest of the line, and the issuers named in it."""
    zone = line[:_HEADER_ZONE]
    end = _title_end(zone)
    if end < 0:
        return [], line, []
    before = zone[:end]
    cuts = sorted({0, *(p for span in _tokens(before) for p in span), len(before)})
    parts = [before[a:b] for a, b in zip(cuts, cuts[1:]) if before[a:b].strip("·，, ")]
    title = parts.pop() if parts else before
    header, title = _dedupe_red_header(parts, title)
    rest = line[end:]
    colon = re.search(r"[：:]", rest[:300])
    if colon and "。" not in rest[: colon.start()] and not _DATE.match(rest):
        header += [title, rest[: colon.end()]]
        rest = rest[colon.end():]
    else:
        header.append(title)
    issuers = [p for p in header if re.search(rf"(?:{ORG_SUFFIX})$", p.removesuffix("文件"))]
    issuers = [p.removesuffix("文件") for p in issuers]
    lead = re.match(r"^(.*?)(?=关于)", title)
    if lead and lead.group(1):
        issuers.append(lead.group(1))
    return header, rest, issuers


def _dedupe_red_header(parts: list[str], title: str) -> tuple[list[str], str]:
    """A red header without 文件 that repeats the title's issuer
    (山东省档案局山东省档案局山东省档案馆关于…) stays a line of its own."""
    if parts:
        return parts, title
    for size in range(4, 31):
        if len(title) > 2 * size and title[:size] == title[size:2 * size]:
            return [title[:size]], title[size:]
    return [], title


def break_body(text: str, issuers: list[str]) -> list[str]:
    """A run-on body as lines: items, sub-points, labels, signature, printing line."""
    cuts: set[int] = set()
    cuts |= _numbered(text, _ITEM, lambda s: cn_to_int(s))
    cuts |= {m.start() for m in _LABELS.finditer(text)}
    for m in _DATE.finditer(text):
        if _is_signature_date(text, m):
            start = _signer_start(text, m.start(), issuers)
            cuts |= {start, m.start(), m.end() + (2 if text[m.end():m.end() + 2] == "印发" else 0)}
    marks = [m.span() for m in RUN_ON_MARKING.finditer(text)]  # （此件公开发布）, （此件发至县团级）
    cuts = {c for c in cuts if not any(start < c < end for start, end in marks)}  # a line of their own, whole
    cuts |= {p for span in marks for p in span}
    pieces = [text[a:b] for a, b in zip([0, *sorted(cuts)], [*sorted(cuts), len(text)])]
    return _subpoints([p for p in pieces if p])


def _signer_start(text: str, at: int, issuers: list[str]) -> int:
    """Where the office's name before a signature date at ``at`` begins."""
    for name in sorted(issuers, key=len, reverse=True):
        if name and text[:at].endswith(name):
            return at - len(name)
    seg = re.split(r"[。；：，:;,\s]", text[max(0, at - 40):at])[-1]
    if seg and re.fullmatch(rf"[\u4e00-\u9fff（）()]+?(?:{ORG_SUFFIX})", seg):
        return at - len(seg)
    m = re.search(rf"(?:{ISSUER_START})[\u4e00-\u9fff（）()]{{0,30}}?(?:{ORG_SUFFIX})$", text[max(0, at - 45):at])
    return at - len(m.group(0).lstrip("年月日号")) if m else at  # …5月11日 / 示例省…办公室


def _numbered(text: str, pattern: re.Pattern, number_of) -> set[int]:
    """Starts of markers 一、 二、 … in sequence, each after a sentence's end."""
    starts, expected = set(), 1
    for m in pattern.finditer(text):
        before = text[m.start() - 1] if m.start() else "。"
        if number_of(m.group(1)) == expected and (before in _SENTENCE_END or before in "\n"):
            starts.add(m.start())
            expected += 1
    return starts


def _subpoints(lines: list[str]) -> list[str]:
    """Sub-points （一）（二） in sequence inside each item line, wherever they stand."""
    out = []
    for line in lines:
        cuts, expected = [], 1
        for m in _SUBPOINT.finditer(line):
            if cn_to_int(m.group(1)) == expected and m.start() > 0 and line[m.start() - 1] != "第" \
                    and _outside_brackets(line, m.start()):
                cuts.append(m.start())
                expected += 1
        out.extend(line[a:b] for a, b in zip([0, *cuts], [*cuts, len(line)]) if line[a:b])
    return out


def _is_signature_date(text: str, m: re.Match) -> bool:
    """A full date run into the text before it and ending a block: the signature
    (…办公室2021年3月3日) or the printing line (…2021年3月3日印发)."""
    before = text[m.start() - 1] if m.start() else ""
    after = text[m.end():m.end() + 12]
    if not re.match(f"[{CJK}）)]", before) or before in "于至在到从自截止以":
        return False
    return (not after or after.startswith(("印发", "附件", "《", "“", "关于", "(", "（")) or _LABELS.match(after) is not None
            or re.match(rf"[{CJK}]{{2,}}?(?:{ORG_SUFFIX})", after) is not None) and not after.startswith(("前", "起", "至"))

