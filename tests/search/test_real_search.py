"""Searching the real corpus as staff do: pasted phrases and document numbers.

Everything expected here is derived at run time from the parsed documents (the
files stay in ../shared/corpus and nothing of them is copied here): phrases are
cut from each document's own text, numbers are the parser's. So the tests hold
as the parser improves, and say what must stay true.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest

import indexer
from webapp import create_app

from .test_phrases import flat

SENTENCE = re.compile(r"[^。！？；\n]+")
CJK = re.compile(r"[\u4e00-\u9fff]")
MIN_DOCUMENTS = 20


def records(doc: indexer.Document) -> list[tuple[str, str]]:
    """(record id, text) of a document as the index holds it."""
    found = [(f"{doc.id}#preamble", doc.preamble)] if doc.preamble and doc.items and doc.items[0].number else []
    return found + [(f"{doc.id}#item-{item.number}", item.text) for item in doc.items]


def candidate_phrases(text: str):
    """Stretches of a sentence of 10–30 characters around a 、 or ， that start and end
    with a CJK character, in text order."""
    for sentence in SENTENCE.finditer(text):
        s = sentence.group(0)
        for mark in re.finditer(r"[、，]", s):
            start, end = max(0, mark.start() - 12), min(len(s), mark.end() + 12)
            while start < mark.start() and not CJK.match(s[start]):
                start += 1
            while end > mark.end() and not CJK.match(s[end - 1]):
                end -= 1
            phrase = s[start:end]
            if 10 <= len(phrase) <= 30 and len(flat(phrase)) >= 8 and CJK.match(phrase[0]) and CJK.match(phrase[-1]):
                yield phrase


@pytest.fixture(scope="module")
def pasted(real_docs):
    """For each document, the first phrase with punctuation that no other document
    holds (punctuation and spaces aside): (document id, record id, phrase)."""
    texts = {doc.id: flat(doc.text) + "|" + flat(doc.title) for doc in real_docs.values()}
    chosen = []
    for path in sorted(real_docs):
        doc = real_docs[path]
        found = next(((rid, p) for rid, text in records(doc) for p in candidate_phrases(text)
                      if sum(flat(p) in t for t in texts.values()) == 1 and flat(p) in texts[doc.id]), None)
        if found:
            chosen.append((doc.id, *found))
    assert len({doc_id for doc_id, _, _ in chosen}) >= MIN_DOCUMENTS
    return chosen


def variants(phrase: str) -> dict[str, str]:
    return {
        "as pasted": f'"{phrase}"',
        "without punctuation": f'"{re.sub(r"[，、；：“”]", "", phrase)}"',
        "with other punctuation": "“" + phrase.translate(str.maketrans("，、；", "、，，")).replace("“", "").replace("”", "") + "”",
        "with ASCII punctuation": "「" + phrase.translate(str.maketrans({"，": ",", "、": ",", "；": ";", "：": ":",
                                                                        "“": '"', "”": '"'})) + "」",
        "with spaces": '"' + re.sub(r"([，、；])", r" \1 ", phrase) + '"',
    }


def test_pasted_phrases_find_their_document_first(real_search_index, pasted):
    for doc_id, _, phrase in pasted:
        for how, q in variants(phrase).items():
            hits = real_search_index.search(indexer.SearchRequest(q=q, size=10)).hits
            assert hits and hits[0].doc_id == doc_id, (how, q, [h.doc_title for h in hits[:3]])


def test_the_highlight_covers_the_pasted_span(real_search_index, pasted):
    for doc_id, record_id, phrase in pasted:
        for how, q in variants(phrase).items():
            hits = real_search_index.search(indexer.SearchRequest(q=q, size=100)).hits
            hit = next((h for h in hits if h.id == record_id), None)
            assert hit is not None, (how, q)
            marked = [f.text[s:e] for f in hit.fragments for s, e in f.highlights]
            assert phrase in marked, (how, q, marked)


# --- document numbers ------------------------------------------------------------------------

def record_count(doc: indexer.Document) -> int:
    return len(records(doc))


def spellings(doc: indexer.Document) -> dict[str, bool]:
    """The ways staff write the document's number → whether it names the issuer (a
    number without issuer is any issuer's)."""
    prefix = doc.doc_number.partition("〔")[0] if doc.number_year else doc.doc_number
    found = {doc.doc_number: bool(prefix), **{alias: True for alias in doc.number_aliases}}
    if doc.number_year:
        year, seq = doc.number_year, doc.number_seq
        for left, right in ("[]", "()", "（）", "［］", "【】"):
            found[f"{prefix}{left}{year}{right}{seq}号"] = bool(prefix)
        found[f"{prefix}〔{year}〕 {seq} 号"] = bool(prefix)
        found.update({f"〔{year}〕{seq}号": False, f"{year}年{seq}号": False, f"{year}年第{seq}号": False})
    elif doc.doc_number.endswith("号") and "令" in doc.doc_number:
        found[doc.doc_number.replace("令", "令 ", 1)] = True
        if doc.doc_number.startswith("国务院令"):
            found["中华人民共和国" + doc.doc_number] = True
    return found


