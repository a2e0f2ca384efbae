"""The parse audit (:mod:`indexer.ingest.audit`) into the shapes ``/audit`` and ``/api/audit``
show. A file's row is :func:`indexer.file_audit_dict`, the one ``minutes audit --json``
prints too, here with the path under the indexed folder and the reading view's URL."""
from __future__ import annotations

import os

import indexer

from .reading import ocr_view, visibility_view

# Chinese labels for the page; the JSON keeps the English kinds and messages.
WARNING_LABELS = {
    "no_title": "未识别出标题",
    "title_too_long": f"标题超过 {indexer.AUDIT_TITLE_MAX_CHARS} 字",
    "title_has_number": "标题中含有文号",
    "unknown_type": "未识别出文种",
    "no_number": "未识别出文号",
    "no_date": "未识别出日期",
    "no_issuer": "未识别出发文机关",
    "no_items": "纪要未识别出议题",
    "no_attendance": "纪要未识别出出席、列席",
    "minutes_incomplete": "纪要缺少会次、主持人或会议日期",
    "dept_below_issuer": "部门层级低于发文机关",
    "ocr_low_confidence": "扫描件识别置信度较低",
}
LEVEL_LABELS = {"state": "国家", "province": "省级", "city": "市级", "county": "县级", "": "未定级"}


def relative_paths(paths: list[str]) -> dict[str, str]:
    """Each source path relative to the folder they share (the server's own folders stay out of the page)."""
    if not paths:
        return {}
    root = os.path.commonpath(paths)
    if len(set(paths)) == 1:
        root = os.path.dirname(root)
    return {p: os.path.relpath(p, root) if root else p for p in paths}


def index_audit_json(report: indexer.AuditReport, warning: str = "") -> dict:
    """``/api/audit``: the index's documents (those with ``warning``, when given),
    each with its reading view's URL and its path under the indexed folder; totals over all."""
    relative = relative_paths([f.path for f in report.files])
    files = [f for f in report.files if not warning or warning in f.warning_kinds]
    return {
        "ok": True,
        "warning": warning,
        "files": [indexer.file_audit_dict(f, relative[f.path], indexer.document_url(f.doc_id)) for f in files],
        "totals": indexer.audit_totals_dict(report.totals),
    }


def audit_page(data: dict) -> dict:
    """What the audit template shows, from the ``/api/audit`` object."""
    totals = data["totals"]
    warning = data["warning"]

    def filter_url(kind: str) -> str:
        return indexer.with_params("/audit", [("warning", kind)] if kind else [])

    files = []
    for row in data["files"]:
        levels: dict[str, list[dict]] = {}
        for d in row["dept"]:
            levels.setdefault(d["level"], []).append(
                dict(d, role_labels="、".join(indexer.ROLE_LABELS[r] for r in d["roles"])))
        files.append(dict(
            row,
            issuer_level_label=LEVEL_LABELS.get(row["issuer_level"], row["issuer_level"]),
            dept_levels=[{"level": level, "label": LEVEL_LABELS.get(level, level), "depts": depts}
                         for level, depts in levels.items()],
            warning_labels=[{"kind": w["kind"], "label": WARNING_LABELS[w["kind"]], "detail": w["detail"]}
                            for w in row["warnings"]],
            visibility_view=visibility_view(row["visibility"], row["visibility_reason"]),
            ocr_view=ocr_view(row["ocr_pages"]),
        ))
    return {
        "totals": totals,
        "files": files,
        "warning": warning,
        "warning_label": WARNING_LABELS.get(warning, ""),
        "all_url": filter_url(""),
        "json_url": indexer.with_params("/api/audit", [("warning", warning)] if warning else []),
        "warnings": [dict(w, label=WARNING_LABELS[w["kind"]], url=filter_url(w["kind"]), selected=w["kind"] == warning)
                     for w in totals["warnings"]],
        "dept_levels": [dict(c, label=LEVEL_LABELS.get(c["value"], c["value"])) for c in totals["dept_level"]],
        "visibility": [dict(c, label=visibility_view(c["value"], "")["label"]) for c in totals["visibility"]],
    }
