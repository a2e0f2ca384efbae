"""Who may read a document: its visibility label, and a caller's access.

Every document carries one visibility label, stored and indexed on each of its
records (the ``visibility`` field):

- ``public``: anyone, signed in or not;
- ``internal``: every signed-in member of staff;
- any other label names a group (``财政组``): members of that group only.

A caller's :class:`Access` is the set of labels it may read, or everything (an
admin, the command line). Searching, facets, suggestions, cross-references and
documents all see only what the access allows; a document it may not see is
reported missing, exactly like one that does not exist.

Which label a document gets is decided when it is indexed (:func:`decide`), in this order:

1. the first rule of the index's visibility file (``<index>/visibility.toml``, see
   :class:`Rules`) whose glob matches the file's path under its source root;
2. else the document's own marking (:attr:`Document.public`, see
   :func:`indexer.patterns.marking_of`): 此件公开发布 / 主动公开 → public; 此件不公开,
   不予公开, 依申请公开, 内部…, （此件发至…）, a 密级 line → internal;
3. else the file's ``default``, else internal.

A document marked 秘密 / 机密 / 绝密 is refused whatever the rules say
(:class:`Classified`): classified material does not belong in this system.
"""
from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

from .errors import ParseError, VisibilityRulesError
from .model import Document
from .patterns import MARK_CLASSIFIED, MARK_PUBLIC, classified_level, marking_kind

PUBLIC, INTERNAL = "public", "internal"
RULES_FILE = "visibility.toml"
DEFAULT_REASON = "default"
# Labels that look like public or internal but are not: a group of that name would hide
# the documents from everyone but its members, which nobody writing them meant.
_LOOKALIKES = {"公开": PUBLIC, "内部": INTERNAL}
_LABEL = re.compile(r"[^\s,，;；\x00-\x1f]{1,40}")


@dataclass(frozen=True)
class Access:
    """The visibility labels a caller may read; ``labels=None``: every document."""

    labels: frozenset[str] | None = frozenset({PUBLIC})

    @classmethod
    def anonymous(cls) -> Access:
        return cls(frozenset({PUBLIC}))

    @classmethod
    def staff(cls, groups: frozenset[str] | tuple[str, ...] = ()) -> Access:
        """A signed-in member of staff: public, internal and their groups' documents."""
        return cls(frozenset({PUBLIC, INTERNAL, *groups}))

    @classmethod
    def everything(cls) -> Access:
        return cls(None)

    @property
    def unrestricted(self) -> bool:
        return self.labels is None

    def allows(self, label: str) -> bool:
        return self.labels is None or label in self.labels


class Classified(ParseError):
    """A document marked 秘密 / 机密 / 绝密: refused at indexing, whatever the rules say."""

    def __init__(self, path: str, level: str, marking: str):
        super().__init__(path, f"classified ({level}): classified material does not belong in this system "
                               f"(涉密文件“{marking}”不得录入本系统)")
        self.level = level
        self.marking = marking


@dataclass(frozen=True)
class Rule:
    """``match``: a glob on a file's path under its source root (``/`` separators; ``*`` and
    ``?`` stay within one folder, ``**`` spans any number of folders, none included)."""

    match: str
    visibility: str

    @cached_property
    def _pattern(self) -> re.Pattern:
        return re.compile(glob_regex(self.match))

    def matches(self, path: str) -> bool:
        return self._pattern.fullmatch(path) is not None


def glob_regex(pattern: str) -> str:
    """A glob as a regular expression over ``/``-separated paths."""
    out, parts = [], pattern.split("/")
    for n, part in enumerate(parts):
        last = n == len(parts) - 1
        if part == "**":
            out.append(".*" if last else "(?:[^/]+/)*")
            continue
        for ch in part:
            out.append("[^/]*" if ch == "*" else "[^/]" if ch == "?" else re.escape(ch))
        if not last:
            out.append("/")
    return "".join(out)


@dataclass(frozen=True)
class Decision:
    visibility: str
    reason: str  # rule 公开/** (visibility.toml) / marking 此件公开发布 / default


