"""Word .docx files: paragraphs one per line, table cells separated by spaces."""
from __future__ import annotations

import io
import zipfile

from ..errors import ParseError
from .archive import member_xml

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_text(data: bytes, path: str) -> str:
    """Paragraphs of a .docx, one per line; table cells separated by spaces. Its
    ``word/document.xml`` is read within the limits of :mod:`indexer.read.archive`."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            root = member_xml(archive, "word/document.xml", path, ".docx")
    except zipfile.BadZipFile:
        raise ParseError(path, "not a valid .docx file (not a zip archive)") from None
    except KeyError:
        raise ParseError(path, "not a valid .docx file (no word/document.xml)") from None
    body = root.find(f"{_W}body")
    lines: list[str] = []
    for block in body if body is not None else ():
        if block.tag == f"{_W}p":
            lines.append(_docx_paragraph(block))
        elif block.tag == f"{_W}tbl":
            for row in block.iter(f"{_W}tr"):
                cells = [" ".join(_docx_paragraph(p) for p in cell.iter(f"{_W}p")) for cell in row.iter(f"{_W}tc")]
                lines.append(" ".join(c for c in cells if c))
    return "\n".join(lines)


def _docx_paragraph(paragraph) -> str:
    parts = []
    for node in paragraph.iter():
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        elif node.tag == f"{_W}tab":
            parts.append("\t")
        elif node.tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
    return "".join(parts)
