"""Cleaning text before parsing.

Real files mix ASCII and full-width punctuation, come in GB18030, carry stray
spaces inside Chinese runs and sentences cut by page breaks. Everything here is
pure string work: no jieba, no Whoosh.
"""
from __future__ import annotations

import re

from .patterns import CJK, cn_to_int  # noqa: F401  (re-exported: one definition each)

CN_DIGITS = "〇○零一二三四五六七八九"
CN_NUMERAL = "零一二三四五六七八九十百"

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# Full-width ASCII letters and digits become ASCII; Chinese punctuation stays.
_WIDTH = {cp: cp - 0xFEE0 for cp in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}
_WIDTH.update({0x3000: 0x20, 0x00A0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20})


# A pinyin gloss a mirror site prints after a character: 區(qū)長, 會議（yì）. Lower-case pinyin letters,
# a syllable or a few, at least one with a tone mark, in half- or full-width parentheses right after
# a CJK character. Other Latin in parentheses ((PPP), (2023), (de)) stays.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PINYIN = rf"[a-zü{_TONED}]*[{_TONED}][a-zü{_TONED}]*"
_PINYIN_GLOSS = re.compile(rf"(?<=[{CJK}])[(（]\s*{_PINYIN}(?:[ \-']{_PINYIN}|[ \-'][a-zü]+){{0,3}}\s*[)）]")
_PAREN_NUM = re.compile(r"[（(]\s*([一二三四五六七八九十]{1,3}|\d{1,2})\s*[)）]")
# Any bracket around the year, spaces, and the OCR slip 〔2020〕的43号.
_ISSUE_NO = re.compile(r"[\[［【〔﹝(（]\s*((?:19|20)\d\d)\s*[\]］】〕﹞)）]\s*第\s*(\d+)\s*期")  # 〔2023〕第5期
_DOC_NO = re.compile(r"[\[［【〔﹝(（]\s*((?:19|20)\d\d)\s*[\]］】〕﹞)）]\s*的?\s*(\d+)\s*号")
# Spaces between two CJK characters (or CJK and a digit/letter) are artifacts.
_CJK_P = rf"{CJK}《》“”（）〔〕、，。：；"
_SPACE_IN_CJK = re.compile(rf"(?<=[{_CJK_P}])[ \t]+(?=[{_CJK_P}A-Za-z0-9])|(?<=[A-Za-z0-9])[ \t]+(?=[{_CJK_P}])")
_SPACE_IN_DATE = re.compile(r"(?<=\d)[ \t]+(?=[年月日号次])|(?<=[年月第])[ \t]+(?=\d)")
_ASCII_PUNCT = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
_ASCII_AFTER_CJK = re.compile(rf"(?<=[{CJK}》”）])([,:;?!])")
_LIST_LINE = re.compile(r"^(?:出席|列席|请假|记录|分送|抄送|主送)[：:]|.*印发$")
_PAGE_NUMBER = re.compile(r"^[-—－–\s]*\d{1,3}[-—－–\s]*$")
_SENTENCE_END = tuple("。！？；：”’）》」』…")
_DATE_END = re.compile(r"\d{1,2}日$|[〇○零一二三四五六七八九十]日$")
# A line that starts a new block: a numbered item, a sub-point, a labelled field.
_BLOCK_START = re.compile(
    rf"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十\d]+）|\d+[.．、]|[①-⑳㈠-㈩]"
    rf"|(?:出\s*席|列\s*席|请\s*假|记\s*录|分\s*送|抄\s*送|主\s*送|附件)[：:]"
    rf"|(?:19|20)\d\d年\d{{1,2}}月\d{{1,2}}日)"
)


