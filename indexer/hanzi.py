"""Traditional characters read as simplified, one character for one.

Minutes are published in traditional characters too (常務會議, 區政府, 紀要如下), often on mirror
sites. The parser's patterns, the gazetteer and jieba's dictionary are simplified, and users type
either script; so the analyzers, the queries, the highlighter and the parser all read text through
:func:`simplified`, the one fold of scripts, while the original text is what is stored and shown.

The fold keeps the text's length and every character's place, so an offset into the folded text is
an offset into the original: a highlight found in the fold marks the original's characters, and a
span the parser found in the fold cuts the original. OpenCC's ``t2s`` converts words in context
(乾隆 stays 乾隆, 乾燥 becomes 干燥); where a conversion would change a line's length, that line is
converted one character at a time instead, and a character whose own conversion is longer stays as
it is.

The converter is OpenCC's official binding (the ``opencc`` package: its C++ library in a prebuilt
wheel). Measured on 530,000 characters of minutes (best of three): about 70 million characters per
second on simplified text and 20 million on traditional, against 0.8 and 0.5 million for the pure
Python ``opencc-python-reimplemented``. Its version is part of the analyzer's fingerprint
(:data:`CONVERTER`): another version may convert differently, so an index built with it is rebuilt.
"""
from __future__ import annotations

import re
from functools import lru_cache

import opencc

CONVERTER = f"opencc-{opencc.__version__}-t2s"

_T2S = opencc.OpenCC("t2s")
_LINE = re.compile(r"[^\n]*\n?")


def simplified(text: str) -> str:
    """``text`` with traditional characters as simplified, the same length, each character in
    its own place (``len(simplified(t)) == len(t)`` for every string)."""
    if text.isascii():
        return text
    out = _T2S.convert(text)
    if len(out) == len(text):
        return out
    return "".join(_line(m.group()) for m in _LINE.finditer(text) if m.group())


def _line(text: str) -> str:
    out = _T2S.convert(text)
    return out if len(out) == len(text) else "".join(map(_char, text))


@lru_cache(maxsize=4096)
def _char(c: str) -> str:
    out = _T2S.convert(c)
    return out if len(out) == 1 else c


TRADITIONAL_SHARE = 0.05  # of a text's ideographs the fold changes: 30-40% in traditional text, 0-0.1% in simplified


def looks_traditional(text: str) -> bool:
    """Whether ``text`` is written in traditional characters: at least :data:`TRADITIONAL_SHARE`
    of its ideographs are changed by the fold. A simplified text with a variant or two (a name
    written 王颺, 乾坤) is not: the parser reads it as it is, and its names stay as written."""
    folded = simplified(text)
    if folded == text:
        return False
    changed = sum(a != b for a, b in zip(text, folded))
    return changed >= TRADITIONAL_SHARE * len(_IDEOGRAPH.findall(text))


# What the fold can change: CJK ideographs (the basic block, extension A, compatibility, the planes beyond).
_IDEOGRAPH = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_LOOKAHEAD = 64  # ideographs a derived text may have dropped in a row


def unfold(derived: str, original: str) -> str:
    """``derived`` (a text made from ``simplified(original)`` by steps that insert, drop or change
    other characters: spaces, punctuation, line breaks, widths) with the original's ideographs put
    back, one for one: the same length as ``derived``. Its ideographs are matched in order against
    the fold's, skipping the few a step dropped; one matched nowhere near stays as it is."""
    folded = simplified(original)
    if folded == original:
        return derived
    places = [m.start() for m in _IDEOGRAPH.finditer(folded)]
    out, j = list(derived), 0
    for m in _IDEOGRAPH.finditer(derived):
        c = m.group()
        k = next((k for k in range(j, min(j + _LOOKAHEAD, len(places))) if folded[places[k]] == c), -1)
        if k >= 0:
            out[m.start()] = original[places[k]]
            j = k + 1
    return "".join(out)
