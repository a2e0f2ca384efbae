"""Relevance scores for every matching record at once: Whoosh's BM25F, in numpy.

The scores are the ones ``searcher.search(query)`` gives with Whoosh's default
BM25F (B 0.75, K1 1.2) — same formula, same order of operations, same one-byte
field lengths, same rules for query trees (a term's boost multiplies its score;
``And`` and ``Or`` add their children's and multiply by their boost — unless
they have one child, which Whoosh then uses as it is; ``ConstantScoreQuery``
gives its score) — but
computed a posting list at a time instead of a document at a time. A test
compares the two on every query class. Query types this module does not know
(wildcards, ranges) are scored by Whoosh's own matcher; they are small.
The request's :class:`~indexer.deadline.Deadline` is checked at every node of the
query (a term's posting list at a time) and every posting Whoosh's matcher gives.

A scorer :meth:`~Scorer.within` a caller's scope (issue 26) counts its term statistics — the
records, a term's document frequency, a field's average length — over the records of that scope
only: scores then never depend on what the caller may not read, so comparing them cannot tell
whether hidden records hold a word. The whole index's scorer is Whoosh's, exactly.
"""
from __future__ import annotations

from math import log

import numpy as np
from whoosh import query as wq
from whoosh.reading import TermNotFound

from ..deadline import NO_DEADLINE, Deadline
from ..store import Postings

B, K1 = 0.75, 1.2  # whoosh.scoring.BM25F's defaults, which our searchers use


class Scorer:
    def __init__(self, postings: Postings, scope: np.ndarray | None = None):
        self.postings = postings
        self.searcher = postings.searcher
        self._schema = self.searcher.schema
        self._scope = scope  # booleans by record: the records the statistics count (None: all, as Whoosh)
        self._doc_count = self.searcher.doc_count_all() if scope is None else max(int(np.count_nonzero(scope)), 1)
        self._avg_lengths: dict[str, float] = {}

    def within(self, scope: np.ndarray) -> Scorer:
        """This index's scorer with term statistics counted over the records flagged in ``scope``."""
        return Scorer(self.postings, scope)

    def frequency(self, fieldname: str, text: str, ids: np.ndarray | None = None) -> int:
        """The records (of the scope) holding the term; ``ids``: its posting list, when read already."""
        if self._scope is None:
            return self.searcher.doc_frequency(fieldname, text)
        if ids is None:
            ids = self.postings.get(fieldname, text)[0]
        return int(np.count_nonzero(self._scope[ids]))

    def _avg_length(self, fieldname: str) -> float:
        if self._scope is None:
            return self.searcher.avg_field_length(fieldname) or 1
        if fieldname not in self._avg_lengths:
            lengths = self.postings.lengths(fieldname)[self._scope]
            self._avg_lengths[fieldname] = float(lengths.mean()) if len(lengths) and lengths.any() else 1.0
        return self._avg_lengths[fieldname]

    def top(self, q: wq.Query, among: np.ndarray, limit: int,
            deadline: Deadline = NO_DEADLINE) -> list[tuple[int, float]]:
        """The ``limit`` best (docnum, score) among the records flagged in ``among``,
        best first, equal scores in document-number order (as Whoosh's collector).
        Records the query does not match are left out."""
        scores = self.scores(q, deadline)
        if scores is None:
            return []
        scores = np.where(among, scores, 0.0)
        candidates = np.flatnonzero(scores > 0)
        if len(candidates) > limit:
            # The limit-th best score: everything above it, and the ties at it in docnum order.
            threshold = np.partition(scores[candidates], len(candidates) - limit)[len(candidates) - limit]
            candidates = candidates[scores[candidates] >= threshold]
        order = np.lexsort((candidates, -scores[candidates]))[:limit]
        return [(int(d), float(scores[d])) for d in candidates[order]]

    def scores(self, q: wq.Query, deadline: Deadline = NO_DEADLINE) -> np.ndarray | None:
        """Each record's score (0 where ``q`` does not match), or None when nothing matches."""
        if isinstance(q, (wq.And, wq.Or)) and len(q.subqueries) > 1 and q.boost != 1.0:
            inner = self._unboosted(q, deadline)
            return None if inner is None else inner * q.boost
        return self._unboosted(q, deadline)

    def _unboosted(self, q: wq.Query, deadline: Deadline) -> np.ndarray | None:
        """The scores before a compound query's own boost (a term's boost is part of its score)."""
        deadline.check()
        if isinstance(q, wq.Term):
            return self._term(q)
        if isinstance(q, wq.And):
            total = None
            for child in q.subqueries:
                s = self.scores(child, deadline)
                if s is None:
                    return None
                total = s if total is None else np.where((total > 0) & (s > 0), total + s, 0.0)
            return total
        if isinstance(q, wq.Or):
            total = None
            for child in q.subqueries:
                s = self.scores(child, deadline)
                if s is not None:
                    total = s if total is None else total + s
            return total
        if isinstance(q, wq.AndNot):
            return self.scores(q.a, deadline)  # matches are decided elsewhere; exclusions do not score
        if isinstance(q, wq.ConstantScoreQuery):
            inner = self.scores(q.child, deadline)
            return None if inner is None else np.where(inner > 0, q.score, 0.0)
        return self._by_whoosh(q, deadline)

    def _term(self, q: wq.Term) -> np.ndarray | None:
        fieldname, text = q.fieldname, q.text
        if fieldname not in self._schema:
            return None
        ids, weights = self.postings.get(fieldname, text)
        if not len(ids):
            return None
        if self._schema[fieldname].scorable:
            df = self.frequency(fieldname, text, ids)
            idf = log(self._doc_count / (df + 1)) + 1
            avgfl = self._avg_length(fieldname)
            fl = self.postings.lengths(fieldname)[ids]
            values = idf * ((weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * fl / avgfl)))
        else:
            values = weights
        if q.boost != 1.0:
            values = values * q.boost
        out = np.zeros(self.postings.size, dtype=np.float64)
        out[ids] = values
        return out

    def _by_whoosh(self, q: wq.Query, deadline: Deadline) -> np.ndarray | None:
        try:
            m = q.matcher(self.searcher, self.searcher.context())
        except TermNotFound:
            return None
        out = np.zeros(self.postings.size, dtype=np.float64)
        found = False
        while m.is_active():
            deadline.check()
            out[m.id()] = m.score()
            found = True
            m.next()
        return out if found else None
