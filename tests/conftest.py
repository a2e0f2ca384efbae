"""Shared fixtures: one real index built from the bundled samples per session,
a fresh app per test, and a real gunicorn server for serving and browser tests."""
from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

import indexer
from webapp import create_app

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "samples" / "corpus"
MINUTES_2021_9 = CORPUS / "示例市政府常务会议纪要-2021-09.txt"
# The real public documents, read in place and never copied into this repository.
REAL_CORPUS = Path(indexer.setting_value("REAL_CORPUS") or ROOT.parent / "shared" / "corpus")
SUZHOU = REAL_CORPUS / "suzhou" / "suzhou_changwu_2021_9.txt"


def require_real_corpus() -> Path:
    """The real corpus folder; skips the test when it is absent, or fails it
    when ``MINUTES_REQUIRE_REAL_CORPUS=1`` (CI sets it). Only for tests marked ``real``
    (``scripts/test --quick`` leaves them out): any other test that asks for the corpus fails."""
    if _running is not None and not _running.get_closest_marker("real"):
        pytest.fail(f"{_running.nodeid} reads the real corpus but is not marked real: use the real_corpus "
                    "fixture (which marks it) or mark it", pytrace=False)
    if (REAL_CORPUS / "MANIFEST.tsv").is_file():
        return REAL_CORPUS
    message = (f"the real corpus is not at {REAL_CORPUS} (expected ../shared/corpus beside the "
               "repository, or MINUTES_REAL_CORPUS=/path)")
    if indexer.setting_value("REQUIRE_REAL_CORPUS") == "1":
        pytest.fail(message + "; MINUTES_REQUIRE_REAL_CORPUS=1 makes this a failure", pytrace=False)
    pytest.skip(message)


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"  # Debian's, driven through executable_path
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"  # screenshots of the browser tests


