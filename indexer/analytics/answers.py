"""Answers, not only hits: a card drawn from parsed structure when a query names a decision's subject.

A query is read as a *question* (:func:`ask`): a subject (a reviewed 《title》, a project an item
heard, a document's own title) and what is asked of it — who leads (谁牵头 / 哪个部门负责), which
meeting (哪次会议 / 什么时候审议), what was decided (是否同意 / 决定了什么), whether it is in force
(现在是否有效), when it was issued (什么时候印发), or nothing (the subject alone).

The subject is found among the titles of the view (:func:`subjects`): a query matches a title
when it holds the title's *core* (the title without its place, year, 关于 and draft markers) and
is itself part of the title, so 电梯安全条例 finds 《苏州市电梯安全条例（草案）》 and 电梯安全 finds
nothing. Titles of one core are one policy (a draft and its adopted text); a query whose match
spans two cores is ambiguous and answered by no card.

Every line of the card is structure the parser read, with its citation: the decision sentence
as written, the lead and co-lead units with the sentence that gives each its part, the meeting
(number, session, date, chair) or a law's 沿革 line of the meeting that adopted it, and later
documents that took the subject up. When what was asked has no line, there is no card: a wrong
answer is worse than none.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from ..citation import citation
from ..deadline import NO_DEADLINE, Deadline
from ..hanzi import simplified
from ..model import CO_LEAD, LEAD, Document, Item
from ..parse import EXPIRED, REPEALED, department_roles, gazetteer
from ..patterns import ISSUING_NOTICE, MINUTES
from .crossrefs import PER_VIEW, CrossReferences, DocRef
from .validity import KIND_LABELS, SHOWN, ValidityTable

# What a question asks (the JSON's ``asks``): "" asks for the subject's card as a whole.
LEAD_Q, MEETING_Q, DECISION_Q, VALIDITY_Q, ISSUED_Q = "lead", "meeting", "decision", "validity", "issued"
ASKS = ("", LEAD_Q, MEETING_Q, DECISION_Q, VALIDITY_Q, ISSUED_Q)
MAX_QUERY_CHARS = 80  # longer text is a passage, not a question
MIN_SUBJECT_CHARS = 4
SUBJECTS = "answer-subjects"  # the subjects table's name among the values kept per cross-references object

_VERB = r"(?:审议|通过|审定|研究|讨论|决定|定|批准)"
_ASKING = (
    (LEAD_Q, re.compile(r"(?:是|应)?(?:由)?(?:谁|哪个部门|哪个单位|哪家单位|哪些部门|哪些单位|什么部门|什么单位)(?:来)?"
                        r"(?:牵头|负责|承办|主抓|落实)(?:的)?$"
                        r"|的?(?:牵头|责任)(?:单位|部门)(?:是谁|是哪个|是哪家|是什么)?$")),
    (MEETING_Q, re.compile(rf"(?:是)?(?:在)?(?:哪次|哪一次|哪个|什么)(?:常务|专题)?会议?(?:上)?{_VERB}(?:的|了)?$"
                           rf"|(?:是)?(?:什么时候|何时|哪天|哪一天){_VERB}(?:的|了)?$")),
    (DECISION_Q, re.compile(r"(?:会议)?(?:是否(?:原则)?(?:同意|通过)|(?:原则)?(?:同意|通过)了(?:吗|没有)|决定了什么"
                            r"|作出了?什么决定|(?:是)?怎么(?:决定|定)的|有什么决定|是什么决定|(?:会议)?意见是什么)$")),
    (VALIDITY_Q, re.compile(r"(?:现在|目前|如今)?(?:是否|还)?(?:有效|生效)(?:吗|么)?$"
                            r"|(?:是否|有没有|已经)(?:被)?(?:废止|失效)(?:了)?(?:吗)?$|(?:现在)?(?:还)?有效吗$")),
    (ISSUED_Q, re.compile(r"(?:是)?(?:什么时候|何时|哪天)(?:印发|发布|公布|出台)(?:的|了)?$")),
)
_ENDING = re.compile(r"[？?。！!\s]+$")
_OPERATOR = re.compile(r"[:：]|\s(?:OR|AND|NOT|或)\s|(?:^|\s)[-+]")  # fields, operators (quotes are no harm)
# What a title key leaves out: punctuation, brackets, spaces (《苏州市电梯安全条例（草案）》 = 苏州市电梯安全条例草案).
_PUNCTUATION = re.compile(r"[\s《》〈〉“”\"'‘’「」『』（）()〔〕\[\]【】、，,。．.：:；;·—\-－_]+")
_DRAFT = re.compile(r"[（(](?:草案|修订草案|征求意见稿|送审稿|试行|暂行)[)）]")
_CORE_HEAD = re.compile(r"^(?:[\u4e00-\u9fff]{2,3}?(?:省|市|自治区|县|区)(?![长委])|(?:19|20)\d\d年度?|[\u4e00-\u9fff]{0,24}?关于)")
_CORE_TAIL = re.compile(r"(?:草案|工作情况|情况|的汇报|汇报)$")
_HEARD = re.compile(r"^听取(.+?汇报)$")
# A law's history lines: the meeting that adopted it (2019-10-08 国务院第66次常务会议通过), and
# its promulgation (2019-10-22 中华人民共和国国务院令第722号公布).
_HISTORY = re.compile(r"^((?:19|20)\d\d-\d\d-\d\d) (\S*第[一二三四五六七八九十百零〇\d]+次\S*会议)(?:审议)?通过$")
_PROMULGATED = re.compile(r"^((?:19|20)\d\d-\d\d-\d\d) (\S+(?:公布|发布))$")
_SENTENCE = re.compile(r"[^。；\n]+[。；]?")
_LABEL = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[.．、])\s*")


@dataclass(frozen=True)
class Question:
    subject: str  # as typed, without the question's words
    asks: str  # one of ASKS


@dataclass(frozen=True)
class Unit:
    name: str  # canonical when the gazetteer knows it
    role: str  # lead or co-lead
    sentence: str  # the sentence that gives it its part, as written
    citation: str


@dataclass(frozen=True)
class MeetingLine:
    """The meeting that decided: minutes (number, session, date, chair), or a law's 沿革 line."""

    doc_id: str  # the minutes, or the law whose history names the meeting
    title: str
    doc_number: str
    session: str
    date: str
    chair: str
    citation: str


