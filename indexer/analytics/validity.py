"""Whether a document is still in force, from what later documents say of it.

The statements documents make (:mod:`indexer.parse.validity`: 《…》同时废止, a revision history,
关于废止《…》的决定, 本办法有效期至…) are read from the stored records and the documents' legal
header (沿革) once per state of the index; ``minutes index`` writes them beside the index
(``validity-<generation>.json``, like the alias table) and a searcher loads them, or reads them
from its records when the file is missing or of another state. Labels are decided from them
when the table is made (a term of validity lapses with the calendar):

- 已废止 / 已失效: a document that names it (title or number) as repealed or expired, dated no
  earlier than it;
- 已修订: a later revision of the same title (its revision history, 现公布修订后的《…》, 关于修改《…》的决定);
- 已失效 also when its own term (有效期至…, 有效期N年) has passed;
- 现行有效: only when a later document confirms it (a 现行有效 list naming it) after any revision;
- 未见废止: nothing said — never 现行有效 by default.

A searcher needs only the labels to open (for the 有效性 facet and the citations it marks): they
are saved apart (``validity_labels-<generation>.json``, a few bytes per labelled document), and
the table with its evidence is read when a page first asks for it.

Every label but 未见废止 carries the evidence that decided it: the document, its date and the
sentence. Only public documents are evidence, so that a label never depends on, or hints at, a
document some reader may not see (docs/security.md).
"""
from __future__ import annotations

import datetime
import json
import re
from collections.abc import Generator
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from ..deadline import Resumable
from ..parse import (
    CONFIRMED,
    EXPIRED,
    REPEALED,
    REVISED,
    SELF,
    TERM,
    Statement,
    normalize_title,
    statements,
    years_after,
)
from ..patterns import ISSUING_NOTICE
from ..search import (
    VALIDITY,
    Facet,
    Hit,
    Tables,
    as_mask,
    derived_path,
    drop_older,
    read_derived,
    write_derived,
)
from ..visibility import PUBLIC

CURRENT, REVISED_LABEL, REPEALED_LABEL, EXPIRED_LABEL, UNKNOWN = "现行有效", "已修订", "已废止", "已失效", "未见废止"
LABELS = (CURRENT, REVISED_LABEL, REPEALED_LABEL, EXPIRED_LABEL, UNKNOWN)
SHOWN = (CURRENT, REVISED_LABEL, REPEALED_LABEL, EXPIRED_LABEL)  # labels resting on evidence
KIND_LABELS = {REPEALED: REPEALED_LABEL, EXPIRED: EXPIRED_LABEL, REVISED: REVISED_LABEL, TERM: EXPIRED_LABEL,
               CONFIRMED: CURRENT}
PREFIX = "validity-"
LABELS_PREFIX = "validity_labels-"  # (not matched by PREFIX's glob: each file keeps its own)
FORMAT = 2  # bump when the statements or the rules change: files of another format are rebuilt (2: keys)
_HISTORY = re.compile(r"^((?:19|20)\d\d)-(\d\d)-(\d\d)\s*(.*)$")


@dataclass(frozen=True)
class Facts:
    """What the table keeps of one document: its name, and what it says."""

    doc_id: str
    title: str
    number: str
    date: str
    issuer: str
    visibility: str
    aliases: tuple[str, ...]
    said: tuple[Statement, ...]
    # The names it goes by (title_keys): computed when the table is built and saved with it, so that
    # opening a searcher does not normalise every title again (60 ms at 10,000 items).
    keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class Evidence:
    """``label`` for a document, because ``sentence`` of the document ``doc_id`` says so (on ``date``)."""

    label: str
    kind: str  # repealed / expired / revised / term / confirmed
    doc_id: str
    doc_title: str
    doc_number: str
    issuer: str
    date: str
    sentence: str
    by: str = ""  # a revision's decision, decree or meeting, as written


@dataclass(frozen=True)
class Validity:
    """A document's label; ``evidence``: what was said of it, oldest first (``decided``: the one
    the label rests on; None for 未见废止). ``until``: the end of a term it gives itself."""

    label: str
    evidence: tuple[Evidence, ...] = ()
    decided: Evidence | None = None
    until: str = ""


