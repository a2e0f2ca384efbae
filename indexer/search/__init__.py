"""Answering queries: a request in, hits and facet counts out, as plain data.

The query language (:mod:`.query`), its evaluation as bitsets (:mod:`.matching`) over one
searcher's :class:`Snapshot` (:mod:`.snapshot`, :mod:`.tables`), BM25F in numpy
(:mod:`.scoring`), the order of hits (:mod:`.ranking`), facet filters and counts
(:mod:`.facets`), snippets (:mod:`.highlight`), suggestions and corrections (:mod:`.suggest`),
the short names the documents define (:mod:`.aliases`) and the drafting aid (:mod:`.draft`). :func:`evaluate` (:mod:`.evaluation`) matches a request
once; everything a page shows is derived from that one match.
"""
from __future__ import annotations

from .aliases import Alias, AliasTable, save_aliases
from .draft import MAX_DRAFT_CHARS, Passage, similar_passages
from .evaluation import Evaluation, evaluate
from .facets import Facet, FacetTable, as_mask
from .highlight import Fragment, highlight_all
from .matching import Matcher
from .query import highlight_terms
from .results import (
    FACETS,
    VALIDITY,
    Expansion,
    FacetValue,
    Hit,
    IndexStats,
    SearchRequest,
    SearchResult,
)
from .scoring import Scorer
from .snapshot import Snapshot
from .suggest import Suggestion, Vocabulary, save_vocabulary
from .tables import (
    Tables,
    derived_path,
    drop_older,
    identity,
    read_derived,
    write_derived,
)

__all__ = [
    "FACETS", "MAX_DRAFT_CHARS", "VALIDITY", "Alias", "AliasTable", "Evaluation", "Expansion", "Facet",
    "FacetTable", "FacetValue", "Fragment", "Hit", "IndexStats", "Matcher", "Passage", "Scorer", "SearchRequest", "SearchResult", "Snapshot",
    "Suggestion", "Tables", "Vocabulary", "as_mask", "derived_path", "drop_older", "evaluate", "highlight_all",
    "highlight_terms", "identity", "read_derived", "save_aliases", "save_vocabulary", "similar_passages",
    "write_derived",
]
