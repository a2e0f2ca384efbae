"""Minutes as governments write them (indexer/parse/meeting.py): invented specimens, one
per layout feature seen in real minutes of many governments (eval/minutes_dev.tsv)."""
from __future__ import annotations

import pytest

from indexer import parse_text
from indexer.parse import meeting
from indexer.patterns import held_session

NEWS = """区政府召开第45次常务会议
发布日期：2023-10-21 09:30  来源：示例区人民政府办公室
10月20日上午，区委副书记、区长张明远在区政府第一会议室主持召开区政府第45次常务会议，区领导李华、王强，区政府办公室主任赵敏出席会议；区人大常委会副主任钱进列席会议。
会议审议了《示例区老旧小区改造实施方案》。会议原则同意该方案，由区住房城乡建设局牵头，区财政局配合，抓紧组织实施。
会议听取了区应急管理局关于安全生产工作情况的汇报。
会议研究了冬季供暖保障工作，责成区城市管理局做好应急准备。
会议还研究了其他事项。
"""


def test_a_news_report_of_a_meeting_is_minutes_with_its_facts():
    doc = parse_text(NEWS)
    assert doc.doc_type == "会议纪要"
    assert doc.session == "第45次常务会议"
    assert (doc.chair_name, doc.chair_title) == ("张明远", "区长")
    assert doc.date == "2023-10-20"  # month and day; the year from the page's date
    assert [i.number for i in doc.items] == [1, 2, 3]  # 会议还研究了其他事项 is no item
    assert doc.items[0].title.startswith("会议审议了《示例区老旧小区改造实施方案》")
    assert doc.attendance.present == ("李华", "王强", "赵敏")  # 列席 is not attending
    first = {r.name: r.role for r in doc.items[0].roles}
    assert first["区住房城乡建设局"] == "lead" and first["区财政局"] == "co-lead"
    third = {r.name: r.role for r in doc.items[2].roles}
    assert third["区城市管理局"] == "lead"  # 责成X


@pytest.mark.parametrize("text, expected", [
    ("县长王立新主持召开县政府第二十三次常务会议。", "第23次常务会议"),
    ("市长李方主持召开2023年度第5次市政府常务会议。", "2023年度第5次常务会议"),
    ("区长周平主持召开2022年第14次常务会议。", "2022年度第14次常务会议"),
    ("区长周平主持召开十三届区政府第45次常务会议。", "第45次常务会议"),
    ("区长周平主持召开五届104次区政府常务会议。", "第104次常务会议"),
    ("县长周平主持召开县政府第59次常务会。", "第59次常务会议"),
    ("市长周平主持召开市政府第3次常务（扩大）会议。", "第3次常务会议"),
    ("区长周平主持召开区政府常务会议。", ""),  # a meeting with no number has none
])
def test_sessions_as_written(text, expected):
    assert held_session(text) == expected
    assert meeting.session("3月2日，" + text) == expected


@pytest.mark.parametrize("sentence, chair", [
    ("3月2日，市委副书记、市长陈立主持召开市政府第8次常务会议。", ("陈立", "市长")),
    ("3月2日，陈立市长主持召开市政府第8次常务会议。", ("陈立", "市长")),
    ("3月2日，县委副书记、代县长欧阳文华主持召开县政府第8次常务会议。", ("欧阳文华", "代县长")),
    ("3月2日，区长陈立同志在区政府三楼会议室，主持召开区政府第8次常务会议。", ("陈立", "区长")),
    ("3月2日，受陈立区长委托，副区长孙伟主持召开区政府第8次常务会议。", ("孙伟", "副区长")),
    ("3月2日，县长陈立通过视频连线方式主持召开县政府第8次常务会议。", ("陈立", "县长")),
    ("3月2日，县长艾尔肯·吐尼亚孜同志主持召开县政府第8次常务会议。", ("艾尔肯·吐尼亚孜", "县长")),
    ("3月2日，区长、示例新区管委会主任陈立主持召开区政府第8次常务会议。", ("陈立", "示例新区管委会主任")),
    ("区政府第8次常务会议\n会议主持人：\n区委副书记、区长陈立\n", ("陈立", "区长")),
])
def test_chairs_as_written(sentence, chair):
    assert meeting.chair(sentence) == chair


