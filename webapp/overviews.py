"""The meeting calendar and the department workload: overviews of the whole index (issue 17).

Routes of their own (a blueprint): ``/meetings`` and ``/api/meetings`` (every minutes
document of the index by year, the year as a facet), ``/workload`` and ``/api/workload``
(department × year counts of tasks as lead and co-lead; ``?dept=`` adds that department's
topics per year). Every read is scoped to the caller's access. The search page's timeline
and its twin ``/api/timeline`` are the search's own (:mod:`webapp.views`).
"""
from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request

import indexer

from . import params
from .auth import current_access
from .index_holder import deadline, get_index

bp = Blueprint("overviews", __name__)

ROLE_PARAMS = {"lead": indexer.LEAD, "co_lead": indexer.CO_LEAD}
HTML_MEETINGS = 300  # meetings the calendar page lists without a year chosen (the newest years)
HTML_ROWS = 60  # departments the page's grid shows (the JSON twin has them all)


def _refs() -> indexer.CrossReferences:
    return get_index().crossrefs(deadline(), access=current_access())


def meeting_dict(m: indexer.Meeting) -> dict:
    return {"doc_id": m.doc_id, "title": m.title, "doc_number": m.doc_number, "session": m.session,
            "meeting_kind": m.meeting_kind, "issuer": m.issuer, "date": m.date, "chair": m.chair,
            "item_count": len(m.items), "url": indexer.document_url(m.doc_id),
            "items": [{"item_no": i.number, "title": i.title,
                       "url": indexer.document_url(m.doc_id, indexer.item_anchor(i.number))} for i in m.items]}


def _toggle(years: tuple[str, ...], year: str) -> str:
    chosen = [y for y in years if y != year] if year in years else [*years, year]
    return indexer.with_params("/meetings", [("year", y) for y in chosen])


def calendar_json(calendar: indexer.Calendar, years: tuple[str, ...]) -> dict:
    by_year: dict[str, list] = {}
    for m in calendar.meetings:
        by_year.setdefault(m.year, []).append(meeting_dict(m))
    return {
        "ok": True, "year": list(years), "total": len(calendar.meetings),
        "facets": {"year": [{"value": y.year, "count": y.count, "selected": y.selected, "toggle_url": _toggle(years, y.year)}
                            for y in calendar.years if y.year]},
        "undated": next((y.count for y in calendar.years if not y.year), 0),
        "years": [{"year": y, "meetings": ms} for y, ms in by_year.items()],
    }


def _calendar() -> dict:
    years = params.years(request.args)
    return calendar_json(indexer.meeting_calendar(_refs(), years, deadline()), years)


@bp.get("/meetings")
def meetings():
    data = _calendar()
    if not data["year"]:  # the page lists the newest years up to a bound; the JSON twin lists every meeting
        shown, count = [], 0
        for group in data["years"]:
            if shown and count + len(group["meetings"]) > HTML_MEETINGS:
                break
            shown.append(group)
            count += len(group["meetings"])
        data.update(years=shown, more=len(data["years"]) - len(shown))
    return render_template("meetings.html", **data)


@bp.get("/api/meetings")
@bp.get("/meetings.json")
def meetings_json():
    return jsonify(_calendar())


def neighbours_json(refs: indexer.CrossReferences, doc_id: str) -> dict:
    """The previous and next meeting of the same kind, for the reading view."""
    before, after = indexer.meeting_neighbours(refs, doc_id, deadline())
    brief = lambda m: m and {"doc_id": m.doc_id, "title": m.title, "doc_number": m.doc_number,  # noqa: E731
                             "session": m.session, "date": m.date, "url": indexer.document_url(m.doc_id)}
    return {"previous_meeting": brief(before), "next_meeting": brief(after)}


# --- workload ---------------------------------------------------------------------------------

def workload_json(workload: indexer.Workload, topics: indexer.DeptTopics | None) -> dict:
    data = {
        "ok": True, "years": list(workload.years),
        "rows": [{"dept": r.dept, "lead": r.lead, "co_lead": r.co_lead, "url": indexer.tasks_url(r.dept),
                  "cells": [{"year": c.year, "lead": c.lead, "co_lead": c.co_lead,
                             "lead_url": indexer.tasks_url(r.dept, c.year, indexer.LEAD) if c.year else None,
                             "co_lead_url": indexer.tasks_url(r.dept, c.year, indexer.CO_LEAD) if c.year else None}
                            for c in r.cells]}
                 for r in workload.rows],
    }
    if topics is not None:
        data["dept"] = topics.dept
        data["topics"] = {"years": list(topics.years),
                          "rows": [{"topic": t.topic, "total": t.total, "counts": list(t.counts)} for t in topics.topics]}
    return data


def workload_data(dept: str = "") -> dict:
    """The grid (every department, or ``dept``'s row and its topics per year) as /api/workload gives it."""
    refs = _refs()
    workload = indexer.workload(refs, deadline())
    topics = None
    if dept:
        name = indexer.gazetteer_canonical(dept)
        workload = indexer.Workload(workload.years, tuple(r for r in workload.rows if r.dept == name))
        topics = indexer.dept_topics(refs, name, deadline())
    return workload_json(workload, topics)


def workload_view(data: dict) -> dict:
    """The page's part of the grid: its first rows, each cell with a shading level 0–4 (beside its numbers)."""
    shown = data["rows"][:HTML_ROWS]
    top = max([c["lead"] + c["co_lead"] for r in shown for c in r["cells"]] or [1])
    rows = [dict(r, cells=[dict(c, level=min(4, -(-4 * (c["lead"] + c["co_lead"]) // top))) for c in r["cells"]])
            for r in shown]
    return dict(data, shown=rows, hidden=len(data["rows"]) - len(shown))


@bp.get("/workload")
def workload_page():
    """Also the task page without a department (views.tasks)."""
    return render_template("workload.html", **workload_view(workload_data(request.args.get("dept", "").strip())))


@bp.get("/api/workload")
def workload_api():
    return jsonify(workload_data(request.args.get("dept", "").strip()))
