"""Every setting, declared once: its name, default and meaning (as Datasette's ``Setting``).

A setting is ``MINUTES_<NAME>`` in the environment; the web app's settings are also keys of its
config (``instance/config.py``, or ``MINUTES_<KEY>``). The table below is grouped by who reads
it: the engine (so every command, the web app and gunicorn), the web app, gunicorn, and the
scripts and tests. Whatever reads a setting reads it here (:func:`value`, :func:`config_defaults`,
:func:`config_from_environment`), and every edge checks the environment when it starts
(:func:`check_environment`): a ``MINUTES_*`` variable the table does not declare, or one whose
value cannot be read, stops start-up with an error naming it, so a misspelt variable is never
silently ignored. docs/operations.md's table of settings is made from this one
(``scripts/settings_doc.py``).

An empty variable counts as unset. Values are read by each setting's ``kind``: ``text`` as it
is, ``int`` and ``float`` as numbers, and ``json`` as Flask's ``from_prefixed_env`` reads them
(``MINUTES_SIGN_IN=false``, ``MINUTES_TRUSTED_PROXIES='["10.0.0.0/8"]'``: JSON if it parses,
else the text).
"""
from __future__ import annotations

import difflib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from .errors import MinutesError

PREFIX = "MINUTES_"
# Who reads a setting: the groups of the table, in its order.
ENGINE = "engine"  # the indexer package: every command, the web app and gunicorn
WEB = "web app"  # a key of the web app's config
GUNICORN = "gunicorn"  # gunicorn.conf.py
SCRIPTS = "scripts and tests"  # scripts/ and tests/ only
GROUPS = (ENGINE, WEB, GUNICORN, SCRIPTS)
KINDS = ("text", "int", "float", "json")
MIB = 1024 * 1024


@dataclass(frozen=True)
class Setting:
    name: str  # MINUTES_<name> in the environment; the config key when ``config``
    default: Any  # None: unset (``shown`` says what the code does then)
    help: str  # its meaning, one line of Markdown (docs/operations.md shows it)
    group: str  # who reads it: ENGINE, WEB, GUNICORN or SCRIPTS
    kind: str = "json"  # how a variable's text is read: one of KINDS
    config: bool = False  # a key of the web app's config as well (always so for WEB)
    aliases: tuple[str, ...] = ()  # older variables read as this one, after it
    shown: str = ""  # the default as the docs say it, where the value alone does not

    def __post_init__(self):
        if self.kind not in KINDS or self.group not in GROUPS:
            raise ValueError(f"setting {self.name}: kind {self.kind!r} or group {self.group!r} is not known")

    @property
    def variable(self) -> str:
        return PREFIX + self.name

    @property
    def variables(self) -> tuple[str, ...]:
        """The variables that set it, the first set one winning."""
        return (self.variable, *self.aliases)

    @property
    def is_config(self) -> bool:
        return self.config or self.group == WEB


def _web(name: str, default: Any, help: str, **more: Any) -> Setting:
    return Setting(name, default, help, WEB, **more)


