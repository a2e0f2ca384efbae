"""The parser on the bundled specimens: fields as a reader of the minutes sees them."""
import dataclasses

import pytest

from indexer import Attendance, ParseError, parse_file, parse_text

from .conftest import CORPUS, MINUTES_2021_9


def test_executive_minutes_header_and_closing_blocks():
    doc = parse_file(MINUTES_2021_9)
    assert (doc.title, doc.issuer, doc.doc_type, doc.doc_number) == (
        "示例市人民政府常务会议纪要", "示例市人民政府", "会议纪要", "〔2021〕9号")
    assert (doc.session, doc.date, doc.chair, doc.issued) == ("第128次常务会议", "2021-05-17", "王明市长", "2021-05-20")
    assert doc.meeting == "〔2021〕9号" and doc.year == "2021"
    assert doc.attendance == Attendance(
        present=("王明", "李华", "张强", "陈静", "刘洋", "赵磊"),
        attending=("市政府办公室 周涛、吴敏", "市发改委 郑伟", "市司法局 孙丽", "市财政局 马超",
                   "市住建局 朱军", "市市场监管局 胡斌", "市统计局 郭芳"),
        absent=("林峰（出差）",),
        recorder="何平",
    )
    assert doc.distribution == ("市委办公室", "市人大常委会办公室", "市政协办公室", "各区人民政府", "市各委办局")


def test_executive_minutes_items_subpoints_and_departments():
    doc = parse_file(MINUTES_2021_9)
    assert [(i.number, i.title) for i in doc.items] == [
        (1, "听取全市一季度经济运行情况汇报"),
        (2, "审议《示例市优化营商环境创新行动2021》"),
        (3, "研究城市更新工作"),
        (4, "研究保障性租赁住房工作"),
        (5, "审议《示例市电梯安全条例（草案）》"),
        (6, "其他事项"),
    ]
    item5 = doc.items[4]
    assert [(s.number, s.label) for s in item5.subpoints] == [(1, "（一）"), (2, "（二）"), (3, "（三）")]
    assert item5.subpoints[0].text.startswith("（一）健全电梯安全责任体系。由市市场监管局牵头")
    assert item5.departments == ("市司法局", "市市场监管局", "市住建局", "市应急管理局", "市大数据局")
    assert "安全生产" in item5.topics and "法规规章" in item5.topics
    # The closing blocks are not part of the last item.
    assert doc.items[-1].text == "六、其他事项\n\n会议同意市财政局关于调整部分专项资金使用范围的请示，由市财政局会同市审计局加强资金监管。"


def test_messy_file_parses_like_a_clean_one():
    doc = parse_file(CORPUS / "示例市政府常务会议纪要-2020-15-messy.txt")
    assert (doc.doc_number, doc.session, doc.date, doc.chair, doc.issued) == (
        "〔2020〕15号", "第105次常务会议", "2020-12-24", "王明市长", "2020-12-28")
    assert doc.items[0].title == "审议《示例市2021年市级预算草案》"
    assert "原则同意《示例市2021年市级预算草案》，由市财政局" in doc.items[0].text
    assert "这是深入贯彻党的十九届五中全会精神" in doc.items[0].text  # page break joined
    assert "— 3 —" not in doc.items[0].text
    assert [s.label for s in doc.items[1].subpoints] == ["（一）", "（二）", "（三）"]


def test_gb18030_with_windows_line_endings():
    doc = parse_file(CORPUS / "示例市政府常务会议纪要-2021-12-gb18030.txt")
    assert (doc.doc_number, doc.session, doc.date) == ("〔2021〕12号", "第131次常务会议", "2021-06-28")
    assert [i.title for i in doc.items] == [
        "研究防汛防台工作", "研究既有住宅加装电梯工作", "审议《示例市中小学布局规划（2021—2035年）》"]
    assert "\r" not in doc.items[0].text


@pytest.mark.parametrize("name,title,doc_type,number,date,issuer", [
    ("示例市政府关于印发电梯安全管理办法的通知-2021-20.txt", "示例市人民政府关于印发示例市电梯安全管理办法的通知",
     "通知", "示府发〔2021〕20号", "2021-06-10", "示例市人民政府"),
    ("示例市政府办公室关于加快发展保障性租赁住房的实施意见-2022-05.txt",
     "示例市人民政府办公室关于加快发展保障性租赁住房的实施意见", "意见", "示府办〔2022〕5号", "2022-03-18",
     "示例市人民政府办公室"),
    ("示例市政府关于同意设立示例高新技术产业开发区的批复.html", "示例市人民政府关于同意设立示例高新技术产业开发区的批复",
     "批复", "示府复〔2020〕8号", "2020-09-15", "示例市人民政府"),
    ("示例市政府工作报告-2022.txt", "2022年示例市政府工作报告", "报告", "", "2022-01-10", ""),
    ("示例市政府专题会议纪要-2021-03.txt", "示例市人民政府专题会议纪要", "会议纪要", "〔2021〕3号", "2021-04-06",
     "示例市人民政府"),
])
def test_other_document_types(name, title, doc_type, number, date, issuer):
    doc = parse_file(CORPUS / name)
    assert (doc.title, doc.doc_type, doc.doc_number, doc.date, doc.issuer) == (title, doc_type, number, date, issuer)


def test_document_without_items_is_one_record():
    doc = parse_file(CORPUS / "示例市政府关于同意设立示例高新技术产业开发区的批复.html")
    assert len(doc.items) == 1
    item = doc.items[0]
    assert (item.number, item.title) == (0, doc.title)
    assert item.text.startswith("示例高新区管委会：")
    assert item.text.endswith("市财政局要统筹安排开发区启动资金。")  # signature and date are not body
    assert "tracker" not in item.text  # script content is dropped


def test_sessions_are_only_for_minutes():
    doc = parse_file(CORPUS / "示例市政府关于印发电梯安全管理办法的通知-2021-20.txt")
    assert doc.session == "" and doc.meeting == ""  # it cites 第128次常务会议, it is not one


def test_ascii_subpoint_markers():
    doc = parse_text("示例市人民政府专题会议纪要\n〔2021〕1号\n\n一、关于试点\n(一)第一点。\n(二)第二点。\n")
    assert [(s.label, s.text) for s in doc.items[0].subpoints] == [("（一）", "（一）第一点。"), ("（二）", "（二）第二点。")]


def test_id_is_stable_and_derived_from_issuer_and_number():
    a = parse_file(MINUTES_2021_9)
    b = parse_text(MINUTES_2021_9.read_text("utf-8") + "\n补充一行。")
    assert a.id == b.id
    assert a.id != parse_file(CORPUS / "示例市政府常务会议纪要-2021-12-gb18030.txt").id


def test_documents_are_frozen():
    doc = parse_file(MINUTES_2021_9)
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.title = "x"


@pytest.mark.parametrize("name,content,reason", [
    ("report.docx", b"PK\x03\x04", "unsupported file type .docx; supported: .htm, .html, .text, .txt"),
    ("empty.txt", b"", "file is empty"),
    ("blob.txt", b"\x00\x01\x02", "binary file (contains NUL bytes), not text"),
])
def test_bad_files_raise_parse_error_naming_file_and_reason(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ParseError) as e:
        parse_file(path)
    assert (e.value.path, e.value.reason) == (str(path), reason)


def test_missing_file(tmp_path):
    with pytest.raises(ParseError) as e:
        parse_file(tmp_path / "gone.txt")
    assert e.value.reason == "cannot read file: No such file or directory"
