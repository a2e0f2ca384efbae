"""Hostile files, made small: archives that lie about their size, XML of millions of empty
elements, PDFs of a huge page or of thousands of pages, an image of 400 million pixels
(issue 26, items 4, 5 and 9). Each is written by hand in a few kilobytes."""
from __future__ import annotations

import io
import struct
import zipfile
import zlib

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MIB = 1024 * 1024


def _streamed_zip(members: dict[str, tuple[bytes, bytes, int]]) -> bytes:
    """A zip whose members are ``head + filler * count`` each, written without holding them whole."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, (head, filler, count) in members.items():
            with archive.open(name, "w", force_zip64=True) as member:
                member.write(head)
                for _ in range(count):
                    member.write(filler)
    return out.getvalue()


def declare_size(data: bytes, name: str, size: int) -> bytes:
    """``data`` (a zip) with the central directory declaring ``size`` bytes for member ``name``."""
    out = bytearray(data)
    at = 0
    while (at := out.find(b"PK\x01\x02", at)) >= 0:
        length = struct.unpack("<H", out[at + 28:at + 30])[0]
        if bytes(out[at + 46:at + 46 + length]) == name.encode():
            out[at + 24:at + 28] = struct.pack("<I", size)
        at += 4
    return bytes(out)


def lying_docx(inflated: int = 96 * MIB, declared: int = 5000) -> bytes:
    """A .docx whose word/document.xml declares ``declared`` bytes and inflates to ``inflated``."""
    data = _streamed_zip({"[Content_Types].xml": (b"<Types/>", b"", 0),
                          "word/document.xml": (f'<w:document xmlns:w="{W}">'.encode(), b" " * MIB, inflated // MIB)})
    return declare_size(data, "word/document.xml", declared)


def many_elements_docx(elements: int = 6_800_000) -> bytes:
    """A .docx whose one paragraph holds ``elements`` empty runs (about 60 KB)."""
    head = f'<w:document xmlns:w="{W}"><w:body><w:p>'.encode()
    body = _streamed_zip({"word/document.xml": (head, b"<w:r/>" * 100_000, elements // 100_000)})
    return _append(body, "word/document.xml", b"</w:p></w:body></w:document>")


def _append(data: bytes, name: str, tail: bytes) -> bytes:
    """``data``'s members again, ``tail`` added to ``name`` (the streamed writer cannot add it after)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            with source.open(info) as member, target.open(info.filename, "w", force_zip64=True) as copy:
                while chunk := member.read(MIB):
                    copy.write(chunk)
                if info.filename == name:
                    copy.write(tail)
    return out.getvalue()


def many_elements_ofd(elements: int = 2_000_000) -> bytes:
    """An .ofd whose one page holds ``elements`` empty elements."""
    ofd = b'<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml' \
          b'</ofd:DocRoot></ofd:DocBody></ofd:OFD>'
    document = b'<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Pages><ofd:Page ID="1" ' \
               b'BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>'
    page = _streamed_zip({"Doc_0/Pages/Page_0/Content.xml": (b'<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016">',
                                                             b"<ofd:L/>" * 100_000, elements // 100_000)})
    page = _append(page, "Doc_0/Pages/Page_0/Content.xml", b"</ofd:Page>")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(page)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        target.writestr("OFD.xml", ofd)
        target.writestr("Doc_0/Document.xml", document)
        target.writestr("Doc_0/Pages/Page_0/Content.xml", source.read("Doc_0/Pages/Page_0/Content.xml"))
    return out.getvalue()


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of these object bodies (numbered from 1; the catalog first)."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _stream(head: bytes, data: bytes) -> bytes:
    return head[:-2] + f" /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"


def huge_page_pdf(points: int = 7200) -> bytes:
    """A PDF of one ``points`` × ``points`` pt page showing a 4×4 image over all of it (under 1 KB):
    no text layer, so a scan to render for OCR (at 200 dpi, 20,000 × 20,000 pixels)."""
    content = f"q {points} 0 0 {points} 0 0 cm /Im0 Do Q".encode()
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                 b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                 f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {points} {points}] "
                 f"/Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>".encode(),
                 _stream(b"<< /Type /XObject /Subtype /Image /Width 4 /Height 4 /ColorSpace /DeviceGray "
                         b"/BitsPerComponent 8 /Filter /FlateDecode >>", zlib.compress(b"\xff" * 16)),
                 _stream(b"<< >>", content)])


def many_pages_pdf(pages: int = 20_000) -> bytes:
    """A PDF of ``pages`` empty A4 pages (about 100 bytes a page)."""
    kids = " ".join(f"{n + 3} 0 R" for n in range(pages))
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
                 *[b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * pages])


def huge_png(side: int = 20_000) -> bytes:
    """A black-and-white PNG of ``side`` × ``side`` pixels (about 50 KB)."""
    row = b"\x00" * (1 + (side + 7) // 8)  # filter byte, then the row's bits
    packer = zlib.compressobj(9)
    pixels = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", pixels) + chunk(b"IEND", b""))