SETTINGS: tuple[Setting, ...] = (
    # --- read by the engine: every command, the web app and gunicorn ------------------------
    Setting("INDEX", None, "the index folder, for every command (unless `--index`), the app and gunicorn",
            ENGINE, kind="text", config=True, shown="the project's `index/`"),
    Setting("WRITER_TIMEOUT", 10.0, "seconds a writer waits for the index's lock (`minutes index --wait` "
            "overrides)", ENGINE, kind="float"),
    Setting("COMMIT_EVERY", 5000, "files per commit in an update or first build (each commit leaves "
            "segments a search pays for)", ENGINE, kind="int"),
    Setting("OCR_THREADS", 0, "threads of the recognizer per process; 0: every core", ENGINE, kind="int"),
    Setting("READ_MAX_PART_BYTES", 40 * MIB, "bytes one XML part of a .docx or .ofd may inflate to, "
            "counted as it inflates (whatever its zip entry declares); more is refused as a zip bomb",
            ENGINE, kind="int", shown="40 MiB"),
    Setting("READ_MAX_XML_ELEMENTS", 1_000_000, "XML elements in one part of a .docx or .ofd (counted before "
            "it is parsed); more is refused", ENGINE, kind="int"),
    Setting("READ_MAX_PAGES", 1000, "pages of a PDF or .ofd (as its page tree declares them); more is refused "
            "unread", ENGINE, kind="int"),
    Setting("READ_MAX_PIXELS", 89_478_485, "pixels of an image, or of a PDF page rendered for OCR (at 200 dpi); "
            "more is refused unread (the default is Pillow's decompression-bomb limit)", ENGINE, kind="int"),
    Setting("TEST_CRASH_AT", None, "tests only: the writer kills itself (as `kill -9` would) on reaching "
            "this named stage; never set it otherwise", ENGINE, kind="text"),
    Setting("TEST_PAUSE_AT", None, "tests only: the writer waits at this named stage until a signal "
            "interrupts it (a test sends SIGINT, as Ctrl-C would); never set it otherwise", ENGINE, kind="text"),
    # --- the web app's config: instance/config.py, or MINUTES_<KEY> -------------------------
    _web("PAGE_SIZE", 10, "hits per page when the request names no `size`"),
    _web("SEARCH_TIME_LIMIT", 3.0, "seconds a request that reads the index may take, then 503; "
         "`null`: no limit (also an index's own limit when it is opened without one)"),
    _web("ANONYMOUS_ACCESS", "public", "`public`, `none` or `staff` "
         "([security.md](security.md#who-may-read-what))"),
    _web("SIGN_IN", True, "false: no sign-in form and no sessions (a public-only instance)"),
    _web("SECRET_KEY", None, "the session key (Flask's)", kind="text", shown="made in `<index>/secret_key`"),
    _web("USERS_FILE", None, "the users file, for the app and `minutes users`", kind="text",
         aliases=("MINUTES_USERS",), shown="`<index>/users.json`"),
    _web("AUDIT_LOG", None, "the audit log, for the app and `minutes log` / `minutes users`", kind="text",
         shown="`<index>/audit.log`"),
    _web("SIGNIN_STATE", None, "failed sign-ins, shared by the workers", kind="text",
         shown="`<index>/signin.sqlite`"),
    _web("SIGNIN_MAX_FAILURES", 5, "failures per name typed, within `SIGNIN_LOCK_MINUTES`, before it is locked"),
    _web("SIGNIN_MAX_FAILURES_PER_ADDRESS", 20, "failures per address before it is locked"),
    _web("SIGNIN_LOCK_MINUTES", 15, "how long a lock lasts"),
    _web("TRUSTED_HEADER", "", "the proxy's header naming the user, e.g. `X-Remote-User` (single sign-on); "
         "empty: none", kind="text"),
    _web("TRUSTED_PROXIES", (), "socket addresses or networks the header is believed from (a list, or "
         "one text of them separated by commas or spaces)"),
    _web("PROXY_FIX", 0, "proxies in front whose `X-Forwarded-For` / `-Proto` to believe "
         "(werkzeug's `ProxyFix`); 0: none"),
    _web("SESSION_COOKIE_NAME", "minutes_session", "the session cookie's name: one per instance on a host "
         "(Flask's)", kind="text"),
    _web("SESSION_COOKIE_HTTPONLY", True, "the session cookie is hidden from scripts (Flask's)"),
    _web("SESSION_COOKIE_SAMESITE", "Lax", "the session cookie's SameSite (Flask's)"),
    _web("SESSION_COOKIE_SECURE", False, "true forces Secure; it is set anyway over HTTPS (Flask's)"),
    _web("PERMANENT_SESSION_LIFETIME", timedelta(hours=12), "how long a sign-in lasts; a number is "
         "seconds (Flask's)"),
    _web("WTF_CSRF_TIME_LIMIT", None, "seconds a form's CSRF token lives (Flask-WTF's)",
         shown="as long as its session"),
    _web("UPLOAD_MAX_FILE_BYTES", 20 * MIB, "bytes per uploaded file (the default is the most "
         "`minutes index` reads of a file)", shown="20 MiB"),
    _web("UPLOAD_MAX_FILES", 50, "files per upload"),
    _web("UPLOAD_PARSE_SECONDS", 5.0, "seconds a child process may spend reading one uploaded file (5 more "
         "for each scanned page it recognises), then it is stopped and the file refused"),
    _web("UPLOAD_PARSE_MEMORY", 4 * 1024 * MIB, "bytes of memory (address space, `RLIMIT_AS`) the child process "
         "that reads an upload's files may take beyond what it has when it starts (recognising scans takes about "
         "1.9 GiB of it on two cores); a file that needs more is refused", shown="4 GiB"),
    _web("UPLOAD_CHECK_SECONDS", 25.0, "seconds the check of one upload's files may take in all (within "
         "gunicorn's 30 s worker timeout); files not read by then are refused, to be uploaded again"),
    _web("UPLOAD_COMMIT_TIMEOUT", 15.0, "seconds a commit waits for another commit or the index's "
         "writer, then 503 (within gunicorn's worker timeout)"),
    _web("MAX_CONTENT_LENGTH", 110 * MIB, "bytes of an upload's request, its files together; beyond it "
         "413 (Flask's). Every other route has its own small limit (webapp/limits.py)", shown="110 MiB"),
    # --- gunicorn.conf.py --------------------------------------------------------------------
    Setting("BIND", "127.0.0.1:8000", "gunicorn's address", GUNICORN, kind="text"),
    Setting("WORKERS", 2, "gunicorn's workers", GUNICORN, kind="int"),
    # --- scripts/ and tests/ -----------------------------------------------------------------
    Setting("VENV", None, "the virtual environment the scripts use", SCRIPTS, kind="text",
            shown="`.venv` in the checkout"),
    Setting("REAL_CORPUS", None, "the real corpus, for tests and `scripts/eval`", SCRIPTS, kind="text",
            shown="`../shared/corpus` beside the checkout"),
    Setting("REQUIRE_REAL_CORPUS", None, "`1`: a missing real corpus fails tests and `scripts/eval` "
            "instead of skipping them (CI sets it)", SCRIPTS, kind="text"),
    Setting("QUERY_PATH_PER_STATE", 25, "tests only: queries of each class per index state in the test "
            "that compares the array path with Whoosh's", SCRIPTS, kind="int"),
)
BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}
VARIABLES: dict[str, Setting] = {v: s for s in SETTINGS for v in s.variables}


