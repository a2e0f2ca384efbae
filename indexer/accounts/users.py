"""The users file: who may sign in, with which role and groups.

A JSON file (by default ``<index>/users.json``) holding each user's name, role,
groups and a password hash (:mod:`.passwords`: scrypt, in werkzeug's format), never
the password. ``minutes users`` edits it; the web app reads it on every sign-in and
request (re-read when the file changes, so a removed user or a changed password takes
effect at once, in every worker).

It belongs to neither edge: the web app signs users in with it and the command line
edits it, and each imports it from :mod:`indexer`.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from ..visibility import INTERNAL, PUBLIC
from .passwords import dummy_hash, hash_password, verify_password

READER, EDITOR, ADMIN = "reader", "editor", "admin"
ROLES = (READER, EDITOR, ADMIN)  # each may do what the ones before it may
ROLE_LABELS = {READER: "读者", EDITOR: "编辑", ADMIN: "管理员"}
FILE_NAME = "users.json"
FORMAT = 1
MIN_PASSWORD = 8
MIN_STRENGTH = 2  # zxcvbn's score, 0-4: 2 is "somewhat guessable", over 10^6 guesses
MAX_RATED = 100  # characters zxcvbn rates (its time grows fast with the length; 100 is ample)
# Letters (Chinese too), digits and . _ @ -: a name fits a log line and a proxy's header.
NAME = re.compile(r"[\w.@-]{1,64}")  # no control character: \w holds none
GROUP = re.compile(r"[^\s,\x00-\x1f\x7f-\x9f]{1,64}")  # no space, comma or control character


class AccountError(Exception):
    """A users file that cannot be read or written, or a change it refuses."""


@dataclass(frozen=True)
class User:
    name: str
    role: str
    groups: tuple[str, ...] = ()
    password_hash: str = ""
    sessions: int = 0  # bumped by signing out: every session signed in before it ends

    def has_role(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)

    @property
    def stamp(self) -> str:
        """Changes when the password does and when the user signs out: a session carries it and every
        request compares it, so a new password, or signing out, ends every earlier session."""
        key = self.password_hash if not self.sessions else f"{self.password_hash}\n{self.sessions}"
        return hashlib.sha256(key.encode()).hexdigest()[:16]

    def public_dict(self) -> dict:
        """The user without the hash, as ``minutes users list --json`` and the admin page show it."""
        return {"name": self.name, "role": self.role, "role_label": ROLE_LABELS[self.role],
                "groups": list(self.groups)}


def default_path(index_dir: str | Path) -> Path:
    return Path(index_dir) / FILE_NAME


def check_name(name: str) -> str:
    if not NAME.fullmatch(name):
        raise AccountError(f"invalid user name {name!r}: 1-64 letters, digits, '.', '_', '@' or '-'")
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"invalid role {role!r}: must be one of {', '.join(ROLES)}")
    return role


def check_groups(groups) -> tuple[str, ...]:
    groups = tuple(dict.fromkeys(g.strip() for g in groups if g.strip()))
    for g in groups:
        if not GROUP.fullmatch(g) or g in (PUBLIC, INTERNAL):
            raise AccountError(f"invalid group {g!r}: up to 64 characters, no spaces or commas, "
                               f"and not {PUBLIC!r} or {INTERNAL!r}")
    return groups


def check_password(password: str, name: str = "") -> str:
    """A new password, refused (issue 26) when it is short, all digits, the user's name, or easily
    guessed: zxcvbn (its lists of common passwords, names and words ship in the package) must
    rate it at least ``MIN_STRENGTH`` of 4, with the name among the words it tries."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password is too short: at least {MIN_PASSWORD} characters "
                           f"(密码太短：至少 {MIN_PASSWORD} 个字符)")
    if password.isdigit():
        raise AccountError("the password is all digits (密码不能全是数字)")
    if name and password.casefold() == name.casefold():
        raise AccountError("the password is the user's name (密码不能与用户名相同)")
    import zxcvbn  # its lists take 0.3 s to load: only when a password is set

    rated = zxcvbn.zxcvbn(password[:MAX_RATED], user_inputs=[name] if name else [])
    if rated["score"] >= MIN_STRENGTH:
        return password
    if any(m.get("dictionary_name") == "user_inputs" for m in rated["sequence"]):
        raise AccountError("the password is the user's name with a few characters added "
                           "(密码不能只是用户名加几个字符)")
    if "common" in (rated["feedback"]["warning"] or ""):
        raise AccountError("the password is a common one (这是常见密码，很容易被猜中；请换一个更长、不常见的密码，"
                           "例如几个不相关的词连在一起)")
    raise AccountError("the password is easy to guess (密码太容易被猜中：请换一个更长、不常见的密码，"
                       "例如几个不相关的词连在一起，避免键盘顺序、重复字符、日期和常见词)")


