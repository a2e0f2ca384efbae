"""PDF files: the text layer, with lines wrapped by the page width joined again.

Pages without a text layer are scans: recognised by :mod:`indexer.read.ocr` when the ``ocr``
extra is installed, else the PDF is refused as needing OCR.
"""
from __future__ import annotations

import io
import re

from .. import settings
from ..errors import ParseError
from ..patterns import CJK
from . import ocr
from .ocr import NEEDS_OCR, has_text
from .text import Recognised, join_wrapped


def pdf_text(data: bytes, path: str) -> str | Recognised:
    """The text layer of a PDF, with lines wrapped by the page width joined again. Pages
    without one are scans: where the whole PDF has no text, or a page without text holds an
    image, those pages are recognised (:mod:`indexer.read.ocr`), else the PDF is refused
    as needing OCR."""
    pages, bare = text_layer(data, path)
    if bare and ocr.available():
        return ocr.pdf_pages(data, path, pages, bare)
    if len(re.findall(rf"[{CJK}A-Za-z0-9]", "".join(pages))) < 20:
        raise ParseError(path, f"PDF has no text layer (a scan?): {NEEDS_OCR}")
    return join_wrapped(pages)


def text_layer(data: bytes, path: str) -> tuple[list[str], list[int]]:
    """The text layer of each page, and the pages (1-based) that are scans."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ParseError(path, "PDF is encrypted")
        _check_pages(reader, path)
        pages = [page.extract_text() or "" for page in reader.pages]
        bare = [n for n, text in enumerate(pages, 1) if not has_text(text)]
        if len(bare) < len(pages):  # some text: a page without is a scan only if it shows an image
            bare = [n for n in bare if _has_image(reader.pages[n - 1])]
        for n in bare:  # each to be rendered for OCR: refused unrendered when too large
            _check_pixels(reader.pages[n - 1], n, path)
    except ParseError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError) as e:
        raise ParseError(path, f"not a readable PDF ({e})") from None
    if not pages:
        raise ParseError(path, "PDF has no pages")
    return pages, bare


def _check_pages(reader, path: str) -> None:
    """Refuse a PDF of more pages than ``MINUTES_READ_MAX_PAGES``: first as its page tree declares
    them (read in microseconds; pypdf takes 7 s to walk 20,000 pages), then as they are."""
    limit = settings.value("READ_MAX_PAGES")
    declared = reader.trailer["/Root"]["/Pages"].get("/Count", 0)
    count = declared if isinstance(declared, int) and declared > limit else len(reader.pages)
    if count > limit:
        raise ParseError(path, f"PDF has {count} pages, over the limit of {limit}")


def _check_pixels(page, n: int, path: str) -> None:
    """Refuse a page whose rendering for OCR would have more pixels than the limit (a 696-byte PDF
    of one 7200-point page renders to 400 million: gigabytes)."""
    width, height = (float(abs(side)) * float(page.user_unit or 1) for side in (page.mediabox.width, page.mediabox.height))
    pixels = round(width * ocr.PDF_DPI / 72) * round(height * ocr.PDF_DPI / 72)
    if pixels > ocr.max_pixels():
        raise ParseError(path, f"PDF page too large to render for OCR (page {n}, {width:.0f} × {height:.0f} pt: "
                               f"{pixels} pixels at {ocr.PDF_DPI} dpi, over the limit of {ocr.max_pixels()})")


def _has_image(page) -> bool:
    resources = page.get("/Resources")
    xobjects = resources.get_object().get("/XObject") if resources is not None else None
    if xobjects is None:
        return False
    return any(x.get_object().get("/Subtype") == "/Image" for x in xobjects.get_object().values())
