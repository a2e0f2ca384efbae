"""One error shape: JSON ``{"ok": false, "error", "status"}`` for the API, a page in
the site's own look for HTML. Typed errors from ``indexer`` map to statuses here."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

import indexer

STATUS = {
    indexer.QueryError: 400,
    indexer.DocumentNotFound: 404,
    indexer.IndexNotFound: 503,
    indexer.IndexOutdated: 503,
    indexer.IndexLocked: 503,
    indexer.SearchTimeout: 503,
}
# What a page says (in the UI's language) for an error whose message is written for the API and the
# command line. A document the caller may not read says the same as a missing one.
PAGE_MESSAGES = {
    indexer.DocumentNotFound: lambda e: f"没有编号为 {e.doc_id} 的文件：它不存在、已被删除，或您无权查看。",
}
TITLES = {400: "请求有误", 404: "未找到", 405: "不支持的请求方法", 500: "服务器内部错误", 503: "索引暂不可用"}


def wants_json() -> bool:
    path = request.path
    return path.startswith("/api/") or path.endswith((".json", ".csv")) or path == "/healthz"


def error_response(message: str, status: int, page_message: str = ""):
    if wants_json():
        return jsonify({"ok": False, "error": message, "status": status}), status
    message = page_message or message
    return render_template("error.html", title=TITLES.get(status, "出错了"), message=message, status=status), status


def init_app(app: Flask) -> None:
    for error_type, status in STATUS.items():
        def handler(e, status=status):
            if status >= 500:
                app.logger.error("%s", e)
            page = PAGE_MESSAGES.get(type(e))
            return error_response(str(e), status, page(e) if page else "")
        app.register_error_handler(error_type, handler)

    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException):
        return error_response(e.description or e.name, e.code or 500)
