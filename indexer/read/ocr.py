"""Text recognised from page images: scans and photos (.png/.jpg/.tif) and the
pages of PDFs that have no text layer.

The recognizer is RapidOCR (PaddleOCR's PP-OCRv4 Chinese models run by ONNX
Runtime; the models ship inside the ``rapidocr-onnxruntime`` wheel, so nothing
is downloaded at run time) and pypdfium2 renders PDF pages. Recognising takes
seconds a page, so what it read is kept, by the file's bytes, in the index's
``cache/ocr/`` (:func:`use_cache`): a rebuild, or the commit of an upload whose
check read it, does not read the same scan twice. Both come with the
optional ``ocr`` extra (``pip install .[ocr]``); without it, :func:`available`
is false and a scan is refused as needing OCR.

The recognizer gives boxes of text with a score each. This module puts them
back into the page's lines in reading order (correcting a slight skew), marks
the lines that start right of the left margin as indented (a paragraph's first
line, a centred title, a signature), and lets :func:`indexer.read.text.join_wrapped`
join the lines the page width wrapped, as for PDF text. Each page keeps the
recognizer's confidence (its lines' scores weighted by their length).
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import io
import json
import multiprocessing
import os
import re
import threading
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from statistics import median

from .. import settings
from ..errors import ParseError
from ..model import OcrPage
from .text import Recognised, join_wrapped

# PDF pages are rendered at this resolution. Body text (16 pt) reads as well at 100-300 dpi (error
# rate 0.18-0.24% on the samples drawn as scanned PDFs; 100 dpi is fastest, 0.48 pages/s against 0.34),
# but small print does not: 10.5 pt (五号, tables and notes) read at 4.7% at 100 dpi, 4.9% at 150 and
# 0% at 200 (scripts/bench --only ocr; docs/parsing.md, "Scanned documents (OCR)"). The recognizer shrinks any
# page to 2,000 pixels (171 dpi for A4) before it looks for text, so more only costs time.
PDF_DPI = 200
THREADS_ENV = settings.setting("OCR_THREADS").variable
# Part of every cache key: bump it when what a page reads as changes (reading order, tidying).
CACHE_VERSION = 1

_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
_INDENT = "\u3000\u3000"
# The recognizer's commonest slip on speckled pages: a comma seen beside an enumeration comma
# (市应急管理局、，市消防救援支队), which splits a list of departments. Print never doubles them.
_DOUBLED_PAUSE = re.compile(r"([、，,；])[、，,]+")
# A dash between two numbers read as the numeral 一 (2021一2035年): a range, never a one.
_DASH_AS_ONE = re.compile(r"(?<=\d)一(?=\d)")


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
_threads = 0  # 0: every core, unless $MINUTES_OCR_THREADS says
_loaded: tuple[int, object] | None = None  # (the process that loaded it, the recognizer)
# Recognizers a forked process found loaded by its parent: kept, never freed here. Freeing one
# waits for ONNX Runtime's worker threads, which a fork does not copy, and hangs for ever.
_inherited: list = []


def use_threads(threads: int) -> None:
    """How many threads this process's recognizer runs on (0: every core). ``minutes index``
    gives each of its parsing processes one: two processes of one thread read 0.39 pages/s on
    two cores, two of two threads 0.29 (scripts/bench --only ocr)."""
    global _threads, _loaded
    _threads = threads
    if _loaded is not None and _loaded[0] == os.getpid():
        _loaded = None  # loaded here: loaded again with the new count on next use


def _engine():
    """This process's recognizer, loaded on first use (its models take about two seconds)."""
    global _loaded
    if _loaded is not None and _loaded[0] == os.getpid():
        return _loaded[1]
    if _loaded is not None:  # the parent's, copied by a fork: unusable here, and not to be freed
        _inherited.append(_loaded[1])
    from rapidocr_onnxruntime import RapidOCR

    threads = settings.value("OCR_THREADS") or _threads or -1
    _loaded = (os.getpid(), RapidOCR(intra_op_num_threads=threads, inter_op_num_threads=threads))
    return _loaded[1]


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
        lines.append((_INDENT if start - margin > 1.2 * char else "") + _tidy("".join(parts)))
    return lines


def _tidy(line: str) -> str:
    """A line as read, without the recognizer's slips that print never makes."""
    return _DASH_AS_ONE.sub("—", _DOUBLED_PAUSE.sub(r"\1", line))


def confidence(boxes: list[Box]) -> float:
    chars = sum(len(b.text) for b in boxes)
    return round(sum(b.score * len(b.text) for b in boxes) / chars, 4) if chars else 0.0


# --- The cache --------------------------------------------------------------------

_cache: Path | None = None


def use_cache(folder: Path | None) -> None:
    """Keep what is recognised in ``folder`` (None: keep nothing), for this process and the
    processes it forks. ``minutes index``, ``minutes audit`` and uploads use their index's
    ``cache/ocr``."""
    global _cache
    _cache = Path(folder) if folder is not None else None


_apart = False


@contextmanager
def apart():
    """Inside, scans are recognised in a child process that ends with each file: a web worker
    checking an upload then keeps neither the recognizer (about 600 MB resident, 1 GB at its peak
    on a 300 dpi page) nor its threads. Loading it there costs about two seconds a file."""
    global _apart
    before, _apart = _apart, True
    try:
        yield
    finally:
        _apart = before


def _run(read, *args):
    if not _apart:
        return read(*args)
    # Spawned, not forked: a fork of a web worker would copy its open index and its threads' locks.
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as child:
        return child.submit(read, *args).result()


