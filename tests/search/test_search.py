"""Search over a real Whoosh index built from the bundled samples."""
import shutil

import pytest

import indexer
from indexer import FacetValue, QueryError, SearchRequest

from ..conftest import CORPUS


def search(ix, q="", **kw):
    return ix.search(SearchRequest(q=q, **kw))


def item_texts(docs):
    """Record id → searchable text, straight from the parser: the document's title
    and the text of one item, or of the preamble of a document with numbered items."""
    texts = {f"{d.id}#item-{i.number}": f"{d.title}。{i.text}" for d in docs.values() for i in d.items}
    texts.update({f"{d.id}#preamble": f"{d.title}。{d.preamble}"
                  for d in docs.values() if d.preamble and d.items[0].number})
    return texts


def ids(result):
    return {h.id for h in result.hits}


def test_electric_lift_safety_finds_item_five_of_2021_9_first(search_index):
    result = search(search_index, "电梯安全")
    top = result.hits[0]
    assert (top.doc_number, top.item_no, top.item_title) == ("〔2021〕9号", 5, "审议《示例市电梯安全条例（草案）》")
    assert top.citation == "《示例市人民政府常务会议纪要》（〔2021〕9号）第五项"
    assert top.fragments[0].text == "五、审议《示例市电梯安全条例（草案）》"
    assert top.fragments[0].highlights == ((8, 12),)


def test_quoted_phrase_returns_exactly_the_items_containing_it(search_index, docs):
    expected = {key for key, text in item_texts(docs).items() if "原则同意" in text}
    result = search(search_index, '"原则同意"', size=100)
    assert ids(result) == expected
    assert result.total == len(expected) == 6


def test_phrase_does_not_match_words_apart(search_index, docs):
    # 电梯 and 管理 both occur in many items, the phrase 电梯管理 nowhere.
    assert not any("电梯管理" in t for t in item_texts(docs).values())
    assert search(search_index, "“电梯管理”").total == 0
    assert search(search_index, "电梯 管理").total > 0


def test_phrase_in_chinese_quotes_and_segmentation_independent_recall(search_index, docs):
    # jieba splits 预算工作 differently in query and text; the bigram field still finds it.
    expected = {key for key, text in item_texts(docs).items() if "预算工作" in text}
    assert ids(search(search_index, "“预算工作”")) == expected != set()


def test_exclusion_and_or(search_index, docs):
    texts = item_texts(docs)
    with_lift = {k for k, t in texts.items() if "电梯" in t}
    without_fitting = {k for k in with_lift if "加装" not in texts[k]}
    # 升降机 is a synonym of 电梯 (indexer/data/synonyms.tsv); no sample uses it.
    assert ids(search(search_index, "电梯 -加装", size=100)) == without_fitting
    either = {k for k, t in texts.items() if "防汛" in t or "预算" in t}
    assert ids(search(search_index, "防汛 OR 预算", size=100)) == either


@pytest.mark.parametrize("q", ["〔2021〕9号", "[2021]9号", "(2021)9号", "（2021）9号", "2021年9号", "【2021】9号",
                               "文号：〔2021〕9号", "文号:[2021]9号", "第128次常务会议", "会议：第128次"])
def test_document_number_and_session_find_the_meeting_first(search_index, q):
    result = search(search_index, q, size=100)
    meeting = [h for h in result.hits if h.doc_number == "〔2021〕9号"]
    assert len(meeting) == 7  # its preamble and six items
    assert result.hits[:7] == tuple(meeting)


def test_session_also_finds_documents_that_cite_it(search_index):
    result = search(search_index, "第128次常务会议", size=100)
    citing = {h.doc_number for h in result.hits[7:]}
    assert citing == {"示府发〔2021〕20号", "示府办〔2022〕5号"}  # both say 经市政府第128次常务会议…


def test_prefixed_document_number(search_index):
    result = search(search_index, "示府发〔2021〕20号", size=100)
    assert {h.doc_number for h in result.hits[:6]} == {"示府发〔2021〕20号"}  # its preamble and five items
    assert [h.id.split("#")[1] for h in result.hits[6:]] == ["item-2"]  # 〔2021〕12号 item 二 cites it
    assert result.hits[6].doc_number == "〔2021〕12号"


