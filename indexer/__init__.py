"""纪要检索's engine: parsing, analysis, indexing and search, behind one API.

Only this package imports Whoosh or jieba. Everything the web app and the CLI
need is re-exported here; the modules behind it are private to the package.
"""
from .accounts import ADMIN, EDITOR, READER, AccountError, AuditLog, User, UsersFile
from .accounts import EVENT_LABELS as AUDIT_EVENT_LABELS
from .accounts import EVENTS as AUDIT_EVENTS
from .accounts import NAME as USER_NAME
from .accounts import ROLE_LABELS as USER_ROLE_LABELS
from .accounts import ROLES as USER_ROLES
from .accounts import Entry as AuditEntry
from .accounts import check_role as check_user_role
from .accounts import describe as describe_audit_what
from .accounts import iso_time as audit_time
from .accounts import trail_path as audit_log_path
from .accounts import users_path as users_file_path
from .analytics.calendar import Calendar, Meeting, MeetingItem, YearCount
from .analytics.calendar import calendar as meeting_calendar
from .analytics.calendar import neighbours as meeting_neighbours
from .analytics.crossrefs import CrossReferences, DocRef, PolicyStep, Reference, Task
from .analytics.timeline import Bar as TimelineBar
from .analytics.timeline import Stack, Timeline
from .analytics.timeline import narrowed as narrowed_query
from .analytics.workload import (
    DeptTopics,
    TopicCount,
    Workload,
    WorkloadCell,
    WorkloadRow,
    dept_topics,
    workload,
)
from .citation import citation, item_label
from .deadline import NO_DEADLINE, Deadline
from .engine import SEARCH_TIME_LIMIT_S, SearchIndex, SearchPage
from .errors import (
    DocumentNotFound,
    IndexLocked,
    IndexNotFound,
    IndexOutdated,
    MinutesError,
    ParseError,
    QueryError,
    SearchTimeout,
    SourcesMissing,
    VisibilityRulesError,
)
from .ingest.audit import (
    OCR_LOW_CONFIDENCE,
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
    ocr_percent,
    ocr_summary,
)
from .ingest.audit import TITLE_MAX_CHARS as AUDIT_TITLE_MAX_CHARS
from .ingest.audit import WARNINGS as AUDIT_WARNINGS
from .ingest.commit import CommitResult, CommittedDocument
from .ingest.commit import commit as commit_upload
from .ingest.documents import collect_files, read_decided, read_document
from .ingest.indexing import index_paths
from .ingest.uploads import COMMIT_TIMEOUT_S as UPLOAD_COMMIT_TIMEOUT_S
from .ingest.uploads import MAX_FILES as UPLOAD_MAX_FILES
from .ingest.uploads import REFUSALS as UPLOAD_REFUSALS
from .ingest.uploads import Batch as UploadBatch
from .ingest.uploads import BatchNotFound, StagedFile
from .ingest.uploads import Refusal as UploadRefusal
from .ingest.uploads import clean_staging as clean_uploads
from .ingest.uploads import discard as discard_upload
from .ingest.uploads import files_dir as uploads_folder
from .ingest.uploads import load as load_upload
from .ingest.uploads import stage as stage_upload
from .model import (
    CO_LEAD,
    LEAD,
    MENTIONED,
    ROLES,
    Attendance,
    AttendingUnit,
    Copy,
    DepartmentRole,
    Document,
    FileFailure,
    IndexReport,
    Item,
    Moved,
    OcrPage,
    Paragraph,
    Point,
    SubPoint,
    TopicMatch,
)
from .parse.document import parse_file, parse_text
from .parse.gazetteer import canonical_department as gazetteer_canonical
from .parse.references import Citation, normalize_title
from .present.shapes import (
    REFERENCE_KIND_LABELS,
    ROLE_LABELS,
    audit_dict,
    audit_totals_dict,
    file_audit_dict,
    fragment_markup,
    hit_dict,
    ocr_pages_list,
    place_dict,
    policy_dict,
    references_dict,
    result_dict,
    snippet_markup,
    tasks_dict,
)
from .present.urls import (
    FACET_PARAMS,
    document_url,
    hit_url,
    item_anchor,
    passage_url,
    place_url,
    policy_url,
    search_url,
    tasks_url,
    with_params,
)
from .present.urls import request_params as search_params
from .read.files import SUPPORTED_SUFFIXES
from .read.text import MAX_FILE_BYTES as UPLOAD_MAX_FILE_BYTES
from .search.draft import MAX_DRAFT_CHARS, Passage
from .search.highlight import Fragment, highlight_all
from .search.query import highlight_terms
from .search.results import FacetValue, Hit, IndexStats, SearchRequest, SearchResult
from .search.suggest import Suggestion
from .settings import (
    SETTINGS,
    Setting,
    SettingError,
    UnknownSetting,
    check_config_keys,
    check_environment,
    config_defaults,
    config_from_environment,
    setting,
)
from .settings import value as setting_value
from .store.index import warm_up
from .store.lifecycle import default_index_dir, index_location
from .store.schema import FACET_FIELDS
from .visibility import INTERNAL, PUBLIC, Access, Classified
from .visibility import RULES_FILE as VISIBILITY_FILE

