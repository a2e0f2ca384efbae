"""Typed errors raised by the indexer package.

The edges translate them: the CLI into ``click.ClickException``, the web app
into its JSON or HTML error shape. Each message names what failed and why.
"""
from __future__ import annotations


class MinutesError(Exception):
    """Base class for every error this package raises on purpose."""


class ParseError(MinutesError):
    """A file could not be read or parsed."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

    def __reduce__(self):  # raised in a child process (indexer.read.ocr), re-raised in its parent
        return type(self), (self.path, self.reason)


class VisibilityRulesError(MinutesError):
    """An index's visibility file (visibility.toml) cannot be read or is malformed; nothing was indexed."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class IndexNotFound(MinutesError):
    def __init__(self, path: str):
        super().__init__(
            f"no index at {path}; build one with: minutes index samples/corpus --index {path}"
        )
        self.path = path


class IndexOutdated(MinutesError):
    """The index was built with another schema version or analyzer."""

    def __init__(self, path: str, reason: str):
        super().__init__(
            f"index at {path} is outdated ({reason}); rebuild it with: "
            f"minutes index PATH... --index {path} --rebuild"
        )
        self.path = path
        self.reason = reason


class SourcesMissing(MinutesError):
    """A rebuild would lose documents whose files cannot be read again; nothing was changed."""


class QueryError(MinutesError):
    """A search request is invalid (bad parameter value)."""

    def __init__(self, parameter: str, reason: str):
        super().__init__(f"{parameter}: {reason}")
        self.parameter = parameter
        self.reason = reason


class DocumentNotFound(MinutesError):
    def __init__(self, doc_id: str):
        super().__init__(f"no document with id {doc_id!r}")
        self.doc_id = doc_id


class IndexLocked(MinutesError):
    def __init__(self, path: str):
        super().__init__(f"index at {path} is locked by another writer; retry when it has finished "
                         f"(另一个索引进程正在写入，请稍后重试)")
        self.path = path


class SearchTimeout(MinutesError):
    """A search ran past its time limit (a pathological query, or an overloaded server)."""

    def __init__(self, seconds: float):
        super().__init__(f"search took longer than {seconds:g} s and was stopped; narrow the query "
                         f"(检索超时，请缩小检索范围)")
        self.seconds = seconds
