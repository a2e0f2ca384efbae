"""The index as one open searcher sees it: what every query of that searcher reads.

A :class:`Snapshot` is made when :class:`indexer.engine.SearchIndex` opens (or reopens)
its searcher and lives until the index changes: the searcher's stored fields, the facet
table and date orders (:mod:`indexer.search.tables`), the bitset evaluator
(:mod:`indexer.search.matching`) and the scorer (:mod:`indexer.search.scoring`).
"""
from __future__ import annotations

from dataclasses import dataclass

from whoosh import query as wq

from .facets import FacetTable, as_mask
from .matching import Matcher
from .scoring import Scorer
from .tables import Tables


@dataclass(frozen=True)
class Snapshot:
    searcher: object  # Whoosh's searcher: stored fields and term statistics
    tables: Tables
    matcher: Matcher
    scorer: Scorer

    @property
    def facets(self) -> FacetTable:
        return self.tables.facets

    @property
    def size(self) -> int:
        """Record numbers run from 0 to this (deleted ones included)."""
        return self.tables.facets.size

    def labelled(self, labels: frozenset[str]) -> int:
        """The live records carrying any of these visibility labels, as a bitset."""
        bits = 0
        for label in labels:
            bits |= self.matcher.bits(wq.Term("visibility", label))
        return bits

    def order(self, sort: str, matched: int, limit: int) -> list[int]:
        """The first ``limit`` of ``matched`` by date (newest or oldest first, then item number)."""
        order = self.tables.order(sort)
        return order[as_mask(matched, self.size)[order]][:limit].tolist()

    def stored(self, docnum: int) -> dict:
        return self.searcher.stored_fields(docnum)
