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
from .accounts import printable as printable_audit_text
from .accounts import iso_time as audit_time
from .accounts import trail_path as audit_log_path
from .accounts import users_path as users_file_path
from .analytics import Bar as TimelineBar
from .analytics import (
    VALIDITY_LABELS,
    VALIDITY_SHOWN,
    Answer,
    Calendar,
    CrossReferences,
    DeptTopics,
    DocRef,
    Evidence,
    Lineage,
    Link,
    Meeting,
    MeetingItem,
    PolicyStep,
    Reference,
    Stack,
    Task,
    Timeline,
    TopicCount,
    Validity,
    ValidityTable,
    Workload,
    WorkloadCell,
    WorkloadRow,
    YearCount,
    dept_topics,
    marked,
    workload,
)
from .analytics import calendar as meeting_calendar
from .analytics import narrowed as narrowed_query
from .analytics import neighbours as meeting_neighbours
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
from .ingest import COMMIT_TIMEOUT_S as UPLOAD_COMMIT_TIMEOUT_S
from .ingest import MAX_FILES as UPLOAD_MAX_FILES
from .ingest import (
    OCR_LOW_CONFIDENCE,
    AttendanceCounts,
    AuditDepartment,
    AuditReport,
    AuditTotals,
    AuditWarning,
    BatchNotFound,
    CommitResult,
    CommittedDocument,
    FileAudit,
    StagedFile,
    audit_documents,
    audit_index,
    audit_paths,
    collect_files,
    index_paths,
    low_confidence,
    minutes_missing,
    ocr_percent,
    ocr_summary,
    read_decided,
    read_document,
)
from .ingest import REFUSALS as UPLOAD_REFUSALS
from .ingest import TITLE_MAX_CHARS as AUDIT_TITLE_MAX_CHARS
from .ingest import WARNINGS as AUDIT_WARNINGS
from .ingest import Batch as UploadBatch
from .ingest import Refusal as UploadRefusal
from .ingest import clean_staging as clean_uploads
from .ingest import commit as commit_upload
from .ingest import discard as discard_upload
from .ingest import files_dir as uploads_folder
from .ingest import load as load_upload
from .ingest import CheckLimits as UploadCheckLimits
from .ingest import start_reader_server as start_upload_reader
from .ingest import stage as stage_upload
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
from .parse import Citation, normalize_title, parse_file, parse_text
from .parse import canonical_department as gazetteer_canonical
from .present import (
    FACET_PARAMS,
    REFERENCE_KIND_LABELS,
    ROLE_LABELS,
    answer_dict,
    audit_dict,
    audit_totals_dict,
    document_url,
    expansion_dict,
    file_audit_dict,
    fragment_markup,
    hit_dict,
    hit_url,
    item_anchor,
    ocr_pages_list,
    passage_url,
    place_dict,
    place_url,
    policy_dict,
    policy_url,
    references_dict,
    result_dict,
    search_url,
    snippet_markup,
    statements_list,
    tasks_dict,
    tasks_url,
    validity_dict,
    with_params,
)
from .present import request_params as search_params
from .read import MAX_FILE_BYTES as UPLOAD_MAX_FILE_BYTES
from .read import SUPPORTED_SUFFIXES
from .search import (
    FACETS,
    MAX_DRAFT_CHARS,
    VALIDITY,
    FacetValue,
    Fragment,
    Hit,
    IndexStats,
    Passage,
    SearchRequest,
    SearchResult,
    Suggestion,
    highlight_all,
    highlight_terms,
)
from .patterns import DISCLOSURE_FIELDS
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
from .store import FACET_FIELDS, default_index_dir, index_location, warm_up
from .visibility import INTERNAL, PUBLIC, Access, Classified
from .visibility import RULES_FILE as VISIBILITY_FILE

