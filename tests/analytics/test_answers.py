"""The answer card (issue 27): a question read from a query, answered from parsed structure only.

The expected values are written here by reading the sample files (samples/corpus), not
computed by the code under test; the real corpus's question set is tests/analytics/test_answers_real.py.
"""
from __future__ import annotations

import pytest

import indexer
from indexer.analytics.answers import Question, ask, core

SAMPLE_MINUTES = "《示例市人民政府常务会议纪要》（〔2021〕9号）"


@pytest.mark.parametrize("q,expected", [
    ("电梯安全条例谁牵头", Question("电梯安全条例", "lead")),
    ("电梯安全条例由哪个部门负责？", Question("电梯安全条例", "lead")),
    ("电梯安全条例的牵头单位是谁", Question("电梯安全条例", "lead")),
    ("电梯安全条例是哪次会议审议的", Question("电梯安全条例", "meeting")),
    ("电梯安全条例什么时候审议的", Question("电梯安全条例", "meeting")),
    ("电梯安全条例会议是否同意", Question("电梯安全条例", "decision")),
    ("电梯安全条例决定了什么", Question("电梯安全条例", "decision")),
    ("电梯安全条例现在还有效吗", Question("电梯安全条例", "validity")),
    ("优化营商环境条例什么时候公布的", Question("优化营商环境条例", "issued")),
    ("《苏州市电梯安全条例（草案）》", Question("《苏州市电梯安全条例（草案）》", "")),
    ("“苏州制造”品牌建设三年行动计划谁牵头", Question("“苏州制造”品牌建设三年行动计划", "lead")),
    ("谁牵头", None),  # no subject
    ("电梯", None),  # too short to name one
    ("部门：市发改委", None),  # the query language
    ("电梯 -加装", None),
    ("防汛 OR 预算", None),
])
def test_a_query_is_read_as_a_question(q, expected):
    assert ask(q) == expected


@pytest.mark.parametrize("title,expected", [
    ("苏州市电梯安全条例（草案）", "电梯安全条例"),
    ("苏州市2021年重点项目投资计划草案的汇报", "重点项目投资计划"),
    ("2020年苏州市市长质量奖评审情况的汇报", "市长质量奖评审"),
    ("关于全力打响“苏州制造”品牌的若干措施", "全力打响苏州制造品牌的若干措施"),
    ("国务院关于在线政务服务的若干规定", "在线政务服务的若干规定"),
    ("城市生活无着的流浪乞讨人员救助管理办法", "城市生活无着的流浪乞讨人员救助管理办法"),  # 城市 is no place
])
def test_the_core_a_query_must_hold(title, expected):
    assert core(title) == expected


def test_a_card_names_the_leads_the_decision_and_the_meeting(search_index):
    card = indexer.answer_dict(search_index.answer("示例市电梯安全条例谁牵头"))
    # 五、审议《示例市电梯安全条例（草案）》 of 示例市政府常务会议纪要-2021-09.txt, read by hand.
    assert card["subject"] == "示例市电梯安全条例（草案）"
    assert card["question"] == {"subject": "示例市电梯安全条例", "asks": "lead", "asks_label": "谁牵头"}
    assert card["place"]["citation"] == SAMPLE_MINUTES + "第五项"
    assert card["decision"] == {
        "text": "会议原则同意《示例市电梯安全条例（草案）》，由市司法局根据会议意见修改完善后，按程序提请市人大常委会审议。",
        "citation": SAMPLE_MINUTES + "第五项"}
    assert [(u["name"], u["role_label"], u["sentence"], u["citation"]) for u in card["units"]] == [
        ("市司法局", "牵头", "会议原则同意《示例市电梯安全条例（草案）》，由市司法局根据会议意见修改完善后，按程序提请市人大常委会审议。",
         SAMPLE_MINUTES + "第五项"),
        ("市市场监管局", "牵头", "由市市场监管局牵头，会同市住建局、市应急管理局，建立电梯安全监管责任清单，落实属地管理责任。",
         SAMPLE_MINUTES + "第五项第（一）点"),
        ("市住建局", "牵头", "市住建局要结合老旧小区改造，推动老旧电梯更新改造和维修资金使用。", SAMPLE_MINUTES + "第五项第（三）点"),
        ("市应急管理局", "会同配合", "由市市场监管局牵头，会同市住建局、市应急管理局，建立电梯安全监管责任清单，落实属地管理责任。",
         SAMPLE_MINUTES + "第五项第（一）点"),
        ("市大数据局", "会同配合", "市市场监管局要会同市大数据局，建设电梯安全智慧监管平台，实现困人故障实时报警和应急处置全程可追溯。",
         SAMPLE_MINUTES + "第五项第（二）点"),
    ]
    meeting = {k: card["meeting"][k] for k in ("doc_number", "session", "date", "chair", "citation")}
    assert meeting == {"doc_number": "〔2021〕9号", "session": "第128次常务会议", "date": "2021-05-17",
                       "chair": "王明市长", "citation": SAMPLE_MINUTES}