def test_facet_counts_as_whole_structures(search_index):
    # By hand: in 2021, 市市场监管局 is named with lifts in items 一 and 二 of 〔2021〕3号 and its
    # preamble (which lists who attended), 五 of 〔2021〕9号, 二 of 〔2021〕12号 and 四 of
    # 示府发〔2021〕20号. Counts are disjunctive: the dept counts ignore the dept selection
    # (市住建局 is named with lifts in 7 records of 2021), the year counts ignore the year
    # selection (item 二 of 〔2020〕15号 adds 2020).
    result = search(search_index, "电梯", dept=("市市场监管局",), year=("2021",))
    assert result.total == 6
    assert result.facets == {
        "dept": (
            FacetValue("市住建局", 7, False), FacetValue("市市场监管局", 6, True),
            FacetValue("市应急管理局", 4, False), FacetValue("市消防救援支队", 3, False),
            FacetValue("市自然资源和规划局", 2, False), FacetValue("市财政局", 2, False),
            FacetValue("业主委员会", 1, False), FacetValue("市人大常委会", 1, False), FacetValue("市司法局", 1, False),
            FacetValue("市大数据局", 1, False), FacetValue("市文广旅局", 1, False),
        ),
        "topic": (
            FacetValue("安全生产", 4, False), FacetValue("财政金融", 2, False), FacetValue("卫生健康", 1, False),
            FacetValue("城市管理与违法建设", 1, False), FacetValue("市场监管与质量", 1, False),
            FacetValue("应急与疫情防控", 1, False), FacetValue("民生保障", 1, False), FacetValue("法治与立法", 1, False),
        ),
        "meeting": (
            FacetValue("〔2021〕3号", 3, False), FacetValue("〔2021〕12号", 1, False), FacetValue("〔2021〕9号", 1, False),
        ),
        "year": (FacetValue("2021", 6, True), FacetValue("2020", 1, False)),
        "doc_type": (FacetValue("会议纪要", 5, False), FacetValue("通知", 1, False)),
        "validity": (FacetValue("未见废止", 6, False),),  # no sample says anything of another's force
    }


def test_values_within_a_facet_are_ored_and_facets_anded(search_index):
    one = search(search_index, dept=("市水务局",)).total
    other = search(search_index, dept=("市教育局",)).total
    both = search(search_index, dept=("市水务局", "市教育局")).total
    assert both == one + other == 2
    assert search(search_index, dept=("市水务局",), topic=("教育",)).total == 0


def test_selected_value_without_matches_stays_visible(search_index):
    result = search(search_index, "防汛", dept=("市教育局",))
    assert result.total == 0
    # Disjunctive: the other departments still show what they would give.
    assert result.facets["dept"][-1] == FacetValue("市教育局", 0, True)
    assert FacetValue("市水务局", 1, False) in result.facets["dept"]


def test_empty_query_browses_newest_first(search_index):
    result = search(search_index, size=100)
    dates = [h.date for h in result.hits]
    assert result.total == len(dates) == 33  # 26 items and 7 preambles
    assert dates == sorted(dates, reverse=True)


