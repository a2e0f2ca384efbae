"""Text analysis: jieba words and CJK bigrams, as Whoosh analyzers.

Both tokenizers follow Whoosh's tokenizer contract: they honour the
``positions`` and ``chars`` flags, reuse one :class:`Token`, number positions
by token, and report character offsets into the text they were given. jieba's
bundled ``ChineseAnalyzer`` stores character offsets as positions, which breaks
phrase queries; that is why we do not use it.

Words: punctuation emits no token but takes a position, so a phrase of words
never matches across it ("原则，同意" is not the words 原则同意 side by side).

Bigrams are numbered as if the text had no punctuation or spaces, so that a
quoted phrase pasted from a document matches whatever punctuation stands inside
it, in the text or in the query. Where the text has punctuation between two CJK
characters, the bigram that joins them (筹压 in "加强统筹、压实责任") takes that place in a
field of its own, the *joins*; the bigram field keeps exactly the terms it always
had, so unquoted words match and score as before and never run across
punctuation. See :func:`_bigram_stream`.
"""
from __future__ import annotations

import hashlib
import logging
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
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
from whoosh.analysis import LowercaseFilter, RegexTokenizer, Token, Tokenizer

from . import gazetteer
from .model import Document
from .normalize import CJK
from .wordtable import MappedWords, save_words

# Bump when tokenization changes in a way that needs a rebuild.
ANALYZER_VERSION = "2"
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

_WORDLIKE = re.compile(rf"[{CJK}A-Za-z0-9]")
_NUMBER = re.compile(r"^[\d.%]+$")
_CJK_START = re.compile(rf"[{CJK}]")
_RUN = re.compile(rf"[{CJK}]+|[A-Za-z0-9]+(?:[.\-_][A-Za-z0-9]+)*")
# Length-preserving width folding, so offsets stay valid for the original text.
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def fold(text: str) -> str:
    """Full-width ASCII to ASCII, one character for one (offsets unchanged)."""
    return text.translate(_FOLD)


_cache_folder: Path | None = None  # set by use_cache_folder: the index's cache/


def use_cache_folder(folder: Path | None) -> None:
    """Where the segmenter keeps its word table: the cache folder inside the index folder
    (``indexer.lifecycle.cache_dir``), told by whatever opens or writes an index before the
    segmenter is built. Without one (``minutes parse``), no cache file is written."""
    global _cache_folder
    _cache_folder = Path(folder) if folder is not None else None


@lru_cache(maxsize=1)
def _segmenter() -> jieba.Tokenizer:
    """One jieba tokenizer per process, with the gazetteer's names as words.

    Its word table (half a million entries) is kept in a cache file of our own, in
    the index's cache folder (see :func:`use_cache_folder`), named by the analyzer's
    fingerprint, and mapped rather than loaded (see :mod:`indexer.wordtable`): a web
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


def _save_dictionary(seg: jieba.Tokenizer, path: Path) -> None:
    """Best effort: an index folder that is missing or read-only only costs the faster start.
    Tables of other fingerprints are removed: one file per index."""
    if not path.parent.parent.is_dir():
        return  # no index folder (yet): never create one just for a cache
    try:
        path.parent.mkdir(exist_ok=True)
        save_words(path, seg.FREQ, seg.total)
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
    corpus; tests/test_analysis.py checks the words are the same on all of it). Off unless turned
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
def _words(text: str) -> tuple[str, ...]:
    """:func:`_cut`, once per text: an item's text is segmented for its keywords and again by the
    word analyzer, and a document's title once for each of its records."""
    return tuple(_cut(text))


def keywords(text: str, limit: int = KEYWORDS_PER_ITEM) -> tuple[str, ...]:
    """The item's most telling words: TF-IDF over jieba's corpus statistics."""
    idf, median = _idf()
    counts = Counter(
        w for w in _words(fold(text))
        if len(w.strip()) >= 2 and w not in _BOILERPLATE and _WORDLIKE.search(w) and not _NUMBER.match(w)
        and not _PLACE_WORD.match(w) and w not in gazetteer.places()
    )
    total = sum(counts.values()) or 1
    ranked = sorted(counts, key=lambda w: -counts[w] * idf.get(w, median) / total)  # stable: ties keep text order
    return tuple(ranked[:limit])


def with_keywords(doc: Document) -> Document:
    """The document with automatic keywords on every item."""
    return replace(doc, items=tuple(replace(item, keywords=keywords(item.text)) for item in doc.items))


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
    h.update(f"analyzer={ANALYZER_VERSION};jieba={jieba.__version__};".encode())
    h.update(gazetteer.data_fingerprint().encode())
    return h.hexdigest()[:16]