@dataclass(frozen=True)
class Issued:
    """A law's history line of its promulgation (公布 / 发布), as written."""

    date: str
    text: str
    citation: str


@dataclass(frozen=True)
class ValidityLine:
    """Whether the text judged (``of``) is in force (see :mod:`.validity`), and the document and
    sentence that decided it (all "" for 未见废止: nothing the index holds speaks of it)."""

    label: str
    of: str  # the title judged: the subject, or the adopted text of a reviewed draft
    sentence: str
    date: str
    doc_id: str
    citation: str


@dataclass(frozen=True)
class Answer:
    question: Question
    subject: str  # the title as written in the documents (normalized)
    kind: str  # reviewed (an item reviewed it), heard (an item heard it), document (its own title)
    place: DocRef  # the item that decided, or the document itself
    decision: str  # the decision sentence as written ("" when none)
    decision_citation: str
    units: tuple[Unit, ...]  # lead first
    meeting: MeetingLine | None
    later: tuple[DocRef, ...]  # later documents and meetings that took the subject up, oldest first
    issued: Issued | None = None  # a law's promulgation line
    validity: ValidityLine | None = None

    @property
    def leads(self) -> tuple[str, ...]:
        return tuple(u.name for u in self.units if u.role == LEAD)

    @property
    def co_leads(self) -> tuple[str, ...]:
        return tuple(u.name for u in self.units if u.role == CO_LEAD)


@dataclass(frozen=True)
class Subject:
    """A title of the view a query may name, and where it stands."""

    key: str  # the title without punctuation or spaces
    core: str  # see core()
    title: str  # as the documents write it (normalized)
    kind: str
    doc_id: str
    item_no: int  # 0 for a document's own title


def key(text: str) -> str:
    return _PUNCTUATION.sub("", simplified(text))


def core(title: str) -> str:
    """The part of a title a query must hold: without draft markers, a leading place, year or
    issuer-and-关于, or a heard report's 情况/汇报 (苏州市2021年重点项目投资计划草案 → 重点项目投资计划)."""
    text = key(_DRAFT.sub("", simplified(title)))
    for _ in range(3):
        shorter = _CORE_TAIL.sub("", _CORE_HEAD.sub("", text, count=1))
        if shorter == text or len(shorter) < MIN_SUBJECT_CHARS:
            break
        text = shorter
    return text