NOTHING_SAID = Validity(UNKNOWN)


def title_keys(title: str) -> tuple[str, ...]:
    """The keys a document is named by: its title, and what a 印发 notice issues."""
    keys = [normalize_title(title)]
    issued = ISSUING_NOTICE.search(title)
    if issued:
        keys.append(normalize_title(issued.group(1)))
    return tuple(dict.fromkeys(k for k in keys if k))


@dataclass(frozen=True)
class Labels:
    """What a searcher needs of the table to open: the label of each document that has one other
    than 未见废止, and the earliest end of a term not yet passed when they were decided (``until``:
    from that day on they are stale, and the table decides again)."""

    labels: dict[str, str]
    until: str = ""

    def label(self, doc_id: str) -> str:
        return self.labels.get(doc_id, UNKNOWN)

    def stale(self, today: str | None = None) -> bool:
        return bool(self.until) and (today or datetime.date.today().isoformat()) >= self.until

    def labelled(self, hits: tuple[Hit, ...]) -> tuple[Hit, ...]:
        """Hits with their documents' force, and a citation that says when it is no longer in force."""
        return tuple(replace(h, validity=self.label(h.doc_id), citation=marked(h.citation, self.label(h.doc_id)))
                     for h in hits)

    def facet(self, postings, live: np.ndarray) -> Facet:
        """The 有效性 facet: every live record under its document's label (``live``: a mask)."""
        size = len(live)
        labelled = np.zeros(size, dtype=bool)
        values = sorted(LABELS)
        records, codes = [], []
        for doc_id, label in self.labels.items():
            ids = postings.get("doc_id", doc_id)[0]
            ids = ids[live[ids]]
            labelled[ids] = True
            records.append(ids)
            codes.append(np.full(len(ids), values.index(label), dtype=np.int32))
        rest = np.flatnonzero(live & ~labelled)
        records.append(rest)
        codes.append(np.full(len(rest), values.index(UNKNOWN), dtype=np.int32))
        return Facet.of(values, np.concatenate(records).astype(np.int64), np.concatenate(codes), size)

    @classmethod
    def saved(cls, folder: Path, searcher) -> Labels | None:
        """The labels ``minutes index`` saved for this state of the index, or None when missing, of
        another state, damaged, or stale (a term has ended since): then the table's own."""
        data = read_derived(folder, LABELS_PREFIX, FORMAT, searcher)
        try:
            labels = None if data is None else cls({str(k): str(v) for k, v in data["labels"].items()},
                                                   str(data["until"]))
        except (KeyError, ValueError, TypeError, AttributeError):
            return None  # damaged: read the table instead
        return None if labels is None or labels.stale() or set(labels.labels.values()) - set(LABELS) else labels

    def save(self, folder: Path, searcher) -> Path:
        return write_derived(folder, LABELS_PREFIX, FORMAT, searcher, {"labels": self.labels, "until": self.until})


