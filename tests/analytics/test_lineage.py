"""A policy's path across its names (indexer.analytics.lineage): the 征求意见稿 letter, the 草案 the
meeting reviewed, the adopted text, its 印发 notice, a 修改 decision and the repeal, each link with
its reason, in the engine, /api/policy and /policy (the sample minutes and invented specimens)."""
from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import quote

import pytest

import indexer
from indexer.analytics import stem
from webapp import create_app

from ..conftest import MINUTES_2021_9
from .test_validity import HIDDEN, notice, regulation

POLICY = "示例市电梯安全条例"
SPECIMENS = {
    "letter.txt": notice("关于征求《示例市电梯安全条例（征求意见稿）》意见的函", "示司函〔2021〕6号", "2021-03-01",
                         "现将《示例市电梯安全条例（征求意见稿）》送上，请于3月15日前反馈意见。", issuer="示例市司法局"),
    "regulation.txt": regulation(POLICY, "（2021年9月1日示例市第十六届人民代表大会常务委员会第三十次会议通过）",
                                 ["为了加强电梯安全管理，制定本条例。", "本条例自2021年12月1日起施行。"]),
    "issued.txt": notice(f"关于印发{POLICY}的通知", "示府发〔2021〕31号", "2021-09-15", f"现将《{POLICY}》印发给你们，请认真贯彻执行。"),
    "amend.txt": notice(f"关于修改《{POLICY}》的决定", "示人大常〔2023〕3号", "2023-06-01",
                        f"决定对《{POLICY}》第二条作如下修改。", issuer="示例市人民代表大会常务委员会"),
    "repeal.txt": notice("关于印发示例市特种设备安全管理办法的通知", "示府发〔2025〕2号", "2025-01-20",
                         f"现将《示例市特种设备安全管理办法》印发给你们。本办法自2025年3月1日起施行，《{POLICY}》同时废止。"),
    "hidden.txt": notice("关于电梯安全专项检查的通知", "示府办函〔2022〕9号", "2022-04-01",
                         f"按照《{POLICY}》开展专项检查。", closing=HIDDEN, issuer="示例市人民政府办公室"),
}


def test_the_stem_of_a_title_takes_its_stage_marks_off():
    assert stem("示例市电梯安全条例（草案）") == ("示例市电梯安全条例", "草案")
    assert stem("《示例市电梯安全条例(征求意见稿)》") == ("示例市电梯安全条例", "征求意见稿")
    assert stem("示例市电梯安全管理暂行办法") == ("示例市电梯安全管理办法", "暂行")
    assert stem("示例市人民政府关于印发示例市电梯安全管理办法（试行）的通知") == ("示例市电梯安全管理办法", "试行")
    assert stem("示例市电梯安全管理办法") == ("示例市电梯安全管理办法", "")


@pytest.fixture(scope="module")
def lineage_index(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("lineage-docs")
    shutil.copy(MINUTES_2021_9, folder / MINUTES_2021_9.name)  # item 五 reviews 《示例市电梯安全条例（草案）》
    for name, text in SPECIMENS.items():
        (folder / name).write_text(text, "utf-8")
    index = tmp_path_factory.mktemp("lineage-index")
    assert indexer.index_paths([folder], index).failed == ()
    return index


EXPECTED = [
    ("2021-03-01", "提及", "征求意见稿及其定稿", "示例市电梯安全条例（征求意见稿）", "示司函〔2021〕6号"),
    ("2021-05-17", "审议", "草案及其通过文本", "示例市电梯安全条例（草案）", "〔2021〕9号"),
    ("2021-09-01", "文本", "标题相同（规范化后）", POLICY, ""),
    ("2021-09-15", "印发", "会议通过事项的印发通知（标题相同、日期在后、发文机关相同）", POLICY, "示府发〔2021〕31号"),
    ("2023-06-01", "修订", "修改决定", POLICY, "示人大常〔2023〕3号"),
    ("2025-03-01", "废止", "废止", POLICY, "示府发〔2025〕2号"),
]


def test_the_path_links_every_name_of_the_policy_with_its_reason(lineage_index):
    with indexer.SearchIndex(lineage_index, time_limit=None) as ix:
        path = ix.lineage(f"《{POLICY}》", access=indexer.Access.anonymous())
        staff = ix.lineage(POLICY, access=indexer.Access.staff())
        table = ix.validity_table()
        regulation_id = next(d for d, f in table.documents.items() if f.title == POLICY)
        status = ix.validity(regulation_id)
    assert [(link.date, link.stage, link.reason, link.title, link.place.doc_number) for link in path.links] == EXPECTED
    review = path.links[1]
    assert (review.place.item_no, review.action, review.decision) == (5, "审议", "原则同意")
    assert path.links[-1].sentence == f"本办法自2025年3月1日起施行，《{POLICY}》同时废止。"
    assert path.names == (POLICY, "示例市电梯安全条例（征求意见稿）", "示例市电梯安全条例（草案）")
    # the internal notice is on the path for staff only
    assert [link.place.doc_number for link in staff.links if link.place.doc_number == "示府办函〔2022〕9号"] == [
        "示府办函〔2022〕9号"]
    assert (status.label, status.decided.doc_number, [e.label for e in status.evidence]) == (
        "已废止", "示府发〔2025〕2号", ["已修订", "已废止"])


def test_the_policy_page_and_its_json_show_the_path(lineage_index):
    app = create_app({"INDEX": str(lineage_index), "TESTING": True})  # anonymous: public documents
    try:
        client = app.test_client()
        data = client.get(f"/api/policy?title={quote(POLICY)}").get_json()
        page = client.get(f"/policy?title={quote(POLICY)}").get_data(as_text=True)
    finally:
        app.extensions["minutes"].close()
    assert [(x["event_date"], x["stage"], x["reason"], x["name"], x["doc_number"]) for x in data["lineage"]] == EXPECTED
    assert list(data["lineage"][0]) == ["doc_id", "doc_title", "doc_number", "date", "item_no", "item_title", "citation",
                                        "url", "stage", "reason", "name", "event_date", "action", "decision", "sentence"]
    # (the steps are the items naming this very title, as before: the documents that cite it)
    assert [s["doc_number"] for s in data["steps"]] == ["示府发〔2021〕31号", "示人大常〔2023〕3号", "示府发〔2025〕2号"]
    assert data["names"][0] == POLICY
    assert "关联依据：<span class=\"reason\">草案及其通过文本</span>（《示例市电梯安全条例（草案）》）" in page
    assert "会议通过事项的印发通知" in page and "修改决定" in page and "同时废止。”" in page
    assert "专项检查" not in page
