"""The parser on the bundled specimens: fields as a reader of the minutes sees them."""
import dataclasses

import pytest

from indexer import (
    CO_LEAD,
    LEAD,
    MENTIONED,
    Attendance,
    AttendingUnit,
    ParseError,
    TopicMatch,
    parse_file,
    parse_text,
)

from ..conftest import CORPUS, MINUTES_2021_9


def test_executive_minutes_header_and_closing_blocks():
    doc = parse_file(MINUTES_2021_9)
    assert (doc.title, doc.issuer, doc.doc_type, doc.meeting_kind) == (
        "示例市人民政府常务会议纪要", "示例市人民政府", "会议纪要", "常务会议")
    assert (doc.doc_number, doc.number_prefix, doc.number_year, doc.number_seq) == ("〔2021〕9号", "", 2021, 9)
    assert (doc.session, doc.date, doc.issued) == ("第128次常务会议", "2021-05-17", "2021-05-20")
    assert (doc.chair, doc.chair_name, doc.chair_title) == ("王明市长", "王明", "市长")
    assert doc.meeting == "〔2021〕9号" and doc.year == "2021"
    assert doc.attendance == Attendance(
        present=("王明", "李华", "张强", "陈静", "刘洋", "赵磊"),
        attending=(
            AttendingUnit("市政府办公室", ("周涛", "吴敏"), level="city"), AttendingUnit("市发改委", ("郑伟",), level="city"),
            AttendingUnit("市司法局", ("孙丽",), level="city"), AttendingUnit("市财政局", ("马超",), level="city"),
            AttendingUnit("市住建局", ("朱军",), level="city"), AttendingUnit("市市场监管局", ("胡斌",), level="city"),
            AttendingUnit("市统计局", ("郭芳",), level="city"),
        ),
        absent=("林峰（出差）",),
        recorder="何平",
    )
    assert doc.distribution == ("市委办公室", "市人大常委会办公室", "市政协办公室", "各区人民政府", "市各委办局")


def test_executive_minutes_items():
    doc = parse_file(MINUTES_2021_9)
    assert [(i.number, i.action, i.decision, i.title) for i in doc.items] == [
        (1, "听取", "", "听取全市一季度经济运行情况汇报"),
        (2, "审议", "原则同意", "审议《示例市优化营商环境创新行动2021》"),
        (3, "研究", "", "研究城市更新工作"),
        (4, "研究", "原则同意", "研究保障性租赁住房工作"),
        (5, "审议", "原则同意", "审议《示例市电梯安全条例（草案）》"),
        (6, "", "同意", "其他事项"),
    ]
    # 《示例市优化营商环境创新行动 2021》 in the text: the inner space is gone.
    assert [i.reviewed for i in doc.items] == [
        (), ("示例市优化营商环境创新行动2021",), (), (), ("示例市电梯安全条例（草案）",), ()]
    # The closing blocks are not part of the last item.
    assert doc.items[-1].text == "六、其他事项\n会议同意市财政局关于调整部分专项资金使用范围的请示，由市财政局会同市审计局加强资金监管。"


def test_department_roles_per_item():
    doc = parse_file(MINUTES_2021_9)
    roles = {i.number: [(r.name, r.role) for r in i.roles] for i in doc.items}
    assert roles[1] == [("市发改委", LEAD), ("市统计局", CO_LEAD), ("市工信局", CO_LEAD)]
    assert roles[2] == [("市发改委", LEAD), ("市行政审批局", LEAD), ("市大数据局", CO_LEAD)]
    assert roles[5] == [
        ("市司法局", LEAD), ("市市场监管局", LEAD), ("市住建局", LEAD),
        ("市应急管理局", CO_LEAD), ("市大数据局", CO_LEAD), ("市人大常委会", MENTIONED),
    ]
    assert roles[6] == [("市财政局", LEAD), ("市审计局", CO_LEAD)]
    assert doc.items[4].leads == ("市司法局", "市市场监管局", "市住建局")


def test_preamble_departments_and_topics():
    """Read once, by the parser, for the preamble's record (its dept and topic facets)."""
    doc = parse_text("示例市人民政府专题会议纪要\n〔2021〕4号\n\n"
                     "会议听取了市发改委关于电梯安全的汇报，市住建局参加。纪要如下：\n一、关于电梯\n由市应急管理局牵头。\n")
    assert [(r.name, r.role) for r in doc.preamble_roles] == [("市发改委", MENTIONED), ("市住建局", MENTIONED)]
    assert [t.topic for t in doc.preamble_topics] == ["安全生产"]
    assert [r.name for r in doc.items[0].roles] == ["市应急管理局"]


def test_department_names_are_canonical_however_written():
    doc = parse_text("示例市人民政府专题会议纪要\n〔2021〕1号\n\n一、关于试点\n"
                     "由市场监管局牵头，会同发展改革委、市住房和城乡建设局抓好落实。\n"
                     "二、关于检查\n市市场监督管理局要会同市发展和改革委员会开展检查。\n")
    assert [[(r.name, r.role) for r in i.roles] for i in doc.items] == [
        [("市市场监管局", LEAD), ("市发改委", CO_LEAD), ("市住建局", CO_LEAD)],
        [("市市场监管局", LEAD), ("市发改委", CO_LEAD)],
    ]


