"""Quoted phrases ignore punctuation and spaces; unquoted words never run across them.

The oracle is computed from the parsed documents, not from the index: a record
matches a quoted phrase when the phrase's word characters (CJK, letters, digits)
run together in the record's title or text once everything else is removed from
both; it matches an unquoted word's run of characters when the word occurs in
them as written. Phrases are drawn at run time from the samples' own text.
"""
from __future__ import annotations

import re

import pytest
from whoosh import query as wq

import indexer
from indexer.store.segmenter import fold
from indexer.search.facets import FacetTable, iter_bits
from indexer.search.highlight import PhraseTerm, find_spans, snippets
from indexer.store.index import open_whoosh_index
from indexer.search.matching import Matcher
from indexer.store.postings import Postings
from indexer.search.query import parse_query, text_query, tokens

from .test_search import ids

WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaffA-Za-z0-9]")
CJK = r"[\u4e00-\u9fff]"
PUNCT = "，、；："


def flat(text: str) -> str:
    """The word characters of ``text``, folded and lower-cased."""
    return "".join(WORD.findall(fold(text).lower()))


def records(docs) -> dict[str, tuple[str, str]]:
    """Record id → (title, text) as the index holds them."""
    out = {f"{d.id}#item-{i.number}": (d.title, i.text) for d in docs.values() for i in d.items}
    out.update({f"{d.id}#preamble": (d.title, d.preamble) for d in docs.values() if d.preamble and d.items[0].number})
    return out


def quoted_oracle(docs, phrase: str) -> set[str]:
    key = flat(phrase)
    return {rid for rid, parts in records(docs).items() if any(key in flat(p) for p in parts)}


def run_oracle(docs, word: str) -> set[str]:
    key = fold(word).lower()
    return {rid for rid, parts in records(docs).items() if any(key in fold(p).lower() for p in parts)}


def windows(docs, per_record: int = 1) -> list[str]:
    """From each record's text, the first stretch of 4–12 CJK characters either side
    of a ， or 、 (so each phrase holds punctuation inside)."""
    found = []
    for _, text in sorted(records(docs).values(), key=lambda p: p[1]):
        for m in list(re.finditer(rf"{CJK}{{2,6}}[，、]{CJK}{{2,6}}", text))[:per_record]:
            found.append(m.group(0))
    return sorted(set(found))


def variants(phrase: str) -> list[str]:
    """The phrase as pasted, without punctuation, with other punctuation, with ASCII
    punctuation and with spaces around it."""
    return [
        phrase,
        re.sub(rf"[{PUNCT}]", "", phrase),
        phrase.translate(str.maketrans("，、", "、，")),
        phrase.translate(str.maketrans("，、", ",,")),
        re.sub(rf"([{PUNCT}])", r" \1 ", phrase),
    ]


@pytest.fixture(scope="module")
def phrases(docs):
    found = windows(docs)
    assert len(found) >= 20
    return found


@pytest.mark.slow
def test_quoted_phrase_matches_its_characters_whatever_the_punctuation(search_index, docs, phrases):
    for phrase in phrases:
        expected = quoted_oracle(docs, phrase)
        assert expected, phrase
        for typed in variants(phrase):
            for quotes in ('"{}"', "“{}”", "「{}」"):
                assert ids(search_index.search(indexer.SearchRequest(q=quotes.format(typed), size=100))) == expected, typed


def test_quoted_phrase_finds_text_with_punctuation_the_query_lacks(search_index, docs):
    # Some pair of characters stands on both sides of a comma in the samples and nowhere side by side.
    pairs = sorted({m.group(1) + m.group(2) for _, text in records(docs).values()
                    for m in re.finditer(rf"({CJK})[，、]({CJK})", text)})
    apart = [p for p in pairs if not run_oracle(docs, p)]
    assert len(apart) >= 20
    for pair in apart:
        assert ids(search_index.search(indexer.SearchRequest(q=f'"{pair}"', size=100))) == quoted_oracle(docs, pair)


@pytest.fixture(scope="module")
def matcher(index_dir):
    with open_whoosh_index(index_dir).searcher() as searcher:
        postings = Postings(searcher)
        table = FacetTable.build(postings)
        yield Matcher(postings, table.live), searcher, table.size


def record_ids(searcher, bits, size) -> set[str]:
    return {searcher.stored_fields(d)["id"] for d in iter_bits(bits, size)}


def bigram_clause(word: str) -> wq.Query:
    """The clause of an unquoted word that finds its characters in a row."""
    q = text_query(word)
    return next(c for c in q.subqueries if getattr(c, "fieldname", "") == "body_bigram")


