"""The query box's language, parsed into Whoosh queries.

- plain words: every word must match, in the item's text or titles; a word
  matches either by its jieba words or as an exact run of characters (bigram
  phrase), so it is found whatever the segmentation of the text was;
- "exact phrase" (ASCII or Chinese quotes): the characters in that order;
- ``-word`` or ``-"phrase"``: exclude;
- ``a OR b``: either;
- document numbers (〔2021〕9号, [2021]9号, 示府发〔2021〕20号) and sessions
  (第128次常务会议) also match the document's number or session exactly.

The parser returns a :class:`ParsedQuery`: the Whoosh query and the terms to
highlight.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from whoosh import query as wq

from .analysis import bigrams, fold, words
from .normalize import normalize

_TOKEN = re.compile(r'(-?)(?:"([^"]*)"?|“([^”]*)”?|(\S+))')
_DOC_NUMBER = re.compile(r"^([\u4e00-\u9fff]{0,12})〔(\d{4})〕(\d+)号$")
_SESSION = re.compile(r"^第(\d+)次(常务会议|专题会议|办公会议|全体会议)?$")
TEXT_FIELDS = ("body", "item_title", "doc_title")


@dataclass(frozen=True)
class ParsedQuery:
    query: wq.Query
    terms: tuple[str, ...]  # what to highlight, longest first
    is_empty: bool


def _all(field: str, tokens: list[str]) -> wq.Query | None:
    if not tokens:
        return None
    if len(tokens) == 1:
        return wq.Term(field, tokens[0])
    return wq.And([wq.Term(field, t) for t in tokens])


def _phrase(field: str, tokens: list[str]) -> wq.Query | None:
    if not tokens:
        return None
    if len(tokens) == 1:
        return wq.Term(field, tokens[0])
    return wq.Phrase(field, tokens)


def is_reference(word: str) -> bool:
    """A document number or a meeting session, which match as a whole."""
    canonical = normalize(word).strip()
    return bool(_DOC_NUMBER.match(canonical) or _SESSION.match(canonical))


def _word_query(word: str) -> wq.Query | None:
    tokens = words(word)
    clauses = [_all(f, tokens) for f in TEXT_FIELDS]
    clauses.append(_phrase("body_bigram", bigrams(word)))
    canonical = normalize(word).strip()
    m = _DOC_NUMBER.match(canonical)
    if m:
        number = f"〔{m.group(2)}〕{m.group(3)}号"
        clauses.append(wq.Term("doc_number", canonical) if m.group(1) else wq.Wildcard("doc_number", f"*{number}"))
    m = _SESSION.match(canonical)
    if m:
        clauses.append(wq.Prefix("session", f"第{int(m.group(1))}次{m.group(2) or ''}"))
    clauses = [c for c in clauses if c is not None]
    return wq.Or(clauses) if clauses else None


def _phrase_query(text: str) -> wq.Query | None:
    tokens = words(text)
    clauses = [_phrase(f, tokens) for f in TEXT_FIELDS]
    clauses.append(_phrase("body_bigram", bigrams(text)))
    clauses = [c for c in clauses if c is not None]
    return wq.Or(clauses) if clauses else None


def parse_query(text: str) -> ParsedQuery:
    """Parse the query box's text; an empty or all-punctuation query matches everything."""
    must: list[list[wq.Query]] = []  # each inner list is OR-ed: "a OR b" is one group
    must_not: list[wq.Query] = []
    highlight: list[str] = []
    join_next = False
    for m in _TOKEN.finditer(fold(text)):
        negate, quoted_a, quoted_b, bare = m.groups()
        if bare == "OR" and not negate:
            join_next = bool(must)
            continue
        phrase = quoted_a if quoted_a is not None else quoted_b
        q = _phrase_query(phrase) if phrase is not None else _word_query(bare)
        if q is None:
            continue
        if negate:
            must_not.append(q)
            continue
        term = (phrase if phrase is not None else bare).strip()
        highlight.append(term)
        if phrase is None and not is_reference(term):
            highlight.extend(words(term))
        if join_next:
            must[-1].append(q)
        else:
            must.append([q])
        join_next = False
    positives = [group[0] if len(group) == 1 else wq.Or(group) for group in must]
    if not positives:
        base: wq.Query = wq.Every()
    elif len(positives) == 1:
        base = positives[0]
    else:
        base = wq.And(positives)
    if must_not:
        base = wq.AndNot(base, wq.Or(must_not))
    terms = tuple(sorted({t for t in highlight if t}, key=len, reverse=True))
    return ParsedQuery(query=base, terms=terms, is_empty=not positives and not must_not)


def highlight_terms(text: str) -> tuple[str, ...]:
    """The terms a query's hits should show highlighted."""
    return parse_query(text).terms if text.strip() else ()
