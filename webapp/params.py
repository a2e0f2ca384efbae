"""The request, read: query strings and bodies into typed requests, the first step of every view.

Each function takes what the request carries (its ``args``, or the request itself for a body)
and returns plain values or a frozen request; a value that cannot be read raises
:class:`indexer.QueryError` naming the parameter, answered as 400 in the one error shape.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import Request
from werkzeug.datastructures import MultiDict

import indexer

YEAR_LENGTH = 4


def whole_number(args: MultiDict, name: str, default: int) -> int:
    raw = args.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise indexer.QueryError(name, f"{raw!r} is not a whole number") from None


def values(args: MultiDict, param: str) -> tuple[str, ...]:
    """A repeatable parameter's values, stripped, empty ones and repeats left out."""
    return tuple(dict.fromkeys(v.strip() for v in args.getlist(param) if v.strip()))


def search_request(args: MultiDict, default_size: int) -> indexer.SearchRequest:
    """``q``, the six filters (``type`` for doc_type), ``page``, ``size`` and ``sort``; the
    request checks its own limits."""
    return indexer.SearchRequest(
        q=args.get("q", "").strip(),
        **{name: values(args, indexer.FACET_PARAMS[name]) for name in indexer.FACETS},
        page=whole_number(args, "page", 1),
        size=whole_number(args, "size", default_size),
        sort=args.get("sort", "relevance").strip() or "relevance",
    )


def answer_query(args: MultiDict) -> str:
    """``q``, required: the question or subject the answer card is asked for."""
    q = args.get("q", "").strip()
    if not q:
        raise indexer.QueryError("q", "is required")
    return q


def _is_year(value: str) -> bool:
    return value.isdigit() and len(value) == YEAR_LENGTH


def years(args: MultiDict) -> tuple[str, ...]:
    """``year``, repeatable: four-digit years."""
    found = values(args, "year")
    for y in found:
        if not _is_year(y):
            raise indexer.QueryError("year", f"{y!r} is not a four-digit year")
    return found


def timeline_unit(args: MultiDict) -> str:
    """``unit``: month or year; empty lets the timeline choose."""
    unit = args.get("unit", "").strip()
    if unit not in ("", "month", "year"):
        raise indexer.QueryError("unit", "must be month or year")
    return unit


def policy_title(args: MultiDict) -> str:
    """``title``: the document whose path to follow, its 《》 left off."""
    title = args.get("title", "").strip().strip("《》")
    if not title:
        raise indexer.QueryError("title", "name a document, e.g. 示例市电梯安全条例（草案）")
    return title


@dataclass(frozen=True)
class TasksRequest:
    dept: str
    year: str = ""  # a four-digit year, or every year
    role: str = ""  # indexer.LEAD, indexer.CO_LEAD, or both


def tasks_request(args: MultiDict) -> TasksRequest:
    """``dept`` (required), ``year`` and ``role`` of the task list."""
    dept = args.get("dept", "").strip()
    year = args.get("year", "").strip()
    role = args.get("role", "").strip()
    if not dept:
        raise indexer.QueryError("dept", "name a department, e.g. 市发改委")
    if year and not _is_year(year):
        raise indexer.QueryError("year", f"{year!r} is not a four-digit year")
    if role not in ("", indexer.LEAD, indexer.CO_LEAD):
        raise indexer.QueryError("role", f"must be {indexer.LEAD} or {indexer.CO_LEAD}")
    return TasksRequest(dept, year, role)


def audit_warning(args: MultiDict) -> str:
    """``warning``: one kind of the parse audit's warnings, or none."""
    warning = args.get("warning", "").strip()
    if warning and warning not in indexer.AUDIT_WARNINGS:
        raise indexer.QueryError("warning", f"must be one of {', '.join(indexer.AUDIT_WARNINGS)}")
    return warning


SUGGEST_PREFIX_CHARS = 50
SUGGEST_LIMITS = (1, 10, 20)  # least, default, most


def suggest_prefix(args: MultiDict) -> str:
    return args.get("q", "").strip()[:SUGGEST_PREFIX_CHARS]


def suggest_limit(args: MultiDict) -> int:
    least, default, most = SUGGEST_LIMITS
    return min(max(whole_number(args, "limit", default), least), most)


def draft_text(request: Request) -> str:
    """The drafting aid's paragraph: a JSON body ``{"text": "…"}``, or a form's or query string's ``text``."""
    if request.is_json:
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("text"), str):
            raise indexer.QueryError("text", 'send a JSON object {"text": "…"}')
        return body["text"]
    return request.values.get("text", "")
