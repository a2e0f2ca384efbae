"""Short names the documents define, as an alias table for query expansion.

Documents name things once in full and then by a short name: 中国（上海）自由贸易试验区（以下简称
“自贸区”）. The definitions (:mod:`indexer.parse.abbreviations`) are mined from the stored text of
every record, so the table is derived data, rebuilt from the Whoosh index alone: ``minutes
index`` writes it after each commit (``aliases-<generation>.json`` beside the index, like the
vocabulary) and a searcher of that state loads it; a searcher that finds no current file builds
it in steps under the requests' deadlines (:class:`indexer.deadline.Resumable`).

Each alias keeps the documents that define it, with their visibility: a caller is offered an
expansion only from a document it may read (:meth:`AliasTable.expansions`), so a short name
defined only in a hidden document neither widens nor names anything for that caller.
"""
from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path

from ..deadline import Resumable
from ..parse import definitions
from ..store import fold
from ..visibility import Access
from .results import Expansion
from .tables import derived_path, drop_older, read_derived, write_derived

PREFIX = "aliases-"
FORMAT = 1  # bump when the entries change meaning (or the mining rules do): other files are rebuilt
MAX_EXPANSIONS = 3  # full names one word is also searched as
MIN_REVERSE = 4  # characters a full name needs to be searched as its short name too


@dataclass(frozen=True)
class Source:
    """A document that defines an alias."""

    doc_id: str
    doc_title: str
    visibility: str


@dataclass(frozen=True)
class Alias:
    """``short`` is defined as the short name of ``full`` ``count`` times, in ``sources``
    (the documents with the most definitions first)."""

    short: str
    full: str
    count: int
    sources: tuple[Source, ...]


class AliasTable:
    """Every alias the index's documents define, looked up by either name."""

    def __init__(self, aliases: tuple[Alias, ...]):
        self.aliases = aliases
        self._by_short: dict[str, list[Alias]] = {}
        self._by_full: dict[str, list[Alias]] = {}
        for alias in aliases:
            self._by_short.setdefault(fold(alias.short), []).append(alias)
            self._by_full.setdefault(fold(alias.full), []).append(alias)

    @classmethod
    def steps(cls, searcher, folder: Path | None = None) -> Generator[None, None, AliasTable]:
        """The table ``minutes index`` saved in ``folder`` for this state of the index, else its
        build from the stored records, yielding after each record."""
        saved = _load(folder, searcher) if folder is not None else None
        if saved is not None:
            return saved
        found: dict[tuple[str, str], dict[str, int]] = {}  # (short, full) → doc_id → definitions
        documents: dict[str, Source] = {}
        for stored in searcher.all_stored_fields():
            doc_id = stored.get("doc_id", "")
            for d in definitions(f"{stored.get('item_title', '')}\n{stored.get('body', '')}"):
                per_doc = found.setdefault((d.short, d.full), {})
                per_doc[doc_id] = per_doc.get(doc_id, 0) + 1
                documents.setdefault(doc_id, Source(doc_id, stored.get("doc_title", ""), stored.get("visibility", "")))
            yield
        aliases = []
        for (short, full), per_doc in found.items():
            ranked = sorted(per_doc.items(), key=lambda kv: (-kv[1], kv[0]))
            aliases.append(Alias(short, full, sum(per_doc.values()), tuple(documents[d] for d, _ in ranked)))
        aliases.sort(key=lambda a: (-a.count, -len(a.sources), a.short, a.full))
        return cls(tuple(aliases))

    @classmethod
    def saved(cls, folder: Path, searcher) -> AliasTable | None:
        """The table ``minutes index`` wrote in ``folder`` for this state of the index, or None."""
        return _load(folder, searcher)

    @classmethod
    def build(cls, searcher) -> AliasTable:
        return Resumable(lambda: cls.steps(searcher)).result()

    def expansions(self, word: str, access: Access | None = None) -> tuple[Expansion, ...]:
        """What ``word`` is also searched as, from documents ``access`` may read (None: all): the
        full names of a short name; and the short name of a full name (of at least
        :data:`MIN_REVERSE` characters) when, in what the caller may read, it abbreviates
        nothing else. The most defined first, at most :data:`MAX_EXPANSIONS`."""
        key = fold(word)
        found: list[Expansion] = []
        for alias in self._by_short.get(key, ()):
            source = _readable(alias, access)
            if source is not None:
                found.append(Expansion(word, alias.full, word, source.doc_id, source.doc_title))
        if len(key) >= MIN_REVERSE:
            for alias in self._by_full.get(key, ()):
                source = _readable(alias, access)
                others = [a for a in self._by_short.get(fold(alias.short), ())
                          if a.full != alias.full and _readable(a, access) is not None]
                if source is not None and not others:
                    found.append(Expansion(word, alias.short, alias.short, source.doc_id, source.doc_title))
        return tuple(found[:MAX_EXPANSIONS])

    def save(self, folder: Path, searcher) -> Path:
        """Write the table for the searcher's state of the index, atomically; drop older files."""
        return write_derived(folder, PREFIX, FORMAT, searcher, {"aliases": [
            [a.short, a.full, a.count, [[s.doc_id, s.doc_title, s.visibility] for s in a.sources]]
            for a in self.aliases]})


def _readable(alias: Alias, access: Access | None) -> Source | None:
    """The first document defining ``alias`` that ``access`` may read."""
    return next((s for s in alias.sources if access is None or access.allows(s.visibility)), None)


def _load(folder: Path, searcher) -> AliasTable | None:
    """The table written for this searcher's state of the index, or None."""
    data = read_derived(folder, PREFIX, FORMAT, searcher)
    try:
        return None if data is None else AliasTable(tuple(
            Alias(short, full, count, tuple(Source(*s) for s in sources)) for short, full, count, sources in data["aliases"]))
    except (KeyError, ValueError, TypeError):
        return None  # damaged: build instead


def save_aliases(folder: Path, searcher) -> Path:
    """Write the alias table of the searcher's state of the index (unless there already);
    drop older files."""
    if _load(folder, searcher) is None:
        return AliasTable.build(searcher).save(folder, searcher)
    drop_older(folder, PREFIX, searcher)
    return derived_path(folder, PREFIX, searcher)
