"""Adding minutes from the browser (editors and admins): upload, see each file's
audit, then commit or cancel. The engine does the work (:mod:`indexer`'s
``stage_upload``, ``commit_upload``, ``discard_upload``); this module reads the
request, calls it, and shows the result, each page with a JSON twin under
``/api/upload…`` of the same data.

Config (defaults and meanings in indexer/settings.py): ``UPLOAD_MAX_FILE_BYTES`` (per
file), ``UPLOAD_MAX_FILES`` (per upload), ``MAX_CONTENT_LENGTH`` (the whole request: Flask
answers 413 beyond it), ``UPLOAD_PARSE_SECONDS``, ``UPLOAD_PARSE_MEMORY`` and
``UPLOAD_CHECK_SECONDS`` (what reading the files in a child process may cost),
``UPLOAD_COMMIT_TIMEOUT`` (seconds a commit waits for another commit or a ``minutes index`` run).
"""
from __future__ import annotations

from datetime import datetime, timezone

from flask import Blueprint, Flask, current_app, jsonify, make_response, redirect, render_template, request, url_for
from flask_wtf.csrf import generate_csrf

import indexer

from .auth import audit, current_access, current_user, role_required
from .errors import error_response
from .index_holder import get_index
from .pages.parse_audit import WARNING_LABELS
from .pages.reading import ocr_view, visibility_view

bp = Blueprint("uploads", __name__)

BUSY = "索引正忙，请稍后重试"
NO_BATCH = "没有这批上传（已入库、已取消、已过期或不属于您）"
RULES_BROKEN = "可见范围规则文件有误，暂不能入库，请联系管理员："
RETRY_AFTER_S = 5
# Chinese labels for the kinds of refusal; the JSON keeps the English kinds and reasons.
REFUSAL_LABELS = {
    "bad_name": "文件名不可用",
    "unsupported": "不支持的文件类型",
    "empty": "空文件",
    "too_large": "文件过大",
    "duplicate_name": "同一批中文件名重复",
    "too_many": "一次上传的文件过多",
    "failed": "无法解析",
    "classified": "涉密文件，不得录入本系统",
    "unchanged": "同名文件内容未变",
    "copy": "内容与已收录的文件相同",
    "duplicate": "该文件已收录（同一文号或正文）",
    "hidden": "已收录的同名、同文号或同内容文件您无权查看，请联系管理员",
}
STATUS_LABELS = {"added": "新增", "replaced": "替换", "unchanged": "未变"}


def _owner() -> str:
    return current_user().name


def _index() -> str:
    return current_app.config["INDEX"]


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:g} MB"


def _limits() -> dict:
    config = current_app.config
    return {"max_file_bytes": config["UPLOAD_MAX_FILE_BYTES"], "max_files": config["UPLOAD_MAX_FILES"],
            "max_request_bytes": config["MAX_CONTENT_LENGTH"],
            "supported": sorted(indexer.SUPPORTED_SUFFIXES)}


