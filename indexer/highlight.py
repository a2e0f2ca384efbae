"""Snippets: the sentences of an item that best show why it matched.

The query's terms are located directly in the item's text (no re-tokenizing
of stored text), fragments are cut at Chinese sentence punctuation, and the
result is data: text plus the character spans to highlight. Rendering (HTML
escaping, ``<mark>``) happens at the edge.
"""
from __future__ import annotations

import re
import string
from dataclasses import dataclass

from .analysis import fold

_SENTENCE = re.compile(r"[^。！？；\n]+[。！？；]?")
MAX_FRAGMENT_CHARS = 160
_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def _key(text: str) -> str:
    """Width- and ASCII-case-folded, one character for one, so offsets carry over."""
    return fold(text).translate(_LOWER)


@dataclass(frozen=True)
class Fragment:
    text: str
    highlights: tuple[tuple[int, int], ...]  # [start, end) offsets into text


def find_spans(text: str, terms: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where any term occurs (case- and width-insensitive), overlaps merged."""
    haystack = _key(text)
    found = []
    for term in terms:
        needle = _key(term)
        if not needle:
            continue
        start = haystack.find(needle)
        while start != -1:
            found.append((start, start + len(needle)))
            start = haystack.find(needle, start + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _trim(start: int, end: int, spans: list[tuple[int, int]]) -> tuple[int, int]:
    """Shorten a long sentence to a window around its first highlight."""
    if end - start <= MAX_FRAGMENT_CHARS:
        return start, end
    first = spans[0][0] if spans else start
    window_start = max(start, min(first - 20, end - MAX_FRAGMENT_CHARS))
    return window_start, window_start + MAX_FRAGMENT_CHARS


def snippets(text: str, terms: tuple[str, ...], max_fragments: int = 3) -> tuple[Fragment, ...]:
    """Up to ``max_fragments`` sentences, those with the most distinct terms first,
    returned in text order. Without matches: the text's opening sentence."""
    all_spans = find_spans(text, terms)
    scored = []
    for m in _SENTENCE.finditer(text):
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        inside = [(s, e) for s, e in all_spans if s >= start and e <= end]
        if start < end:
            distinct = len({_key(text[s:e]) for s, e in inside})
            scored.append((distinct, start, end, inside))
    if not scored:
        return ()
    best = sorted((s for s in scored if s[0] > 0), key=lambda s: (-s[0], s[1]))[:max_fragments]
    if not best:
        best = scored[:1]
    fragments = []
    for _, start, end, inside in sorted(best, key=lambda s: s[1]):
        start, end = _trim(start, end, inside)
        spans = tuple((max(s, start) - start, min(e, end) - start) for s, e in inside if e > start and s < end)
        fragments.append(Fragment(text[start:end], spans))
    return tuple(fragments)


def highlight_all(text: str, terms: tuple[str, ...]) -> Fragment:
    """The whole text as one fragment, every occurrence of the terms marked."""
    return Fragment(text, tuple(find_spans(text, terms)))