def ask(q: str) -> Question | None:
    """The question a query asks, or None when it cannot name a subject (too short or long,
    or written in the query language: fields, operators, exclusions)."""
    q = _ENDING.sub("", q.strip())
    if not q or len(q) > MAX_QUERY_CHARS or _OPERATOR.search(q):
        return None
    for asks, pattern in _ASKING:
        m = pattern.search(q)
        if m and m.start() >= MIN_SUBJECT_CHARS:
            subject = q[:m.start()].rstrip("的，, ")
            return Question(subject, asks) if len(key(subject)) >= MIN_SUBJECT_CHARS else None
    return Question(q, "") if len(key(q)) >= MIN_SUBJECT_CHARS else None


def subjects(refs: CrossReferences, deadline: Deadline = NO_DEADLINE,
             validity: ValidityTable | None = None) -> dict[str, tuple[Subject, ...]]:
    """Every subject of ``refs`` by its core (built once per cross-references object: the engine
    builds it on the unscoped one, shared by every caller, and :func:`matching` drops what a
    caller may not read): what minutes items reviewed (《…》 in the item's title) or heard
    (听取…汇报), the title of every other document, the text a 印发 notice issues, and a title
    the index does not hold that a document repeals or declares expired (``validity``)."""
    def build():
        found: dict[str, list[Subject]] = {}

        def add(title: str, kind: str, doc_id: str, item_no: int):
            c = core(title)
            if len(c) >= MIN_SUBJECT_CHARS:
                found.setdefault(c, []).append(Subject(key(title), c, title, kind, doc_id, item_no))

        for doc in deadline.each(refs.documents.values()):
            if doc.doc_type != MINUTES:
                add(doc.title, "document", doc.id, 0)
                printed = ISSUING_NOTICE.search(key(doc.title))
                if printed:
                    add(printed.group(1), "document", doc.id, 0)
                # (Any document may say it: matching shows a card only to a caller who may read the speaker.)
                for st, targets in (validity.said_by(doc.id) if validity else ()):
                    if st.kind in (REPEALED, EXPIRED) and st.target and not targets:
                        add(st.target, "named", doc.id, 0)
                continue
            for item in doc.items:
                heading = re.sub(r"\s+", "", simplified(item.title))  # 审议《…》《…》: each title whole, in 《》
                reviewed = [t for t in item.reviewed if f"《{t}》" in heading]
                for t in reviewed:
                    add(t, "reviewed", doc.id, item.number)
                heard = _HEARD.match(re.sub(r"\s+", "", item.title)) if not reviewed and item.number else None
                if heard:
                    add(heard.group(1), "heard", doc.id, item.number)
        return {c: tuple(s) for c, s in found.items()}

    return PER_VIEW.get(refs, SUBJECTS, build)


def subjects_ready(refs: CrossReferences) -> bool:
    return PER_VIEW.has(refs, SUBJECTS)


def matching(table: dict[str, tuple[Subject, ...]], subject: str, readable: dict) -> tuple[Subject, ...]:
    """The subjects a query's subject names among the documents of ``readable`` (the caller's):
    it holds their core and is part of their title. Empty when it names none, or subjects of
    more than one core and none of them exactly (what the caller may not read never counts,
    so a hidden title cannot make a visible answer ambiguous either)."""
    s = key(subject)
    found: dict[str, list[Subject]] = {}
    for i in range(len(s)):
        for j in range(i + MIN_SUBJECT_CHARS, len(s) + 1):
            for candidate in table.get(s[i:j], ()):
                if candidate.doc_id in readable and (s in candidate.key or s in key(_DRAFT.sub("", candidate.title))):
                    found.setdefault(candidate.core, []).append(candidate)
    if len(found) > 1:
        exact = {c: f for c, f in found.items() if c == s or any(x.key == s for x in f)}
        found = exact if len(exact) == 1 else {}
    return tuple(next(iter(found.values()), ()))


