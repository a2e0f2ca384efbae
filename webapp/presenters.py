"""Search results into the shapes the pages, the JSON API and the CLI show.

This is the one place where hits become URLs and highlight spans become
markup. ``result_json`` is the contract shared by ``/api/search`` and
``minutes search --json``.
"""
from __future__ import annotations

from urllib.parse import urlencode

from markupsafe import Markup, escape

import indexer

FACET_LABELS = {"dept": "部门", "topic": "主题", "meeting": "会议", "year": "年份", "doc_type": "类型"}
# URL parameter for each facet; the issue fixed "type" for doc_type.
FACET_PARAMS = {"dept": "dept", "topic": "topic", "meeting": "meeting", "year": "year", "doc_type": "type"}
SORT_LABELS = {"relevance": "相关度", "newest": "最新", "oldest": "最早"}


def hit_url(hit: indexer.Hit, q: str = "") -> str:
    """The hit's place in the reading view; with ``q`` the page highlights it."""
    query = "?" + urlencode({"q": q}) if q else ""
    anchor = "#preamble" if hit.part == "preamble" else f"#item-{hit.item_no}" if hit.item_no else ""
    return f"/doc/{hit.doc_id}{query}{anchor}"


def fragment_html(fragment: indexer.Fragment) -> Markup:
    """Escaped text with our own ``<mark>`` tags and nothing else."""
    out, last = [], 0
    for start, end in fragment.highlights:
        out.append(escape(fragment.text[last:start]))
        out.append(Markup("<mark>") + escape(fragment.text[start:end]) + Markup("</mark>"))
        last = end
    out.append(escape(fragment.text[last:]))
    return Markup("").join(out)


def snippet_html(fragments: tuple[indexer.Fragment, ...]) -> Markup:
    return Markup("…").join(fragment_html(f) for f in fragments)


def hit_json(hit: indexer.Hit) -> dict:
    return {
        "id": hit.id,
        "doc_id": hit.doc_id,
        "doc_title": hit.doc_title,
        "doc_number": hit.doc_number,
        "doc_type": hit.doc_type,
        "date": hit.date,
        "item_no": hit.item_no,
        "item_title": hit.item_title,
        "citation": hit.citation,
        "snippet": str(snippet_html(hit.fragments)),
        "score": hit.score,
        "url": hit_url(hit),
        "part": hit.part,
        "dept": list(hit.departments),
        "topic": list(hit.topics),
    }


def result_json(result: indexer.SearchResult) -> dict:
    """The object ``/api/search`` returns and ``minutes search --json`` prints."""
    return {
        "ok": True,
        "query": result.request.q,
        "total": result.total,
        "page": result.request.page,
        "size": result.request.size,
        "pages": result.pages,
        "sort": result.request.sort,
        "elapsed_ms": round(result.elapsed_ms, 1),
        "relaxed": result.relaxed,
        "did_you_mean": result.did_you_mean,
        "hits": [hit_json(h) for h in result.hits],
        "facets": {
            name: [{"value": v.value, "count": v.count, "selected": v.selected} for v in values]
            for name, values in result.facets.items()
        },
    }


def request_params(req: indexer.SearchRequest) -> list[tuple[str, str]]:
    """The URL parameters that reproduce ``req`` (defaults left out)."""
    params = [("q", req.q)] if req.q else []
    for name in indexer.FACET_FIELDS:
        params.extend((FACET_PARAMS[name], v) for v in getattr(req, name))
    if req.sort != "relevance":
        params.append(("sort", req.sort))
    if req.size != 10:
        params.append(("size", str(req.size)))
    if req.page != 1:
        params.append(("page", str(req.page)))
    return params


def search_url(params: list[tuple[str, str]], path: str = "/search") -> str:
    return path + ("?" + urlencode(params) if params else "")


def _toggle(req: indexer.SearchRequest, name: str, value: str) -> str:
    param = FACET_PARAMS[name]
    params = [p for p in request_params(req) if p[0] != "page"]
    if (param, value) in params:
        params.remove((param, value))
    else:
        params.append((param, value))
    return search_url(params)


def search_page(result: indexer.SearchResult) -> dict:
    """Everything the search template shows."""
    req = result.request
    facets = [
        {
            "name": name,
            "param": FACET_PARAMS[name],
            "label": FACET_LABELS[name],
            "values": [
                {"value": v.value, "label": v.value, "count": v.count, "selected": v.selected,
                 "toggle_url": _toggle(req, name, v.value)}
                for v in values
            ],
        }
        for name, values in result.facets.items()
        if values
    ]
    chips = [
        {"label": f"{FACET_LABELS[name]}：{value}", "remove_url": _toggle(req, name, value)}
        for name in indexer.FACET_FIELDS for value in getattr(req, name)
    ]
    base = [p for p in request_params(req) if p[0] != "page"]

    def page_url(n: int) -> str:
        return search_url(base + ([("page", str(n))] if n > 1 else []))

    hits = [
        dict(hit_json(h), snippet_html=snippet_html(h.fragments), link=hit_url(h, req.q),
             item_label=indexer.item_label(h.item_no), number=(req.page - 1) * req.size + n,
             quote=quoted("……".join(f.text for f in h.fragments), h.citation))
        for n, h in enumerate(result.hits, 1)
    ]
    sorts = [
        {"value": s, "label": label, "selected": s == req.sort,
         "url": search_url([p for p in base if p[0] != "sort"] + ([("sort", s)] if s != "relevance" else []))}
        for s, label in SORT_LABELS.items()
    ]
    return {
        "request": req,
        "total": result.total,
        "elapsed_ms": round(result.elapsed_ms, 1),
        "hits": hits,
        "groups": group_by_document(hits),
        "facets": facets,
        "chips": chips,
        "sorts": sorts,
        "page": req.page,
        "pages": result.pages,
        "prev_url": page_url(req.page - 1) if req.page > 1 else None,
        "next_url": page_url(req.page + 1) if req.page < result.pages else None,
        "json_url": search_url(request_params(req), "/api/search"),
        "relaxed": result.relaxed,
        "did_you_mean": result.did_you_mean,
        "did_you_mean_url": search_url([("q", result.did_you_mean)] + [p for p in base if p[0] != "q"])
        if result.did_you_mean else None,
    }


def group_by_document(hits: list[dict]) -> list[dict]:
    """Hits of one document together, documents in the order of their best hit."""
    groups: dict[str, dict] = {}
    for hit in hits:
        group = groups.setdefault(hit["doc_id"], {
            "doc_id": hit["doc_id"], "doc_title": hit["doc_title"], "doc_number": hit["doc_number"],
            "doc_type": hit["doc_type"], "date": hit["date"], "doc_url": f"/doc/{hit['doc_id']}", "hits": [],
        })
        group["hits"].append(hit)
    return list(groups.values())


def quoted(text: str, citation: str) -> str:
    """The text to paste when quoting: the wording in quotation marks, then its citation."""
    return f"“{text.strip()}”（{citation}）"


def suggestions_json(prefix: str, suggestions: tuple[indexer.Suggestion, ...]) -> dict:
    return {"ok": True, "q": prefix, "suggestions": [{"value": s.value, "kind": s.kind} for s in suggestions]}
