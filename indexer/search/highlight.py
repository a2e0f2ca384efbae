"""Snippets: the sentences of an item that best show why it matched.

The query's terms are located directly in the item's text (no re-tokenizing
of stored text), fragments are cut at Chinese sentence punctuation (a quoted
phrase that runs across a sentence's end keeps the sentences together), and the
result is data: text plus the character spans to highlight. Rendering (HTML
escaping, ``<mark>``) happens at the edge.
"""
from __future__ import annotations

import bisect
import re
import string
from dataclasses import dataclass

from ..patterns import CJK
from ..store import fold

_SENTENCE = re.compile(r"[^。！？；\n]+[。！？；]?")
MAX_FRAGMENT_CHARS = 160
_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_WORD_RUN = re.compile(rf"[{CJK}A-Za-z0-9]+")  # what a quoted phrase is made of; the rest does not count


class PhraseTerm(str):
    """A quoted phrase to highlight. It is found wherever its characters run together
    once punctuation and spaces are set aside, in the text and in the phrase (as the
    search matched it), and the mark covers the text's own span, punctuation inside
    included. Other terms are found as they are written."""

    __slots__ = ()


def _key(text: str) -> str:
    """Width- and ASCII-case-folded, one character for one, so offsets carry over."""
    return fold(text).translate(_LOWER)


def _without_punctuation(text: str) -> tuple[str, list[int], list[int]]:
    """The key of ``text`` with only its word characters, and where each of its runs
    starts in it and in ``text``."""
    runs = list(_WORD_RUN.finditer(text))
    flat_starts, at = [], 0
    for m in runs:
        flat_starts.append(at)
        at += m.end() - m.start()
    return "".join(m.group(0) for m in runs), flat_starts, [m.start() for m in runs]


def _phrase_spans(haystack: str, needle: str) -> list[tuple[int, int]]:
    """Where ``needle``'s word characters run together in ``haystack`` (both keys),
    as spans of ``haystack``."""
    flat_needle = "".join(_WORD_RUN.findall(needle))
    if not flat_needle:
        return []
    flat, flat_starts, starts = _without_punctuation(haystack)

    def original(i: int) -> int:  # the offset in haystack of the i-th word character
        run = bisect.bisect_right(flat_starts, i) - 1
        return starts[run] + i - flat_starts[run]

    found = []
    at = flat.find(flat_needle)
    while at != -1:
        found.append((original(at), original(at + len(flat_needle) - 1) + 1))
        at = flat.find(flat_needle, at + 1)
    return found


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
        if isinstance(term, PhraseTerm):
            found.extend(_phrase_spans(haystack, needle))
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
    """Shorten a long sentence to a window around its first highlight, which it
    shows whole (a long quoted phrase makes the window longer)."""
    if end - start <= MAX_FRAGMENT_CHARS:
        return start, end
    first, first_end = spans[0] if spans else (start, start)
    width = max(MAX_FRAGMENT_CHARS, first_end - first + 40)
    window_start = max(start, min(first - 20, end - width))
    return window_start, min(end, window_start + width)


def _sentences(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The text's sentences as spans; sentences that a highlight runs across are one."""
    out: list[tuple[int, int]] = []
    for m in _SENTENCE.finditer(text):
        start, end = m.start(), m.end()
        if out and any(s < out[-1][1] < e for s, e in spans):
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def snippets(text: str, terms: tuple[str, ...], max_fragments: int = 3) -> tuple[Fragment, ...]:
    """Up to ``max_fragments`` sentences, those with the most distinct terms first,
    returned in text order. Without matches: the text's opening sentence."""
    all_spans = find_spans(text, terms)
    scored = []
    for start, end in _sentences(text, all_spans):
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