def owners(real_docs, doc: indexer.Document, with_issuer: bool) -> set[str]:
    """The documents a spelling of ``doc``'s number names: the same number and issuer,
    or, without issuer, the same year and sequence."""
    if with_issuer:
        names = {doc.doc_number, *doc.number_aliases}
        return {d.id for d in real_docs.values() if names & {d.doc_number, *d.number_aliases}}
    return {d.id for d in real_docs.values()
            if d.number_year == doc.number_year and d.number_seq == doc.number_seq and d.doc_number}


def test_numbers_in_every_spelling_rank_the_numbered_documents_first(real_search_index, real_docs):
    by_id = {d.id: d for d in real_docs.values()}
    numbered = [d for d in real_docs.values() if d.doc_number]
    assert len(numbered) >= 60
    assert any(not d.number_year for d in numbered)  # decrees (国务院令第706号) too
    outranked = 0
    for doc in numbered:
        for typed, with_issuer in spellings(doc).items():
            named = owners(real_docs, doc, with_issuer)
            first = min(sum(record_count(by_id[i]) for i in named), 100)
            hits = real_search_index.search(indexer.SearchRequest(q=typed, size=100)).hits
            assert {h.doc_id for h in hits[:first]} <= named and doc.id in {h.doc_id for h in hits[:first]}, (
                typed, [h.doc_title for h in hits[:3]])
            outranked += any(h.doc_id not in named for h in hits[first:])
    assert outranked >= 20  # other documents mention these numbers, and come after


def test_numbers_mentioned_elsewhere_rank_their_own_document_above_the_mentions(real_search_index, real_docs):
    # Documents whose number (with its issuer, or the bare 〔2021〕9号 of minutes and of any
    # issuer) another document writes in its text.
    mentions = {}
    for doc in real_docs.values():
        if not doc.doc_number:
            continue
        bare = f"〔{doc.number_year}〕{doc.number_seq}号" if doc.number_year else None
        for typed, with_issuer in ((doc.doc_number, True), (bare, False)):
            named = owners(real_docs, doc, with_issuer) if typed else set()
            citing = {o.id for o in real_docs.values() if typed and typed in o.text and o.id not in named}
            if citing:
                mentions[typed] = (named, citing)
    assert len(mentions) >= 5
    for typed, (named, citing) in mentions.items():
        hits = real_search_index.search(indexer.SearchRequest(q=typed, size=100)).hits
        ranks = {h.doc_id: n for n, h in reversed(list(enumerate(hits)))}
        assert hits[0].doc_id in named, typed
        last_own = max(n for n, h in enumerate(hits) if h.doc_id in named)
        assert all(ranks[c] > last_own for c in citing if c in ranks), typed
        assert citing & ranks.keys(), typed  # the mentions are found, after


@pytest.fixture(scope="module")
def real_client(real_index_dir):
    # Correctness only: no time limit, and every document readable (most real ones are internal).
    app = create_app({"INDEX": str(real_index_dir), "TESTING": True, "SEARCH_TIME_LIMIT": None,
                      "ANONYMOUS_ACCESS": "staff"})
    yield app.test_client()
    app.extensions["minutes"].close()


def test_a_number_typed_alone_opens_its_document(real_client, real_docs):
    opened = 0
    for doc in real_docs.values():
        for typed, with_issuer in spellings(doc).items() if doc.doc_number else ():
            named = owners(real_docs, doc, with_issuer)
            response = real_client.get(f"/search?q={quote(typed)}")
            if len(named) == 1:
                assert response.status_code == 302, typed
                location = urlsplit(response.headers["Location"])
                assert location.path == f"/doc/{doc.id}"
                assert parse_qs(location.query) == {"q": [typed.strip()], "from": ["reference"]}
                opened += 1
            else:
                assert response.status_code == 200, typed  # several documents: the list
    assert opened >= 100
