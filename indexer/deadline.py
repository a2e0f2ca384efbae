"""A request's time limit, passed down to every loop that can run long.

The web app makes one :class:`Deadline` when a request starts and hands it to
every call the request makes into the index; each part checks it between its
steps — matching (per query node), scoring (per term), reading and reranking the
top records, snippets (per hit), corrections (per candidate word), the drafting
aid (per term of its large OR query, per candidate item), department tasks (per
document) — and raises :class:`~indexer.errors.SearchTimeout` once it has
passed. So the whole request, not one part of it, runs under the limit, and
stops within one step of it.

What a searcher keeps for later, cross-references and the vocabulary of
suggestions, is built on first use by the request that needs it, under that
request's deadline too. Such a build is :class:`Resumable`: a request that runs
out of time leaves it where it stopped, and the next request goes on from there,
so a build longer than the limit still completes, over several requests, and no
work is done twice.
"""
from __future__ import annotations

import math
import threading
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from time import monotonic
from typing import Generic, TypeVar

from .errors import SearchTimeout

T = TypeVar("T")


@dataclass(frozen=True)
class Deadline:
    seconds: float | None  # the limit it was made with; None: no limit
    expires: float  # on the monotonic clock

    @classmethod
    def after(cls, seconds: float | None) -> Deadline:
        """A deadline ``seconds`` from now (None: never)."""
        return cls(seconds, math.inf if seconds is None else monotonic() + seconds)

    def check(self) -> None:
        """Raise :class:`SearchTimeout` if the deadline has passed."""
        if monotonic() >= self.expires:
            raise SearchTimeout(self.seconds or 0.0)

    def remaining(self) -> float:
        return max(0.0, self.expires - monotonic())

    def each(self, values: Iterable[T]) -> Iterator[T]:
        """The values, the deadline checked before each."""
        for value in values:
            self.check()
            yield value


NO_DEADLINE = Deadline(None, math.inf)


class Resumable(Generic[T]):
    """Work done in steps, advanced under deadlines. ``start()`` makes a generator
    that yields between steps and returns the result; :meth:`result` runs it until
    it returns or the deadline passes. Out of time, the generator stays where it
    stopped and the next call continues it. A step that fails starts the work over
    on the next call."""

    def __init__(self, start: Callable[[], Generator[None, None, T]]):
        self._start = start
        self._steps: Generator[None, None, T] | None = None
        self._done = False
        self._value: T | None = None
        self._lock = threading.Lock()  # one caller at a time drives the generator

    @property
    def done(self) -> bool:
        return self._done

    def result(self, deadline: Deadline = NO_DEADLINE) -> T:
        if self._done:
            return self._value
        remaining = deadline.remaining()
        if not self._lock.acquire(timeout=-1 if math.isinf(remaining) else remaining):
            raise SearchTimeout(deadline.seconds or 0.0)
        try:
            if self._steps is None and not self._done:
                self._steps = self._start()
            while not self._done:
                deadline.check()
                try:
                    next(self._steps)
                except StopIteration as stop:
                    self._value, self._done, self._steps = stop.value, True, None
                except BaseException:
                    self._steps = None
                    raise
        finally:
            self._lock.release()
        return self._value