class _SpanTokenizer(Tokenizer):
    """The Whoosh side of the contract, shared by both tokenizers: one reused
    Token, flags honoured, ``start_pos``/``start_char`` applied. Subclasses only
    say where tokens are, as (start, end, position) over the folded text."""

    def _spans(self, text: str) -> Iterator[tuple[int, int, int, str]]:
        """(start, end, position, token text) over the folded text."""
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
        for start, end, pos, token in self._spans(text):
            t.text = token
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
        pos = end = 0
        for word in _words(text):
            start, end = end, end + len(word)
            if word.isspace():
                continue
            if _WORDLIKE.search(word):
                yield start, end, pos, word
            pos += 1  # punctuation too: a gap, so phrases do not cross it


# Where the bigram stream is cut for good: a blank line (the index joins a record's
# title and text with one), so no phrase runs from a title into the text.
_HARD_BREAK = re.compile(r"\n[ \t]*\n")
JOIN_MARK = "|"  # in the joins field: a Latin word or number meets other text across punctuation here
EDGE = "#"  # in the joins field: a run of CJK characters meets a Latin word or number here
_RUN_TOKEN, _LONE, _JOIN, _MARK, _EDGE = "run", "lone", "join", "mark", "edge"


def _bigram_stream(text: str) -> Iterator[tuple[int, int, int, str, str]]:
    """The text's bigram tokens as (start, end, position, token, kind), numbered as
    if the text had no punctuation or spaces.

    Why this shape. A quoted phrase must match whatever punctuation stands inside
    it, and a phrase pasted with other punctuation, none, or ASCII punctuation must
    match too. Keeping the old gaps and letting the phrase checker skip them cannot
    work when the query has no punctuation: its bigram across the gap (筹压) is then
    nowhere in the index. So the gap's position now holds that bigram, in a field of
    its own, the joins (a gap took one position; so does a joined bigram). Sizes of
    the real corpus's index (157 files), against 26.8 MB before: a second full field
    of bigrams over the text without punctuation nearly doubled it (bigrams with
    positions are most of the index); the joined bigrams in the bigram field itself, 31 MB, but
    they then count in the terms' frequencies, so an unquoted word's bigrams would
    score, and match, where its characters stand on both sides of a comma; joined
    bigrams whole in the joins field, 32.7 MB (in Whoosh each distinct term costs a
    few hundred bytes of its own); as two halves (筹| and |压, a few thousand
    distinct terms), 28.3 MB.

    Kinds: ``run`` — a bigram inside a run of CJK characters, a lone CJK character
    between other text, or a Latin word or number, whole; ``lone`` — a lone CJK
    character between punctuation (市、县、区): its joins take the places, and its
    unigram shares the place of the join before it (or after it), so the bigram
    field keeps the term; ``join`` — two CJK characters across punctuation or
    spaces; ``mark`` — a Latin word or number meets other text across punctuation:
    the mark has the position of the token after it (no gap; an unquoted run of
    characters that holds a Latin token checks for marks); ``edge`` — the first
    character of a CJK run that follows a Latin word or number (``#年`` in 2021年度,
    at the position of 年度) or the last one before it (``第#`` in 政府第5次, at 府第):
    a quoted phrase that starts or ends with a character next to a number (第5次…)
    finds it there though the text's bigram holds the character with its other
    neighbour. ``run`` and ``lone`` go to the bigram field, the others to the joins
    field. Nothing runs across a blank line: it leaves an empty position.
    """
    runs = [(m.start(), m.end(), bool(_CJK_START.match(text, m.start()))) for m in _RUN.finditer(text)]
    hard = [n > 0 and bool(_HARD_BREAK.search(text, runs[n - 1][1], start)) for n, (start, _, _) in enumerate(runs)]
    pos = 0
    for n, (start, end, cjk) in enumerate(runs):
        joined_left = n > 0 and not hard[n] and cjk and runs[n - 1][2]
        joined_right = n + 1 < len(runs) and not hard[n + 1] and cjk and runs[n + 1][2]
        if n > 0:
            prev_end = runs[n - 1][1]
            if hard[n]:
                pos += 1
            elif joined_left:
                yield prev_end - 1, start + 1, pos, text[prev_end - 1] + text[start], _JOIN
                pos += 1
            elif text[prev_end:start].strip():
                yield prev_end, start, pos, JOIN_MARK, _MARK
        if not cjk:
            yield start, end, pos, text[start:end], _RUN_TOKEN
            pos += 1
        elif end - start > 1:
            if n > 0 and not hard[n] and not runs[n - 1][2]:
                yield start, start + 1, pos, EDGE + text[start], _EDGE
            for i in range(start, end - 1):
                yield i, i + 2, pos, text[i:i + 2], _RUN_TOKEN
                pos += 1
            if n + 1 < len(runs) and not hard[n + 1] and not runs[n + 1][2]:
                yield end - 1, end, pos - 1, text[end - 1] + EDGE, _EDGE
        elif joined_left or joined_right:
            yield start, end, pos - 1 if joined_left else pos, text[start:end], _LONE
        else:
            yield start, end, pos, text[start:end], _RUN_TOKEN
            pos += 1


