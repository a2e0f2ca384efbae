"""A document's force (现行有效 / 已修订 / 已废止 / 已失效 / 未见废止), decided at commit from what later
documents say, with the document and sentence that decided it: in the engine, the facet, hits,
citations, /api/doc and the reading view (invented specimens)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import indexer
from indexer.analytics import ValidityTable
from webapp import create_app

PUBLIC, HIDDEN = "（此件公开发布）\n", "（此件不公开）\n"


def notice(title: str, number: str, date: str, body: str, closing: str = PUBLIC, issuer: str = "示例市人民政府") -> str:
    y, m, d = date.split("-")
    return (f"{issuer}{title}\n{number}\n各区人民政府，市各委办局：\n　　{body}\n"
            f"　　一、落实责任。各区要抓好落实。\n{issuer}\n{int(y)}年{int(m)}月{int(d)}日\n{closing}")


def regulation(title: str, history: str, articles: list[str]) -> str:
    return (f"{title}\n{history}\n" + "\n".join(f"第{n}条　{a}" for n, a in zip("一二三四五六", articles))
            + "\n" + PUBLIC)


OFFICE = "示例市人民政府办公室"
SPECIMENS = {
    "interim.txt": notice("关于印发示例市电梯安全管理暂行办法的通知", "示府发〔2019〕5号", "2019-03-05",
                          "现将《示例市电梯安全管理暂行办法》印发给你们，请认真贯彻执行。"),
    # repeals the interim measures by title and number, from the day it takes effect
    "adopted.txt": notice("关于印发示例市电梯安全管理办法的通知", "示府发〔2021〕20号", "2021-04-10",
                          "现将《示例市电梯安全管理办法》印发给你们。本办法自2021年5月1日起施行，"
                          "《示例市电梯安全管理暂行办法》（示府发〔2019〕5号）同时废止。"),
    # a term of its own, long passed
    "pilot.txt": notice("关于开展老旧小区加装电梯试点的通知", "示府发〔2020〕8号", "2020-02-01",
                        "在三个区开展加装电梯试点。本通知有效期至2022年12月31日。"),
    "gas.txt": notice("关于加强燃气安全检查的通知", "示府办发〔2018〕3号", "2018-05-02", "各区要开展燃气安全检查。", issuer=OFFICE),
    # names the old notice by a shorter title than its own: found by its number
    "gas-new.txt": notice("关于进一步加强燃气安全管理的通知", "示府办发〔2022〕7号", "2022-06-01",
                          "各区要落实燃气安全管理责任。自本通知印发之日起，《关于加强燃气安全检查的通知》"
                          "（示府办发〔2018〕3号）停止执行。", issuer=OFFICE),
    "property-2019.txt": regulation("示例市物业管理条例", "（2019年6月1日示例市第十六届人民代表大会常务委员会第十次会议通过）",
                                    ["为了规范物业管理活动，制定本条例。", "本条例自2019年9月1日起施行。"]),
    # the revised text: its history revises the 2019 text
    "property-2023.txt": regulation("示例市物业管理条例", "（2019年6月1日示例市第十六届人民代表大会常务委员会第十次会议通过"
                                    "　2023年3月1日示例市第十六届人民代表大会常务委员会第二十次会议修订）",
                                    ["为了规范物业管理活动，维护业主合法权益，制定本条例。", "本条例自2023年5月1日起施行。"]),
    "parking.txt": notice("关于印发示例市停车管理办法的通知", "示府发〔2018〕12号", "2018-08-08", "现将《示例市停车管理办法》印发给你们。"),
    # a repeal only internal readers see: no evidence for anyone's label
    "parking-hidden.txt": notice("关于调整停车管理工作的通知", "示府办函〔2022〕2号", "2022-09-09",
                                 "《示例市停车管理办法》（示府发〔2018〕12号）同时废止。", closing=HIDDEN, issuer=OFFICE),
    # general talk of repeal and revision: nothing is labelled by it
    "talk.txt": notice("关于做好规范性文件清理工作的通知", "示府办发〔2023〕4号", "2023-04-04",
                       "各部门要及时修改或废止不相适应的规定，并提出对《示例市物业管理条例》的修订建议。", issuer=OFFICE),
    # a later list of what is in force: the one kind of evidence for 现行有效
    "current.txt": notice("关于公布现行有效规范性文件目录的决定", "示府发〔2024〕1号", "2024-01-05",
                          "现将现行有效的规范性文件目录公布如下：\n1．示例市人民政府办公室关于进一步加强燃气安全管理的通知（示府办发〔2022〕7号）"),
}


@pytest.fixture(scope="module")
def validity_index(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("validity-docs")
    for name, text in SPECIMENS.items():
        (folder / name).write_text(text, "utf-8")
    index = tmp_path_factory.mktemp("validity-index")
    report = indexer.index_paths([folder], index)
    assert report.failed == ()
    return index


@pytest.fixture(scope="module")
def ix(validity_index):
    with indexer.SearchIndex(validity_index, time_limit=None) as ix:
        yield ix


def ids(ix) -> dict[str, str]:
    """Each specimen's document id, by file name."""
    return {Path(f.source).name: d for d, f in _sources(ix).items()}


