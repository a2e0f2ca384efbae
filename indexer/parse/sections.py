"""The body of a document as a tree of spans: items 一、 → sub-points （一） →
points 1. （1） ① ㈠ → paragraphs.

Everything works on lines with their offsets into the normalized text, so
every section knows its span and the spans partition what they divide: no
character of the body is lost or counted twice.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Paragraph, Point, Span, SubPoint
from ..patterns import cn_to_int

_CN = "一二三四五六七八九十"
ITEM = re.compile(rf"^([{_CN}]{{1,3}})、\s*(.*)$")
SUBPOINT = re.compile(rf"^（([{_CN}]{{1,3}})）\s*(.*)$")
POINT = re.compile(r"^(\d{1,2}[.．、](?!\d)|（\d{1,2}）|[①-⑳]|[㈠-㈩])")


@dataclass(frozen=True)
class Line:
    start: int  # offset of the line's first character
    end: int  # offset just past its last character (before the newline)
    text: str


def lines_of(text: str, start: int = 0, end: int | None = None) -> list[Line]:
    end = len(text) if end is None else end
    out, pos = [], start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl == -1 else nl
        out.append(Line(pos, stop, text[pos:stop]))
        pos = stop + 1
    return out


def numbered_starts(lines: list[Line], pattern: re.Pattern, number_of) -> list[tuple[int, Line]]:
    """Lines that open the next number in sequence (1, 2, 3 …); out-of-order
    markers are ordinary text (a quoted "三、" inside an item stays there)."""
    found, expected = [], 1
    for line in lines:
        m = pattern.match(line.text)
        if m and number_of(m) == expected:
            found.append((expected, line))
            expected += 1
    return found


def item_starts(lines: list[Line]) -> list[tuple[int, Line]]:
    return numbered_starts(lines, ITEM, lambda m: cn_to_int(m.group(1)))


def paragraphs(text: str, span: Span) -> tuple[Paragraph, ...]:
    """One paragraph per non-blank line; each span runs to the next paragraph,
    so blank lines and newlines belong to the paragraph before them."""
    lines = [ln for ln in lines_of(text, *span) if ln.text.strip()]
    out = []
    for i, line in enumerate(lines):
        start = span[0] if i == 0 else line.start
        end = lines[i + 1].start if i + 1 < len(lines) else span[1]
        out.append(Paragraph(line.text.strip(), (start, end)))
    return tuple(out)


def _spans_between(starts: list[int], end: int) -> list[Span]:
    return [(s, starts[i + 1] if i + 1 < len(starts) else end) for i, s in enumerate(starts)]


def points(text: str, span: Span) -> tuple[Point, ...]:
    lines = [ln for ln in lines_of(text, *span) if POINT.match(ln.text)]
    return tuple(
        Point(POINT.match(text[s:e]).group(1), text[s:e].strip(), (s, e))
        for s, e in _spans_between([ln.start for ln in lines], span[1])
    )


def subpoints(text: str, span: Span) -> tuple[SubPoint, ...]:
    starts = numbered_starts(lines_of(text, *span), SUBPOINT, lambda m: cn_to_int(m.group(1)))
    spans = _spans_between([line.start for _, line in starts], span[1])
    return tuple(
        SubPoint(number, f"（{SUBPOINT.match(line.text).group(1)}）", text[s:e].strip(), (s, e), points(text, (s, e)))
        for (number, line), (s, e) in zip(starts, spans)
    )


def item_spans(text: str, body: Span) -> tuple[Span, list[tuple[int, Span]]]:
    """The preamble's span and each item's number and span; together they
    cover the body exactly."""
    starts = item_starts(lines_of(text, *body))
    if not starts:
        return (body[0], body[0]), []
    spans = _spans_between([line.start for _, line in starts], body[1])
    return (body[0], starts[0][1].start), [(n, span) for (n, _), span in zip(starts, spans)]
