"""What a document says about the force of documents: repeals, expiries, revisions, terms.

Pure text work, sentence by sentence (a sentence ends at 。；, a line break or, inside a
revision history, at an ideographic space). Each finding is a :class:`Statement`: its kind,
the document it speaks of (a 《title》 or a document number, or the document itself), the
sentence as written and where it starts, and the date it gives. What the statements mean for
the documents of an index (which one is 已废止, by which) is decided in
:mod:`indexer.analytics.validity`.

Precision first: a sentence counts only when it names what it repeals right before the
repealing words (《…》同时废止, 《…》（国办发〔2016〕82号）停止执行), when a revision carries
its date (2005年12月19日《国务院关于修改〈…〉的决定》第一次修订), or when the document's own
title says so (关于废止《…》的决定, 关于宣布失效一批…的决定). General talk — 修改或废止不相适应的
规定, 制定修订行政法规, 提出对《…》的修订建议 — is no statement.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..patterns import (
    BOOK_TITLE,
    CN_NUMERAL,
    DOC_NUMBER,
    cn_to_int,
    split_number_prefix,
)
from .references import normalize_title

REPEALED, EXPIRED, REVISED, TERM, CONFIRMED = "repealed", "expired", "revised", "term", "confirmed"
SELF = ""  # the target of a statement about the document that makes it


@dataclass(frozen=True)
class Statement:
    """``kind`` of the document named ``target`` (a normalized title; :data:`SELF`: the speaker
    itself) or ``number``, said by ``sentence`` (as written, starting at ``start`` in the text),
    on ``date`` (ISO; "" when the sentence gives none: the speaker's date). ``by``: for a
    revision, the decision, decree or meeting that made it, as written."""

    kind: str
    target: str
    number: str
    sentence: str
    start: int
    date: str = ""
    by: str = ""


_SENTENCE = re.compile(r"[^。；\n]+[。；]?")
_DATE = r"((?:19|20)\d\d)年(\d{1,2})月(\d{1,2})日"
_DATE_RE = re.compile(_DATE)
_IN_FORCE_FROM = re.compile(rf"自{_DATE}(?:起)?(?:施行|执行|实施|生效)")
# The repealing words, right after what they repeal.
_REPEAL_WORDS = re.compile(r"(?:同时|即行|予以|一并|相应|宣布)?(废止|失效|停止执行|不再执行)")
# A revision with its date: 2005年12月19日《国务院关于修改〈…〉的决定》第一次修订, 2018年9月6日国务院第23次常务会议修订通过.
_REVISION = re.compile(
    rf"{_DATE}(?P<by>(?:(?!(?:19|20)\d\d年\d)[^。；\n　，,]){{0,120}}?)(?:第[{CN_NUMERAL}\d]+次)?(?P<kind>修订|修正)(?:通过)?"
    r"(?![建意的案稿])")
_REVISED_TEXT = re.compile(r"修订后的《([^《》\n]{2,80})》")
_NAMED_BEFORE = re.compile(r"《([^《》\n]{2,80})》(?:已经|业经|已于|已)")
_BY_TITLE = re.compile(r"《([^《》\n]{2,120})》")
_DECREE = re.compile(r"(?:中华人民共和国)?[\u4e00-\u9fff]{1,12}令第\d+号")
# A document's own title: 关于废止《…》的决定, 关于宣布失效一批…的决定, 关于修改《…》的决定, 现行有效…目录.
_TITLE_REPEALS = re.compile(r"关于(?:宣布)?(废止|失效)")
_TITLE_REVISES = re.compile(r"关于修改[《〈]([^《》〈〉]{2,80})[》〉](?:等[^的]{0,20})?的决定")
_TITLE_CONFIRMS = re.compile(r"现行有效")
# One entry of a list of documents: 1.国务院关于…的通知（国发〔1980〕30号）
_LISTED = re.compile(r"^\s*(?:\d{1,3}|[（(]\d{1,3}[）)])[.、．\s]\s*(?P<title>[^（(\n]{6,80}?)\s*(?:[（(](?P<number>[^（）()\n]{0,30}〔(?:19|20)\d\d〕\d{1,5}号)[）)])?\s*$",
                     re.MULTILINE)
# A term of validity the document gives itself: 本办法有效期至2025年12月31日, 本意见有效期5年.
_SELF_WORDS = r"本(?:办法|规定|通知|意见|实施意见|方案|细则|措施|政策|文件|决定|条例|规则|公告)"
_TERM_UNTIL = re.compile(rf"{_SELF_WORDS}[^。；\n]{{0,20}}?有效期(?:至|截至|到){_DATE}")
_TERM_YEARS = re.compile(rf"{_SELF_WORDS}[^。；\n]{{0,20}}?有效期(?:为)?([{CN_NUMERAL}\d]{{1,3}})年")


def _iso(m: re.Match, first: int = 1) -> str:
    return f"{m.group(first)}-{int(m.group(first + 1)):02d}-{int(m.group(first + 2)):02d}"


def statements(title: str, text: str) -> tuple[Statement, ...]:
    """Every statement ``text`` (of the document titled ``title``) makes about the force of a
    document, in the order of the text; those its title makes first (start -1)."""
    found = list(_title_statements(title, text))
    for m in _SENTENCE.finditer(text):
        sentence, start = m.group(0), m.start()
        found.extend(_repeals(sentence, start, _previous(text, start)))
        found.extend(_revisions(sentence, start))
        found.extend(_terms(sentence, start))
    return tuple(dict.fromkeys(found))


def _previous(text: str, start: int) -> str:
    """The sentence before ``start`` (本办法自…起施行。《…》同时废止。 dates the repeal)."""
    head = text[max(0, start - 200):start].rstrip("。；\n ")
    cut = max(head.rfind(c) for c in "。；\n")
    return head[cut + 1:]


def _repeals(sentence: str, start: int, previous: str) -> list[Statement]:
    out = []
    for word in _REPEAL_WORDS.finditer(sentence):
        before = sentence[:word.start()]
        tail = re.split(r"[，,：:]", before)[-1].rstrip()
        if not (tail.endswith("》") or re.search(r"〔(?:19|20)\d\d〕\d{1,5}号[）)]?$", tail)):
            continue  # nothing named right before the words: 修改或废止不相适应的规定
        kind = EXPIRED if word.group(1) == "失效" else REPEALED
        when = _IN_FORCE_FROM.search(sentence) or _IN_FORCE_FROM.search(previous)
        date = _iso(when) if when else ""
        titles = [t.group(1) for t in BOOK_TITLE.finditer(tail)]
        numbers = [_number(tail, n) for n in DOC_NUMBER.finditer(tail)]
        if titles:
            number = numbers[0] if len(titles) == 1 and numbers else ""
            out.extend(Statement(kind, normalize_title(t), number, sentence.strip(), start, date) for t in titles)
        else:
            out.extend(Statement(kind, "", n, sentence.strip(), start, date) for n in numbers)
    return out


def _number(text: str, m: re.Match) -> str:
    _, prefix = split_number_prefix(text[max(0, m.start(2) - 30):m.start(2) - 1])
    return f"{prefix}〔{m.group(2)}〕{int(m.group(3))}号"


def _revisions(sentence: str, start: int) -> list[Statement]:
    named = _NAMED_BEFORE.search(sentence)
    revised = _REVISED_TEXT.search(sentence)
    target = normalize_title((revised or named).group(1)) if (revised or named) else SELF
    out = []
    for m in _REVISION.finditer(sentence):
        if named and m.start() < named.start():
            continue
        by = m.group("by").strip()
        name = _BY_TITLE.search(by) or _DECREE.search(by)
        by = name.group(1) if name and name.re is _BY_TITLE else (name.group(0) if name else by)
        segment = sentence[m.start():m.end()] if target == SELF else sentence.strip()
        offset = start + (m.start() if target == SELF else len(sentence) - len(sentence.lstrip()))
        out.append(Statement(REVISED, target, "", segment, offset, _iso(m), re.sub(r"^(?:召开|举行)的", "", by.strip())))
    if revised and not out:  # 现公布修订后的《…》，自2019年1月1日起施行
        when = _IN_FORCE_FROM.search(sentence)
        out.append(Statement(REVISED, target, "", sentence.strip(), start + len(sentence) - len(sentence.lstrip()),
                             _iso(when) if when else ""))
    return out


def _terms(sentence: str, start: int) -> list[Statement]:
    until = _TERM_UNTIL.search(sentence)
    if until:
        return [Statement(TERM, SELF, "", sentence.strip(), start, _iso(until, 1))]
    years = _TERM_YEARS.search(sentence)
    if years:
        raw = years.group(1)
        n = int(raw) if raw.isdigit() else cn_to_int(raw)
        when = _IN_FORCE_FROM.search(sentence)
        # The term runs from the day it takes effect (or, without one, from the document's date).
        return [Statement(TERM, SELF, "", sentence.strip(), start, _iso(when) if when else "", by=f"{n}年")]
    return []


def _title_statements(title: str, text: str) -> list[Statement]:
    """What the document's own title makes it: a repeal or expiry of what it lists or names, a
    revision of what it names, a confirmation of what it lists as 现行有效."""
    out = []
    title = title.strip()
    revises = _TITLE_REVISES.search(title)
    if revises:
        out.append(Statement(REVISED, normalize_title(revises.group(1)), "", title, -1))
    repeals = _TITLE_REPEALS.search(title)
    confirms = _TITLE_CONFIRMS.search(title) and not repeals
    if repeals or confirms:
        kind = CONFIRMED if confirms else (EXPIRED if repeals.group(1) == "失效" else REPEALED)
        named = [t.group(1) for t in BOOK_TITLE.finditer(title)]
        if named:
            out.extend(Statement(kind, normalize_title(t), "", title, -1) for t in named)
        else:  # 一批…: the listed documents
            for m in _LISTED.finditer(text):
                number = (m.group("number") or "").strip()
                out.append(Statement(kind, normalize_title(m.group("title").strip("《》 ")), number,
                                     m.group(0).strip(), m.start("title")))
    return out


def effective_dates(text: str) -> tuple[str, ...]:
    """The dates a text says it takes effect (自2019年1月1日起施行), in order."""
    return tuple(_iso(m) for m in _IN_FORCE_FROM.finditer(text))


def years_after(date: str, years: int) -> str:
    """``date`` (ISO) plus whole years (29 February falls to the 28th)."""
    y, m, d = int(date[:4]) + years, date[5:7], date[8:10]
    if (m, d) == ("02", "29"):
        d = "28"
    return f"{y:04d}-{m}-{d}"