def _sources(ix):
    found = {}
    for d in ix.validity_table().documents:
        found[d] = ix.document(d)
    return found


def labels(ix) -> dict[str, str]:
    table = ix.validity_table()
    return {name: table.label(doc_id) for name, doc_id in ids(ix).items()}


def test_every_label_rests_on_a_document_and_its_sentence(ix):
    assert labels(ix) == {
        "interim.txt": "已废止", "adopted.txt": "未见废止", "pilot.txt": "已失效", "gas.txt": "已废止",
        "gas-new.txt": "现行有效", "property-2019.txt": "已修订", "property-2023.txt": "未见废止",
        "parking.txt": "未见废止", "parking-hidden.txt": "未见废止", "talk.txt": "未见废止", "current.txt": "未见废止",
    }
    doc = ids(ix)
    decided = {name: ix.validity(doc_id).decided for name, doc_id in doc.items()}
    assert {name: (e.doc_id, e.date, e.sentence) for name, e in decided.items() if e} == {
        "interim.txt": (doc["adopted.txt"], "2021-05-01",
                        "本办法自2021年5月1日起施行，《示例市电梯安全管理暂行办法》（示府发〔2019〕5号）同时废止。"),
        "pilot.txt": (doc["pilot.txt"], "2022-12-31", "本通知有效期至2022年12月31日。"),
        "gas.txt": (doc["gas-new.txt"], "2022-06-01",
                    "自本通知印发之日起，《关于加强燃气安全检查的通知》（示府办发〔2018〕3号）停止执行。"),
        "gas-new.txt": (doc["current.txt"], "2024-01-05",
                        "1．示例市人民政府办公室关于进一步加强燃气安全管理的通知（示府办发〔2022〕7号）"),
        "property-2019.txt": (doc["property-2023.txt"], "2023-03-01",
                              "2023年3月1日示例市第十六届人民代表大会常务委员会第二十次会议修订"),
    }
    assert ix.validity(doc["pilot.txt"]).until == "2022-12-31"
    # nothing said: 未见废止, with no evidence — never 现行有效 by default
    assert ix.validity(doc["parking.txt"]) == indexer.Validity("未见废止")


def test_a_document_some_reader_may_not_see_is_no_evidence(ix):
    doc = ids(ix)
    assert ix.validity(doc["parking.txt"]).evidence == ()
    said = ix.validity_table().said_by(doc["parking-hidden.txt"])
    assert [(s.kind, s.target, targets) for s, targets in said] == [("repealed", "示例市停车管理办法", (doc["parking.txt"],))]
    with pytest.raises(indexer.DocumentNotFound):
        ix.validity(doc["parking-hidden.txt"], indexer.Access.anonymous())


def test_the_table_is_written_at_commit_and_rebuilt_from_the_index_alone(validity_index, ix, tmp_path):
    files = list((validity_index / "live").glob("validity-*.json"))
    assert len(files) == 1 and json.loads(files[0].read_text("utf-8"))["format"] == 2
    copy = tmp_path / "index"
    shutil.copytree(validity_index, copy)
    for f in (copy / "live").glob("validity-*.json"):
        f.unlink()  # missing: a searcher reads it from the stored records
    with indexer.SearchIndex(copy, time_limit=None) as rebuilt:
        assert labels(rebuilt) == labels(ix)
        searcher = rebuilt._current().searcher
        assert ValidityTable.build(searcher).documents == ix.validity_table().documents


def _repealed(index: Path) -> set[str]:
    with indexer.SearchIndex(index, time_limit=None) as opened:
        result = opened.search(indexer.SearchRequest(validity=("已废止",), size=50))
        assert opened._current()._validity is None  # a search reads the labels alone, not the table
        return {h.doc_title for h in result.hits if h.validity == "已废止"}


def test_a_searcher_opens_on_the_labels_alone_and_a_passed_term_decides_again(validity_index, ix, tmp_path):
    [saved] = (validity_index / "live").glob("validity_labels-*.json")
    data = json.loads(saved.read_text("utf-8"))
    assert set(data["labels"].values()) == {"已废止", "已失效", "已修订", "现行有效"} and data["until"] == ""
    assert len(_repealed(validity_index)) == 2
    copy = tmp_path / "index"
    shutil.copytree(validity_index, copy)
    [labels_file] = (copy / "live").glob("validity_labels-*.json")
    # The file is what the searcher reads: a file with no labels gives a facet with none ...
    labels_file.write_text(json.dumps({**data, "labels": {}}), "utf-8")
    assert _repealed(copy) == set()
    # ... unless a term it counted on has ended since: then the table decides again.
    labels_file.write_text(json.dumps({**data, "labels": {}, "until": "2001-01-01"}), "utf-8")
    with indexer.SearchIndex(copy, time_limit=None) as opened:
        result = opened.search(indexer.SearchRequest(validity=("已废止",), size=50))
        assert len({h.doc_title for h in result.hits}) == 2
        assert opened.validity(ids(ix)["pilot.txt"]).label == "已失效"