def test_sort_oldest_and_pagination(search_index):
    first = search(search_index, "会议", sort="oldest", size=3)
    second = search(search_index, "会议", sort="oldest", size=3, page=2)
    assert [h.date for h in first.hits] == sorted(h.date for h in first.hits)
    assert first.hits[-1].date <= second.hits[0].date
    assert not {h.id for h in first.hits} & {h.id for h in second.hits}
    assert first.pages == -(-first.total // 3)


@pytest.mark.parametrize("kwargs,message", [
    (dict(page=0), "page: must be between 1 and 500"),
    (dict(size=1000), "size: must be between 1 and 100"),
    (dict(sort="random"), "sort: must be one of relevance, newest, oldest"),
    (dict(year=("21",)), "year: '21' is not a four-digit year"),
    (dict(q="电" * 501), "q: query is 501 characters; the limit is 500"),
])
def test_invalid_requests(kwargs, message):
    with pytest.raises(QueryError) as e:
        SearchRequest(**kwargs)
    assert str(e.value) == message


def test_snippets_cut_at_sentences_and_mark_every_term(search_index):
    hit = search(search_index, "保障性租赁住房 市财政局").hits[0]
    for fragment in hit.fragments:
        assert fragment.highlights
        marked = {fragment.text[s:e] for s, e in fragment.highlights}
        assert marked <= {"保障性租赁住房", "市财政局"}


def test_document_round_trips_through_the_index(search_index, docs):
    for parsed in docs.values():
        stored = search_index.document(parsed.id)
        assert stored.items == parsed.items
        assert stored.attendance == parsed.attendance
        assert (stored.title, stored.doc_number, stored.date, stored.preamble) == (
            parsed.title, parsed.doc_number, parsed.date, parsed.preamble)


def test_unknown_document(search_index):
    with pytest.raises(indexer.DocumentNotFound):
        search_index.document("nope")


def segment_sizes(index_dir):
    """Records (live or deleted) in each of the index's segments, as Whoosh sees them."""
    from indexer.store.index import open_whoosh_index

    ix = open_whoosh_index(index_dir)
    try:
        with ix.reader() as reader:
            return [leaf.doc_count_all() for leaf, _ in reader.leaf_readers()]
    finally:
        ix.close()


@pytest.mark.slow
def test_searcher_is_reopened_not_refreshed_after_a_merge(tmp_path):
    """Regression for whoosh-reloaded 2.7.5, where Searcher.refresh() after a merge
    returns old and new segments together (duplicate hits). We reopen instead;
    this must hold whichever Whoosh distribution is installed.

    Each ``index_paths`` run is one commit and one new segment; Whoosh's merge policy
    (MERGE_SMALL) merges small segments once there are five, so the sixth commit,
    which also replaces a document held in the first segment, merges them. One
    searcher stays open throughout and is compared after every commit with an
    oracle computed from the parsed files: every record once, none of the old ones."""
    index_dir, folder = tmp_path / "ix", tmp_path / "a"
    folder.mkdir()
    names = ["示例市政府专题会议纪要-2021-03.txt", "示例市政府关于印发电梯安全管理办法的通知-2021-20.txt",
             "示例市政府常务会议纪要-2021-09.txt", "示例市政府办公室关于加快发展保障性租赁住房的实施意见-2022-05.txt",
             "示例市政府工作报告-2022.txt", "示例市政府常务会议纪要-2021-12-gb18030.txt"]
    ix = None

    def check():
        expected = item_texts({f.name: indexer.read_document(f) for f in folder.iterdir()})
        everything = search(ix, size=100)
        assert sorted(h.id for h in everything.hits) == sorted(expected)  # each record once
        assert everything.total == len(expected)
        lift = search(ix, '"电梯"', size=100)
        assert sorted(h.id for h in lift.hits) == sorted(k for k, t in expected.items() if "电梯" in t)
        assert lift.total == len(lift.hits)

    for n, name in enumerate(names[:5], 1):
        shutil.copy(CORPUS / name, folder)
        indexer.index_paths([folder], index_dir)
        ix = ix or indexer.SearchIndex(index_dir)
        check()
        assert len(segment_sizes(index_dir)) == n  # one segment per commit so far
    assert len(search(ix, '"电梯"', size=100).hits) > len(search(ix, '"扶梯"', size=100).hits) == 0

    # The sixth commit: a new file, and the first file changed (its records in the first
    # segment deleted and written anew), with 电梯 become 扶梯.
    shutil.copy(CORPUS / names[5], folder)
    first = folder / names[0]
    first.write_text(first.read_text(encoding="utf-8").replace("电梯", "扶梯"), encoding="utf-8")
    before = segment_sizes(index_dir)
    indexer.index_paths([folder], index_dir)
    after = segment_sizes(index_dir)
    assert len(after) < len(before) == 5, (before, after)  # the commit merged segments
    check()
    assert sum(after) == search(ix).total  # the merged segment holds no deleted (replaced) record
    assert search(ix, '"扶梯"', size=100).total > 0
    ix.close()


def test_searcher_opened_on_an_empty_index_sees_later_documents(tmp_path):
    index_dir = tmp_path / "ix"
    empty = tmp_path / "empty"
    empty.mkdir()
    indexer.index_paths([empty], index_dir)
    ix = indexer.SearchIndex(index_dir)
    assert search(ix, "电梯").total == 0
    indexer.index_paths([CORPUS / "示例市政府专题会议纪要-2021-03.txt"], index_dir)
    assert search(ix, "电梯").total == 4  # three items and the preamble
    ix.close()


def test_index_built_with_another_analyzer_is_refused(tmp_path):
    import json

    index_dir = tmp_path / "ix"
    indexer.index_paths([CORPUS / "示例市政府专题会议纪要-2021-03.txt"], index_dir)
    meta_file = index_dir / "live" / "minutes-meta.json"
    meta = json.loads(meta_file.read_text())
    meta_file.write_text(json.dumps(dict(meta, analyzer="0000000000000000")))
    with pytest.raises(indexer.IndexOutdated) as e:
        indexer.SearchIndex(index_dir)
    assert str(e.value) == (f"index at {index_dir} is outdated (built with a different analyzer or dictionary); "
                            f"rebuild it with: minutes index PATH... --index {index_dir} --rebuild")
    meta_file.write_text(json.dumps(dict(meta, schema_version=0)))
    with pytest.raises(indexer.IndexOutdated, match="schema version 0, expected"):
        indexer.SearchIndex(index_dir)
    # Indexing into it is refused too, rather than mixing two analyzers in one index.
    with pytest.raises(indexer.IndexOutdated):
        indexer.index_paths([CORPUS / "示例市政府常务会议纪要-2021-09.txt"], index_dir)
    # --rebuild starts over with today's settings, from the file the index held and the one named.
    report = indexer.index_paths([CORPUS / "示例市政府常务会议纪要-2021-09.txt"], index_dir, rebuild=True)
    assert len(report.indexed) == 2
    with indexer.SearchIndex(index_dir) as ix:
        assert search(ix, "电梯安全").total > 0


def test_every_hit_satisfies_the_filters(search_index):
    for page in (1, 2):
        result = search(search_index, "电梯", dept=("市市场监管局", "市住建局"), year=("2021",), size=3, page=page)
        assert result.hits
        for hit in result.hits:
            assert {"市市场监管局", "市住建局"} & set(hit.departments) and hit.date.startswith("2021")


@pytest.mark.parametrize("q", ["部门：市发改委", "市发改委", "部门：市市场监管局 电梯"])
def test_records_a_department_leads_come_first(search_index, docs, q):
    """Asked for a department, the items it leads come before those that only mention it."""
    leads = {f"{d.id}#item-{i.number}" for d in docs.values() for i in d.items
             if indexer.gazetteer_canonical(q.split("：")[-1].split()[0]) in i.leads}
    result = search_index.search(SearchRequest(q=q, size=100))
    order = [h.id in leads for h in result.hits]
    assert any(order) and not all(order)
    assert order == sorted(order, reverse=True)  # every lead before every other hit
