"""One settings table (indexer/settings.py): every ``MINUTES_*`` variable and config key declared
once, with its default and meaning; a misspelt one stops start-up with an error naming it, in
``create_app``, the ``minutes`` command and gunicorn; docs/operations.md lists exactly the table;
and no code names a variable the table does not declare."""
from __future__ import annotations

import importlib.util
import io
import os
import re
import tokenize
from pathlib import Path

import flask
import pytest
from click.testing import CliRunner

import indexer
from indexer.read.text import MAX_FILE_BYTES
from minutes_cli import cli
from webapp import create_app

from .conftest import MINUTES_2021_9, ROOT, start_gunicorn

# The misspelling the docs show (operations.md, cli.md): the only undeclared name outside this file (which
# makes up names on purpose, and is not searched).
EXAMPLE = "MINUTES_INDX"
VARIABLE = re.compile(r"\bMINUTES_[A-Z0-9_]*[A-Z0-9]\b")
_FIELD = re.compile(r"\{[^{}]*\}")
# Tokens of Python that are text, not code (Python 3.12 splits f-strings into parts).
_TEXT = {tokenize.STRING, tokenize.COMMENT, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}

_spec = importlib.util.spec_from_file_location("settings_doc", ROOT / "scripts" / "settings_doc.py")
settings_doc = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(settings_doc)


@pytest.fixture
def environ(monkeypatch):
    """No MINUTES_* variable from the caller's environment; ``environ(NAME=value)`` sets some."""
    for name in [v for v in os.environ if v.startswith("MINUTES_")]:
        monkeypatch.delenv(name)
    return lambda **values: [monkeypatch.setenv(k, v) for k, v in values.items()]


@pytest.fixture
def make_app(tmp_path, monkeypatch):
    """create_app over an index folder that need not exist, with its instance folder (config.py) in tmp_path."""
    instance = tmp_path / "instance"
    instance.mkdir()
    monkeypatch.setattr(flask.Flask, "auto_find_instance_path", lambda self: str(instance))
    made = []

    def make(config_py: str = "", **test_config):
        (instance / "config.py").write_text(config_py, "utf-8")
        app = create_app({"INDEX": str(tmp_path / "ix"), "TESTING": True, **test_config})
        made.append(app)
        return app
    make.instance = instance
    yield make
    for app in made:
        app.extensions["minutes"].close()


def test_a_misspelt_variable_stops_create_app_naming_it(make_app, environ):
    environ(MINUTES_INDX="/srv/minutes-index")
    with pytest.raises(indexer.UnknownSetting) as raised:
        make_app()
    assert str(raised.value) == "unknown setting MINUTES_INDX (did you mean MINUTES_INDEX?)"
    assert raised.value.names == ("MINUTES_INDX",)


def test_a_misspelt_variable_stops_every_command_naming_it(environ):
    environ(MINUTES_INDX="/srv/minutes-index")
    for args in (["parse", str(MINUTES_2021_9)], ["search", "电梯"], ["users", "list"]):
        result = CliRunner().invoke(cli, args)
        assert (result.exit_code, result.stderr) == (
            1, "Error: unknown setting MINUTES_INDX (did you mean MINUTES_INDEX?)\n"), args


def test_every_unknown_variable_is_named_and_a_bad_number_too(environ):
    environ(MINUTES_INDX="x", MINUTES_COLOUR="blue")
    result = CliRunner().invoke(cli, ["parse", str(MINUTES_2021_9)])
    assert result.stderr == "Error: unknown settings MINUTES_COLOUR, MINUTES_INDX (did you mean MINUTES_INDEX?)\n"
    environ(MINUTES_INDX="", MINUTES_COLOUR="")  # set, though empty: still unknown
    assert CliRunner().invoke(cli, ["parse", str(MINUTES_2021_9)]).exit_code == 1
    with pytest.raises(indexer.SettingError, match=r"^MINUTES_COMMIT_EVERY='lots': expected a whole number$"):
        indexer.check_environment({"MINUTES_COMMIT_EVERY": "lots"})


@pytest.mark.serving
def test_a_misspelt_variable_stops_gunicorn_naming_it(tmp_path):
    with pytest.raises(RuntimeError) as raised:
        start_gunicorn(tmp_path / "ix", tmp_path / "gunicorn.log", {"MINUTES_WORKRES": "3"})
    assert str(raised.value).startswith("gunicorn exited with 1: ")
    assert "Error: unknown setting MINUTES_WORKRES (did you mean MINUTES_WORKERS?)" in str(raised.value)


def test_every_declared_variable_is_accepted_and_only_the_apps_keys_reach_its_config(make_app, environ, tmp_path):
    """The variables only the scripts and tests read are declared, so they are not refused; the
    web app takes from the environment its own keys, read by kind, and nothing else."""
    environ(MINUTES_VENV="/opt/venv", MINUTES_REQUIRE_REAL_CORPUS="1", MINUTES_REAL_CORPUS="/data",
            MINUTES_QUERY_PATH_PER_STATE="100", MINUTES_BIND="0.0.0.0:9000", MINUTES_WORKERS="4",
            MINUTES_OCR_THREADS="1", MINUTES_WRITER_TIMEOUT="2.5", MINUTES_COMMIT_EVERY="7",
            MINUTES_SIGN_IN="false", MINUTES_PAGE_SIZE="20", MINUTES_SECRET_KEY="12345",
            MINUTES_TRUSTED_PROXIES='["10.0.0.0/8"]', MINUTES_USERS=str(tmp_path / "users.json"))
    config = make_app().config
    assert not {"VENV", "BIND", "WORKERS", "COMMIT_EVERY", "USERS"} & set(config)
    assert (config["SIGN_IN"], config["PAGE_SIZE"], config["SECRET_KEY"], config["TRUSTED_PROXIES"]) == (
        False, 20, "12345", ["10.0.0.0/8"])
    assert config["USERS_FILE"] == str(tmp_path / "users.json")  # the older name of MINUTES_USERS_FILE
    assert indexer.ingest.indexing.commit_every() == 7
    assert [indexer.setting_value(n) for n in ("BIND", "WORKERS", "WRITER_TIMEOUT", "QUERY_PATH_PER_STATE")] == [
        "0.0.0.0:9000", 4, 2.5, 100]


