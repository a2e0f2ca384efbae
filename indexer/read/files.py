"""Files into text: the reader for each file type, chosen by suffix.

Plain text in any of the encodings staff meet (:mod:`indexer.read.text`), government
web pages and law-database Markdown (:mod:`indexer.read.html`), Word .docx
(:mod:`indexer.read.docx`), legacy Word .doc and WPS .wps (:mod:`indexer.read.doc`),
OFD (:mod:`indexer.read.ofd`), PDF (:mod:`indexer.read.pdf`), and scanned pages
(images, pages of PDFs without a text layer), whose text is recognised by
:mod:`indexer.read.ocr` when the ``ocr`` extra is installed and which are refused
as needing OCR when it is not.

Every failure is a :class:`ParseError` naming the file and the reason. The
encoding is detected from the bytes, never guessed from the file name.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import ParseError
from ..model import OcrPage
from . import ocr
from .doc import doc_text
from .docx import docx_text
from .html import html_text, markdown_text
from .ofd import ofd_text
from .pdf import pdf_text, text_layer
from .text import MAX_FILE_BYTES, Recognised, decode

TEXT_SUFFIXES = {".txt", ".text"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
LEGACY_WORD_SUFFIXES = {".doc", ".wps"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
SUPPORTED_SUFFIXES = (TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES | LEGACY_WORD_SUFFIXES | IMAGE_SUFFIXES
                      | {".docx", ".pdf", ".ofd"})


@dataclass(frozen=True)
class FileText:
    """What a file says, its raw bytes (for the content hash), and which of its pages
    were recognised from images (then the text may hold errors)."""

    text: str
    data: bytes
    ocr_pages: tuple[OcrPage, ...] = ()


def read_file(path: Path) -> FileText:
    """The text of a file, with its raw bytes and the pages recognised by OCR."""
    name = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ParseError(name, f"unsupported file type {suffix or '(none)'}; "
                               f"supported: {', '.join(sorted(SUPPORTED_SUFFIXES))}")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ParseError(name, f"file is {size} bytes, over the {MAX_FILE_BYTES} byte limit")
        data = path.read_bytes()
    except OSError as e:
        raise ParseError(name, f"cannot read file: {e.strerror or e}") from None
    if not data.strip():
        raise ParseError(name, "file is empty")
    reader = READERS.get(suffix)
    if reader is not None:
        read = reader(data, name)
        if isinstance(read, Recognised):
            return FileText(read.text, data, read.ocr_pages)
        return FileText(read, data)
    text = decode(data, name)
    if suffix in HTML_SUFFIXES:
        text = html_text(text)
    elif suffix in MARKDOWN_SUFFIXES:
        text = markdown_text(text)
    return FileText(text, data)


# --- Binary formats: each a reader (bytes, path) -> text ---------------------

def _doc(data: bytes, path: str) -> str:
    return doc_text(data, path, decode)


def _image(data: bytes, path: str) -> Recognised:
    """A page photographed or scanned: its text recognised (:mod:`indexer.read.ocr`),
    else refused as needing OCR."""
    if not ocr.is_image(data):
        raise ParseError(path, "not an image file (not PNG, JPEG or TIFF)")
    ocr.check_pixels(data, path)  # too many pixels is the first reason, with or without OCR
    if not ocr.available():
        raise ParseError(path, f"scanned image: {ocr.NEEDS_OCR}")
    return ocr.image_text(data, path)


READERS = {".docx": docx_text, ".pdf": pdf_text, ".doc": _doc, ".wps": _doc, ".ofd": ofd_text,
           **{suffix: _image for suffix in IMAGE_SUFFIXES}}


def scan_pages(data: bytes, suffix: str) -> int:
    """How many pages of a file would be recognised from their images (0 when none, or when
    the file cannot be read: reading it says why)."""
    try:
        if suffix.lower() == ".pdf":
            return len(text_layer(data, "")[1])
        if suffix.lower() in IMAGE_SUFFIXES:
            with ocr.open_image(data, "") as image:
                return getattr(image, "n_frames", 1)
    except (ParseError, ImportError, OSError, ValueError):
        return 0
    return 0
