"""Time intent in a query: the years it asks about and the type of document with them.

A year typed alone (2020年, 2020, 二〇二〇年, 2020年度), or a five-year plan (十三五; with 第一年 or
开局之年 its first year, with 收官之年 its last) steers ranking toward records of that time; a
document type typed as a word (政府工作报告, 通知) with a year asks for that year's document of
that type. The ranking uses the document's own date: a 政府工作报告 is dated the year it was
delivered (the 2020 report, delivered in 2020, reviews 2019 and plans 2020), which is the year
staff name it by.
"""
from __future__ import annotations

import re

from whoosh import query as wq

from ..patterns import DOC_TYPES, cn_to_int

KINDS = frozenset(kind for _, kind in DOC_TYPES) - {"其他"}
_YEAR_WORD = re.compile(r"^((?:19|20)\d\d|[〇○零一二三四五六七八九]{4})年?度?$")
_CN_YEAR_DIGITS = {c: str(i) for i, c in enumerate("零一二三四五六七八九")} | {"〇": "0", "○": "0"}


_PLAN = re.compile(r"^十([一二三四五六七八九])五(?:规划|时期|期间)?$")
_PLAN_FIRST = ("第一年", "开局之年", "开局年", "首年", "起步之年")
_PLAN_LAST = ("收官之年", "最后一年", "收官年", "决胜之年")


def plan_years(found: list[str]) -> list[str]:
    """The years a five-year plan the query names stands for: 十三五 → 2016 … 2020; with 第一年 or
    开局之年 its first year, with 收官之年 its last (十一五 began in 2006)."""
    years: list[str] = []
    for token in found:
        m = _PLAN.match(token)
        if not m:
            continue
        start = 2006 + 5 * (cn_to_int(m.group(1)) - 1)
        if any(t in _PLAN_FIRST for t in found):
            years.append(str(start))
        elif any(t in _PLAN_LAST for t in found):
            years.append(str(start + 4))
        else:
            years.extend(str(start + i) for i in range(5))
    return years


def year_of(token: str) -> str:
    """The year a token is, alone: 2020年, 2020, 二〇二〇年, 2020年度 → 2020; else ""."""
    m = _YEAR_WORD.match(token)
    if not m:
        return ""
    year = "".join(_CN_YEAR_DIGITS.get(c, c) for c in m.group(1))
    return year if year[:2] in ("19", "20") else ""


def dated_query(years: tuple[str, ...], kinds: tuple[str, ...], written: list) -> wq.Query | None:
    """The records a query's time intent asks for (see ParsedQuery.dated); ``written``: the
    queries of the years as text (2019年), built by the caller's text analysis."""
    if not years:
        return None
    of_year = [wq.Term("year", y) for y in years]
    if kinds:
        return wq.And([wq.Or(of_year), wq.Or([wq.Term("doc_type", k) for k in kinds])])
    return wq.Or(of_year + [q for q in written if q is not None])
