"""Citations, policy paths and department tasks into page and JSON shapes: the shapes of
:mod:`indexer.present.shapes` with the URLs of this web app."""
from __future__ import annotations

import csv
import io

import indexer

from .presenters import search_url


def place_url(place: indexer.DocRef) -> str:
    """A place's reading view: the document, at its item when it has one."""
    anchor = f"#item-{place.item_no}" if place.item_no else ""
    return f"/doc/{place.doc_id}{anchor}"


def policy_url(title: str) -> str:
    return search_url([("title", title)], "/policy")


def references_json(refs: indexer.CrossReferences, doc_id: str) -> dict:
    return indexer.references_dict(refs, doc_id, place_url=place_url, policy_url=policy_url)


def policy_json(title: str, target: indexer.DocRef | None, steps: tuple[indexer.PolicyStep, ...]) -> dict:
    return indexer.policy_dict(title, target, steps, place_url=place_url)


def tasks_json(dept: str, year: str, role: str, tasks: tuple[indexer.Task, ...]) -> dict:
    return indexer.tasks_dict(dept, year, role, tasks, place_url=place_url)


TASK_COLUMNS = ["date", "citation", "doc_title", "doc_number", "item_no", "item_title", "role", "sentence", "url"]


def tasks_csv(data: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(TASK_COLUMNS)
    for task in data["tasks"]:
        writer.writerow([task[c] for c in TASK_COLUMNS])
    return "\ufeff" + out.getvalue()
