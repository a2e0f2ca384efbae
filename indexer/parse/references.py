"""What cites what: document numbers, meetings and titles named in a document,
resolved to documents in the index where possible.

Detection is pure text work; resolution uses a :class:`Registry` of the
indexed documents (number → id, session → id, normalized title → id), built once
per searcher. Unresolved mentions are kept as text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..hanzi import simplified
from ..model import Document
from ..patterns import (
    BOOK_TITLE,
    DECREE_NUMBER,
    DOC_NUMBER,
    SESSION,
    decree_number,
    session_text,
    split_number_prefix,
)

NUMBER, MEETING, TITLE = "number", "meeting", "title"


@dataclass(frozen=True)
class Citation:
    kind: str  # number, meeting or title
    text: str  # as normalized: 示府发〔2021〕20号, 第128次常务会议, 示例市电梯安全管理办法
    target: str  # the id of the document it names, or "" when none is indexed
    item_no: int  # where it is cited: the item, or 0 for the preamble or body


def normalize_title(title: str) -> str:
    """A title as a lookup key: without spaces, in simplified characters (a traditional mirror
    names the same document)."""
    return simplified(re.sub(r"\s+", "", title).strip())


def mentions(doc: Document) -> list[tuple[str, str, int]]:
    """(kind, text, item number) for every mention in the document, its own name excluded."""
    # Read as simplified, as the parser read them: numbers, sessions and titles are keys.
    parts = [(0, simplified(doc.preamble))] + [(item.number, simplified(item.text)) for item in doc.items]
    own = {doc.doc_number, *doc.number_aliases}
    found: list[tuple[str, str, int]] = []
    for item_no, text in parts:
        for m in DOC_NUMBER.finditer(text):
            _, prefix = split_number_prefix(text[max(0, m.start(2) - 30):m.start(2) - 1])
            number = f"{prefix}〔{m.group(2)}〕{int(m.group(3))}号"
            if number not in own:
                found.append((NUMBER, number, item_no))
        for m in DECREE_NUMBER.finditer(text):
            number, aliases = decree_number(m.group(1), int(m.group(2)))
            if number not in own:
                found.append((NUMBER, number, item_no))
        for m in SESSION.finditer(text):
            session = session_text(m.group(1), m.group(2))
            if session != doc.session:
                found.append((MEETING, session, item_no))
        for m in BOOK_TITLE.finditer(text):
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
        """From (id, title, doc_number, session) of every indexed document, or
        (id, title, doc_number, session, number_aliases)."""
        numbers, bare, sessions, titles = {}, {}, {}, {}
        for doc_id, title, number, session, *rest in documents:
            for spelling in (number, *(rest[0] if rest else ())):
                if spelling:
                    numbers.setdefault(spelling, doc_id)
            if number and "〔" in number:
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
    return resolve(doc.id, cited(doc), registry)


def cited(doc: Document) -> tuple[tuple[str, str, int], ...]:
    """(kind, text, item number) of each thing the document cites, once, at its first
    mention inside an item if any: what :func:`citations` resolves, read from the text
    alone (so that the text can be let go before every document's name is known)."""
    first: dict[tuple[str, str], int] = {}
    for kind, text, item_no in mentions(doc):
        if (kind, text) not in first or (first[(kind, text)] == 0 and item_no):
            first[(kind, text)] = item_no
    return tuple((kind, text, item_no) for (kind, text), item_no in first.items())


def resolve(doc_id: str, found: tuple[tuple[str, str, int], ...], registry: Registry) -> tuple[Citation, ...]:
    """The citations of :func:`cited`'s mentions, with the documents they name; a
    document's mention of itself is dropped."""
    out = []
    for kind, text, item_no in found:
        target = registry.resolve(kind, text)
        if target != doc_id:
            out.append(Citation(kind, text, target, item_no))
    return tuple(out)
