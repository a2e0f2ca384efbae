"""Who is asked to do what: departments in an item's text, with their role.

- lead: 由X牵头, 由X根据…, 由X、Y负责, 责成X…, and X as the subject of a clause
  (X要…, X牵头, X具体负责, X会同Y…); the unit whose proposal the meeting adopts or
  reviews (原则同意X《…》, X提出的…, X送审的《…》);
- co-lead: 会同Y、Z, 会Y, Y配合 / 协助 / 参与;
- mentioned: any other mention (会议听取了X关于…的汇报).

Departments come from the gazetteer (canonical names); a unit the gazetteer
does not know is still picked up where a role says a unit must stand (after
由 or 会同, or as a clause's subject) and reported with ``known=False``.
"""
from __future__ import annotations

import re

from ..model import CO_LEAD, LEAD, MENTIONED, DepartmentRole
from . import gazetteer

_CLAUSE = re.compile(r"[^，。；：！？\n]+")
_JOINERS = re.compile(r"^[、和及与，\s]*$")
_SUBJECT_VERBS = ("要", "牵头", "负责", "具体负责", "会同", "根据", "统筹", "抓紧", "加快", "加强", "做好", "按照", "联合",
                  "组织", "应当", "应", "为主", "继续", "研究", "指导", "督促", "落实")
_PROPOSED = ("提出的", "起草的", "送审的", "报送的", "提交的", "拟定的", "制定的")
_ADOPTED = ("同意", "通过", "审议了", "审议", "审定了", "审定")
_CO_AFTER = ("配合", "等部门配合", "协助", "参与", "等配合")
_UNIT = re.compile(r"[\u4e00-\u9fff]{1,14}?(?:管委会|委员会|办公室|局|委|办|集团|公司|中心|支队|总队)")
# A city unit the gazetteer lacks, anywhere: 市X局 / 市X集团 …, not 城市… or 上市….
_CITY_UNIT = re.compile(
    r"(?<![城都上超门股夜集])市(?!场|长)[\u4e00-\u9fff]{1,8}?(?:局(?![面势])|委(?!托)|办(?![法理事公])|集团|公司|中心|支队)"
)
# Words inside a match that show it is a phrase, not a unit's name (受委托, 其委托, 第十二条…委员会, 请你公司).
_NOT_A_UNIT = re.compile(r"或者|以上|以下|有关|相关|其|我|你|本|该|受|责成|第[一二三四五六七八九十百\d]+条|承办|牵头"
                         r"|^(?:配合|领导|协助|负责|组织|督促|指导|支持|请|经|在|对|向|与|和|及|将|把|按照|根据)")
_WORD_GOES_ON = set("托员理法事")  # 委托, 委员, 办理, 办法, 办事: the suffix began another word
_LABEL = re.compile(r"^(?:（[一二三四五六七八九十\d]{1,3}）|\d{1,2}[.．、]|[①-⑳])")  # （三）市X局要…: still the subject
_BOOK_TITLE = re.compile(r"《[^《》]*》")
_GENERIC = re.compile(r"^(?:各|有关|相关|市各|市有关|市相关|市级)")
# A unit named as one of a kind (各设区市发展改革委, 计划单列市财政局): no unit in particular.
_GENERIC_BEFORE = re.compile(r"(?:各|设区|单列|地级|县级|所在|有关|相关|各级)[\u4e00-\u9fff]{0,3}$")
_PRECEDENCE = {LEAD: 0, CO_LEAD: 1, MENTIONED: 2}


def _mentions(clause: str, level: str, place: str) -> list[tuple[int, int, str, bool, str]]:
    """Departments the gazetteer knows in a clause: (start, end, name, known, level)."""
    return [(m.start, m.end, m.name, m.known, m.level) for m in gazetteer.find_departments(clause, level, place)
            if not _GENERIC_BEFORE.search(clause[:m.start])]