__all__ = [
    "AUDIT_TITLE_MAX_CHARS", "AUDIT_WARNINGS", "AttendanceCounts", "AuditDepartment", "AuditReport", "AuditTotals",
    "AuditWarning", "FileAudit", "audit_documents", "audit_index", "audit_paths",
    "OCR_LOW_CONFIDENCE", "OcrPage", "low_confidence", "ocr_pages_list", "ocr_percent", "ocr_summary",
    "MAX_DRAFT_CHARS", "Passage", "Citation", "CrossReferences", "DocRef", "PolicyStep", "Reference", "Task",
    "normalize_title", "gazetteer_canonical", "CO_LEAD", "LEAD", "MENTIONED", "ROLES", "AttendingUnit", "DepartmentRole", "Paragraph", "Point", "TopicMatch",
    "read_document",
    "Attendance", "Document", "DocumentNotFound", "FACET_FIELDS", "FacetValue", "FileFailure", "Fragment",
    "Hit", "IndexLocked", "IndexNotFound", "IndexOutdated", "IndexReport", "IndexStats", "Item",
    "MinutesError", "ParseError", "SourcesMissing", "Copy", "Moved", "QueryError", "SearchTimeout", "SearchIndex", "SearchPage", "SearchRequest", "SearchResult", "SubPoint", "Suggestion",
    "citation", "collect_files", "default_index_dir", "index_location", "index_paths", "parse_file", "parse_text",
    "highlight_all", "item_label", "highlight_terms", "warm_up",
    "REFERENCE_KIND_LABELS", "ROLE_LABELS", "audit_dict", "audit_totals_dict", "file_audit_dict", "fragment_markup",
    "hit_dict", "place_dict", "policy_dict", "references_dict", "result_dict", "snippet_markup", "tasks_dict",
    "Deadline", "NO_DEADLINE", "SEARCH_TIME_LIMIT_S", "Access", "INTERNAL", "PUBLIC",
    "Classified", "VISIBILITY_FILE", "VisibilityRulesError", "read_decided",
    "UPLOAD_COMMIT_TIMEOUT_S", "UPLOAD_MAX_FILE_BYTES", "UPLOAD_MAX_FILES", "SUPPORTED_SUFFIXES", "UPLOAD_REFUSALS", "UploadBatch", "UploadRefusal", "BatchNotFound", "CommitResult",
    "CommittedDocument", "StagedFile", "clean_uploads", "commit_upload", "discard_upload", "uploads_folder",
    "load_upload", "stage_upload",
    "TimelineBar", "Calendar", "DeptTopics", "Meeting", "MeetingItem", "Stack", "Timeline", "TopicCount", "Workload",
    "WorkloadCell", "WorkloadRow", "YearCount", "dept_topics", "workload", "meeting_calendar", "narrowed_query",
    "meeting_neighbours",
    "SETTINGS", "Setting", "SettingError", "UnknownSetting", "check_config_keys", "check_environment",
    "config_defaults", "config_from_environment", "setting", "setting_value",
    "ADMIN", "EDITOR", "READER", "USER_ROLES", "USER_ROLE_LABELS", "USER_NAME", "AccountError", "User", "UsersFile",
    "check_user_role", "users_file_path",
    "AUDIT_EVENTS", "AUDIT_EVENT_LABELS", "AuditEntry", "AuditLog", "audit_log_path", "audit_time",
    "describe_audit_what",
    "FACET_PARAMS", "document_url", "hit_url", "item_anchor", "passage_url", "place_url", "policy_url", "search_params",
    "search_url", "tasks_url", "with_params",
]