def test_names_of_two_to_four_characters_are_kept_whole():
    assert meeting.chair("3月2日，县长王立主持召开县政府第8次常务会议。") == ("王立", "县长")
    assert meeting.chair("3月2日，县长王立新主持召开县政府第8次常务会议。") == ("王立新", "县长")


@pytest.mark.parametrize("text, date", [
    ("2023年5月6日，市长陈立主持召开市政府第8次常务会议。", "2023-05-06"),
    ("5月6日，市长陈立主持召开市政府2023年度第8次常务会议。", "2023-05-06"),  # the session's year
    ("发布时间：2024年1月3日\n12月28日，市长陈立主持召开市政府第8次常务会议。", "2023-12-28"),  # the year before
    ("2024-03-09 10:21\n3月8，县长陈立主持召开县政府第2次常务会议。", "2024-03-08"),  # 日 missing
    ("日前，市长陈立主持召开市政府第8次常务会议。", ""),  # relative: unknown, never the page's date
    ("发布日期：2023-05-08\n2023年月6日，市长陈立主持召开市政府第8次常务会议。", ""),  # garbled
    ("发布日期：2023-05-08\n1110日，市长陈立主持召开市政府第8次常务会议。", ""),  # garbled
])
def test_meeting_dates(text, date):
    doc = parse_text(text + "\n会议审议了《示例办法》。\n")
    assert doc.date == date


def test_a_date_after_the_held_verb_is_still_the_meeting_date():
    doc = parse_text("示例市人民政府常务会议纪要\n市长陈立主持召开会议，时间为2023年5月6日。\n一、关于示例工作\n会议同意。\n")
    assert doc.date == "2023-05-06"


def test_items_numbered_alone_on_their_lines():
    doc = parse_text("区政府第3次常务会议纪要\n2023年5月6日，区长陈立主持召开区政府第3次常务会议。纪要如下：\n"
                     "（一）\n关于示例工作。会议同意。\n（二）\n关于另一工作。会议要求区财政局牵头。\n")
    assert [i.number for i in doc.items] == [1, 2] and doc.items[1].subpoints == ()


def test_attendance_further_down():
    doc = parse_text("2023年5月6日，县长陈立主持召开县政府第3次常务会议。\n会议审议了《示例办法》。\n"
                     "副县长何一、顾二和县政府办主任李三出席会议。\n")
    assert doc.attendance.present == ("何一", "顾二", "李三")


def test_the_proposer_of_an_adopted_document_leads_it():
    doc = parse_text("2023年5月6日，区长陈立主持召开区政府第3次常务会议。\n"
                     "会议审议并原则同意区发展改革委《示例区应急预案》。\n")
    assert [(r.name, r.role) for r in doc.items[0].roles if r.role == "lead"]


def test_a_notice_citing_a_meeting_is_not_minutes():
    doc = parse_text("关于印发示例办法的通知\n各单位：\n《示例办法》已经区政府第8次常务会议审议通过，现印发给你们。\n")
    assert doc.doc_type == "通知" and doc.session == ""


FORMAL = """示例区人民政府
常务会议纪要
〔2023〕第5期
示例区人民政府办公室                2023年4月12日

示例区政府2023年度第5次常务会议纪要

2023年4月10日，受区长陈立委托，常务副区长孙伟在区政府第一会议室主持召开区政府2023年度第5次常务会议，现将会议议定事项纪要如下：
一、审议《示例区城市更新实施办法（送审稿）》
会议原则同意该办法。此项工作由王副区长牵头，区住建局具体负责，按程序印发实施。
二、听取全区安全生产工作情况汇报
会议要求，区应急局要会同各街道开展隐患排查。
出席：孙伟、李华、王强
列席：区住建局 张三，区应急局 李四
记录：赵敏
"""


