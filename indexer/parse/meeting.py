"""The meeting a minutes records, as governments actually write it.

Formal minutes (苏州市人民政府常务会议纪要〔2021〕9号) state the meeting in a preamble;
most offices publish it as a report on their website instead: 10月20日，区长张三在区政府
第一会议室主持召开区政府第45次常务会议，区领导李四、王五出席会议。会议审议了…. Here the
session, chair, date, agenda and attendance are read from that *held sentence* — the
first sentence that dates the meeting and says it was held or chaired — and the text
near it. All of it works on normalized, simplified text (traditional text is folded
before parsing).
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..normalize import CN_NUMERAL, find_dates
from ..patterns import CHAIR_ROLES, HELD_SESSION, MEETING_HELD, cn_to_int, held_session

HEAD_CHARS = 1500  # how far into the text the meeting is stated
_SENTENCE = re.compile(r"[^。！？\n]+[。！？]?")
_HELD_VERB = re.compile(r"主持召开|召开|主持|举行|召集")

_NAME = r"(?:[\u4e00-\u9fff]{1,8}·[\u4e00-\u9fff]{1,8}?|[\u4e00-\u9fff]{2,3})"  # 张三, 欧阳明, 阿不都克力木·艾力
_VENUE = r"(?:同志)?(?:(?:在|于|通过|以)[^，。；]{1,30}?)?[，,]?\s*"  # 在区政府第一会议室 / 通过视频连线方式
# 区长张三（同志）（在…会议室，）主持 | 张三区长主持 | 主持人：张三.
# The chair's verb: 主持, 召集, or 召开 right after the name (区长李四召开区政府第63次常务会议).
_CHAIR_VERB = r"(?:主持|召集|召开(?=[^，。]{0,20}?会))"
_ROLE_NAME = re.compile(rf"({CHAIR_ROLES})({_NAME}|[\u4e00-\u9fff]{{4}}){_VENUE}{_CHAIR_VERB}")  # 欧阳文华 too
_NAME_ROLE = re.compile(rf"({_NAME})({CHAIR_ROLES}){_VENUE}{_CHAIR_VERB}")
# 会议主持人：区委副书记、区长张三 — the role word right before the name, at the end of the field.
_CHAIR_FIELD = re.compile(rf"主持(?:人)?[：:]\s*(?:[^：:\n]{{0,30}}?[、，,\s])?(?:({CHAIR_ROLES})\s*)?({_NAME})(?:同志)?\s*(?:$|[，,。；\n])", re.MULTILINE)
_DELEGATED = re.compile(r"受[^，。]{2,12}?委托[，,]?")
# What stands before a name and is not part of it: 由张三市长主持, 上午张三区长主持.
_NOT_NAME_START = set("由午时日在、，的和及与并受")

# A date with month and day but no year (10月20日上午), and one with day only (20日上午).
_MONTH_DAY = re.compile(rf"(?<![\d年])(\d{{1,2}}|[{CN_NUMERAL}]{{1,3}})月(\d{{1,2}}|[{CN_NUMERAL}]{{1,3}})(?:日|号|(?=[，,]))")
_GARBLED = re.compile(r"(?<![\d月年])\d{3,8}日|(?:19|20)\d\d年\s*月|年\d{1,2}日|(?:19|20)\d\d年\d{1,2}月(?!\d)[^日]{0,2}(?:上午|下午|召开)")
# A page's own dates (发布日期：2023-05-06, 2023-05-06 10:21, 发布时间：2023年5月6日) give a year.
_ISO_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_PAGE_DATE_LABEL = re.compile(
    r"(?:发布|生成|成文|发文|产生|更新)(?:日期|时间)[：:]\s*((?:19|20)\d\d)年(\d{1,2})月(\d{1,2})日"
    r"|^\s*((?:19|20)\d\d)年(\d{1,2})月(\d{1,2})日\s*(?:星期.|\d\d:\d\d.*)?$", re.MULTILINE)  # or a line that is a date

# Agenda items written as paragraphs: 会议审议了…, 会议听取了…, 会议研究了…; not 会议还研究了其他事项.
_AGENDA_OPENING = re.compile(
    r"^(?:[一二三四五六七八九十]+是)?会议(?:还|再|首先|先后|集中|专题|传达)?(?:审议|听取|研究|讨论|审定|传达|学习|通报|部署|"
    r"审查|研判|安排|观看|收看)(?:并(?:原则)?(?:通过|同意))?了?"
)
_OTHER_MATTERS = re.compile(r"^会议还(?:研究|讨论)了?其[他它](?:事项|工作|问题)")
_NUMBERED = re.compile(r"^(?:(\d{1,2})[.．、](?!\d)|（(\d{1,2})）)")
_SUBITEM = re.compile(rf"^（([{CN_NUMERAL}]{{1,3}})）")

# Attendance near the held sentence: 区领导A、B、C，区政府办公室主任D出席会议 / 出席会议的有… / 应邀参加.
_ATTEND_AFTER = re.compile(r"([^。；]{2,400}?)(?:等)?(?:同志)?(?:应邀|受邀)?(?:出席|参加)(?:了)?(?:会议|本次会议|(?=[。；，,]|$))")
_ATTEND_LATER = re.compile(r"(?:^|[。；\n])([^。；\n]{2,300}?)(?:等)?(?:同志)?(?:应邀|受邀)?(?:出席|参加)(?:了)?(?:会议|本次会议)")
_ATTEND_BEFORE = re.compile(r"(?:出席|参加)(?:会议|本次会议)(?:的|人员)?(?:有|[：:])([^。；]{2,400})")
_ROLE_PREFIX = re.compile(
    r"^.*(?:领导|书记|主任|主席|[市区县旗州盟省镇乡]长|巡视员|调研员|秘书长|委员|常委|部长|局长|院长|检察长|政委|指挥长|同志|成员|助理)"
)
_NOT_A_NAME = re.compile(r"会议|政府|部门|单位|负责|有关|相关|领导|成员|人员|班子|代表|常委|主任|主席|(?:局|委|办|院|厅|中心|公司|集团|队)$")


@lru_cache(maxsize=8)  # asked for by every reader below, for the same text
def held_sentence(text: str) -> tuple[int, int] | None:
    """Where the sentence that says the meeting was held stands: the first dated sentence
    with a verb of holding, else the first that says who chaired it, else the first saying it
    was held, else the first with 主持, else the first naming a session."""
    head = text[:HEAD_CHARS]
    sentences = [(m.start(), m.end(), m.group()) for m in _SENTENCE.finditer(head)]
    for test in (lambda s: _HELD_VERB.search(s) and (find_dates(s) or _MONTH_DAY.search(s)) and MEETING_HELD.search(s),
                 lambda s: "主持" in s and MEETING_HELD.search(s),
                 lambda s: _HELD_VERB.search(s) and MEETING_HELD.search(s),
                 lambda s: "主持" in s,
                 lambda s: HELD_SESSION.search(s)):
        for start, end, sentence in sentences:
            if test(sentence):
                return start, end
    return None


def session(text: str, title: str = "") -> str:
    """The session of the meeting: from the held sentence, else the title, else the head."""
    span = held_sentence(text)
    held = text[slice(*span)] if span else ""
    found = held_session(held) or held_session(title) or held_session(text[:HEAD_CHARS])
    page = page_date(text)
    if found and not found[:4].isdigit() and page and re.search(r"今年(?:度)?第", held or title):
        found = f"{page[:4]}年度{found}"  # 今年第一次常务会议, numbered per year: the page's year
    return found


def chair(text: str) -> tuple[str, str]:
    """(name, role) of who chaired: 市委副书记、市长张三主持召开…; 张三区长主持; 受X委托，
    副区长Y主持 (Y chairs); 区长X在区政府某会议室，主持召开…; 主持人：X. ("", "") when unsaid."""
    span = held_sentence(text)
    places = [text[span[0]:min(len(text), span[1] + 300)]] if span else []
    for part in (*places, text[:HEAD_CHARS]):
        found = _chair_in(part)
        if found[0]:
            return found
    return "", ""


def _chair_in(text: str) -> tuple[str, str]:
    text = _DELEGATED.sub("，", text)  # who delegated does not chair
    best: tuple[int, str, str] | None = None
    for m in _ROLE_NAME.finditer(text):
        if m.group(2) and len(m.group(2)) >= 2:
            best = (m.end(), _trim_name(m.group(2), after=True), m.group(1))
            break
    for m in _NAME_ROLE.finditer(text):
        name = _trim_name(m.group(1))
        if len(name) >= 2 and (best is None or m.end() < best[0]):
            best = (m.end(), name, m.group(2))
        break
    if best:
        return best[1], best[2]
    field = _CHAIR_FIELD.search(text)
    return (field.group(2), field.group(1) or "") if field else ("", "")


def _trim_name(name: str, after: bool = False) -> str:
    """A name without what the pattern took beside it: 由张三 → 张三; 张三同 → 张三."""
    if after:
        return name.removesuffix("同")
    while len(name) > 2 and name[0] in _NOT_NAME_START:
        name = name[1:]
    return name[1:] if len(name) == 3 and name[0] in _NOT_NAME_START else name


def meeting_date(text: str, years: tuple[int, ...] = (), page: str = "") -> str:
    """The meeting's date as ISO, from the held sentence: a full date before 召开/主持, else a
    month and day whose year comes from ``years`` (the session's, the number's), else from
    the page's own date (``page``, the date its disclosure metadata states, else one the text
    prints; a meeting in December published in January is the year before), else from a year
    printed above the opening (a heading's); a day alone (13日，…) takes the page's month. A garbled date (2023年月13日)
    or only 日前 / 近日 gives ""."""
    span = held_sentence(text)
    if not span:
        return ""
    sentence = text[slice(*span)]
    dates = find_dates(sentence)
    held = _HELD_VERB.search(sentence)
    if dates:
        before = [iso for start, iso in dates if held and start < held.start()]
        return (before or [dates[0][1]])[-1 if before else 0]
    if _GARBLED.search(sentence):
        return ""
    m = _MONTH_DAY.search(sentence)
    if not m:
        return _day_only(sentence, page or page_date(text))
    try:
        month, day = cn_to_int(m.group(1)), cn_to_int(m.group(2))
    except ValueError:
        return ""
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return ""
    year = next((y for y in years if y), 0)
    page = page or page_date(text)
    if page and not year:
        year = int(page[:4]) - (1 if (month, day) > (int(page[5:7]), int(page[8:10])) else 0)
    # the weakest witness: a year printed above the opening (a heading), not one in its content
    year = year or next((int(y) for y in re.findall(r"((?:19|20)\d\d)年(?!\d{1,2}月)", text[:span[0]])), 0)
    if not year:
        return ""
    return f"{year:04d}-{month:02d}-{day:02d}"


_DAY_ONLY = re.compile(r"^[^，。]{0,20}?(?<![\d月年])(\d{1,2})日(?:上午|下午|晚上|晚)?[，,]")


def _day_only(sentence: str, page: str) -> str:
    """13日，市长X主持召开…: a news page's own day; month and year from the page's date
    (a day after the page's is the month before)."""
    m = _DAY_ONLY.search(sentence)
    if not m or not page:
        return ""
    year, month, day = int(page[:4]), int(page[5:7]), int(m.group(1))
    if not 1 <= day <= 31:
        return ""
    if day > int(page[8:10]):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return f"{year:04d}-{month:02d}-{day:02d}"


def page_date(text: str) -> str:
    """The page's own date (发布日期：…, 2023-05-06 10:21 under a heading) as ISO, or ""."""
    m = _PAGE_DATE_LABEL.search(text) or _ISO_DATE.search(text)
    if not m:
        return ""
    year, month, day = (int(g) for g in [g for g in m.groups() if g][:3])
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else ""


def agenda_starts(lines) -> list[tuple[int, object]]:
    """Items of minutes that do not number them 一、二、: （一）（二） lines alone, else each
    paragraph that opens 会议审议了 / 会议听取了 / 会议研究了 … (会议还研究了其他事项 is none).
    ``lines`` are :class:`~indexer.parse.sections.Line` values; returns (number, line)."""
    expected, found = 1, []
    for line in lines:
        m = _SUBITEM.match(line.text.strip())
        if m and _number(m.group(1)) == expected:
            found.append((expected, line))
            expected += 1
    if found:
        return found
    opening = [ln for ln in lines if _AGENDA_OPENING.match(ln.text.strip())]
    if not opening:  # formal minutes numbering items 1. 2. 3. (or （1）) after 纪要如下
        expected = 1
        for line in lines:
            m = _NUMBERED.match(line.text.strip())
            if m and int(m.group(1) or m.group(2)) == expected:
                found.append((expected, line))
                expected += 1
        if len(found) >= 2:
            return found
    return [(n, line) for n, line in enumerate(
        (ln for ln in lines if _AGENDA_OPENING.match(ln.text.strip()) and not _OTHER_MATTERS.match(ln.text.strip())),
        start=1)]


def _number(numeral: str) -> int:
    try:
        return cn_to_int(numeral)
    except ValueError:
        return 0


def agenda_title(first_line: str) -> str:
    """An item's title from its opening line: （一）关于… / 会议审议了《…》 → the first sentence."""
    body = _SUBITEM.sub("", first_line.strip())
    title = re.split(r"(?<=[。；])", body, maxsplit=1)[0].rstrip("。；：")
    return title[:80] + "…" if len(title) > 80 else title


def attendees(text: str) -> tuple[str, ...]:
    """Persons the held sentence and the two after it name as attending (出席, 参加, 应邀参加),
    without their role words; 列席 (sitting in) is not attending."""
    span = held_sentence(text)
    if not span:
        return ()
    near = re.split(r"(?<=[。])", text[span[0]:min(len(text), span[1] + 800)])[:3]
    found: dict[str, None] = {}
    for clause in (c for sentence in near for c in re.split(r"[；;]", sentence)):
        if "列席" in clause and not re.search(r"出席|参加", clause.split("列席")[0]):
            continue
        m = _ATTEND_BEFORE.search(clause)
        listed = m.group(1) if m else ""
        if not m:
            m = _ATTEND_AFTER.search(clause)
            listed = re.split(r"主持(?:召开)?[^，]*[，,]|会议[，,]", m.group(1))[-1] if m else ""
        found.update(dict.fromkeys(_names(listed)))
    if not found:  # a list further down: 副县长A、B和县政府办主任C出席会议。
        for m in _ATTEND_LATER.finditer(text[span[1]:span[1] + HEAD_CHARS]):
            found.update(dict.fromkeys(_names(m.group(1))))
    return tuple(found)


def _names(listed: str) -> tuple[str, ...]:
    out = []
    for part in re.split(r"[、，,]|以及|和|及", listed):
        part = part.strip().removesuffix("同志").removesuffix("等")
        bare = _ROLE_PREFIX.sub("", part)
        if re.fullmatch(_NAME, bare) and not _NOT_A_NAME.search(bare):
            out.append(bare)
    return tuple(out)


_RELATIVE = re.compile(r"^[^，。]{0,12}?(?:日前|近日|近期|前不久|今天|昨天|当天)")


def undated(text: str) -> bool:
    """True when the held sentence dates the meeting in a way that cannot be read: a garbled
    date (2023年月13日) or only 日前 / 近日, and no full date."""
    span = held_sentence(text)
    if not span:
        return False
    sentence = text[slice(*span)]
    if find_dates(sentence):
        return False
    return bool(_GARBLED.search(sentence) or (_RELATIVE.search(sentence) and not _MONTH_DAY.search(sentence)))


_GOVERNMENT = re.compile(r"([\u4e00-\u9fff]{0,16}?)(?:人民)?政府(?=第|\d|召开|常务|全体)")
_FULL_NAME = re.compile(r"([\u4e00-\u9fff]{1,16}?)人民政府")
_TERM = re.compile(r"第?[一二三四五六七八九十\d]{1,3}届")  # 十三届市政府, 区第十八届人民政府
# Where a run of characters before 政府 stops being a place: 主持召开区政府, 第19次区政府, 今年市政府.
_NOT_PLACE = re.compile(r"召开|主持|制定|单位|来源|机构|发布|关于|网站|图解|上午|下午|晚上|^[日号]|[年次第的在丨：、，]")


def _place(run: str) -> str:
    """The place a run of characters ending before 人民政府 names: its tail after any word
    that cannot be part of a place; "" unless it ends with a level (区, 县, 市 …)."""
    tail = _NOT_PLACE.split(run)[-1]
    return tail if tail[-1:] in ("省", "市", "州", "盟", "县", "区", "旗") else ""


def government(text: str, title: str = "") -> str:
    """The government whose meeting a report records: 区政府 in 主持召开区政府第45次常务会议, named
    in full where the page names it (来源：示例区人民政府办公室 → 示例区人民政府); "" when unsaid."""
    span = held_sentence(text)
    for where in (text[slice(*span)] if span else "", title):
        m = _GOVERNMENT.search(_TERM.sub("", where))
        place = _place(m.group(1)) if m else ""
        if not place:
            continue
        if len(place) == 1:  # 区政府: which district, the page may say (来源：示例区人民政府办公室)
            place = next((p for p in (_place(f.group(1)) for f in _FULL_NAME.finditer(_TERM.sub("", text[:HEAD_CHARS * 2])))
                          if len(p) > 1 and p[-1] == place), place)
        return place + "人民政府"
    return ""


# What ends a heading on a page's line: its date and time, 来源, 作者, a share bar.
_HEADING_END = re.compile(
    r"(?:19|20)\d\d-\d\d?-\d\d?|(?:19|20)\d\d年\d\d?月\d\d?日\s*\d\d?:\d\d|(?:发布)?(?:日期|时间|来源|作者|编辑|字体|字号)[：:]|\||\s{3,}"
)
_NOT_HEADING = re.compile(r"^(?:相关链接|相关阅读|图解|延伸阅读|上一篇|下一篇)")


def heading(text: str) -> str:
    """The heading a page gives the meeting it reports (区政府召开第45次常务会议; 张三主持召开县政府
    常务会议), from the lines above the held sentence (or the start of its own line): the first
    that names the meeting with a verb or a session, cut where the page's date, 来源 or a
    breadcrumb's last > leaves it; "" when the page has none."""
    span = held_sentence(text)
    if not span:
        return ""
    lines = [re.split(r"[>»]", _HEADING_END.split(line, maxsplit=1)[0])[-1].strip()
             for line in text[:span[1]].split("\n")]
    for i, line in enumerate(lines):
        if not line or "。" in line or len(line) > 100 or _NOT_HEADING.match(line):
            continue
        if re.search(r"常务会|全体会议", line) and (re.search(r"召开|主持|举行", line) or HELD_SESSION.search(line)):
            if line.endswith(("、", "和", "及")) and i + 1 < len(lines) and "。" not in lines[i + 1]:
                line += lines[i + 1]  # a heading wrapped at a list's joint
            return line
    return ""