def _unknown_after(clause: str, at: int, known: list, level: str) -> tuple[int, int, str, bool, str] | None:
    """A unit named at ``at`` that the gazetteer does not know."""
    m = _UNIT.match(clause, at)
    if not m or _GENERIC.match(m.group()) or m.group().startswith(("由", "会")) or _NOT_A_UNIT.search(m.group()) \
            or clause[m.end():m.end() + 1] in _WORD_GOES_ON:
        return None
    if any(s < m.end() and m.start() < e for s, e, *_ in known):
        return None  # overlaps a known name
    return (m.start(), m.end(), m.group(), False, level)


def _role(clause: str, start: int, end: int, mentions: list) -> str:
    # Widen to the whole list this mention stands in (X、Y和Z), then look either side.
    head_start, tail_end = start, end
    for s, e, *_ in sorted(mentions, reverse=True):
        if e <= head_start and _JOINERS.match(clause[e:head_start]):
            head_start = s
    for s, e, *_ in sorted(mentions):
        if s >= tail_end and _JOINERS.match(clause[tail_end:s]):
            tail_end = e
    head = clause[:head_start].rstrip("、和及与 ")
    tail = clause[tail_end:]
    if head.endswith(("由", "责成")):
        return LEAD
    # The unit whose proposal the meeting adopts or reviews leads it: 原则同意X《…》, X提出的…, X送审的《…》.
    if tail.startswith(_PROPOSED) or (head.endswith(_ADOPTED) and tail.startswith("□")):
        return LEAD
    if head.endswith(("会同", "会", "协调")):
        return CO_LEAD
    if tail.startswith(_CO_AFTER):
        return CO_LEAD
    if not _LABEL.sub("", head).strip() and tail.startswith(_SUBJECT_VERBS):
        return LEAD
    return MENTIONED


def department_roles(text: str, level: str = "", place: str = "") -> tuple[DepartmentRole, ...]:
    """Every department ``text`` names, with its strongest role; lead first.

    ``level`` and ``place`` are the document's (see :func:`gazetteer.find_departments`):
    发展改革委 in a State Council document is 国家发展改革委, not 市发改委."""
    best: dict[str, tuple[str, bool, int, str]] = {}
    city_level = level in ("", gazetteer.CITY, gazetteer.COUNTY)
    # Names inside 《…》 are part of a document's title, not departments given work.
    text = _BOOK_TITLE.sub(lambda m: "□" * len(m.group()), text)
    for clause_match in _CLAUSE.finditer(text):
        clause = clause_match.group()
        mentions = _mentions(clause, level, place)
        for marker in ("由", "会同", "责成"):
            for m in re.finditer(marker, clause):
                unknown = _unknown_after(clause, m.end(), mentions, level)
                if unknown:
                    mentions.append(unknown)
        if city_level:  # 市X局 the gazetteer lacks; above a city, such names are generic (各市发展改革委)
            for m in _CITY_UNIT.finditer(clause):
                if not _GENERIC.match(m.group()) and not any(s < m.end() and m.start() < e for s, e, *_ in mentions):
                    mentions.append((m.start(), m.end(), m.group(), False, gazetteer.CITY))
        subject = _unknown_after(clause, 0, mentions, level)
        if subject and clause[subject[1]:].startswith(_SUBJECT_VERBS):
            mentions.append(subject)
        for start, end, name, known, unit_level in sorted(mentions):
            role = _role(clause, start, end, mentions)
            order = clause_match.start() + start
            current = best.get(name)
            if current is None or _PRECEDENCE[role] < _PRECEDENCE[current[0]]:
                best[name] = (role, known, current[2] if current else order, unit_level)
    ranked = sorted(best.items(), key=lambda kv: (_PRECEDENCE[kv[1][0]], kv[1][2]))
    return tuple(DepartmentRole(name, role, known, unit_level) for name, (role, known, _, unit_level) in ranked)
