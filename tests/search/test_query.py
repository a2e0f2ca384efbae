"""Every part of the query language, with exact expected hits on the sample index."""
import pytest

from indexer import SearchRequest

from .test_search import ids, item_texts


def search(ix, q="", **kw):
    return ix.search(SearchRequest(q=q, size=100, **kw))


def records_where(docs, keep):
    """Record ids of the documents for which ``keep(doc)`` holds."""
    return {rid for rid in item_texts(docs) if keep(next(d for d in docs.values() if rid.startswith(d.id)))}


@pytest.mark.parametrize("phrase,expected_text", [
    ('"预算工作"', "预算工作"),
    ('"常务会议研究"', "常务会议研究"),
    ('"议研究防汛"', "议研究防汛"),  # starts in the middle of a jieba word
    ("「加装电梯」", "加装电梯"),
])
def test_phrases_across_segmentation_boundaries(search_index, docs, phrase, expected_text):
    expected = {rid for rid, text in item_texts(docs).items() if expected_text in text}
    assert expected
    assert ids(search(search_index, phrase)) == expected


@pytest.mark.parametrize("written", ["部门：发改委", "部门:发改委", "部门：市发展和改革委员会", "部门：发展改革委"])
def test_department_prefix_resolves_aliases(search_index, written):
    assert ids(search(search_index, written)) == ids(search(search_index, dept=("市发改委",)))
    assert search(search_index, written).total == 7


def test_department_abbreviation_as_a_plain_word(search_index, docs):
    texts = item_texts(docs)
    result = ids(search(search_index, "发改委"))
    assert {rid for rid, t in texts.items() if "发改委" in t} <= result
    assert result == ids(search(search_index, "市发改委"))


@pytest.mark.parametrize("prefix_query,facet", [
    ("主题：安全生产", {"topic": ("安全生产",)}),
    ("年份：2020", {"year": ("2020",)}),
    ("年份:2022", {"year": ("2022",)}),
])
def test_prefix_equals_the_facet_filter(search_index, prefix_query, facet):
    assert ids(search(search_index, prefix_query)) == ids(search(search_index, **facet)) != set()


def test_date_range(search_index, docs):
    expected = records_where(docs, lambda d: "2021-05-01" <= d.date <= "2021-06-31")
    assert ids(search(search_index, "日期：2021-05..2021-06")) == expected
    assert {d.date for d in docs.values() if d.id in {r.split("#")[0] for r in expected}} == {
        "2021-05-17", "2021-06-10", "2021-06-28"}


def test_document_type(search_index, docs):
    assert ids(search(search_index, "类型：纪要")) == records_where(docs, lambda d: d.doc_type == "会议纪要")
    assert ids(search(search_index, "类型：通知")) == records_where(docs, lambda d: d.doc_type == "通知")


def test_prefixes_combine_with_words_and_exclusions(search_index, docs):
    texts = item_texts(docs)
    got = ids(search(search_index, "电梯 类型：纪要 -部门：市住建局"))
    minutes = records_where(docs, lambda d: d.doc_type == "会议纪要")
    with_housing = ids(search(search_index, dept=("市住建局",)))
    assert got == {r for r in minutes if "电梯" in texts[r]} - with_housing != set()


def test_synonyms_expand(search_index, docs):
    expected = {rid for rid, t in item_texts(docs).items() if "保障性租赁住房" in t or "保障性住房" in t}
    assert ids(search(search_index, "保租房")) == expected


def test_proximity_ranks_adjacent_words_first(search_index):
    top = search(search_index, "电梯 安全").hits[0]
    assert "电梯安全" in "".join(f.text for f in top.fragments)


def test_relaxed_fallback_when_no_item_has_every_word(search_index, docs):
    result = search(search_index, "电梯 防汛基地")
    assert result.relaxed is True
    # Every record with some of the words: 电梯, or part of 防汛基地 (a bigram of it); none has 防汛基地.
    texts = item_texts(docs)
    some = {k for k, t in texts.items() if any(w in t for w in ("电梯", "防汛", "汛基", "基地"))}
    assert ids(result) == some and result.total == len(some)
    assert not any("防汛基地" in t for t in texts.values())
    assert any("防汛" in texts[k] and "电梯" not in texts[k] for k in some)  # found through the second word
    assert search(search_index, "电梯 安全").relaxed is False


@pytest.mark.parametrize("typed,meant", [("电梯安权", "电梯安全"), ("市发该委 经济", "市发改委 经济")])
def test_did_you_mean(search_index, typed, meant):
    assert search(search_index, typed).did_you_mean == meant


def test_no_suggestion_for_words_that_exist(search_index):
    assert search(search_index, "电梯安全").did_you_mean == ""


def test_autocomplete(search_index):
    suggestions = search_index.suggest("发改")
    assert suggestions[0].value == "发改委" and suggestions[0].kind == "dept"
    assert [s.value for s in search_index.suggest("电梯")][:3] == [
        "电梯安全", "示例市人民政府关于印发示例市电梯安全管理办法的通知", "示例市电梯安全条例（草案）"]
    assert search_index.suggest("") == ()
    assert search_index.suggest("？？") == ()


def test_people_at_the_meeting_are_searchable(search_index, docs):
    recorded_by = {f"{d.id}#preamble" for d in docs.values() if d.attendance.recorder == "何平"}
    assert len(recorded_by) == 3
    assert ids(search(search_index, "何平")) == recorded_by
    sent = {f"{d.id}#preamble" for d in docs.values() if any("胡斌" in u.persons for u in d.attendance.attending)}
    assert ids(search(search_index, "胡斌")) == sent


def test_preamble_hits_point_at_the_preamble(search_index, docs):
    hit = search(search_index, '"常务会议研究"').hits[0]
    assert (hit.part, hit.item_no, hit.item_title) == ("preamble", 0, "会议概况")
    assert hit.citation == "《示例市人民政府常务会议纪要》（〔2021〕12号）"


def test_a_year_before_a_word_means_that_years_record(search_index, docs):
    """2022年政府工作报告: the report of 2022 even where its title carries no year; and
    the run as written still matches where it stands in the text."""
    report = next(d for d in docs.values() if d.doc_type == "政府工作报告")
    found = search(search_index, f"{report.year}年政府工作报告")
    assert found.hits and found.hits[0].doc_id == report.id and not found.relaxed
    assert search(search_index, "1999年政府工作报告").relaxed  # no record of 1999: nothing has it all
