"""Who the caller is, what they may read and do: sign-in, roles, CSRF, the audit trail's web side.

- **Users** come from the users file (:class:`indexer.UsersFile`), through Flask's own signed
  session cookie (HttpOnly, SameSite=Lax, Secure over HTTPS) or, when configured, a
  header set by the office's reverse proxy (``TRUSTED_HEADER``, honoured only from the
  socket addresses in ``TRUSTED_PROXIES``). A header naming someone not in the users
  file is a reader with no groups: the proxy vouches that they are staff, nothing more.
- **Roles**: reader (public + internal + their groups), editor (also adds documents),
  admin (every document, the users and the audit log). Anonymous callers read what
  ``ANONYMOUS_ACCESS`` says: ``public`` (the default), ``none`` (sign in first; only
  /login, static files and /healthz are open) or ``staff`` (a closed office network, and
  the tests: anonymous callers read public and internal documents and see the parse audit).
- **CSRF**: Flask-WTF's ``CSRFProtect`` guards every POST; forms carry ``csrf_token()``.
- **Session key**: ``SECRET_KEY`` from config or ``MINUTES_SECRET_KEY``, else one made
  once and kept in ``<index>/secret_key`` (0600), so every worker and restart shares it.
  It is read (or made) only when a session or a CSRF token first needs it: an anonymous
  visitor who only reads sets no cookie and makes no file.
"""
from __future__ import annotations

import functools
import ipaddress
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from flask import (Blueprint, Flask, current_app, g, jsonify, redirect, render_template, request, session,
                   url_for)
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf
from werkzeug.middleware.proxy_fix import ProxyFix

import indexer

from . import throttle
from .errors import wants_json

bp = Blueprint("auth", __name__)
ANONYMOUS_MODES = ("public", "none", "staff")
SECRET_FILE = "secret_key"
# Open when ANONYMOUS_ACCESS is "none": signing in, the assets, and the health check.
OPEN_ENDPOINTS = {"auth.login", "static", "minutes.healthz"}
# Read-only POSTs, exempt from CSRF: the drafting aid posts a long paragraph to compare, and
# changes nothing; API clients post it as JSON without a form or a session to carry a token.
CSRF_EXEMPT = ("minutes.draft", "minutes.draft_json")

MESSAGES = {
    "bad": "用户名或密码不正确。",
    "empty": "请输入用户名和密码。",
    throttle.ACCOUNT: "该用户名登录失败次数过多，已暂停登录，请 {minutes} 分钟后再试。",
    throttle.ADDRESS: "本机登录失败次数过多，已暂停登录，请 {minutes} 分钟后再试。",
    "csrf": "表单已失效或缺少安全校验码，请刷新页面后重试。",
    "sign_in": "请先登录。",
    "forbidden": "您的账户无权访问此页面。",
}


@dataclass
class AuthState:
    """Per app: the users file, the sign-in limits and the audit log, at the paths its config names."""
    users: indexer.UsersFile
    limits: throttle.SignInLimits
    log: indexer.AuditLog
    secret_path: Path
    proxies: tuple


def auth_state() -> AuthState:
    return current_app.extensions["minutes_auth"]


# --- the session key, made when first needed -----------------------------------------------

def ensure_secret_key(app: Flask) -> None:
    if app.secret_key:
        return
    path = app.extensions["minutes_auth"].secret_path
    try:
        app.secret_key = path.read_text().strip()
        return
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_hex(32))
    try:
        os.link(scratch, path)  # the first process to make it wins; the others read the winner's
    except FileExistsError:
        pass
    finally:
        os.unlink(scratch)
    app.secret_key = path.read_text().strip()


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, with the key made on first need and Secure over HTTPS."""

    def get_signing_serializer(self, app):
        ensure_secret_key(app)
        return super().get_signing_serializer(app)

    def open_session(self, app, request):
        if not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()  # nothing to read: no key needed yet
        return super().open_session(app, request)

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


# --- who the caller is ------------------------------------------------------------------

def anonymous_mode() -> str:
    return current_app.config["ANONYMOUS_ACCESS"]


def _peer() -> str:
    """The socket peer: with PROXY_FIX, the address before ProxyFix replaced it with the client's."""
    return request.environ.get("werkzeug.proxy_fix.orig", {}).get("REMOTE_ADDR") or request.remote_addr or ""


