"""The product's URL scheme: where a document, an item, a sub-point, a policy path, a
department's tasks and a search live, as paths relative to the server.

One definition for both edges: the web app links its pages with these and puts them in its
JSON twins, and the command line prints the same ``url`` in its ``--json`` (issue 2 made
``url`` part of ``minutes search --json``; outside scripts link hits with it).

- a document's reading view is ``/doc/<doc_id>``; with ``?q=`` it highlights a search's words;
- a place in it is an anchor: ``#item-5``, ``#item-5-2`` (item 五, sub-point （二）),
  ``#preamble`` (会议概况, the opening of minutes);
- ``/search``, ``/policy?title=``, ``/tasks?dept=&year=&role=`` and the other pages take their
  parameters in the query string; a search's filters by :data:`FACET_PARAMS`.
"""
from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

from ..analytics import DocRef
from ..search import FACETS, Hit, Passage, SearchRequest

SEARCH, POLICY, TASKS = "/search", "/policy", "/tasks"
PREAMBLE = "preamble"
# The URL parameter of each facet; the issue fixed "type" for doc_type.
FACET_PARAMS = {"dept": "dept", "topic": "topic", "meeting": "meeting", "year": "year", "doc_type": "type",
                "validity": "validity"}
DEFAULT_SIZE = 10  # the page size a search URL leaves out


def with_params(path: str, params: Iterable[tuple[str, str]] = ()) -> str:
    """``path`` with ``params`` as its query string (none: the path alone)."""
    params = list(params)
    return path + ("?" + urlencode(params) if params else "")


def item_anchor(item_no: int, subpoint: int = 0) -> str:
    """``item-5``, ``item-5-2``: the ids of items and sub-points in the reading view (the body of a
    document without items is ``item-0``, which links to it leave out: they open the document)."""
    return f"item-{item_no}-{subpoint}" if subpoint else f"item-{item_no}"


def document_url(doc_id: str, anchor: str = "", q: str = "") -> str:
    """The reading view of a document, at ``anchor``; with ``q`` it highlights those words."""
    return with_params(f"/doc/{doc_id}", [("q", q)] if q else []) + (f"#{anchor}" if anchor else "")


def hit_url(hit: Hit, q: str = "") -> str:
    """The hit's place in the reading view: its item, or the preamble."""
    anchor = PREAMBLE if hit.part == PREAMBLE else item_anchor(hit.item_no) if hit.item_no else ""
    return document_url(hit.doc_id, anchor, q)


def place_url(place: DocRef) -> str:
    """A cited or citing place, a step of a policy path, a task: the document, at its item when it has one."""
    return document_url(place.doc_id, item_anchor(place.item_no) if place.item_no else "")


def passage_url(passage: Passage) -> str:
    """A passage of the drafting aid: its sub-point, item, or the preamble."""
    anchor = item_anchor(passage.item_no, passage.subpoint) if passage.item_no or passage.subpoint else PREAMBLE
    return document_url(passage.doc_id, anchor)


def policy_url(title: str) -> str:
    """The path of a reviewed document (《》 left off) through the meetings that handled it."""
    return with_params(POLICY, [("title", title)])


def tasks_url(dept: str, year: str = "", role: str = "") -> str:
    """A department's tasks, in ``year`` and as ``role`` when given."""
    params = [("dept", dept)] + ([("year", year)] if year else []) + ([("role", role)] if role else [])
    return with_params(TASKS, params)


def request_params(req: SearchRequest) -> list[tuple[str, str]]:
    """The URL parameters that reproduce ``req`` (defaults left out)."""
    params = [("q", req.q)] if req.q else []
    for name in FACETS:
        params.extend((FACET_PARAMS[name], v) for v in getattr(req, name))
    if req.sort != "relevance":
        params.append(("sort", req.sort))
    if req.size != DEFAULT_SIZE:
        params.append(("size", str(req.size)))
    if req.page != 1:
        params.append(("page", str(req.page)))
    return params


def search_url(params: Iterable[tuple[str, str]] = ()) -> str:
    """A search: ``/search`` with these parameters (a department's or topic's search is
    ``search_url([("dept", name)])``)."""
    return with_params(SEARCH, params)