@pytest.mark.parametrize("q", [
    "电梯安全",  # words of a topic, no subject
    "示例市电梯安全条例什么时候施行",  # a question the structure has no line for
    "示例市电梯安全条例现在是否有效",  # a reviewed draft with no adopted text here: no force to tell
    "示例市电梯安全管理办法谁牵头",  # a notice names no lead of its own
    "政府工作报告是哪次会议通过的",
    "示例市电梯安全条例谁主持召开",  # not a question the card answers
])
def test_no_card_when_the_structure_does_not_answer(search_index, q):
    assert search_index.answer(q) is None


def _minutes(n: int, date: str, title: str, lead: str, also: str = "") -> str:
    y, m, d = date.split("-")
    return f"""示例市人民政府常务会议纪要

〔{y}〕{n}号

示例市人民政府办公室                    {y}年{int(m)}月{int(d) + 2}日

　　{y}年{int(m)}月{int(d)}日，王明市长主持召开市政府第{300 + n}次常务会议。会议审议了《{title}》。纪要如下：

　　一、审议《{title}》

　　会议原则同意《{title}》。由{lead}牵头，根据会议意见修改完善后印发实施。{also}

　　出席：王明　李华

　　记录：张三
"""


NOTICE = """示例市人民政府文件

示府发〔2023〕31号

示例市人民政府关于印发示例市电梯维保管理办法的通知

各区人民政府，市各委办局：

　　《示例市电梯维保管理办法》已经市政府常务会议审议通过，现印发给你们，请认真贯彻执行。

　　本办法自2023年5月1日起施行，《示例市电梯维保暂行规定》同时废止。

示例市人民政府
2023年4月10日
"""


@pytest.fixture(scope="module")
def policy_index(tmp_path_factory):
    root = tmp_path_factory.mktemp("answers")
    files = {
        "draft.txt": _minutes(1, "2023-03-05", "示例市电梯维保管理办法（草案）", "市市场监管局"),
        "notice.txt": NOTICE,
        "later.txt": _minutes(7, "2023-09-12", "示例市电梯维保管理办法实施情况评估方案", "市司法局",
                              "会议要求认真落实《示例市电梯维保管理办法》。"),
        "one.txt": _minutes(2, "2023-05-06", "示例市公交线网优化方案", "市交通运输局"),
        "two.txt": _minutes(3, "2023-06-06", "示例市公交线网建设方案", "市住建局"),
        "again.txt": _minutes(4, "2023-07-06", "示例市公交线网建设方案", "市交通运输局"),
    }
    for name, text in files.items():
        (root / "corpus").mkdir(exist_ok=True)
        (root / "corpus" / name).write_text(text, "utf-8")
    indexer.index_paths([root / "corpus"], root / "index")
    with indexer.SearchIndex(root / "index") as ix:
        yield ix


def test_later_documents_carried_it_out(policy_index):
    card = indexer.answer_dict(policy_index.answer("电梯维保管理办法谁牵头"))
    assert [u["name"] for u in card["units"]] == ["市市场监管局"]
    assert card["meeting"]["session"] == "第301次常务会议"
    # The 印发 notice of the adopted text, and a later meeting that cites it, oldest first.
    assert [(p["citation"], p["date"]) for p in card["later"]] == [
        ("《示例市人民政府关于印发示例市电梯维保管理办法的通知》（示府发〔2023〕31号）", "2023-04-10"),
        ("《示例市人民政府常务会议纪要》（〔2023〕7号）第一项", "2023-09-12"),
    ]


def test_validity_is_what_a_document_says_never_a_default(policy_index):
    named = indexer.answer_dict(policy_index.answer("示例市电梯维保暂行规定现在还有效吗"))  # a title no file holds
    assert (named["kind"], named["validity"]["label"], named["validity"]["date"], named["place"]["citation"]) == (
        "named", "已废止", "2023-05-01", "《示例市人民政府关于印发示例市电梯维保管理办法的通知》（示府发〔2023〕31号）")
    assert named["validity"]["sentence"] == "本办法自2023年5月1日起施行，《示例市电梯维保暂行规定》同时废止。"
    # The reviewed draft's force is its adopted text's; nothing speaks of that: 未见废止, not 现行有效.
    draft = indexer.answer_dict(policy_index.answer("电梯维保管理办法现在是否有效"))
    assert (draft["validity"]["label"], draft["validity"]["of"], draft["validity"]["sentence"]) == (
        "未见废止", "示例市人民政府关于印发示例市电梯维保管理办法的通知", "")
    assert policy_index.answer("示例市公交线网优化方案现在是否有效") is None  # no text of it to judge


def test_words_two_titles_share_name_neither(policy_index):
    assert policy_index.answer("公交线网谁牵头") is None  # 优化方案 or 建设方案: no guess
    assert policy_index.answer("示例市公交线网优化方案谁牵头").leads == ("市交通运输局",)


def test_two_meetings_that_gave_it_to_different_units_answer_no_lead(policy_index):
    assert policy_index.answer("示例市公交线网建设方案谁牵头") is None
    card = policy_index.answer("示例市公交线网建设方案是哪次会议审议的")  # the first, and the later one
    assert (card.meeting.session, [p.date for p in card.later]) == ("第303次常务会议", ["2023-07-06"])
