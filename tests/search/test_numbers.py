"""Document numbers in every spelling find their document first (indexer.parse.numbers and
the ranking of ParsedQuery.pinned), on the samples and on documents made from them."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

import indexer
from indexer.parse import numbers
from indexer.store.index import create_index
from indexer.store.records import document_records
from indexer.store.lifecycle import live_dir
from indexer.store.records import Location



@pytest.mark.parametrize("typed", [
    "〔2021〕9号", "[2021]9号", "(2021)9号", "（2021）9号", "［２０２１］９号", "【2021】09号", "﹝2021﹞9号",
    "〔2021) 9 号", " 〔2021〕 9号 ", "2021年9号", "2021年第9号",
])
def test_bare_numbers_key_to_one_spelling(typed):
    assert numbers.key(typed) == "〔2021〕9号"


@pytest.mark.parametrize("typed", ["国发〔2019〕5号", "国发[2019]5号", "国发（2019）05号", "国发 〔2019〕 5号", "国发2019年第5号"])
def test_numbers_with_their_issuer_keep_it(typed):
    assert numbers.key(typed) == "国发〔2019〕5号"


@pytest.mark.parametrize("typed,key", [
    ("国务院令第999号", "国务院令第999号"), ("中华人民共和国国务院令第999号", "国务院令第999号"),
    ("国务院令 第 999 号", "国务院令第999号"), ("国务院令999号", "国务院令第999号"), ("国务院第999号令", "国务院令第999号"),
    ("国令第999号", "国令第999号"), ("交通运输部令第5号", "交通运输部令第5号"),
])
def test_decree_numbers_key_to_their_issuer_and_sequence(typed, key):
    assert numbers.key(typed) == key


@pytest.mark.parametrize("typed", ["电梯安全", "第128次常务会议", "2021年9月", "〔2021〕", "9号", "令", ""])
def test_other_words_are_not_numbers(typed):
    assert numbers.key(typed) is None


def test_a_documents_keys():
    assert numbers.document_keys("国发〔2019〕5号", (), 2019, 5) == ("国发〔2019〕5号", "〔2019〕5号")
    assert numbers.document_keys("〔2021〕9号", (), 2021, 9) == ("〔2021〕9号",)
    assert numbers.document_keys("国务院令第999号", ("国令第999号", "中华人民共和国国务院令第999号"), 0, 999) == (
        "国务院令第999号", "国令第999号")
    assert numbers.document_keys("", (), 0, 0) == ()


def search(ix, q, size=100):
    return ix.search(indexer.SearchRequest(q=q, size=size))


@pytest.mark.parametrize("typed", ["〔2021〕 9号", "［２０２１］９号", "2021年第9号", "〔2021〕09号", "( 2021 ) 9 号"])
def test_spellings_with_spaces_and_widths_find_the_meeting_first(search_index, typed):
    hits = search(search_index, typed).hits
    assert [h.doc_number for h in hits[:7]] == ["〔2021〕9号"] * 7  # its preamble and six items


def test_a_number_among_words_ranks_its_documents_records_first(search_index):
    # 示府办〔2022〕5号 cites 〔2021〕9号 about housing.
    hits = search(search_index, "〔2021〕9号 住房").hits
    own = [h for h in hits if h.doc_number == "〔2021〕9号"]
    assert own and len(own) < len(hits)  # other records match too, and come after
    assert hits[:len(own)] == tuple(own)


@pytest.fixture(scope="module")
def decree_index(tmp_path_factory, docs):
    """The samples, plus a decree made from the notice (国务院令第999号, also 国令第999号) and
    an item of the 2021-03 minutes rewritten to mention that decree again and again."""
    notice = docs["示例市政府关于印发电梯安全管理办法的通知-2021-20.txt"]
    decree = replace(notice, id="d00000000999", source="decree", content_hash="decree", doc_number="国务院令第999号",
                     number_aliases=("国令第999号",), number_prefix="国务院", number_year=0, number_seq=999)
    minutes = docs["示例市政府专题会议纪要-2021-03.txt"]
    mention = "国务院令第999号国令第999号" * 20
    first = replace(minutes.items[0], text=f"{minutes.items[0].title}\n{mention}")
    mentioner = replace(minutes, id="m00000000999", source="mentioner", content_hash="mentioner",
                        doc_number="〔2021〕99号", number_year=2021, number_seq=99, items=(first, *minutes.items[1:]))
    path = tmp_path_factory.mktemp("decree-index")
    ix = create_index(live_dir(path))
    with ix.writer() as writer:
        for doc in (*(d for d in docs.values() if d is not notice), decree, mentioner):
            for record in document_records(doc, Location("1", Path(doc.source).name)):
                writer.add_document(**record)
    ix.close()
    with indexer.SearchIndex(path) as search_index:
        yield search_index


@pytest.mark.parametrize("typed", ["国务院令第999号", "国令第999号", "中华人民共和国国务院令第999号", "国务院令 第999号", "国务院第999号令"])
def test_decree_number_in_any_spelling_finds_the_decree_first(decree_index, typed):
    hits = search(decree_index, typed).hits
    decree = [h for h in hits if h.doc_id == "d00000000999"]
    assert len(decree) == 6  # its preamble and five items
    assert hits[:6] == tuple(decree)
    if typed.replace(" ", "") in ("国务院令第999号", "国令第999号"):  # the spellings the other text uses
        assert "m00000000999" in {h.doc_id for h in hits[6:]}  # it mentions the decree, and comes after
    assert decree_index.lookup(typed) == ("d00000000999",)  # typed alone, it opens the decree