def test_the_apps_defaults_are_the_tables(make_app, environ):
    config = make_app().config
    for setting in indexer.SETTINGS:
        if setting.is_config and setting.name != "INDEX":
            assert config[setting.name] == setting.default, setting.name
    assert not any(k.startswith("MINUTES") for k in config)


def test_config_py_then_the_environment_then_the_test_mapping(make_app, environ):
    environ(MINUTES_PAGE_SIZE="40", MINUTES_SIGNIN_LOCK_MINUTES="30")
    config = make_app("PAGE_SIZE = 30\nSIGNIN_LOCK_MINUTES = 20\nPROXY_FIX = 1\n", SIGNIN_LOCK_MINUTES=25).config
    assert (config["PROXY_FIX"], config["PAGE_SIZE"], config["SIGNIN_LOCK_MINUTES"]) == (1, 40, 25)


def test_a_misspelt_key_in_config_py_stops_create_app_but_flasks_own_keys_do_not(make_app, environ):
    with pytest.raises(indexer.UnknownSetting) as raised:
        make_app("SIGNIN_MAX_FAILURE = 3\n")
    assert str(raised.value) == (f"{make_app.instance / 'config.py'}: unknown setting SIGNIN_MAX_FAILURE "
                                 "(did you mean SIGNIN_MAX_FAILURES?)")
    config = make_app("PREFERRED_URL_SCHEME = 'https'\nWTF_CSRF_SSL_STRICT = False\nlower_case_helper = 1\n").config
    assert (config["PREFERRED_URL_SCHEME"], config["WTF_CSRF_SSL_STRICT"]) == ("https", False)


def test_the_upload_limit_is_what_minutes_index_reads():
    assert indexer.setting("UPLOAD_MAX_FILE_BYTES").default == MAX_FILE_BYTES == indexer.UPLOAD_MAX_FILE_BYTES


def test_every_declared_setting_is_documented_as_declared():
    """docs/operations.md's tables are what scripts/settings_doc.py makes from the table: every
    setting, with its default and meaning, and no other."""
    doc = (ROOT / "docs" / "operations.md").read_text("utf-8")
    assert settings_doc.replaced(doc) == doc, "run: .venv/bin/python scripts/settings_doc.py"
    block = doc[doc.index(settings_doc.BEGIN):doc.index(settings_doc.END)]
    rows = {m.group(1) for m in re.finditer(r"^\| `([A-Z_0-9]+)`", block, re.M)}
    assert rows == {s.name if s.group == indexer.settings.WEB else s.variable for s in indexer.SETTINGS}


def _names_in(path: Path) -> set[str]:
    """The MINUTES_* names a file says: in Python, in its strings and comments (a module-level
    name such as MINUTES_CLI is no variable); elsewhere (shell, docs, ini), anywhere."""
    text = path.read_text("utf-8", errors="replace")
    if path.suffix != ".py":
        return set(VARIABLE.findall(text))
    said = []
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type in _TEXT:
            prefix = re.match(r"[rRbBuUfF]*", token.string).group()
            # an f-string's replacement fields are code: {MINUTES_2021_9.name} is a Python name
            said.append(_FIELD.sub("", token.string) if "f" in prefix.lower() else token.string)
    return {name for string in said for name in VARIABLE.findall(string)}


def _sources() -> list[Path]:
    skip = {"__pycache__", "static", "data", "corpus"}
    files = [ROOT / n for n in ("gunicorn.conf.py", "setup.py", "pytest.ini", "README.md", ".importlinter")]
    for folder in ("indexer", "webapp", "minutes_cli", "scripts", "tests", "docs", ".ci"):
        files += [p for p in (ROOT / folder).rglob("*") if p.is_file() and not skip & set(p.parts)
                  and p.suffix in (".py", ".md", ".ini", ".sh", ".toml", ".html", ".js", "")]
    return [p for p in files if p != Path(__file__)]


def test_every_minutes_variable_the_code_names_is_declared():
    """A variable read (or documented) anywhere must be declared in indexer/settings.py: this fails
    when someone reads a new MINUTES_* variable without declaring it."""
    declared = set(indexer.settings.VARIABLES) | {EXAMPLE}
    undeclared = {f"{p.relative_to(ROOT)}: {name}" for p in _sources() for name in _names_in(p) - declared}
    assert undeclared == set()


def test_the_names_check_sees_a_variable_in_code_and_not_a_python_name(tmp_path):
    code = tmp_path / "x.py"
    code.write_text('MINUTES_CLI = 1\nos.environ.get("MINUTES_NEW")  # MINUTES_OLD\nf"{MINUTES_CLI}"\n')
    assert _names_in(code) == {"MINUTES_NEW", "MINUTES_OLD"}
    script = tmp_path / "serve"
    script.write_text('echo "${MINUTES_PORT:-8000}"\n')
    assert _names_in(script) == {"MINUTES_PORT"}
