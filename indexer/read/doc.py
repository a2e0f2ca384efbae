"""Legacy Word (.doc) and WPS (.wps) files: the text of the main document.

Both are OLE2 compound files (read with ``olefile``) holding a ``WordDocument``
stream; WPS Office writes its .wps files in the same binary format. The text is
found through the file information block (FIB) as [MS-DOC] describes it:

- Word 97 and later: the piece table (``Clx`` in the ``0Table``/``1Table``
  stream) lists where each run of characters lies, as UTF-16 or, when
  "compressed", as one byte per character in Windows-1252;
- Word 6/95 (also what older WPS versions save): 8-bit text in the writer's code
  page, decoded as plain text is (GB18030 for Chinese files): ``ccpText`` bytes at
  ``fcMin`` or, in a fast-saved ("complex") file, the pieces of the same piece table,
  kept in the WordDocument stream itself.

Only the main document is read (``ccpText`` characters): headers, footnotes and
comments follow it in the same stream. Field instructions (``{ PAGE }``) are
dropped and their results kept. Every failure is a :class:`ParseError`.
"""
from __future__ import annotations

import io
import re
import struct

from ..errors import ParseError

_WORD_MAGIC = 0xA5EC
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Marks in Word's text: paragraph end \r, cell/row end \x07, line break \x0b, page/section break \x0c,
# column break \x0e, a non-breaking hyphen \x1e, an optional hyphen \x1f, fields \x13 code \x14 result \x15, and
# anchors of pictures, footnotes and drawings (\x01-\x08 bar \x07); NUL characters, which Word for the Mac
# leaves in a document's text (117 in one of word-extractor's test files), are no text either.
_MARKS = str.maketrans({"\r": "\n", "\x07": " ", "\x0b": "\n", "\x0c": "\n", "\x0e": "\n", "\x1e": "-",
                        "\x1f": None, "\x00": None, "\x01": None, "\x02": None, "\x03": None, "\x04": None,
                        "\x05": None, "\x08": None})
_ROW_END = re.compile(r"\x07{2,}")
_CELLS_END = re.compile(r" +(?=\n|$)")  # empty cells at the end of a row


def doc_text(data: bytes, path: str, decode) -> str:
    """The main text of a .doc or .wps file, one paragraph per line, a table row per
    line with its cells separated by spaces. ``decode`` decodes 8-bit text of Word 6/95 files (see
    :func:`indexer.read.text.decode`)."""
    import olefile

    kind = "WPS" if path.lower().endswith(".wps") else "Word"
    if not data.startswith(_OLE_MAGIC):
        raise ParseError(path, f"not a {kind} document (not an OLE2 compound file"
                               f"{'; a WPS file of the DOS era or WPS 97 is not supported' if kind == 'WPS' else ''})")
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            if not ole.exists("WordDocument"):
                raise ParseError(path, f"not a {kind} document (no WordDocument stream: another Office file?)")
            word = ole.openstream("WordDocument").read()
            ident, fib_version = struct.unpack_from("<HH", word, 0)
            flags = struct.unpack_from("<H", word, 0x0A)[0]
            if ident != _WORD_MAGIC:
                raise ParseError(path, f"not a {kind} document (bad file information block)")
            if flags & 0x0100:
                raise ParseError(path, f"{kind} document is encrypted (password protected)")
            if fib_version < 0xC0:  # Word 6/95 (101-105); Word 97 and later are 193 and up
                return _clean(_word6_text(word, path, decode))
            table_name = "1Table" if flags & 0x0200 else "0Table"
            if not ole.exists(table_name):
                raise ParseError(path, f"damaged {kind} document (no {table_name} stream)")
            table = ole.openstream(table_name).read()
            return _clean(_word97_text(word, table, path))
    except ParseError:
        raise
    except (OSError, struct.error, ValueError, IndexError) as e:  # olefile raises OSError for a damaged file
        raise ParseError(path, f"damaged {kind} document ({e})") from None


