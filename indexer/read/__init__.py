"""Files into text (the first layer): one reader per file type, chosen by suffix.

Plain text in any encoding (:mod:`.text`), web pages and law-database Markdown (:mod:`.html`),
.docx (:mod:`.docx`), legacy .doc/.wps (:mod:`.doc`), OFD (:mod:`.ofd`), PDF (:mod:`.pdf`) and
scans, recognised by OCR when the ``ocr`` extra is installed (:mod:`.ocr`). :func:`read_file`
(:mod:`.files`) is the door: every failure is a :class:`~indexer.errors.ParseError` naming the
file and the reason. Nothing here knows what a document means.
"""
from __future__ import annotations

from .files import (
    IMAGE_SUFFIXES,
    MARKDOWN_SUFFIXES,
    SUPPORTED_SUFFIXES,
    read_file,
    scan_pages,
)
from .text import MAX_FILE_BYTES

__all__ = [
    "IMAGE_SUFFIXES", "MARKDOWN_SUFFIXES", "MAX_FILE_BYTES", "SUPPORTED_SUFFIXES", "read_file", "scan_pages",
]
