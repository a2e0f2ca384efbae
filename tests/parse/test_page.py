"""Minutes saved as the text a browser shows of a government web page (indexer/parse/page.py):
the page's furniture is never title, item or body; its disclosure metadata, as lines, pairs or a
table, is the document's metadata and fills what the text lacks. Every specimen is invented for
a fictional 示例区."""
from __future__ import annotations

import pytest

from indexer import parse_file, parse_text
from indexer.parse.page import number_of, page_date, read_page

NAV = """• 繁体版 • 无障碍浏览 • English • 登录
网站支持IPv6
示例区人民政府门户网站
首页 政务公开 政务服务 互动交流 走进示例区
您当前的位置：首页 > 政务公开 > 会议纪要
"""
FOOTER = """打印本页 关闭窗口
【打印】【关闭】
分享到：微信 微博 QQ空间
扫一扫在手机上查看当前页面
上一篇：示例区人民政府第十一次常务会议纪要
联系我们 | 网站地图
版权所有：示例区人民政府办公室  主办单位：示例区人民政府办公室
网站标识码：0000000000  示ICP备00000000号  示公网安备 00000000000号
主办单位：示例区人民政府办公室
举报电话：0000-00000000
"""
MINUTES = """示例区人民政府第十二次常务会议纪要
2023年5月4日，区长张伟主持召开区政府第12次常务会议，研究老旧小区改造和防汛工作。纪要如下：
一、研究老旧小区改造工作
会议原则同意《示例区老旧小区改造实施方案》，由区住建局牵头抓好落实。
二、研究防汛工作
区水务局要做好防汛准备，区应急局配合。
出席：张伟 李明 王芳
记录：赵磊
"""
SUMMARY = "2023年5月4日，区长张伟主持召开区政府第12次常务会议，研究老旧小区改造和防汛工作。"
# The same fields in the three layouts pages print them in.
AS_LINES = """索引号：0000-2023-00012
组配分类：会议纪要
发布机构：示例区人民政府办公室
生成日期：2023-05-06
文件编号：示区府纪〔2023〕第 5 号
公开方式：主动公开
信息名称：示例区人民政府第十二次常务会议纪要
内容概述：""" + SUMMARY + "\n"
AS_PAIRS = """索引号：0000-2023-00012  组配分类：会议纪要
发布机构：示例区人民政府办公室  生成日期：2023-05-06  文件编号：示区府纪〔2023〕第 5 号
公开方式：主动公开
信息名称：示例区人民政府第十二次常务会议纪要
内容概述：""" + SUMMARY + "\n"
AS_TABLE = """| 索引号 | 0000-2023-00012 | 组配分类 | 会议纪要 |
| --- | --- | --- | --- |
| 发布机构 | 示例区人民政府办公室 | 生成日期 | 2023-05-06 |
| 文件编号 | 示区府纪〔2023〕第 5 号 | 公开方式 | 主动公开 |
| 信息名称 | 示例区人民政府第十二次常务会议纪要 | | |
| 内容概述 | """ + SUMMARY + " | | |\n"
AS_TAB_CELLS = ("索引号\t0000-2023-00012\t组配分类\t会议纪要\n发布机构\t示例区人民政府办公室\t生成日期\t2023-05-06\n"
                "文件编号\t示区府纪〔2023〕第 5 号\t公开方式\t主动公开\n信息名称\t示例区人民政府第十二次常务会议纪要\n"
                "内容概述\n" + SUMMARY + "\n")
DISCLOSED = (
    ("信息名称", "示例区人民政府第十二次常务会议纪要"), ("索引号", "0000-2023-00012"), ("主题分类", "会议纪要"),
    ("发布机构", "示例区人民政府办公室"), ("文号", "示区府纪〔2023〕第5号"), ("生成日期", "2023-05-06"),
    ("公开方式", "主动公开"), ("内容概述", SUMMARY),
)


def _assert_minutes(doc):
    assert (doc.title, doc.doc_type, doc.issuer, doc.session, doc.chair, doc.date) == (
        "示例区人民政府第十二次常务会议纪要", "会议纪要", "示例区人民政府", "第12次常务会议", "张伟区长", "2023-05-04")
    assert [(i.number, i.title) for i in doc.items] == [(1, "研究老旧小区改造工作"), (2, "研究防汛工作")]
    assert doc.preamble == SUMMARY + "纪要如下："  # once: the 内容概述 repeating it is metadata
    assert doc.attendance.present == ("张伟", "李明", "王芳") and doc.attendance.recorder == "赵磊"
    assert doc.distribution == () and doc.signed == ""  # the footer is no closing block


@pytest.mark.parametrize("layout", [AS_LINES, AS_PAIRS, AS_TABLE, AS_TAB_CELLS],
                         ids=["lines", "pairs", "pipe-table", "tab-cells"])
def test_furniture_is_skipped_and_disclosure_metadata_read(layout):
    doc = parse_text(NAV + layout + "字体：【大】【中】【小】\n" + MINUTES + FOOTER)
    _assert_minutes(doc)
    assert doc.metadata == (("页面", "您当前的位置：首页 > 政务公开 > 会议纪要"), *DISCLOSED)
    assert doc.doc_number == "示区府纪〔2023〕5号"  # 第 5 号 as the number: the text has none
    assert doc.public == "公开方式：主动公开"
    for furniture in ("繁体版", "IPv6", "门户网站", "互动交流", "当前的位置", "字体", "打印", "分享", "扫一扫",
                      "上一篇", "网站地图", "版权所有", "网站标识码", "ICP", "主办单位", "举报电话", "索引号", "内容概述"):
        assert furniture not in doc.text, furniture


