"""The Suzhou minutes (苏州市人民政府常务会议纪要〔2021〕9号), the one real
executive-meeting minutes in the corpus: every field of the data model, as a
reader of the file finds it. Read in place from ../shared/corpus."""
from __future__ import annotations

import re

import pytest

from indexer import citation, read_document

from ..conftest import SUZHOU

PRESENT = ('李亚平', '王翔', '蒋来清', '江海', '曹后灵', '杨知评', '王颺', '胡志斌', '沈觅', '周伟')
ATTENDING_PERSONS = ('吴琦', '张剑', '马九根', '张焱', '陈春明', '蒋华', '顾建明', '顾宝春', '谢飞', '张梁生')
# 列席 units in the order listed, each with its canonical name, persons and level.
ATTENDING = [
        ("市人大议案建议工委", ('陆菁',), "city"),
        ("市政协提案委", ('胡晓毅',), "city"),
        ("市中级人民法院", ('包刚',), "city"),
        ("市人民检察院", ('王勇',), "city"),
        ("市委组织部", ('翟克强',), "city"),
        ("市委宣传部", ('黄锡明',), "city"),
        ("市委政法委", ('杨杰如',), "city"),
        ("市委网信办", ('陈雪嵘',), "city"),
        ("市委编办", ('詹利剑',), "city"),
        ("市台办", ('沈晶',), "city"),
        ("市发改委", ('凌鸣',), "city"),
        ("市教育局", ('周志芳',), "city"),
        ("市科技局", ('张东驰',), "city"),
        ("市工信局", ('蔡剑峰', '张文彪'), "city"),
        ("市民宗局", ('周斌伟',), "city"),
        ("市公安局", ('黄戟',), "city"),
        ("市民政局", ('蒋亚亭',), "city"),
        ("市司法局", ('王侃',), "city"),
        ("市财政局", ('吴炜',), "city"),
        ("市人社局", ('朱正',), "city"),
        ("市自然资源和规划局", ('黄戟',), "city"),
        ("市生态环境局", ('毛元龙',), "city"),
        ("市住建局", ('王晓东',), "city"),
        ("市园林和绿化管理局", ('陈大林',), "city"),
        ("市城管局", ('赵金龙',), "city"),
        ("市交通运输局", ('傅明',), "city"),
        ("市水务局", ('陈习庆',), "city"),
        ("市农业农村局", ('吴文祥',), "city"),
        ("市商务局", ('孙建江',), "city"),
        ("市文广旅局", ('韩卫兵',), "city"),
        ("市卫健委", ('盛乐',), "city"),
        ("市应急管理局", ('葛卫',), "city"),
        ("市审计局", ('顾浩',), "city"),
        ("市外办", ('俞峰',), "city"),
        ("市国资委", ('盛红明',), "city"),
        ("市政府研究室", ('卢宁',), "city"),
        ("市行政审批局", ('许振华',), "city"),
        ("市市场监管局", ('虞伟',), "city"),
        ("市体育局", ('阙明清',), "city"),
        ("市统计局", ('虞峰',), "city"),
        ("市医保局", ('陈建民',), "city"),
        ("市粮食和物资储备局", ('江皓',), "city"),
        ("市人防办", ('陈正峰',), "city"),
        ("市地方金融监管局", ('谢善鸿',), "city"),
        ("市机关事务管理局", ('徐天图',), "city"),
        ("市供销总社", ('王向东',), "city"),
        ("市方志办", ('陈兴南',), "city"),
        ("市住房公积金管理中心", ('何伟农',), "city"),
        ("苏州创元集团", ('邹剑春',), "city"),
        ("市文旅集团", ('包维明',), "city"),
        ("苏州国发集团", ('翟俊生',), "city"),
        ("市城投公司", ('张涛',), "city"),
        ("苏州风景园林集团", ('朱颀',), "city"),
        ("市水务集团", ('徐国忠',), "city"),
        ("市轨道交通集团", ('姚振康',), "city"),
        ("市保障房公司", ('陈实',), "city"),
        ("苏州新城投资公司", ('高草原',), "city"),
        ("市税务局", ('朱中良',), "city"),
        ("市海关", ('杨文龙',), "city"),
        ("市供电公司", ('顾水福',), "city"),
        ("市邮政管理局", ('王贵祥',), "city"),
        ("市气象局", ('朱莲芳',), "city"),
        ("市人民银行", ('张蕾',), "city"),
        ("市银保监分局", ('戴玉明',), "city"),
        ("省太湖渔管办", ('王小林',), "province"),
        ("市工商联", ('邱良元',), "city"),
        ("张家港市", ('王松石',), "county"),
        ("常熟市", ('史纲',), "county"),
        ("太仓市", ('许超震',), "county"),
        ("昆山市", ('宋德强',), "county"),
        ("吴江区", ('万利',), "county"),
        ("吴中区", ('荣德明',), "county"),
        ("相城区", ('管傲新',), "county"),
        ("姑苏区", ('雷波',), "county"),
        ("苏州工业园区", ('卢渊',), "county"),
        ("市高新区管委会", ('高晓东',), "city"),
        ("太仓港口管委会", ('周晓荷',), "city"),
        ("市消防救援支队", ('朱亚明',), "city"),
        ("苏州火车站", ('俞涛',), "city"),
        ("市政府督查室", ('徐自建',), "city"),
]
# (number, action, decision, reviewed titles, departments with their roles, sub-points)
ITEMS = [
        (1, "听取", "原则同意", (), [('市政府办公室', 'lead'), ('市政协', 'mentioned')], 4),
        (2, "审议", "原则同意", ('苏州市优化营商环境创新行动2021',), [('市发改委', 'lead'), ('市委常委会', 'mentioned')], 3),
        (3, "听取", "原则同意", (), [('市发改委', 'lead')], 3),
        (4, "审议", "原则同意", ('“苏州制造”品牌建设三年行动计划', '关于全力打响“苏州制造”品牌的若干措施'), [('市工信局', 'lead'), ('市委常委会', 'mentioned')], 3),
        (5, "审议", "原则同意", ('苏州市电梯安全条例（草案）',), [('市市场监管局', 'lead'), ('市司法局', 'co-lead'), ('市人大常委会', 'mentioned')], 3),
        (6, "审议", "原则同意", ('进一步加强违法建设治理行动方案',), [('市城管局', 'lead'), ('市委常委会', 'mentioned')], 3),
        (7, "审议", "原则同意", ('关于推进苏州市独墅湖开放创新协同发展示范区建设的若干意见', '关于推进苏州市独墅湖开放创新协同发展示范区建设的工作方案'), [('市发改委', 'lead'), ('市委常委会', 'mentioned')], 3),
        (8, "听取", "原则同意", (), [('市市场监管局', 'lead')], 3),
        (9, "审议", "原则同意", ('关于推进苏州开发区开放创新发展的若干意见',), [('市商务局', 'lead'), ('市委常委会', 'mentioned')], 3),
]


