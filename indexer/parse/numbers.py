"""Document numbers as lookup keys: one spelling for the index and the query box.

A number is written many ways — 〔2021〕9号, [2021]9号, （2021）9号, 2021年第9号, with
full-width digits or spaces, with its issuer (国发〔2019〕5号) or without, and a
decree as 国务院令第999号, 中华人民共和国国务院令第999号 or 国令第999号. The index
stores each document's numbers as keys in one field (``number_key``), and a
typed number is looked up by its key, so a number query is one term whatever
the spelling. :func:`key` makes the key; both sides use it.

The parser says which spellings a document has (``doc_number`` and
``number_aliases``); this module only makes them comparable. It does not know
that 国令 means 国务院令: the parser lists that alias.
"""
from __future__ import annotations

import re

from ..normalize import normalize
from ..patterns import DOC_NUMBER
from ..patterns import TYPED_DECREE as _DECREE
from ..patterns import TYPED_YEAR_NUMBER as _YEAR_FIRST

_SPACE = re.compile(r"\s+")


def key(text: str) -> str | None:
    """The lookup key of a number as written, or None when ``text`` is not one
    number: 〔2021〕9号 for "[2021] 9号", 国发〔2019〕5号 for "国发（2019）05号",
    国务院令第999号 for "中华人民共和国国务院令 第999号"."""
    canonical = _SPACE.sub("", normalize(_SPACE.sub("", text)))
    m = DOC_NUMBER.fullmatch(canonical) or _YEAR_FIRST.fullmatch(canonical)
    if m:
        return f"{m.group(1)}〔{m.group(2)}〕{int(m.group(3))}号"
    m = _DECREE.fullmatch(canonical)
    if m:
        return f"{m.group(1)}令第{int(m.group(2) or m.group(3))}号"
    return None


def bare(number_key: str) -> str | None:
    """A year-numbered key without its issuer (国发〔2019〕5号 → 〔2019〕5号): what a
    number typed without issuer looks up; None for decrees and bare keys."""
    m = DOC_NUMBER.fullmatch(number_key)
    if m and m.group(1):
        return f"〔{m.group(2)}〕{m.group(3)}号"
    return None


def document_keys(doc_number: str, aliases: tuple[str, ...] = (), year: int = 0, seq: int = 0) -> tuple[str, ...]:
    """Every key a document is found by: its number and each alias, as keys, and
    the year-numbered ones also without their issuer."""
    keys: dict[str, None] = {}
    for spelling in (doc_number, *aliases):
        k = key(spelling) if spelling else None
        if k:
            keys[k] = None
            if b := bare(k):
                keys[b] = None
    if year and seq:
        keys[f"〔{year}〕{seq}号"] = None
    return tuple(keys)
