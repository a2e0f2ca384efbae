"""The segmenter's word table, mapped from a file instead of built in memory.

jieba keeps its table (every word and every prefix of a word, with a frequency:
half a million entries with the gazetteer's names) as a dict. Building that dict
takes a third of a second of CPU however it is stored, and every process that
segments text pays it before its first query. A search worker segments a few
short queries; it does not need the dict. :class:`MappedWords` answers the
lookups jieba makes (``in``, ``[]``, ``get``) from a mapped file
(:class:`indexer.store.arrays.KeyTable`), a few microseconds each. A process that
segments much text (indexing) crosses ``PROMOTE_AFTER`` lookups within its first
documents; the table then builds the dict once and hands it to the tokenizer,
so long texts are segmented at dict speed. Either way the frequencies are the
same, so the tokens are.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from .arrays import KeyTable, key_arrays, read_arrays, write_arrays

MAGIC = b"MINWORDS"
FORMAT = 1
PROMOTE_AFTER = 200_000  # lookups (about 0.6 s of them): beyond, the dict pays for itself


def save_words(path: Path, freq: dict[str, int], total: int) -> None:
    keys = [word.encode("utf-8") for word in freq]
    order, table = key_arrays(keys)
    freqs = np.fromiter(freq.values(), dtype=np.int64, count=len(freq))[order]
    write_arrays(path, MAGIC, {"format": FORMAT, "total": int(total)}, {**table, "freqs": freqs})


class MappedWords:
    """jieba's ``FREQ`` (word → frequency) over a mapped file. ``owner``: the tokenizer
    whose ``FREQ`` it is, given the dict when the table is promoted."""

    def __init__(self, path: Path, owner=None):
        meta, arrays = read_arrays(path, MAGIC)
        if meta.get("format") != FORMAT:
            raise ValueError(f"{path.name}: format {meta.get('format')}, expected {FORMAT}")
        self.total = int(meta["total"])
        self._table = KeyTable(arrays)
        self._freqs = arrays["freqs"]
        self._owner = owner
        self._lookups = 0

    def _row(self, word: str) -> int:
        self._lookups += 1
        if self._lookups == PROMOTE_AFTER and self._owner is not None:
            self._owner.FREQ = self.as_dict()  # jieba reads self.FREQ at every lookup: the next one uses it
        return self._table.find(word.encode("utf-8"))

    def __contains__(self, word: str) -> bool:
        return self._row(word) >= 0

    def __getitem__(self, word: str) -> int:
        row = self._row(word)
        if row < 0:
            raise KeyError(word)
        return int(self._freqs[row])

    def get(self, word: str, default=None):
        row = self._row(word)
        return int(self._freqs[row]) if row >= 0 else default

    def __len__(self) -> int:
        return len(self._table)

    def __setitem__(self, word: str, freq: int) -> None:
        """A word added after loading (``add_word``): the table becomes a dict first."""
        if self._owner is None:
            raise TypeError("a mapped word table without its tokenizer cannot change")
        self._owner.FREQ = self.as_dict()
        self._owner.FREQ[word] = freq

    def as_dict(self) -> dict[str, int]:
        return dict(zip((k.decode("utf-8") for k in self._table.keys()), self._freqs.tolist()))
