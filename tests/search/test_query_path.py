"""The query path answers what Whoosh's own matching and scoring answer (issue 14).

Whatever the search page reads its posting lists, positions and field lengths
from, the answers must not change. Checked here on one real index as it lives:
built fresh, updated (files changed and added: new segments, deleted records),
pruned (files removed, a file that now holds another document), and rebuilt and
swapped in. In each state, a new :class:`indexer.SearchIndex` and one opened in
the fresh state (which must notice every change) answer queries of twelve
classes, drawn with a fixed seed from that state's own vocabulary: 25 of every
class in each state, 100 of every class in all (``MINUTES_QUERY_PATH_PER_STATE=100``
asks 100 in each state, some minutes). Each answer is compared with Whoosh's:

- **matched records** (after the request's filters; the relaxed query when
  nothing has every word) equal those of the same parsed query tree, each leaf
  (term, phrase of words or bigrams, range, prefix) as ``searcher.docs_for_query``
  finds it among the live records, And, Or and AndNot as set operations. Two
  leaves mean what Whoosh cannot express, and a brute-force oracle over the stored
  text answers them: a :class:`~indexer.search.query.QuotedPhrase` matches where its
  characters run together in the record's title or text once everything but CJK
  characters, Latin words and numbers is set aside (a Latin word or number whole,
  never across a blank line); a :class:`~indexer.search.query.CharRun` where its tokens
  stand side by side in the bigram field of the re-analysed stored text with no
  mark of the joins field inside (the definition in :mod:`indexer.search.matching`,
  applied to the text instead of the index);
- **totals** and the **relaxed** flag;
- **facet counts**, counted here from the stored facet fields of those records;
- **scores and their order**: every matched record's BM25F score for the scoring
  query (:func:`indexer.search.query.scoring_query`), best first and equal scores in
  document-number order, equal ``searcher.search(scoring, filter=matches,
  limit=None)`` (as :mod:`tests.search.test_scoring` checks the scorer alone). Not a
  limited search: Whoosh's block-quality skipping then drops some of the true
  best records;
- **page one**: the hits and their scores equal the page the ranking rules of
  :meth:`indexer.SearchIndex._by_relevance` make from Whoosh's scores (pinned
  records, then those of a year the query names, then the rest; each tier's best
  by score, reranked by the proximity bonus, times the factors of coverage and of a
  named department leading the work, equal scores newest first, matches
  the scoring query leaves out newest first after them), or the date order for
  ``newest``/``oldest`` and the empty query, computed from the stored dates.

Only :func:`observe` reads the search index's internals (the full matched set
and the scorer's order, which a page does not show).
"""
from __future__ import annotations

import random
import re
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from whoosh import query as wq

import indexer
from indexer.parse import gazetteer
from indexer.store.analysis import bigram_analyzer, join_analyzer, words
from indexer.store.segmenter import fold
from indexer.search.facets import FACET_LIMIT
from indexer.store.index import open_whoosh_index
from indexer.patterns import CJK
from indexer.search.query import CharRun, QuotedPhrase, parse_query
from indexer.search.evaluation import MANY_CONCEPTS, should_match
from indexer.search.ranking import PREFERRED, coordination, proximity_bonus, scoring_query
from indexer.store.schema import FACET_FIELDS
from indexer.search.ranking import RERANK_EXTRA

from ..conftest import CORPUS
from ..corpus_gen import VariedMinutes

pytestmark = pytest.mark.slow  # four index states of a generated corpus, each against Whoosh (a minute)
STATES = ("fresh", "updated", "pruned", "rebuilt")
CLASSES = ("word", "and", "or", "not", "phrase", "field", "filter", "number", "latin", "rare", "missing", "empty")
# Queries of each class in each state: 25 × 4 states = 100 of every class by default (about a
# minute in all); MINUTES_QUERY_PATH_PER_STATE=100 asks 100 of every class in every state.
PER_STATE = indexer.setting_value("QUERY_PATH_PER_STATE")
PAGE_SIZE = 10
FIRST, COUNT = 101, 80  # the generated documents of the fresh index: 〔year〕101号 …


# --- the brute-force oracle for what Whoosh cannot express ----------------------------------

_UNIT = re.compile(rf"[{CJK}]|[a-z0-9]+(?:[.\-_][a-z0-9]+)*")  # a CJK character; a Latin word or number
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def units(text: str) -> list[str]:
    """The text's CJK characters, Latin words and numbers, in order (folded, lower-cased)."""
    return _UNIT.findall(fold(text).lower())


def unit_key(found: list[str]) -> str:
    return "\x1f" + "\x1f".join(found) + "\x1f"


