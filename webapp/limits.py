"""How many bytes a request's body may have, route by route (issue 26).

Flask's ``MAX_CONTENT_LENGTH`` is one limit for every route, and the upload needs a large one
(110 MiB by default): a 105 MB JSON body to ``/api/draft`` kept a worker reading and parsing it
for 17 s before the 3,000-character refusal. Here each request gets its route's limit before
anything reads the body (this hook runs before CSRFProtect's, which reads forms): a body
declared larger is refused at once, 413, with a clear reason; one sent without a length is cut
off at the limit as it is read (werkzeug's ``request.max_content_length``).
"""
from __future__ import annotations

from flask import Flask, abort, request

import indexer

from .errors import error_response

KIB = 1024
DEFAULT_BYTES = 16 * KIB  # every route not named below: forms of a CSRF token and a few fields
# The drafting aid's 3,000 characters as a form or JSON: up to 12 bytes each (four %XX escapes, or a
# character beyond the BMP as two \uXXXX), and room for the rest of the form.
DRAFT_BYTES = indexer.MAX_DRAFT_CHARS * 12 + 4 * KIB
BODY_LIMITS = {
    "minutes.draft": DRAFT_BYTES,
    "minutes.draft_json": DRAFT_BYTES,
    "auth.login": 8 * KIB,  # a name, a password, a CSRF token and where to go next
}
UPLOAD_CUTOFF = 1024 * KIB  # a body under this may be read whole before the view
UPLOADS = ("uploads.upload", "uploads.upload_json")  # MAX_CONTENT_LENGTH: an upload's files together


def body_limit(endpoint: str | None, upload_limit: int) -> int:
    """The most bytes a body sent to ``endpoint`` (None: no route) may have."""
    if endpoint in UPLOADS:
        return upload_limit
    return BODY_LIMITS.get(endpoint or "", DEFAULT_BYTES)


def _size(n: int) -> str:
    return f"{n / (1024 * KIB):g} MiB" if n >= 1024 * KIB else f"{n // KIB} KiB"


def init_app(app: Flask) -> None:
    """Register first: the limit must be set before any other hook reads the body."""

    @app.before_request
    def limit_the_body():
        limit = body_limit(request.endpoint, app.config["MAX_CONTENT_LENGTH"])
        request.max_content_length = limit
        if request.content_length is not None and request.content_length > limit:
            abort(413)  # answered by the route's own handler (the upload's names its limits), else too_large
        if request.content_length is None and request.environ.get("wsgi.input_terminated") and limit < UPLOAD_CUTOFF:
            # A body without a length (chunked): werkzeug's stream stops at the limit, and what was
            # read would reach the view cut short. Read it now (kept for the view), and refuse if more follows.
            request.get_data(cache=True)
            request.stream.read(1)  # raises 413 past the limit

    app.register_error_handler(413, lambda e: too_large(request.max_content_length))


def too_large(limit: int | None):
    what = f"草稿段落最多 {indexer.MAX_DRAFT_CHARS} 字。" if request.endpoint in ("minutes.draft", "minutes.draft_json") else ""
    return error_response(f"请求内容过大：此处最多接受 {_size(limit or 0)}。{what}", 413)
