"""A department's tasks as CSV (``/tasks.csv``), from the ``/api/tasks`` object."""
from __future__ import annotations

import csv
import io

TASK_COLUMNS = ["date", "citation", "doc_title", "doc_number", "item_no", "item_title", "role", "sentence", "url"]


def tasks_csv(data: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(TASK_COLUMNS)
    for task in data["tasks"]:
        writer.writerow([task[c] for c in TASK_COLUMNS])
    return "\ufeff" + out.getvalue()
