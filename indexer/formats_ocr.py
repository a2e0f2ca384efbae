"""Text recognised from page images: scans and photos (.png/.jpg/.tif) and the
pages of PDFs that have no text layer.

The recognizer is RapidOCR (PaddleOCR's PP-OCRv4 Chinese models run by ONNX
Runtime; the models ship inside the ``rapidocr-onnxruntime`` wheel, so nothing
is downloaded at run time) and pypdfium2 renders PDF pages. Both come with the
optional ``ocr`` extra (``pip install .[ocr]``); without it, :func:`available`
is false and a scan is refused as needing OCR.

The recognizer gives boxes of text with a score each. This module puts them
back into the page's lines in reading order (correcting a slight skew), marks
the lines that start right of the left margin as indented (a paragraph's first
line, a centred title, a signature), and lets :func:`indexer.formats.join_wrapped`
join the lines the page width wrapped, as for PDF text. Each page keeps the
recognizer's confidence (its lines' scores weighted by their length).
"""
from __future__ import annotations

import functools
import importlib.util
import io
import os
import threading
from dataclasses import dataclass
from statistics import median

from .errors import ParseError
from .model import OcrPage

# PDF pages are rendered at this resolution: the samples drawn as scans read as well at 150 dpi
# as at 300 (scripts/bench, "OCR"; README, "Scanned documents"), and the recognizer shrinks any
# page to 2,000 pixels (171 dpi for A4) before it looks for text, so more pixels only cost time.
PDF_DPI = 150
THREADS_ENV = "MINUTES_OCR_THREADS"

_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
_INDENT = "\u3000\u3000"


def available() -> bool:
    """Whether the ``ocr`` extra is installed (checked without importing it)."""
    return all(importlib.util.find_spec(name) is not None
               for name in ("rapidocr_onnxruntime", "pypdfium2", "PIL"))


def is_image(data: bytes) -> bool:
    return data.startswith(_IMAGE_MAGIC)


@dataclass(frozen=True)
class Box:
    """A run of text the recognizer found: its corners (clockwise from the top left), text and score."""

    points: tuple[tuple[float, float], ...]
    text: str
    score: float

    @property
    def left(self) -> float:
        return min(x for x, _ in self.points)

    @property
    def right(self) -> float:
        return max(x for x, _ in self.points)

    @property
    def centre(self) -> tuple[float, float]:
        return (sum(x for x, _ in self.points) / 4, sum(y for _, y in self.points) / 4)

    @property
    def height(self) -> float:
        (_, y0), (_, y1), (_, y2), (_, y3) = self.points[:4]
        return max(1.0, ((y3 - y0) + (y2 - y1)) / 2)

    @property
    def slope(self) -> float:
        (x0, y0), (x1, y1) = self.points[:2]
        return (y1 - y0) / (x1 - x0) if x1 != x0 else 0.0


# --- The recognizer -------------------------------------------------------------

_lock = threading.Lock()


@functools.cache
def _engine():
    """One recognizer per process, loaded on first use (its models take about a second)."""
    from rapidocr_onnxruntime import RapidOCR

    threads = int(os.environ.get(THREADS_ENV) or 0) or -1
    return RapidOCR(intra_op_num_threads=threads, inter_op_num_threads=threads)


def recognise(image) -> list[Box]:
    """The boxes of text on a page image (a PIL image)."""
    import numpy as np

    pixels = np.asarray(image.convert("RGB"))[:, :, ::-1]  # the recognizer takes BGR, as OpenCV does
    with _lock:  # one page at a time per process: the engine keeps state between its steps
        result, _ = _engine()(pixels)
    return [Box(tuple((float(x), float(y)) for x, y in points), text, float(score))
            for points, text, score in (result or []) if text.strip()]


# --- Reading order ----------------------------------------------------------------

