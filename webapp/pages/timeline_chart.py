"""The search page's timeline: :class:`indexer.Timeline` into an SVG the server draws
(geometry computed here, drawn by ``_timeline.html``) and into its JSON twin.

The chart reads without colour: each document type has a pattern of its own as well
as a colour (stripes, dots, cross-hatching …), named in a legend; each bar is a link
(keyboard-focusable) whose label and tooltip give the period and count; a table with
the same numbers follows for screen readers and anyone who prefers it.
"""
from __future__ import annotations

import math

import indexer


WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 720, 180, 40, 22, 14
# (id, colour, what is drawn over it): one per document type, in the series' order, repeated beyond six.
PATTERNS = [
    ("solid", "#1f4e79", ""),
    ("stripes", "#c55a11", "M0,6 L6,0"),
    ("dots", "#2e7d32", "dot"),
    ("cross", "#6a1b9a", "M0,0 L6,6 M0,6 L6,0"),
    ("rows", "#b71c1c", "M0,3 L6,3"),
    ("columns", "#455a64", "M3,0 L3,6"),
]
UNIT_LABELS = {"month": "月", "year": "年"}


def period_label(period: str) -> str:
    """2021-03 → 2021年3月; 2021 → 2021年."""
    if "-" in period:
        year, month = period.split("-")
        return f"{year}年{int(month)}月"
    return f"{period}年"


def bar_url(req: indexer.SearchRequest, period: str) -> str:
    """The search narrowed to ``period`` by the query language's 日期： term (first page)."""
    params = [p for p in indexer.search_params(req) if p[0] not in ("q", "page")]
    return indexer.search_url([("q", indexer.narrowed_query(req.q, period))] + params)


def timeline_json(timeline: indexer.Timeline, req: indexer.SearchRequest) -> dict:
    return {
        "ok": True, "unit": timeline.unit, "total": timeline.total, "undated": timeline.undated,
        "doc_types": list(timeline.doc_types),
        "bars": [{"period": b.period, "count": b.count,
                  "stacks": [{"doc_type": s.doc_type, "count": s.count} for s in b.stacks],
                  "url": bar_url(req, b.period) if b.count else None} for b in timeline.bars],
    }


def _nice_max(value: int) -> int:
    if value <= 5:
        return max(value, 1)
    magnitude = 10 ** int(math.log10(value))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= value)


def timeline_chart(timeline: indexer.Timeline, req: indexer.SearchRequest) -> dict | None:
    """What ``_timeline.html`` draws; None when no match has a date."""
    if not timeline.bars:
        return None
    patterns = {t: PATTERNS[i % len(PATTERNS)] for i, t in enumerate(timeline.doc_types)}
    top = int(_nice_max(max(b.count for b in timeline.bars)))
    plot_w, plot_h = WIDTH - LEFT - 8, HEIGHT - BOTTOM - TOP
    step = plot_w / len(timeline.bars)
    every = max(1, math.ceil(len(timeline.bars) / 12))  # at most about twelve period labels
    bars = []
    for k, b in enumerate(timeline.bars):
        x, y0 = LEFT + k * step + step * 0.1, TOP + plot_h
        rects = []
        for s in b.stacks:
            h = plot_h * s.count / top
            y0 -= h
            rects.append({"y": round(y0, 2), "height": round(h, 2), "pattern": patterns[s.doc_type][0],
                          "doc_type": s.doc_type, "count": s.count})
        label = period_label(b.period)
        bars.append({
            "period": b.period, "label": label, "count": b.count,
            "url": bar_url(req, b.period) if b.count else None,  # an empty period narrows to nothing
            "x": round(x, 2), "width": round(max(step * 0.8, 1.0), 2), "rects": rects,
            "top": round(y0, 2), "hit_y": TOP, "hit_height": plot_h,
            "text_x": round(x + step * 0.4, 2), "text_y": round(max(y0 - 3, TOP - 2), 2),
            "axis_label": label if k % every == 0 else "",
            "title": f"{label}：{b.count} 条" + "".join(f"，{s.doc_type} {s.count}" for s in b.stacks),
        })
    return {
        "unit": timeline.unit, "unit_label": UNIT_LABELS[timeline.unit], "total": timeline.total,
        "undated": timeline.undated, "width": WIDTH, "height": HEIGHT, "left": LEFT, "plot_top": TOP,
        "baseline": TOP + plot_h, "right": WIDTH - 8, "top_count": top, "axis_y": HEIGHT - 6,
        "bars": bars,
        "legend": [{"doc_type": t, "pattern": p[0]} for t, p in patterns.items()],
        "patterns": [{"id": pid, "colour": colour, "path": path} for pid, colour, path in PATTERNS],
        "doc_types": list(timeline.doc_types),
        "json_url": indexer.with_params("/api/timeline", indexer.search_params(req)),
        "description": (f"按{UNIT_LABELS[timeline.unit]}统计的检索结果数量，共 {len(bars)} 个时段，"
                        f"最多 {max(b.count for b in timeline.bars)} 条；每根柱子按文件类型分段，点击可按该时段筛选。"),
    }
