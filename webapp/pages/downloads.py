"""The CSV downloads: a search's hits (``/search.csv``) and a department's tasks
(``/tasks.csv``), each a row per hit or task of its JSON twin, after a BOM so that
spreadsheet programs read them as UTF-8. Every cell goes through :func:`cell`, so that
no text of a document reaches a spreadsheet as a formula."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

import indexer

CSV_MAX_ROWS = 1000  # hits in one download
# A cell beginning with one of these is a formula to Excel, LibreOffice and Google Sheets (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HIT_COLUMNS = ["citation", "doc_title", "doc_number", "doc_type", "date", "item_no", "item_title", "dept", "topic",
               "url", "snippet"]
TASK_COLUMNS = ["date", "citation", "doc_title", "doc_number", "item_no", "item_title", "role", "sentence", "url"]


def cell(value):
    """A value as a CSV cell: text that a spreadsheet would read as a formula gets a leading ``'``
    (shown as text, the quote itself hidden); numbers and other text as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _lines(columns: list[str], rows: Iterable[dict]) -> Iterator[str]:
    """The header, then each row's ``columns``, a line at a time; the BOM first."""
    out = io.StringIO()
    writer = csv.writer(out)

    def line(values: list) -> str:
        writer.writerow([cell(v) for v in values])
        text = out.getvalue()
        out.seek(0)
        out.truncate()
        return text

    yield "\ufeff" + line(columns)
    for row in rows:
        yield line([row[c] for c in columns])


def hits_csv(hits: Iterable[indexer.Hit]) -> Iterator[str]:
    """A result list, a row at a time (departments and topics joined by 、, the snippet as text)."""
    return _lines(HIT_COLUMNS, (
        dict(indexer.hit_dict(hit), dept="、".join(hit.departments), topic="、".join(hit.topics),
             snippet="…".join(f.text for f in hit.fragments))
        for hit in hits))


def tasks_csv(data: dict) -> str:
    """The ``/api/tasks`` object's tasks."""
    return "".join(_lines(TASK_COLUMNS, data["tasks"]))
