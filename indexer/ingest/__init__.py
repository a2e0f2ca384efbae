"""Writing the index: files in, documents indexed, with a report of what failed and why.

Files collected, read and parsed (in processes when many; :mod:`.documents`), the index
updated, rebuilt and committed in batches (:mod:`.indexing`), where each file came from
(:mod:`.sources`), uploads staged and committed from the browser (:mod:`.uploads`,
:mod:`.commit`), and the parse audit (:mod:`.audit`).
"""
from __future__ import annotations

from .audit import (
    OCR_LOW_CONFIDENCE,
    TITLE_MAX_CHARS,
    WARNINGS,
    AttendanceCounts,
    AuditDepartment,
    AuditReport,
    AuditTotals,
    AuditWarning,
    FileAudit,
    audit_documents,
    audit_index,
    audit_paths,
    low_confidence,
    minutes_missing,
    ocr_percent,
    ocr_summary,
)
from .commit import CommitResult, CommittedDocument, commit
from .documents import collect_files, read_decided, read_document
from .indexing import index_paths
from .isolated import CheckLimits, start_reader_server
from .uploads import (
    COMMIT_TIMEOUT_S,
    MAX_FILES,
    REFUSALS,
    Batch,
    BatchNotFound,
    Refusal,
    StagedFile,
    clean_staging,
    discard,
    files_dir,
    load,
    stage,
)

__all__ = [
    "AttendanceCounts", "AuditDepartment", "AuditReport", "AuditTotals", "AuditWarning", "Batch",
    "BatchNotFound", "COMMIT_TIMEOUT_S", "CheckLimits", "CommitResult", "CommittedDocument", "FileAudit", "MAX_FILES",
    "OCR_LOW_CONFIDENCE", "REFUSALS", "Refusal", "StagedFile", "TITLE_MAX_CHARS", "WARNINGS",
    "audit_documents", "audit_index", "audit_paths", "minutes_missing", "clean_staging", "collect_files", "commit", "discard",
    "files_dir", "index_paths", "load", "low_confidence", "ocr_percent", "ocr_summary", "read_decided",
    "read_document", "stage", "start_reader_server",
]
