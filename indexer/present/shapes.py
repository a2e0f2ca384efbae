"""The JSON shapes both edges print, made once: ``/api/search`` and ``minutes search
--json``, ``/api/tasks`` and ``minutes tasks --json``, a document's references in
``/api/doc/<id>`` and ``minutes refs --json``, the parse audit in ``/api/audit`` and
``minutes audit --json``.

Plain dicts of the public data (:mod:`indexer.search.results`, :mod:`indexer.analytics.crossrefs`,
:mod:`indexer.ingest.audit`), so that the web app and the command line agree without one
importing the other. A hit, a place and a reviewed title carry their ``url``, made by
:mod:`.urls`, the product's URL scheme: the same for both edges. (A parse audit's row
has one only when the caller gives it: a file audited before indexing has no page yet.)

A snippet is text to show in a page, so the shape gives it as markup: the text
HTML-escaped, with only ``<mark>`` tags around the highlights (the one markup
this package writes; the web app wraps it as safe, it never re-escapes it).
"""
from __future__ import annotations

from ..analytics import (
    Answer,
    CrossReferences,
    DocRef,
    Evidence,
    Lineage,
    PolicyStep,
    Task,
    Validity,
    ValidityTable,
)
from ..citation import citation
from ..ingest import WARNINGS, AuditReport, AuditTotals, AuditWarning, FileAudit
from ..model import CO_LEAD, LEAD, MENTIONED, OcrPage
from ..parse import MEETING, NUMBER, TITLE, canonical_department
from ..search import Expansion, Fragment, Hit, SearchResult
from .urls import document_url, hit_url, place_url, policy_url

# Chinese names of reference kinds and department roles, in the JSON and in every page.
REFERENCE_KIND_LABELS = {NUMBER: "文号", MEETING: "会议", TITLE: "文件"}
ROLE_LABELS = {LEAD: "牵头", CO_LEAD: "会同配合", MENTIONED: "提及"}

# The same five characters, written as markupsafe writes them.
_ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"})


def fragment_markup(fragment: Fragment) -> str:
    """The fragment's text HTML-escaped, each highlight in ``<mark>``, no other tag."""
    out, last = [], 0
    for start, end in fragment.highlights:
        out += [fragment.text[last:start].translate(_ESCAPE), "<mark>",
                fragment.text[start:end].translate(_ESCAPE), "</mark>"]
        last = end
    out.append(fragment.text[last:].translate(_ESCAPE))
    return "".join(out)


def snippet_markup(fragments: tuple[Fragment, ...]) -> str:
    return "…".join(fragment_markup(f) for f in fragments)


def hit_dict(hit: Hit) -> dict:
    """One hit, with ``url``: its place in the reading view."""
    return {
        "id": hit.id,
        "doc_id": hit.doc_id,
        "doc_title": hit.doc_title,
        "doc_number": hit.doc_number,
        "doc_type": hit.doc_type,
        "date": hit.date,
        "item_no": hit.item_no,
        "item_title": hit.item_title,
        "citation": hit.citation,
        "snippet": snippet_markup(hit.fragments),
        "score": hit.score,
        "url": hit_url(hit),
        "part": hit.part,
        "dept": list(hit.departments),
        "topic": list(hit.topics),
        "validity": hit.validity,
    }


def expansion_dict(expansion: Expansion) -> dict:
    """A word also searched as a short or full name a document defines, with that document's ``url``."""
    return {"word": expansion.word, "expanded": expansion.expanded, "short": expansion.short,
            "doc_id": expansion.doc_id, "doc_title": expansion.doc_title, "url": document_url(expansion.doc_id)}


def result_dict(result: SearchResult) -> dict:
    """The search result: the object ``/api/search`` returns and ``minutes search --json`` prints."""
    return {
        "ok": True,
        "query": result.request.q,
        "total": result.total,
        "page": result.request.page,
        "size": result.request.size,
        "pages": result.pages,
        "sort": result.request.sort,
        "elapsed_ms": round(result.elapsed_ms, 1),
        "relaxed": result.relaxed,
        "did_you_mean": result.did_you_mean,
        "expansions": [expansion_dict(e) for e in result.expansions],
        "hits": [hit_dict(h) for h in result.hits],
        "facets": {
            name: [{"value": v.value, "count": v.count, "selected": v.selected} for v in values]
            for name, values in result.facets.items()
        },
    }


KIND_LABELS = {"repealed": "废止", "expired": "失效", "revised": "修订", "term": "有效期", "confirmed": "确认有效"}