def _time(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- shapes ----------------------------------------------------------------------------------

def refusal_json(r: indexer.UploadRefusal) -> dict:
    return {"name": r.name, "kind": r.kind, "reason": r.reason}


def batch_json(batch: indexer.UploadBatch) -> dict:
    """A staged batch: each file's audit (the row ``minutes audit --json`` prints, path = the
    file's name) and what it replaces, the files refused, and where to commit or cancel."""
    api = f"/api/upload/{batch.id}" if batch.files else ""
    return {
        "ok": True,
        "batch": batch.id if batch.files else "",
        "created": _time(batch.created),
        "files": [{"name": f.name, "size": f.size, "replaces": f.replaces,
                   "replaces_url": indexer.document_url(f.replaces) if f.replaces else "",
                   "audit": indexer.file_audit_dict(f.audit)} for f in batch.files],
        "refused": [refusal_json(r) for r in batch.refused],
        "commit_url": f"{api}/commit" if api else "",
        "discard_url": f"{api}/discard" if api else "",
    }


def result_json(result: indexer.CommitResult, searchable: bool) -> dict:
    """A commit: the documents added or replaced (with their reading view), the files that
    failed, the index's generation, and whether this server's searcher sees them already."""
    return {
        "ok": True,
        "batch": result.batch_id,
        "documents": [{"name": d.name, "doc_id": d.doc_id, "title": d.title, "doc_number": d.doc_number,
                       "visibility": d.visibility, "status": d.status, "previous_id": d.previous_id,
                       "url": indexer.document_url(d.doc_id)} for d in result.documents],
        "failed": [refusal_json(r) for r in result.failed],
        "generation": result.generation,
        "total_documents": result.total_documents,
        "searchable": searchable,
    }


def _labelled(rows: list[dict]) -> list[dict]:
    return [dict(r, label=REFUSAL_LABELS.get(r["kind"], r["kind"])) for r in rows]


def batch_page(data: dict) -> dict:
    files = []
    for f in data["files"]:
        a = f["audit"]
        files.append(dict(f, audit=dict(a, visibility_view=visibility_view(a["visibility"], a["visibility_reason"]),
                                        ocr_view=ocr_view(a["ocr_pages"]),
                                        warning_labels=[
            {"kind": w["kind"], "label": WARNING_LABELS.get(w["kind"], w["kind"]), "detail": w["detail"]}
            for w in a["warnings"]])))
    return dict(data, files=files, refused=_labelled(data["refused"]))


def result_page(data: dict) -> dict:
    documents = [dict(d, status_label=STATUS_LABELS.get(d["status"], d["status"]),
                      visibility_label=visibility_view(d["visibility"], "")["label"])
                 for d in data["documents"]]
    return dict(data, documents=documents, failed=_labelled(data["failed"]))


# --- reading the request ---------------------------------------------------------------------

def _files() -> list[tuple[str, bytes]]:
    """The uploaded files (name and bytes), each read up to one byte past the limit
    (enough for the engine to refuse it as too large)."""
    limit = current_app.config["UPLOAD_MAX_FILE_BYTES"]
    files = [(f.filename or "", f.read(limit + 1)) for f in request.files.getlist("files") if f.filename]
    if not files:
        raise indexer.QueryError("files", "choose one or more files to upload")
    return files


def _stage() -> indexer.UploadBatch:
    config = current_app.config
    limits = indexer.UploadCheckLimits(seconds=config["UPLOAD_PARSE_SECONDS"], memory=config["UPLOAD_PARSE_MEMORY"],
                                       total_seconds=config["UPLOAD_CHECK_SECONDS"])
    return indexer.stage_upload(_index(), _owner(), _files(), max_file_bytes=config["UPLOAD_MAX_FILE_BYTES"],
                                max_files=config["UPLOAD_MAX_FILES"], access=current_access(), limits=limits)


def _commit(batch: str) -> dict:
    result = indexer.commit_upload(_index(), batch, _owner(), timeout=current_app.config["UPLOAD_COMMIT_TIMEOUT"],
                                   access=current_access())
    data = result_json(result, _searchable(result))
    _log(data)
    return data


def _searchable(result: indexer.CommitResult) -> bool:
    """Whether this worker's searcher sees every committed document (it reopens when the
    index has changed; the check reads the documents as the server does, not the caller)."""
    ix = get_index()
    try:
        for d in result.documents:
            ix.document(d.doc_id)
    except indexer.DocumentNotFound:
        return False
    return True


def _log(data: dict) -> None:
    """The upload in the audit trail: its files, the documents they became, those that failed."""
    audit("upload", batch=data["batch"],
          files=[d["name"] for d in data["documents"]] + [f["name"] for f in data["failed"]],
          documents=[d["doc_id"] for d in data["documents"]], failed=[f["name"] for f in data["failed"]])


def _busy():
    """A commit that waited past its time for the writer: the batch is kept, try again."""
    response = make_response(*error_response(BUSY, 503))
    response.headers["Retry-After"] = str(RETRY_AFTER_S)
    return response


# --- pages -----------------------------------------------------------------------------------

@bp.get("/upload")
@role_required(indexer.EDITOR)
def upload_form():
    return render_template("upload.html", **_limits(), max_file=_mb(current_app.config["UPLOAD_MAX_FILE_BYTES"]),
                           max_request=_mb(current_app.config["MAX_CONTENT_LENGTH"]))


@bp.post("/upload")
@role_required(indexer.EDITOR)
def upload():
    staged_batch = _stage()
    if staged_batch.files:
        return redirect(url_for("uploads.staged", batch=staged_batch.id), 303)
    return render_template("upload_batch.html", **batch_page(batch_json(staged_batch))), 400


@bp.get("/upload/<batch>")
@role_required(indexer.EDITOR)
def staged(batch: str):
    data = batch_json(indexer.load_upload(_index(), batch, _owner()))
    return render_template("upload_batch.html", **batch_page(data))


@bp.post("/upload/<batch>/commit")
@role_required(indexer.EDITOR)
def commit(batch: str):
    try:
        data = _commit(batch)
    except indexer.IndexLocked:
        return _busy()
    return render_template("upload_done.html", **result_page(data))


@bp.post("/upload/<batch>/discard")
@role_required(indexer.EDITOR)
def discard(batch: str):
    indexer.discard_upload(_index(), batch, _owner())
    return redirect(url_for("uploads.upload_form"), 303)


# --- JSON twins ------------------------------------------------------------------------------

@bp.get("/api/upload")
@role_required(indexer.EDITOR)
def limits_json():
    """What a script needs before it uploads: the limits, the types read, and a CSRF token."""
    return jsonify({"ok": True, **_limits(), "csrf_token": generate_csrf()})


@bp.post("/api/upload")
@role_required(indexer.EDITOR)
def upload_json():
    staged_batch = _stage()
    return jsonify(batch_json(staged_batch)), 201 if staged_batch.files else 400


@bp.get("/api/upload/<batch>")
@role_required(indexer.EDITOR)
def batch_json_view(batch: str):
    return jsonify(batch_json(indexer.load_upload(_index(), batch, _owner())))


@bp.post("/api/upload/<batch>/commit")
@role_required(indexer.EDITOR)
def commit_json(batch: str):
    try:
        return jsonify(_commit(batch))
    except indexer.IndexLocked:
        return _busy()


@bp.post("/api/upload/<batch>/discard")
@role_required(indexer.EDITOR)
def discard_json(batch: str):
    indexer.discard_upload(_index(), batch, _owner())
    return jsonify({"ok": True, "batch": batch, "discarded": True})


def too_large(e):
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    return error_response(f"上传内容超过 {_mb(limit)} 的上限；请分批上传（每个文件不超过 "
                          f"{_mb(current_app.config['UPLOAD_MAX_FILE_BYTES'])}）", 413)


def init_app(app: Flask) -> None:  # the config's defaults: indexer/settings.py
    app.register_blueprint(bp)


# Raised by these views only: their handlers are the blueprint's.
bp.register_error_handler(indexer.BatchNotFound, lambda e: error_response(NO_BATCH, 404))
bp.register_error_handler(413, too_large)
# A malformed visibility.toml stops every indexing run until an administrator fixes it.
bp.register_error_handler(indexer.VisibilityRulesError, lambda e: error_response(f"{RULES_BROKEN}{e.reason}", 503))