__all__ = [
    "AUDIT_TITLE_MAX_CHARS", "AUDIT_WARNINGS", "AttendanceCounts", "AuditDepartment", "AuditReport", "AuditTotals",
    "AuditWarning", "FileAudit", "audit_documents", "audit_index", "audit_paths", "DISCLOSURE_FIELDS",
    "OCR_LOW_CONFIDENCE", "OcrPage", "low_confidence", "minutes_missing", "ocr_pages_list", "ocr_percent", "ocr_summary",
    "MAX_DRAFT_CHARS", "Passage", "Citation", "CrossReferences", "DocRef", "PolicyStep", "Reference", "Task",
    "normalize_title", "gazetteer_canonical", "CO_LEAD", "LEAD", "MENTIONED", "ROLES", "AttendingUnit", "DepartmentRole", "Paragraph", "Point", "TopicMatch",
    "read_document",
    "Attendance", "Document", "DocumentNotFound", "FACET_FIELDS", "FacetValue", "FileFailure", "Fragment",
    "Hit", "IndexLocked", "IndexNotFound", "IndexOutdated", "IndexReport", "IndexStats", "Item",
    "MinutesError", "ParseError", "SourcesMissing", "Copy", "Moved", "QueryError", "SearchTimeout", "SearchIndex", "SearchPage", "SearchRequest", "SearchResult", "SubPoint", "Suggestion",
    "citation", "collect_files", "default_index_dir", "index_location", "index_paths", "parse_file", "parse_text",
    "highlight_all", "item_label", "highlight_terms", "warm_up",
    "REFERENCE_KIND_LABELS", "ROLE_LABELS", "Answer", "answer_dict", "audit_dict", "audit_totals_dict", "file_audit_dict", "fragment_markup",
    "expansion_dict", "hit_dict", "place_dict", "policy_dict", "references_dict", "result_dict", "snippet_markup", "tasks_dict",
    "Deadline", "NO_DEADLINE", "SEARCH_TIME_LIMIT_S", "Access", "INTERNAL", "PUBLIC",
    "Classified", "VISIBILITY_FILE", "VisibilityRulesError", "read_decided",
    "UPLOAD_COMMIT_TIMEOUT_S", "UPLOAD_MAX_FILE_BYTES", "UPLOAD_MAX_FILES", "SUPPORTED_SUFFIXES", "UPLOAD_REFUSALS", "UploadBatch", "UploadRefusal", "BatchNotFound", "CommitResult",
    "CommittedDocument", "StagedFile", "clean_uploads", "commit_upload", "discard_upload", "uploads_folder",
    "load_upload", "stage_upload", "start_upload_reader", "UploadCheckLimits",
    "TimelineBar", "Calendar", "DeptTopics", "Meeting", "MeetingItem", "Stack", "Timeline", "TopicCount", "Workload",
    "WorkloadCell", "WorkloadRow", "YearCount", "dept_topics", "workload", "meeting_calendar", "narrowed_query",
    "meeting_neighbours",
    "SETTINGS", "Setting", "SettingError", "UnknownSetting", "check_config_keys", "check_environment",
    "config_defaults", "config_from_environment", "setting", "setting_value",
    "ADMIN", "EDITOR", "READER", "USER_ROLES", "USER_ROLE_LABELS", "USER_NAME", "AccountError", "User", "UsersFile",
    "check_user_role", "users_file_path",
    "AUDIT_EVENTS", "AUDIT_EVENT_LABELS", "AuditEntry", "AuditLog", "audit_log_path", "audit_time",
    "describe_audit_what", "printable_audit_text",
    "FACET_PARAMS", "document_url", "hit_url", "item_anchor", "passage_url", "place_url", "policy_url", "search_params",
    "search_url", "tasks_url", "with_params",
    "FACETS", "VALIDITY", "VALIDITY_LABELS", "VALIDITY_SHOWN", "Evidence", "Lineage", "Link", "Validity",
    "ValidityTable", "marked", "statements_list",
    "validity_dict",
]
