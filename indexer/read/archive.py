"""XML parts of zip packages (.docx, .ofd), read within limits.

A zip's central directory declares each member's size, and nothing makes it tell the truth:
a member that declares 5,000 bytes may inflate to a gigabyte, and ``ZipFile.read`` inflates a
whole compressed block before it cuts the result to the declared size (7.9 s and 2.2 GB for one
upload, issue 26). So a part is streamed in small reads and refused as soon as more than
``MINUTES_READ_MAX_PART_BYTES`` came out; a member whose stream and declared size disagree then
fails its CRC check, also in small reads. Before the tree is built, its tags are counted (a
byte count, at C speed): a part of more than ``MINUTES_READ_MAX_XML_ELEMENTS`` elements (millions
of empty elements compress to almost nothing) is refused unparsed. Every refusal is a
:class:`ParseError` naming the file, the part and the limit.
"""
from __future__ import annotations

import zipfile
import zlib
from xml.etree import ElementTree

from .. import settings
from ..errors import ParseError

CHUNK_BYTES = 64 * 1024  # one read of a member: what inflating it may produce at a time


def max_part_bytes() -> int:
    return settings.value("READ_MAX_PART_BYTES")


def max_elements() -> int:
    return settings.value("READ_MAX_XML_ELEMENTS")


def member_bytes(archive: zipfile.ZipFile, name: str, path: str, kind: str) -> bytes:
    """The bytes of ``name`` inflated, at most :func:`max_part_bytes` of them (KeyError when the
    archive has no such member). ``kind``: the file type named in a refusal (``.docx``)."""
    info = archive.getinfo(name)
    limit = max_part_bytes()
    if info.file_size > limit:  # declared: refused without inflating a byte
        raise ParseError(path, f"not a valid {kind} file ({name} expands to {info.file_size} bytes)")
    chunks, size = [], 0
    try:
        with archive.open(info) as member:
            while chunk := member.read(CHUNK_BYTES):
                size += len(chunk)
                if size > limit:
                    raise ParseError(path, f"not a valid {kind} file ({name} expands to more than {limit} bytes, "
                                           f"though it declares {info.file_size}: a zip bomb?)")
                chunks.append(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as e:
        raise ParseError(path, f"not a valid {kind} file ({name}: {e})") from None
    return b"".join(chunks)


def member_xml(archive: zipfile.ZipFile, name: str, path: str, kind: str):
    """The root element of the XML part ``name``, read within :func:`member_bytes`'s limit and
    refused unparsed when it has more than :func:`max_elements` elements."""
    data = member_bytes(archive, name, path, kind)
    # Every element starts with "<" that is not "</": an upper bound (comments and declarations count too).
    tags = data.count(b"<") - data.count(b"</")
    limit = max_elements()
    if tags > limit:
        raise ParseError(path, f"not a valid {kind} file ({name} has {tags} XML elements, over the limit of {limit})")
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as e:
        raise ParseError(path, f"not a valid {kind} file ({name}: {e})") from None
