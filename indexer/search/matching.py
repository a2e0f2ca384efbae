"""Which records a query matches, as a bitset, evaluated with set algebra.

Whoosh would walk its matcher tree document by document in Python and check
phrase positions for every document that has all of a phrase's terms. Here each
term is a bitset made from its posting list (read once per searcher, see
:mod:`indexer.store.postings`), And and Or are ``&`` and ``|``, and a phrase is
verified only for the documents that still matter: inside an Or, only those no
cheaper branch has matched already — so the bigram phrase that catches a
segmentation mismatch costs almost nothing when the jieba words matched. The
check itself intersects the words' position arrays, shifted by their place in
the phrase, with numpy.

A quoted phrase (:class:`~indexer.search.query.QuotedPhrase`) finds each of its places
in the bigram field or in one of its other ways in the joins field
(:func:`~indexer.store.analysis.join_terms`): a bigram across punctuation as its two
halves at one position, a character next to a number as the edge of a run. A
place's position array is its own merged with the positions where all the terms
of another way stand together. An unquoted run of characters that
holds a Latin word or number (:class:`~indexer.search.query.CharRun`) must have no mark
of the joins field inside it.

Every step checks the request's :class:`~indexer.deadline.Deadline`: each node of
the query, and each candidate that Whoosh's phrase matcher checks.
"""
from __future__ import annotations

from collections import OrderedDict

import numpy as np
import numpy.ma  # noqa: F401 - np.unique imports it on first use (~80 ms): here, not in a request
from whoosh import query as wq

from ..deadline import NO_DEADLINE, Deadline
from ..store import JOIN_MARK, Postings, join_terms
from .facets import as_mask, from_mask, iter_bits, to_bits
from .query import CharRun, QuotedPhrase

TERM_CACHE_SIZE = 2048