def browser_missing() -> str:
    """Why the browser tests cannot run here: Playwright or chromium missing ("" when both are there)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as e:
        return f"Playwright is not installed ({e}); scripts/test installs it"
    if not os.access(CHROMIUM, os.X_OK):
        return f"chromium is not at {CHROMIUM}; scripts/test installs Debian's chromium"
    return ""


def require_browser(missing: str, environ=os.environ) -> None:
    """Skip a browser test, saying why, when ``missing`` names what it lacks; under
    ``CI=true`` fail it instead, so that CI never passes without running them."""
    if not missing:
        return
    if environ.get("CI", "").lower() in ("true", "1"):
        pytest.fail(f"browser test cannot run: {missing}; CI=true makes this a failure", pytrace=False)
    pytest.skip(f"browser test skipped: {missing}")


def ocr_missing() -> str:
    """Why the OCR tests cannot run here ("" when they can): the ocr extra or a Chinese font to
    draw scans with is missing."""
    from indexer.read import ocr as formats_ocr

    from .scan_gen import chinese_font

    if not formats_ocr.available():
        return "the ocr extra is not installed (pip install -e '.[ocr]'; scripts/test installs it)"
    if chinese_font() is None:
        return "no Chinese font to draw scans with (scripts/test installs fonts-wqy-microhei)"
    return ""


_running: pytest.Item | None = None  # the test being set up or run, for require_real_corpus


def pytest_collection_modifyitems(items):
    """Every test that uses the ``real_corpus`` fixture, directly or through another
    (``real_docs``, ``real_index_dir``, ``real_search_index``, …), is marked ``real``."""
    for item in items:
        if "real_corpus" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.real)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    global _running
    _running = item
    try:
        return (yield)
    finally:
        _running = None


def pytest_runtest_setup(item):
    """Every test marked ``browser`` goes through :func:`require_browser` before its fixtures,
    and every test marked ``ocr`` skips (fails under ``CI=true``) without the ocr extra."""
    if item.get_closest_marker("browser"):
        require_browser(browser_missing())
    if item.get_closest_marker("ocr") and (missing := ocr_missing()):
        if os.environ.get("CI", "").lower() in ("true", "1"):
            pytest.fail(f"OCR test cannot run: {missing}; CI=true makes this a failure", pytrace=False)
        pytest.skip(f"OCR test skipped: {missing}")


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("index")
    report = indexer.index_paths([CORPUS], path)
    assert report.failed == ()
    return path


@pytest.fixture(scope="session")
def search_index(index_dir) -> indexer.SearchIndex:
    ix = indexer.SearchIndex(index_dir)
    yield ix
    ix.close()


@pytest.fixture(scope="session")
def docs() -> dict[str, indexer.Document]:
    """Every sample parsed, by file name."""
    files, _ = indexer.collect_files([CORPUS])
    return {f.name: indexer.read_document(f) for f in files}


@pytest.fixture(scope="session")
def real_corpus() -> Path:
    """The real corpus folder (see require_real_corpus); a test that uses it, directly or
    through the fixtures below, is marked ``real``."""
    return require_real_corpus()


@pytest.fixture(scope="session")
def real_docs(real_corpus) -> dict[str, indexer.Document]:
    """Every file of the real corpus parsed, by its path relative to the corpus folder."""
    files, _ = indexer.collect_files([real_corpus])
    return {f.relative_to(real_corpus).as_posix(): indexer.read_document(f) for f in files}


@pytest.fixture(scope="session")
def real_index_dir(real_corpus, tmp_path_factory) -> Path:
    """One index of the whole real corpus, built through the real pipeline."""
    path = tmp_path_factory.mktemp("real-index")
    report = indexer.index_paths([real_corpus], path)
    assert report.failed == ()
    return path


@pytest.fixture(scope="session")
def real_search_index(real_index_dir) -> indexer.SearchIndex:
    ix = indexer.SearchIndex(real_index_dir, time_limit=None)  # correctness, not speed: no time limit
    yield ix
    ix.close()


@pytest.fixture
def app(index_dir):
    # The pre-existing page tests are about search, not about who may read: every caller reads
    # public and internal documents here. tests/web/test_auth.py and the leak test use the default.
    app = create_app({"INDEX": str(index_dir), "TESTING": True, "ANONYMOUS_ACCESS": "staff"})
    yield app
    app.extensions["minutes"].close()


@pytest.fixture
def client(app):
    return app.test_client()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(index_dir: Path, log_path: Path, settings: dict[str, str] | None = None
                   ) -> tuple[subprocess.Popen, str]:
    """Start gunicorn with the repository's config; its output goes to ``log_path``.
    ``settings``: more ``MINUTES_*`` environment variables, over the defaults here.
    Only for tests marked ``serving`` or ``browser`` (``scripts/test --quick`` leaves them out)."""
    if _running is not None and not (_running.get_closest_marker("serving") or _running.get_closest_marker("browser")):
        pytest.fail(f"{_running.nodeid} starts gunicorn but is not marked serving", pytrace=False)
    port = free_port()
    env = dict(os.environ, MINUTES_INDEX=str(index_dir), MINUTES_BIND=f"127.0.0.1:{port}", MINUTES_WORKERS="2",
               MINUTES_ANONYMOUS_ACCESS="staff")  # as the app fixture: these tests are about serving
    env.update(settings or {})
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [gunicorn, "-c", str(ROOT / "gunicorn.conf.py"), "webapp:create_app()"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}: {log_path.read_text()}")
        try:
            if requests.get(base + "/healthz", timeout=2).status_code == 200:
                return proc, base
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    proc.terminate()
    proc.wait(timeout=20)
    raise RuntimeError(f"gunicorn did not answer within 60 s: {log_path.read_text()}")


@pytest.fixture(scope="session")
def live_server(index_dir, tmp_path_factory):
    """The real app under real gunicorn on a free loopback port; yields its base URL."""
    proc, base = start_gunicorn(index_dir, tmp_path_factory.mktemp("gunicorn") / "gunicorn.log")
    yield base
    proc.terminate()
    proc.wait(timeout=20)


def open_page(browser, base_url: str, ignore=None, **options):
    """A page in a fresh browser context (no cookies; zh-CN, 1280×900; ``options`` go to
    ``new_context``) on ``base_url``, and the function that closes it and fails the test if a
    script error or a Content-Security-Policy violation reached the console meanwhile;
    ``ignore(text)`` tells the console errors a test expects (a 403 it provokes)."""
    context = browser.new_context(base_url=base_url, locale="zh-CN", viewport={"width": 1280, "height": 900},
                                  **options)
    page = context.new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text)
            if m.type == "error" and not (ignore and ignore(m.text)) else None)
    page.on("pageerror", lambda e: problems.append(str(e)))

    def close():
        context.close()
        assert problems == []  # no script errors, no Content-Security-Policy violations
    return page, close


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium driven by Playwright, one per test module (see require_browser)."""
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def load_script(name: str):
    """A script of scripts/ (``eval``, ``eval_answers`` …) imported as a module, for tests that judge
    with its own code."""
    spec = importlib.util.spec_from_file_location(f"minutes_script_{name}", ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module