class ValidityTable:
    """Every document's label and evidence, and what each document says of others."""

    def __init__(self, documents: dict[str, Facts], today: str | None = None):
        self.documents = documents
        self.today = today or datetime.date.today().isoformat()
        self.by_key: dict[str, list[str]] = {}
        self.by_number: dict[str, str] = {}
        for f in documents.values():
            for key in f.keys or title_keys(f.title):
                self.by_key.setdefault(key, []).append(f.doc_id)
            for number in (f.number, *f.aliases):
                if number:
                    self.by_number.setdefault(number, f.doc_id)
        found: dict[str, list[Evidence]] = {}
        self.spoken: dict[str, list[tuple[Statement, tuple[str, ...]]]] = {}  # speaker → (statement, targets)
        self._until: dict[str, str] = {}
        for speaker in documents.values():
            for st in speaker.said:
                targets = self._targets(speaker, st)
                self.spoken.setdefault(speaker.doc_id, []).append((st, targets))
                if speaker.visibility != PUBLIC:
                    continue  # a label never rests on what some reader may not see
                for target in targets:
                    evidence = self._evidence(speaker, st, target)
                    if evidence is not None:
                        found.setdefault(target, []).append(evidence)
        self.status = {doc_id: self._decide(doc_id, sorted(ev, key=lambda e: e.date))
                       for doc_id, ev in found.items()}

    def _targets(self, speaker: Facts, st: Statement) -> tuple[str, ...]:
        """The documents a statement speaks of (the speaker itself for its own history and term;
        for a revision, every other document of the title revised)."""
        if st.kind == TERM:
            return (speaker.doc_id,)
        named = set(self.by_key.get(st.target, ())) if st.target else set()
        if st.number and st.number in self.by_number:
            named.add(self.by_number[st.number])
        if st.kind == REVISED:
            own = set(speaker.keys or title_keys(speaker.title))
            keys = own if st.target == SELF or st.target in own else {st.target}
            named = {d for k in keys for d in self.by_key.get(k, ())}
        named.discard(speaker.doc_id)  # what it says of itself is its own history
        return tuple(sorted(named))

    def _evidence(self, speaker: Facts, st: Statement, target: str) -> Evidence | None:
        when = st.date or speaker.date
        doc = self.documents[target]
        if st.kind == TERM:
            start = st.date or speaker.date
            until = st.date if not st.by else (years_after(start, int(st.by[:-1])) if start else "")
            if not until:
                return None
            self._until[target] = until
            if until >= self.today:
                return None  # in its term: no label of its own (未见废止 unless something else says)
            when = until
        elif doc.date and when and doc.date > when:
            return None  # it is later than what speaks of it: another document of the same name
        elif st.kind == REVISED and doc.date and when and doc.date == when:
            return None  # the revised text itself, not what it revised
        return Evidence(KIND_LABELS[st.kind], st.kind, speaker.doc_id, speaker.title, speaker.number,
                        speaker.issuer, when, st.sentence, st.by)

    def _decide(self, doc_id: str, evidence: list[Evidence]) -> Validity:
        until = self._until.get(doc_id, "")
        ended = [e for e in evidence if e.label in (REPEALED_LABEL, EXPIRED_LABEL)]
        revised = [e for e in evidence if e.label == REVISED_LABEL]
        confirmed = [e for e in evidence if e.label == CURRENT and all(e.date >= r.date for r in revised)]
        if ended:
            decided = ended[0]  # the first that ended it
        elif confirmed:
            decided = confirmed[-1]
        elif revised:
            decided = revised[-1]  # the latest revision
        else:
            return Validity(UNKNOWN, tuple(evidence), None, until)
        return Validity(decided.label, tuple(evidence), decided, until)

    def validity(self, doc_id: str) -> Validity:
        status = self.status.get(doc_id)
        if status is None:
            until = self._until.get(doc_id, "")
            return Validity(UNKNOWN, until=until) if until else NOTHING_SAID
        return status

    def label(self, doc_id: str) -> str:
        return self.validity(doc_id).label

    @property
    def labels(self) -> Labels:
        """The labels alone (see :class:`Labels`)."""
        ahead = [u for u in self._until.values() if u >= self.today]
        return Labels({d: v.label for d, v in self.status.items() if v.label != UNKNOWN}, min(ahead, default=""))

    def said_by(self, doc_id: str) -> tuple[tuple[Statement, tuple[str, ...]], ...]:
        """What a document says of the force of documents, with the indexed documents each names."""
        return tuple(self.spoken.get(doc_id, ()))

    # --- saved at commit -----------------------------------------------------------------
    @classmethod
    def steps(cls, searcher) -> Generator[None, None, ValidityTable]:
        """The table read from the stored records, yielding after each."""
        heads: dict[str, dict] = {}
        said: dict[str, dict[Statement, None]] = {}
        for stored in searcher.all_stored_fields():
            doc_id = stored.get("doc_id", "")
            if not doc_id:
                continue
            head = heads.setdefault(doc_id, {"title": stored.get("doc_title", ""), "number": stored.get("doc_number", ""),
                                             "date": stored.get("date", ""), "issuer": stored.get("issuer", ""),
                                             "visibility": stored.get("visibility", ""), "aliases": ()})
            found = said.setdefault(doc_id, {})
            if "doc_meta" in stored:  # the document's own fields: its number's spellings, preamble and header
                meta = json.loads(stored["doc_meta"])
                head["aliases"] = tuple(meta.get("number_aliases", ()))
                for st in statements(head["title"], meta.get("preamble", "")):
                    found.setdefault(st)
                for label, value in meta.get("metadata", ()):
                    for st in _history(head["title"], label, value):
                        found.setdefault(st)
            if stored.get("part") != "preamble":  # (the preamble is read from doc_meta)
                for st in statements(head["title"], stored.get("body", "")):
                    found.setdefault(st)
            yield
        return cls({doc_id: Facts(doc_id, h["title"], h["number"], h["date"], h["issuer"], h["visibility"],
                                  h["aliases"], tuple(said[doc_id]), title_keys(h["title"]))
                    for doc_id, h in heads.items()})

    @classmethod
    def build(cls, searcher) -> ValidityTable:
        return Resumable(lambda: cls.steps(searcher)).result()

    @classmethod
    def saved(cls, folder: Path, searcher) -> ValidityTable | None:
        data = read_derived(folder, PREFIX, FORMAT, searcher)
        try:
            return None if data is None else cls({
                d[0]: Facts(d[0], d[1], d[2], d[3], d[4], d[5], tuple(d[6]), tuple(Statement(*s) for s in d[7]),
                            tuple(d[8]))
                for d in data["documents"]})
        except (KeyError, ValueError, TypeError, IndexError):
            return None  # damaged: build instead

    def save(self, folder: Path, searcher) -> Path:
        return write_derived(folder, PREFIX, FORMAT, searcher, {"documents": [
            [f.doc_id, f.title, f.number, f.date, f.issuer, f.visibility, list(f.aliases),
             [[s.kind, s.target, s.number, s.sentence, s.start, s.date, s.by] for s in f.said], list(f.keys)]
            for f in self.documents.values()]})


