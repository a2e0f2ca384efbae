"""Building and updating the index from files.

Every file is parsed on its own: a file that fails is reported with its reason
and the rest of the batch is still indexed. A document's item records are
replaced together in one writer commit, never half.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from whoosh import index as whoosh_index

from .. import settings
from ..analytics import save_crossrefs, save_validity
from ..errors import IndexOutdated, MinutesError, SourcesMissing
from ..model import Document, FileFailure, IndexReport, Moved
from ..read import ocr
from ..search import Tables, save_aliases, save_vocabulary
from ..store import (
    Location,
    Postings,
    cache_dir,
    clear_scratch,
    crash_point,
    create_index,
    document_records,
    index_location,
    index_state,
    lifecycle,
    live_dir,
    open_writer,
    record_rules,
    recorded_rules,
    scratch_dir,
    segmenter,
    swap_in,
    use_cache_folder,
    use_fast_segmenter,
    write_missing_flats,
    writer_lock,
)
from ..visibility import RULES_FILE, Classified, Rules, decide
from .documents import OCR_CACHE, PARALLEL_PARSE_MIN, collect_files, parse_all
from .sources import (
    LEGACY_ROOT,
    Found,
    Indexed,
    Plan,
    Roots,
    indexed_documents,
    lost,
    plan,
    triage,
)

# Files: an update commits at least this often, so an interrupted run loses no more. Each commit
# leaves its own segments (two with --procs 2), and a search pays per segment: 1,248 files in
# commits of 500 gave 6 segments and a first-time p95 of 32 ms against 18 ms with one or two
# (311 queries, 10,000 items); merging them afterwards took 115 s, more than the indexing. At
# about 10 files/s, 5,000 files is under ten minutes of work to lose, and a city's archive is a
# few segments.
COMMIT_EVERY = settings.default("COMMIT_EVERY")  # 5000
COMMIT_EVERY_ENV = settings.setting("COMMIT_EVERY").variable  # sets it for a process (tests use small batches)


def commit_every() -> int:
    """How many parsed files an update (or a first build) commits at a time, read when a run
    starts: ``$MINUTES_COMMIT_EVERY`` if set, else :data:`COMMIT_EVERY`. A run killed or
    interrupted half-way keeps what it committed; the next run finds those files unchanged
    and reads only the rest. (A ``--rebuild`` is one commit: it is swapped in whole.)"""
    return max(1, settings.value("COMMIT_EVERY"))


def index_paths(
    paths: Iterable[str | Path],
    index_dir: str | Path | None = None,
    *,
    rebuild: bool = False,
    prune: bool = False,
    if_needed: bool = False,
    procs: int = 1,
    on_file: Callable[[Path], None] | None = None,
    on_plan: Callable[[int], None] | None = None,
    lock_timeout: float | None = None,
    fast_segmenter: bool = True,
) -> IndexReport:
    """Index files and folders; unchanged files (same place, same content hash) are skipped,
    copies of indexed files are reported and left alone, and a source folder that moved is
    re-linked (see :mod:`indexer.ingest.sources`). Without ``paths``, the recorded sources are read.

    ``rebuild`` builds a fresh index from every recorded source plus ``paths`` and swaps
    it in atomically; it refuses (:class:`SourcesMissing`, nothing changed) when documents
    of the index could not be read again, unless ``prune``. ``prune`` also drops documents
    whose file is gone. ``if_needed`` does nothing when a current index exists, builds a
    missing one and rebuilds an outdated one (the same rule). ``procs`` > 1 parses and
    analyses in that many processes (see :data:`PARALLEL_PARSE_MIN`). ``on_plan`` is told how many files
    will be looked at, ``on_file`` each one. An update or a first build commits every
    :func:`commit_every` files, so a run stopped half-way is resumed by the next one. ``lock_timeout``: seconds to wait for
    another writer (default ``lifecycle.WRITER_TIMEOUT_S``). ``fast_segmenter``: load rjieba (about a
    second and 60 MB) to segment faster; a web worker adding a few uploaded files does without.
    """
    index_dir = index_location(index_dir)
    paths = list(paths)
    use_cache_folder(cache_dir(index_dir))  # before anything builds the segmenter
    ocr.use_cache(cache_dir(index_dir) / OCR_CACHE)  # a rebuild does not read scans again
    if fast_segmenter:
        use_fast_segmenter()  # every text is segmented: worth the second it takes to load
    with writer_lock(index_dir, lock_timeout):
        clear_scratch(index_dir)
        rules = Rules.load(index_dir)  # a malformed file stops the run before anything changes
        state = index_state(index_dir)
        rules_changed = state == "current" and recorded_rules(live_dir(index_dir)) != rules.fingerprint
        if if_needed and state == "current" and not rules_changed:
            return IndexReport(indexed=(), unchanged=(), failed=(), skipped=True)
        if state not in ("current", "missing") and not (rebuild or if_needed):
            raise IndexOutdated(str(index_dir), state)
        run = _Run(index_dir, prune, procs, on_file, on_plan, lock_timeout, rules)
        if state == "missing":
            if not paths:
                raise MinutesError(f"no index at {index_dir} yet: name the files or folders to index")
            live = live_dir(index_dir)
            return run.apply(create_index(live), live, Roots(), {}, paths, fresh=True)
        if rebuild or state != "current":
            return run.rebuild(paths)
        live = live_dir(index_dir)
        ix = whoosh_index.open_dir(str(live))
        with ix.searcher() as searcher:
            known, records = indexed_documents(searcher)
            stale = _stale_labels(searcher, rules) if rules_changed else {}
        roots = Roots.load(live)
        if if_needed:
            paths = []  # the index is current but for its labels: re-decide them, nothing else
        elif not paths:
            paths = _recorded_paths(roots, known)
            if not paths:
                raise MinutesError(f"the index at {index_dir} records no sources: name the files or folders to index")
        run.redo = set(stale)
        paths = [*paths, *(roots.file(location) for location in stale if roots.file(location).is_file())]
        report = run.apply(ix, live, roots, known, paths)
        unread = tuple(  # their label cannot be decided again without their file
            FileFailure(str(roots.file(location)), f"its visibility is not decided again ({RULES_FILE} changed): "
                                                   "the file is gone; restore it, or index with --prune")
            for location in stale if not roots.file(location).is_file() and not prune)
        return replace(report, failed=(*report.failed, *unread), was_documents=len(known), was_records=records)


MAX_LISTED = 10  # files named in an error message


def _stale_labels(searcher, rules: Rules) -> dict[Location, str]:
    """The documents whose label or reason the rules decide otherwise now, by place: their
    files are read again (an index of another version's labels, or the visibility file changed)."""
    stale = {}
    for stored in searcher.all_stored_fields():
        if "doc_meta" not in stored:
            continue  # one record per document holds its fields
        meta = json.loads(stored["doc_meta"])
        location = Location(stored.get("root", LEGACY_ROOT), stored["source"])
        want = rules.decide(location.path, meta.get("public", ""))
        if (want.visibility, want.reason) != (meta.get("visibility"), meta.get("visibility_reason")):
            stale[location] = stored["doc_id"]
    return stale


def _recorded_paths(roots: Roots, known: dict[str, Indexed]) -> list[Path]:
    """What a run without paths reads: the roots documents come from, and the files of an
    older index (which recorded no roots), those that still exist."""
    used = {doc.location.root for doc in known.values()}
    paths = [roots.path(r) for r in roots.ids() if r in used and roots.path(r).exists()]
    paths += sorted(roots.file(d.location) for d in known.values()
                    if d.location.root == LEGACY_ROOT and roots.file(d.location).exists())
    return paths


class _Run:
    """One ``minutes index`` run under the writer lock."""

    def __init__(self, index_dir: Path, prune: bool, procs: int, on_file, on_plan, lock_timeout: float | None,
                 rules: Rules):
        self.index_dir, self.prune, self.procs, self.rules = index_dir, prune, procs, rules
        self.redo: set[Location] = set()  # unchanged files whose label is decided again
        self.on_file, self.on_plan = on_file or (lambda path: None), on_plan or (lambda n: None)
        self.lock_timeout = lifecycle.WRITER_TIMEOUT_S if lock_timeout is None else lock_timeout

    def rebuild(self, paths: list) -> IndexReport:
        """A fresh index of every recorded source plus ``paths``, swapped in only when
        no document of the old one is lost (or ``prune`` allows it)."""
        live = live_dir(self.index_dir)
        data = live if live.exists() else self.index_dir  # an older version's layout
        try:
            ix = whoosh_index.open_dir(str(data))
            with ix.searcher() as searcher:
                known, records = indexed_documents(searcher)
            ix.close()
        except Exception as e:  # noqa: BLE001 - an index of another version may fail in any way (its schema is a pickle)
            if not self.prune:
                raise MinutesError(
                    f"not rebuilt: cannot read which files the index at {self.index_dir} holds ({type(e).__name__}: "
                    f"{e}); add --prune to replace it with an index of the paths given only") from None
            known, records = {}, 0
        roots = Roots.load(data)
        found = plan([*paths, *_recorded_paths(roots, known)], roots, known, collect_files)
        missing = lost(known, roots, {f.path for f in found.files}, {f.digest for f in found.files})
        if missing and not self.prune:
            raise SourcesMissing(self._missing_message(known, roots, missing, {}))
        if not found.files and not found.missing:
            raise MinutesError(f"nothing to index: the index at {self.index_dir} records no sources that exist; "
                               "name the files or folders to index")
        scratch = scratch_dir(self.index_dir)
        report = self.apply(create_index(scratch), scratch, roots, {}, (), fresh=True, planned=found)
        failures = {f.path: f.reason for f in report.failed}
        kept = {Path(p) for p in (*report.indexed, *(c.path for c in report.copies))}  # their content is in it
        dropped = lost(known, roots, kept, {f.digest for f in found.files if f.path in kept})
        if dropped and not self.prune:
            clear_scratch(self.index_dir)
            raise SourcesMissing(self._missing_message(known, roots, dropped, failures))
        crash_point("swap")
        swap_in(scratch, self.index_dir)
        return replace(report, rebuilt=True, pruned=tuple(str(path) for _, path in dropped),
                       was_documents=len(known), was_records=records)

    def _missing_message(self, known, roots: Roots, lost_docs, failures: dict[str, str]) -> str:
        lines = [f"  {path} ({'failed: ' + failures[str(path)] if str(path) in failures else 'gone'})"
                 for _, path in lost_docs[:MAX_LISTED]]
        if len(lost_docs) > MAX_LISTED:
            lines.append(f"  … and {len(lost_docs) - MAX_LISTED} more")
        used = {doc.location.root for doc, _ in lost_docs}
        folders = [str(roots.path(r)) for r in roots.ids() if r in used and not roots.path(r).exists()]
        where = f" (source folder missing: {', '.join(folders)})" if folders else ""
        return (f"not rebuilt: {len(lost_docs)} of the {len(known)} documents in the index at {self.index_dir} "
                f"could not be read again{where}:\n" + "\n".join(lines) + "\n"
                f"Restore them, index their new place (minutes index NEWPATH --index {self.index_dir}), or add "
                "--prune to rebuild without them. The index is unchanged.")

    def apply(self, ix, data: Path, roots: Roots, known: dict[str, Indexed], paths, *, fresh: bool = False,
              planned: Plan | None = None) -> IndexReport:
        """Bring the index in ``data`` up to date with ``paths``."""
        before = roots.copy()
        found = planned or plan(paths, roots, known, collect_files)
        self.on_plan(len(found.files))
        sorted_ = triage(found.files, roots, known)
        if self.redo:  # unchanged bytes, but the visibility file decides their label otherwise now
            sorted_.todo += [f for f in sorted_.unchanged if f.location in self.redo]
            sorted_.unchanged = [f for f in sorted_.unchanged if f.location not in self.redo]
        copied = {c.path for c in sorted_.copies}
        for f in (*sorted_.unchanged, *(f for f in found.files if str(f.path) in copied)):
            self.on_file(f.path)  # not parsed
        failed = list(found.missing)
        place = {doc.doc_id: doc.location for doc in known.values()}  # what the index will hold
        by_place = {doc.location: doc.doc_id for doc in known.values()}
        docs: list[tuple[Document, Found]] = []
        refused: list[Indexed] = []  # documents whose file is now marked classified
        roots_changed = roots != before
        if roots_changed or fresh:
            roots.save(data)  # before any commit: every root a committed record names is recorded
        self.to_add, self.added, committed = len(sorted_.todo), 0, 0
        every = None if planned is not None else commit_every()  # a rebuild is swapped in whole
        for f, parsed in zip(sorted_.todo, parse_all([f.path for f in sorted_.todo], self.procs)):
            if every and len(docs) - committed >= every:
                # Commit what is parsed: a run stopped later (Ctrl-C, kill) resumes after it,
                # since the next run finds these files unchanged. Each document is whole in one commit.
                self._write(ix, docs[committed:], [], fresh)
                committed = len(docs)
                if committed >= (self.to_add + 1) // 2:
                    crash_point("batch")  # test-only: killed after a commit, half the run's files in
            self.on_file(f.path)
            if isinstance(parsed, FileFailure):
                failed.append(parsed)
                continue
            try:
                doc = decide(replace(parsed, source=f.location.path), f.location.path, self.rules)
            except Classified as e:
                failed.append(FileFailure(str(f.path), e.reason))
                if f.location in by_place:  # an earlier version of it is indexed: it goes too
                    refused.append(known[by_place.pop(f.location)])
                    place.pop(refused[-1].doc_id, None)
                continue
            owner = place.get(doc.id)
            if owner and owner != f.location and f.location not in sorted_.moved_from and roots.file(owner).exists():
                failed.append(FileFailure(str(f.path), f"duplicate document: {doc.doc_number or 'same text'} "
                                                       f"is already indexed from {roots.file(owner)}"))
                continue
            if f.location in by_place:
                place.pop(by_place.pop(f.location), None)  # the file's previous document
            place[doc.id] = f.location
            docs.append((doc, f))
        gone = [doc for doc in known.values() if self.prune and doc.doc_id in place
                and place[doc.doc_id] == doc.location and not roots.file(doc.location).exists()]
        for doc in (*gone, *sorted_.dropped):
            place.pop(doc.doc_id, None)
        removed = [*gone, *sorted_.dropped, *refused]
        if docs[committed:] or removed:
            self._write(ix, docs[committed:], removed, fresh)
        if docs or removed:
            crash_point("tables")
        _write_tables(ix)
        segmenter.keep_word_table()
        records = ix.doc_count()
        ix.close()
        moved = tuple(Moved(str(roots.file(sorted_.moved_from[f.location].location)), str(f.path))
                      for _, f in docs if f.location in sorted_.moved_from)
        pruned = tuple(str(roots.file(doc.location)) for doc in gone)
        redone = {f.location for _, f in docs} | {doc.location for doc in (*gone, *refused)}
        if recorded_rules(data) != self.rules.fingerprint and self.redo <= redone:
            record_rules(data, self.rules.fingerprint)  # every label agrees with the rules (else the next run checks again)
        used = {location.root for location in place.values()}
        if set(roots.ids()) - used:
            roots.keep_only(used)  # after the commit: until then the old records name them
            roots.save(data)
        return IndexReport(
            indexed=tuple(str(f.path) for _, f in docs), unchanged=tuple(str(f.path) for f in sorted_.unchanged),
            failed=tuple(failed), pruned=pruned,
            copies=tuple(sorted_.copies), moved=moved, relinked=tuple(found.relinked),
            documents=len(place), records=records,
        )

    def _write(self, ix, docs: list[tuple[Document, Found]], removed: list[Indexed], fresh: bool) -> None:
        # In processes, each writing a segment of its own; for an update too when it is large.
        parallel = self.procs > 1 and (fresh or len(docs) >= PARALLEL_PARSE_MIN)
        _arm_toc_crash(ix)
        writer = open_writer(ix, self.index_dir, self.lock_timeout, self.procs if parallel else 1)
        with writer:
            for doc in removed:
                writer.delete_by_term("file", doc.location.key)
                writer.delete_by_term("doc_id", doc.doc_id)
            for doc, f in docs:
                if not fresh:
                    writer.delete_by_term("file", f.location.key)
                    writer.delete_by_term("doc_id", doc.id)
                for record in document_records(doc, f.location):
                    writer.add_document(**record)
                self.added += 1
                if self.added == (self.to_add + 1) // 2:  # more than half of the run's documents
                    crash_point("add")
            crash_point("commit")


def _arm_toc_crash(ix) -> None:
    """Test-only (see :func:`indexer.store.lifecycle.crash_point`): the ``toc`` stage lies inside
    Whoosh's commit, where it writes the new table of contents."""
    if settings.value("TEST_CRASH_AT") != "toc":
        return
    storage = ix.storage
    create_file = storage.create_file

    def create(name, *args, **kwargs):
        if ".toc" in name:
            crash_point("toc")
        return create_file(name, *args, **kwargs)

    storage.create_file = create


def _write_tables(ix) -> None:
    """The derived files of the committed state, so web workers map or load them instead
    of building them: each segment's flat postings, where missing (see :mod:`indexer.store.flat`;
    segments written here have them already), then the facet table and date orders
    (see :mod:`indexer.search.tables`), the vocabulary of suggestions (see :mod:`indexer.search.suggest`), the
    short names the documents define (see :mod:`indexer.search.aliases`), the cross-references (see :mod:`indexer.analytics.crossrefs`)
    and what documents say of each other's force (see :mod:`indexer.analytics.validity`)."""
    with ix.searcher() as searcher:
        write_missing_flats(searcher)
    with ix.searcher() as searcher:
        folder = Path(ix.storage.folder)
        if Tables.load(folder, searcher) is None:
            Tables.build(Postings(searcher)).save(folder, searcher)
        save_vocabulary(folder, searcher)
        save_aliases(folder, searcher)
        save_crossrefs(folder, searcher)
        save_validity(folder, searcher)