@dataclass(frozen=True)
class Rules:
    """An index's visibility file: a default label and rules, first match wins. Without
    the file, every document no marking decides is internal."""

    default: str = INTERNAL
    rules: tuple[Rule, ...] = ()
    source: str = ""  # the file's name when read from one ("" for the built-in default)
    default_set: bool = False  # the file says ``default``: a reason names it

    @classmethod
    def load(cls, index_dir: str | Path | None) -> Rules:
        """The rules of the index folder ``index_dir`` (its ``visibility.toml``); the
        built-in default when there is no such file. A file that cannot be read or
        says something else than rules raises :class:`VisibilityRulesError`."""
        if index_dir is None:
            return cls()
        path = Path(index_dir) / RULES_FILE
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return cls()
        except OSError as e:
            raise VisibilityRulesError(str(path), f"cannot be read ({e.strerror or e})") from None
        return cls.parse(data, str(path))

    @classmethod
    def parse(cls, data: bytes, path: str = RULES_FILE) -> Rules:
        try:
            table = tomllib.loads(data.decode("utf-8"))
        except UnicodeDecodeError:
            raise VisibilityRulesError(path, "not UTF-8 text") from None
        except tomllib.TOMLDecodeError as e:
            raise VisibilityRulesError(path, f"not valid TOML ({e})") from None
        unknown = sorted(set(table) - {"default", "rule"})
        if unknown:
            raise VisibilityRulesError(path, f"unknown key {unknown[0]!r} (expected default and [[rule]] tables)")
        default = _label(table.get("default", INTERNAL), path, "default")
        raw = table.get("rule", [])
        if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
            raise VisibilityRulesError(path, "rule must be [[rule]] tables, each with match and visibility")
        rules = []
        for n, r in enumerate(raw, 1):
            extra = sorted(set(r) - {"match", "visibility"})
            if extra:
                raise VisibilityRulesError(path, f"rule {n}: unknown key {extra[0]!r} (expected match and visibility)")
            match = r.get("match")
            if not isinstance(match, str) or not match.strip() or match.startswith("/") or "\\" in match:
                raise VisibilityRulesError(
                    path, f"rule {n}: match must be a glob on the path under the source root, with / "
                          f"(e.g. \"公开/**\"), not {match!r}")
            rules.append(Rule(match, _label(r.get("visibility"), path, f"rule {n}: visibility")))
        return cls(default, tuple(rules), Path(path).name, "default" in table)

    @property
    def fingerprint(self) -> str:
        """Changes whenever a decision could (comments and spacing aside)."""
        data = {"default": self.default, "default_set": self.default_set,
                "rules": [[r.match, r.visibility] for r in self.rules]}
        return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()[:16]

    def decide(self, path: str, marking: str) -> Decision:
        """The label of a file at ``path`` (under its source root) with ``marking`` (not classified)."""
        for rule in self.rules:
            if rule.matches(path):
                return Decision(rule.visibility, f"rule {rule.match} ({self.source})")
        kind = marking_kind(marking)
        if kind:
            return Decision(PUBLIC if kind == MARK_PUBLIC else INTERNAL, f"marking {marking}")
        return Decision(self.default, f"{DEFAULT_REASON} ({self.source})" if self.default_set else DEFAULT_REASON)


def _label(value, path: str, where: str) -> str:
    if not isinstance(value, str) or not _LABEL.fullmatch(value):
        raise VisibilityRulesError(path, f"{where} must be public, internal or a group's name "
                                         f"(no spaces or commas), not {value!r}")
    meant = _LOOKALIKES.get(value) or (value.lower() if value.lower() in (PUBLIC, INTERNAL) else "")
    if meant and meant != value:
        raise VisibilityRulesError(path, f"{where} {value!r}: write {meant!r}")
    return value


def decide(doc: Document, path: str, rules: Rules) -> Document:
    """``doc`` with its visibility and the reason for it; ``path`` is its file's path under
    its source root. Raises :class:`Classified` for a document marked 秘密/机密/绝密."""
    if marking_kind(doc.public) == MARK_CLASSIFIED:
        raise Classified(doc.source or path, classified_level(doc.public), doc.public)
    decision = rules.decide(path, doc.public)
    return replace(doc, visibility=decision.visibility, visibility_reason=decision.reason)
