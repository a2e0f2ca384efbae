"""Documents into the shapes the reading view and ``/api/doc/<id>`` show."""
from __future__ import annotations

import indexer

from .markup import fragment_html, quoted

# How the page names a visibility label and the reason for it (the JSON keeps the label and reason as stored).
VISIBILITY_LABELS = {indexer.PUBLIC: "公开", indexer.INTERNAL: "内部"}  # any other label is a group's name
_REASONS = (("rule ", "按规则 "), ("marking ", "按文件标注 "), ("default", "默认"))


def visibility_view(label: str, reason: str) -> dict:
    """``{value, label, reason}``: 公开 / 内部 / the group's name, and why in Chinese
    (按规则 公开/** (visibility.toml), 按文件标注 此件公开发布, 默认)."""
    shown = next((zh + reason[len(en):] for en, zh in _REASONS if reason.startswith(en)), reason)
    return {"value": label, "label": VISIBILITY_LABELS.get(label, label), "reason": shown}


def _item_json(doc: indexer.Document, item: indexer.Item, validity: str = "") -> dict:
    return {
        "item_no": item.number,
        "title": item.title,
        "text": item.text,
        "anchor": indexer.item_anchor(item.number),
        "citation": indexer.marked(indexer.citation(doc.title, doc.doc_number, item.number, issuer=doc.issuer,
                                                    date=doc.date), validity),
        "action": item.action,
        "decision": item.decision,
        "reviewed": list(item.reviewed),
        "dept": list(item.departments),
        "roles": [{"name": r.name, "role": r.role, "known": r.known} for r in item.roles],
        "topic": list(item.topics),
        "topics": [{"topic": t.topic, "evidence": list(t.evidence)} for t in item.topic_matches],
        "keywords": list(item.keywords),
        "subpoints": [
            {"number": sp.number, "label": sp.label, "text": sp.text,
             "anchor": indexer.item_anchor(item.number, sp.number),
             "citation": indexer.marked(indexer.citation(doc.title, doc.doc_number, item.number, sp.number,
                                                         issuer=doc.issuer, date=doc.date), validity)}
            for sp in item.subpoints
        ],
    }


def document_json(doc: indexer.Document, validity: str = "") -> dict:
    """The whole parsed structure of a document, as ``/api/doc/<id>`` serves it; its citations say
    when the document is no longer in force as cited (``validity``: its label)."""
    return {
        "ok": True,
        "id": doc.id,
        "title": doc.title,
        "issuer": doc.issuer,
        "doc_type": doc.doc_type,
        "meeting_kind": doc.meeting_kind,
        "doc_number": doc.doc_number,
        "number": {"prefix": doc.number_prefix, "year": doc.number_year, "seq": doc.number_seq},
        "session": doc.session,
        "date": doc.date,
        "compiled": doc.compiled,
        "issued": doc.issued,
        "signed": doc.signed,
        "chair": {"name": doc.chair_name, "title": doc.chair_title} if doc.chair else None,
        "addressees": list(doc.addressees),
        "public": doc.public,
        "visibility": doc.visibility,
        "visibility_reason": doc.visibility_reason,
        "metadata": [{"label": k, "value": v} for k, v in doc.metadata],
        # The page's government-information-disclosure fields (索引号, 发布机构, 公开方式 …), apart.
        "disclosure": [{"label": k, "value": v} for k, v in doc.metadata if k in indexer.DISCLOSURE_FIELDS],
        "preamble": doc.preamble,
        "citation": indexer.marked(indexer.citation(doc.title, doc.doc_number, issuer=doc.issuer, date=doc.date),
                                   validity),
        "items": [_item_json(doc, item, validity) for item in doc.items],
        "attendance": {
            "present": list(doc.attendance.present),
            "attending": [{"unit": u.unit, "persons": list(u.persons)} for u in doc.attendance.attending],
            "absent": list(doc.attendance.absent),
            "recorder": doc.attendance.recorder,
        },
        "distribution": list(doc.distribution),
        "ocr": doc.ocr,
        "ocr_pages": indexer.ocr_pages_list(doc.ocr_pages),
    }


def ocr_view(pages: list[dict]) -> dict | None:
    """The notice for a document recognised from a scan, from its JSON's ``ocr_pages`` (None
    for any other): each page's confidence in whole percent, those below the threshold ``low``
    (较低). The reading view, the audit page and an upload's audit show it."""
    if not pages:
        return None
    return {
        "threshold": indexer.ocr_percent(indexer.OCR_LOW_CONFIDENCE),
        "pages": [dict(p, percent=indexer.ocr_percent(p["confidence"]), low=indexer.low_confidence(p["confidence"]))
                  for p in pages],
    }


def _paragraphs(item: indexer.Item, terms: tuple[str, ...]) -> list[dict]:
    """An item's paragraphs; those that open a sub-point carry its anchor."""
    opens = {sp.span[0]: sp.number for sp in item.subpoints}
    return [
        {
            "html": fragment_html(indexer.highlight_all(p.text, terms)),
            "anchor": indexer.item_anchor(item.number, opens[p.span[0]]) if p.span[0] in opens else None,
        }
        for p in item.paragraphs
    ]


def document_page(doc: indexer.Document, q: str = "", from_reference: bool = False, validity: str = "") -> dict:
    """Everything the reading view shows; ``q`` highlights a search's words."""
    data = document_json(doc, validity)
    terms = indexer.highlight_terms(q)
    for item_data, item in zip(data["items"], doc.items):
        item_data["paragraphs"] = _paragraphs(item, terms)
        item_data["subpoint_citations"] = {sp["anchor"]: sp["citation"] for sp in item_data["subpoints"]}
        item_data["subpoint_quotes"] = {sp["anchor"]: quoted(sp["text"], sp["citation"]) for sp in item_data["subpoints"]}
        item_data["quote"] = quoted(item.text, item_data["citation"])
        item_data["role_groups"] = [
            {"label": indexer.ROLE_LABELS[role], "role": role,
             "links": [{"label": r.name, "known": r.known, "url": indexer.search_url([("dept", r.name)]),
                        "tasks_url": indexer.tasks_url(r.name)}
                       for r in item.roles if r.role == role]}
            for role in indexer.ROLES if any(r.role == role for r in item.roles)
        ]
        item_data["topic_links"] = [
            {"label": t.topic, "evidence": "、".join(t.evidence), "url": indexer.search_url([("topic", t.topic)])}
            for t in item.topic_matches
        ]
        item_data["reviewed_links"] = [
            {"label": title, "url": indexer.policy_url(title)} for title in item.reviewed
        ]
    data["preamble_html"] = [fragment_html(indexer.highlight_all(p, terms)) for p in doc.preamble.split("\n") if p.strip()]
    data["attending_text"] = "；".join(
        u["unit"] + (" " + "、".join(u["persons"]) if u["persons"] else "") for u in data["attendance"]["attending"])
    data["visibility_view"] = visibility_view(doc.visibility, doc.visibility_reason)
    data["ocr_view"] = ocr_view(data["ocr_pages"])
    data["q"] = q
    data["back_url"] = indexer.search_url([("q", q)] + ([("list", "1")] if from_reference else [])) if q else None
    data["from_reference"] = from_reference
    return data