@pytest.fixture(scope="module")
def doc(real_corpus):
    return read_document(SUZHOU)


def test_head(doc):
    assert (doc.title, doc.issuer, doc.issuer_level, doc.doc_type, doc.meeting_kind) == (
        "苏州市人民政府常务会议纪要", "苏州市人民政府", "city", "会议纪要", "常务会议")
    assert (doc.doc_number, doc.number_prefix, doc.number_year, doc.number_seq, doc.number_aliases) == (
        "〔2021〕9号", "", 2021, 9, ())
    assert (doc.session, doc.meeting, doc.chair, doc.chair_name, doc.chair_title) == (
        "第128次常务会议", "〔2021〕9号", "李亚平市长", "李亚平", "市长")
    assert (doc.addressees, doc.metadata) == ((), ())


def test_three_dates(doc):
    """Met on 23 February, compiled (整理) on 14 March, printed (印发) on 16 March; no signature."""
    assert (doc.date, doc.compiled, doc.issued, doc.signed, doc.year) == (
        "2021-02-23", "2021-03-14", "2021-03-16", "", "2021")


def test_closing_blocks(doc):
    assert doc.public == "此件公开发布"
    assert doc.distribution == ("各市、区人民政府", "苏州工业园区", "苏州高新区", "太仓港口管委会", "市各有关部门和单位")
    assert doc.attendance.recorder == "栗涛"
    assert doc.attendance.absent == ()


def test_present_and_attending_people(doc):
    assert doc.attendance.present == PRESENT
    assert doc.attendance.attending_persons == ATTENDING_PERSONS
    assert [(u.unit, u.persons, u.level) for u in doc.attendance.attending] == ATTENDING
    assert all(u.known for u in doc.attendance.attending)


def test_every_attending_person_is_in_the_file(doc):
    """No name invented or cut: each, with the file's line breaks and spaces removed, is in it."""
    flat = re.sub(r"\s", "", SUZHOU.read_text("utf-8"))
    people = [*doc.attendance.present, *doc.attendance.attending_persons,
              *(p for u in doc.attendance.attending for p in u.persons)]
    assert len(people) == 10 + 10 + 81
    assert [p for p in people if p not in flat] == []


def test_items(doc):
    assert [(i.number, i.action, i.decision, i.reviewed, [(r.name, r.role) for r in i.roles], len(i.subpoints))
            for i in doc.items] == ITEMS


def test_item_titles_are_the_headings(doc):
    """Each item's title is its heading line in the file (spaces from the PDF removed)."""
    headings = [re.sub(r"\s", "", m.group(1)) for m in
                re.finditer(r"^[一二三四五六七八九十]、(.+)$", SUZHOU.read_text("utf-8"), re.M)]
    assert [i.title for i in doc.items] == headings


def test_sub_points_mixed_brackets(doc):
    """（一） and (四) alike: every sub-point label of the file is a sub-point."""
    labels = re.findall(r"^[（(]([一二三四五六七八九十])[)）]", SUZHOU.read_text("utf-8"), re.M)
    assert [s.label for i in doc.items for s in i.subpoints] == [f"（{n}）" for n in labels]


def test_spans_partition_the_body(doc):
    assert doc.preamble_span[0] == doc.body_span[0] and doc.preamble_span[1] == doc.items[0].span[0]
    assert all(a.span[1] == b.span[0] for a, b in zip(doc.items, doc.items[1:]))
    assert doc.items[-1].span[1] == doc.body_span[1]
    assert "出席" not in doc.text[slice(*doc.body_span)]
    assert doc.preamble.startswith("2021年2月23日") and "第128次常务会议" in doc.preamble


def test_citation(doc):
    assert citation(doc.title, doc.doc_number, 5, 1, issuer=doc.issuer, date=doc.date) == \
        "《苏州市人民政府常务会议纪要》（〔2021〕9号）第五项第（一）点"