def test_formal_minutes_numbered_as_issues_with_a_session_title():
    doc = parse_text(FORMAL)
    assert (doc.title, doc.doc_number, doc.number_year, doc.number_seq) == (
        "示例区政府2023年度第5次常务会议纪要", "〔2023〕第5期", 2023, 5)
    assert (doc.session, doc.date) == ("2023年度第5次常务会议", "2023-04-10")
    assert (doc.chair_name, doc.chair_title) == ("孙伟", "常务副区长")  # delegated: who chaired
    # a person who leads is not a department: the unit that does the work leads among units
    assert [(r.name, r.role) for r in doc.items[0].roles] == [("区住建局", "lead")]
    assert doc.attendance.present == ("孙伟", "李华", "王强")


def test_a_day_alone_takes_the_pages_month():
    doc = parse_text("市政府召开第164次常务会议\n日期：2025-10-13 22:34 来源：示例日报\n"
                     "13日，市长陈立主持召开市政府党组会议和常务会议。\n会议研究了示例工作。\n")
    assert (doc.session, doc.date) == ("第164次常务会议", "2025-10-13")


PAGE = """示例区人民政府门户网站
当前位置：首页 > 政务公开 > 政府会议
刘明主持召开区政府常务会议
研究部署冬季安全生产等工作
发布时间：2024-12-03 09:12  来源：区政府办公室  字体：【大】【中】【小】
12月2日，区长刘明主持召开区政府常务会议。副区长王一、赵二出席会议。
会议听取了区应急管理局关于冬季安全生产工作的汇报。
"""


def test_a_page_reporting_a_meeting_is_titled_by_its_heading():
    doc = parse_text(PAGE)
    assert doc.title == "刘明主持召开区政府常务会议"  # not the site, the breadcrumb or the subtitle
    assert (doc.session, doc.date, doc.chair_name) == ("", "2024-12-02", "刘明")  # the page's year
    assert doc.attendance.present == ("王一", "赵二")


@pytest.mark.parametrize("line, title", [
    ("区政府召开第22次常务会议2019-02-25", "区政府召开第22次常务会议"),
    ("网站首页 > 区县播报 > 区政府召开第22次常务会议", "区政府召开第22次常务会议"),
    ("市政府召开第164次常务会议| | | |", "市政府召开第164次常务会议"),
])
def test_a_heading_leaves_its_page_furniture(line, title):
    assert meeting.heading(line + "\n3月2日，区长陈立主持召开区政府第22次常务会议。\n") == title


@pytest.mark.parametrize("sentence, chair", [
    ("12月18日，区长李四召开区政府第63次常务会议。", ("李四", "区长")),  # 召开, no 主持
    ("3月2日，代理市长陈立主持召开市政府第8次常务会议。", ("陈立", "代理市长")),
])
def test_more_chairs_as_written(sentence, chair):
    assert meeting.chair(sentence) == chair


def test_units_in_an_attendance_list_are_not_persons():
    doc = parse_text("6月12日，县长陈立主持召开县人民政府第40次常务会议。\n"
                     "县领导张一、李二及县统计局、县财政局等相关单位负责人参加会议。\n会议听取了县发改局的汇报。\n")
    assert doc.attendance.present == ("张一", "李二")


def test_a_year_in_the_content_does_not_date_the_meeting():
    doc = parse_text("2月3日，区长陈立主持召开区政府常务会议，研究2026年度区级重点项目安排。\n会议听取了汇报。\n")
    assert doc.date == ""  # the year is printed nowhere a reader could take it from


def test_a_date_on_a_furniture_line_still_dates_a_month_day_meeting():
    doc = parse_text("郭一主持召开县政府第49次常务会议\n字体：大 中 小 发布时间：2020-08-25 08:13:16 稿源：\n"
                     "8月24日，县长郭一主持召开县政府第49次常务会议。\n会议听取了县教育局的汇报。\n")
    assert doc.date == "2020-08-24"
