"""The segmenter: jieba's words, with the gazetteer's names, and what is derived from them.

One jieba tokenizer per process (its word table mapped from the index's cache folder, see
:mod:`indexer.store.wordtable`), optionally its compiled twin rjieba for indexing, the
keywords of an item, and the analyzer's fingerprint written beside the index (a change of
dictionary or version makes the index outdated). Only this module imports jieba.
"""
from __future__ import annotations

import hashlib
import logging
import re
import shutil
import sys
import tempfile
from collections import Counter
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

if "pkg_resources" in sys.modules:
    import jieba
else:
    # jieba imports pkg_resources (deprecated, a fifth of a second: a third of a web worker's
    # start) only to open its own data files, which it opens by path without it.
    sys.modules["pkg_resources"] = None  # an import of it fails at once
    try:
        import jieba
    finally:
        del sys.modules["pkg_resources"]
from ..hanzi import CONVERTER, simplified
from ..model import Document
from ..parse import gazetteer
from ..patterns import CJK
from .wordtable import MappedWords, save_words

# Bump when tokenization changes in a way that needs a rebuild.
ANALYZER_VERSION = "3"  # 3: traditional characters folded to simplified (indexer/hanzi.py)


KEYWORDS_PER_ITEM = 8


# Words every item of the minutes uses; they say nothing about what it is about.
_BOILERPLATE = {
    "会议", "要求", "工作", "强调", "指出", "推进", "加强", "相关", "进一步", "做好", "同意", "原则", "市政府",
    "根据", "意见", "修改", "完善", "落实", "有关", "部门", "全市", "各地", "研究", "审议", "听取", "汇报",
    "会同", "牵头", "实施", "推动", "加快", "开展", "建立", "健全", "提请", "程序", "各部门", "国务院",
    "省政府", "省委", "市委", "人民政府",
}


# Places and scopes (苏州市, 全省, 各区) say where, not what about.
_PLACE_WORD = re.compile(r"^[\u4e00-\u9fff]{1,4}[省市县区]$")


WORDLIKE = re.compile(rf"[{CJK}A-Za-z0-9]")


_NUMBER = re.compile(r"^[\d.%]+$")


# Length-preserving width folding, so offsets stay valid for the original text.
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def fold(text: str) -> str:
    """Full-width ASCII to ASCII and traditional characters to simplified (indexer.hanzi), one
    character for one (offsets unchanged): what every analyzer, query and highlight reads."""
    return simplified(text.translate(_FOLD))


_cache_folder: Path | None = None  # set by use_cache_folder: the index's cache/


def use_cache_folder(folder: Path | None) -> None:
    """Where the segmenter keeps its word table: the cache folder inside the index folder
    (``indexer.store.lifecycle.cache_dir``), told by whatever opens or writes an index before the
    segmenter is built. Without one (``minutes parse``), no cache file is written."""
    global _cache_folder
    _cache_folder = Path(folder) if folder is not None else None


@lru_cache(maxsize=1)
def _segmenter() -> jieba.Tokenizer:
    """One jieba tokenizer per process, with the gazetteer's names as words.

    Its word table (half a million entries) is kept in a cache file of our own, in
    the index's cache folder (see :func:`use_cache_folder`), named by the analyzer's
    fingerprint, and mapped rather than loaded (see :mod:`indexer.store.wordtable`): a web
    worker starts without building the table. Any trouble with the file and the table
    is built as before."""
    jieba.setLogLevel(logging.WARNING)
    seg = jieba.Tokenizer()
    path = _dictionary_cache()
    if path is not None and _load_dictionary(seg, path):
        return seg
    with tempfile.TemporaryDirectory(prefix="minutes-jieba-") as scratch:
        seg.tmp_dir = scratch  # jieba writes a cache of its own on the way; ours replaces it, so it is not kept
        seg.initialize()
    for name in gazetteer.user_words():
        seg.add_word(name, freq=max(2000, 100 * len(name)))
    if path is not None:
        _save_dictionary(seg, path)
    return seg


def _dictionary_cache() -> Path | None:
    return _cache_folder / f"jieba-{fingerprint()}.words" if _cache_folder is not None else None


def _load_dictionary(seg: jieba.Tokenizer, path: Path) -> bool:
    """Map the tokenizer's word table from the cache file; False when it cannot."""
    try:
        words = MappedWords(path, owner=seg)
    except (OSError, ValueError, KeyError):
        return False
    seg.FREQ, seg.total, seg.initialized = words, words.total, True
    return True


# The last word table this process wrote: (file, its size and mtime then, the table's identity).
_saved: tuple[Path, tuple[int, int], tuple[int, int, int]] | None = None


def _save_dictionary(seg: jieba.Tokenizer, path: Path) -> None:
    """Best effort: an index folder that is missing or read-only only costs the faster start.
    Tables of other fingerprints are removed: one file per index. A process that writes the
    same table for another index (the same dict, of the same size and total, and the file it
    wrote unchanged since) copies that file: the same bytes, without 1.5 s of deriving them."""
    global _saved
    if not path.parent.parent.is_dir():
        return  # no index folder (yet): never create one just for a cache
    try:
        path.parent.mkdir(exist_ok=True)
        table = (id(seg.FREQ), len(seg.FREQ), seg.total)
        same = _saved is not None and _saved[2] == table and _saved[0].name == path.name
        if same and _stat(_saved[0]) == _saved[1]:  # the file this process wrote, unchanged since
            shutil.copyfile(_saved[0], path)
        else:
            save_words(path, seg.FREQ, seg.total)
            _saved = (path, _stat(path), table)
        for other in path.parent.iterdir():
            if other != path:
                other.unlink(missing_ok=True)
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


