"""Searching an index: requests in, hits and facet counts out, as plain data.

:class:`SearchIndex` holds one open index and one searcher per process and
reopens the searcher when the index has changed. It never calls Whoosh's
``Searcher.refresh()``: on whoosh-reloaded 2.7.5 that returns the old and the
new segments together after a merge (duplicate hits), and a reopen costs the
same.
"""
from __future__ import annotations

import json
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import query as wq
from whoosh import sorting

from .citation import citation
from .errors import DocumentNotFound, QueryError
from .highlight import Fragment, snippets
from .indexing import open_whoosh_index
from .model import Document, from_dict
from .query import parse_query
from .schema import FACET_FIELDS

MAX_QUERY_CHARS = 500
MAX_PAGE_SIZE = 100
MAX_PAGE = 500
MAX_FILTER_VALUES = 50
SORTS = ("relevance", "newest", "oldest")


@dataclass(frozen=True)
class SearchRequest:
    """What to search for. Facet filters: values within one facet are OR-ed,
    facets are AND-ed."""

    q: str = ""
    dept: tuple[str, ...] = ()
    topic: tuple[str, ...] = ()
    meeting: tuple[str, ...] = ()
    year: tuple[str, ...] = ()
    doc_type: tuple[str, ...] = ()
    page: int = 1
    size: int = 10
    sort: str = "relevance"

    def __post_init__(self):
        if len(self.q) > MAX_QUERY_CHARS:
            raise QueryError("q", f"query is {len(self.q)} characters; the limit is {MAX_QUERY_CHARS}")
        if not 1 <= self.page <= MAX_PAGE:
            raise QueryError("page", f"must be between 1 and {MAX_PAGE}")
        if not 1 <= self.size <= MAX_PAGE_SIZE:
            raise QueryError("size", f"must be between 1 and {MAX_PAGE_SIZE}")
        if self.sort not in SORTS:
            raise QueryError("sort", f"must be one of {', '.join(SORTS)}")
        for name in FACET_FIELDS:
            values = getattr(self, name)
            if not isinstance(values, tuple):
                raise QueryError(name, "must be a tuple of strings")
            if len(values) > MAX_FILTER_VALUES:
                raise QueryError(name, f"at most {MAX_FILTER_VALUES} values")
        for value in self.year:
            if not (value.isdigit() and len(value) == 4):
                raise QueryError("year", f"{value!r} is not a four-digit year")

    def filters(self) -> dict[str, tuple[str, ...]]:
        return {name: getattr(self, name) for name in FACET_FIELDS if getattr(self, name)}


@dataclass(frozen=True)
class Hit:
    id: str
    doc_id: str
    doc_title: str
    doc_number: str
    doc_type: str
    date: str
    item_no: int
    item_title: str
    citation: str
    fragments: tuple[Fragment, ...]
    score: float
    departments: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int
    selected: bool


@dataclass(frozen=True)
class SearchResult:
    request: SearchRequest
    total: int
    hits: tuple[Hit, ...]
    facets: dict[str, tuple[FacetValue, ...]]
    terms: tuple[str, ...]
    elapsed_ms: float

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.request.size))


@dataclass(frozen=True)
class IndexStats:
    documents: int
    items: int
    last_modified: float  # seconds since the epoch
    path: str


@dataclass
class _SearcherState:
    searcher: object
    facet_values: dict[int, dict[str, tuple[str, ...]]] = field(default_factory=dict)


def _split(value: str) -> tuple[str, ...]:
    return tuple(v for v in (value or "").split(",") if v)