def test_unquoted_run_of_characters_never_crosses_punctuation(docs, matcher):
    match, searcher, size = matcher
    across = sorted({m.group(1) + m.group(2) for _, text in records(docs).values()
                     for m in re.finditer(rf"({CJK}{{1,3}})[，、。；]({CJK}{{1,3}})", text)})
    assert len(across) > 50
    assert any(not run_oracle(docs, w) for w in across)  # the test can fail
    for word in across:
        assert record_ids(searcher, match.bits(bigram_clause(word)), size) == run_oracle(docs, word), word


def test_quoted_phrases_in_the_query_language(search_index, docs):
    # Nested quotes: a pasted sentence that quotes something, quoted again.
    quoting = re.compile(rf"{CJK}{{0,3}}“[^”]{{2,20}}”{CJK}{{2,4}}")
    pasted = next(m.group(0) for _, t in sorted(records(docs).values()) for m in quoting.finditer(t))
    assert tokens(f"“{pasted}” 电梯") == [f"“{pasted}”", "电梯"]
    result = search_index.search(indexer.SearchRequest(q=f"“{pasted}”", size=100))
    assert ids(result) == quoted_oracle(docs, pasted) != set()
    assert result.terms == (pasted,) and isinstance(result.terms[0], PhraseTerm)


def test_numbers_and_words_meet_across_punctuation_only_in_quotes(tmp_path):
    # Our own two texts: a number and a word across a % sign in one, side by side in the other.
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("示例市人民政府通知\n\n全年完成目标的95%以上，建成5G网络。\n", "utf-8")
    (folder / "b.txt").write_text("示例市人民政府公告\n\n全年完成目标的95以上，建成5G 网络。\n", "utf-8")
    indexer.index_paths([folder], tmp_path / "ix")
    with indexer.SearchIndex(tmp_path / "ix") as ix:
        def found(q):
            return {h.doc_title for h in ix.search(indexer.SearchRequest(q=q)).hits}

        assert found("95以上") == {"示例市人民政府公告"}
        assert found('"95以上"') == found('"95%以上"') == {"示例市人民政府通知", "示例市人民政府公告"}
        assert found("5g网络") == found('"5G网络"') == {"示例市人民政府通知", "示例市人民政府公告"}


# --- highlighting -------------------------------------------------------------------------

def test_highlight_covers_the_texts_own_span(search_index, docs, phrases):
    for phrase in phrases[:10]:
        for typed in variants(phrase):
            result = search_index.search(indexer.SearchRequest(q=f'"{typed}"', size=100))
            assert result.hits, typed
            for hit in result.hits:
                marked = {f.text[s:e] for f in hit.fragments for s, e in f.highlights}
                assert phrase in marked, (typed, hit.id, marked)


def test_phrase_term_spans_skip_punctuation_and_plain_terms_do_not():
    text = "要按照“统筹推进、压实责任”的要求；各部门统筹推进压实责任。"
    loose = PhraseTerm("统筹推进，压实")
    assert [text[s:e] for s, e in find_spans(text, (loose,))] == ["统筹推进、压实", "统筹推进压实"]
    assert [text[s:e] for s, e in find_spans(text, ("统筹推进压实",))] == ["统筹推进压实"]
    assert find_spans(text, (PhraseTerm("“”，"),)) == []


def test_snippet_keeps_sentences_a_phrase_runs_across_together():
    text = "第一句话说的是别的事情。会议要求抓好落实；确保按期完成。最后一句话。"
    (fragment,) = snippets(text, (PhraseTerm("抓好落实确保按期"),))
    assert fragment.text == "会议要求抓好落实；确保按期完成。"
    assert [fragment.text[s:e] for s, e in fragment.highlights] == ["抓好落实；确保按期"]


def test_a_long_phrase_is_shown_whole_in_a_long_sentence():
    head, phrase, tail = "甲" * 150, "一二三四五六七八九十、" * 17, "乙" * 150
    (fragment,) = snippets(head + phrase + tail + "。", (PhraseTerm(phrase.rstrip("、")),))
    assert [fragment.text[s:e] for s, e in fragment.highlights] == [phrase.rstrip("、")]


def test_quoted_phrase_and_plain_word_of_one_text_highlight_as_the_phrase():
    parsed = parse_query('"原则、同意" 原则同意')
    assert parsed.terms == ("原则、同意", "原则同意")
    assert [type(t) for t in parsed.terms] == [PhraseTerm, str]
    assert [isinstance(t, PhraseTerm) for t in parse_query('原则同意 "原则同意"').terms] == [True]