_fast = False  # see use_fast_segmenter


# A block of jieba's (its run of CJK, Latin letters, digits and +#&._%-) that holds one of +#&._%-:
# jieba-rs keeps 2021-2023 or cnea.gov.cn whole where jieba splits them, so jieba cuts these.
_TWIN_DIFFERS = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]*[+#&._%\-][\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]*")


_TWIN_TOTAL = "\ue000\ue001"  # a word no text holds, carrying what jieba's total counts beyond its table


def use_fast_segmenter(on: bool = True) -> None:
    """Segment with jieba's algorithm compiled (rjieba, i.e. jieba-rs) where it gives jieba's words,
    and with jieba elsewhere: for indexing, which segments every text (about 6× faster on the real
    corpus; tests/store/test_analysis.py checks the words are the same on all of it). Off unless turned
    on: loading it takes about a second, which a search worker need not pay. Without rjieba
    installed, jieba does it all."""
    global _fast
    _fast = on


@lru_cache(maxsize=1)
def _twin():
    """rjieba with our word table: every word of :func:`_segmenter`'s with its frequency, and the
    same total (jieba's ``add_word`` adds a user word's frequency to the total even when the word
    replaces one of the dictionary's, so the total exceeds the table's sum; the difference goes
    to a word no text holds). None without rjieba."""
    try:
        import rjieba
    except ImportError:
        return None
    seg = _segmenter()
    table = seg.FREQ.as_dict() if hasattr(seg.FREQ, "as_dict") else seg.FREQ  # a mapped table, or jieba's dict
    twin, listed = rjieba.Jieba.empty(), 0
    for word, freq in table.items():
        if freq:  # 0: a prefix of a word, not a word
            twin.add_word(word, freq, None)
            listed += freq
    if seg.total > listed:
        twin.add_word(_TWIN_TOTAL, seg.total - listed, None)
    return twin


def _cut(text: str) -> list[str]:
    """jieba's words of ``text`` (precise mode, HMM on, our word table)."""
    twin = _twin() if _fast else None
    if twin is None:
        return list(_segmenter().cut(text))
    words, at = [], 0
    for m in _TWIN_DIFFERS.finditer(text):  # jieba splits text into blocks: each is segmented on its own
        if m.start() > at:
            words += twin.cut(text[at:m.start()])
        words += _segmenter().cut(m.group())
        at = m.end()
    if at < len(text):
        words += twin.cut(text[at:])
    return words


@lru_cache(maxsize=1024)
def cut_words(text: str) -> tuple[str, ...]:
    """:func:`_cut`, once per text: an item's text is segmented for its keywords and again by the
    word analyzer, and a document's title once for each of its records."""
    return tuple(_cut(text))


def keywords(text: str, limit: int = KEYWORDS_PER_ITEM) -> tuple[str, ...]:
    """The item's most telling words: TF-IDF over jieba's corpus statistics."""
    idf, median = _idf()
    counts = Counter(
        w for w in cut_words(fold(text))
        if len(w.strip()) >= 2 and w not in _BOILERPLATE and WORDLIKE.search(w) and not _NUMBER.match(w)
        and not _PLACE_WORD.match(w) and w not in gazetteer.places()
    )
    total = sum(counts.values()) or 1
    ranked = sorted(counts, key=lambda w: -counts[w] * idf.get(w, median) / total)  # stable: ties keep text order
    return tuple(ranked[:limit])


def with_keywords(doc: Document) -> Document:
    """The document with automatic keywords on every item."""
    return replace(doc, items=tuple(replace(item, keywords=keywords(item.text)) for item in doc.items))


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def keep_word_table() -> None:
    """Write the word table's cache file into the cache folder if it is missing, for a
    segmenter that was built before the folder was known (a process that segmented text
    before it indexed): the index's searchers map the file instead of building the table."""
    path = _dictionary_cache()
    if path is None or path.exists() or not _segmenter.cache_info().currsize:
        return
    seg = _segmenter()
    if isinstance(seg.FREQ, dict):
        _save_dictionary(seg, path)


def warm_up(cache_folder: Path | None = None) -> None:
    """Load the word dictionary now (about a second) rather than on the first query,
    from the cache in ``cache_folder`` when given (see :func:`use_cache_folder`)."""
    if cache_folder is not None:
        use_cache_folder(cache_folder)
    _segmenter()
    if _fast:
        _twin()


def fingerprint() -> str:
    """Identifies everything that decides how text becomes tokens."""
    h = hashlib.sha256()
    h.update(f"analyzer={ANALYZER_VERSION};jieba={jieba.__version__};converter={CONVERTER};".encode())
    h.update(gazetteer.data_fingerprint().encode())
    return h.hexdigest()[:16]
