"""Files into text: plain text in any of the encodings staff meet, government
web pages (main text only), Word .docx, legacy Word .doc and WPS .wps
(:mod:`indexer.formats_doc`), OFD (:mod:`indexer.formats_ofd`), PDF, and
scanned pages (images, pages of PDFs without a text layer), whose text is
recognised by :mod:`indexer.formats_ocr` when the ``ocr`` extra is installed
and which are refused as needing OCR when it is not.

Every failure is a :class:`ParseError` naming the file and the reason. The
encoding is detected from the bytes, never guessed from the file name.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

from .errors import ParseError
from .model import OcrPage
from .normalize import CJK

MAX_FILE_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
LEGACY_WORD_SUFFIXES = {".doc", ".wps"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
SUPPORTED_SUFFIXES = (TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES | LEGACY_WORD_SUFFIXES | IMAGE_SUFFIXES
                      | {".docx", ".pdf", ".ofd"})

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class FileText:
    """What a file says, its raw bytes (for the content hash), and which of its pages
    were recognised from images (then the text may hold errors)."""

    text: str
    data: bytes
    ocr_pages: tuple[OcrPage, ...] = ()


@dataclass(frozen=True)
class Recognised:
    """A reader's text when some pages of it were recognised from images."""

    text: str
    ocr_pages: tuple[OcrPage, ...]


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
    one-line Chinese UTF-16 (scripts/compare_libraries.py; README, "Well-kept libraries")."""
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


# --- HTML -------------------------------------------------------------------

_VOID = {"br", "img", "meta", "link", "input", "hr", "area", "base", "col", "embed", "source", "wbr", "param"}
_DROP = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "select", "button",
         "iframe", "head", "template", "svg"}
_BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "main",
          "table", "ul", "ol", "dd", "dt", "pre", "blockquote", "center", "td", "font"}
_CONTENT_HINT = re.compile(r"article|content|zoom|trs_editor|main|detail|text|zw|con\b", re.I)
_CJK_CHAR = re.compile(rf"[{CJK}]")


class _Node:
    __slots__ = ("tag", "attrs", "children")

    def __init__(self, tag: str, attrs: dict[str, str]):
        self.tag = tag
        self.attrs = attrs
        self.children: list[_Node | str] = []

    def text(self) -> str:
        parts: list[str] = []
        self._collect(parts)
        return "".join(parts)

    def _collect(self, parts: list[str]) -> None:
        block = self.tag in _BLOCK
        if block:
            parts.append("\n")
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            else:
                child._collect(parts)
        if block:
            parts.append("\n")

    def walk(self):
        yield self
        for child in self.children:
            if isinstance(child, _Node):
                yield from child.walk()


class _TreeBuilder(HTMLParser):
    """A forgiving DOM: unclosed and stray tags never fail, dropped tags vanish."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Node("root", {})
        self.stack = [self.root]
        self.dropping = 0

    def handle_starttag(self, tag, attrs):
        if tag in _DROP:
            if tag not in _VOID:
                self.dropping += 1
            return
        if self.dropping:
            return
        node = _Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_endtag(self, tag):
        if tag in _DROP:
            self.dropping = max(0, self.dropping - 1)
            return
        if self.dropping:
            return
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if not self.dropping:
            self.stack[-1].children.append(data)


def html_text(markup: str) -> str:
    """The main text of a page: navigation, scripts and chrome dropped; the
    content container (article, main, or a div whose id/class says content)
    preferred when it holds most of the page's Chinese text."""
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    root = builder.root
    total = _prose(root)
    best, best_count = root, total
    for node in root.walk():
        hint = node.tag in ("article", "main") or _CONTENT_HINT.search(
            node.attrs.get("id", "") + " " + node.attrs.get("class", ""))
        if node is root or not hint:
            continue
        count = _prose(node)
        if count >= 0.5 * total and (best is root or count <= best_count):
            best, best_count = node, count  # the smallest container that holds most of the text
    text = best.text()
    if best is not root:
        # The title often stands in a heading outside the content container.
        # Only headings above the container (a related-documents box below it has its own), each once
        # (a container before what it contains: an <h1> in a title box is not added again), and not
        # the container's own first line.
        headings: list[str] = []
        for node in root.walk():
            if node is best:
                break
            if _is_heading(node) and not _contains(node, best):
                heading = node.text().strip()
                if heading and not text.lstrip().startswith(heading) and not any(heading in h for h in headings):
                    headings.append(heading)
        text = "\n".join(headings) + "\n" + text
    return text


def _prose(node: _Node) -> int:
    """Chinese characters of the node's text outside links: a list of related documents'
    titles beside a short text is links, and must not outweigh it."""
    count = 0
    for child in node.children:
        if isinstance(child, str):
            count += len(_CJK_CHAR.findall(child))
        elif child.tag != "a":
            count += _prose(child)
    return count


def _is_heading(node: _Node) -> bool:
    return node.tag in ("h1", "h2", "h3") or "title" in (node.attrs.get("class", "") + node.attrs.get("id", "")).lower()


def _contains(container: _Node, node: _Node) -> bool:
    return any(n is node for n in container.walk())


