"""What a text says of the force of documents (indexer.parse.validity), on invented sentences."""
from __future__ import annotations

import pytest

from indexer.parse import (
    CONFIRMED,
    EXPIRED,
    REPEALED,
    REVISED,
    SELF,
    TERM,
    Statement,
    statements,
    years_after,
)


def found(title: str, text: str) -> list[tuple]:
    return [(s.kind, s.target, s.number, s.date, s.by) for s in statements(title, text)]


def test_a_repeal_names_what_it_repeals_and_takes_the_date_it_takes_effect():
    text = "第二十条　本办法自2021年5月1日起施行。2015年3月2日市政府发布的《示例市电梯安全管理暂行办法》同时废止。"
    assert found("示例市电梯安全管理办法", text) == [
        (REPEALED, "示例市电梯安全管理暂行办法", "", "2021-05-01", "")]
    (s,) = statements("示例市电梯安全管理办法", text)
    assert text[s.start:].startswith(s.sentence) and s.sentence.endswith("同时废止。")


def test_a_repeal_by_title_and_number_and_by_number_alone():
    assert found("", "自本通知印发之日起，《关于加强燃气安全检查的通知》（示府办发〔2018〕3号）停止执行。") == [
        (REPEALED, "关于加强燃气安全检查的通知", "示府办发〔2018〕3号", "", "")]
    assert found("", "自本通知印发之日起，示府办发〔2018〕3号同时废止。") == [
        (REPEALED, "", "示府办发〔2018〕3号", "", "")]
    assert found("", "《示例市禁止燃放烟花爆竹规定》和《示例市烟花爆竹安全管理办法》同时失效。") == [
        (EXPIRED, "示例市禁止燃放烟花爆竹规定", "", "", ""), (EXPIRED, "示例市烟花爆竹安全管理办法", "", "", "")]


@pytest.mark.parametrize("text", [
    "各部门要及时修改或废止不相适应的规定。",
    "需要制定、修改、废止地方性法规的，应当及时提出议案。",
    "与本规定相抵触的，全部或者相抵触的部分自行失效。",
    "请财政部提出对《示例市国有资产评估管理办法》的修订建议。",
    "各单位要修订和制定相关实施办法。",
    "落实好新修订的个人所得税法。",
    "提出废止劳动教养制度议案，制定修订行政法规47件。",
    "已经取消、停止执行的政务服务事项，不得继续实施。",
    "原则上每5年修订1次专业目录。",
    "按照《示例市规范性文件清理工作方案》要求对不适应的文件予以废止。",
])
def test_general_talk_is_no_statement(text):
    assert statements("示例市人民政府关于做好清理工作的通知", text) == ()


def test_a_revision_history_speaks_of_the_document_itself():
    text = ("（1994年1月28日示例市人民政府令第142号发布　根据2005年12月19日《示例市人民政府关于修改〈示例市物业管理办法〉的决定》"
            "第一次修订　2018年12月18日示例市人民政府令第707号第二次修订）")
    assert found("示例市物业管理办法", text) == [
        (REVISED, SELF, "", "2005-12-19", "示例市人民政府关于修改〈示例市物业管理办法〉的决定"),
        (REVISED, SELF, "", "2018-12-18", "示例市人民政府令第707号"),
    ]
    # the same with the spaces a reader took out: one date never runs into the next revision
    assert [f[3] for f in found("示例市物业管理办法", text.replace("　", ""))] == ["2005-12-19", "2018-12-18"]


def test_a_revised_text_published_or_issued_names_what_was_revised():
    assert found("", "现公布修订后的《示例市物业管理办法》，自2019年1月1日起施行。") == [
        (REVISED, "示例市物业管理办法", "", "2019-01-01", "")]
    assert found("", "《示例市人民政府工作规则》已经2023年6月16日市政府第54次常务会议修订通过，现予印发。") == [
        (REVISED, "示例市人民政府工作规则", "", "2023-06-16", "市政府第54次常务会议")]


def test_the_title_of_a_decision_says_what_it_repeals_revises_or_confirms():
    assert found("示例市人民政府关于废止《示例市摊点管理办法》的决定", "决定废止该办法。") == [
        (REPEALED, "示例市摊点管理办法", "", "", "")]
    assert found("示例市人民政府关于修改《示例市物业管理办法》的决定", "对该办法作如下修改。") == [
        (REVISED, "示例市物业管理办法", "", "", "")]
    listed = "现决定宣布下列文件失效：\n1．示例市人民政府关于加强集贸市场管理的通知（示府发〔1998〕30号）\n2．示例市人民政府关于整顿摊点的通知\n"
    assert found("示例市人民政府关于宣布失效一批规范性文件的决定", listed) == [
        (EXPIRED, "示例市人民政府关于加强集贸市场管理的通知", "示府发〔1998〕30号", "", ""),
        (EXPIRED, "示例市人民政府关于整顿摊点的通知", "", "", ""),
    ]
    assert found("示例市人民政府关于公布现行有效规范性文件目录的决定", "1．示例市停车管理办法（示府发〔2018〕12号）\n") == [
        (CONFIRMED, "示例市停车管理办法", "示府发〔2018〕12号", "", "")]


def test_a_term_of_validity_the_document_gives_itself():
    assert found("", "本通知有效期至2022年12月31日。") == [(TERM, SELF, "", "2022-12-31", "")]
    assert found("", "本意见自2020年3月1日起施行，有效期五年。") == [(TERM, SELF, "", "2020-03-01", "5年")]
    assert found("", "本办法有效期3年。") == [(TERM, SELF, "", "", "3年")]  # from the document's own date
    assert found("", "许可证有效期为3年。") == []
    assert years_after("2020-02-29", 5) == "2025-02-28"


def test_statements_are_plain_values():
    (s,) = statements("", "《甲办法》同时废止。")
    assert s == Statement(REPEALED, "甲办法", "", "《甲办法》同时废止。", 0, "", "")
