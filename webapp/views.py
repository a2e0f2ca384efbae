"""Routes. Each view: parse the request into a typed request, call the index,
hand the result to a presenter. Every HTML page has a JSON twin built from the
same data."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, redirect, render_template, request

import indexer

from . import openapi, overviews, params
from .pages import downloads, parse_audit, passages, reading, search_page, timeline_chart
from .auth import current_access, current_user, record_search, record_view, role_required
from .index_holder import deadline, get_index

bp = Blueprint("minutes", __name__)


def _request() -> indexer.SearchRequest:
    return params.search_request(request.args, current_app.config["PAGE_SIZE"])


@bp.get("/")
@bp.get("/search")
def search():
    req = _request()
    # A document number or session typed on its own opens that document (the page's one evaluation says).
    lookup = bool(req.q) and req.page == 1 and not req.filters() and not {"list", "sort"} & set(request.args)
    found = get_index().page(req, deadline(), access=current_access(), lookup=lookup)
    record_search(req)
    if len(found.named) == 1:
        reading_view = indexer.document_url(found.named[0])
        return redirect(indexer.with_params(reading_view, [("q", req.q), ("from", "reference")]))
    page = search_page.search_page(found.result)
    page["timeline"] = timeline_chart.timeline_chart(found.timeline, req)
    page["answer"] = _answer(req)
    return render_template("search.html", **page)


@bp.get("/api/search")
@bp.get("/search.json")
def search_json():
    req = _request()
    result = get_index().search(req, deadline(), access=current_access())
    record_search(req)
    return jsonify(dict(indexer.result_dict(result), answer=_answer(req)))


def _answer(req: indexer.SearchRequest) -> dict | None:
    """The answer card above the first page of an unfiltered search, when the structure answers
    and the worker has its cross-references (it loads them in the background after it starts)."""
    if req.page != 1 or req.filters():
        return None
    found = get_index().answer(req.q, deadline(), access=current_access(), wait=False)  # never waits for a load
    return indexer.answer_dict(found) if found else None


@bp.get("/api/answer")
def answer_json():
    q = params.answer_query(request.args)
    found = get_index().answer(q, deadline(), access=current_access())
    return jsonify({"ok": True, "query": q, "answer": indexer.answer_dict(found) if found else None})


@bp.get("/api/timeline")
def timeline_json():
    """The search page's timeline (same parameters as /api/search, and ``unit``)."""
    req = _request()
    unit = params.timeline_unit(request.args)
    return jsonify(timeline_chart.timeline_json(get_index().timeline(req, unit, deadline(), access=current_access()), req))


