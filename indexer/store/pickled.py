"""The module paths an index's table of contents names, kept resolvable after code moves.

Whoosh pickles the schema (with our tokenizers, :mod:`indexer.store.analysis`) and each
segment's codec (:class:`~indexer.store.flat.FlatCodec`) into the table of contents, so an
index records the module path of those classes as they were when it was written, and opening
it imports them by that path. Before the code was arranged in packages, the classes lived in
``indexer.analysis`` and ``indexer.flat``: those names resolve to the modules that hold the
classes now, so an index written then opens, searches and updates as before (its next commit
records today's paths). Add a line here whenever a pickled class moves; never remove one
while indexes written with it may exist.
"""
from __future__ import annotations

import sys

from . import analysis, flat

MOVED = {  # a module path an existing index may name → the module that holds its classes now
    "indexer.analysis": analysis,
    "indexer.flat": flat,
}


def keep_moved_paths() -> None:
    """Make each moved path importable as the module that holds its classes (idempotent)."""
    for path, module in MOVED.items():
        sys.modules.setdefault(path, module)
