"""docs/operations.md's tables of settings, made from indexer/settings.py (the one declaration).

    .venv/bin/python scripts/settings_doc.py           # rewrite the tables in docs/operations.md
    .venv/bin/python scripts/settings_doc.py --check   # exit 1 if they differ from the code

The tables stand between the two marker lines in the doc; the prose around them is the doc's
own. tests/test_settings.py checks that they are what this script makes, so a setting added,
renamed or given another default without the doc following fails the test run.
"""
from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer import settings  # noqa: E402

DOC = ROOT / "docs" / "operations.md"
BEGIN = "<!-- settings: made by scripts/settings_doc.py from indexer/settings.py; edit them there -->"
END = "<!-- /settings -->"
INTRODUCTIONS = {
    settings.ENGINE: "Read by the engine, so by every command, the web app and gunicorn:",
    settings.WEB: "The web app's keys (`instance/config.py`, or `MINUTES_` + the key), besides `INDEX` above:",
    settings.GUNICORN: "Read by `gunicorn.conf.py`:",
    settings.SCRIPTS: "Read only by the scripts and the tests (declared, so that they are not refused):",
}


def shown(setting: settings.Setting) -> str:
    """A setting's default as the doc says it."""
    value = setting.default
    if setting.shown:
        return setting.shown
    if value is None:
        return "unset"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"`{value}`" if value else "empty"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, tuple):
        return ", ".join(f"`{v}`" for v in value) or "none"
    if isinstance(value, timedelta):
        hours = value.total_seconds() / 3600
        return f"{hours:g} hours"
    return str(value)


def name(setting: settings.Setting) -> str:
    """The name column: the config key for the web app's keys, else the variable."""
    if setting.group == settings.WEB:
        first = f"`{setting.name}`"
    else:
        first = f"`{setting.variable}`" + (f" (the app's `{setting.name}`)" if setting.config else "")
    return first + "".join(f" (also `{alias}`)" for alias in setting.aliases)


def render() -> str:
    """The block between the markers, markers included."""
    lines = [BEGIN]
    for group in settings.GROUPS:
        rows = [s for s in settings.SETTINGS if s.group == group]
        if not rows:
            continue
        header = "key" if group == settings.WEB else "variable"
        lines += ["", INTRODUCTIONS[group], "", f"| {header} | default | meaning |", "|---|---|---|"]
        lines += [f"| {name(s)} | {shown(s)} | {s.help} |" for s in rows]
    return "\n".join([*lines, "", END])


def replaced(text: str) -> str:
    """``text`` (the doc) with its block made anew."""
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text[:start] + render() + text[end:]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the doc's tables differ from the code")
    args = parser.parse_args()
    text = DOC.read_text("utf-8")
    if args.check:
        if replaced(text) != text:
            print(f"{DOC}: the settings tables differ from indexer/settings.py; run {sys.argv[0]}", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(replaced(text), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
