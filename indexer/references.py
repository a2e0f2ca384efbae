"""What cites what: document numbers, meetings and titles named in a document,
resolved to documents in the index where possible.

Detection is pure text work; resolution uses a :class:`Registry` of the
indexed documents (number → id, session → id, normalized title → id), built once
per searcher. Unresolved mentions are kept as text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Document
from .normalize import DOC_NUMBER

NUMBER, MEETING, TITLE = "number", "meeting", "title"
_MEETING = re.compile(r"(?:市[一二三四五六七八九十]+届人民政府|市政府|市人民政府)?第(\d{1,4})次(常务会议|专题会议|办公会议|全体会议)")
_TITLE = re.compile(r"《([^《》\n]{2,80})》")
# Prefixes that are words of the sentence, not part of a number: 按照示府发〔…〕 → 示府发.
_LEAD_WORDS = ("按照", "根据", "依据", "经", "见", "即", "和", "及", "与", "的")


@dataclass(frozen=True)
class Citation:
    kind: str  # number, meeting or title
    text: str  # as normalized: 示府发〔2021〕20号, 第128次常务会议, 示例市电梯安全管理办法
    target: str  # the id of the document it names, or "" when none is indexed
    item_no: int  # where it is cited: the item, or 0 for the preamble or body


def normalize_title(title: str) -> str:
    return re.sub(r"\s+", "", title).strip()


def _clean_prefix(prefix: str) -> str:
    for word in _LEAD_WORDS:
        if word in prefix:
            prefix = prefix[prefix.rindex(word) + len(word):]
    return prefix


def mentions(doc: Document) -> list[tuple[str, str, int]]:
    """(kind, text, item number) for every mention in the document, its own name excluded."""
    parts = [(0, doc.preamble)] + [(item.number, item.text) for item in doc.items]
    found: list[tuple[str, str, int]] = []
    for item_no, text in parts:
        for m in DOC_NUMBER.finditer(text):
            number = f"{_clean_prefix(m.group(1))}〔{m.group(2)}〕{int(m.group(3))}号"
            if number != doc.doc_number:
                found.append((NUMBER, number, item_no))
        for m in _MEETING.finditer(text):
            session = f"第{int(m.group(1))}次{m.group(2)}"
            if session != doc.session:
                found.append((MEETING, session, item_no))
        for m in _TITLE.finditer(text):
            found.append((TITLE, normalize_title(m.group(1)), item_no))
    return list(dict.fromkeys(found))


@dataclass
class Registry:
    numbers: dict[str, str]  # 〔2021〕9号 and 示府发〔2021〕20号 → id
    bare: dict[str, list[str]]  # 〔2021〕20号 → ids of every document with that number, any prefix
    sessions: dict[str, str]  # 第128次常务会议 → id of its minutes
    titles: dict[str, str]  # a document's title, and what a notice issues, → id

    @classmethod
    def build(cls, documents) -> Registry:
        """From (id, title, doc_number, session) of every indexed document."""
        numbers, bare, sessions, titles = {}, {}, {}, {}
        for doc_id, title, number, session in documents:
            if number:
                numbers.setdefault(number, doc_id)
                bare.setdefault(number[number.index("〔"):], []).append(doc_id)
            if session:
                sessions.setdefault(session, doc_id)
            names = [normalize_title(title)]
            issued = re.search(r"关于印发(.+?)的通知$", title)
            if issued:  # 《示例市电梯安全管理办法》 names the notice that issued it
                names.append(normalize_title(issued.group(1)))
            for name in names:
                titles[name] = "" if titles.get(name, doc_id) != doc_id else doc_id  # shared titles: ambiguous
        return cls(numbers, bare, sessions, titles)

    def resolve(self, kind: str, text: str) -> str:
        if kind == NUMBER:
            found = self.numbers.get(text, "")
            if not found and "〔" in text:  # 会议纪要〔2021〕9号: the words before are not a prefix
                candidates = self.bare.get(text[text.index("〔"):], [])
                found = candidates[0] if len(candidates) == 1 else ""
            return found
        if kind == MEETING:
            return self.sessions.get(text, "")
        return self.titles.get(text, "")


def citations(doc: Document, registry: Registry) -> tuple[Citation, ...]:
    """Each thing the document cites, once, at its first mention inside an item if any."""
    first: dict[tuple[str, str], int] = {}
    for kind, text, item_no in mentions(doc):
        if (kind, text) not in first or (first[(kind, text)] == 0 and item_no):
            first[(kind, text)] = item_no
    out = []
    for (kind, text), item_no in first.items():
        target = registry.resolve(kind, text)
        if target != doc.id:
            out.append(Citation(kind, text, target, item_no))
    return tuple(out)