def evidence_dict(e: Evidence) -> dict:
    """What a document says of another's force: the label it gives, the sentence, and where."""
    return {"label": e.label, "kind": e.kind, "kind_label": KIND_LABELS[e.kind], "doc_id": e.doc_id,
            "doc_title": e.doc_title, "doc_number": e.doc_number, "date": e.date, "sentence": e.sentence,
            "by": e.by, "citation": citation(e.doc_title, e.doc_number, issuer=e.issuer, date=e.date),
            "url": document_url(e.doc_id)}


def validity_dict(v: Validity) -> dict:
    """A document's force: ``validity`` (the label), ``validity_basis`` (the evidence that decided
    it, null for 未见废止), ``validity_evidence`` (everything said of it, oldest first) and
    ``valid_until`` (a term it gives itself, or "")."""
    return {"validity": v.label, "validity_basis": evidence_dict(v.decided) if v.decided else None,
            "validity_evidence": [evidence_dict(e) for e in v.evidence], "valid_until": v.until}


def statements_list(table: ValidityTable, doc_id: str, readable=lambda visibility: True) -> list[dict]:
    """What a document says of the force of documents (``validity_statements``): each statement
    with the indexed documents it names that ``readable`` allows (its own history names none)."""
    out = []
    for st, targets in table.said_by(doc_id):
        named = [table.documents[t] for t in targets if readable(table.documents[t].visibility)]
        out.append({"kind": st.kind, "kind_label": KIND_LABELS[st.kind], "target": st.target, "number": st.number,
                    "sentence": st.sentence, "date": st.date, "by": st.by,
                    "documents": [{"doc_id": f.doc_id, "doc_title": f.title, "doc_number": f.number, "date": f.date,
                                   "url": document_url(f.doc_id)} for f in named]})
    return out


def place_dict(place: DocRef) -> dict:
    return {"doc_id": place.doc_id, "doc_title": place.doc_title, "doc_number": place.doc_number,
            "date": place.date, "item_no": place.item_no, "item_title": place.item_title,
            "citation": place.citation, "url": place_url(place)}


def references_dict(refs: CrossReferences, doc_id: str) -> dict:
    """What a document cites and what cites it; a cited title links its policy path (``policy_url``)."""
    cites = [
        {"kind": c.kind, "label": REFERENCE_KIND_LABELS[c.kind], "text": c.text, "item_no": c.item_no,
         "target": place_dict(refs.summary(c.target)) if c.target else None,
         "policy_url": policy_url(c.text) if c.kind == TITLE else None}
        for c in refs.cites.get(doc_id, ())
    ]
    cited_by = [
        {"kind": r.citation.kind, "label": REFERENCE_KIND_LABELS[r.citation.kind], "text": r.citation.text,
         "source": place_dict(r.source)}
        for r in refs.cited_by.get(doc_id, [])
    ]
    return {"cites": cites, "cited_by": cited_by}


def policy_dict(title: str, target: DocRef | None, steps: tuple[PolicyStep, ...],
                lineage: Lineage | None = None) -> dict:
    """A reviewed title's path: ``steps``, the meeting items of this very title; ``lineage``, the
    whole policy across its names (草案, adopted text, 印发, revisions, repeal), each link with its
    ``reason``; ``names``, the names found."""
    return {
        "ok": True,
        "title": title,
        "document": place_dict(target) if target else None,
        "steps": [dict(place_dict(s.place), action=s.action, decision=s.decision) for s in steps],
        "names": list(lineage.names) if lineage else [],
        "lineage": [dict(place_dict(link.place), stage=link.stage, reason=link.reason, name=link.title,
                         event_date=link.date, action=link.action, decision=link.decision, sentence=link.sentence)
                    for link in (lineage.links if lineage else ())],
    }


ASKS_LABELS = {"": "", "lead": "谁牵头", "meeting": "哪次会议", "decision": "决定了什么", "validity": "是否有效",
               "issued": "何时印发"}
ANSWER_KIND_LABELS = {"reviewed": "会议审议", "heard": "会议听取", "document": "文件", "named": "文件所称"}