def answer(refs: CrossReferences, question: Question, full_item: Callable[[str, int], Item | None],
           deadline: Deadline = NO_DEADLINE, everything: CrossReferences | None = None,
           validity: ValidityTable | None = None) -> Answer | None:
    """The card for ``question`` over the view ``refs`` (what the caller may read), or None when
    its structure does not answer what is asked. ``full_item`` reads an item with its text;
    ``everything``, the unscoped cross-references the subjects are indexed from (default ``refs``);
    ``validity``, each document's force (no validity line without it)."""
    table = subjects(everything or refs, deadline, validity)
    found = matching(table, question.subject, refs.documents)
    if not found:
        return None
    decided = sorted((s for s in found if s.item_no), key=lambda s: (refs.documents[s.doc_id].date, s.item_no))
    if question.asks == LEAD_Q and len({_leads(refs, s) for s in decided}) > 1:
        return None  # two meetings gave it to different units: no one answer
    if decided:
        card = _item_card(refs, question, decided[0], full_item, table)
        if card is not None and validity is not None:
            card = replace(card, validity=_adopted_validity(refs, decided[0], table, validity))
    elif all(s.kind == "named" for s in found):
        card = _named_card(refs, question, found, validity)
    else:
        documents = sorted({s.doc_id for s in found if s.kind != "named"}, key=lambda d: refs.documents[d].date)
        card = _document_card(refs, question, found[0], documents, table) if len(documents) == 1 else None
        if card is not None and validity is not None:
            card = replace(card, validity=_validity_line(refs.documents[documents[0]], validity))
    if card is None or not _answers(card, question.asks):
        return None
    return card


def _leads(refs: CrossReferences, subject: Subject) -> frozenset[str]:
    item = next(i for i in refs.documents[subject.doc_id].items if i.number == subject.item_no)
    return frozenset(item.leads)


def _answers(card: Answer, asks: str) -> bool:
    if asks == LEAD_Q:
        return bool(card.leads)
    if asks == MEETING_Q:
        return card.meeting is not None
    if asks == DECISION_Q:
        return bool(card.decision)
    if asks == ISSUED_Q:
        return card.issued is not None
    if asks == VALIDITY_Q:
        return card.validity is not None
    return bool(card.decision or card.leads or card.meeting or card.issued
                or (card.validity and card.validity.label in SHOWN))


def _item_card(refs: CrossReferences, question: Question, subject: Subject,
               full_item: Callable[[str, int], Item | None], table: dict) -> Answer | None:
    doc = refs.documents[subject.doc_id]
    item = full_item(doc.id, subject.item_no)
    if item is None:
        return None
    place = _place(doc, item.number)
    decision, decision_at = _decision(doc, item)
    place_name = gazetteer.issuer_place(doc.issuer)
    sentences = [(s, department_roles(s, doc.issuer_level, place_name)) for s in _SENTENCE.findall(item.text)]
    units = tuple(_unit(doc, item, sentences, r.name, r.role) for r in item.roles if r.role in (LEAD, CO_LEAD))
    meeting = MeetingLine(doc.id, doc.title, doc.doc_number, doc.session, doc.date, doc.chair,
                          citation(doc.title, doc.doc_number, issuer=doc.issuer, date=doc.date))
    return Answer(question, subject.title, subject.kind, place, decision,
                  decision_at, units, meeting, _later(refs, subject, doc, table))


def _document_card(refs: CrossReferences, question: Question, subject: Subject,
                   documents: list[str], table: dict) -> Answer:
    doc = refs.documents[documents[0]]
    place = _place(doc, 0)
    history = [value for label, value in doc.metadata if label == "沿革"]
    meeting = next((MeetingLine(doc.id, doc.title, doc.doc_number, m.group(2), m.group(1), "", place.citation)
                    for m in map(_HISTORY.match, history) if m), None)
    issued = next((Issued(m.group(1), m.group(2), place.citation) for m in map(_PROMULGATED.match, history) if m), None)
    return Answer(question, doc.title, "document", place, "", "", (), meeting, _later(refs, subject, doc, table), issued)


def _validity_line(doc: Document, validity: ValidityTable) -> ValidityLine | None:
    """The document's label and the evidence that decided it (only public documents are evidence)."""
    if doc.id not in validity.documents:
        return None
    v = validity.validity(doc.id)
    e = v.decided
    if e is None:
        return ValidityLine(v.label, doc.title, "", "", "", "")
    return ValidityLine(v.label, doc.title, e.sentence, e.date, e.doc_id,
                        citation(e.doc_title, e.doc_number, issuer=e.issuer, date=e.date))