@bp.get("/search.csv")
def search_csv():
    # One search for every row (up to the cap), under the request's deadline; then rows are written as they go.
    req = _request()
    hits = get_index().hits(req, downloads.CSV_MAX_ROWS, deadline(), access=current_access())
    record_search(req)
    return Response(downloads.hits_csv(hits), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=minutes-search.csv"})


def _policy_data() -> dict:
    title = params.policy_title(request.args)
    access = current_access()
    target, steps = get_index().crossrefs(deadline(), access=access).policy(title)
    lineage = get_index().lineage(title, deadline(), access=access)
    return indexer.policy_dict(indexer.normalize_title(title), target, steps, lineage)


@bp.get("/policy")
def policy():
    return render_template("policy.html", **_policy_data())


@bp.get("/api/policy")
def policy_json():
    return jsonify(_policy_data())


def _tasks_data() -> dict:
    req = params.tasks_request(request.args)
    tasks = get_index().crossrefs(deadline(), access=current_access()).tasks(req.dept, req.year, req.role, deadline())
    return indexer.tasks_dict(req.dept, req.year, req.role, tasks)


@bp.get("/tasks")
def tasks():
    if not request.args.get("dept", "").strip():  # no department: every department's workload by year
        return overviews.workload_page()
    data = _tasks_data()
    return render_template("tasks.html", **data, workload=overviews.workload_view(overviews.workload_data(data["dept"])))


@bp.get("/api/tasks")
def tasks_json():
    return jsonify(_tasks_data())


@bp.get("/tasks.csv")
def tasks_csv():
    return Response(downloads.tasks_csv(_tasks_data()), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=minutes-tasks.csv"})


def _audit_data() -> dict:
    warning = params.audit_warning(request.args)
    return parse_audit.index_audit_json(indexer.audit_index(get_index(), deadline(), current_access()), warning)


# Editors and admins (it lists every file's parse quality); every caller on a staff network.
@bp.get("/audit")
@role_required(indexer.EDITOR, open_to_staff_network=True)
def audit():
    return render_template("audit.html", **parse_audit.audit_page(_audit_data()))


@bp.get("/api/audit")
@role_required(indexer.EDITOR, open_to_staff_network=True)
def audit_json():
    return jsonify(_audit_data())


@bp.get("/openapi.json")
def openapi_json():
    return jsonify(openapi.SPEC)


@bp.get("/api/suggest")
def suggest_json():
    prefix = params.suggest_prefix(request.args)
    limit = params.suggest_limit(request.args)
    suggestions = get_index().suggest(prefix, limit, deadline(), access=current_access())
    return jsonify(search_page.suggestions_json(prefix, suggestions))


@bp.route("/draft", methods=["GET", "POST"])
def draft():
    text = params.draft_text(request)
    similar = get_index().similar(text, deadline=deadline(), access=current_access()) if text.strip() else None
    return render_template("draft.html", **passages.draft_page(text, similar))


@bp.route("/api/draft", methods=["GET", "POST"])
def draft_json():
    text = params.draft_text(request)
    return jsonify(passages.draft_json(text, get_index().similar(text, deadline=deadline(), access=current_access())))


@bp.get("/help")
def help_page():
    return render_template("help.html", syntax=search_page.HELP_SYNTAX, notes=search_page.HELP_NOTES)


@bp.get("/api/help")
def help_json():
    return jsonify({"ok": True, "syntax": search_page.HELP_SYNTAX, "notes": search_page.HELP_NOTES})


def _validity_data(doc_id: str, access: indexer.Access) -> dict:
    """The document's force and its evidence, and what it says of other documents' force."""
    ix = get_index()
    data = indexer.validity_dict(ix.validity(doc_id, access))
    data["validity_statements"] = indexer.statements_list(ix.validity_table(), doc_id, access.allows)
    return data


@bp.get("/doc/<doc_id>")
def document(doc_id: str):
    access = current_access()
    doc = get_index().document(doc_id, deadline(), access=access)
    validity = _validity_data(doc_id, access)
    page = reading.document_page(doc, request.args.get("q", ""), request.args.get("from") == "reference",
                                 validity["validity"])
    refs = get_index().crossrefs(deadline(), access=access)
    page.update(indexer.references_dict(refs, doc_id), **overviews.neighbours_json(refs, doc_id), **validity)
    record_view(doc_id)
    return render_template("doc.html", doc=page)


@bp.get("/api/doc/<doc_id>")
@bp.get("/doc/<doc_id>.json")
def document_json(doc_id: str):
    access = current_access()
    doc = get_index().document(doc_id, deadline(), access=access)
    validity = _validity_data(doc_id, access)
    data = reading.document_json(doc, validity["validity"])
    data.update(**validity, **indexer.references_dict(get_index().crossrefs(deadline(), access=access), doc_id))
    record_view(doc_id)
    return jsonify(data)


@bp.get("/healthz")
def healthz():
    # Counts of what the caller may read; when the index changed and where it is, only
    # for signed-in callers and on a staff network (an update's time would date hidden documents).
    stats = get_index().stats(current_access())
    data = {
        "ok": True,
        "status": 200,
        "current": True,  # an outdated index never opens: it answers 503 with the command to run
        "documents": stats.documents,
        "records": stats.records,
    }
    if current_user() is not None or current_app.config["ANONYMOUS_ACCESS"] == "staff":
        data.update(last_modified=stats.last_modified, index=stats.path)
    return jsonify(data)
