"""The OpenAPI description served at /openapi.json: every JSON endpoint, its
parameters and the shapes it returns."""
from __future__ import annotations

from indexer import AUDIT_EVENTS, AUDIT_WARNINGS, UPLOAD_REFUSALS


FILTERS = [
    ("q", "检索式 (query language: /help)"),
    ("dept", "部门 (repeatable; values OR-ed)"),
    ("topic", "主题 (repeatable)"),
    ("meeting", "会议, by its 文号 (repeatable)"),
    ("year", "年份, four digits (repeatable)"),
    ("type", "文种, e.g. 会议纪要 (repeatable)"),
    ("validity", "有效性: 现行有效, 已修订, 已废止, 已失效 or 未见废止 (repeatable)"),
]


def _param(name: str, description: str, schema: dict | None = None, explode: bool = True) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema or {"type": "string"}, **({"explode": True} if explode else {})}


SEARCH_PARAMS = [
    *(_param(n, d, {"type": "array", "items": {"type": "string"}} if n != "q" else None) for n, d in FILTERS),
    _param("page", "page number, from 1", {"type": "integer", "minimum": 1, "maximum": 500, "default": 1}),
    _param("size", "hits per page", {"type": "integer", "minimum": 1, "maximum": 100, "default": 10}),
    _param("sort", "order", {"type": "string", "enum": ["relevance", "newest", "oldest"], "default": "relevance"}),
]


def _ok(schema_ref: str, description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_ref}"}}}}


ERRORS = {str(code): _ok("Error", text) for code, text in
          [(400, "a parameter is invalid; the message names it"), (503, "the index is missing or outdated")]}

BATCH_PARAM = {"name": "batch", "in": "path", "required": True, "schema": {"type": "string"},
               "description": "the batch id the upload returned"}
FACET_COUNT = {"type": "object", "properties": {"value": {"type": "string"}, "count": {"type": "integer"}}}
AUDIT_FILE_KEYS = ["path", "ok", "failure", "doc_id", "doc_type", "meeting_kind", "title", "doc_number", "session",
                   "issuer", "issuer_level", "date", "signed", "compiled", "issued", "item_count", "dept",
                   "unknown_units", "attendance", "warnings", "visibility", "visibility_reason", "ocr", "ocr_pages"]
AUDIT_TOTALS_KEYS = ["files", "parsed", "failed", "with_warnings", "item_count", "doc_type", "warnings", "dept_level",
                     "unknown_units", "visibility"]
VISIBILITY = {"type": "string", "description": "who may read it: public, internal or a group's name (README, Visibility)"}
VISIBILITY_REASON = {"type": "string", "description": "why: the rule of visibility.toml, the marking, or the default"}
OCR = {"type": "boolean", "description": "whether any of the text was recognised from page images (a scan or photo)"}
OCR_PAGES = {"type": "array", "description": "the pages recognised from images, with the recognizer's confidence; "
                                            "empty when the whole text is the file's own",
             "items": {"type": "object", "required": ["page", "confidence"], "properties": {
                 "page": {"type": "integer", "description": "1-based, in the file"},
                 "confidence": {"type": "number", "minimum": 0, "maximum": 1,
                                "description": "the recognizer's line scores weighted by their length"}}}}

VALIDITY_LABEL = {"type": "string", "enum": ["现行有效", "已修订", "已废止", "已失效", "未见废止"],
                  "description": "the document's force, from what later public documents say (未见废止: nothing said)"}
EVIDENCE = {"type": "object", "properties": {
    **{k: {"type": "string"} for k in ("label", "kind", "kind_label", "doc_id", "doc_title", "doc_number", "date",
                                       "sentence", "by", "citation", "url")}}}

# Every route answers these when the caller may not use it (see webapp/auth.py).
AUTH_ERRORS = {"401": _ok("Error", "sign in first (anonymous caller)"),
               "403": _ok("Error", "the signed-in user's role may not use this")}