class UsersFile:
    """One users file. Reads are cached until the file changes on disk; every change is a
    whole new file renamed over the old one (mode 0600), under a lock beside it, so two
    commands never lose each other's change and a reader never sees half a file."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._cache: tuple[tuple, dict[str, User]] | None = None

    # --- reading -------------------------------------------------------------------------
    def _identity(self) -> tuple | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return st.st_ino, st.st_mtime_ns, st.st_size

    def users(self) -> dict[str, User]:
        """Every user by name; none when the file does not exist yet."""
        identity = self._identity()
        if identity is None:
            return {}
        if self._cache is not None and self._cache[0] == identity:
            return self._cache[1]
        users = self._read()
        self._cache = (identity, users)
        return users

    def _read(self) -> dict[str, User]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return {u["name"]: User(u["name"], check_role(u["role"]), tuple(u.get("groups", ())), u["password_hash"],
                                    int(u.get("sessions", 0)))
                    for u in data["users"]}
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, KeyError, TypeError, AccountError) as e:
            raise AccountError(f"cannot read the users file {self.path}: {e}") from None

    def get(self, name: str) -> User | None:
        return self.users().get(name)

    def verify(self, name: str, password: str) -> User | None:
        """The user when the password is theirs, else None. An unknown name is checked
        against a dummy hash: the same work, so timing does not tell which names exist."""
        user = self.get(name)
        ok = verify_password(user.password_hash if user else dummy_hash(), password)
        return user if ok and user is not None else None

    # --- changing ------------------------------------------------------------------------
    @contextmanager
    def _changing(self):
        """The users as they are, under an exclusive lock, written back when the block ends."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.path.with_name("." + self.path.name + ".lock")
        with open(lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            users = dict(self._read())
            yield users
            self._write(users)

    def _write(self, users: dict[str, User]) -> None:
        data = {"format": FORMAT, "users": [
            {"name": u.name, "role": u.role, "groups": list(u.groups), "password_hash": u.password_hash,
             **({"sessions": u.sessions} if u.sessions else {})}  # only once the user has signed out
            for u in sorted(users.values(), key=lambda u: u.name)]}
        fd, scratch = tempfile.mkstemp(prefix=".users-", suffix=".tmp", dir=self.path.parent)
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f, ensure_ascii=False, indent=1)
                f.flush()
                os.fsync(f.fileno())
            os.replace(scratch, self.path)
        except BaseException:
            if os.path.exists(scratch):
                os.unlink(scratch)
            raise
        self._cache = None

    def add(self, name: str, role: str, groups, password: str) -> User:
        user = User(check_name(name), check_role(role), check_groups(groups),
                    hash_password(check_password(password, name)))
        with self._changing() as users:
            if name in users:
                raise AccountError(f"user {name!r} already exists in {self.path}")
            users[name] = user
        return user

    def remove(self, name: str) -> None:
        with self._changing() as users:
            if users.pop(name, None) is None:
                raise AccountError(f"no user {name!r} in {self.path}")

    def passwd(self, name: str, password: str) -> User:
        password_hash = hash_password(check_password(password, name))
        with self._changing() as users:
            if name not in users:
                raise AccountError(f"no user {name!r} in {self.path}")
            old = users[name]
            users[name] = replace(old, password_hash=password_hash)
        return users[name]

    def end_sessions(self, name: str) -> User | None:
        """End every session of ``name`` (signing out does): their stamp changes, as with a new
        password. None when there is no such user (nothing to end)."""
        with self._changing() as users:
            old = users.get(name)
            if old is not None:
                users[name] = replace(old, sessions=old.sessions + 1)
            return users.get(name)
