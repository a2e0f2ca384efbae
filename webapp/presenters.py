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
             item_label=indexer.item_label(h.item_no))
        for h in result.hits
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


def suggestions_json(prefix: str, suggestions: tuple[indexer.Suggestion, ...]) -> dict:
    return {"ok": True, "q": prefix, "suggestions": [{"value": s.value, "kind": s.kind} for s in suggestions]}


ROLE_LABELS = {indexer.LEAD: "牵头", indexer.CO_LEAD: "会同配合", indexer.MENTIONED: "提及"}


def _item_json(doc: indexer.Document, item: indexer.Item) -> dict:
    return {
        "item_no": item.number,
        "title": item.title,
        "text": item.text,
        "anchor": f"item-{item.number}",
        "citation": indexer.citation(doc.title, doc.doc_number, item.number),
        "action": item.action,
        "decision": item.decision,
        "reviewed": list(item.reviewed),
        "dept": list(item.departments),
        "roles": [{"name": r.name, "role": r.role, "known": r.known} for r in item.roles],
        "topic": list(item.topics),
        "topics": [{"topic": t.topic, "evidence": list(t.evidence)} for t in item.topic_matches],
        "keywords": list(item.keywords),
        "subpoints": [
            {"number": sp.number, "label": sp.label, "text": sp.text,
             "anchor": f"item-{item.number}-{sp.number}",
             "citation": indexer.citation(doc.title, doc.doc_number, item.number, sp.number)}
            for sp in item.subpoints
        ],
    }


def document_json(doc: indexer.Document) -> dict:
    """The whole parsed structure of a document, as ``/api/doc/<id>`` serves it."""
    return {
        "ok": True,
        "id": doc.id,
        "title": doc.title,
        "issuer": doc.issuer,
        "doc_type": doc.doc_type,
        "meeting_kind": doc.meeting_kind,
        "doc_number": doc.doc_number,
        "number": {"prefix": doc.number_prefix, "year": doc.number_year, "seq": doc.number_seq},
        "session": doc.session,
        "date": doc.date,
        "compiled": doc.compiled,
        "issued": doc.issued,
        "signed": doc.signed,
        "chair": {"name": doc.chair_name, "title": doc.chair_title} if doc.chair else None,
        "addressees": list(doc.addressees),
        "public": doc.public,
        "metadata": [{"label": k, "value": v} for k, v in doc.metadata],
        "preamble": doc.preamble,
        "citation": indexer.citation(doc.title, doc.doc_number),
        "items": [_item_json(doc, item) for item in doc.items],
        "attendance": {
            "present": list(doc.attendance.present),
            "attending": [{"unit": u.unit, "persons": list(u.persons)} for u in doc.attendance.attending],
            "absent": list(doc.attendance.absent),
            "recorder": doc.attendance.recorder,
        },
        "distribution": list(doc.distribution),
    }


def _paragraphs(item: indexer.Item, terms: tuple[str, ...]) -> list[dict]:
    """An item's paragraphs; those that open a sub-point carry its anchor."""
    opens = {sp.span[0]: sp.number for sp in item.subpoints}
    return [
        {
            "html": fragment_html(indexer.highlight_all(p.text, terms)),
            "anchor": f"item-{item.number}-{opens[p.span[0]]}" if p.span[0] in opens else None,
        }
        for p in item.paragraphs
    ]


def document_page(doc: indexer.Document, q: str = "") -> dict:
    """Everything the reading view shows; ``q`` highlights a search's words."""
    data = document_json(doc)
    terms = indexer.highlight_terms(q)
    for item_data, item in zip(data["items"], doc.items):
        item_data["paragraphs"] = _paragraphs(item, terms)
        item_data["subpoint_citations"] = {sp["anchor"]: sp["citation"] for sp in item_data["subpoints"]}
        item_data["role_groups"] = [
            {"label": ROLE_LABELS[role], "role": role,
             "links": [{"label": r.name, "known": r.known, "url": search_url([("dept", r.name)])}
                       for r in item.roles if r.role == role]}
            for role in indexer.ROLES if any(r.role == role for r in item.roles)
        ]
        item_data["topic_links"] = [
            {"label": t.topic, "evidence": "、".join(t.evidence), "url": search_url([("topic", t.topic)])}
            for t in item.topic_matches
        ]
        item_data["reviewed_links"] = [
            {"label": title, "url": search_url([("q", f'"{title}"')])} for title in item.reviewed
        ]
    data["preamble_html"] = [fragment_html(indexer.highlight_all(p, terms)) for p in doc.preamble.split("\n") if p.strip()]
    data["attending_text"] = "；".join(
        u["unit"] + (" " + "、".join(u["persons"]) if u["persons"] else "") for u in data["attendance"]["attending"])
    data["q"] = q
    data["back_url"] = search_url([("q", q)]) if q else None
    return data