class _ProxyFixFrom:
    """werkzeug's ProxyFix for the requests whose socket peer is one of ``proxies`` (every request
    when there is none): a client that reaches the app directly cannot choose its own address."""

    def __init__(self, wsgi_app, hops: int, proxies):
        self.plain, self.fixed = wsgi_app, ProxyFix(wsgi_app, x_for=hops, x_proto=hops)
        self.proxies = proxies

    def __call__(self, environ, start_response):
        trusted = not self.proxies or _in(environ.get("REMOTE_ADDR", ""), self.proxies)
        return (self.fixed if trusted else self.plain)(environ, start_response)


def _in(address: str, networks) -> bool:
    try:
        return any(ipaddress.ip_address(address) in network for network in networks)
    except ValueError:
        return False


def _from_trusted_proxy() -> bool:
    return _in(_peer(), auth_state().proxies)


def _find_user() -> indexer.User | None:
    config = current_app.config
    header = config["TRUSTED_HEADER"]
    if header and _from_trusted_proxy():
        name = request.headers.get(header, "").strip()
        if name and indexer.USER_NAME.fullmatch(name):
            return auth_state().users.get(name) or indexer.User(name, indexer.READER)
    if not config["SIGN_IN"]:
        return None
    name = session.get("user")
    if not name:
        return None
    user = auth_state().users.get(name)
    if user is None or session.get("stamp") != user.stamp:
        return None  # removed, or the password changed since: the session has ended
    return user


def _signed_in() -> bool:
    """Whether this request came from a signed-in caller (or claimed a session): an unreadable
    users file counts as signed in, so the answer errs towards not caching."""
    try:
        return current_user() is not None or bool(session.get("user"))
    except indexer.AccountError:
        return True


def current_user() -> indexer.User | None:
    """The signed-in user of this request, or None."""
    if "minutes_user" not in g:
        g.minutes_user = _find_user()
    return g.minutes_user


def current_access() -> indexer.Access:
    """What this request's caller may read; pass it to every read of the index."""
    user = current_user()
    if user is None:
        return indexer.Access.staff() if anonymous_mode() == "staff" else indexer.Access.anonymous()
    if user.role == indexer.ADMIN:
        return indexer.Access.everything()
    return indexer.Access.staff(user.groups)


def _address() -> str:
    return request.remote_addr or ""


def audit(event: str, **what) -> None:
    """Append an event by this request's caller to the audit log."""
    user = current_user()
    auth_state().log.append(event, user.name if user else "", _address(), what)


def record_search(req: indexer.SearchRequest) -> None:
    """A signed-in user's search goes to the log with its query; an anonymous one is only counted.
    The home page (no words, no filters) is no search."""
    if not req.q and not req.filters():
        return
    if current_user() is None:
        auth_state().log.count_anonymous_search()
        return
    audit("search", q=req.q, filters={k: list(v) for k, v in req.filters().items()}, page=req.page, sort=req.sort)


def record_view(doc_id: str) -> None:
    if current_user() is not None:
        audit("view", doc_id=doc_id)


# --- refusing -----------------------------------------------------------------------------

def refusal(message: str, status: int):
    if wants_json():
        return jsonify({"ok": False, "error": message, "status": status}), status
    title = {401: "请先登录", 403: "无权访问", 404: "未找到", 429: "请稍后再试"}.get(status, "出错了")
    return render_template("error.html", title=title, message=message, status=status), status


def _sign_in_first():
    if wants_json():
        return refusal(MESSAGES["sign_in"], 401)
    path = request.full_path.rstrip("?") if request.query_string else request.path
    return redirect(url_for("auth.login", next=path))


