"""The head of a document: title, number, issuers, date, addressees and the
lines that are metadata rather than text.

Real heads come in many layouts, all handled here line by line (a run-on text
gets its lines back first, see :mod:`indexer.parse.reflow`):

- red-header documents: 山东省财政厅文件 / 鲁财会〔2021〕13号 / 山东省财政厅关于…的通知;
- minutes: 苏州市人民政府 / 常务会议纪要 / 〔2021〕9号, or 泉州市自然资源和规划局会议纪要 / 泉资规纪〔2022〕48号 / 关于…纪要;
- title first, number under it (State Council documents, wrapped titles);
- decrees: 中华人民共和国国务院令 / 第706号, titled by the regulation they promulgate;
- law-database Markdown: the title, then history lines (2019年10月22日 中华人民共和国国务院令第722号公布);
- telegrams: 发电单位, 等级特急·明电, 签批盖章, 鲁机发532号 — metadata, not title;
- pages saved from government sites: 时间/来源/访问量 lines (furniture and disclosure fields are
  taken out before, by :mod:`indexer.parse.page`);
- work reports: a —— line with the date and occasion, the speaker (国务院总理 李克强).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..normalize import parse_date
from ..patterns import (
    BOOK_TITLE,
    DECREE_NUMBER,
    DOC_NUMBER,
    HEAD_MARK_LINE,
    HELD_SESSION,
    ISSUE_NUMBER,
    ISSUER_START,
    MEETING_KINDS,
    ORG_SUFFIX,
    ROUTING_NUMBER,
    SESSION,
    TELEGRAM_NOISE,
    decree_number,
    doc_type_of,
    marking_of,
    split_number_prefix,
)
from . import attendance
from .sections import ITEM, Line

_HEAD_LINES = 30
MAX_TITLE = 80
_MAX_TITLE_LINE = 150
_META = re.compile(
    r"^【([^】]{1,20})】\s*(.*)$"
    r"|^(原文链接|来源|发布时间|时间|日期|访问量|浏览次数|点击数|阅读次数|效力级别|实施日期)[：:]\s*(.*)$"
)  # disclosure fields (索引号, 发文机关, 成文日期, 标题 …) and page furniture are indexer.parse.page's
_SITE_LINE = re.compile(r"(?:时间|日期|来源|发布机构|访问量|浏览次数)[：:]")
_HISTORY = re.compile(r"^((?:19|20)\d\d年\d{1,2}月\d{1,2}日)\s*(.*?)[）)]?$")
_HISTORY_VERBS = ("通过", "公布", "发布", "施行", "修订", "修正", "批准", "会议", "审判委员会", "检察委员会")
_SPEAKER = re.compile(r"^(国务院总理|国务院副总理|总理|(?:[\u4e00-\u9fff]{0,6}?)(?:省长|市长|县长|区长|州长|主席))\s*([\u4e00-\u9fff·]{2,5})$")
_DECREE_HEAD = re.compile(r"^(?:中华人民共和国)?([\u4e00-\u9fff]{1,16}?)令$")
_DECREE_SEQ = re.compile(r"^第\s*(\d{1,5})\s*号$")
_ISSUER_SPLIT = re.compile(rf"(?<=[\u4e00-\u9fff])(?=(?:{ISSUER_START}))")
_ORG_END = re.compile(rf"(?:{ORG_SUFFIX})$")
_REPRESENT = re.compile(r"我代表([\u4e00-\u9fff]{2,12}?(?:人民政府|政府|国务院))")


@dataclass(frozen=True)
class Header:
    title: str
    number: str = ""  # normalized: 鲁财会〔2021〕13号, 〔2021〕9号, 国务院令第706号
    number_aliases: tuple[str, ...] = ()
    issuers: tuple[str, ...] = ()  # as the head names them, joint issuers split
    date: str = ""  # the date the head states (under the title, a —— line, history lines)
    addressees: tuple[str, ...] = ()
    metadata: tuple[tuple[str, str], ...] = ()
    end: int = 0  # where the body starts
    meeting_kind: str = ""  # from a number line such as 常务会议纪要〔2023〕37号
    history: bool = False  # the head lists a law's history (adopted, published, amended)
    # The date a web page states for the document (生成日期 …; see indexer.parse.page): never the
    # meeting's, but the year of a meeting date written without one.
    page_date: str = ""


def split_issuers(text: str) -> tuple[str, ...]:
    """Joint issuers run together or listed: 中共山东省委办公厅山东省人民政府办公厅 →
    (中共山东省委办公厅, 山东省人民政府办公厅)."""
    out: list[str] = []
    for part in re.split(r"[、，,\s]+", text):
        pieces, start = [], 0
        for m in _ISSUER_SPLIT.finditer(part):
            if m.start() > start and _ORG_END.search(part[start:m.start()]):
                pieces.append(part[start:m.start()])
                start = m.start()
        pieces.append(part[start:])
        out.extend(p for p in pieces if p)
    return tuple(dict.fromkeys(out))


def parse_header(lines: list[Line]) -> Header:
    """The head of a document from its first lines."""
    title_lines: list[str] = []
    red: list[str] = []  # lines above the number or title naming the issuer
    metadata: list[tuple[str, str]] = []
    history: list[tuple[str, str]] = []
    number, aliases, date, kind, addressees = "", (), "", "", ()
    end, title_done, decree, page_issuer = 0, False, None, ""
    body_lines = [ln for ln in lines[:_HEAD_LINES * 3] if ln.text.strip()][:_HEAD_LINES]
    skip_next = False
    for i, line in enumerate(body_lines):
        text = line.text.strip()
        if skip_next:
            skip_next = False
            continue
        following = body_lines[i + 1].text.strip() if i + 1 < len(body_lines) else ""
        meta = _META.match(text)
        if meta:
            label, value = meta.group(1) or meta.group(3), (meta.group(2) or meta.group(4) or "").strip()
            if not value and following and not _META.match(following) and len(following) < 80:
                value, skip_next = following, True  # a table: the label's cell, then the value's
            label = label.replace(" ", "")
            metadata.append((label, value))
            end = line.end
            continue
        if len(_SITE_LINE.findall(text)) >= 2 and len(text) < 120:
            metadata.append(("页面", text))
            end = line.end
            continue
        if re.fullmatch(r"(?:抄报|抄送)[：:]", text):
            end = line.end  # an empty routing label above a telegram's title
            continue
        if not title_lines and (marking_of(text) or HEAD_MARK_LINE.fullmatch(text)):
            metadata.append(("标识", text))  # 内部资料, 密级：…, 秘密★1年 above the title: who may read it
            end = line.end
            continue
        if TELEGRAM_NOISE.fullmatch(text) or ROUTING_NUMBER.fullmatch(text) or text.startswith("签发人"):
            metadata.append(("机要编号" if ROUTING_NUMBER.fullmatch(text) else "发电", text))
            end = line.end
            continue
        decree_head = _DECREE_HEAD.match(text)
        if decree_head and _DECREE_SEQ.match(following) and not number:
            number, aliases = decree_number(decree_head.group(1), int(_DECREE_SEQ.match(following).group(1)))
            decree, skip_next, end = decree_head.group(1), True, body_lines[i + 1].end
            continue
        history_line = _HISTORY.match(text)
        if history_line and title_lines and (not history_line.group(2) or any(
                v in history_line.group(2) for v in _HISTORY_VERBS)) and len(text) < 160 and "。" not in text \
                and not history_line.group(2).startswith(("，", ",")):
            history.append((parse_date(history_line.group(1)), history_line.group(2)))
            d = DECREE_NUMBER.search(history_line.group(2))
            if d and not number:
                number, aliases = decree_number(d.group(1), int(d.group(2)))
            end = line.end
            continue
        if history and len(text) < 160 and any(v in text for v in _HISTORY_VERBS) and "。" not in text:
            history.append(("", text))  # a history line wrapped: 第1815次会议通过，自2021年1月1日起施行）
            end = line.end
            continue
        issue = ISSUE_NUMBER.fullmatch(text)
        if issue and not number:  # 〔2023〕第5期 under the minutes' header
            number, end = issue.group(0), line.end
            if title_lines and not title_done:
                red.extend(title_lines)
                title_lines = []
            continue
        m = DOC_NUMBER.search(text)
        if m and len(text) <= len(m.group(0)) + 12 and not number and "。" not in text:
            number, org, kind = _number(text)
            if title_lines and not title_done:
                red.extend(title_lines)  # what stood above the number was the red header
                title_lines = []
            if org:
                red.append(org)
            if title_done and "关于" not in "".join(title_lines) and _is_title(following):
                red.extend(title_lines)  # 泉州…局会议纪要 / 泉资规纪〔2022〕48号 / 关于…讨论会纪要
                title_lines, title_done = [], False
            end = line.end
            continue
        if text.startswith("——") and title_lines:
            date = date or parse_date(text)
            metadata.append(("场合", text.lstrip("—")))
            end = line.end
            continue
        speaker = _SPEAKER.match(text)
        if speaker and title_lines:
            metadata.append(("报告人", f"{speaker.group(1)} {speaker.group(2)}"))
            if "国务院" in speaker.group(1) or speaker.group(1) == "总理":
                page_issuer = page_issuer or "国务院"
            end = line.end
            continue
        if title_lines and parse_date(text) and len(text) < 40 and "。" not in text:
            title_done = title_done or not ITEM.match(text)  # the office and date under a title (or above it)
            date = date or parse_date(text)
            end = line.end  # the issuing office and date, or the occasion, under the title
            continue
        if title_done and text.startswith(("主送：", "主送:")):
            addressees = attendance.names(text[3:])
            end = line.end
            break
        if title_done and text.endswith(("：", ":")) and "。" not in text and len(text) < 200:
            addressees = attendance.names(text.rstrip("：:"))  # 主送 without its label: 各区人民政府，市各委办局：
            end = line.end
            break
        if title_done or "。" in text or text.endswith(("：", ":")) or ITEM.match(text) or len(text) > _MAX_TITLE_LINE:
            break
        if text.endswith("文件") and not title_done and "关于" not in text and _ORG_END.search(text[:-2]):
            red.extend(title_lines)
            red.append(text[:-2])
            title_lines = []
            end = line.end
            continue
        if title_lines and "关于" in text and not any("关于" in t for t in title_lines) \
                and doc_type_of(text) != "其他":
            red.extend(title_lines)  # the lines above were the issuer's, not the title's
            title_lines = []
        if decree and not title_lines:
            break  # a decree's own text follows its number: the title comes from it
        title_lines.append(text)
        end = line.end
        title_done = doc_type_of("".join(title_lines)) != "其他"
    title = "".join(title_lines)
    subject = _session_title(lines, end) if doc_type_of(title) == "会议纪要" and not HELD_SESSION.search(title) else None
    if subject:  # 示例区人民政府 / 常务会议纪要 / 〔2023〕第5期 / … / 示例区政府2023年度第5次常务会议纪要
        red.extend(title_lines)
        title, end = subject.text.strip(), subject.end
    if decree:
        promulgated = _decree_title(lines, end)
        title = promulgated or title
    if not title:
        title = next((ln.text.strip() for ln in lines if ln.text.strip()), "")
    if len(title) > MAX_TITLE:  # no head found: never a wall of text above the hits
        first = re.split(r"[。；：:，]", title)[0]
        title = first if len(first) <= MAX_TITLE else first[:MAX_TITLE - 1] + "…"
    body_start = min(end + 1, lines[-1].end) if end else 0
    date = date or _history_date(history)
    issuers = _issuers(title, red, page_issuer, decree, history)
    metadata.extend(("沿革", f"{d} {what}".strip()) for d, what in history)
    return Header(title=title, number=number, number_aliases=aliases, issuers=issuers, date=date,
                  addressees=addressees, metadata=tuple(metadata), end=body_start, meeting_kind=kind,
                  history=bool(history))


def _session_title(lines: list[Line], end: int) -> Line | None:
    """The line right after the head when it titles the minutes with their session
    (示例区政府2023年度第5次常务会议纪要), under a header that names only the kind."""
    following = next((ln for ln in lines if ln.start > end and ln.text.strip()), None)
    if following is None:
        return None
    text = following.text.strip()
    if text.endswith("纪要") and HELD_SESSION.search(text) and "。" not in text and len(text) <= _MAX_TITLE_LINE:
        return following
    return None


def _is_title(text: str) -> bool:
    return "关于" in text and doc_type_of(text) != "其他" and "。" not in text and len(text) <= _MAX_TITLE_LINE


def _number(text: str) -> tuple[str, str, str]:
    """(normalized number, the name standing before its code, meeting kind) of a number line."""
    m = DOC_NUMBER.search(text)
    org, prefix = split_number_prefix(text[: m.start(2) - 1])
    kind = ""
    if org.endswith("纪要"):
        kind = next((k for k in MEETING_KINDS if org.endswith(k + "纪要")), "")
        org = ""  # 常务会议纪要〔2023〕37号, 泉州…局会议纪要 泉资规纪〔…〕: the minutes' own header
    return f"{prefix}〔{m.group(2)}〕{int(m.group(3))}号", org.strip("·，, "), kind


def _decree_title(lines: list[Line], start: int) -> str:
    """The regulation a decree promulgates: 《专利代理条例》已经…公布."""
    text = "\n".join(ln.text for ln in lines if ln.start >= start)[:400]
    m = BOOK_TITLE.search(text)
    return m.group(1) if m else ""


def _history_date(history: list[tuple[str, str]]) -> str:
    """The date a law took its present form: the latest date the history names
    other than its taking effect, unless taking effect is all it says besides
    adoption (judicial interpretations take effect when published)."""
    dated = [(d, what) for d, what in history if d]
    if not dated:
        return ""
    published = any(v in what for _, what in dated for v in ("公布", "发布", "修订", "修正", "批准"))
    kept = [d for d, what in dated if not (published and "施行" in what)]
    return max(kept or [d for d, _ in dated])


def _issuers(title: str, red: list[str], page_issuer: str, decree: str | None,
             history: list[tuple[str, str]]) -> tuple[str, ...]:
    if page_issuer:
        return split_issuers(page_issuer)
    lead = re.match(r"^(.{2,60}?)(?:关于|对|转发|印发|征求)", title)
    if lead and _ORG_END.search(lead.group(1)):
        return split_issuers(lead.group(1))
    for line in red:
        name = re.sub(r"(?:会议)?纪要$", "", line).strip()
        if name and _ORG_END.search(name):
            return split_issuers(name)
    if decree:
        return ("国务院",) if decree in ("国", "国务院") else (decree,)
    minutes = re.match(rf"^(.{{2,40}}?)(?:第\d+次)?(?:{'|'.join(MEETING_KINDS)}|会议)?纪要$", title)
    if minutes and _ORG_END.search(minutes.group(1)):
        return split_issuers(minutes.group(1))
    session = SESSION.search(title)
    if session:
        return (title[: session.start()],) if session.start() else ()
    return _history_issuers(history)
    return ()


_AMENDED_BY = re.compile(r"《(.{2,20}?)关于修改")
_ADOPTED_BY = re.compile(r"^(.{2,40}?)(?:第[一二三四五六七八九十百\d]+届)?(.{0,20}?)(?:第[一二三四五六七八九十百\d]+次)?"
                         r"(?:常务会议|全体会议|会议)?(?:审议)?(?:通过|发布|公布)")


def _history_issuers(history: list[tuple[str, str]]) -> tuple[str, ...]:
    """Who made a law what it is now: the latest line that says who published,
    amended or adopted it (an approval by a higher body does not make it theirs)."""
    for _, what in sorted(history, key=lambda h: h[0], reverse=True):
        decree = DECREE_NUMBER.search(what)
        if decree:
            return ("国务院",) if decree.group(1) in ("国", "国务院") else (decree.group(1),)
        amended = _AMENDED_BY.search(what)
        if amended:
            return split_issuers(amended.group(1))
        if "批准" in what or "施行" in what:
            continue
        adopted = _ADOPTED_BY.match(what)
        if adopted:
            name = re.sub(r"(?:审判委员会|检察委员会)$", "", adopted.group(1) + adopted.group(2))
            return split_issuers(re.sub(r"第[一二三四五六七八九十百\d]+届", "", name))
    return ()


def represented_issuer(text: str) -> str:
    """A report's speaker's government: 我代表国务院 → 国务院."""
    m = _REPRESENT.search(text[:400])
    return m.group(1) if m else ""