FACET = {"type": "object", "required": ["value", "count", "selected"],
         "properties": {"value": {"type": "string"}, "count": {"type": "integer"}, "selected": {"type": "boolean"}}}

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "纪要检索 API", "version": "1",
             "description": "Search meeting minutes and official documents; look up citations."},
    "paths": {
        "/api/search": {"get": {
            "summary": "Search; the same object as `minutes search --json`",
            "parameters": SEARCH_PARAMS,
            "responses": {"200": _ok("SearchResult", "hits and facet counts"), **ERRORS},
        }},
        "/api/answer": {"get": {
            "summary": "The answer card of a question or a decision's subject (谁牵头, 哪次会议, 是否同意 …), drawn "
                       "only from parsed structure, each line with its citation; `answer` is null when the "
                       "structure does not answer (never a guess)",
            "parameters": [{**_param("q", "the question, e.g. 电梯安全条例谁牵头"), "required": True}],
            "responses": {"200": _ok("AnswerResult", "the card, or null"), **ERRORS},
        }},
        "/search.csv": {"get": {
            "summary": "The result list as CSV (UTF-8 with BOM), up to 1000 rows",
            "parameters": [p for p in SEARCH_PARAMS if p["name"] not in ("page", "size")],
            "responses": {"200": {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}},
                          **ERRORS},
        }},
        "/api/doc/{doc_id}": {"get": {
            "summary": "A document's whole parsed structure",
            "parameters": [{"name": "doc_id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": _ok("Document", "the document"), "404": _ok("Error", "no such document"),
                          "503": ERRORS["503"]},
        }},
        "/api/suggest": {"get": {
            "summary": "Autocomplete: departments, topics, titles, frequent terms",
            "parameters": [_param("q", "what is typed so far"),
                           _param("limit", "how many", {"type": "integer", "minimum": 1, "maximum": 20})],
            "responses": {"200": _ok("Suggestions", "completions"), **ERRORS},
        }},
        "/api/draft": {
            "get": {"summary": "Past passages closest to a draft paragraph",
                    "parameters": [_param("text", "the paragraph being drafted (up to 3000 characters)")],
                    "responses": {"200": _ok("DraftResult", "closest passages"), **ERRORS}},
            "post": {"summary": "The same, with the paragraph in a JSON body",
                     "requestBody": {"required": True, "content": {"application/json": {"schema": {
                         "type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}}}}},
                     "responses": {"200": _ok("DraftResult", "closest passages"),
                                   "413": _ok("Error", "the body is over 39 KiB (the draft route's limit)"), **ERRORS}},
        },
        "/api/policy": {"get": {
            "summary": "A reviewed document's path through meetings (审议 → 原则同意 …), oldest first, and the "
                       "policy's lineage across its names (草案, adopted text, 印发, 修订, 废止), each link with its reason",
            "parameters": [_param("title", "the document's title, with or without 《》")],
            "responses": {"200": {"description": "the document it names, if indexed, every step, the names "
                                                 "found and the lineage"}, **ERRORS},
        }},
        "/api/tasks": {"get": {
            "summary": "督办: every item giving a department a lead or co-lead role, newest first",
            "parameters": [_param("dept", "department, canonical name or alias"), _param("year", "four digits"),
                           _param("role", "lead or co-lead", {"type": "string", "enum": ["lead", "co-lead"]})],
            "responses": {"200": {"description": "tasks with their sentence and citation"}, **ERRORS},
        }},
        "/tasks.csv": {"get": {
            "summary": "The same tasks as CSV (UTF-8 with BOM)",
            "parameters": [_param("dept", "department"), _param("year", "four digits"), _param("role", "lead or co-lead")],
            "responses": {"200": {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}},
                          **ERRORS},
        }},
        "/api/audit": {"get": {
            "summary": "Parse audit of the index: what each document parsed into, its warnings, and totals "
                       "(the shape of `minutes audit --json`, plus each file's reading-view `url`)",
            "parameters": [_param("warning", "only the documents with this warning; totals stay over all",
                                  {"type": "string", "enum": list(AUDIT_WARNINGS)})],
            "responses": {"200": _ok("AuditReport", "files and totals"), **ERRORS},
        }},
        "/api/upload": {
            "get": {"summary": "Editors: the upload limits, the file types read, and a CSRF token for the POSTs",
                    "responses": {"200": _ok("UploadLimits", "limits and token"), **AUTH_ERRORS}},
            "post": {"summary": "Editors: stage files (multipart, field `files`, repeatable) and audit each; "
                                "nothing is indexed until the batch is committed",
                     "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                         "type": "object", "required": ["files"], "properties": {"files": {
                             "type": "array", "items": {"type": "string", "format": "binary"}}}}}}},
                     "responses": {"201": _ok("UploadBatch", "the staged batch; refused files with their reasons"),
                                   "400": _ok("UploadBatch", "no file could be staged (`batch` is empty)"),
                                   "413": _ok("Error", "the request is over MAX_CONTENT_LENGTH"),
                                   **AUTH_ERRORS}},
        },
        "/api/upload/{batch}": {"get": {
            "summary": "Editors: a batch they staged, as the POST returned it",
            "parameters": [BATCH_PARAM],
            "responses": {"200": _ok("UploadBatch", "the batch"), "404": _ok("Error", "no such batch of yours"),
                          **AUTH_ERRORS},
        }},
        "/api/upload/{batch}/commit": {"post": {
            "summary": "Editors: index the batch through the index's one writer; a file of the same name as an "
                       "uploaded one replaces it (a numbered document keeps its id)",
            "parameters": [BATCH_PARAM],
            "responses": {"200": _ok("UploadResult", "documents added or replaced, files that failed"),
                          "404": _ok("Error", "no such batch of yours"),
                          "503": _ok("Error", "the index is busy (another writer past the timeout; the batch is "
                                              "kept: retry) or missing"), **AUTH_ERRORS},
        }},
        "/api/upload/{batch}/discard": {"post": {
            "summary": "Editors: drop a staged batch",
            "parameters": [BATCH_PARAM],
            "responses": {"200": {"description": "`{\"ok\": true, \"batch\", \"discarded\": true}`"},
                          "404": _ok("Error", "no such batch of yours"), **AUTH_ERRORS},
        }},
        "/api/timeline": {"get": {
            "summary": "The search's matches per month or year, stacked by document type (the search page's "
                       "timeline); each bar's url narrows the search by the query language's 日期：",
            "parameters": [*SEARCH_PARAMS, _param("unit", "month or year (default: by the span of the matches)",
                                                  {"type": "string", "enum": ["month", "year"]})],
            "responses": {"200": _ok("Timeline", "the series"), **ERRORS}}},
        "/api/meetings": {"get": {
            "summary": "Every meeting (会议纪要) by year: session, date, chair, items; the year as a facet",
            "parameters": [_param("year", "年份, four digits (repeatable)", {"type": "array", "items": {"type": "string"}})],
            "responses": {"200": _ok("Calendar", "meetings by year"), **ERRORS}}},
        "/api/workload": {"get": {
            "summary": "Department × year counts of assigned tasks as lead and co-lead; with dept, that "
                       "department's row and its topics per year",
            "parameters": [_param("dept", "部门 (any alias)")],
            "responses": {"200": _ok("Workload", "the grid"), **ERRORS}}},
        "/api/help": {"get": {"summary": "The query language",
                              "responses": {"200": {"description": "syntax rows and notes"}}}},
        "/healthz": {"get": {"summary": "Health: counts of what the caller may read; the last update and the "
                                        "index folder for signed-in callers only",
                             "responses": {"200": _ok("Health", "the index is open"), "503": ERRORS["503"]}}},
        "/api/admin/users": {"get": {
            "summary": "The users (name, role, groups; never a password hash). Admins only",
            "responses": {"200": _ok("Users", "every user"), **AUTH_ERRORS}}},
        "/api/admin/log": {"get": {
            "summary": "The audit trail, newest first (at most 500 entries). Admins only",
            "parameters": [_param("user", "only this user's entries"),
                           _param("event", "only this event", {"type": "string", "enum": list(AUDIT_EVENTS)}),
                           _param("since", "from this date or time on (UTC), e.g. 2026-11-01")],
            "responses": {"200": _ok("AuditLog", "entries"), **ERRORS, **AUTH_ERRORS}}},
    },
    "components": {"schemas": {
        "Timeline": {"type": "object", "required": ["ok", "unit", "total", "undated", "doc_types", "bars"],
                     "properties": {"unit": {"type": "string", "enum": ["month", "year"]},
                                    "total": {"type": "integer"}, "undated": {"type": "integer"},
                                    "doc_types": {"type": "array", "items": {"type": "string"}},
                                    "bars": {"type": "array", "items": {"type": "object", "required": [
                                        "period", "count", "stacks", "url"]}}}},
        "Calendar": {"type": "object", "required": ["ok", "year", "total", "facets", "undated", "years"]},
        "Workload": {"type": "object", "required": ["ok", "years", "rows"]},
        "Error": {"type": "object", "required": ["ok", "error", "status"],
                  "properties": {"ok": {"type": "boolean", "enum": [False]}, "error": {"type": "string"},
                                 "status": {"type": "integer"}}},
        "Hit": {"type": "object", "required": ["id", "doc_id", "doc_title", "doc_number", "doc_type", "date",
                                               "item_no", "item_title", "citation", "snippet", "score", "url"],
                "properties": {
                    "id": {"type": "string"}, "doc_id": {"type": "string"}, "doc_title": {"type": "string"},
                    "doc_number": {"type": "string"}, "doc_type": {"type": "string"}, "date": {"type": "string"},
                    "item_no": {"type": "integer"}, "item_title": {"type": "string"},
                    "citation": {"type": "string"},
                    "snippet": {"type": "string", "description": "HTML-escaped text; only <mark> tags"},
                    "score": {"type": "number"}, "url": {"type": "string"},
                    "part": {"type": "string", "enum": ["item", "preamble"]},
                    "dept": {"type": "array", "items": {"type": "string"}},
                    "topic": {"type": "array", "items": {"type": "string"}},
                    "validity": VALIDITY_LABEL}},
        "SearchResult": {"type": "object", "required": ["ok", "query", "total", "hits", "facets"], "properties": {
            "ok": {"type": "boolean"}, "query": {"type": "string"}, "total": {"type": "integer"},
            "page": {"type": "integer"}, "size": {"type": "integer"}, "pages": {"type": "integer"},
            "sort": {"type": "string"}, "elapsed_ms": {"type": "number"}, "relaxed": {"type": "boolean"},
            "did_you_mean": {"type": "string"},
            "expansions": {"type": "array", "description": "words also searched as a short or full name a document "
                           "the caller may read defines", "items": {"type": "object", "properties": {
                               name: {"type": "string"} for name in
                               ("word", "expanded", "short", "doc_id", "doc_title", "url")}}},
            "hits": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
            "answer": {"allOf": [{"$ref": "#/components/schemas/Answer"}], "nullable": True,
                       "description": "the answer card, on an unfiltered first page when the structure answers"},
            "facets": {"type": "object", "properties": {
                name: {"type": "array", "items": FACET}
                for name in ("dept", "topic", "meeting", "year", "doc_type", "validity")}},
        }},
        "AnswerResult": {"type": "object", "required": ["ok", "query", "answer"], "properties": {
            "ok": {"type": "boolean"}, "query": {"type": "string"},
            "answer": {"allOf": [{"$ref": "#/components/schemas/Answer"}], "nullable": True}}},
        "Answer": {"type": "object", "required": ["question", "subject", "kind", "place", "decision", "units",
                                                  "meeting", "later", "issued", "validity"], "properties": {
            "question": {"type": "object", "properties": {
                "subject": {"type": "string"}, "asks_label": {"type": "string"},
                "asks": {"type": "string", "enum": ["", "lead", "meeting", "decision", "validity", "issued"]}}},
            "subject": {"type": "string", "description": "the title as the documents write it"},
            "kind": {"type": "string", "enum": ["reviewed", "heard", "document", "named"]},
            "kind_label": {"type": "string"},
            "place": {"type": "object", "description": "the item that decided, or the document itself"},
            "decision": {"type": "object", "nullable": True, "properties": {
                "text": {"type": "string", "description": "the decision sentence as written"},
                "citation": {"type": "string"}}},
            "units": {"type": "array", "items": {"type": "object", "properties": {
                name: {"type": "string"} for name in ("name", "role", "role_label", "sentence", "citation")}}},
            "meeting": {"type": "object", "nullable": True, "properties": {
                name: {"type": "string"} for name in
                ("doc_id", "title", "doc_number", "session", "date", "chair", "citation", "url")}},
            "validity": {"type": "object", "nullable": True, "description": "whether the text judged (`of`) is in "
                         "force, and the document and sentence that decided it (empty for 未见废止)",
                         "properties": {name: {"type": "string"} for name in
                                        ("label", "of", "sentence", "date", "citation", "url")}},
            "issued": {"type": "object", "nullable": True, "description": "a law's promulgation line (沿革)",
                       "properties": {name: {"type": "string"} for name in ("date", "text", "citation")}},
            "later": {"type": "array", "items": {"type": "object"},
                      "description": "later documents and meetings that took the subject up, oldest first"}}},
        "Document": {"type": "object", "required": ["ok", "id", "title", "items", "ocr", "ocr_pages"], "properties": {
            "ok": {"type": "boolean"}, "id": {"type": "string"}, "title": {"type": "string"},
            "doc_number": {"type": "string"}, "date": {"type": "string"},
            "visibility": VISIBILITY, "visibility_reason": VISIBILITY_REASON, "ocr": OCR, "ocr_pages": OCR_PAGES,
            "validity": VALIDITY_LABEL,
            "validity_basis": {"description": "the statement that decided the label (null for 未见废止)",
                               "oneOf": [EVIDENCE, {"type": "null"}]},
            "validity_evidence": {"type": "array", "items": EVIDENCE, "description": "all said of it, oldest first"},
            "valid_until": {"type": "string", "description": "the end of a term it gives itself, or empty"},
            "validity_statements": {"type": "array", "items": {"type": "object"},
                                    "description": "what this document says of documents' force"},
            "items": {"type": "array", "items": {"type": "object"}}}},
        "Suggestions": {"type": "object", "properties": {
            "ok": {"type": "boolean"}, "q": {"type": "string"},
            "suggestions": {"type": "array", "items": {"type": "object", "properties": {
                "value": {"type": "string"}, "kind": {"type": "string", "enum": ["dept", "topic", "title", "term"]}}}}}},
        "DraftResult": {"type": "object", "properties": {
            "ok": {"type": "boolean"}, "text": {"type": "string"},
            "passages": {"type": "array", "items": {"type": "object", "properties": {
                "citation": {"type": "string"}, "similarity": {"type": "number"}, "text": {"type": "string"},
                "url": {"type": "string"}, "shared": {"type": "array", "items": {
                    "type": "array", "items": {"type": "integer"}}}}}}}},
        "AuditWarning": {"type": "object", "required": ["kind", "message", "detail"], "properties": {
            "kind": {"type": "string", "enum": list(AUDIT_WARNINGS)},
            "message": {"type": "string", "description": "English, with the detail"},
            "detail": {"type": "string", "description": "what triggered it: a title's length, the numbers found …"}}},
        "FileAudit": {"type": "object", "required": AUDIT_FILE_KEYS, "properties": {
            "path": {"type": "string", "description": "the source file, relative to the folder the indexed files share"},
            "ok": {"type": "boolean", "description": "false: the file could not be read or parsed"},
            "failure": {"type": "string", "description": "why it failed; the other fields are then empty"},
            **{k: {"type": "string"} for k in ("doc_id", "doc_type", "meeting_kind", "title", "doc_number", "session",
                                               "issuer", "date", "signed", "compiled", "issued")},
            "issuer_level": {"type": "string", "description": "state / province / city / county; \"\" unknown"},
            "item_count": {"type": "integer", "description": "numbered agenda items; 0 for a document without"},
            "dept": {"type": "array", "items": {"type": "object", "properties": {
                "name": {"type": "string"}, "level": {"type": "string"},
                "known": {"type": "boolean", "description": "in the gazetteer"},
                "roles": {"type": "array", "items": {"type": "string", "enum": ["lead", "co-lead", "mentioned"]}},
                "item_count": {"type": "integer", "description": "records naming it"}}}},
            "unknown_units": {"type": "array", "items": {"type": "string"}},
            "attendance": {"type": "object", "nullable": True, "description": "minutes only", "properties": {
                k: {"type": "integer"} for k in ("present", "attending_units", "attending_persons", "absent")} | {
                "recorder": {"type": "string"}}},
            "warnings": {"type": "array", "items": {"$ref": "#/components/schemas/AuditWarning"}},
            "visibility": VISIBILITY, "visibility_reason": VISIBILITY_REASON, "ocr": OCR, "ocr_pages": OCR_PAGES,
            "url": {"type": "string", "description": "the reading view (/api/audit only)"}}},
        "AuditReport": {"type": "object", "required": ["ok", "files", "totals"], "properties": {
            "ok": {"type": "boolean"}, "warning": {"type": "string"},
            "files": {"type": "array", "items": {"$ref": "#/components/schemas/FileAudit"}},
            "totals": {"type": "object", "required": AUDIT_TOTALS_KEYS, "properties": {
                **{k: {"type": "integer"} for k in ("files", "parsed", "failed", "with_warnings", "item_count")},
                "doc_type": {"type": "array", "items": FACET_COUNT},
                "dept_level": {"type": "array", "items": FACET_COUNT},
                "visibility": {"type": "array", "items": FACET_COUNT},
                "warnings": {"type": "array", "items": {"type": "object", "properties": {
                    "kind": {"type": "string"}, "message": {"type": "string"}, "count": {"type": "integer"}}}},
                "unknown_units": {"type": "array", "items": {"type": "object", "properties": {
                    "name": {"type": "string"}, "files": {"type": "integer"}, "mentions": {"type": "integer"}}}}}}}},
        "Users": {"type": "object", "required": ["ok", "users"], "properties": {
            "ok": {"type": "boolean"},
            "users": {"type": "array", "items": {"type": "object", "required": ["name", "role", "groups"],
                                                 "properties": {
                "name": {"type": "string"}, "role": {"type": "string", "enum": ["reader", "editor", "admin"]},
                "role_label": {"type": "string"}, "groups": {"type": "array", "items": {"type": "string"}}}}}}},
        "AuditLog": {"type": "object", "required": ["ok", "entries"], "properties": {
            "ok": {"type": "boolean"}, "user": {"type": "string"}, "event": {"type": "string"},
            "since": {"type": "string"}, "limit": {"type": "integer"},
            "entries": {"type": "array", "items": {"type": "object", "required": ["time", "user", "address", "event",
                                                                                 "what"], "properties": {
                "time": {"type": "string", "description": "UTC, ISO 8601"}, "user": {"type": "string"},
                "address": {"type": "string"}, "event": {"type": "string", "enum": list(AUDIT_EVENTS)},
                "what": {"type": "object", "description": "a search's q and filters, a view's doc_id …"}}}}}},
        "UploadLimits": {"type": "object", "properties": {
            "ok": {"type": "boolean"}, "max_file_bytes": {"type": "integer"}, "max_files": {"type": "integer"},
            "max_request_bytes": {"type": "integer"}, "supported": {"type": "array", "items": {"type": "string"}},
            "csrf_token": {"type": "string", "description": "send it as the X-CSRFToken header of the POSTs"}}},
        "UploadRefusal": {"type": "object", "required": ["name", "kind", "reason"], "properties": {
            "name": {"type": "string"}, "kind": {"type": "string", "enum": list(UPLOAD_REFUSALS)},
            "reason": {"type": "string", "description": "English, with the detail"}}},
        "UploadBatch": {"type": "object", "required": ["ok", "batch", "files", "refused"], "properties": {
            "ok": {"type": "boolean"}, "batch": {"type": "string", "description": "\"\" when nothing was staged"},
            "created": {"type": "string", "description": "UTC, ISO 8601"},
            "files": {"type": "array", "items": {"type": "object", "properties": {
                "name": {"type": "string"}, "size": {"type": "integer"},
                "replaces": {"type": "string", "description": "id of the document the uploaded file of this name "
                                                              "holds now; \"\" when new"},
                "replaces_url": {"type": "string"}, "audit": {"$ref": "#/components/schemas/FileAudit"}}}},
            "refused": {"type": "array", "items": {"$ref": "#/components/schemas/UploadRefusal"}},
            "commit_url": {"type": "string"}, "discard_url": {"type": "string"}}},
        "UploadResult": {"type": "object", "required": ["ok", "batch", "documents", "failed", "generation",
                                                        "searchable"], "properties": {
            "ok": {"type": "boolean"}, "batch": {"type": "string"},
            "documents": {"type": "array", "items": {"type": "object", "properties": {
                **{k: {"type": "string"} for k in ("name", "doc_id", "title", "doc_number", "visibility",
                                                   "previous_id", "url")},
                "status": {"type": "string", "enum": ["added", "replaced", "unchanged"]}}}},
            "failed": {"type": "array", "items": {"$ref": "#/components/schemas/UploadRefusal"}},
            "generation": {"type": "integer", "description": "the index's generation after the commit"},
            "total_documents": {"type": "integer"},
            "searchable": {"type": "boolean", "description": "this server's searcher finds every document now"}}},
        "Health": {"type": "object", "properties": {
            "ok": {"type": "boolean"}, "documents": {"type": "integer"}, "records": {"type": "integer"},
            "last_modified": {"type": "number"}, "index": {"type": "string"}}},
    }},
}