def allowed(role: str, open_to_staff_network: bool = False) -> bool:
    """Whether the caller has ``role``; ``open_to_staff_network``: everyone may when
    ANONYMOUS_ACCESS is "staff" (every caller is staff there)."""
    if open_to_staff_network and anonymous_mode() == "staff":
        return True
    user = current_user()
    return user is not None and user.has_role(role)


def role_required(role: str, open_to_staff_network: bool = False):
    """Decorate a view: anonymous callers are sent to /login (JSON routes: 401), signed-in
    callers without ``role`` (reader < editor < admin) get a 403 in the site's look."""
    indexer.check_user_role(role)

    def decorate(view):
        @functools.wraps(view)
        def guarded(*args, **kwargs):
            if not allowed(role, open_to_staff_network):
                if current_user() is None:
                    return _sign_in_first()
                return refusal(MESSAGES["forbidden"], 403)
            return view(*args, **kwargs)
        return guarded
    return decorate


def _login_url() -> str | None:
    """The header's 登录 link, back to this page afterwards; none on the sign-in page or without sign-in."""
    if not current_app.config["SIGN_IN"] or request.endpoint == "auth.login":
        return None
    return url_for("auth.login", next=request.full_path if request.query_string else request.path)


def _require_sign_in():
    if anonymous_mode() == "none" and request.endpoint not in OPEN_ENDPOINTS and current_user() is None:
        return _sign_in_first()
    return None


# --- signing in and out ---------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # C0, DEL and C1

