"""Who may sign in, and what they did: the users file and the audit trail.

Both are files beside the index that the web app and the command line share (``users.json``,
``audit.log``), so they live below both edges, in a package that needs only the shared ground:
neither searching nor indexing uses it, and it uses neither.

- :mod:`.users`: users, roles and groups, read and changed under a lock;
- :mod:`.passwords`: scrypt hashes in werkzeug's format, from the standard library;
- :mod:`.trail`: the audit trail, one JSON line per event (sign-ins, searches, views,
  uploads, changes of users), appended whole from any process.
"""
from .passwords import hash_password, verify_password
from .trail import EVENT_LABELS, EVENTS, AuditLog, Entry, describe, iso_time, printable
from .trail import default_path as trail_path
from .users import (
    ADMIN,
    EDITOR,
    NAME,
    READER,
    ROLE_LABELS,
    ROLES,
    AccountError,
    User,
    UsersFile,
    check_role,
)
from .users import default_path as users_path

__all__ = [
    "ADMIN", "EDITOR", "READER", "ROLES", "ROLE_LABELS", "NAME", "AccountError", "User", "UsersFile", "check_role",
    "users_path", "hash_password", "verify_password",
    "EVENTS", "EVENT_LABELS", "AuditLog", "Entry", "describe", "iso_time", "printable", "trail_path",
]