def phrase_units(places: list[str]) -> list[str]:
    """A quoted phrase's characters and Latin tokens from its places in the bigram
    numbering: overlapping CJK bigrams share a character."""
    out, bigram_before = [], False
    for place in places:
        cjk = bool(re.match(rf"[{CJK}]", place))
        if cjk and len(place) == 2:
            out += [place[1]] if bigram_before else [place[0], place[1]]
        else:
            out.append(place)
        bigram_before = cjk and len(place) == 2
    return out


# --- one state of the index, as Whoosh sees it -----------------------------------------------

def facet_values(stored: dict, name: str) -> frozenset[str]:
    """A record's values of a facet: comma-separated fields split, empty values dropped."""
    raw = stored.get(name, "") or ""
    return frozenset(v.strip() for v in str(raw).split(",") if v.strip())


@dataclass(frozen=True)
class Answer:
    """What a request gets, as plain values to compare."""

    matched: frozenset[str]  # record ids, after the filters
    total: int
    relaxed: bool
    facets: dict[str, tuple[tuple[str, int, bool], ...]]
    scored: tuple[tuple[str, float], ...]  # every match the scoring query scores, best first
    page: tuple[tuple[str, float], ...]  # page one: record id, score (0 when sorted by date)


class Oracle:
    """An index state through Whoosh's own searcher, plus the stored text."""

    def __init__(self, index_dir: Path):
        self.ix = open_whoosh_index(index_dir)
        self.searcher = self.ix.searcher()
        reader = self.searcher.reader()
        self.live = frozenset(reader.all_doc_ids())
        self.stored = {d: reader.stored_fields(d) for d in sorted(self.live)}
        self.facets = {d: {name: facet_values(f, name) for name in FACET_FIELDS} for d, f in self.stored.items()}
        # What a quoted phrase is looked for in: the title, and each stretch of the text between blank lines.
        self.segments = ["\x1e".join(unit_key(units(part))
                                     for part in (f["doc_title"], *_BLANK_LINE.split(fold(f.get("body", "")))))
                         for f in self.stored.values()]
        self.docnums = list(self.stored)
        self.by_id = {f["id"]: d for d, f in self.stored.items()}
        self._tokens: dict[int, tuple[dict[int, str], np.ndarray]] = {}
        self._answers: dict = {}
        self._leaves: dict = {}

    def close(self) -> None:
        self.searcher.close()
        self.ix.close()

    def rid(self, docnum: int) -> str:
        return self.stored[docnum]["id"]

    # matching

    def match(self, q: wq.Query) -> frozenset[int]:
        """The live records ``q`` matches: each leaf of the tree (a term, a phrase, a range, a
        prefix) as Whoosh's own matcher finds it, QuotedPhrase and CharRun as the oracle
        finds them; And, Or and AndNot as set operations."""
        if isinstance(q, wq.And):
            return frozenset.intersection(*(self.match(c) for c in q.subqueries)) if q.subqueries else self.live
        if isinstance(q, wq.Or):
            return frozenset().union(*(self.match(c) for c in q.subqueries))
        if isinstance(q, wq.AndNot):
            return self.match(q.a) - self.match(q.b)
        if isinstance(q, wq.ConstantScoreQuery):
            return self.match(q.child)
        key = (type(q), q)
        if key not in self._leaves:
            if isinstance(q, QuotedPhrase):
                found = self._quoted(q)
            elif isinstance(q, CharRun):
                found = self._char_run(q)
            else:
                found = self.searcher.docs_for_query(q)
            self._leaves[key] = frozenset(found) & self.live
        return self._leaves[key]

    def _quoted(self, q: QuotedPhrase) -> list[int]:
        key = unit_key(phrase_units(list(q.words)))
        return [d for d, text in zip(self.docnums, self.segments) if key in text]

    def _char_run(self, q: CharRun) -> list[int]:
        words = list(q.words)
        found = []
        for d in self.docnums:
            tokens, marks = self._analysed(d)
            for start, token in tokens.items():
                if token == words[0] and all(tokens.get(start + i) == w for i, w in enumerate(words)):
                    if not np.any((marks > start) & (marks < start + len(words))):
                        found.append(d)
                        break
        return found

    def _analysed(self, docnum: int) -> tuple[dict[int, str], np.ndarray]:
        """The record's bigram field re-analysed from its stored text (position → token),
        and the positions of the joins field's marks."""
        if docnum not in self._tokens:
            f = self.stored[docnum]
            text = f"{f['doc_title']}\n\n{f.get('body', '')}"
            tokens = {t.pos: t.text for t in bigram_analyzer()(text, positions=True)}
            marks = np.array([t.pos for t in join_analyzer()(text, positions=True) if t.text == "|"], dtype=np.int64)
            self._tokens[docnum] = tokens, marks
        return self._tokens[docnum]

    # the answer

    def answer(self, request: indexer.SearchRequest) -> Answer:
        if request not in self._answers:
            self._answers[request] = self._answer(request)
        return self._answers[request]

    def _answer(self, request: indexer.SearchRequest) -> Answer:
        parsed = parse_query(request.q)
        query, relaxed = parsed.query, False
        candidates = self.match(query)
        covers = Counter(d for c in parsed.concepts for d in self.match(c)) \
            if len(parsed.concepts) >= MANY_CONCEPTS else Counter()
        if len(parsed.concepts) >= MANY_CONCEPTS:  # a record may miss one concept of a long query
            candidates = candidates | {d for d, n in covers.items() if n >= should_match(len(parsed.concepts))}
            # ranked by what the record covers, or its document between its records
            doc_of = {d: f["doc_id"] for d, f in self.stored.items()}
            held = Counter(doc for c in parsed.concepts for doc in {doc_of[d] for d in self.match(c)})
            covers = Counter({d: max(covers[d], held[doc_of[d]]) for d in doc_of if held[doc_of[d]] or covers[d]})
        if not candidates and parsed.relaxed is not None:
            query, relaxed = parsed.relaxed, True
            candidates = self.match(query)
        filters = request.filters()
        matched = frozenset(d for d in candidates if self._passes(d, filters))
        facets = {name: self._facet(name, candidates, filters) for name in FACET_FIELDS}
        scoring = scoring_query(query, self.searcher.doc_frequency)
        scored = [(h.docnum, h.score)  # (Whoosh takes an empty filter for none)
                  for h in self.searcher.search(scoring, filter=set(matched), limit=None)] if matched else []
        sort = request.sort if request.sort != "relevance" or not parsed.is_empty else "newest"
        if not matched:
            page = ()
        elif sort == "relevance":
            # a query of several concepts ranks by their scores (a record may miss one); a relaxed
            # query by its own score, and in one level
            ranking = wq.Or(list(parsed.concepts)) if len(parsed.concepts) > 1 and not relaxed else query
            covers = covers if not relaxed else Counter()
            by = [(h.docnum, h.score) for h in self.searcher.search(
                scoring_query(ranking, self.searcher.doc_frequency), filter=set(matched), limit=None)]
            page = tuple(self._by_relevance(parsed, by, matched, PAGE_SIZE, covers))
        else:
            page = tuple((self.rid(d), 0.0) for d in self.by_date(matched, sort)[:PAGE_SIZE])
        return Answer(frozenset(map(self.rid, matched)), len(matched), relaxed, facets,
                      tuple((self.rid(d), s) for d, s in scored), page)

    def _passes(self, docnum: int, filters: dict, skip: str = "") -> bool:
        values = self.facets[docnum]
        return all(values[name] & set(wanted) for name, wanted in filters.items() if name != skip)

    def _facet(self, name: str, candidates, filters: dict) -> tuple[tuple[str, int, bool], ...]:
        """A facet's shown values: counted over the candidates that pass the other facets'
        filters; the FACET_LIMIT most frequent (then by name), and the selected ones."""
        counts = Counter(v for d in candidates if self._passes(d, filters, skip=name) for v in self.facets[d][name])
        selected = filters.get(name, ())
        shown = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:FACET_LIMIT])
        for value in selected:
            shown.setdefault(value, counts.get(value, 0))
        order = sorted(shown, reverse=True) if name == "year" else sorted(shown, key=lambda v: (-shown[v], v))
        return tuple((v, shown[v], v in selected) for v in order)

    def by_date(self, docnums, sort: str) -> list[int]:
        """Undated first, then newest (or oldest) first, then by item number, then document number."""
        found = sorted(docnums, key=lambda d: (self.stored[d]["item_no"], d))
        found.sort(key=lambda d: self.stored[d].get("date", ""), reverse=sort == "newest")
        found.sort(key=lambda d: bool(self.stored[d].get("date", "")))
        return found

    def _by_relevance(self, parsed, scored, matched: frozenset[int], depth: int,
                      covers: Counter) -> list[tuple[str, float]]:
        """Pinned first; then of a year the query names before others; within each, by score times
        the coordination factor of the concepts a record (or its document) covers and the factor
        of a preferred department, each (level, preferred) group's best merged."""
        pinned = self.match(parsed.pinned) & matched if parsed.pinned is not None else frozenset()
        rest = matched - pinned
        preferred = self.match(parsed.preferred) & rest if parsed.preferred is not None else frozenset()
        dated = self.match(parsed.dated) & rest if parsed.dated is not None else frozenset()
        n = len(parsed.concepts) if covers else 0
        levels = [({d for d in rest if covers[d] == k}, coordination(k, n)) for k in range(n, -1, -1)] \
            if covers else [(rest, 1.0)]
        tiers = [[(pinned, 1.0)]] + [[(level & d & p, factor * boost) for level, factor in levels
                                      for p, boost in ((preferred, PREFERRED), (rest - preferred, 1.0))]
                                     for d in (dated, rest - dated)]
        final: list[tuple[str, float]] = []
        for tier in tiers:
            if len(final) < depth:
                final += self._by_score(parsed, scored, tier, depth - len(final))[:depth - len(final)]
        return final[:depth]

    def _by_score(self, parsed, scored, groups, depth: int) -> list[tuple[str, float]]:
        """``scored``: Whoosh's (docnum, score) of every match, best first (a search with the tier
        as its filter gives these restricted to the tier, so one search serves every tier). Each
        group's best (then its unscored matches, newest first) times its factor, merged; the best
        of them reranked by proximity."""
        wanted = depth + RERANK_EXTRA
        merged = []
        for group, factor in groups:
            if not group:
                continue
            top = [(d, s) for d, s in scored if d in group and s > 0][:wanted]
            seen = {d for d, _ in top}
            top += [(d, 0.0) for d in self.by_date(group, "newest") if d not in seen][:wanted - len(top)]
            merged += [(d, s * factor) for d, s in top]
        merged.sort(key=lambda t: -t[1])
        final = [(d, s * proximity_bonus(self.stored[d].get("body", ""), parsed.words)) for d, s in merged[:wanted]]
        final.sort(key=lambda t: self.stored[t[0]].get("date", ""), reverse=True)
        final.sort(key=lambda t: -t[1])
        return [(self.rid(d), s) for d, s in final]


