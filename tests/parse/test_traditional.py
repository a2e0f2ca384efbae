"""Minutes in traditional characters parse as their simplified twin, and read as published."""
import dataclasses

from indexer import parse_text
from indexer.hanzi import simplified

from ..traditional import SIMPLIFIED, TRADITIONAL

# What the parser recognises: keys and facet values, in simplified characters whatever the script.
RECOGNISED = ("doc_type", "doc_number", "session", "date", "chair", "chair_name", "chair_title", "meeting_kind",
              "issuer", "issuer_level", "issued", "number_year", "number_seq", "attendance", "body_span",
              "preamble_span")
ITEM_RECOGNISED = ("number", "span", "action", "decision", "reviewed", "roles", "topic_matches")


def test_traditional_minutes_parse_as_their_simplified_twin():
    doc, twin = parse_text(TRADITIONAL), parse_text(SIMPLIFIED)
    assert [getattr(doc, f) for f in RECOGNISED] == [getattr(twin, f) for f in RECOGNISED]
    assert (doc.session, doc.chair, doc.meeting_kind, doc.doc_number, doc.date) == (
        "第12次常务会议", "李文区长", "常务会议", "〔2023〕12号", "2023-06-05")
    assert len(doc.items) == 3
    for item, twin_item in zip(doc.items, twin.items):
        assert [getattr(item, f) for f in ITEM_RECOGNISED] == [getattr(twin_item, f) for f in ITEM_RECOGNISED]
    # the district's own units, with its level word (区住建局 is not the city's 市住建局)
    assert [item.departments for item in doc.items] == [
        ("区住建局", "区财政局"), ("区民政局", "区财政局"), ("区水务局", "区应急管理局")]
    assert [(r.name, r.role) for r in doc.items[0].roles] == [("区住建局", "lead"), ("区财政局", "co-lead")]
    assert doc.items[1].reviewed == ("青山区养老服务补贴办法（草案）",)
    assert doc.attendance.present == ("李文", "张峰", "王丽")


def test_what_a_reader_sees_is_the_original():
    doc = parse_text(TRADITIONAL)
    assert doc.title == "區政府第十二次常務會議紀要"
    assert [item.title for item in doc.items] == [
        "聽取老舊小區改造進展情況彙報", "審議《青山區養老服務補貼辦法（草案）》", "研究防汛準備工作"]
    assert doc.items[0].text.startswith("一、聽取老舊小區改造進展情況彙報\n會議指出")
    assert doc.preamble.startswith("2023年6月5日，李文區長主持召開區政府第十二次常務會議。會議聽取了")  # glosses gone
    # Every span cuts the original text, and every piece of it is the original's.
    assert simplified(doc.text) == parse_text(SIMPLIFIED).text
    for item in doc.items:
        assert doc.text[slice(*item.span)].strip() == item.text
        for paragraph in item.paragraphs:
            assert doc.text[slice(*paragraph.span)].strip() == paragraph.text
        for subpoint in item.subpoints:
            assert doc.text[slice(*subpoint.span)].strip() == subpoint.text


def test_lead_departments_in_traditional_characters():
    text = ("示例市人民政府常務會議紀要\n\n〔2023〕31號\n\n"
            "　　2023年8月1日，周寧市長主持召開市政府第四十一次常務會議。紀要如下：\n\n"
            "　　一、研究城市排水管網改造工作\n\n"
            "　　會議要求，由市財政局牽頭，會同市發改委，年內完成排水管網改造資金測算。\n")
    doc = parse_text(text)
    assert (doc.session, doc.chair) == ("第41次常务会议", "周宁市长")
    item = doc.items[0]
    assert (item.title, item.leads, item.departments) == ("研究城市排水管網改造工作", ("市财政局",), ("市财政局", "市发改委"))


def test_simplified_text_with_a_variant_character_is_parsed_as_it_is():
    doc = parse_text(SIMPLIFIED.replace("出席：李文　张峰　王丽", "出席：李文　张峰　王颺"))
    assert doc.attendance.present == ("李文", "张峰", "王颺")
    assert dataclasses.replace(doc, attendance=parse_text(SIMPLIFIED).attendance).items == parse_text(SIMPLIFIED).items