class Matcher:
    def __init__(self, postings: Postings, live: int):
        self.postings = postings
        self.searcher = postings.searcher
        self.size = postings.size
        self.live = live
        self._terms: OrderedDict[tuple[str, str], int] = OrderedDict()

    def bits(self, q: wq.Query, deadline: Deadline = NO_DEADLINE) -> int:
        """The live records ``q`` matches, as a bitset; stops with SearchTimeout past ``deadline``."""
        return self._eval(q, self.live, deadline) & self.live

    def _term(self, fieldname: str, text: str) -> int:
        key = (fieldname, text)
        if key in self._terms:
            self._terms.move_to_end(key)
            return self._terms[key]
        bits = from_mask(self.postings.mask(fieldname, text)) if fieldname in self.searcher.schema else 0
        self._terms[key] = bits
        if len(self._terms) > TERM_CACHE_SIZE:
            self._terms.popitem(last=False)
        return bits

    def _eval(self, q: wq.Query, scope: int, deadline: Deadline) -> int:
        """The matches of ``q`` among ``scope`` (records outside it may be left out)."""
        deadline.check()
        if isinstance(q, wq.Term):
            return self._term(q.fieldname, q.text)
        if isinstance(q, wq.Every):
            return self.live
        if isinstance(q, wq.Phrase):
            return self._phrase(q, scope, deadline)
        if isinstance(q, wq.AndNot):
            positive = self._eval(q.a, scope, deadline)
            return positive & ~self._eval(q.b, positive, deadline) if positive else 0
        if isinstance(q, wq.And):
            acc = scope
            for child in sorted(q.subqueries, key=lambda c: isinstance(c, (wq.Phrase, wq.CompoundQuery))):
                acc &= self._eval(child, acc, deadline)
                if not acc:
                    return 0
            return acc
        if isinstance(q, wq.Or):
            acc = 0
            for child in sorted(q.subqueries, key=lambda c: isinstance(c, (wq.Phrase, wq.CompoundQuery))):
                acc |= self._eval(child, scope & ~acc, deadline)
            return acc
        if isinstance(q, wq.ConstantScoreQuery):
            return self._eval(q.child, scope, deadline)
        return to_bits(self.searcher.docs_for_query(q), self.size)  # prefixes, wildcards, ranges: small

    def _phrase(self, q: wq.Phrase, scope: int, deadline: Deadline) -> int:
        if isinstance(q, QuotedPhrase):
            return self._quoted(q, scope)
        candidates = scope
        for word in q.words:
            candidates &= self._term(q.fieldname, word)
            if not candidates:
                return 0
        if len(q.words) == 1:
            return candidates
        if q.slop != 1:
            return self._phrase_by_whoosh(q, candidates, deadline)
        keep = as_mask(candidates, self.size)
        starts = self._starts(q.words, lambda word: self.postings.positions(q.fieldname, word, keep), keep)
        if isinstance(q, CharRun):
            starts = self._unmarked(q, starts, keep)
        return self._records(starts)

    def _starts(self, words, positions, keep: np.ndarray) -> np.ndarray:
        """The words side by side: occurrence keys (docnum << 32 | position), each word's
        shifted back by its place in the phrase, intersected — what is left starts a match."""
        starts = None
        for i, word in enumerate(words):
            keys = positions(word)
            keys = keys[keep[keys >> 32]] - i
            starts = keys if starts is None else np.intersect1d(starts, keys, assume_unique=True)
            if not len(starts):
                break
        return starts

    def _records(self, starts: np.ndarray) -> int:
        found = np.zeros(self.size, dtype=bool)
        found[starts >> 32] = True
        return from_mask(found)

    def _quoted(self, q, scope: int) -> int:
        """Each place in the bigram field, or in one of its other ways in the joins
        field (:func:`~indexer.store.analysis.join_terms`: terms that stand together at the
        place's position)."""
        joins = q.joins in self.searcher.schema
        ways = [[((q.fieldname, word),), *(tuple((q.joins, t) for t in terms)
                                           for terms in (join_terms(q.words, i) if joins else ()))]
                for i, word in enumerate(q.words)]
        candidates = scope
        for place in ways:
            bits = 0
            for way in place:
                together = candidates
                for fieldname, term in way:
                    together &= self._term(fieldname, term)
                bits |= together
            candidates &= bits
            if not candidates:
                return 0
        if len(ways) == 1:
            # One place: the records holding it in the bigram field match; only the others
            # need the positions of its other ways.
            plain = candidates & self._term(q.fieldname, q.words[0])
            rest = candidates & ~plain
            if not rest or len(ways[0]) == 1:
                return candidates
            keep = as_mask(rest, self.size)
            keys = np.unique(np.concatenate([self._together(way, keep) for way in ways[0][1:]]))
            return plain | self._records(keys[keep[keys >> 32]])
        keep = as_mask(candidates, self.size)

        def positions(i):
            keys = [self._together(way, keep) for way in ways[i]]
            return keys[0] if len(keys) == 1 else np.unique(np.concatenate(keys))

        return self._records(self._starts(range(len(ways)), positions, keep))

    def _together(self, way: tuple[tuple[str, str], ...], keep: np.ndarray) -> np.ndarray:
        """Occurrence keys where every term of ``way`` stands."""
        keys = None
        for fieldname, term in way:
            found = self.postings.positions(fieldname, term, keep)
            keys = found if keys is None else np.intersect1d(keys, found, assume_unique=True)
        return keys

    def _unmarked(self, q: CharRun, starts: np.ndarray, keep: np.ndarray) -> np.ndarray:
        """The starts of the occurrences with no mark inside, that is at none of the
        positions ``s + 1 … s + n - 1`` (a mark stands at the token after the punctuation)."""
        marks = self.postings.positions(q.joins, JOIN_MARK, keep) if q.joins in self.searcher.schema else ()
        if not len(marks):
            return starts
        inside = (np.searchsorted(marks, starts + len(q.words) - 1, side="right")
                  - np.searchsorted(marks, starts + 1, side="left"))
        return starts[inside == 0]

    def _phrase_by_whoosh(self, q: wq.Phrase, candidates: int, deadline: Deadline) -> int:
        """Positions checked by Whoosh's phrase matcher, skipping to each candidate."""
        matcher = q.matcher(self.searcher)
        found = bytearray((self.size >> 3) + 1)
        for docnum in iter_bits(candidates, self.size):
            deadline.check()
            if not matcher.is_active():
                break
            if matcher.id() < docnum:
                matcher.skip_to(docnum)
                if not matcher.is_active():
                    break
            if matcher.id() == docnum:
                found[docnum >> 3] |= 1 << (docnum & 7)
        return int.from_bytes(found, "little")
