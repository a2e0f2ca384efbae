"""The suite's own gate for browser tests (tests/conftest.py): without Playwright or
chromium they are skipped with the reason, except under ``CI=true``, where they fail."""
import os
import re
import subprocess
import sys
import types

import pytest

from . import conftest
from .conftest import ROOT, browser_missing, require_browser


@pytest.mark.parametrize("environ", [{}, {"CI": ""}, {"CI": "false"}, {"CI": "0"}])
def test_a_missing_browser_is_skipped_with_the_reason_outside_ci(environ):
    with pytest.raises(pytest.skip.Exception, match="^browser test skipped: chromium is not at /nowhere$"):
        require_browser("chromium is not at /nowhere", environ=environ)


@pytest.mark.parametrize("ci", ["true", "TRUE", "1"])
def test_a_missing_browser_fails_under_ci(ci):
    with pytest.raises(pytest.fail.Exception) as e:
        require_browser("Playwright is not installed", environ={"CI": ci})
    assert str(e.value) == "browser test cannot run: Playwright is not installed; CI=true makes this a failure"


@pytest.mark.parametrize("environ", [{}, {"CI": "true"}])
def test_a_present_browser_runs_in_ci_and_out(environ):
    assert require_browser("", environ=environ) is None


def test_missing_playwright_is_named(monkeypatch):
    monkeypatch.setitem(sys.modules, "playwright", None)  # as if it were not installed
    assert browser_missing().startswith("Playwright is not installed (")


def test_missing_chromium_is_named(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "playwright", types.ModuleType("playwright"))
    monkeypatch.setitem(sys.modules, "playwright.sync_api", types.ModuleType("playwright.sync_api"))
    monkeypatch.setattr(conftest, "CHROMIUM", str(tmp_path / "chromium"))
    assert browser_missing() == f"chromium is not at {tmp_path / 'chromium'}; scripts/test installs Debian's chromium"
    (tmp_path / "chromium").write_text("#!/bin/sh\n")
    (tmp_path / "chromium").chmod(0o755)
    assert browser_missing() == ""


@pytest.mark.slow
@pytest.mark.parametrize("ci,outcome", [("", "skipped"), ("true", "errors")])
def test_every_browser_test_goes_through_the_gate(ci, outcome):
    """A pytest run without Playwright: every test marked browser (a module's and a lone
    one elsewhere) is skipped, or under CI=true fails at setup (an error), before any of
    its fixtures start."""
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "PYTEST_ADDOPTS")}
    env.update({"CI": ci} if ci else {})
    code = "import sys; sys.modules['playwright'] = None; import pytest; sys.exit(pytest.main(sys.argv[1:]))"
    run = subprocess.run([sys.executable, "-c", code, "-q", "-rsf", "-p", "no:cacheprovider", "-m", "browser",
                          "tests/web/test_browser.py", "tests/web/test_hardening.py"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    summary = run.stdout.strip().splitlines()[-1]
    counts = dict((word, int(n)) for n, word in re.findall(r"(\d+) (\w+)", summary))
    assert set(counts) == {outcome, "deselected"} and counts[outcome] >= 5, run.stdout[-2000:]
    assert run.returncode == (1 if ci else 0)
    assert "Playwright is not installed" in run.stdout


def test_a_test_not_marked_real_cannot_read_the_real_corpus(request):
    """``scripts/test --quick`` leaves out the tests marked ``real``; one that reads the corpus
    without the marker (here, this one) fails instead of reading it."""
    with pytest.raises(pytest.fail.Exception) as e:
        conftest.require_real_corpus()
    assert str(e.value) == (f"{request.node.nodeid} reads the real corpus but is not marked real: use the "
                            "real_corpus fixture (which marks it) or mark it")



def test_a_test_not_marked_serving_cannot_start_gunicorn(request, tmp_path):
    """Nor can one start gunicorn (``scripts/test --quick`` leaves out the serving tests)."""
    with pytest.raises(pytest.fail.Exception) as e:
        conftest.start_gunicorn(tmp_path / "ix", tmp_path / "gunicorn.log")
    assert str(e.value) == f"{request.node.nodeid} starts gunicorn but is not marked serving"
