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

import re
from collections.abc import Iterator
from functools import lru_cache

from whoosh.analysis import LowercaseFilter, RegexTokenizer, Token, Tokenizer

from ..patterns import CJK
from .segmenter import WORDLIKE, cut_words, fold

_CJK_START = re.compile(rf"[{CJK}]")
_RUN = re.compile(rf"[{CJK}]+|[A-Za-z0-9]+(?:[.\-_][A-Za-z0-9]+)*")


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
        for word in cut_words(text):
            start, end = end, end + len(word)
            if word.isspace():
                continue
            if WORDLIKE.search(word):
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
