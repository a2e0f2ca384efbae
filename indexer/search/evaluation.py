"""A request matched once: everything a search page shows is derived from one match.

:class:`Evaluation` parses the request's query, evaluates it over the caller's scope
(a bitset of what the caller may read), falls back to its relaxed form when nothing has
every word, applies the filters and counts the facets — once. The hits of any page of it
(:meth:`Evaluation.hits`), the documents a typed number names (:meth:`Evaluation.named`)
and the timeline (``indexer.analytics.timeline.series`` over :attr:`Evaluation.matched`)
all read that one match. Every query node it evaluates on the way (the pinned and
preferred tiers of the ranking, the reference a number lookup follows) is evaluated at
most once per evaluation: :meth:`Evaluation.bits` keeps them.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..deadline import Deadline
from .facets import as_mask, filter_and_count, from_mask, iter_bits
from .query import ParsedQuery, parse_query
from .ranking import Ranked, by_relevance, hit
from .results import Expansion, FacetValue, Hit, SearchRequest
from .snapshot import Snapshot


@dataclass
class Evaluation:
    """What ``request`` matches of ``scope`` (a bitset) in ``snapshot``, once :meth:`match` has run
    (:func:`evaluate` does both). A page that may open the document a typed number names asks
    :meth:`named` first and matches only when it must: the number's records are kept for both."""

    snapshot: Snapshot
    request: SearchRequest
    scope: int
    parsed: ParsedQuery
    query: object = None  # the query that matched: the request's, or its relaxed form
    relaxed: bool = False
    matched: int = 0  # bitset, after the filters
    facets: dict[str, tuple[FacetValue, ...]] = field(default_factory=dict)
    sort: str = "relevance"
    # coverage[k]: the records holding at least k of the query's concepts (k = 0 … n), when ranked
    # by how much of the query a record covers; () for a query of one concept.
    coverage: tuple[int, ...] = ()
    _bits: dict[object, int] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, snapshot: Snapshot, request: SearchRequest, scope: int,
           aliases: Callable[[str], tuple[Expansion, ...]] | None = None) -> Evaluation:
        """The request parsed, not yet matched; ``aliases``: the names the documents of ``scope``
        define for a word (see :mod:`.aliases`)."""
        return cls(snapshot, request, scope, parse_query(request.q, aliases))

    @property
    def total(self) -> int:
        return self.matched.bit_count()

    def bits(self, q, deadline: Deadline) -> int:
        """``q`` evaluated over the whole index, once per evaluation: kept by the query itself
        (Whoosh's queries compare and hash by structure, so an equal query built elsewhere —
        a word's own query, checked again for a correction — is not evaluated again)."""
        kept = self._bits.get(q)
        if kept is None:
            kept = self._bits[q] = self.snapshot.matcher.bits(q, deadline)
        return kept

    def ranked(self, offset: int, count: int, deadline: Deadline) -> Ranked:
        """(stored fields, score) of matches ``offset`` to ``offset + count`` in the request's order
        (score None when the order is by date)."""
        if not self.matched:
            return []
        if self.sort == "relevance":
            ranked = by_relevance(self.snapshot, self.parsed, self.query, self.matched, offset + count, deadline,
                                  lambda q: self.bits(q, deadline), self.coverage, self.relaxed)
            return ranked[offset:offset + count]
        order = self.snapshot.order(self.sort, self.matched, offset + count)[offset:]
        return [(self.snapshot.stored(d), None) for d in deadline.each(order)]

    def hits(self, offset: int, count: int, deadline: Deadline) -> tuple[Hit, ...]:
        """Hits ``offset`` to ``offset + count``, with their snippets (the deadline checked after each)."""
        hits = []
        for stored, score in self.ranked(offset, count, deadline):
            hits.append(hit(stored, self.parsed.terms, score))
            deadline.check()
        return tuple(hits)

    def page_hits(self, deadline: Deadline) -> tuple[Hit, ...]:
        """The hits of the request's own page."""
        return self.hits((self.request.page - 1) * self.request.size, self.request.size, deadline)

    def match(self, deadline: Deadline) -> Evaluation:
        """Every record of the scope the request matches (see :mod:`indexer.search.matching`),
        filtered, with facet counts; when no record has every word, the records with some."""
        self.query = self.parsed.query
        candidates = self.bits(self.query, deadline) & self.scope
        concepts = self.parsed.concepts
        if len(concepts) >= MANY_CONCEPTS:  # a long query: records missing some of its concepts match too
            # (a shorter one matches records holding every concept: all of one level, nothing to count)
            held = [self.bits(c, deadline) & self.scope for c in concepts]
            own = coverage(held, self.scope)
            candidates |= own[should_match(len(concepts))]
            # Ranked by what a record covers, or its document between its records (a matching record of
            # a document that covers the query is as good a place to start reading as one that does alone).
            whole = document_coverage(held, self.snapshot.tables.documents, self.scope)
            self.coverage = tuple(a | b for a, b in zip(own, whole))
        if not candidates and self.parsed.relaxed is not None:
            self.query, self.relaxed = self.parsed.relaxed, True  # nothing has every word: show what has some
            candidates = self.bits(self.query, deadline) & self.scope
        self.matched, self.facets = filter_and_count(self.snapshot.facets, candidates, self.request.filters())
        deadline.check()
        self.sort = self.request.sort if self.request.sort != "relevance" or not self.parsed.is_empty else "newest"
        return self

    def named(self, deadline: Deadline) -> tuple[str, ...]:
        """The documents the query names outright when it is one document number or session
        (〔2021〕9号, 第128次常务会议), newest first, within the scope; else empty."""
        reference = self.parsed.reference
        if reference is None:
            return ()
        dates: dict[str, str] = {}
        for docnum in deadline.each(iter_bits(self.bits(reference, deadline) & self.scope, self.snapshot.size)):
            stored = self.snapshot.stored(docnum)
            dates.setdefault(stored["doc_id"], stored.get("date", ""))
        return tuple(sorted(dates, key=dates.get, reverse=True))