def normalize(text: str) -> str:
    """Return clean text: unified widths, no stray spaces, page breaks joined."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_ZERO_WIDTH).translate(_WIDTH)
    text = text.replace("\f", "\n\n")
    text = _PINYIN_GLOSS.sub("", text)
    lines = []
    in_list = False  # inside an 出席 / 列席 / 分送 … block: spaces there separate names
    for raw in text.split("\n"):
        line = raw.strip(" \t\u3000")
        line = _ASCII_AFTER_CJK.sub(lambda m: _ASCII_PUNCT[m.group(1)], line)
        line = _PAREN_NUM.sub(lambda m: f"（{m.group(1)}）", line)
        line = _DOC_NO.sub(lambda m: f"〔{m.group(1)}〕{m.group(2)}号", line)
        line = _ISSUE_NO.sub(lambda m: f"〔{m.group(1)}〕第{m.group(2)}期", line)
        line = _SPACE_IN_DATE.sub("", line)
        if line and (_BLOCK_START.match(line) or "。" in line[:-1] or line.endswith(("整理", "印发"))):
            in_list = False
        if _LIST_LINE.match(line):
            in_list = not line.endswith("印发")
            line = re.sub(r"[ \t]+", " ", line)  # spaces separate units from persons here
        elif in_list:
            line = re.sub(r"[ \t]+", " ", line)  # the list goes on, wrapped onto this line
        else:
            line = _SPACE_IN_CJK.sub("", line)
        if _PAGE_NUMBER.match(line) and line.strip():
            line = ""
        lines.append(line)
    return "\n".join(_join_page_breaks(lines)).strip() + "\n"


def _join_page_breaks(lines: list[str]) -> list[str]:
    """Drop blank lines, joining a sentence that a page break cut in two.

    Blank lines carry no meaning once this is done (and formats differ in them:
    a PDF has none), so the normalized text has one line per paragraph.

    A long line of prose that does not end a sentence, followed by blank lines
    and a line that does not start a new block, is one sentence: "…深入贯彻党" + "的十九届…".
    """
    out: list[str] = []
    for line in lines:
        if not line:
            continue
        prev = out[-1] if out else ""
        if (
            prev
            and len(prev) >= 20
            and re.search("[，。；]", prev)  # prose, not a title or a signature
            and not prev.endswith(_SENTENCE_END)
            and not _DATE_END.search(prev)  # a line that ends with a date is whole
            and re.match(rf"[{CJK}\d“《（]", line)
            and not _BLOCK_START.match(line)
        ):
            out[-1] = prev + line
        else:
            out.append(line)
    return out


def int_to_cn(number: int) -> str:
    """1..99 to Chinese numerals as used for item numbers: 5 → 五, 12 → 十二, 21 → 二十一."""
    names = "零一二三四五六七八九"
    if not 0 <= number < 100:
        return str(number)
    tens, ones = divmod(number, 10)
    if tens == 0:
        return names[ones]
    return ("" if tens == 1 else names[tens]) + "十" + (names[ones] if ones else "")


DATE = _DATE = re.compile(
    rf"((?:19|20)\d\d|[{CN_DIGITS}]{{4}})\s*年\s*(\d{{1,2}}|[{CN_NUMERAL}]{{1,3}})\s*月"
    rf"\s*(\d{{1,2}}|[{CN_NUMERAL}]{{1,3}})\s*日"
)


_YEAR_DIGITS = {c: str(i) for i, c in enumerate("零一二三四五六七八九")} | {"〇": "0", "○": "0"}


def _year(text: str) -> int:
    return int(text) if text.isdigit() else int("".join(_YEAR_DIGITS[c] for c in text))


def parse_date(text: str) -> str:
    """The first date in ``text`` as ISO ``YYYY-MM-DD``, or "" if none is valid."""
    for m in _DATE.finditer(text):
        try:
            year, month, day = _year(m.group(1)), cn_to_int(m.group(2)), cn_to_int(m.group(3))
        except ValueError:
            continue
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year:04d}-{month:02d}-{day:02d}"
    return ""


def find_dates(text: str) -> list[tuple[int, str]]:
    """Every valid date in ``text`` with its start offset."""
    found = []
    for m in _DATE.finditer(text):
        iso = parse_date(m.group(0))
        if iso:
            found.append((m.start(), iso))
    return found
