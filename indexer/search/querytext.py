"""The query box's text: its tokens, and the time it asks about.

Tokens: words, quoted phrases (nesting), exclusions and field prefixes, with document numbers
kept whole whatever spaces were typed inside them.

Time intent: a year typed alone (2020年, 2020, 二〇二〇年, 2020年度), or a five-year plan (十三五; with 第一年 or
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
from ..store import fold

# A token's head: an optional exclusion and field prefix; then a quoted phrase or a bare word.
_HEAD = re.compile(r"-?(?:[\u4e00-\u9fff]{2}[:：])?")
_BARE = re.compile(r'[^\s"“「]+')
QUOTES = {'"': '"', "“": "”", "「": "」"}
# Spaces typed inside a document number ("〔2021〕 9号", "国务院令 第706号") do not split it.
_NUMBER_SPACES = re.compile(
    r"[〔\[【﹝(]\s*(?:19|20)\d\d\s*[〕\]】﹞)]\s*第?\s*\d{1,5}\s*号"
    r"|(?:19|20)\d\d\s*年\s*第?\s*\d{1,5}\s*号|令\s*第?\s*\d{1,5}\s*号|第\s*\d{1,5}\s*号\s*令"
)

def tokens(text: str) -> list[str]:
    """The query's tokens, split at spaces except inside quotes and document numbers.
    Quotes “…” and 「…」 nest, so a pasted sentence that quotes something can itself
    be quoted: “按照“统筹推进、压实责任”的要求”. An unclosed quote runs to the end."""
    text = _NUMBER_SPACES.sub(lambda m: re.sub(r"\s+", "", m.group(0)), fold(text))
    found, i = [], 0
    while i < len(text):
        if text[i].isspace():
            i += 1
            continue
        start = i
        i = _HEAD.match(text, i).end()  # an exclusion, a field prefix
        if i < len(text) and text[i] in QUOTES:
            i = _closing_quote(text, i)
        elif m := _BARE.match(text, i):
            i = m.end()
        found.append(text[start:i])
    return found


def _closing_quote(text: str, i: int) -> int:
    """Just past the quote that closes the one at ``i`` (nesting counted), or the end."""
    opening, closing = text[i], QUOTES[text[i]]
    if opening == closing:
        end = text.find(closing, i + 1)
        return len(text) if end < 0 else end + 1
    depth = 0
    for j in range(i, len(text)):
        if text[j] == opening:
            depth += 1
        elif text[j] == closing:
            depth -= 1
            if depth == 0:
                return j + 1
    return len(text)


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