def test_unknown_units_are_kept_and_flagged():
    doc = parse_text("示例市人民政府专题会议纪要\n〔2021〕2号\n\n一、关于轨道交通\n"
                     "由示例轨道交通建设指挥部办公室牵头，会同市电力公司推进。会议听取了市水利工程中心的汇报。\n")
    assert [(r.name, r.role, r.known) for r in doc.items[0].roles] == [
        ("示例轨道交通建设指挥部办公室", LEAD, False), ("市电力公司", CO_LEAD, False), ("市水利工程中心", MENTIONED, False)]


def test_names_inside_document_titles_are_not_departments():
    doc = parse_text("示例市人民政府常务会议纪要\n〔2021〕3号\n\n一、审议《示例市财政局关于预算调整的报告》\n会议原则同意。\n")
    assert doc.items[0].roles == ()
    assert doc.items[0].reviewed == ("示例市财政局关于预算调整的报告",)


def test_topics_carry_their_evidence():
    item5 = parse_file(MINUTES_2021_9).items[4]
    assert item5.topic_matches == (
        TopicMatch("城市管理与违法建设", ("老旧小区",)),
        TopicMatch("安全生产", ("电梯安全",)),
        TopicMatch("财政金融", ("资金",)),
        TopicMatch("法治与立法", ("条例",)),
        TopicMatch("应急与疫情防控", ("应急",)),
    )
    assert item5.topics == ("城市管理与违法建设", "安全生产", "财政金融", "法治与立法", "应急与疫情防控")


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
    ("示例市政府工作报告-2022.txt", "2022年示例市政府工作报告", "政府工作报告", "", "2022-01-10", "示例市人民政府"),
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
    assert item.text.startswith("你委《关于设立示例高新技术产业开发区的请示》收悉。")
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
    ("report.xls", b"\xd0\xcf\x11\xe0", "unsupported file type .xls; supported: .doc, .docx, .htm, .html, .jpeg, .jpg, .markdown, .md, .ofd, .pdf, .png, .text, .tif, .tiff, .txt, .wps"),
    ("report.doc", b"\xd0\xcf\x11\xe0", "not a Word document (not an OLE2 compound file)"),
    ("report.docx", b"PK\x03\x04", "not a valid .docx file (not a zip archive)"),
    ("scan.pdf", b"%PDF-1.4 garbage", "not a readable PDF (Stream has ended unexpectedly)"),
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


def test_letter_spaced_title_broken_over_lines_and_closing_details():
    doc = parse_text(
        "示 例 市 人 民 政 府 关 于 印 发 示 例 市\n电梯安全管理办法的通知\n示府发〔2021〕20号\n"
        "主送：各区人民政府，市各委办局\n"
        "一、总则\n（一）适用范围。\n1. 住宅电梯；\n（2）商场电梯；\n① 医院电梯。\n（二）职责。\n"
        "（此件公开发布）\n抄送：市委各部门。\n示例市人民政府办公室 2021年6月10日整理\n示例市人民政府办公室 2021年6月11日印发\n")
    assert doc.title == "示例市人民政府关于印发示例市电梯安全管理办法的通知"
    assert (doc.doc_type, doc.number_prefix, doc.number_year, doc.number_seq) == ("通知", "示府发", 2021, 20)
    assert (doc.compiled, doc.issued, doc.public) == ("2021-06-10", "2021-06-11", "此件公开发布")
    assert doc.addressees == ("各区人民政府", "市各委办局")
    assert doc.distribution == ("市委各部门",)
    first = doc.items[0].subpoints[0]
    assert [p.label for p in first.points] == ["1.", "（2）", "①"]
    assert first.points[1].text == "（2）商场电梯；"


def test_legal_database_header_lines_are_metadata():
    doc = parse_file(CORPUS / "示例市政府关于同意设立示例高新技术产业开发区的批复.html")
    assert doc.metadata == (("法宝引证码", "SAMPLE.0001"), ("原文链接", "示例页面（仅为版式示例）"))
    assert doc.addressees == ("示例高新区管委会",)
    assert all("法宝" not in item.text for item in doc.items)


def test_notice_signature_and_public_flag():
    doc = parse_file(CORPUS / "示例市政府关于印发电梯安全管理办法的通知-2021-20.txt")
    assert (doc.signed, doc.issued, doc.public) == ("2021-06-10", "2021-06-10", "此件公开发布")
    assert doc.addressees == ("各区人民政府", "示例高新区管委会", "市各委办局", "各直属单位")


def test_the_meeting_date_is_the_one_before_the_meeting_was_held_not_a_date_left_above_it():
    """A scan's head may leave the issuer and its date on lines of their own above the preamble:
    the meeting's date is the last before 主持/召开 in the sentence, not the first in it."""
    doc = parse_text("示例市人民政府常务会议纪要\n〔2021〕9号\n示例市人民政府办公室\n2021年5月20日\n"
                     "\u3000\u30002021年5月17日，王明市长主持召开市政府第128次常务会议。纪要如下：\n"
                     "\u3000\u3000一、听取全市一季度经济运行情况汇报\n\u3000\u3000会议听取了汇报。\n")
    assert (doc.date, doc.doc_number) == ("2021-05-17", "〔2021〕9号")