def _history(title: str, label: str, value: str) -> tuple[Statement, ...]:
    """A legal header's 沿革 line (2007-12-14 《国务院关于修改〈…〉的决定》第二次修订) as statements."""
    m = _HISTORY.match(value.strip())
    if label != "沿革" or not m:
        return ()
    line = f"{int(m.group(1))}年{int(m.group(2))}月{int(m.group(3))}日 {m.group(4)}"
    # (the sentence as the header printed it: the reader wrote its date as ISO)
    return tuple(Statement(s.kind, s.target, s.number, line.strip(), -1, s.date, s.by)
                 for s in statements(title, line) if s.kind == REVISED)


def with_validity(tables: Tables, labels: Labels, postings) -> Tables:
    """``tables`` with the 有效性 facet beside the index fields' facets."""
    facets = tables.facets
    facet = labels.facet(postings, as_mask(facets.live, facets.size))
    return replace(tables, facets=replace(facets, facets={**facets.facets, VALIDITY: facet}))


MARKED = (REPEALED_LABEL, EXPIRED_LABEL, REVISED_LABEL)  # labels a citation carries


def marked(citation: str, label: str) -> str:
    """A citation that says the document is no longer in force as cited: 《…》（国发〔2016〕82号）（已废止）."""
    return f"{citation}（{label}）" if label in MARKED else citation


def load_validity(folder: Path | None, searcher) -> ValidityTable:
    """The table ``minutes index`` saved for this state of the index, else read from its records."""
    saved = ValidityTable.saved(folder, searcher) if folder is not None else None
    return saved if saved is not None else ValidityTable.build(searcher)


def save_validity(folder: Path, searcher) -> Path:
    """Write the table and its labels for the searcher's state of the index (unless there
    already); drop older files."""
    table = ValidityTable.saved(folder, searcher)
    if table is None:
        table = ValidityTable.build(searcher)
        path = table.save(folder, searcher)
    else:
        drop_older(folder, PREFIX, searcher)
        path = derived_path(folder, PREFIX, searcher)
    if Labels.saved(folder, searcher) is None:
        table.labels.save(folder, searcher)
    else:
        drop_older(folder, LABELS_PREFIX, searcher)
    return path