class SearchIndex:
    """An open index. Create one per process (gunicorn worker) and reuse it."""

    def __init__(self, index_dir: str | Path):
        self.path = Path(index_dir)
        self._ix = open_whoosh_index(self.path)
        self._state: _SearcherState | None = None
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            if self._state:
                self._state.searcher.close()
                self._state = None
            self._ix.close()

    def _current(self) -> _SearcherState:
        """The searcher, reopened (never refreshed) when the index has changed."""
        with self._lock:
            state = self._state
            if state is None or not state.searcher.up_to_date():
                if state is not None:
                    state.searcher.close()
                searcher = self._ix.searcher()
                table = {
                    docnum: {name: _split(stored.get(name, "")) for name in FACET_FIELDS}
                    for docnum, stored in ((n, searcher.stored_fields(n)) for n in searcher.reader().all_doc_ids())
                }
                state = self._state = _SearcherState(searcher, table)
            return state

    def stats(self) -> IndexStats:
        state = self._current()
        searcher = state.searcher
        documents = sum(1 for _ in searcher.lexicon("doc_id"))
        mtime = max((p.stat().st_mtime for p in self.path.iterdir() if p.is_file()), default=0.0)
        return IndexStats(documents=documents, items=searcher.doc_count(), last_modified=mtime, path=str(self.path))

    def search(self, request: SearchRequest) -> SearchResult:
        started = time.perf_counter()
        state = self._current()
        searcher = state.searcher
        parsed = parse_query(request.q)
        filters = request.filters()
        filter_query = (
            wq.And([wq.Or([wq.Term(name, v) for v in values]) for name, values in filters.items()])
            if filters else None
        )
        matched = searcher.search(parsed.query, filter=filter_query, limit=None, scored=False).docs()
        sort = request.sort if request.sort != "relevance" or not parsed.is_empty else "newest"
        sortedby = None
        if sort != "relevance":
            newest = sort == "newest"
            sortedby = sorting.MultiFacet([sorting.FieldFacet("date", reverse=newest), sorting.FieldFacet("item_no")])
        offset = (request.page - 1) * request.size
        results = searcher.search(parsed.query, filter=filter_query, limit=offset + request.size, sortedby=sortedby)
        hits = tuple(self._hit(h, parsed.terms) for h in results[offset:offset + request.size])
        return SearchResult(
            request=request,
            total=len(matched),
            hits=hits,
            facets=self._facets(state, matched, filters),
            terms=parsed.terms,
            elapsed_ms=(time.perf_counter() - started) * 1000,
        )

    @staticmethod
    def _hit(hit, terms: tuple[str, ...]) -> Hit:
        f = hit.fields()
        return Hit(
            id=f["id"], doc_id=f["doc_id"], doc_title=f["doc_title"], doc_number=f.get("doc_number", ""),
            doc_type=f.get("doc_type", ""), date=f.get("date", ""), item_no=f["item_no"],
            item_title=f.get("item_title", ""),
            citation=citation(f["doc_title"], f.get("doc_number", ""), f["item_no"]),
            fragments=snippets(f.get("body", ""), terms),
            score=round(hit.score, 4) if isinstance(hit.score, float) else 0.0,  # sorted: a sort key
            departments=_split(f.get("dept", "")), topics=_split(f.get("topic", "")),
        )

    @staticmethod
    def _facets(state: _SearcherState, matched, filters) -> dict[str, tuple[FacetValue, ...]]:
        counts = {name: Counter() for name in FACET_FIELDS}
        for docnum in matched:
            values = state.facet_values.get(docnum, {})
            for name in FACET_FIELDS:
                counts[name].update(values.get(name, ()))
        facets = {}
        for name in FACET_FIELDS:
            selected = set(filters.get(name, ()))
            counter = counts[name]
            for value in selected - set(counter):
                counter[value] = 0  # keep a selected value visible so it can be removed
            if name == "year":
                order = sorted(counter, reverse=True)
            else:
                order = sorted(counter, key=lambda v: (-counter[v], v))
            facets[name] = tuple(FacetValue(v, counter[v], v in selected) for v in order)
        return facets

    def document(self, doc_id: str) -> Document:
        records = sorted(self._current().searcher.documents(doc_id=doc_id), key=lambda r: r["item_no"])
        if not records:
            raise DocumentNotFound(doc_id)
        meta = json.loads(records[0]["doc_meta"])
        items = [json.loads(r["item_json"]) for r in records]
        return from_dict(Document, {**meta, "items": items})