# --- Markdown ---------------------------------------------------------------

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_MD_COMMENT = re.compile(r"<!--.*?-->", re.S)
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|`)(?=\S)(.+?)(?<=\S)\1")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_QUOTE_OR_LIST = re.compile(r"^\s{0,3}(?:>\s?|[-*+]\s+(?=\S))")
_MD_RULE = re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$")


def markdown_text(markup: str) -> str:
    """Markdown as laws databases write it (``# title``, header lines, an
    ``<!-- INFO END -->`` marker, ``##`` chapters): the markup stripped, one
    line per line, so headings and header lines keep their own lines."""
    markup = _MD_COMMENT.sub("\n", markup)
    lines = []
    for line in markup.split("\n"):
        if _MD_RULE.match(line):
            lines.append("")
            continue
        heading = _MD_HEADING.match(line)
        if heading:
            line = heading.group(1)
        line = _MD_QUOTE_OR_LIST.sub("", line)
        line = _MD_LINK.sub(lambda m: m.group(1), line)
        line = _MD_EMPHASIS.sub(lambda m: m.group(2), line)
        lines.append(line.replace("\\", ""))
    return "\n".join(lines)


# --- Binary formats: each a reader (bytes, path) -> text ---------------------

def _doc(data: bytes, path: str) -> str:
    from .formats_doc import doc_text
    return doc_text(data, path, decode)


def _ofd(data: bytes, path: str) -> str:
    from .formats_ofd import ofd_text
    return ofd_text(data, path)


NEEDS_OCR = "needs OCR (text recognition), which is not installed (pip install '.[ocr]')"


def image_text(data: bytes, path: str) -> Recognised:
    """A page photographed or scanned: its text recognised (:mod:`indexer.formats_ocr`),
    else refused as needing OCR."""
    from . import formats_ocr

    if not formats_ocr.is_image(data):
        raise ParseError(path, "not an image file (not PNG, JPEG or TIFF)")
    if not formats_ocr.available():
        raise ParseError(path, f"scanned image: {NEEDS_OCR}")
    return formats_ocr.image_text(data, path)


# --- Word -------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_text(data: bytes, path: str) -> str:
    """Paragraphs of a .docx, one per line; table cells separated by spaces."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            size = archive.getinfo("word/document.xml").file_size
            if size > MAX_FILE_BYTES * 2:  # a zip bomb, or a document no one could read
                raise ParseError(path, f"not a valid .docx file (word/document.xml expands to {size} bytes)")
            xml = archive.read("word/document.xml")
    except zipfile.BadZipFile:
        raise ParseError(path, "not a valid .docx file (not a zip archive)") from None
    except KeyError:
        raise ParseError(path, "not a valid .docx file (no word/document.xml)") from None
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError as e:
        raise ParseError(path, f"not a valid .docx file (document.xml: {e})") from None
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


# --- PDF --------------------------------------------------------------------

_BLOCK_LINE = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、]|[①-⑳㈠-㈩]"
                         r"|(?:出席|列席|请假|记录|分送|抄送|主送|附件)[：:])")


_STOPS = tuple("。！？；：")
_PAGE_NUMBER = re.compile(r"\n\s*(?:[-—－–]\s*\d{1,3}\s*[-—－–]|第\s*\d{1,3}\s*页(?:\s*[，,/]?\s*共\s*\d{1,3}\s*页)?)\s*$")
_INDENT = (" ", "\u3000")


def pdf_text(data: bytes, path: str) -> str | Recognised:
    """The text layer of a PDF, with lines wrapped by the page width joined again. Pages
    without one are scans: where the whole PDF has no text, or a page without text holds an
    image, those pages are recognised (:mod:`indexer.formats_ocr`), else the PDF is refused
    as needing OCR."""
    from . import formats_ocr

    pages, bare = _pdf_layer(data, path)
    if bare and formats_ocr.available():
        return formats_ocr.pdf_pages(data, path, pages, bare)
    if len(re.findall(rf"[{CJK}A-Za-z0-9]", "".join(pages))) < 20:
        raise ParseError(path, f"PDF has no text layer (a scan?): {NEEDS_OCR}")
    return join_wrapped(pages)


def _pdf_layer(data: bytes, path: str) -> tuple[list[str], list[int]]:
    """The text layer of each page, and the pages (1-based) that are scans."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    from .formats_ocr import has_text

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ParseError(path, "PDF is encrypted")
        pages = [page.extract_text() or "" for page in reader.pages]
        bare = [n for n, text in enumerate(pages, 1) if not has_text(text)]
        if len(bare) < len(pages):  # some text: a page without is a scan only if it shows an image
            bare = [n for n in bare if _has_image(reader.pages[n - 1])]
    except ParseError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError) as e:
        raise ParseError(path, f"not a readable PDF ({e})") from None
    if not pages:
        raise ParseError(path, "PDF has no pages")
    return pages, bare


def scan_pages(data: bytes, suffix: str) -> int:
    """How many pages of a file would be recognised from their images (0 when none, or when
    the file cannot be read: reading it says why)."""
    try:
        if suffix.lower() == ".pdf":
            return len(_pdf_layer(data, "")[1])
        if suffix.lower() in IMAGE_SUFFIXES:
            from PIL import Image

            with Image.open(io.BytesIO(data)) as image:
                return getattr(image, "n_frames", 1)
    except (ParseError, ImportError, OSError, ValueError):
        return 0
    return 0


def _has_image(page) -> bool:
    resources = page.get("/Resources")
    xobjects = resources.get_object().get("/XObject") if resources is not None else None
    if xobjects is None:
        return False
    return any(x.get_object().get("/Subtype") == "/Image" for x in xobjects.get_object().values())


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


READERS = {".docx": docx_text, ".pdf": pdf_text, ".doc": _doc, ".wps": _doc, ".ofd": _ofd,
           **{suffix: image_text for suffix in IMAGE_SUFFIXES}}
