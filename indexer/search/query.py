"""The query box's language, parsed into Whoosh queries by small parsers.

Like SearXNG's query parsing, each part of the language is a small parser with
``check(token)`` and ``__call__(token, state)``, tried in a fixed order:

- ``OR`` (or ``或``) between two terms: either;
- ``-term``: exclude (a word, a phrase or a field);
- ``"exact phrase"``, ``“…”``, ``「…」``: these characters in this order;
- field prefixes, with ASCII or full-width colons: ``部门：市发改委`` (aliases resolve),
  ``主题：安全生产``, ``文号：〔2021〕9号``, ``会议：第128次``, ``年份：2021``,
  ``日期：2020-01..2021-06``, ``类型：纪要``;
- document numbers (〔2021〕9号, [2021]9号, (2021)9号, 2021年9号, 国发〔2019〕5号, 国务院令第706号,
  with any brackets and spaces) and sessions (第128次常务会议): the document's records are ranked
  first, above every record that only mentions it (:attr:`ParsedQuery.pinned`);
- any other word: all words must match, each by its jieba words, as an exact run
  of characters (bigrams) that does not cross punctuation, or through an alias or synonym:
  a department's names, the synonym file, and the short or full names the documents define
  (:mod:`.aliases`, recorded in :attr:`ParsedQuery.expansions` to be shown).

A quoted phrase ignores punctuation and spaces: "加强统筹、压实责任" matches the
text with 、, with ，, or with none, and so does the phrase typed without it. Its
characters must run together once punctuation is set aside (the bigram field is
read that way, see :mod:`indexer.store.analysis`); highlighting marks the text's own
span, punctuation included (:class:`~indexer.search.highlight.PhraseTerm`).

The result is a :class:`ParsedQuery`: the Whoosh query, a looser one to fall back
on when nothing matches, a cheaper query to score with, and the terms to highlight.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from whoosh import query as wq

from ..normalize import normalize
from ..parse import gazetteer, numbers
from ..patterns import TYPED_SESSION, cn_to_int, session_text
from ..store import bigrams, phrase_bigrams, words
from .highlight import PhraseTerm
from .querytext import KINDS, dated_query, plan_years, tokens, year_of
from .querytext import QUOTES as _QUOTES
from .results import Expansion

TEXT_FIELDS = ("body", "item_title", "doc_title", "reviewed", "people")
REFERENCE_BOOST = 20.0
SYNONYM_BOOST = 0.6

_YEAR_FIRST_WORD = re.compile(r"^((?:19|20)\d\d)年([\u4e00-\u9fff].+)$")
_FIELD = re.compile(r"^(部门|主题|文号|会议|年份|日期|类型)[:：](.*)$")
_DATE_BOUND = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")
_DOC_TYPE_ALIASES = {"纪要": "会议纪要", "会议": "会议纪要", "报告": "报告"}


class QuotedPhrase(wq.Phrase):
    """A quoted phrase's characters in a row, punctuation and spaces set aside: its
    places in the bigram numbering (:func:`~indexer.store.analysis.phrase_bigrams`), each
    found in the bigram field or, where the text has punctuation between the two
    characters, in the joins field. :mod:`indexer.search.matching` evaluates it; anything
    that evaluates it as a plain phrase of the bigram field gets the matches without
    punctuation inside."""

    def __init__(self, fieldname: str, words: list[str], joins: str = "body_joins", boost: float = 1.0,
                 scored: tuple[str, ...] = ()):
        super().__init__(fieldname, words, boost=boost)
        self.joins = joins
        self.scored = scored or tuple(words)  # the places to score by: those with no punctuation in the query

    def __repr__(self):
        return f"QuotedPhrase({self.fieldname!r}, {self.words!r})"


class CharRun(wq.Phrase):
    """An unquoted word's characters in a row in the bigram field, when they hold a
    Latin word or number: besides the phrase, no mark of the joins field (a Latin
    token meeting other text across punctuation) may stand inside it, because the
    bigram field leaves no gap there. (Between CJK characters it does: a plain
    phrase never crosses punctuation.) Evaluated as a plain phrase, a superset."""

    def __init__(self, fieldname: str, words: list[str], joins: str = "body_joins", boost: float = 1.0):
        super().__init__(fieldname, words, boost=boost)
        self.joins = joins

    def __repr__(self):
        return f"CharRun({self.fieldname!r}, {self.words!r})"


@dataclass(frozen=True)
class ParsedQuery:
    query: wq.Query
    relaxed: wq.Query | None  # any-word recall, for when ``query`` finds nothing

    terms: tuple[str, ...]  # what to highlight, longest first (quoted phrases as PhraseTerm)
    words: tuple[str, ...]  # the plain words, for "did you mean"
    is_empty: bool
    # Records the query names outright (a document number or session typed as a word): ranked
    # before every other match, whatever their scores.
    pinned: wq.Query | None = None
    # Records where a department the query names leads the work (部门：市发改委, or 市发改委 typed
    # as a word): ranked before those that only mention it or give it a share.
    preferred: wq.Query | None = None
    # When the whole query is one document number or session (optionally with 文号： or 会议：),
    # the query that finds it (the same object as in ``query`` or ``pinned``): the search page
    # opens the document it names.
    reference: wq.Query | None = None
    # Each positive part of the query (a word with its spellings, synonyms and aliases; a quoted
    # phrase; a field): what a record covers when ranked by how much of the query it holds.
    concepts: tuple[wq.Query, ...] = ()
    # Years the query asks about (2020年, 二〇二〇年, 2020年度): records of those years rank first.
    years: tuple[str, ...] = ()
    # Document types the query names as a word (政府工作报告, 通知): with a year, records of that
    # type and year rank first.
    kinds: tuple[str, ...] = ()
    # The records those ask for, ranked first at each level: of a type named and of a year named
    # (2020年 政府工作报告); without a type, of the year or writing it (2019年 春节 放假: the
    # notice of 2018 that sets 2019's holidays writes 2019年).
    dated: wq.Query | None = None
    expansions: tuple[Expansion, ...] = ()  # words also searched as a name the documents define


@dataclass
class _State:
    must: list[list[wq.Query]] = field(default_factory=list)  # each inner list is OR-ed
    must_not: list[wq.Query] = field(default_factory=list)
    loose: list[wq.Query] = field(default_factory=list)  # clauses for the relaxed query
    highlight: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    pinned: list[wq.Query] = field(default_factory=list)
    preferred: list[wq.Query] = field(default_factory=list)
    named: list[wq.Query] = field(default_factory=list)  # document numbers and sessions, as typed
    years: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    aliases: Callable[[str], tuple[Expansion, ...]] = lambda word: ()  # names the documents define
    expansions: list[Expansion] = field(default_factory=list)
    join_next: bool = False

    def add(self, q: wq.Query, negate: bool) -> None:
        if negate:
            self.must_not.append(q)
        elif self.join_next and self.must:
            self.must[-1].append(q)
        else:
            self.must.append([q])
        self.join_next = False


def _all(fieldname: str, tokens: list[str]) -> wq.Query | None:
    if not tokens:
        return None
    return wq.Term(fieldname, tokens[0]) if len(tokens) == 1 else wq.And([wq.Term(fieldname, t) for t in tokens])


def _phrase(fieldname: str, tokens: list[str], boost: float = 1.0) -> wq.Query | None:
    if not tokens:
        return None
    if len(tokens) == 1:
        return wq.Term(fieldname, tokens[0], boost=boost)
    return wq.Phrase(fieldname, tokens, boost=boost)


def _or(clauses) -> wq.Query | None:
    clauses = [c for c in clauses if c is not None]
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else wq.Or(clauses)


def text_query(word: str, boost: float = 1.0) -> wq.Query | None:
    """A word in any text field: all its jieba words, or its characters in a row
    (never across punctuation)."""
    tokens = words(word)
    clauses = [_all(f, tokens) for f in TEXT_FIELDS]
    grams = bigrams(word)
    latin = len(grams) > 1 and any(g.isascii() for g in grams)
    clauses.append(CharRun("body_bigram", grams) if latin else _phrase("body_bigram", grams))
    clauses = [c for c in clauses if c is not None]
    if not clauses:
        return None
    return wq.Or(clauses, boost=boost)


def _pieces(word: str, boost: float) -> wq.Query | None:
    """Each of a spelt-out name's words as characters in a row, anywhere in the record: 北京人民代表大会
    (北京人大 spelt out) in a text that writes 北京市人民代表大会, which the segmenter keeps whole."""
    runs = [_phrase("body_bigram", bigrams(w)) for w in words(word)]
    runs = [r for r in runs if r is not None]
    return wq.And(runs, boost=boost) if len(runs) > 1 else None


def phrase_query(text: str) -> wq.Query | None:
    """A quoted phrase: its words side by side in a text field, or its characters in a
    row in the bigram field, where punctuation and spaces (the text's and the
    phrase's) do not count."""
    tokens = words(text)
    places = phrase_bigrams(text)
    quoted = QuotedPhrase("body_bigram", [w for w, _ in places], scored=tuple(w for w, joined in places if not joined))
    return _or([*(_phrase(f, tokens) for f in TEXT_FIELDS), quoted if places else None])


def reference_query(word: str) -> wq.Query | None:
    """A document number or a session, if ``word`` is one. A number is looked up by
    its key (:mod:`indexer.parse.numbers`): with an issuer, that document; without, the
    number of any issuer."""
    number = numbers.key(word)
    if number:
        return wq.Term("number_key", number, boost=REFERENCE_BOOST)
    canonical = normalize(word).strip()
    m = TYPED_SESSION.match(canonical)
    if m:
        # Multi-term queries score a constant 1.0 whatever their boost: wrap them.
        session = session_text(m.group(1), m.group(2)) if m.group(2) else f"第{cn_to_int(m.group(1))}次"
        return wq.ConstantScoreQuery(wq.Prefix("session", session), REFERENCE_BOOST)
    return None


class _Parser:
    def check(self, token: str) -> bool:
        raise NotImplementedError

    def __call__(self, token: str, negate: bool, state: _State) -> None:
        raise NotImplementedError


class _OrParser(_Parser):
    def check(self, token):
        return token in ("OR", "或")

    def __call__(self, token, negate, state):
        state.join_next = bool(state.must)


def _unquote(token: str) -> str:
    """The text inside a quoted token (the closing quote may be missing)."""
    if token[:1] in _QUOTES:
        closing = _QUOTES[token[0]]
        token = token[1:-1] if len(token) > 1 and token.endswith(closing) else token[1:]
    return token


class _PhraseParser(_Parser):
    def check(self, token):
        return token[:1] in _QUOTES

    def __call__(self, token, negate, state):
        text = _unquote(token).strip()
        q = phrase_query(text)
        if q is None:
            return
        state.add(q, negate)
        if not negate:
            state.highlight.append(PhraseTerm(text))
            state.loose.append(q)


class _FieldParser(_Parser):
    def check(self, token):
        return bool(_FIELD.match(token))

    def __call__(self, token, negate, state):
        name, value = _FIELD.match(token).groups()
        value = _unquote(value).strip()
        if not value:
            return
        named = reference_query(value) if name in ("文号", "会议") and not negate else None
        if named is not None:
            state.named.append(named)
        if named is None:
            q = getattr(self, "_" + {"部门": "dept", "主题": "topic", "文号": "number", "会议": "meeting",
                                      "年份": "year", "日期": "date", "类型": "doc_type"}[name])(value)
        else:
            q = named
        if q is not None:
            state.add(q, negate)
            if name == "部门" and not negate:
                state.preferred.append(wq.Term("dept_lead", gazetteer.canonical_department(value)))

    @staticmethod
    def _dept(value):
        canonical = gazetteer.canonical_department(value)
        return wq.Or([wq.Term("dept", canonical), wq.Term("dept", value)])

    @staticmethod
    def _topic(value):
        return wq.Term("topic", value)

    @staticmethod
    def _number(value):
        return reference_query(value) or wq.Term("doc_number", normalize(value).strip())

    @staticmethod
    def _meeting(value):
        return reference_query(value) or wq.Or([wq.Term("meeting", value), wq.Term("session", value)])

    @staticmethod
    def _year(value):
        return wq.Term("year", value)

    @staticmethod
    def _date(value):
        low, _, high = value.partition("..")
        start, end = _date_bound(low, first=True), _date_bound(high or low, first=False)
        if start is None and end is None:
            return None
        return wq.TermRange("date", start, end)

    @staticmethod
    def _doc_type(value):
        wanted = _DOC_TYPE_ALIASES.get(value, value)
        return wq.Or([wq.Term("doc_type", wanted), wq.Term("doc_type", value)])


def _date_bound(text: str, first: bool) -> str | None:
    m = _DATE_BOUND.match(text.strip())
    if not m:
        return None
    year, month, day = m.groups()
    if first:
        return f"{year}-{int(month or 1):02d}-{int(day or 1):02d}"
    return f"{year}-{int(month or 12):02d}-{int(day or 31):02d}"


class _WordParser(_Parser):
    def check(self, token):
        return True

    def __call__(self, token, negate, state):
        reference = reference_query(token)
        clauses = [text_query(token), reference]
        dated = _YEAR_FIRST_WORD.match(token)
        if dated and text_query(dated.group(2)) is not None:
            # 2015年政府工作报告: the words, in a record of that year (or the run as written, above)
            clauses.append(wq.And([text_query(dated.group(2)), wq.Term("year", dated.group(1))]))
        year = year_of(token)
        if year and not negate:
            # 2020年 alone: a record of that year, or one that writes it; records of the year rank first
            clauses.append(wq.Term("year", year))
            state.years.append(year)
        if token in KINDS and not negate:
            state.kinds.append(token)  # 2020年 政府工作报告: that year's report first
        others = synonyms(token, state, record=not negate)
        for other in others:
            clauses.append(_or([text_query(other, boost=SYNONYM_BOOST), _pieces(other, SYNONYM_BOOST)]))
        is_dept = gazetteer.canonical_department(token) != token or gazetteer.is_known(token)
        if is_dept:
            clauses.append(wq.Term("dept", gazetteer.canonical_department(token)))
        q = _or(clauses)
        if q is None:
            return
        state.add(q, negate)
        if negate:
            return
        if reference is not None:
            state.pinned.append(reference)
            state.named.append(reference)
        if is_dept:
            state.preferred.append(wq.Term("dept_lead", gazetteer.canonical_department(token)))
        state.highlight.append(token)
        state.words.append(token)
        if reference is None:
            state.highlight.extend(words(token))
            state.highlight.extend(others)
            state.loose.extend(wq.Term("body_bigram", b) for b in bigrams(token))
        state.loose.append(q)


def synonyms(token: str, state: _State, record: bool = True) -> tuple[str, ...]:
    """Other words ``token`` is searched as, each counting :data:`SYNONYM_BOOST`: a department's
    names or the synonym file's group (:func:`~indexer.parse.gazetteer.synonyms`), then the full
    or short names the documents define (``state.aliases``), which are recorded to be shown."""
    found = list(gazetteer.synonyms(token))
    for expansion in state.aliases(token):
        if expansion.expanded == token:
            continue
        if expansion.expanded not in found:
            found.append(expansion.expanded)
        if record:  # shown even when the synonym file knows the name too: the document is the source
            state.expansions.append(expansion)
    return tuple(found)


_PARSERS: tuple[_Parser, ...] = (_OrParser(), _PhraseParser(), _FieldParser(), _WordParser())


def parse_query(text: str, aliases: Callable[[str], tuple[Expansion, ...]] | None = None) -> ParsedQuery:
    """Parse the query box's text; an empty or all-punctuation query matches everything.
    ``aliases(word)``: the names the documents the caller may read define for a word."""
    state = _State(aliases=aliases) if aliases is not None else _State()
    found = tokens(text)
    for raw in found:
        negate = raw.startswith("-") and len(raw) > 1
        token = raw[1:] if negate else raw
        for parser in _PARSERS:
            if parser.check(token):
                parser(token, negate, state)
                break
    state.years.extend(plan_years(found))
    years, kinds = tuple(dict.fromkeys(state.years)), tuple(dict.fromkeys(state.kinds))
    positives = [group[0] if len(group) == 1 else wq.Or(group) for group in state.must]
    base: wq.Query = wq.Every() if not positives else positives[0] if len(positives) == 1 else wq.And(positives)
    relaxed = wq.Or(state.loose) if len(positives) > 1 or (positives and state.loose) else None
    if state.must_not:
        base = wq.AndNot(base, wq.Or(state.must_not))
        relaxed = wq.AndNot(relaxed, wq.Or(state.must_not)) if relaxed is not None else None
    return ParsedQuery(
        query=base,
        relaxed=relaxed,
        terms=_highlight_terms(state.highlight),
        words=tuple(state.words),
        is_empty=not positives and not state.must_not,
        pinned=_or(state.pinned),
        preferred=_or(state.preferred),
        reference=state.named[0] if len(found) == 1 and len(state.named) == 1 else None,
        concepts=tuple(positives),
        years=years,
        kinds=kinds,
        dated=dated_query(years, kinds, [text_query(f"{y}年") for y in years]),
        expansions=tuple(state.expansions),
    )


def _highlight_terms(found: list[str]) -> tuple[str, ...]:
    """Each term once, longest first; a quoted phrase stays a :class:`PhraseTerm`
    when the same text is also a plain word."""
    terms: dict[str, str] = {}
    for t in found:
        if t.strip() and (t not in terms or isinstance(t, PhraseTerm)):
            terms[t] = t
    return tuple(sorted(terms.values(), key=len, reverse=True))


def highlight_terms(text: str) -> tuple[str, ...]:
    """The terms a query's hits should show highlighted."""
    return parse_query(text).terms if text.strip() else ()
