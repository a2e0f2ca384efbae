"""One open index per worker process, lent to each request through ``g``.

Like flaskr's ``db.py``, the index is opened lazily on first use; unlike a
database connection it is kept for the life of the worker, because opening a
Whoosh index and building its facet table costs far more than a request. The
search index itself reopens its searcher when the files on disk change.

Each request gets one deadline when it starts (``SEARCH_TIME_LIMIT`` seconds,
default 3; None for none), which every call it makes into the index shares:
the limit covers the whole request, not each call.
"""
from __future__ import annotations

import logging
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

    def warm(self, seconds: float) -> None:
        """Open the index and load what its searcher keeps for later (the vocabulary) for
        up to ``seconds``, and start building the cross-references in the background:
        gunicorn calls this in each new worker, which then answers searches at once.
        What is left undone, requests finish under their deadlines; a missing or outdated
        index is left for requests to report."""
        try:
            self.get().warm(indexer.Deadline.after(seconds), background=True)
        except indexer.SearchTimeout:
            pass
        except indexer.MinutesError as e:
            logging.getLogger(__name__).warning("index not warmed: %s", e)

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


def deadline() -> indexer.Deadline:
    """The request's deadline, started with the request."""
    if "minutes_deadline" not in g:
        _start_deadline()
    return g.minutes_deadline


def _start_deadline() -> None:
    g.minutes_deadline = indexer.Deadline.after(current_app.config["SEARCH_TIME_LIMIT"])


def init_app(app: Flask) -> None:
    app.extensions["minutes"] = IndexHolder(app.config["INDEX"])
    app.before_request(_start_deadline)