def test_stray_html_tags_and_entities_of_a_text_copy():
    tagged = "".join(f"<p>{line}</p>\n" if line else "<div>&nbsp;</div>\n" for line in MINUTES.split("\n"))
    doc = parse_text('<div class="article">\n' + tagged.replace("《", "&nbsp;《") + "</div>\n</body>\n")
    _assert_minutes(doc)
    assert "<" not in doc.text and "&" not in doc.text
    assert doc.items[0].reviewed == ("示例区老旧小区改造实施方案",)


def test_page_saved_as_html_keeps_its_disclosure_table(tmp_path):
    rows = "".join(f"<tr><td>{k}</td><td>{v}</td></tr>" for k, v in (
        ("索引号", "0000-2023-00012"), ("发布机构", "示例区人民政府办公室"), ("生成日期", "2023-05-06"),
        ("公开方式", "主动公开")))
    body = "".join(f"<p>{line}</p>" for line in MINUTES.split("\n") if line)
    path = tmp_path / "page.html"
    path.write_text(f"<html><body><div class='crumb'>您当前的位置：首页 &gt; 政务公开</div>"
                    f"<table class='xxgk'>{rows}</table><div class='content'>{body}</div>"
                    f"<div class='foot'>版权所有：示例区人民政府办公室 网站标识码：0000000000</div></body></html>", "utf-8")
    doc = parse_file(path)
    _assert_minutes(doc)
    assert dict(doc.metadata)["发布机构"] == "示例区人民政府办公室" and dict(doc.metadata)["索引号"] == "0000-2023-00012"


def test_disclosure_fills_what_the_text_lacks():
    # No title line, no number, no issuer named by the text: the page's fields give them.
    text = AS_PAIRS.replace("示例区人民政府第十二次常务会议纪要", "示例区城市管理工作专题会议纪要") + """
2023年6月1日，副区长李明主持召开专题会议，研究城市管理工作。现纪要如下：
一、关于背街小巷整治
由区城管局牵头，年底前完成整治。
"""
    doc = parse_text(text)
    assert (doc.title, doc.doc_type, doc.meeting_kind, doc.doc_number, doc.issuer) == (
        "示例区城市管理工作专题会议纪要", "会议纪要", "专题会议", "示区府纪〔2023〕5号", "示例区人民政府办公室")
    assert doc.date == "2023-06-01"  # the meeting's, not the page's 生成日期
    assert page_date(doc.metadata) == "2023-05-06"


def test_the_texts_own_head_wins_over_the_page():
    text = ("信息名称：示例区政府常务会议纪要\n文件编号：〔2023〕第9期\n发布机构：示例区人民政府办公室\n"
            "示例区人民政府\n常务会议纪要\n〔2023〕12号\n" + MINUTES.split("\n", 1)[1] + "示例区人民政府办公室\n2023年5月8日\n")
    doc = parse_text(text)
    assert (doc.title, doc.doc_number, doc.issuer) == ("示例区人民政府常务会议纪要", "〔2023〕12号", "示例区人民政府")
    assert dict(doc.metadata)["文号"] == "〔2023〕第9期"


@pytest.mark.parametrize("value,number", [
    ("示区府纪〔2023〕第 5 号", ("示区府纪〔2023〕5号", ())),
    ("示区府纪[2023] 第5期", ("示区府纪〔2023〕5号", ())),
    ("〔2023〕第12期", ("〔2023〕12号", ())),
    ("示府发〔2023〕7号", ("示府发〔2023〕7号", ())),
    ("国务院令第 706 号", ("国务院令第706号", ("国令第706号",))),
    ("第5期", ("", ())),
])
def test_numbers_as_pages_write_them(value, number):
    assert number_of(value) == number


def test_what_is_not_furniture_or_metadata_stays():
    # A contact line inside a notice, 摘要： heading a paragraph, a sentence about a website's map.
    text = """示例区人民政府办公室关于举办营商环境培训会的通知
各街道办事处，区政府各部门：
摘要：为提升服务水平，定于6月举办培训会。
一、培训安排
主办单位：示例区营商环境办公室。承办单位：示例区行政服务中心。
二、有关要求
请各单位完善网站地图和无障碍浏览功能，于5月底前报送。
示例区人民政府办公室
2023年5月10日
"""
    page = read_page(text)
    assert (page.text, page.metadata) == (text, ())
    doc = parse_text(text)
    assert doc.title == "示例区人民政府办公室关于举办营商环境培训会的通知" and doc.date == "2023-05-10"
    assert "主办单位：示例区营商环境办公室" in doc.items[0].text


def test_a_page_of_nothing_but_furniture_is_no_document():
    with pytest.raises(Exception, match="no text"):
        parse_text(NAV + FOOTER)


def test_a_month_day_meeting_date_takes_its_year_from_the_page():
    text = """索引号：0000-2024-00003
发布机构：示例区人民政府办公室
生成日期：2024-01-10
示例区人民政府常务会议纪要
12月28日，区长张伟主持召开区政府第30次常务会议。会议议定以下事项：
一、研究年度预算执行情况
由区财政局牵头抓好落实。
"""
    doc = parse_text(text)
    assert (doc.date, doc.session, doc.doc_number) == ("2023-12-28", "第30次常务会议", "")  # published in January