def test_the_facet_filters_and_counts_and_hits_carry_the_label_and_a_marked_citation(ix):
    result = ix.search(indexer.SearchRequest(validity=("已废止",), size=50))
    assert {h.doc_title for h in result.hits} == {"示例市人民政府关于印发示例市电梯安全管理暂行办法的通知",
                                                  "示例市人民政府办公室关于加强燃气安全检查的通知"}
    assert {h.validity for h in result.hits} == {"已废止"}
    assert all(h.citation.endswith("（已废止）") for h in result.hits)
    counts = {v.value: (v.count, v.selected) for v in result.facets["validity"]}
    assert counts["已废止"] == (4, True) and counts["已失效"][0] == 2 and counts["现行有效"][0] == 2
    everything = ix.search(indexer.SearchRequest(q="燃气"))
    assert {(h.doc_title, h.validity, h.citation.endswith("（已废止）")) for h in everything.hits} >= {
        ("示例市人民政府办公室关于进一步加强燃气安全管理的通知", "现行有效", False),
        ("示例市人民政府办公室关于加强燃气安全检查的通知", "已废止", True)}


@pytest.fixture
def client(validity_index):
    app = create_app({"INDEX": str(validity_index), "TESTING": True, "ANONYMOUS_ACCESS": "staff"})
    yield app.test_client()
    app.extensions["minutes"].close()


def test_the_json_gives_the_label_its_basis_and_what_a_document_says(client, ix):
    doc = ids(ix)
    data = client.get(f"/api/doc/{doc['interim.txt']}").get_json()
    assert data["validity"] == "已废止" and data["valid_until"] == ""
    assert data["validity_basis"] == {
        "label": "已废止", "kind": "repealed", "kind_label": "废止", "doc_id": doc["adopted.txt"],
        "doc_title": "示例市人民政府关于印发示例市电梯安全管理办法的通知", "doc_number": "示府发〔2021〕20号",
        "date": "2021-05-01",
        "sentence": "本办法自2021年5月1日起施行，《示例市电梯安全管理暂行办法》（示府发〔2019〕5号）同时废止。", "by": "",
        "citation": "《示例市人民政府关于印发示例市电梯安全管理办法的通知》（示府发〔2021〕20号）",
        "url": f"/doc/{doc['adopted.txt']}"}
    assert data["validity_evidence"] == [data["validity_basis"]]
    assert data["citation"].endswith("（已废止）") and data["items"][0]["citation"].endswith("第一项（已废止）")
    adopted = client.get(f"/api/doc/{doc['adopted.txt']}").get_json()
    assert (adopted["validity"], adopted["validity_basis"], adopted["validity_evidence"]) == ("未见废止", None, [])
    assert [(s["kind"], s["target"], s["number"], [d["doc_id"] for d in s["documents"]])
            for s in adopted["validity_statements"]] == [
        ("repealed", "示例市电梯安全管理暂行办法", "示府发〔2019〕5号", [doc["interim.txt"]])]
    hits = client.get("/api/search?validity=已修订").get_json()
    assert [(h["doc_title"], h["validity"]) for h in hits["hits"]] == [("示例市物业管理条例", "已修订")]
    assert [v["value"] for v in hits["facets"]["validity"] if v["selected"]] == ["已修订"]


def test_the_pages_show_the_label_and_its_evidence(client, ix):
    doc = ids(ix)
    page = client.get(f"/doc/{doc['interim.txt']}").get_data(as_text=True)
    assert '<dd class="validity" data-validity="已废止">已废止 <span class="meta">（据<a href="/doc/' in page
    assert "示府发〔2019〕5号）同时废止。”" in page
    assert "（已废止）" in page
    unknown = client.get(f"/doc/{doc['parking.txt']}").get_data(as_text=True)
    assert "未见废止" in unknown and "不等于现行有效" in unknown
    search = client.get("/search?q=燃气").get_data(as_text=True)
    assert '<span class="validity" data-validity="已废止">已废止</span>' in search
    assert '<section class="facet" data-facet="validity">' in search and "有效性" in search
    # an anonymous reader: the hidden repeal names nothing on the page of what it would repeal
    anonymous = create_app({"INDEX": str(client.application.config["INDEX"]), "TESTING": True})
    try:
        public = anonymous.test_client().get(f"/doc/{doc['parking.txt']}").get_data(as_text=True)
        assert "调整停车管理工作" not in public and "未见废止" in public
    finally:
        anonymous.extensions["minutes"].close()
