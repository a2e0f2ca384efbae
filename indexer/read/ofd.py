"""OFD (GB/T 33190, the national format of electronic official documents): the text
of its pages in reading order.

An .ofd file is a zip of XML: ``OFD.xml`` names each document's ``Document.xml``
(``DocRoot``), which lists its pages (``Pages/Page@BaseLoc``); a page's
``Content.xml`` holds ``TextObject`` elements, each with a ``Boundary`` (x y w h,
in mm) and ``TextCode`` runs with their own X/Y inside it. A file may write its
text objects in any order, so lines are put back together from positions: runs
whose baselines lie within half a character of each other form a line, lines
are read top to bottom and each line left to right.

No maintained package reads OFD text without a PDF renderer (``easyofd`` pulls in
PyMuPDF and converts to PDF); this reader is ours, small, and uses the standard
library only. Every failure is a :class:`ParseError`.
"""
from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass

from .. import settings
from ..errors import ParseError
from .archive import member_xml
from .text import join_wrapped


@dataclass(frozen=True)
class Run:
    """A run of text on a page: where its baseline starts (mm), its character height and
    where it ends (from the glyph advances, ``DeltaX``, when given)."""

    x: float
    y: float
    size: float
    end: float
    text: str


def ofd_text(data: bytes, path: str) -> str:
    """The text of every page of every document in the file, pages separated by a blank
    line, lines wrapped by the page width joined again (as for a PDF)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            pages = [_page_text(_xml(archive, part, path)) for part in _page_parts(archive, path)]
    except zipfile.BadZipFile:
        raise ParseError(path, "not a valid .ofd file (not a zip archive)") from None
    if not pages:
        raise ParseError(path, "not a valid .ofd file (no pages)")
    return join_wrapped(pages)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element, name: str):
    return [e for e in element.iter() if _local(e.tag) == name]


def _xml(archive: zipfile.ZipFile, name: str, path: str):
    """A part, read within the limits of :mod:`indexer.read.archive`."""
    try:
        return member_xml(archive, name, path, ".ofd")
    except KeyError:
        raise ParseError(path, f"not a valid .ofd file (no {name})") from None


def _resolve(base: str, location: str) -> str:
    """A location in the package: absolute (``/Doc_0/...``) or relative to ``base``'s folder."""
    location = location.strip().replace("\\", "/")
    joined = location.lstrip("/") if location.startswith("/") else posixpath.join(posixpath.dirname(base), location)
    return posixpath.normpath(joined)


def _page_parts(archive: zipfile.ZipFile, path: str) -> list[str]:
    root = _xml(archive, "OFD.xml", path)
    parts = []
    for doc_root in _children(root, "DocRoot"):
        document = _resolve("OFD.xml", doc_root.text or "")
        for page in _children(_xml(archive, document, path), "Page"):
            if page.get("BaseLoc"):
                parts.append(_resolve(document, page.get("BaseLoc")))
    if not _children(root, "DocRoot"):
        raise ParseError(path, "not a valid .ofd file (OFD.xml names no DocRoot)")
    if len(parts) > (limit := settings.value("READ_MAX_PAGES")):
        raise ParseError(path, f"OFD has {len(parts)} pages, over the limit of {limit}")
    return parts


def _numbers(value: str | None) -> list[float]:
    try:
        return [float(v) for v in (value or "").split()]
    except ValueError:
        return []


def _advances(value: str | None) -> list[float]:
    """DeltaX: glyph advances, where ``g N V`` stands for N times V."""
    tokens, out = (value or "").split(), []
    i = 0
    try:
        while i < len(tokens):
            if tokens[i] == "g":
                out += [float(tokens[i + 2])] * int(tokens[i + 1])
                i += 3
            else:
                out.append(float(tokens[i]))
                i += 1
    except (ValueError, IndexError):
        return []
    return out


def _runs(page) -> list[Run]:
    runs = []
    for obj in _children(page, "TextObject"):
        box = _numbers(obj.get("Boundary")) or [0.0, 0.0]
        size = (_numbers(obj.get("Size")) or [box[3] if len(box) > 3 else 1.0])[0] or 1.0
        x = y = 0.0
        for code in _children(obj, "TextCode"):
            x = (_numbers(code.get("X")) or [x])[0]  # a TextCode without X or Y continues the previous one
            y = (_numbers(code.get("Y")) or [y])[0]
            text = code.text or ""
            if text:
                advances = _advances(code.get("DeltaX"))
                width = sum(advances[:len(text) - 1]) + size if advances else len(text) * size
                runs.append(Run(box[0] + x, box[1] + y, size, box[0] + x + width, text))
    return runs


def _page_text(page) -> str:
    """Runs grouped into lines by baseline (within half a character height), lines
    top to bottom, runs in a line left to right. Space on the page becomes space in
    the text: a line's indent from the page's left edge of text as full-width spaces
    (paragraph indents), a gap between runs as spaces (a signature beside a date)."""
    runs = _runs(page)
    left = min((r.x for r in runs), default=0.0)
    lines: list[list[Run]] = []
    for run in sorted(runs, key=lambda r: (r.y, r.x)):
        if lines and abs(run.y - lines[-1][0].y) <= lines[-1][0].size / 2:
            lines[-1].append(run)
        else:
            lines.append([run])
    out = []
    for line in lines:
        line.sort(key=lambda r: r.x)
        parts = ["\u3000" * round((line[0].x - left) / line[0].size)]
        for before, run in zip([None, *line], line):
            if before is not None:
                parts.append(" " * max(0, round((run.x - before.end) / run.size)))
            parts.append(run.text)
        out.append("".join(parts))
    return "\n".join(out)
