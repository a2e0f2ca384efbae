"""Test helpers that write legacy Word (.doc/.wps) and OFD files from the samples' text.

The .doc writer follows [MS-CFB] and [MS-DOC] for the least a reader needs: an OLE2
compound file (512-byte sectors, streams of 4096 bytes or more so no mini stream) with
a ``WordDocument`` stream (file information block, then the text) and a ``1Table``
stream (the piece table). Pieces may be UTF-16 or "compressed" (Windows-1252).
The OFD writer follows GB/T 33190: ``OFD.xml`` → ``Doc_0/Document.xml`` → each page's
``Content.xml`` with one ``TextObject`` (and its ``TextCode``) per line or run.
"""
from __future__ import annotations

import io
import random
import re
import struct
import zipfile

SECTOR = 512
ENDOFCHAIN, FREESECT, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def _pad(data: bytes, size: int) -> bytes:
    return data + b"\0" * (-len(data) % size)


def compound_file(streams: dict[str, bytes]) -> bytes:
    """An OLE2 compound file holding ``streams`` (at most 4 names, each padded to 4096 bytes or more)."""
    names = list(streams)
    body, fat, starts = b"", [], {}
    for name in names:
        data = _pad(streams[name].ljust(4096, b"\0"), SECTOR)
        streams[name] = data
        first = len(body) // SECTOR
        count = len(data) // SECTOR
        starts[name] = first
        fat += [first + i + 1 for i in range(count - 1)] + [ENDOFCHAIN]
        body += data
    dir_sector = len(body) // SECTOR
    fat.append(ENDOFCHAIN)
    # Directory: the root, then the streams as a chain of right siblings (names ordered by length, then name).
    order = sorted(names, key=lambda n: (len(n), n.upper()))
    entries = [_entry("Root Entry", 5, child=1 if names else NOSTREAM, start=ENDOFCHAIN, size=0)]
    for i, name in enumerate(order):
        right = i + 2 if i + 1 < len(order) else NOSTREAM
        entries.append(_entry(name, 2, right=right, start=starts[name], size=len(streams[name])))
    directory = _pad(b"".join(entries), SECTOR)
    body += directory
    fat += [ENDOFCHAIN]  # dir fits one sector (4 entries)
    fat_sector = len(body) // SECTOR
    fat.append(FATSECT)
    fat += [FREESECT] * (-len(fat) % (SECTOR // 4))
    body += struct.pack(f"<{len(fat)}I", *fat)
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\0" * 16, 0x3E, 3, 0xFFFE,
                         9, 6, b"\0" * 6, 0, 1, dir_sector, 0, 4096, ENDOFCHAIN, 0, ENDOFCHAIN, 0)
    difat = [fat_sector] + [FREESECT] * 108
    header += struct.pack("<109I", *difat)
    return header + body


def _entry(name: str, kind: int, *, left=NOSTREAM, right=NOSTREAM, child=NOSTREAM, start: int, size: int) -> bytes:
    raw = (name + "\0").encode("utf-16-le")
    return struct.pack("<64sHBBIII16sIQQIQ", raw, len(raw), kind, 1, left, right, child, b"\0" * 16, 0, 0, 0,
                       start, size)


TEXT_AT = 0x800  # where the text starts in the WordDocument stream


def word97(text: str, *, ascii_compressed: bool = True, field: bool = True) -> bytes:
    """A Word 97 .doc holding ``text`` (lines become paragraphs). Runs of ASCII are
    compressed pieces when ``ascii_compressed``; a hyperlink field wraps the first
    Chinese run of two characters when ``field`` (its instruction is not text)."""
    body = text.replace("\n", "\r") + "\r"
    pieces: list[tuple[str, bool]] = []
    for ch in body:
        compressed = ascii_compressed and ord(ch) < 128
        if pieces and pieces[-1][1] == compressed:
            pieces[-1] = (pieces[-1][0] + ch, compressed)
        else:
            pieces.append((ch, compressed))
    if field:
        for n, (run, compressed) in enumerate(pieces):
            if not compressed and len(run) >= 2:
                pieces[n] = ("\x13 HYPERLINK \"http://example.gov.cn/\" \x14" + run[:2] + "\x15" + run[2:], False)
                break
    stream, cps, fcs, cp = bytearray(TEXT_AT), [0], [], 0
    for run, compressed in pieces:
        if compressed:
            fcs.append((len(stream) * 2) | 0x40000000)
            stream += run.encode("cp1252")
        else:
            fcs.append(len(stream))
            stream += run.encode("utf-16-le")
        cp += len(run)
        cps.append(cp)
    plc = struct.pack(f"<{len(cps)}i", *cps) + b"".join(struct.pack("<HIH", 0, fc, 0) for fc in fcs)
    clx = b"\x02" + struct.pack("<I", len(plc)) + plc
    table = bytes(16) + clx  # the piece table anywhere in the table stream, not at 0
    fib = bytearray(TEXT_AT)
    struct.pack_into("<HHHHH", fib, 0, 0xA5EC, 0x00C1, 0x6A62, 0x0409, 0)
    struct.pack_into("<H", fib, 0x0A, 0x0200 | 0x1000)  # fWhichTblStm (1Table), fExtChar
    struct.pack_into("<II", fib, 0x18, TEXT_AT, len(stream))  # fcMin, fcMac
    struct.pack_into("<H", fib, 0x20, 14)  # csw
    struct.pack_into("<H", fib, 0x3E, 22)  # cslw
    struct.pack_into("<i", fib, 0x40, len(stream))  # cbMac
    struct.pack_into("<i", fib, 0x4C, cp)  # ccpText
    struct.pack_into("<H", fib, 0x98, 0x5D)  # cbRgFcLcb
    struct.pack_into("<II", fib, 0x1A2, 16, len(clx))  # fcClx, lcbClx
    stream[:TEXT_AT] = fib
    return compound_file({"WordDocument": bytes(stream), "1Table": table})


def word6(text: str, encoding: str = "gb18030", *, after: str = "", fast_saved: bool = False) -> bytes:
    """A Word 6/95 .doc (as older WPS versions also save): 8-bit text in the writer's code page,
    ``ccpText`` bytes of main document at ``fcMin``, then ``after`` (a header or footnote story, as
    ``ccpHdd``) up to ``fcMac``. When ``fast_saved``, the file is as Word's fast save leaves it
    (fComplex): the main text's second half was written first, then a stale paragraph no longer in
    the document, then the first half, and a piece table (``fcClx``, in the WordDocument stream)
    puts them in order."""
    encoded = (text.replace("\n", "\r") + "\r").encode(encoding)
    other = after.replace("\n", "\r").encode(encoding) + (b"\r" if after else b"")
    stream = bytearray(TEXT_AT)
    if fast_saved:
        cut = len(text[:len(text) // 2].encode(encoding))  # on a character boundary
        stale = b"A paragraph deleted before the fast save.\r"
        second_at = len(stream)
        stream += encoded[cut:] + stale
        first_at = len(stream)
        stream += encoded[:cut]
        pieces = [(0, cut, first_at), (cut, len(encoded), second_at)]
        if other:
            pieces.append((len(encoded), len(encoded) + len(other), len(stream)))
            stream += other
        cps = [start for start, _, _ in pieces] + [pieces[-1][1]]
        plc = struct.pack(f"<{len(cps)}i", *cps) + b"".join(struct.pack("<HIH", 0, fc, 0) for _, _, fc in pieces)
        clx = b"\x01" + struct.pack("<H", 3) + b"\x00\x00\x00" + b"\x02" + struct.pack("<I", len(plc)) + plc
        fc_clx = len(stream)
        stream += clx
        struct.pack_into("<II", stream, 0x160, fc_clx, len(clx))  # fcClx, lcbClx
    else:
        stream += encoded + other
    struct.pack_into("<HH", stream, 0, 0xA5EC, 0x0065)
    struct.pack_into("<H", stream, 0x0A, 0x0004 if fast_saved else 0)  # fComplex
    struct.pack_into("<II", stream, 0x18, TEXT_AT, TEXT_AT + len(encoded) + len(other))  # fcMin, fcMac
    struct.pack_into("<ii", stream, 0x34, len(encoded), 0)  # ccpText, ccpFtn
    struct.pack_into("<i", stream, 0x3C, len(other))  # ccpHdd
    return compound_file({"WordDocument": bytes(stream)})


# --- OFD ----------------------------------------------------------------------

_OFD = "http://www.ofdspec.org/2016"
LINE_CHARS, LINE_MM, FONT_MM = 34, 7.0, 5.0  # A4 less 20 mm margins: 34 characters of 5 mm


def ofd_document(text: str, *, lines_per_page: int = 30, shuffle: bool = True) -> bytes:
    """An .ofd with ``text`` laid out as an OFD producer does: no space characters, each
    run of visible characters a TextObject placed by position (one character
    FONT_MM wide, so an indent or a gap is an offset); lines wrapped at LINE_CHARS
    characters, except a line laid out with a wide gap (a signature and a date), which
    stays on its line. Text objects are written in shuffled order when ``shuffle``
    (reading order comes from positions, not from the file)."""
    rng = random.Random(7)
    lines: list[str] = []
    for line in text.split("\n"):
        while len(line) > LINE_CHARS and "    " not in line:
            lines.append(line[:LINE_CHARS])
            line = line[LINE_CHARS:]
        lines.append(line)
    pages = [lines[i:i + lines_per_page] for i in range(0, len(lines), lines_per_page)] or [[]]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OFD.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{_OFD}" Version="1.0" '
                              f'DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>x</ofd:DocID></ofd:DocInfo>'
                              f'<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>')
        page_refs = "".join(f'<ofd:Page ID="{n + 10}" BaseLoc="Pages/Page_{n}/Content.xml"/>' for n in range(len(pages)))
        z.writestr("Doc_0/Document.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{_OFD}">'
                                         f'<ofd:CommonData><ofd:MaxUnitID>999</ofd:MaxUnitID><ofd:PageArea>'
                                         f'<ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>'
                                         f'</ofd:CommonData><ofd:Pages>{page_refs}</ofd:Pages></ofd:Document>')
        for n, page in enumerate(pages):
            objects, oid = [], 100
            for row, line in enumerate(page):
                y = 20 + row * LINE_MM
                for run in re.finditer(r"[^ \u3000]+", line):
                    oid += 1
                    x = 20 + run.start() * FONT_MM
                    count = len(run.group())
                    deltas = f' DeltaX="g {count - 1} {FONT_MM:g}"' if count > 1 else ""
                    objects.append(
                        f'<ofd:TextObject ID="{oid}" Boundary="{x:g} {y - FONT_MM:g} {count * FONT_MM:g} {LINE_MM:g}" '
                        f'Font="3" Size="{FONT_MM:g}"><ofd:TextCode X="0" Y="{FONT_MM:g}"{deltas}>'
                        f'{_xml(run.group())}</ofd:TextCode></ofd:TextObject>')
            if shuffle:
                rng.shuffle(objects)
            z.writestr(f"Doc_0/Pages/Page_{n}/Content.xml",
                       f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{_OFD}"><ofd:Content>'
                       f'<ofd:Layer ID="{n + 50}">{"".join(objects)}</ofd:Layer></ofd:Content></ofd:Page>')
    return out.getvalue()


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