# --- what the search index answers ------------------------------------------------------------

def _docnums(bits, size: int) -> list[int]:
    """A matched set as document numbers, whatever its representation (a Python int
    bitset, a boolean mask, or document numbers)."""
    if isinstance(bits, int):
        mask = np.unpackbits(np.frombuffer(bits.to_bytes((size + 7) // 8 + 1, "little"), dtype=np.uint8),
                             bitorder="little")[:size]
        return np.flatnonzero(mask).tolist()
    array = np.asarray(bits)
    return np.flatnonzero(array).tolist() if array.dtype == bool else sorted(array.tolist())


_IDS: dict[int, tuple[object, dict[int, str]]] = {}


def _record_ids(searcher) -> dict[int, str]:
    """Document number → record id, read once per searcher."""
    held = _IDS.get(id(searcher))
    if held is None or held[0] is not searcher:
        reader = searcher.reader()
        held = _IDS[id(searcher)] = searcher, {d: reader.stored_fields(d)["id"] for d in reader.all_doc_ids()}
    return held[1]


def observe(ix: indexer.SearchIndex, request: indexer.SearchRequest) -> Answer:
    """The search index's answer: the page, total and facets from ``search``; the whole
    matched set and the scorer's order from its internals (the one place that reads them)."""
    result = ix.search(request)
    state, found = ix._evaluate(request, ix.deadline(), None)
    size = state.searcher.doc_count_all()
    docs = _docnums(found.matched, size)
    known = _record_ids(state.searcher)
    ids = {d: known.get(d, f"deleted record {d}") for d in docs}
    scored = ()
    if docs:
        mask = np.zeros(size, dtype=bool)
        mask[docs] = True
        scoring = scoring_query(found.query, state.searcher.doc_frequency)
        scored = tuple((ids[d], s) for d, s in state.snapshot.scorer.top(scoring, mask, len(docs)))
    facets = {name: tuple((v.value, v.count, v.selected) for v in values) for name, values in result.facets.items()}
    page = tuple((h.id, h.score) for h in result.hits)
    return Answer(frozenset(ids.values()), result.total, result.relaxed, facets, scored, page)


def _close(a: float, b: float) -> bool:
    return a == pytest.approx(b, rel=1e-9, abs=1e-12)


def _shown(a: float, b: float) -> bool:
    """A hit's score as shown (four decimals) against the exact one."""
    return abs(a - b) <= 5.01e-5


def differences(expected: Answer, got: Answer) -> list[str]:
    out = []
    if got.matched != expected.matched:
        out.append(f"matched {len(got.matched)}, expected {len(expected.matched)}: "
                   f"extra {sorted(got.matched - expected.matched)[:5]}, missing {sorted(expected.matched - got.matched)[:5]}")
    if got.total != expected.total:
        out.append(f"total {got.total}, expected {expected.total}")
    if got.relaxed != expected.relaxed:
        out.append(f"relaxed {got.relaxed}, expected {expected.relaxed}")
    for name in FACET_FIELDS:
        if got.facets.get(name) != expected.facets[name]:
            out.append(f"facet {name}: {got.facets.get(name)}, expected {expected.facets[name]}")
    if [r for r, _ in got.scored] != [r for r, _ in expected.scored]:
        first = _first_difference(got.scored, expected.scored)
        out.append(f"score order differs at {first} of {len(expected.scored)}: "
                   f"{got.scored[first:first + 3]}, expected {expected.scored[first:first + 3]}")
    else:
        wrong = [(r, s, e) for (r, s), (_, e) in zip(got.scored, expected.scored) if not _close(s, e)]
        if wrong:
            out.append(f"{len(wrong)} scores differ, e.g. (record, got, expected) {wrong[:3]}")
    if [r for r, _ in got.page] != [r for r, _ in expected.page]:
        first = _first_difference(got.page, expected.page)
        out.append(f"page one differs at {first}: {got.page[first:first + 3]}, expected {expected.page[first:first + 3]}")
    elif not all(_shown(s, e) for (_, s), (_, e) in zip(got.page, expected.page)):
        out.append(f"page scores {[s for _, s in got.page]}, expected {[s for _, s in expected.page]}")
    return out


def _first_difference(got, expected) -> int:
    """Where two rankings of (record, score) first name different records."""
    return next((i for i, (a, b) in enumerate(zip(got, expected)) if a[0] != b[0]), min(len(got), len(expected)))


# --- queries, drawn from a state's own vocabulary ---------------------------------------------

_CJK_RUN = re.compile(rf"[{CJK}]+")
_ACROSS = re.compile(rf"[{CJK}]{{1,4}}[，、；：]\s?[{CJK}]{{1,4}}")
_WITH_LATIN = re.compile(rf"[A-Za-z0-9][A-Za-z0-9.%]*[{CJK}]{{1,3}}|[{CJK}]{{1,3}}[A-Za-z0-9][A-Za-z0-9.]*")
_LATIN_ACROSS = re.compile(rf"([A-Za-z0-9][A-Za-z0-9.]*)[，、：；%]+([{CJK}]{{2,3}})|([{CJK}]{{2,3}})[，、：；]([A-Za-z0-9]+)")
_QUOTES = ('"{}"', "“{}”", "「{}」")
_UNKNOWN = ("量子纠缠", "航天发射场", "冰川融化", "火山喷发", "深海探测", "沙漠绿洲", "极光观测", "恐龙化石")


class Queries:
    """Requests of every class for one state, drawn with a fixed seed."""

    def __init__(self, oracle: Oracle, seed: str, unknown: list[str], gone: list[str]):
        self.o = oracle
        self.seed = seed
        reader = oracle.searcher.reader()
        texts = [f"{f['doc_title']}\n{f.get('body', '')}" for f in oracle.stored.values()]
        self.texts = texts
        self.all_text = "\n".join(texts)
        df = {}
        for term in reader.lexicon("body"):
            word = term.decode("utf-8")
            if len(word) >= 2 and _CJK_RUN.fullmatch(word):
                df[word] = reader.doc_frequency("body", word)
        self.df = df
        self.words = sorted(df)
        self.rare_words = [w for w in self.words if df[w] <= 2]
        self.common = [w for w in self.words if df[w] > 30]
        self.unknown = [w for w in (*unknown, *_UNKNOWN) if w not in self.all_text]
        values = {name: sorted({v for f in oracle.facets.values() for v in f[name]}) for name in FACET_FIELDS}
        self.values = values
        self.numbers = sorted({f["doc_number"] for f in oracle.stored.values() if f.get("doc_number")})
        self.sessions = sorted({f["session"] for f in oracle.stored.values() if f.get("session")})
        self.gone = [n for n in gone if n not in self.numbers]

    def make(self, klass: str, count: int) -> list[indexer.SearchRequest]:
        rng = random.Random(f"{self.seed}:{klass}")
        found: list[indexer.SearchRequest] = []
        make = getattr(self, "class_" + klass)
        for _ in range(count * 20):
            if len(found) >= count:
                break
            request = make(rng)
            if request is not None and request not in found:
                found.append(request)
        return found

    # helpers

    def _word(self, rng) -> str:
        return rng.choice(self.words)

    def _stratified(self, rng) -> str:
        bucket = rng.choice(((1, 1), (2, 4), (5, 30), (31, 10**9)))
        pool = [w for w in self.words if bucket[0] <= self.df[w] <= bucket[1]] or self.words
        return rng.choice(pool)

    def _substring(self, rng, low: int = 2, high: int = 4) -> str:
        """A run of CJK characters cut anywhere, so not necessarily jieba's words."""
        while True:
            runs = [r for r in _CJK_RUN.findall(rng.choice(self.texts)) if len(r) >= low]
            if runs:
                run = rng.choice(runs)
                n = rng.randint(low, min(high, len(run)))
                start = rng.randint(0, len(run) - n)
                return run[start:start + n]

    def _record_words(self, rng, k: int) -> list[str]:
        """``k`` distinct words of one record (so that AND finds something)."""
        text = rng.choice(self.texts)
        present = [w for w in words(text) if w in self.df]
        present = sorted(set(present))
        return rng.sample(present, k) if len(present) >= k else [self._word(rng) for _ in range(k)]

    def _request(self, q: str, **kw) -> indexer.SearchRequest:
        return indexer.SearchRequest(q=q, size=PAGE_SIZE, **kw)

    def _dept_name(self, rng) -> str:
        dept = rng.choice(self.values["dept"])
        aliases = [a for d in gazetteer.departments() if d.name == dept for a in d.aliases]
        return rng.choice(aliases) if aliases and rng.random() < 0.4 else dept

    # classes

    def class_word(self, rng):
        return self._request(self._stratified(rng) if rng.random() < 0.6 else self._substring(rng))

    def class_and(self, rng):
        k = rng.choice((2, 2, 3))
        picked = self._record_words(rng, k) if rng.random() < 0.6 else [self._stratified(rng) for _ in range(k)]
        return self._request(" ".join(picked))

    def class_or(self, rng):
        a, b, c = (self._stratified(rng) for _ in range(3))
        form = rng.choice(("{a} OR {b}", "{a} 或 {b}", "{a} {b} OR {c}", "{a} OR {b} OR {c}", "{a} OR {b} {c}"))
        return self._request(form.format(a=a, b=b, c=c))

    def class_not(self, rng):
        a, b, c = self._record_words(rng, 3)
        form = rng.choice(("{a} -{b}", "{a} -{b} -{c}", "-{b} {a}", '{a} -"{s}"', "{a} -部门：{d}", "{a} -主题：{t}",
                           "-{b}", "{a} OR {c} -{b}"))
        topic = rng.choice(self.values["topic"]) if self.values["topic"] else a
        return self._request(form.format(a=a, b=b, c=c, s=self._substring(rng, 2, 3), d=self._dept_name(rng), t=topic))

    def _phrase_text(self, rng) -> str:
        kind = rng.random()
        if kind < 0.35:
            return self._substring(rng, 2, 6)
        if kind < 0.8:
            m = rng.choice(_ACROSS.findall(rng.choice(self.texts)) or [self._substring(rng, 2, 6)])
            chars = len(units(m))
            if chars > 6:  # keep 2–6 characters: trim from the left
                m = m[chars - 6:]
            variant = rng.random()
            if variant < 0.3:
                return re.sub(r"[，、；：\s]", "", m)
            if variant < 0.45:
                return m.translate(str.maketrans("，、；：", ",,;:"))
            if variant < 0.55:
                return re.sub(r"([，、；：])", r" \1 ", m)
            return m
        m = rng.choice(_WITH_LATIN.findall(rng.choice(self.texts)) or [self._substring(rng, 2, 6)])
        return m[:8]

    def class_phrase(self, rng):
        quote = rng.choice(_QUOTES)
        text = quote.format(self._phrase_text(rng))
        extra = rng.random()
        if extra < 0.1:
            text += " " + self._word(rng)
        elif extra < 0.15:
            text += " " + rng.choice(_QUOTES).format(self._phrase_text(rng))
        return self._request(text)

    def class_field(self, rng):
        name = rng.choice(("部门", "部门", "主题", "类型", "年份", "日期", "会议", "会议", "文号"))
        colon = rng.choice(("：", ":"))
        if name == "部门":
            value = self._dept_name(rng)
        elif name == "主题":
            value = rng.choice(self.values["topic"])
        elif name == "类型":
            value = rng.choice(["纪要", "会议", "报告", *self.values["doc_type"]])
        elif name == "年份":
            value = rng.choice(self.values["year"] + ["1999"])
        elif name == "日期":
            y = int(rng.choice(self.values["year"]))
            value = rng.choice((f"{y}", f"{y}-{rng.randint(1, 12)}..{y + rng.randint(0, 3)}-{rng.randint(1, 12):02d}",
                                f"{y}-03-01..{y}-09-30", f"..{y}", f"{y}.."))
        elif name == "会议":
            value = rng.choice(self.numbers + self.sessions + [f"第{rng.randint(1000, 1300)}次"])
        else:
            value = rng.choice(self.numbers)
        q = f"{name}{colon}{value}"
        if rng.random() < 0.5:
            q = f"{self._stratified(rng)} {q}" if rng.random() < 0.5 else f"{q} {self._stratified(rng)}"
        return self._request(q)

    def class_filter(self, rng):
        q = rng.choice(("", self._stratified(rng), self._stratified(rng), " ".join(self._record_words(rng, 2))))
        # Mostly values the query's matches carry (so that something passes), some from anywhere.
        found = sorted(self.o.answer(self._request(q)).matched)
        carried = [self.o.facets[self.o.by_id[r]] for r in rng.sample(found, min(3, len(found)))]
        filters = {}
        for name in rng.sample(FACET_FIELDS, rng.choice((1, 1, 2))):
            pool = sorted({v for f in carried for v in f[name]}) if rng.random() < 0.8 else []
            pool = pool or self.values[name]
            values = rng.sample(pool, min(len(pool), rng.choice((1, 1, 2))))
            if rng.random() < 0.1:
                values.append("2001" if name == "year" else "不存在的值")
            filters[name] = tuple(values)
        return self._request(q, sort=rng.choice(("relevance", "relevance", "newest", "oldest")), **filters)

    def class_number(self, rng):
        kind = rng.random()
        if kind < 0.6:
            m = re.fullmatch(r"(.*?)〔(\d{4})〕(\d+)号", rng.choice(self.numbers))
            if not m:
                return None
            prefix, year, seq = m.groups()
            q = rng.choice((f"〔{year}〕{seq}号", f"[{year}]{seq}号", f"({year}){seq}号", f"{year}年{seq}号",
                            f"〔{year}〕 {seq}号", f"（{year}）{seq}号", f"{prefix}〔{year}〕{seq}号"))
        elif kind < 0.8:
            session = rng.choice(self.sessions)
            q = rng.choice((session, session.replace("常务会议", ""), f"市政府{session}"))
        elif kind < 0.9 and self.gone:
            q = rng.choice(self.gone)  # a document the index held before this state
        else:
            q = rng.choice((f"〔{rng.randint(2000, 2030)}〕{rng.randint(1, 400)}号", f"第{rng.randint(1, 2000)}次常务会议"))
        if rng.random() < 0.3:
            q += " " + self._stratified(rng)
        return self._request(q)

    def class_latin(self, rng):
        if rng.random() < 0.4:  # across punctuation, typed without it: never a run of the text
            found = ["".join(m) for m in _LATIN_ACROSS.findall(rng.choice(self.texts))]
        else:
            found = _WITH_LATIN.findall(rng.choice(self.texts))
        if not found:
            return None
        word = rng.choice(found)
        if rng.random() < 0.3:
            word = word.lower()
        if rng.random() < 0.2:
            word += " " + self._stratified(rng)
        return self._request(word)

    def class_rare(self, rng):
        kind = rng.random()
        if kind < 0.5 or not self.common:
            q = rng.choice(self.rare_words)
        elif kind < 0.75:
            q = f"{rng.choice(self.rare_words)} {rng.choice(self.rare_words)}"
        else:
            q = f"{rng.choice(self.rare_words)} {rng.choice(self.common)}"
        return self._request(q)

    def class_missing(self, rng):
        kind = rng.random()
        if kind < 0.4:
            q = rng.choice(self.unknown)
        elif kind < 0.7:
            word = rng.choice([w for w in self.words if len(w) >= 3] or self.words)
            i = rng.randrange(len(word))
            q = word[:i] + rng.choice("甲乙丙丁戊己庚辛壬癸") + word[i + 1:]
        elif kind < 0.85:
            q = f"{rng.choice(self.unknown)} {self._stratified(rng)}"
        else:
            q = rng.choice(("zzqx", "Qwerty123", "不存在词语", "ELEVATOR"))
        return self._request(q)

    def class_empty(self, rng):
        filters = {}
        if rng.random() < 0.8:
            for name in rng.sample(FACET_FIELDS, rng.choice((1, 2))):
                filters[name] = tuple(rng.sample(self.values[name], 1))
        q = rng.choice(("", "", " ", "　", "，。", '""', "“”"))
        return self._request(q, sort=rng.choice(("relevance", "newest", "oldest")), **filters)



# --- the index as it lives ----------------------------------------------------------------------

class History:
    """One folder of documents and its index, taken through the states in order: fresh,
    updated, pruned, rebuilt. A SearchIndex opened in the fresh state follows it."""

    def __init__(self, root: Path):
        self.root = root
        self.gen = VariedMinutes()
        self.runs = 0
        self.step = -1
        self.long_lived: indexer.SearchIndex | None = None
        self.gone: list[str] = []  # document numbers the index held and no longer holds

    def at(self, state: str) -> None:
        wanted = STATES.index(state)
        if wanted < self.step:  # asked out of order: start again
            self.close()
            self.step = -1
        while self.step < wanted:
            self.step += 1
            getattr(self, "_" + STATES[self.step])()

    def close(self) -> None:
        if self.long_lived is not None:
            self.long_lived.close()
            self.long_lived = None

    def _fresh(self) -> None:
        self.runs += 1
        base = self.root / f"run{self.runs}"
        self.folder, self.index_dir = base / "docs", base / "ix"
        shutil.copytree(CORPUS, self.folder)
        self.gen.write(self.folder, range(FIRST, FIRST + COUNT))
        report = indexer.index_paths([self.folder], self.index_dir)
        assert report.failed == ()
        self.long_lived = indexer.SearchIndex(self.index_dir, time_limit=None)
        assert self.long_lived.search(indexer.SearchRequest(q="会议")).total > 0  # its searcher is open

    def _updated(self) -> None:
        # Ten documents change their text (same numbers: their records are replaced), fifteen are new.
        self.gen.write(self.folder, range(FIRST, FIRST + 50, 5), variant=1)
        self.gen.write(self.folder, range(FIRST + COUNT, FIRST + COUNT + 15))
        report = indexer.index_paths([self.folder], self.index_dir)
        assert len(report.indexed) == 25 and report.failed == ()

    def _pruned(self) -> None:
        # Files removed; one file now holds another document (its old one is dropped).
        removed = range(FIRST + 3, FIRST + COUNT + 15, 10)
        for n in removed:
            (self.folder / f"varied-{n:04d}.txt").unlink()
        (self.folder / f"varied-{FIRST + 1:04d}.txt").write_text(self.gen.text(FIRST + 900), "utf-8")
        self.gone = [self.gen.number(n) for n in (*removed, FIRST + 1)]
        report = indexer.index_paths([self.folder], self.index_dir, prune=True)
        assert len(report.pruned) == len(removed) and len(report.indexed) == 1 and report.failed == (), report

    def _rebuilt(self) -> None:
        # Two more files change, then everything is indexed afresh and swapped in.
        self.gen.write(self.folder, (FIRST + 2, FIRST + 4), variant=2)
        report = indexer.index_paths([self.folder], self.index_dir, rebuild=True)
        assert report.rebuilt and report.failed == ()


@dataclass
class Snapshot:
    name: str
    history: History
    oracle: Oracle
    fresh: indexer.SearchIndex  # opened in this state
    long_lived: indexer.SearchIndex  # opened in the fresh state
    queries: Queries


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    h = History(tmp_path_factory.mktemp("query-path"))
    yield h
    h.close()


@pytest.fixture(scope="module", params=STATES)
def state(request, history):
    history.at(request.param)
    oracle = Oracle(history.index_dir)
    fresh = indexer.SearchIndex(history.index_dir, time_limit=None)
    queries = Queries(oracle, f"14:{request.param}", history.gen.rare, history.gone)
    yield Snapshot(request.param, history, oracle, fresh, history.long_lived, queries)
    fresh.close()
    oracle.close()


def test_each_state_is_what_it_claims(state):
    reader = state.oracle.searcher.reader()
    leaves = len(list(reader.leaf_readers()))
    ids = {f["id"].split("#")[0] for f in state.oracle.stored.values()}
    numbers = {f.get("doc_number") for f in state.oracle.stored.values()}
    gen = state.history.gen
    if state.name == "updated":
        assert leaves > 1 and reader.has_deletions()
        assert gen.number(FIRST + COUNT) in numbers and gen.number(FIRST) in numbers
    if state.name == "pruned":
        assert leaves > 1 and reader.has_deletions()
        assert gen.number(FIRST + 900) in numbers
        assert state.history.gone and not set(state.history.gone) & numbers
    if state.name == "rebuilt":
        assert leaves == 1 and not reader.has_deletions()
    assert len(ids) > 80 and len(state.oracle.live) > 400
    # Both search indexes see this state.
    for ix in (state.fresh, state.long_lived):
        assert ix.search(indexer.SearchRequest()).total == len(state.oracle.live)


@pytest.mark.parametrize("klass", CLASSES)
def test_query_path_answers_what_whoosh_answers(state, klass):
    requests = state.queries.make(klass, PER_STATE)
    assert len(requests) == PER_STATE, (klass, len(requests))
    failures = []
    for i, request in enumerate(requests):
        expected = state.oracle.answer(request)
        # The index opened in the fresh state answers every other query (enough to show it follows).
        for name, ix in (("new", state.fresh), ("long-lived", state.long_lived))[:1 + i % 2]:
            for problem in differences(expected, observe(ix, request)):
                failures.append(f"[{state.name}/{klass}/{name}] {request.q!r} {request.filters() or ''} "
                                f"sort={request.sort}: {problem}")
    assert not failures, f"{len(failures)} differences:\n" + "\n".join(failures[:40])