def page_lines(boxes: list[Box]) -> list[str]:
    """The page's lines top to bottom, each the boxes on it left to right. A line that starts
    right of the left margin by more than a character begins with two ideographic spaces, the
    way paragraphs are indented (``join_wrapped`` reads them so)."""
    if not boxes:
        return []
    # The page's skew from the long boxes' top edges: a scan turned by 1° moves a line's right
    # end by a line height over 60 characters, enough to put it among the next line's boxes.
    long = [b.slope for b in boxes if b.right - b.left > 4 * b.height]
    slope = median(long) if long else 0.0
    line_height = median(b.height for b in boxes)

    def level(box: Box) -> float:  # the centre's height on the page as if it were straight
        x, y = box.centre
        return y - slope * x

    rows: list[list[Box]] = []
    for box in sorted(boxes, key=level):
        if rows and abs(level(box) - level(rows[-1][-1])) < 0.5 * line_height:
            rows[-1].append(box)
        else:
            rows.append([box])
    char = median((b.right - b.left) / len(b.text) for b in boxes if len(b.text) >= 4) \
        if any(len(b.text) >= 4 for b in boxes) else line_height
    lefts = sorted(min(b.left + slope * b.centre[1] for b in row) for row in rows)
    margin = lefts[len(lefts) // 10]  # the left margin: most lines start there
    lines = []
    for row in rows:
        row.sort(key=lambda b: b.left)
        parts = [row[0].text]
        for before, box in zip(row, row[1:]):
            gap = box.left - before.right
            parts.append(" " * min(8, round(gap / char)) if gap > 1.5 * char else "")
            parts.append(box.text)
        start = row[0].left + slope * row[0].centre[1]
        lines.append((_INDENT if start - margin > 1.2 * char else "") + "".join(parts))
    return lines


def confidence(boxes: list[Box]) -> float:
    chars = sum(len(b.text) for b in boxes)
    return round(sum(b.score * len(b.text) for b in boxes) / chars, 4) if chars else 0.0


# --- Readers ----------------------------------------------------------------------

def image_text(data: bytes, path: str):
    """The text of a scanned or photographed page (a multi-page TIFF: each page)."""
    from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            frames = [ImageOps.exif_transpose(frame.copy()) for frame in ImageSequence.Iterator(image)]
    except UnidentifiedImageError:  # its message names a BytesIO object
        raise ParseError(path, "not a readable image (damaged, or of a kind Pillow cannot read)") from None
    except (OSError, ValueError, Image.DecompressionBombError) as e:
        raise ParseError(path, f"not a readable image ({e})") from None
    return _recognised([(n, frame) for n, frame in enumerate(frames, 1)], path, "image")


def pdf_pages(data: bytes, path: str, pages: list[str], bare: list[int]):
    """A PDF with pages that have no text layer: ``pages`` as its text layer gave them, the
    pages numbered ``bare`` (1-based) recognised from their images instead."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
        try:
            images = [(n, pdf[n - 1].render(scale=PDF_DPI / 72, grayscale=True).to_pil()) for n in bare]
        finally:
            pdf.close()
    except pdfium.PdfiumError as e:
        raise ParseError(path, f"cannot render the PDF's pages ({e})") from None
    read = {n: (text, page) for n, text, page in _pages(images)}
    texts = [read[n][0] if n in read else pages[n - 1] for n in range(1, len(pages) + 1)]
    # A blank page (a cover's back) is not a recognised one.
    return _result(texts, tuple(read[n][1] for n in bare if has_text(read[n][0])), path, "PDF")


def has_text(text: str) -> bool:
    """Whether a page's text layer holds text (not just a page number or a stray mark)."""
    return sum(ch.isalnum() for ch in text) >= 20


def _pages(images):
    for n, image in images:
        boxes = recognise(image)
        yield n, "\n".join(page_lines(boxes)), OcrPage(page=n, confidence=confidence(boxes))


def _recognised(images, path: str, what: str):
    done = list(_pages(images))
    return _result([text for _, text, _ in done], tuple(page for _, _, page in done), path, what)


def _result(texts: list[str], ocr_pages: tuple[OcrPage, ...], path: str, what: str):
    from .formats import Recognised, join_wrapped

    if not any(has_text(text) for text in texts):
        pages = f"{len(texts)} page" + ("s" if len(texts) > 1 else "")
        raise ParseError(path, "PDF has no text layer, and no text was recognised on its " + pages if what == "PDF"
                         else f"no text was recognised in the image ({pages})")
    return Recognised(join_wrapped(texts), ocr_pages)