def _safe_next(target: str) -> str:
    """Only a path on this site: never another host (an open redirect), nor one holding a control
    character (CR/LF would break the Location header: werkzeug raises, a 500)."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target or _CONTROL.search(target):
        return url_for("minutes.search")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return url_for("minutes.search")
    return target


def _login_page(message: str = "", status: int = 200, name: str = ""):
    return render_template("login.html", message=message, name=name,
                           next=_safe_next(request.values.get("next", "")),
                           user=current_user()), status


@bp.route("/login", methods=["GET", "POST"])
def login():
    if not current_app.config["SIGN_IN"]:
        return refusal("本站未开放登录。", 404)
    if request.method == "GET":
        return _login_page()
    name = request.form.get("name", "").strip()[:64]
    password = request.form.get("password", "")
    if not name or not password:
        return _login_page(MESSAGES["empty"], 400, name)
    state, address = auth_state(), _address()
    lock = state.limits.locked(name, address)
    if lock is None:
        user = state.users.verify(name, password)
        if user is not None:
            state.limits.succeeded(name)
            session.clear()
            session.permanent = True
            session["user"], session["stamp"] = user.name, user.stamp
            g.minutes_user = user
            audit("sign_in")
            return redirect(_safe_next(request.form.get("next", "")))
        state.log.append("sign_in_failed", name, address)
        lock = state.limits.failed(name, address)
        if lock is None:
            return _login_page(MESSAGES["bad"], 401, name)
        state.log.append("locked", name, address, {"lock": lock.kind, "until": indexer.audit_time(lock.until)})
    else:
        state.log.append("sign_in_failed", name, address, {"locked": lock.kind})  # refused unchecked
    return _login_page(MESSAGES[lock.kind].format(minutes=lock.minutes_left(time.time())), 429, name)


@bp.post("/logout")
def logout():
    name = session.get("user") if current_user() is not None else None
    if name:
        audit("sign_out")
        try:
            auth_state().users.end_sessions(name)  # a copy of the cookie kept elsewhere ends too
        except indexer.AccountError as e:  # an unwritable users file: this browser's session still ends
            current_app.logger.error("sign-out of %s did not end their other sessions: %s", name, e)
    session.clear()
    return redirect(url_for("minutes.search"))


def csrf_token() -> str:
    """A CSRF token for a form (templates call it as ``csrf_token()``), the session key made first if need be."""
    ensure_secret_key(current_app)
    return generate_csrf()


# --- wiring ---------------------------------------------------------------------------------

def _networks(value) -> tuple:
    if isinstance(value, str):
        value = [v for v in value.replace(",", " ").split() if v]
    return tuple(ipaddress.ip_network(v, strict=False) for v in value)


def _path(app: Flask, key: str, default: Path) -> Path:
    return Path(app.config[key]) if app.config.get(key) else default


def init_app(app: Flask) -> None:
    if app.config["ANONYMOUS_ACCESS"] not in ANONYMOUS_MODES:
        raise ValueError(f"ANONYMOUS_ACCESS must be one of {', '.join(ANONYMOUS_MODES)}, "
                         f"not {app.config['ANONYMOUS_ACCESS']!r}")
    index_dir = Path(app.config["INDEX"])
    lock_seconds = float(app.config["SIGNIN_LOCK_MINUTES"]) * 60
    app.extensions["minutes_auth"] = AuthState(
        users=indexer.UsersFile(_path(app, "USERS_FILE", indexer.users_file_path(index_dir))),
        limits=throttle.SignInLimits(_path(app, "SIGNIN_STATE", throttle.default_path(index_dir)),
                                     int(app.config["SIGNIN_MAX_FAILURES"]),
                                     int(app.config["SIGNIN_MAX_FAILURES_PER_ADDRESS"]), lock_seconds),
        log=indexer.AuditLog(_path(app, "AUDIT_LOG", indexer.audit_log_path(index_dir))),
        secret_path=index_dir / SECRET_FILE,
        proxies=_networks(app.config["TRUSTED_PROXIES"]),
    )
    app.session_interface = SessionInterface()
    if int(app.config["PROXY_FIX"]):
        # The client's address (limits, log) and scheme (Secure cookies) from the proxy's headers,
        # believed only from TRUSTED_PROXIES when it is set (issue 26); the trusted header is still
        # checked against the socket peer (_peer).
        app.wsgi_app = _ProxyFixFrom(app.wsgi_app, int(app.config["PROXY_FIX"]), app.extensions["minutes_auth"].proxies)
        if not app.extensions["minutes_auth"].proxies:
            app.logger.warning("PROXY_FIX without TRUSTED_PROXIES: any client that reaches the app directly "
                               "chooses its own address; listen only behind the proxy")

    @app.before_request
    def key_for_posts():
        # CSRFProtect reads the key straight from the app: make it before its check runs.
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            ensure_secret_key(app)

    csrf = CSRFProtect(app)
    for endpoint in CSRF_EXEMPT:
        # Flask-WTF names an exempt view by its function's module and name; the endpoint is the
        # route's own name, looked up once its blueprint is registered (create_app does that first).
        csrf.exempt(app.view_functions[endpoint])

    app.jinja_env.globals["csrf_token"] = csrf_token
    app.register_error_handler(CSRFError, lambda e: refusal(MESSAGES["csrf"], 400))
    app.before_request(_require_sign_in)

    @app.context_processor
    def signed_in():
        # csrf_token here too: CSRFProtect's own context processor would otherwise win over the global.
        return {"csrf_token": csrf_token, "current_user": current_user(), "login_url": _login_url(),
                "session_signed_in": bool(session.get("user")),
                "role_labels": indexer.USER_ROLE_LABELS, "staff_network": app.config["ANONYMOUS_ACCESS"] == "staff"}

    @app.after_request
    def private_to_the_caller(response):
        # What a signed-in caller sees depends on who they are: no browser or proxy may keep it; and
        # an anonymous page may be kept, but never given to a caller with another cookie (issue 26).
        if request.endpoint != "static":
            response.vary.add("Cookie")
            if app.config["TRUSTED_HEADER"]:
                response.vary.add(app.config["TRUSTED_HEADER"])
            if _signed_in():
                response.headers["Cache-Control"] = "private, no-store"
        return response

    app.register_blueprint(bp)
