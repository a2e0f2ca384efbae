"""One open index per worker process, lent to each request through ``g``.

Like flaskr's ``db.py``, the index is opened lazily on first use; unlike a
database connection it is kept for the life of the worker, because opening a
Whoosh index and building its facet table costs far more than a request. The
search index itself reopens its searcher when the files on disk change.
"""
from __future__ import annotations

import threading

from flask import Flask, current_app, g

import indexer


class IndexHolder:
    def __init__(self, path: str):
        self.path = path
        self._index: indexer.SearchIndex | None = None
        self._lock = threading.Lock()

    def get(self) -> indexer.SearchIndex:
        with self._lock:
            if self._index is None:
                self._index = indexer.SearchIndex(self.path)  # raises IndexNotFound / IndexOutdated
            return self._index

    def close(self) -> None:
        """Close the index's files (a worker keeps it for life; tests and scripts close it)."""
        with self._lock:
            if self._index is not None:
                self._index.close()
                self._index = None


def get_index() -> indexer.SearchIndex:
    if "minutes_index" not in g:
        g.minutes_index = current_app.extensions["minutes"].get()
    return g.minutes_index


def init_app(app: Flask) -> None:
    app.extensions["minutes"] = IndexHolder(app.config["INDEX"])