class SettingError(MinutesError, ValueError):
    """A setting that cannot be used: start-up stops with this message."""


class UnknownSetting(SettingError):
    """Names the table does not declare (``MINUTES_*`` variables, or keys of a config file)."""

    def __init__(self, names: Iterable[str], candidates: Iterable[str], where: str = ""):
        self.names = tuple(names)
        self.suggestions = {n: _closest(n, candidates) for n in self.names}
        listed = ", ".join(n + (f" (did you mean {s}?)" if s else "") for n, s in self.suggestions.items())
        plural = "s" if len(self.names) > 1 else ""
        super().__init__((f"{where}: " if where else "") + f"unknown setting{plural} {listed}")


def _closest(name: str, candidates: Iterable[str]) -> str:
    """The candidate ``name`` was most likely meant to be (compared without the prefix they all share)."""
    bare = {c.removeprefix(PREFIX): c for c in candidates}
    found = difflib.get_close_matches(name.removeprefix(PREFIX), list(bare), n=1, cutoff=0.6)
    return bare[found[0]] if found else ""


def _json_or_text(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


_PARSERS = {"text": str, "int": int, "float": float, "json": _json_or_text}
_EXPECTED = {"int": "a whole number", "float": "a number"}


def _parse(setting: Setting, variable: str, text: str) -> Any:
    try:
        return _PARSERS[setting.kind](text)
    except ValueError:
        raise SettingError(f"{variable}={text!r}: expected {_EXPECTED[setting.kind]}") from None


def setting(name: str) -> Setting:
    """The declared setting ``name`` (``INDEX`` or ``MINUTES_INDEX``); KeyError names an undeclared one."""
    found = BY_NAME.get(name) or VARIABLES.get(name)
    if found is None:
        raise KeyError(f"undeclared setting {name}: declare it in indexer/settings.py")
    return found


def default(name: str) -> Any:
    """The declared default of ``name``."""
    return setting(name).default


def value(name: str, environ: Mapping[str, str] | None = None) -> Any:
    """The setting ``name`` as the environment sets it (its variable, else an alias), read by its kind;
    else its default."""
    declared = setting(name)
    environ = os.environ if environ is None else environ
    for variable in declared.variables:
        if environ.get(variable):
            return _parse(declared, variable, environ[variable])
    return declared.default


def check_environment(environ: Mapping[str, str] | None = None) -> None:
    """Raise :class:`UnknownSetting` naming every ``MINUTES_*`` variable the table does not declare,
    or :class:`SettingError` for a declared one whose value cannot be read. Each edge calls this
    when it starts: ``create_app``, the ``minutes`` command, gunicorn.conf.py."""
    environ = os.environ if environ is None else environ
    unknown = sorted(v for v in environ if v.startswith(PREFIX) and v not in VARIABLES)
    if unknown:
        raise UnknownSetting(unknown, VARIABLES)
    for variable, text in environ.items():
        if variable in VARIABLES and text:
            _parse(VARIABLES[variable], variable, text)


def check_config_keys(keys: Iterable[str], also_known: Iterable[str] = (), where: str = "") -> None:
    """Raise :class:`UnknownSetting` for keys of a config file that are neither the web app's
    declared keys nor ``also_known`` (the web app passes Flask's and Flask-WTF's own)."""
    known = {s.name for s in SETTINGS if s.is_config} | set(also_known)
    unknown = sorted(k for k in keys if k not in known)
    if unknown:
        raise UnknownSetting(unknown, known, where)


def config_defaults() -> dict[str, Any]:
    """The web app's config keys and their declared defaults."""
    return {s.name: s.default for s in SETTINGS if s.is_config}


def config_from_environment(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The web app's config keys the environment sets (``MINUTES_<KEY>``, or an alias), read by kind."""
    environ = os.environ if environ is None else environ
    return {s.name: value(s.name, environ) for s in SETTINGS
            if s.is_config and any(environ.get(v) for v in s.variables)}