def answer_dict(answer: Answer) -> dict:
    """The answer card: every line drawn from parsed structure, each with its citation
    (``/api/answer``, the ``answer`` of ``/api/search``, ``minutes answer --json``)."""
    m, v = answer.meeting, answer.validity
    return {
        "question": {"subject": answer.question.subject, "asks": answer.question.asks,
                     "asks_label": ASKS_LABELS[answer.question.asks]},
        "subject": answer.subject,
        "kind": answer.kind,
        "kind_label": ANSWER_KIND_LABELS[answer.kind],
        "place": place_dict(answer.place),
        "decision": {"text": answer.decision, "citation": answer.decision_citation} if answer.decision else None,
        "units": [{"name": u.name, "role": u.role, "role_label": ROLE_LABELS[u.role], "sentence": u.sentence,
                   "citation": u.citation} for u in answer.units],
        "meeting": None if m is None else {
            "doc_id": m.doc_id, "title": m.title, "doc_number": m.doc_number, "session": m.session,
            "date": m.date, "chair": m.chair, "citation": m.citation, "url": document_url(m.doc_id)},
        "later": [place_dict(p) for p in answer.later],
        "issued": None if answer.issued is None else {
            "date": answer.issued.date, "text": answer.issued.text, "citation": answer.issued.citation},
        "validity": None if v is None else {
            "label": v.label, "of": v.of, "sentence": v.sentence, "date": v.date, "citation": v.citation,
            "url": document_url(v.doc_id) if v.doc_id else None},
    }


def tasks_dict(dept: str, year: str, role: str, tasks: tuple[Task, ...]) -> dict:
    """A department's tasks, as ``/api/tasks`` returns them and ``minutes tasks --json`` prints them."""
    return {
        "ok": True,
        "dept": canonical_department(dept),
        "year": year,
        "role": role,
        "tasks": [dict(place_dict(t.place), role=t.role, role_label=ROLE_LABELS[t.role], sentence=t.sentence)
                  for t in tasks],
    }


def ocr_pages_list(pages: tuple[OcrPage, ...]) -> list[dict]:
    """The pages recognised from images, as a document's JSON and an audit row give them:
    ``[{"page": 1, "confidence": 0.98}]`` (empty for a document whose text is its file's own)."""
    return [{"page": p.page, "confidence": p.confidence} for p in pages]


def _warning_dict(w: AuditWarning) -> dict:
    return {"kind": w.kind, "message": w.message, "detail": w.detail}


def file_audit_dict(f: FileAudit, path: str | None = None, url: str | None = None) -> dict:
    """One file's row: every key always present (empty on a failed file); ``path``
    replaces the file's own, ``url`` is added when given."""
    a = f.attendance
    row = {
        "path": f.path if path is None else path,
        "ok": f.ok,
        "failure": f.failure,
        "doc_id": f.doc_id,
        "doc_type": f.doc_type,
        "meeting_kind": f.meeting_kind,
        "title": f.title,
        "doc_number": f.doc_number,
        "session": f.session,
        "issuer": f.issuer,
        "issuer_level": f.issuer_level,
        "date": f.date,
        "signed": f.signed,
        "compiled": f.compiled,
        "issued": f.issued,
        "item_count": f.item_count,
        "dept": [{"name": d.name, "level": d.level, "known": d.known, "roles": list(d.roles), "item_count": d.item_count}
                 for d in f.departments],
        "unknown_units": list(f.unknown_units),
        "attendance": None if a is None else {
            "present": a.present, "attending_units": a.attending_units, "attending_persons": a.attending_persons,
            "absent": a.absent, "recorder": a.recorder},
        "warnings": [_warning_dict(w) for w in f.warnings],
        "visibility": f.visibility,
        "visibility_reason": f.visibility_reason,
        "ocr": f.ocr,
        "ocr_pages": ocr_pages_list(f.ocr_pages),
    }
    if url is not None:
        row["url"] = url
    return row


def audit_totals_dict(t: AuditTotals) -> dict:
    return {
        "files": t.files,
        "parsed": t.parsed,
        "failed": t.failed,
        "with_warnings": t.with_warnings,
        "item_count": t.item_count,
        "doc_type": [{"value": c.value, "count": c.count} for c in t.doc_types],
        "warnings": [{"kind": c.value, "message": WARNINGS[c.value], "count": c.count} for c in t.warnings],
        "dept_level": [{"value": c.value, "count": c.count} for c in t.dept_levels],
        "unknown_units": [{"name": u.name, "files": u.files, "mentions": u.mentions} for u in t.unknown_units],
        "visibility": [{"value": c.value, "count": c.count} for c in t.visibility],
    }


def audit_dict(report: AuditReport) -> dict:
    """What ``minutes audit --json`` prints: every file, then the totals."""
    return {"ok": True, "files": [file_audit_dict(f) for f in report.files], "totals": audit_totals_dict(report.totals)}
