"""Files of named numpy arrays that a process maps instead of reading.

Layout: a magic string of eight bytes, the header's length (8 bytes, little-endian),
a JSON header (the caller's fields and each array's dtype, offset and length or shape), then
the arrays, each at an 8-byte boundary. Files are written aside and renamed into
place, so a reader sees a whole file or none. ``numpy.load(mmap_mode=…)`` maps one
array per file; here one file holds all the arrays of a thing (a segment's postings,
the segmenter's word table), and a file cut short is refused, never read short.
"""
from __future__ import annotations

import json
import os
from bisect import bisect_left
from hashlib import blake2b
from pathlib import Path

import numpy as np

_ALIGN = 8


def write_arrays(path: Path, magic: bytes, meta: dict, arrays: dict[str, np.ndarray]) -> None:
    assert len(magic) == 8
    layout, offset = {}, 0
    for name, values in arrays.items():
        layout[name] = [values.dtype.str, offset, len(values) if values.ndim == 1 else list(values.shape)]
        offset += -(-values.nbytes // _ALIGN) * _ALIGN
    header = json.dumps({**meta, "arrays": layout}).encode("utf-8")
    header += b" " * (-(len(magic) + 8 + len(header)) % _ALIGN)
    scratch = path.with_name(path.name + ".tmp")
    with open(scratch, "wb") as f:
        f.write(magic + len(header).to_bytes(8, "little") + header)
        for values in arrays.values():
            f.write(np.ascontiguousarray(values).tobytes())
            f.write(b"\0" * (-values.nbytes % _ALIGN))
    os.replace(scratch, path)


def read_arrays(path: Path, magic: bytes) -> tuple[dict, dict[str, np.ndarray]]:
    """(the header's fields, the arrays as read-only maps of the file). Raises
    ValueError for another kind of file or one cut short, OSError when unreadable."""
    raw = np.memmap(path, dtype=np.uint8, mode="r").view(np.ndarray)  # the map stays open under the view; plain arrays index faster
    if bytes(raw[:len(magic)]) != magic:
        raise ValueError(f"{Path(path).name}: not a {magic.decode()} file")
    size = int.from_bytes(bytes(raw[len(magic):len(magic) + 8]), "little")
    start = len(magic) + 8
    meta = json.loads(bytes(raw[start:start + size]))
    base, arrays = start + size, {}
    for name, (dtype, offset, shape) in meta.pop("arrays").items():
        dtype, shape = np.dtype(dtype), (shape if isinstance(shape, list) else [shape])
        size = int(np.prod(shape)) * dtype.itemsize
        if base + offset + size > len(raw):
            raise ValueError(f"{Path(path).name}: cut short")
        arrays[name] = raw[base + offset:base + offset + size].view(dtype).reshape(shape)
    return meta, arrays


def _view(values: np.ndarray, code: str) -> memoryview:
    return memoryview(np.ascontiguousarray(values)).cast("B").cast(code)


def key_hash(key: bytes) -> int:
    return int.from_bytes(blake2b(key, digest_size=8).digest(), "little")


def key_arrays(keys: list[bytes]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """A :class:`KeyTable`'s arrays for ``keys``, and ``order``: the rows' indexes in ``keys``
    (rows are sorted by the keys' hashes; the caller orders its own per-key arrays by it)."""
    hashes = np.fromiter(map(key_hash, keys), dtype=np.uint64, count=len(keys))
    order = np.argsort(hashes, kind="stable")
    ordered = [keys[i] for i in order.tolist()]
    ends = np.cumsum(np.fromiter(map(len, ordered), dtype=np.int64, count=len(keys)))
    return order, {"hashes": hashes[order], "key_ends": ends, "keys": np.frombuffer(b"".join(ordered), dtype=np.uint8)}


class KeyTable:
    """Finds a key's row with a binary search over the hashes of mapped arrays, its
    bytes compared to rule out a collision. The search runs on memoryviews of the
    arrays (``bisect`` in C over Python ints): a lookup costs a microsecond or two,
    where numpy's scalar calls cost several."""

    def __init__(self, arrays: dict[str, np.ndarray]):
        self._hashes, self._ends, self._keys = arrays["hashes"], arrays["key_ends"], arrays["keys"]
        self._hash_view = _view(self._hashes, "Q")
        self._end_view = _view(self._ends, "q")
        self._key_view = _view(self._keys, "B")

    def __len__(self) -> int:
        return len(self._hashes)

    def find(self, key: bytes) -> int:
        """The key's row, or -1."""
        h, hashes, ends = key_hash(key), self._hash_view, self._end_view
        row = bisect_left(hashes, h)
        while row < len(hashes) and hashes[row] == h:
            if self._key_view[ends[row - 1] if row else 0:ends[row]] == key:
                return row
            row += 1
        return -1

    def keys(self) -> list[bytes]:
        """Every key, in row order."""
        blob, ends = bytes(self._keys), self._ends.tolist()
        return [blob[a:b] for a, b in zip([0, *ends[:-1]], ends)]