def _cached(data: bytes, read, *args):
    """``read(*args)``'s result for these bytes, from the cache when it holds them."""

    if _cache is None:
        return _run(read, *args)
    key = hashlib.sha256(data).hexdigest()
    file = _cache / key[:2] / f"{key}.json"
    stamp = f"{CACHE_VERSION}/{importlib.metadata.version('rapidocr-onnxruntime')}/{PDF_DPI}"
    try:
        saved = json.loads(file.read_text("utf-8"))
        if saved.get("stamp") == stamp:
            return Recognised(saved["text"], tuple(OcrPage(p, c) for p, c in saved["pages"]))
    except (OSError, ValueError, KeyError, TypeError):
        pass  # not there, or unreadable: read again and write it anew
    result = _run(read, *args)
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp = file.with_name(f".{file.name}.{os.getpid()}")
        tmp.write_text(json.dumps({"stamp": stamp, "text": result.text,
                                   "pages": [[p.page, p.confidence] for p in result.ocr_pages]},
                                  ensure_ascii=False), "utf-8")
        os.replace(tmp, file)  # whole or not at all, whichever process writes it
    except OSError:
        pass  # a read-only index folder: recognise again next time
    return result


# --- Readers ----------------------------------------------------------------------

def image_text(data: bytes, path: str):
    """The text of a scanned or photographed page (a multi-page TIFF: each page)."""
    return _cached(data, _image_text, data, path)


@contextmanager
def open_image(data: bytes, path: str):
    """The image in ``data``, opened by Pillow (walk its frames with :func:`frames`); a
    :class:`ParseError` naming ``path`` and why when it cannot be read, or when it has more pixels
    than ``MINUTES_READ_MAX_PIXELS`` (a decompression bomb: a small file, gigabytes decoded)."""
    import warnings

    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = max_pixels()  # Pillow's own check, at our limit
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                yield image
    except UnidentifiedImageError:  # its message names a BytesIO object
        raise ParseError(path, "not a readable image (damaged, or of a kind Pillow cannot read)") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        pixels = re.search(r"\((\d+) pixels\)", str(e))
        raise ParseError(path, too_many_pixels(int(pixels.group(1)) if pixels else 0)) from None
    except (OSError, ValueError) as e:
        raise ParseError(path, f"not a readable image ({e})") from None


def check_pixels(data: bytes, path: str) -> None:
    """Refuse an image of too many pixels from its header (nothing decoded), when Pillow is there to read it."""
    if importlib.util.find_spec("PIL") is not None:
        with open_image(data, path):
            pass


def max_pixels() -> int:
    """The most pixels an image, or a PDF page rendered for OCR, may have (``MINUTES_READ_MAX_PIXELS``)."""
    return settings.value("READ_MAX_PIXELS")


def too_many_pixels(pixels: int) -> str:
    return f"image is {pixels} pixels, over the limit of {max_pixels()} pixels (refused unread: a decompression bomb?)"


def frames(image, path: str) -> list:
    """Each frame of an image :func:`open_image` opened (a multi-page TIFF: each page), decoded;
    a frame of too many pixels is refused before it is."""
    from PIL import ImageSequence

    pages = []
    for frame in ImageSequence.Iterator(image):
        if frame.width * frame.height > max_pixels():
            raise ParseError(path, too_many_pixels(frame.width * frame.height))
        pages.append(frame.copy())
    return pages


def _image_text(data: bytes, path: str):
    from PIL import ImageOps

    with open_image(data, path) as image:
        pages = [ImageOps.exif_transpose(frame) for frame in frames(image, path)]
    return _recognised([(n, frame) for n, frame in enumerate(pages, 1)], path, "image")


def pdf_pages(data: bytes, path: str, pages: list[str], bare: list[int]):
    """A PDF with pages that have no text layer: ``pages`` as its text layer gave them, the
    pages numbered ``bare`` (1-based) recognised from their images instead."""
    return _cached(data, _pdf_pages, data, path, pages, bare)


def _pdf_pages(data: bytes, path: str, pages: list[str], bare: list[int]):
    import pypdfium2 as pdfium

    def rendered(n: int):
        width, height = pdf[n - 1].get_size()  # its crop box, in points: checked again as pdfium sees it
        if round(width * PDF_DPI / 72) * round(height * PDF_DPI / 72) > max_pixels():
            raise ParseError(path, f"PDF page too large to render for OCR (page {n}: over {max_pixels()} pixels at "
                                   f"{PDF_DPI} dpi)")
        try:
            return pdf[n - 1].render(scale=PDF_DPI / 72, grayscale=True).to_pil()
        except pdfium.PdfiumError as e:
            raise ParseError(path, f"cannot render page {n} of the PDF ({e})") from None

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        raise ParseError(path, f"cannot render the PDF's pages ({e})") from None
    try:  # a page rendered when its turn comes: a 100-page scan at 200 dpi is 400 MB of pixels
        read = {n: (text, page) for n, text, page in _pages((n, rendered(n)) for n in bare)}
    finally:
        pdf.close()
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

    if not any(has_text(text) for text in texts):
        pages = f"{len(texts)} page" + ("s" if len(texts) > 1 else "")
        raise ParseError(path, "PDF has no text layer, and no text was recognised on its " + pages if what == "PDF"
                         else f"no text was recognised in the image ({pages})")
    return Recognised(join_wrapped(texts), ocr_pages)


NEEDS_OCR = "needs OCR (text recognition), which is not installed (pip install '.[ocr]')"
