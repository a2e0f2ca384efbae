"""Text analysis: jieba words and CJK bigrams, as Whoosh analyzers.

Both tokenizers follow Whoosh's tokenizer contract: they honour the
``positions`` and ``chars`` flags, reuse one :class:`Token`, number positions
by token, and report character offsets into the text they were given. jieba's
bundled ``ChineseAnalyzer`` stores character offsets as positions, which breaks
phrase queries; that is why we do not use it.

Punctuation emits no token but takes a position, so a phrase never matches
across it ("原则，同意" is not the phrase "原则同意").
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import jieba
import numpy as np
from whoosh.analysis import LowercaseFilter, RegexTokenizer, Token, Tokenizer

from . import gazetteer
from .model import Document
from .normalize import CJK

# Bump when tokenization changes in a way that needs a rebuild.
ANALYZER_VERSION = "1"
KEYWORDS_PER_ITEM = 8
# Words every item of the minutes uses; they say nothing about what it is about.
_BOILERPLATE = {
    "会议", "要求", "工作", "强调", "指出", "推进", "加强", "相关", "进一步", "做好", "同意", "原则", "市政府",
    "根据", "意见", "修改", "完善", "落实", "有关", "部门", "全市", "各地", "研究", "审议", "听取", "汇报",
    "会同", "牵头", "实施", "推动", "加快", "开展", "建立", "健全", "提请", "程序", "示例", "示例市",
}

_WORDLIKE = re.compile(rf"[{CJK}A-Za-z0-9]")
_NUMBER = re.compile(r"^[\d.%]+$")
_CJK_START = re.compile(rf"[{CJK}]")
_RUN = re.compile(rf"[{CJK}]+|[A-Za-z0-9]+(?:[.\-_][A-Za-z0-9]+)*")
# Length-preserving width folding, so offsets stay valid for the original text.
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def fold(text: str) -> str:
    """Full-width ASCII to ASCII, one character for one (offsets unchanged)."""
    return text.translate(_FOLD)


@lru_cache(maxsize=1)
def _segmenter() -> jieba.Tokenizer:
    """One jieba tokenizer per process, with the gazetteer's names as words.

    Its word table (half a million entries) is kept in a cache file of our own:
    jieba's marshal cache takes ~0.5 s to load, this one ~0.1 s — most of a web
    worker's start. It holds only strings and numbers (no pickle), in the user's
    cache folder, named by the analyzer's fingerprint; any trouble with it and
    the table is built as before."""
    jieba.setLogLevel(logging.WARNING)
    seg = jieba.Tokenizer()
    path = _dictionary_cache()
    if path is not None and _load_dictionary(seg, path):
        return seg
    seg.initialize()
    for name in gazetteer.user_words():
        seg.add_word(name, freq=max(2000, 100 * len(name)))
    if path is not None:
        _save_dictionary(seg, path)
    return seg


def _dictionary_cache() -> Path | None:
    try:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    except RuntimeError:  # no home folder to be found
        return None
    return base / "minutes-search" / f"jieba-{fingerprint()}.npz"


def _load_dictionary(seg: jieba.Tokenizer, path: Path) -> bool:
    """Fill the tokenizer's word table from the cache file; False when it cannot."""
    try:
        with np.load(path, allow_pickle=False) as data:
            words = str(data["words"]).split("\0")
            seg.FREQ, seg.total = dict(zip(words, data["freqs"].tolist())), int(data["total"])
    except (OSError, ValueError, KeyError):
        return False
    seg.initialized = True
    return True


def _save_dictionary(seg: jieba.Tokenizer, path: Path) -> None:
    """Best effort: a read-only or missing home only costs the faster start."""
    words = list(seg.FREQ)
    if any("\0" in w for w in words):
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, scratch = tempfile.mkstemp(dir=path.parent, suffix=".npz")
        with os.fdopen(fd, "wb") as f:
            np.savez(f, words=np.array("\0".join(words)), freqs=np.array(list(seg.FREQ.values()), dtype=np.int64),
                     total=np.array(seg.total))
        os.replace(scratch, path)
    except OSError:
        pass