@lru_cache(maxsize=64)
def _bigrams(text: str) -> tuple[tuple[int, int, int, str, str], ...]:
    """:func:`_bigram_stream`, once per text: the bigram and joins fields read the same text."""
    return tuple(_bigram_stream(text))


class BigramTokenizer(_SpanTokenizer):
    """Overlapping CJK bigrams (a lone CJK character stays a unigram); Latin words
    and numbers whole. Finds text whatever jieba's segmentation was. Positions
    leave a place wherever the text has punctuation between CJK characters; the
    joins field fills it."""

    def _spans(self, text):
        for start, end, pos, token, kind in _bigrams(text):
            if kind in (_RUN_TOKEN, _LONE):
                yield start, end, pos, token


class JoinTokenizer(_SpanTokenizer):
    """Each bigram that joins CJK characters across punctuation, at the bigram
    field's position, as its two halves: ``筹|`` (the character before the
    punctuation) and ``|压`` (the one after) — a few thousand distinct terms instead
    of one per pair, and in Whoosh every distinct term costs a few hundred bytes
    of its own. :data:`JOIN_MARK` alone where a Latin word or number meets other
    text across punctuation (at the position of the token after it), and the edges
    of CJK runs next to Latin words and numbers (see :func:`_bigram_stream`)."""

    def _spans(self, text):
        for start, end, pos, token, kind in _bigrams(text):
            if kind == _JOIN:
                yield start, start + 1, pos, token[0] + JOIN_MARK
                yield end - 1, end, pos, JOIN_MARK + token[1]
            elif kind in (_MARK, _EDGE):
                yield start, end, pos, token


def _cjk(token: str) -> bool:
    return bool(_CJK_START.match(token))


def join_terms(places: list[str], i: int) -> list[tuple[str, ...]]:
    """The other ways the ``i``-th place of a quoted phrase can stand in an indexed
    text than as itself in the bigram field: each a tuple of terms of the joins
    field that stand together at the place's position. A CJK bigram, across
    punctuation: its two halves. A lone CJK character that starts the phrase
    before a number, or ends it after one: the edge of a longer run."""
    token = places[i]
    if len(token) == 2 and _cjk(token) and _cjk(token[1]):
        return [(token[0] + JOIN_MARK, JOIN_MARK + token[1])]
    ways = []
    if len(token) == 1 and _cjk(token):
        if i == 0 and len(places) > 1 and not _cjk(places[1]):
            ways.append((token + EDGE,))
        if i == len(places) - 1 and i > 0 and not _cjk(places[i - 1]):
            ways.append((EDGE + token,))
    return ways


def word_analyzer():
    return JiebaTokenizer() | LowercaseFilter()


def bigram_analyzer():
    return BigramTokenizer() | LowercaseFilter()


def join_analyzer():
    return JoinTokenizer() | LowercaseFilter()


def line_analyzer():
    """Each line one token, as it is: for fields that list whole titles."""
    return RegexTokenizer(r"[^\n]+")


def words(text: str) -> list[str]:
    """The word tokens of ``text``, as the index sees them."""
    return [t.text for t in word_analyzer()(text)]


def bigrams(text: str) -> list[str]:
    """The bigram field's tokens of ``text``."""
    return [t.text for t in bigram_analyzer()(text)]


def phrase_bigrams(text: str) -> list[tuple[str, bool]]:
    """One token for each place ``text`` takes in the bigram numbering, with
    punctuation and spaces set aside, and whether it joins characters across
    punctuation in ``text``: the bigram field's tokens and the joins. A quoted
    phrase's places; in an indexed text each is in the bigram field, or in the
    joins field where that text has punctuation inside it."""
    return [(token.lower(), kind == _JOIN) for _, _, _, token, kind in _bigram_stream(fold(text))
            if kind in (_RUN_TOKEN, _JOIN)]