def _adopted_validity(refs: CrossReferences, subject: Subject, table: dict,
                      validity: ValidityTable) -> ValidityLine | None:
    """A reviewed draft's force is its adopted text's: the one document of its core dated on or
    after the meeting (none, or two: no line)."""
    meeting = refs.documents[subject.doc_id]
    adopted = {s.doc_id for s in table.get(subject.core, ())
               if s.kind == "document" and s.doc_id in refs.documents
               and refs.documents[s.doc_id].date >= meeting.date}
    return _validity_line(refs.documents[adopted.pop()], validity) if len(adopted) == 1 else None


def _named_card(refs: CrossReferences, question: Question, found: tuple[Subject, ...],
                validity: ValidityTable | None) -> Answer | None:
    """A title the index does not hold, that one document the caller may read repeals or declares
    expired: the card is that document's sentence (the title itself is no document to label)."""
    speakers = {s.doc_id for s in found}
    if validity is None or len(speakers) != 1 or len({s.title for s in found}) != 1:
        return None
    doc, title = refs.documents[found[0].doc_id], found[0].title
    said = [st for st, targets in validity.said_by(doc.id)
            if st.kind in (REPEALED, EXPIRED) and st.target == title and not targets]
    if not said:
        return None
    st = said[0]
    place = _place(doc, 0)
    line = ValidityLine(KIND_LABELS[st.kind], title, st.sentence, st.date or doc.date, doc.id, place.citation)
    return Answer(question, title, "named", place, "", "", (), None, (), None, line)


def _decision(doc: Document, item: Item) -> tuple[str, str]:
    """The sentence that records the item's decision, as written, and its citation."""
    if not item.decision:
        return "", ""
    for sentence in _SENTENCE.findall(item.text):
        if item.decision in sentence:
            return _LABEL.sub("", sentence.strip()), _cite(doc, item, sentence)
    return "", ""


def _place(doc: Document, item_no: int) -> DocRef:
    title = next((i.title for i in doc.items if i.number == item_no), "")
    return DocRef(doc.id, doc.title, doc.doc_number, doc.date, item_no, title, doc.issuer)


def _unit(doc: Document, item: Item, sentences: list, name: str, role: str) -> Unit:
    """The unit with the first sentence of the item that gives it its role (``sentences``: each
    with the roles it gives, read as the parser read the whole item), or with the item alone
    when no one sentence does."""
    for sentence, roles in sentences:
        if any(r.name == name and r.role == role for r in roles):
            return Unit(name, role, _LABEL.sub("", sentence.strip()), _cite(doc, item, sentence))
    return Unit(name, role, "", _cite(doc, item, ""))


def _subpoint(item: Item, sentence: str) -> int:
    text = _LABEL.sub("", sentence.strip())
    if not text:
        return 0
    return next((s.number for s in item.subpoints if text in s.text), 0)


def _cite(doc: Document, item: Item, sentence: str) -> str:
    return citation(doc.title, doc.doc_number, item.number, _subpoint(item, sentence), issuer=doc.issuer, date=doc.date)


def _later(refs: CrossReferences, subject: Subject, origin: Document, table: dict) -> tuple[DocRef, ...]:
    """Later documents that took the subject up: items that cite one of its titles after the
    decision (the policy path), and documents of the same core dated after it (its adopted
    text, the notice that issued it)."""
    found: dict[tuple[str, int], DocRef] = {}
    same = [s for s in table.get(subject.core, ()) if s.doc_id in refs.documents]
    for title in dict.fromkeys(s.title for s in (subject, *same)):
        for ref in refs.by_title.get(title, []):
            if ref.source.doc_id != origin.id and ref.source.date > origin.date:
                found[(ref.source.doc_id, ref.source.item_no)] = ref.source
    for s in same:
        doc = refs.documents[s.doc_id]
        if doc.id != origin.id and doc.date > origin.date:
            found.setdefault((doc.id, s.item_no), _place(doc, s.item_no))
    return tuple(sorted(found.values(), key=lambda r: (r.date, r.doc_id, r.item_no)))
