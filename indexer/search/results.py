"""Search requests and results: plain, frozen data for the edges to present."""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import QueryError
from ..store import FACET_FIELDS
from .highlight import Fragment

MAX_QUERY_CHARS = 500
MAX_QUERY_TERMS = 32
MAX_PAGE_SIZE = 100
MAX_PAGE = 500
MAX_FILTER_VALUES = 50
SORTS = ("relevance", "newest", "oldest")
# A facet no field of the index holds: a document's force, decided from what later documents say
# of it (indexer.analytics.validity) and put beside the fields' facets when a searcher opens.
VALIDITY = "validity"
FACETS = (*FACET_FIELDS, VALIDITY)


@dataclass(frozen=True)
class Expansion:
    """A word of the query also searched as another, at a lower weight, because a document the
    caller may read defines one as the short name of the other (see :mod:`.aliases`):
    自贸区 searched as 自由贸易试验区 too (``short`` is ``word``), or the reverse."""

    word: str  # as typed
    expanded: str  # also searched for it
    short: str  # the short name of the two
    doc_id: str  # a document that defines it (the caller may read it)
    doc_title: str


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
    validity: tuple[str, ...] = ()
    page: int = 1
    size: int = 10
    sort: str = "relevance"

    def __post_init__(self):
        if len(self.q) > MAX_QUERY_CHARS:
            raise QueryError("q", f"query is {len(self.q)} characters; the limit is {MAX_QUERY_CHARS}")
        terms = len(self.q.split())
        if terms > MAX_QUERY_TERMS:
            raise QueryError("q", f"query has {terms} terms; the limit is {MAX_QUERY_TERMS}")
        if not 1 <= self.page <= MAX_PAGE:
            raise QueryError("page", f"must be between 1 and {MAX_PAGE}")
        if not 1 <= self.size <= MAX_PAGE_SIZE:
            raise QueryError("size", f"must be between 1 and {MAX_PAGE_SIZE}")
        if self.sort not in SORTS:
            raise QueryError("sort", f"must be one of {', '.join(SORTS)}")
        for name in FACETS:
            values = getattr(self, name)
            if not isinstance(values, tuple):
                raise QueryError(name, "must be a tuple of strings")
            if len(values) > MAX_FILTER_VALUES:
                raise QueryError(name, f"at most {MAX_FILTER_VALUES} values")
        for value in self.year:
            if not (value.isdigit() and len(value) == 4):
                raise QueryError("year", f"{value!r} is not a four-digit year")

    def filters(self) -> dict[str, tuple[str, ...]]:
        return {name: getattr(self, name) for name in FACETS if getattr(self, name)}


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
    part: str = "item"  # item, or preamble (the opening paragraph of minutes)
    validity: str = ""  # the document's force (现行有效 / 已修订 / 已废止 / 已失效 / 未见废止), when known


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
    relaxed: bool = False  # nothing matched every word; these hits match some of them
    did_you_mean: str = ""  # a corrected query, when the words look misspelt
    expansions: tuple[Expansion, ...] = ()  # words also searched as a short or full name documents define

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.request.size))


@dataclass(frozen=True)
class IndexStats:
    documents: int
    records: int  # agenda items and preambles
    last_modified: float  # seconds since the epoch
    path: str
