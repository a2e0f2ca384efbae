"""The house's layers, declared in ``.importlinter`` and checked here (docs/architecture.md).

- import-linter's contracts: indexer's packages in one order (an upward import fails), no circle
  between the modules of any package, the web app and the command line on indexer's public API;
- no import of the project's own modules inside a function (a deferred import that dodges a
  circle is the circle still there);
- Whoosh and jieba only inside indexer/ (they are unmaintained upstream: one place to replace).
"""
from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGES = ("indexer", "webapp", "minutes_cli")
UNMAINTAINED = {"whoosh", "jieba", "rjieba"}
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")  # import-linter's command


def _lint(code: Path, *contracts: str) -> subprocess.CompletedProcess:
    """import-linter over the code in ``code`` (its contracts, or only those named), in a process
    whose working directory is ``code``: its packages are found there before the installed project."""
    env = dict(os.environ, PYTHONPATH=str(code))
    args = [str(LINT_IMPORTS), "--no-cache", *(a for c in contracts for a in ("--contract", c))]
    return subprocess.run(args, cwd=code, env=env, capture_output=True, text=True, timeout=120)


def test_the_contracts_are_kept():
    run = _lint(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize("extra, contract", [
    # parse reading the store: an upward import
    ("indexer/parse/header.py:from ..store import schema  # noqa", "indexer-layers"),
    # two modules of read importing each other
    ("indexer/read/text.py:from . import files  # noqa", "no-circles"),
    # the web app reaching behind indexer's face
    ("webapp/errors.py:from indexer.search import query  # noqa", "edges-use-the-face"),
    # the command line importing the web app
    ("minutes_cli/progress.py:import webapp  # noqa", "cli-not-web"),
])
def test_a_bad_import_breaks_its_contract(tmp_path, extra, contract):
    """The same contracts over a copy of the code with one bad import added: that contract breaks,
    where the unchanged copy keeps it."""
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / ".importlinter", tmp_path / ".importlinter")
    assert _lint(tmp_path, contract).returncode == 0
    target, line = extra.split(":", 1)
    path = tmp_path / target
    path.write_text(path.read_text("utf-8") + "\n" + line + "\n", "utf-8")
    run = _lint(tmp_path, contract)
    assert (run.returncode, "BROKEN" in run.stdout) == (1, True), run.stdout + run.stderr


def _sources():
    for package in PACKAGES:
        yield from sorted((ROOT / package).rglob("*.py"))
    yield ROOT / "gunicorn.conf.py"


def _nested_imports(path: Path) -> list[str]:
    """The project's modules a file imports inside a function: ``module (function, line)``."""
    found = []

    def visit(node, function: str):
        for child in ast.iter_child_nodes(node):
            if function and isinstance(child, ast.ImportFrom):
                own = child.level > 0 or (child.module or "").split(".")[0] in PACKAGES
                if own:
                    found.append(f"{'.' * child.level}{child.module or ''} ({function}, line {child.lineno})")
            elif function and isinstance(child, ast.Import):
                found.extend(f"{a.name} ({function}, line {child.lineno})" for a in child.names
                             if a.name.split(".")[0] in PACKAGES)
            named = isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            visit(child, child.name if named else function)

    visit(ast.parse(path.read_text("utf-8")), "")
    return found


def test_no_import_of_our_own_is_deferred_into_a_function():
    assert {str(p.relative_to(ROOT)): found for p in _sources() if (found := _nested_imports(p))} == {}


def test_a_deferred_import_is_found(tmp_path):
    path = tmp_path / "m.py"
    path.write_text("import json\n"
                    "def f():\n"
                    "    import os\n"
                    "    from .model import Document\n"
                    "    from indexer import errors\n")
    assert _nested_imports(path) == [".model (f, line 4)", "indexer (f, line 5)"]


def _third_party(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            found.add((node.module or "").split(".")[0])
    return found


def test_whoosh_and_jieba_are_imported_only_inside_indexer():
    """The service's code outside indexer/ (the web app, the command line, gunicorn's
    configuration) never imports them. (tests/ compare our arrays with Whoosh's own answers, and
    scripts/naive.py is the naive Whoosh + jieba pipeline the benchmarks measure against.)"""
    outside = [p for p in _sources() if not p.is_relative_to(ROOT / "indexer")]
    assert {str(p.relative_to(ROOT)): used for p in outside if (used := _third_party(p) & UNMAINTAINED)} == {}


MAX_MODULES = 15  # per folder: past it, a folder holds two rooms
MAX_LINES = 450  # per module: one sitting's reading


def test_rooms_stay_small():
    """No folder of indexer/ holds more than about 15 modules, no module of the service more than
    about 450 lines (STYLE.md, "When the house grows")."""
    folders = {p.parent for p in (ROOT / "indexer").rglob("*.py")}
    crowded = {str(f.relative_to(ROOT)): n for f in folders if (n := len(list(f.glob("*.py")))) > MAX_MODULES}
    long = {str(p.relative_to(ROOT)): n for p in _sources() if (n := len(p.read_text("utf-8").splitlines())) > MAX_LINES}
    assert (crowded, long) == ({}, {})
