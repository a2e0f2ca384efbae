"""Text shared by the readers: bytes decoded, what a reader returns, and pages laid out at a
width (PDF, OFD, scans) with the lines the width wrapped joined again.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import ParseError
from ..model import OcrPage
from ..patterns import CJK

MAX_FILE_BYTES = 20 * 1024 * 1024


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Recognised:
    """A reader's text when some pages of it were recognised from images."""

    text: str
    ocr_pages: tuple[OcrPage, ...]


_GOOD = re.compile(rf"[{CJK}\u3000-\u303f\uff00-\uffef\u2010-\u206f\x20-\x7e\n\r\t]")


def _share_good(text: str) -> float:
    """How much of the text is Chinese, punctuation or ASCII (not mojibake)."""
    sample = text[:4096]
    return len(_GOOD.findall(sample)) / max(1, len(sample))


def decode(data: bytes, path: str) -> str:
    """Decode text bytes: a BOM (UTF-8, UTF-16) decides; else valid UTF-8 without NUL bytes
    is UTF-8; else charset-normalizer's best reading (GB18030/GBK, UTF-16 without a BOM,
    Big5…), which decoded every text and every 60-character head of the real corpus in
    seven encodings, where our own guesser (UTF-16 by its NUL bytes, else GB18030) missed
    one-line Chinese UTF-16 (scripts/compare_libraries.py; docs/parsing.md, "Files the readers take")."""
    if not data.strip():
        raise ParseError(path, "file is empty")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return _text(data.decode("utf-8-sig"), path)
        except UnicodeDecodeError:
            raise ParseError(path, "cannot decode as UTF-8, UTF-16 or GB18030") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            text = ""
        if _share_good(text) < 0.95:
            raise ParseError(path, "cannot decode as UTF-8, UTF-16 or GB18030")
        return text
    has_nul = b"\x00" in data[:4096]
    if not has_nul:
        try:
            return _text(data.decode("utf-8"), path)
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    text = str(best) if best is not None else ""
    if best is None or _share_good(text) < 0.9:  # a reading that is mostly mojibake is no reading
        if has_nul:
            raise ParseError(path, "binary file (contains NUL bytes), not text")
        raise ParseError(path, "cannot decode as UTF-8, UTF-16 or GB18030")
    return _text(text.lstrip("\ufeff"), path)


def _text(text: str, path: str) -> str:
    if len(_CONTROL.findall(text[:4096])) > 8:
        raise ParseError(path, "binary file (control characters), not text")
    return text


_BLOCK_LINE = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、]|[①-⑳㈠-㈩]"
                         r"|(?:出席|列席|请假|记录|分送|抄送|主送|附件)[：:])")


_STOPS = tuple("。！？；：")


_PAGE_NUMBER = re.compile(r"\n\s*(?:[-—－–]\s*\d{1,3}\s*[-—－–]|第\s*\d{1,3}\s*页(?:\s*[，,/]?\s*共\s*\d{1,3}\s*页)?)\s*$")


_INDENT = (" ", "\u3000")


def join_wrapped(pages: list[str]) -> str:
    """Pages laid out at a width (PDF, OFD), with lines wrapped by the width joined again."""
    # The width of a full line, from every page (a last page may hold three short lines).
    widths = sorted(len(ln.rstrip()) for page in pages for ln in page.split("\n") if ln.strip()) or [0]
    full = widths[int(len(widths) * 0.9)] if len(widths) > 3 else widths[-1]
    indented = sum(1 for page in pages for ln in page.split("\n") if ln.startswith(_INDENT)) >= 2
    # A paragraph that runs on to the next page is joined too: the pages are read as one, without
    # the page numbers printed at their feet (— 2 —).
    return _unwrap("\n".join(_PAGE_NUMBER.sub("", page.rstrip()) for page in pages), full, indented)


def _unwrap(page: str, full: int, indented: bool) -> str:
    """Join a line that runs to the right margin with the next one, unless the
    next starts a new block or a new paragraph. Where the page indents its
    paragraphs, the indent marks them; elsewhere a full line that ends a
    sentence is taken to end its paragraph."""
    lines = page.split("\n")
    out: list[str] = []
    last = ""  # the previous line as laid out on the page
    for line in lines:
        prev = last.rstrip()
        new_paragraph = line.startswith(_INDENT) if indented else prev.endswith(_STOPS)
        if out and len(prev) >= full - 2 and line.strip() and not new_paragraph and not _BLOCK_LINE.match(line):
            out[-1] = out[-1].rstrip() + line.strip()
        else:
            out.append(line)
        last = line
    return "\n".join(out)
