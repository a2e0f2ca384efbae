"""The shapes both edges print: the JSON of the web app's API and of the command line's
``--json`` (:mod:`.shapes`), made once from the plain data of the layers below.
"""
from __future__ import annotations

from .shapes import (
    REFERENCE_KIND_LABELS,
    ROLE_LABELS,
    answer_dict,
    audit_dict,
    audit_totals_dict,
    expansion_dict,
    file_audit_dict,
    fragment_markup,
    hit_dict,
    ocr_pages_list,
    place_dict,
    policy_dict,
    references_dict,
    result_dict,
    snippet_markup,
    statements_list,
    tasks_dict,
    validity_dict,
)
from .urls import (
    FACET_PARAMS,
    document_url,
    hit_url,
    item_anchor,
    passage_url,
    place_url,
    policy_url,
    request_params,
    search_url,
    tasks_url,
    with_params,
)

__all__ = [
    "FACET_PARAMS", "REFERENCE_KIND_LABELS", "ROLE_LABELS", "answer_dict", "audit_dict", "audit_totals_dict", "document_url",
    "expansion_dict", "file_audit_dict", "fragment_markup", "hit_dict", "hit_url", "item_anchor", "ocr_pages_list",
    "passage_url", "place_dict", "place_url", "policy_dict", "policy_url", "references_dict",
    "request_params", "result_dict", "search_url", "snippet_markup", "statements_list", "tasks_dict", "tasks_url",
    "validity_dict", "with_params",
]
