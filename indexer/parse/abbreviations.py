"""Short names a document defines for itself: 中国（上海）自由贸易试验区（以下简称“自贸区”）.

:func:`definitions` finds every definition (:data:`~indexer.patterns.DEFINED_NAME`) in a
text and the full name it abbreviates, read back from the parenthesis:

1. the run of the name: back to punctuation (，。；：、 outside quotes, a line break, an unclosed
   bracket), keeping bracketed parts (中国（上海）…) and quoted ones (“双随机、一公开”监管平台);
   a 《》 title just before the parenthesis is the whole run; across 、 when only the list
   holds the short name's characters (简政放权、放管结合、优化服务改革 for 放管服);
2. cut after the last 的 or 关于 and past a leading verb (建立, 加快建设 …): the name is a noun
   phrase;
3. when the short name's characters stand in the run in order (自贸区 in 自由贸易试验区), the
   shortest tail of the run holding them: 加快建设中国（上海）自由贸易试验区 → 自由贸易试验区.

Kept only when the short name is vocabulary: at least two characters, not a reference to a
document title (本办法, 该条例, 《意见》, 《实施方案》: :data:`~indexer.patterns.TITLE_SHORT_WORDS`),
and neither name a part of the other (运动会 of 世界大学生夏季运动会: searching the short name
finds the full one anyway; 部门 for 保护工作部门 is a full name cut too short). Pure text: no index, no jieba.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..patterns import DEFINED_NAME, TITLE_SHORT_WORDS

MAX_FULL = 40  # characters of a full name; a longer run is prose, not a name
MAX_ITEM = 6  # characters of an item of a list before the name (上海市、江苏省、浙江省)
_STOPS = set("，。；：！？,.;:!?\n\t《“「『")
_OPENING = {"）": "（", ")": "(", "”": "“", "」": "「", "』": "『", '"': '"'}
_CUT_AFTER = re.compile(r"^.*(?:的|关于)")
# A verb (or two) before the name in 加快建设中国（上海）自由贸易试验区, 建立国务院…联席会议.
_LEADING_VERBS = re.compile(
    r"^(?:第[一二三四五六七八九十百零\d]+条)?(?:(?:加快|积极|大力|全面|进一步|继续|深入|统筹|稳步|共同|依法|同意|原则同意|决定|经研究)?"
    r"(?:建设|建立|设立|成立|组建|组成|推进|推动|开展|实施|深化|制定|印发|启动|申办|悬挂|纳入|根据|按照|依据|"
    r"参照|落实|发展|打造|创建|试行|开设|设置|举办|召开|对|由|将|把|在|为|与|向|从|使用|采用|执行|对接))+"
)
_PUNCTUATION = re.compile(r"[^\w+]")
_SELF = re.compile(r"^(?:本|该|此|上述|前述|这一|这个)")


@dataclass(frozen=True)
class Definition:
    """``short`` is defined in a text as the short name of ``full``."""

    short: str
    full: str


def definitions(text: str) -> tuple[Definition, ...]:
    """Every short name ``text`` defines with the full name it abbreviates, in order (once each)."""
    found: dict[Definition, None] = {}
    for m in DEFINED_NAME.finditer(text):
        short = (m.group("quoted") or m.group("titled") or m.group("bare") or "").strip()
        if is_title_reference(short):
            continue
        full = full_name(text, m.start(), short)
        if full and len(full) > 1 and not _overlaps(short, full):
            found.setdefault(Definition(short, full), None)
    return tuple(found)


def _overlaps(short: str, full: str) -> bool:
    """Whether one name holds the other (punctuation aside): 运动会 of 世界大学生夏季运动会 is
    found by searching it anyway, and 部门 for 保护工作部门 is a full name cut too short."""
    short, full = _PUNCTUATION.sub("", short), _PUNCTUATION.sub("", full)
    return short in full or full in short


def is_title_reference(short: str) -> bool:
    """Whether a short name refers to a document rather than naming a thing: one character,
    本办法, 该条例, 《意见》, 《实施方案》, 《选题指南》 (a title word with at most two in front)."""
    if len(short) < 2 or _SELF.match(short):
        return True
    return any(short.endswith(w) and len(short) <= len(w) + 2 for w in TITLE_SHORT_WORDS)


def full_name(text: str, end: int, short: str) -> str:
    """The full name ending at ``end`` (where the definition's parenthesis opens) that
    ``short`` abbreviates; "" when there is none."""
    if end > 0 and text[end - 1] == "》":
        start = text.rfind("《", max(0, end - MAX_FULL - 2), end)
        return text[start + 1:end - 1].strip() if start >= 0 else ""
    run = _noun_phrase(_run(text, end))
    tail = _tail_holding(run, short)
    if not tail and _overlaps(short, run):
        return ""  # 部门 for 保护工作部门: cut too short, and the list before it is no better
    if not tail:  # 简政放权、放管结合、优化服务改革 (简称“放管服”改革), 上海市、江苏省、浙江省 (两省一市): the list
        listed = _listed(text, end, run)
        if listed != run and len(listed) <= MAX_FULL:
            return listed
    return (tail or run) if len(run) <= MAX_FULL else tail


def _noun_phrase(run: str) -> str:
    return _LEADING_VERBS.sub("", _CUT_AFTER.sub("", run)).strip()


def _run(text: str, end: int) -> str:
    """The characters before ``end`` back to punctuation, with bracketed and quoted parts whole."""
    i = end
    while i > 0 and end - i < MAX_FULL + 20:
        c = text[i - 1]
        if c in _OPENING:  # a bracketed or quoted part: whole, or the run ends here
            start = text.rfind(_OPENING[c], max(0, i - 22), i - 1)
            if start < 0 or any(s in text[start:i] for s in "\n。；"):
                break
            i = start
        elif c in _STOPS or c in "、（(" or c.isspace():
            break
        else:
            i -= 1
    return text[i:end]


def _listed(text: str, end: int, run: str) -> str:
    """``run`` with the short items of a list before it (上海市、江苏省、浙江省; 简政放权、放管结合、
    优化服务改革): an item is a noun phrase of at most :data:`MAX_ITEM` characters, and the
    list ends at one that is not (我市普遍存在电信), or where a verb stood before it."""
    i = end - len(_run(text, end))
    items = [run]
    while i > 0 and text[i - 1] == "、":
        before = _run(text, i - 1)
        item = _noun_phrase(before)
        if not 1 < len(item) <= MAX_ITEM:
            break
        items.insert(0, item)
        if item != before:
            break
        i -= 1 + len(before)
    return "、".join(items)


def _tail_holding(run: str, short: str) -> str:
    """The shortest tail of ``run`` holding the characters of ``short`` in order; "" if none."""
    j = len(run)
    for c in reversed(short):
        j = run.rfind(c, 0, j)
        if j < 0:
            return ""
    return run[j:]