@lru_cache(maxsize=1)
def _idf() -> tuple[dict[str, float], float]:
    """jieba's corpus IDF table (the one jieba.analyse uses; that module itself
    leaks an open file at import, so the table is read here)."""
    table: dict[str, float] = {}
    with (Path(jieba.__file__).parent / "analyse" / "idf.txt").open(encoding="utf-8") as f:
        for line in f:
            word, _, value = line.strip().partition(" ")
            if value:
                table[word] = float(value)
    values = sorted(table.values())
    return table, values[len(values) // 2]


def keywords(text: str, limit: int = KEYWORDS_PER_ITEM) -> tuple[str, ...]:
    """The item's most telling words: TF-IDF over jieba's corpus statistics."""
    idf, median = _idf()
    counts = Counter(
        w for w in _segmenter().cut(fold(text))
        if len(w.strip()) >= 2 and w not in _BOILERPLATE and _WORDLIKE.search(w) and not _NUMBER.match(w)
    )
    total = sum(counts.values()) or 1
    ranked = sorted(counts, key=lambda w: -counts[w] * idf.get(w, median) / total)  # stable: ties keep text order
    return tuple(ranked[:limit])


def with_keywords(doc: Document) -> Document:
    """The document with automatic keywords on every item."""
    return replace(doc, items=tuple(replace(item, keywords=keywords(item.text)) for item in doc.items))


def warm_up() -> None:
    """Load the word dictionary now (about a second) rather than on the first query."""
    _segmenter()


def fingerprint() -> str:
    """Identifies everything that decides how text becomes tokens."""
    h = hashlib.sha256()
    h.update(f"analyzer={ANALYZER_VERSION};jieba={jieba.__version__};".encode())
    h.update(gazetteer.data_fingerprint().encode())
    return h.hexdigest()[:16]


class _SpanTokenizer(Tokenizer):
    """The Whoosh side of the contract, shared by both tokenizers: one reused
    Token, flags honoured, ``start_pos``/``start_char`` applied. Subclasses only
    say where tokens are, as (start, end, position) over the folded text."""

    def _spans(self, text: str) -> Iterator[tuple[int, int, int]]:
        raise NotImplementedError

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.boost = 1.0
            t.stopped = False
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar = start_char
                t.endchar = start_char + len(value)
            yield t
            return
        text = fold(value)
        for start, end, pos in self._spans(text):
            t.text = text[start:end]
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = t.text
            if positions:
                t.pos = start_pos + pos
            if chars:
                t.startchar = start_char + start
                t.endchar = start_char + end
            yield t


class JiebaTokenizer(_SpanTokenizer):
    """Precise-mode jieba words; positions by token, offsets by character."""

    def _spans(self, text):
        pos = 0
        for word, start, end in _segmenter().tokenize(text):
            if word.isspace():
                continue
            if _WORDLIKE.search(word):
                yield start, end, pos
            pos += 1  # punctuation too: a gap, so phrases do not cross it


class BigramTokenizer(_SpanTokenizer):
    """Overlapping CJK bigrams (a lone CJK character stays a unigram); Latin
    words and numbers whole. Finds text whatever jieba's segmentation was."""

    def _spans(self, text):
        pos = 0
        prev_end = 0
        for m in _RUN.finditer(text):
            if text[prev_end:m.start()].strip():
                pos += 1  # punctuation between runs: a gap
            prev_end = m.end()
            start, end = m.span()
            if _CJK_START.match(text, start) and end - start > 1:
                for i in range(start, end - 1):
                    yield i, i + 2, pos
                    pos += 1
            else:
                yield start, end, pos
                pos += 1


def word_analyzer():
    return JiebaTokenizer() | LowercaseFilter()


def bigram_analyzer():
    return BigramTokenizer() | LowercaseFilter()


def line_analyzer():
    """Each line one token, as it is: for fields that list whole titles."""
    return RegexTokenizer(r"[^\n]+")


def words(text: str) -> list[str]:
    """The word tokens of ``text``, as the index sees them."""
    return [t.text for t in word_analyzer()(text)]


def bigrams(text: str) -> list[str]:
    return [t.text for t in bigram_analyzer()(text)]
