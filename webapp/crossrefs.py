"""Citations, policy paths and department tasks into page and JSON shapes."""
from __future__ import annotations

import csv
import io

import indexer

from .presenters import search_url

KIND_LABELS = {"number": "文号", "meeting": "会议", "title": "文件"}
ROLE_LABELS = {indexer.LEAD: "牵头", indexer.CO_LEAD: "会同配合"}


def place_json(place: indexer.DocRef) -> dict:
    anchor = f"#item-{place.item_no}" if place.item_no else ""
    return {"doc_id": place.doc_id, "doc_title": place.doc_title, "doc_number": place.doc_number,
            "date": place.date, "item_no": place.item_no, "item_title": place.item_title,
            "citation": place.citation, "url": f"/doc/{place.doc_id}{anchor}"}


def references_json(refs: indexer.CrossReferences, doc_id: str) -> dict:
    cites = [
        {"kind": c.kind, "label": KIND_LABELS[c.kind], "text": c.text, "item_no": c.item_no,
         "target": place_json(refs.summary(c.target)) if c.target else None,
         "policy_url": search_url([("title", c.text)], "/policy") if c.kind == "title" else None}
        for c in refs.cites.get(doc_id, ())
    ]
    cited_by = [
        {"kind": r.citation.kind, "label": KIND_LABELS[r.citation.kind], "text": r.citation.text,
         "source": place_json(r.source)}
        for r in refs.cited_by.get(doc_id, [])
    ]
    return {"cites": cites, "cited_by": cited_by}


def policy_json(title: str, target: indexer.DocRef | None, steps: tuple[indexer.PolicyStep, ...]) -> dict:
    return {
        "ok": True,
        "title": title,
        "document": place_json(target) if target else None,
        "steps": [dict(place_json(s.place), action=s.action, decision=s.decision) for s in steps],
    }


def tasks_json(dept: str, year: str, role: str, tasks: tuple[indexer.Task, ...]) -> dict:
    return {
        "ok": True,
        "dept": indexer.gazetteer_canonical(dept),
        "year": year,
        "role": role,
        "tasks": [dict(place_json(t.place), role=t.role, role_label=ROLE_LABELS[t.role], sentence=t.sentence)
                  for t in tasks],
    }


TASK_COLUMNS = ["date", "citation", "doc_title", "doc_number", "item_no", "item_title", "role", "sentence", "url"]


def tasks_csv(data: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(TASK_COLUMNS)
    for task in data["tasks"]:
        writer.writerow([task[c] for c in TASK_COLUMNS])
    return "\ufeff" + out.getvalue()
