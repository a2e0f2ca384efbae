"""Admin pages: the users (read-only: changes go through ``minutes users``) and the
audit log, each with a JSON twin. Admins only."""
from __future__ import annotations

from collections import deque

from flask import Blueprint, jsonify, render_template, request

import indexer

from .auth import auth_state, role_required

bp = Blueprint("admin", __name__)
LOG_LIMIT = 500  # newest entries shown


def _users_data() -> dict:
    users = sorted(auth_state().users.users().values(), key=lambda u: u.name)
    return {"ok": True, "users": [u.public_dict() for u in users]}


@bp.get("/admin/users")
@role_required(indexer.ADMIN)
def users():
    return render_template("admin_users.html", users=_users_data()["users"])


@bp.get("/api/admin/users")
@role_required(indexer.ADMIN)
def users_json():
    return jsonify(_users_data())


def _log_data() -> dict:
    user = request.args.get("user", "").strip()
    event = request.args.get("event", "").strip()
    since = request.args.get("since", "").strip()
    if event and event not in indexer.AUDIT_EVENTS:
        raise indexer.QueryError("event", f"must be one of {', '.join(indexer.AUDIT_EVENTS)}")
    newest = deque(auth_state().log.entries(since=since, user=user, event=event), maxlen=LOG_LIMIT)
    return {"ok": True, "user": user, "event": event, "since": since, "limit": LOG_LIMIT,
            "entries": [e.as_dict() for e in reversed(newest)]}


@bp.get("/admin/log")
@role_required(indexer.ADMIN)
def log():
    data = _log_data()
    params = [(k, data[k]) for k in ("user", "event", "since") if data[k]]
    return render_template(
        "admin_log.html", user=data["user"], since=data["since"], limit=data["limit"],
        events=[{"value": e, "label": indexer.AUDIT_EVENT_LABELS[e], "selected": e == data["event"]} for e in indexer.AUDIT_EVENTS],
        entries=[dict(e, label=indexer.AUDIT_EVENT_LABELS.get(e["event"], e["event"]), text=indexer.describe_audit_what(e["what"]))
                 for e in data["entries"]],
        json_url=indexer.with_params("/api/admin/log", params))


@bp.get("/api/admin/log")
@role_required(indexer.ADMIN)
def log_json():
    return jsonify(_log_data())