MANY_CONCEPTS = 4  # from this many concepts on, a record may miss some (see should_match)


def should_match(concepts: int) -> int:
    """How many of a long query's concepts a record must hold: all but one of four, 60 % of
    more (five → 3, six → 4; after Lucene's ``minimum_should_match``)."""
    return concepts - 1 if concepts <= MANY_CONCEPTS else -(-concepts * 3 // 5)


def coverage(concepts: list[int], scope: int) -> tuple[int, ...]:
    """``at_least[k]``: the records of ``scope`` in at least ``k`` of the ``concepts`` bitsets, for
    k = 0 … len(concepts) (counted as bit-sliced sums: a few big-integer operations a concept)."""
    at_least = [scope] + [0] * len(concepts)
    for bits in concepts:
        for k in range(len(concepts), 0, -1):
            at_least[k] |= at_least[k - 1] & bits
    return tuple(at_least)


def document_coverage(concepts: list[int], documents: np.ndarray, scope: int) -> tuple[int, ...]:
    """Like :func:`coverage`, by document: ``at_least[k]``, the records of ``scope`` whose document
    (``documents``: each record's, see :class:`.tables.Tables`) holds at least ``k`` of the
    ``concepts`` in its records of ``scope``."""
    size = len(documents)
    held = np.zeros(int(documents.max(initial=-1)) + 2, dtype=np.int32)  # (the last: records of no document)
    for bits in concepts:
        found = np.unique(documents[as_mask(bits, size)])
        held[found[found >= 0]] += 1
    per_record = held[documents]
    return (scope,) + tuple(from_mask(per_record >= k) & scope for k in range(1, len(concepts) + 1))


def evaluate(snapshot: Snapshot, request: SearchRequest, deadline: Deadline, scope: int,
             aliases: Callable[[str], tuple[Expansion, ...]] | None = None) -> Evaluation:
    """Every record of ``scope`` the request matches: see :meth:`Evaluation.match`."""
    return Evaluation.of(snapshot, request, scope, aliases).match(deadline)