def _word97_text(word: bytes, table: bytes, path: str) -> str:
    ccp_text = struct.unpack_from("<i", word, 0x4C)[0]
    fc_clx, lcb_clx = struct.unpack_from("<II", word, 0x1A2)
    if ccp_text < 0 or lcb_clx == 0 or fc_clx + lcb_clx > len(table):
        raise ParseError(path, "damaged Word document (no piece table)")
    parts: list[str] = []
    for fc, length in _pieces(table[fc_clx:fc_clx + lcb_clx], ccp_text, path, "Word"):
        if fc & 0x40000000:  # compressed: one byte a character, Windows-1252
            offset = (fc & 0x3FFFFFFF) // 2
            parts.append(_slice(word, offset, length, path, "Word").decode("cp1252", "replace"))
        else:
            parts.append(_slice(word, fc, 2 * length, path, "Word").decode("utf-16-le", "replace"))
    return "".join(parts)


def _word6_text(word: bytes, path: str, decode) -> str:
    """Word 6/95: the main document's ``ccpText`` bytes, at ``fcMin`` or, in a fast-saved (complex)
    file, where the piece table (``fcClx`` in the WordDocument stream itself) puts them. The
    footnotes, headers and comments that follow the main text in the stream are not read."""
    fc_min, fc_mac = struct.unpack_from("<II", word, 0x18)
    ccp_text = struct.unpack_from("<i", word, 0x34)[0]
    kind = "Word 6/95"
    if struct.unpack_from("<H", word, 0x0A)[0] & 0x0004:  # fComplex: the last save was a fast save
        fc_clx, lcb_clx = struct.unpack_from("<II", word, 0x160)
        if ccp_text < 0 or lcb_clx == 0 or fc_clx + lcb_clx > len(word):
            raise ParseError(path, f"damaged {kind} document (no piece table)")
        text = b"".join(_slice(word, fc, length, path, kind)
                        for fc, length in _pieces(word[fc_clx:fc_clx + lcb_clx], ccp_text, path, kind))
    else:
        if not 0 < fc_min <= fc_mac <= len(word) or not 0 <= ccp_text <= fc_mac - fc_min:
            raise ParseError(path, f"damaged {kind} document (text runs past the end of the file)")
        text = word[fc_min:fc_min + ccp_text]
    return decode(text.replace(b"\x00", b""), path)


def _pieces(clx: bytes, ccp_text: int, path: str, kind: str):
    """The piece table (``Clx``): ``(fc, characters)`` of each piece of the main document, in
    document order, up to ``ccp_text`` characters. The same layout in Word 6/95 and Word 97."""
    pos = 0
    while pos < len(clx) and clx[pos] == 0x01:  # Prc: formatting, skipped
        pos += 3 + struct.unpack_from("<H", clx, pos + 1)[0]
    if pos >= len(clx) or clx[pos] != 0x02:
        raise ParseError(path, f"damaged {kind} document (bad piece table)")
    lcb = struct.unpack_from("<I", clx, pos + 1)[0]
    plc = clx[pos + 5:pos + 5 + lcb]
    count = (len(plc) - 4) // 12  # n+1 character positions, n piece descriptors of 8 bytes
    cps = struct.unpack_from(f"<{count + 1}i", plc, 0)
    for n in range(count):
        start, end = cps[n], min(cps[n + 1], ccp_text)
        if start >= end:
            break
        yield struct.unpack_from("<I", plc, 4 * (count + 1) + 8 * n + 2)[0], end - start


def _slice(word: bytes, offset: int, size: int, path: str, kind: str) -> bytes:
    chunk = word[offset:offset + size]
    if len(chunk) < size:
        raise ParseError(path, f"damaged {kind} document (text runs past the end of the file)")
    return chunk


_FIELD = re.compile(r"\x13[^\x13\x14\x15]*(?:\x14([^\x13\x14\x15]*))?\x15")


def _clean(text: str) -> str:
    """Word's marks as line breaks and tabs; a field's instruction dropped, its result kept."""
    while True:  # innermost fields first: fields nest
        replaced = _FIELD.sub(lambda m: m.group(1) or "", text)
        if replaced == text:
            break
        text = replaced
    text = text.replace("\x13", "").replace("\x14", "").replace("\x15", "")
    # A table cell ends with a cell mark, a row with one more: a run of marks is the row's last cells
    # (empty ones too) and its end. Cells are separated by spaces, as the .docx reader does.
    text = _ROW_END.sub(lambda m: " " * (len(m.group()) - 1) + "\n", text).translate(_MARKS)
    return _CELLS_END.sub("", text)
