"""One definition for each pattern the parser, the reference finder and the
query parser share: meeting kinds and sessions, 《》 titles, document numbers
(〔2021〕9号, 国发〔2019〕5号, 泉资规纪〔2022〕48号) and decree numbers
(国务院令第706号), document types, and the header noise of telegrams.

Patterns here match *normalized* text (see :mod:`indexer.normalize`): brackets
of document numbers are already 〔〕, digits and letters are half-width.
"""
from __future__ import annotations

import re

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CN_NUMERAL = "零一二三四五六七八九十百"

# Kinds of meeting that minutes record, longest first where one contains another.
MEETING_KINDS = ("常务会议", "全体会议", "专题会议", "现场办公会议", "现场办公会", "办公会议", "协调会议", "联席会议")
_KINDS = "|".join(MEETING_KINDS)
# 第128次常务会议; 第五次现场办公会. Group 1: the number (digits or Chinese), group 2: the kind.
SESSION = re.compile(rf"第\s*(\d{{1,4}}|[{CN_NUMERAL}]{{1,6}})\s*次({_KINDS})")
# A session as staff type it into the search box: 第128次常务会议, 市政府第128次, 第128次.
TYPED_SESSION = re.compile(rf"^(?:[\u4e00-\u9fff]{{0,12}}?)第\s*(\d{{1,4}}|[{CN_NUMERAL}]{{1,6}})\s*次(?:({_KINDS}))?$")
# The government whose session it is, as references name it: 市政府第128次常务会议.
SESSION_OWNER = r"(?:[\u4e00-\u9fff]{0,6}?[一二三四五六七八九十]+届人民政府|[\u4e00-\u9fff]{0,6}?(?:市|县|区|省)(?:人民)?政府)?"

# A title in 《》: the text inside, on one line.
BOOK_TITLE = re.compile(r"《([^《》\n]{2,80})》")
# A notice that issues a text: …关于印发《示例市电梯安全管理办法》的通知 issues 示例市电梯安全管理办法
# (group 1; search a title with it). Answers, validity and lineage read it alike.
ISSUING_NOTICE = re.compile(r"关于印发《?(.+?)》?的通知$")
# 《创新行动2021》 introduced as a short name: (以下简称《创新行动2021》) is not a title of its own.
SHORT_NAME = re.compile(r"(?:以下|下)?简称[“\"]?《([^《》\n]{1,40})》")
# A short name a document defines for what stands just before the parenthesis: （以下简称“自贸区”）,
# （简称“放管服”改革）, （下称「办法」）, （以下称单位）, （以下简称《意见》）, also after a note
# (国发〔2004〕20号，以下简称《决定》). The short name is group "quoted", "titled" or "bare"
# (SHORT_NAME above is its 《》 form, for telling a title from its short name).
DEFINED_NAME = re.compile(
    r"[（(](?:[^（()）\n，,。；]{1,30}[，,])?\s*(?:以下简称|下文简称|以下称|下称|简称)为?[：:]?\s*"
    r"(?:[“\"「『‘]\s*(?P<quoted>[^”\"」』’\n]{1,20}?)\s*[”\"」』’]|《(?P<titled>[^《》\n]{1,40})》"
    r"|(?P<bare>[^\s（()）“”\"「」《》，,。；;、：:]{1,15})(?=[）)]))"
)

# A document number's issuer code: CJK characters, possibly with a bracketed
# part (鲁密办(局)函〔2021〕5号).
PREFIX_CHAR = rf"(?:[{CJK}]|[（(][{CJK}]{{1,3}}[)）])"
NUMBER_PREFIX = rf"{PREFIX_CHAR}{{0,16}}?"
# A normalized document number: prefix (国发, 示府发 …), year, sequence.
DOC_NUMBER = re.compile(rf"({NUMBER_PREFIX})〔((?:19|20)\d\d)〕(\d{{1,5}})号")
# Minutes numbered as issues of a series: 〔2023〕第5期 (a line of its own under the minutes' header).
# Groups as DOC_NUMBER's (prefix — always empty —, year, sequence), so either reads the same.
ISSUE_NUMBER = re.compile(r"()〔((?:19|20)\d\d)〕第\s*(\d{1,4})\s*期")
# Decrees are numbered without a year: 中华人民共和国国务院令第706号, 国令第706号,
# 人力资源社会保障部令第25号.
DECREE_NUMBER = re.compile(rf"(?:中华人民共和国)?([{CJK}]{{1,16}}?)令\s*第\s*(\d{{1,5}})\s*号")
# Spellings staff type for a number (after normalization): 2021年9号, 2021年第9号, with an issuer
# code in front; and decrees as 国务院令706号 or 国务院第706号令.
TYPED_YEAR_NUMBER = re.compile(rf"({NUMBER_PREFIX})((?:19|20)\d\d)年第?(\d{{1,5}})号")
TYPED_DECREE = re.compile(rf"(?:中华人民共和国)?([{CJK}]{{1,16}}?)(?:令第?(\d{{1,5}})号|第(\d{{1,5}})号令)")
# Routing numbers of the confidential-mail office (鲁机发532号): metadata, not the document's number.
ROUTING_NUMBER = re.compile(r"[\u4e00-\u9fff]机发\s*\d*\s*号")
# Urgency and transmission marks above a telegram's title: 等级特急·明电, 特提, 签批盖章 …
TELEGRAM_NOISE = re.compile(
    r"(?:发电单位|签批盖章|签发盖章|签发人[：:]?|发电(?=发电单位|等级|签)"
    r"|等级|特急|特提|加急|平急|急件|明电|密电|[·，,\s])+"
)

# Document types by the word that ends a title; the first that matches wins.
MINUTES = "会议纪要"  # the document type of minutes, as doc_type_of names it
DOC_TYPES = (
    ("纪要", "会议纪要"), ("政府工作报告", "政府工作报告"), ("通知", "通知"), ("意见", "意见"), ("批复", "批复"),
    ("复函", "函"), ("决定", "决定"), ("决议", "决议"), ("条例", "条例"), ("通报", "通报"), ("通告", "通告"),
    ("公告", "公告"), ("请示", "请示"), ("报告", "报告"), ("办法", "办法"), ("规定", "规定"), ("细则", "规定"),
    ("规则", "规定"), ("方案", "方案"), ("答复", "函"), ("函", "函"), ("命令", "命令"),
)
TYPE_WORDS = tuple(dict.fromkeys(word for word, _ in DOC_TYPES))
# Words a short name that abbreviates a document title ends with (本办法, 《意见》, 该条例, 《实施方案》):
# such a name refers to the document itself, it is no word of the vocabulary.
TITLE_SHORT_WORDS = (*TYPE_WORDS, "规划", "计划", "纲要", "准则", "指引", "指南", "标准", "章程", "协议", "合同",
                     "法", "规程", "汇报", "任务书", "目录", "清单", "措施", "要点", "文件", "制度", "说明")
# Where a title ends in run-on text: 的通知, 的预备通知, 的函 …
TITLE_END = re.compile(
    r"的(?:预备|补充|紧急|有关)?(?:" + "|".join(sorted(TYPE_WORDS, key=len, reverse=True)) + ")"
)

# Units, by the word their names end with: what separates 中共山东省委办公厅 from
# 山东省人民政府办公厅 when a joint header runs them together.
ORG_SUFFIX = (
    "人民代表大会常务委员会|人大常委会|人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室|委员会|领导小组|"
    "工作委员会|指挥部|管委会|中心|省委|市委|县委|区委|政府|法院|检察院|总局|局|厅|委|办|部|署|院|馆|会|行|社|组"
)
ISSUER_START = r"(?:中共|中国共产党|共青团|国务院|中央|全国|国家|最高人民|[\u4e00-\u9fff]{2,3}(?:省|市|县|区|自治区))"


_ORG_END = re.compile(rf"(?:{ORG_SUFFIX})")
_LEAD_WORDS = ("按照", "根据", "依据", "依照", "参照", "执行", "印发", "转发", "经", "见", "即", "和", "及", "与", "的", "对")
MAX_PREFIX = 8  # issuer codes are short (国发, 鲁市监标函, 鲁直机团工字); longer runs hold a name


def split_number_prefix(before: str) -> tuple[str, str]:
    """Split the text run into a number's bracket into (what precedes, issuer code).

    ``before`` is what stands before 〔 on the same line: 山东省财政厅文件鲁财会 →
    (山东省财政厅文件, 鲁财会); 山东省人民政府办公厅办公厅便函 → (…办公厅, 办公厅便函);
    泉州市自然资源和规划局会议纪要泉资规纪 → (…会议纪要, 泉资规纪); 常务会议纪要 →
    (常务会议纪要, "") — minutes numbered by their meeting kind have no issuer code.
    """
    m = re.search(rf"{PREFIX_CHAR}+$", before)  # the CJK (and bracketed) run
    run = m.group(0) if m else ""
    head = before[: len(before) - len(run)]
    cut = 0
    for marker in ("文件", "纪要", *_LEAD_WORDS):
        at = run.rfind(marker)
        if at >= 0 and (marker in ("文件", "纪要") or len(run) - at - len(marker) <= MAX_PREFIX):
            cut = max(cut, at + len(marker))
    noise = [n.end() for n in TELEGRAM_NOISE.finditer(run)
             if len(n.group(0).strip("·，, ")) >= 2 and n.end() <= len(run) - 2]
    cut = max([cut, *noise])
    rest = run[cut:]
    if len(rest) > MAX_PREFIX:
        # A name runs into the code: cut after the unit name, leaving the longest code that fits.
        for end in (e.end() for e in _ORG_END.finditer(rest)):
            if 2 <= len(rest) - end <= MAX_PREFIX and "(" not in rest[end - 1:end] and "（" not in rest[end - 1:end]:
                cut += end
                break
    return head + run[:cut], run[cut:]


# A session as the sentence that holds the meeting states it, in the ways real minutes write it:
# 第23次常务会议, 第二十三次常务会议, 2023年(度)第5次常务会议, 十三届市政府第45次常务会议, 五届104次区政府
# 常务会议 (no 第), 第14次区政府常务会议, 常务会 / 常务（扩大）会议 / 常务扩大会议. Groups: year, 届, number,
# kind. Matched on simplified text (traditional text is folded first).
_SESSION_NUMBER = rf"\d{{1,4}}|[{CN_NUMERAL}]{{1,6}}"
_OWNER = r"(?:[\u4e00-\u9fff]{0,8}?(?:省|市|州|盟|县|区|旗)?(?:人民)?政府)?"
_KIND_HELD = (r"(常务|全体|专题|办公|现场办公)(?:（?扩大）?)?会(?:议)?(?:（扩大）)?")
HELD_SESSION = re.compile(
    rf"(?:((?:19|20)\d\d)年(?:度)?)?"  # numbered per year: 2023年度第5次
    rf"(?:([{CN_NUMERAL}\d]{{1,3}})届)?{_OWNER}"  # 十三届市政府 / 五届
    rf"(?:第\s*({_SESSION_NUMBER})|(?<=届)({_SESSION_NUMBER}))\s*次"
    rf"{_OWNER}{_KIND_HELD}"
)
# Role words written beside a chair's name, longest first: 市委副书记、代市长X; X区长; 常务副县长X;
# 区长、示例新区管委会主任X (the zone's name kept with its 管委会主任).
_PLACE_ROLE = r"(?:常务副|代理|代|副)?(?:市|区|县|旗|州|盟|省|镇|乡)长"
CHAIR_ROLES = rf"{_PLACE_ROLE}|[\u4e00-\u9fff]{{0,6}}?管委会(?:常务副|副)?主任|(?:常务副|副)?主任|(?:副)?秘书长"
# The sentence of minutes or a report that says a meeting was held, and the word for it.
MEETING_HELD = re.compile(rf"(?:主持召开|召开|主持|举行)[^。]{{0,40}}?{_KIND_HELD}|{_KIND_HELD}[^。]{{0,6}}?(?:召开|举行)")


def session_text(number: str, kind: str, year: str = "") -> str:
    """The canonical form of a session: 第128次常务会议; numbered per year, 2023年度第5次常务会议."""
    return f"{year + '年度' if year else ''}第{cn_to_int(number)}次{kind}"


def held_session(text: str) -> str:
    """The first session ``text`` states in any of the ways of :data:`HELD_SESSION`, canonical."""
    m = HELD_SESSION.search(text)
    if not m:
        return ""
    kind = m.group(5) + ("会议" if m.group(5) != "现场办公" else "会")
    return session_text(m.group(3) or m.group(4), kind, m.group(1) or "")


def cn_to_int(numeral: str) -> int:
    """Chinese numeral to int: 五 → 5, 十二 → 12, 二十一 → 21, 一百零八 → 108; digits pass."""
    if numeral.isdigit():
        return int(numeral)
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")}
    digits.update({"〇": 0, "○": 0})
    total, current = 0, 0
    for ch in numeral:
        if ch in digits:
            current = digits[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            raise ValueError(f"not a Chinese numeral: {numeral!r}")
    return total + current


def doc_type_of(title: str) -> str:
    """The document type a title's ending names, or 其他."""
    core = re.sub(r"[（(][^）)]*[）)]$", "", title)  # 《…条例（草案）》 ends with its note
    for ending, doc_type in DOC_TYPES:
        if core.endswith(ending) or (ending in ("纪要", "政府工作报告") and ending in core):
            return doc_type
    return "其他"


def decree_number(issuer_code: str, seq: int) -> tuple[str, tuple[str, ...]]:
    """The number of a decree and its other spellings: 国务院令第706号, (国令第706号,)."""
    code = "国务院" if issuer_code in ("国", "国务院") else issuer_code
    main = f"{code}令第{seq}号"
    aliases = (f"国令第{seq}号",) if code == "国务院" else ()
    return main, aliases


# Markings of who may read a document (see indexer.visibility), each on a line of its own:
# 此件公开发布 / （此件不公开） / 公开方式：依申请公开 / 内部资料 / （此件发至县团级） / 密级：秘密 / 机密★1年.
# What each kind means for visibility is indexer.visibility's business; here, only what a marking is.
MARK_PUBLIC, MARK_INTERNAL, MARK_CLASSIFIED = "public", "internal", "classified"
CLASSIFIED_LEVELS = ("绝密", "机密", "秘密")
_OPEN, _CLOSE = r"[（(〔【\[]", r"[）)〕】\]]"
_DISCLOSURE = r"公开发布|主动公开|不予公开|免予公开|不公开|依申请公开"
_DISTRIBUTION = r"此件(?:只|仅)?发(?:至|到|给)?[^（）()〔〕【】\[\]。，；\s]{1,10}(?:[（(][^（）()]{1,8}[）)][^（）()〔〕【】\[\]。，；\s]{0,4})?"
_INTERNAL = r"内部(?:资料|文件|材料|刊物|参考|明电)?(?:[，,、\s]*(?:注意保存|注意保密|妥善保管|请勿外传|不得外传|严禁外传))?"
_LEVEL = "|".join(CLASSIFIED_LEVELS)
_TERM = r"(?:\s*(?:\d{1,2}\s*年|长期|\d{1,2}\s*个月))?"
# A whole line that is a marking; the marking is the first group that matched (brackets dropped).
MARKING_LINE = re.compile(
    rf"{_OPEN}((?:此件)?(?:{_DISCLOSURE}))[。.]?{_CLOSE}"  # （此件公开发布）, （不予公开）
    rf"|((?:此件)?(?:{_DISCLOSURE}))[。.]?"  # 此件公开发布, 主动公开 without brackets
    rf"|((?:信息)?公开(?:方式|属性|类型|选项|形式)\s*[：:]\s*(?:{_DISCLOSURE}))"  # 公开方式：主动公开
    rf"|{_OPEN}?({_DISTRIBUTION}){_CLOSE}?"  # （此件发至县团级）: sent to some offices only
    rf"|{_OPEN}?({_INTERNAL}){_CLOSE}?"  # 内部资料 / （内部）
)
# A classification in the head of a document: 密级：机密, 秘密★1年, ★机密 (never 保守秘密 in a sentence).
CLASSIFIED_MARK = re.compile(
    rf"({_LEVEL})\s*★{_TERM}|★\s*({_LEVEL}){_TERM}|密级(?:和保密期限)?\s*[：:]\s*★?\s*({_LEVEL})(?:\s*★)?{_TERM}"
)
# A line of the head that is a classification or a 密级 line of any value: 机密 / 秘密 1年 / 密级：内部.
HEAD_MARK_LINE = re.compile(rf"(?:{_LEVEL}){_TERM}|密级(?:和保密期限)?\s*[：:]\s*\S.{{0,15}}|(?:{_LEVEL})\s*★.{{0,8}}|★\s*(?:{_LEVEL}).{{0,8}}")
# The same markings inside run-on text (OCR, exports), in brackets: where reflow puts line breaks back.
RUN_ON_MARKING = re.compile(
    rf"{_OPEN}(?:此件(?:{_DISCLOSURE})|{_DISTRIBUTION}|主动公开|不予公开|依申请公开|不公开|内部(?:资料|文件)?){_CLOSE}"
    rf"|(?:{_LEVEL})\s*★{_TERM}"
)


def marking_of(line: str) -> str:
    """The marking a (stripped) line is, as written without its brackets, or ""."""
    m = MARKING_LINE.fullmatch(line)
    return next((g for g in m.groups() if g), "") if m else ""


def marking_kind(marking: str) -> str:
    """What a marking says: MARK_PUBLIC, MARK_INTERNAL or MARK_CLASSIFIED ("" for no marking)."""
    if not marking:
        return ""
    if CLASSIFIED_MARK.search(marking) or re.fullmatch(rf"(?:{_LEVEL}){_TERM}", marking):
        return MARK_CLASSIFIED
    if re.search(r"公开发布|主动公开", marking) and not marking.startswith("此件发"):
        return MARK_PUBLIC
    return MARK_INTERNAL


def classified_level(marking: str) -> str:
    """绝密, 机密 or 秘密 when the marking is a classification, else ""."""
    if marking_kind(marking) != MARK_CLASSIFIED:
        return ""
    return next(level for level in CLASSIFIED_LEVELS if level in marking)


# Government-information-disclosure metadata (政府信息公开目录) that pages print above or beside a
# document: each label as sites write it → the one label we keep (one word per concept; the
# issuer is 发文机关 and the number 文号 everywhere in the product). Its recognition and use are
# indexer.parse.page's business.
DISCLOSURE_LABELS = {
    "信息名称": "信息名称", "文件名称": "信息名称", "名称": "信息名称", "标题": "信息名称",
    "索引号": "索引号",
    "主题分类": "主题分类", "组配分类": "主题分类", "信息分类": "主题分类", "分类": "主题分类",
    "发布机构": "发布机构", "发布单位": "发布机构", "信息来源单位": "发布机构",
    "发文机关": "发文机关", "发文单位": "发文机关",
    "文件编号": "文号", "发文字号": "文号", "文号": "文号",
    "生成日期": "生成日期", "产生日期": "生成日期",
    "成文日期": "成文日期", "发文日期": "成文日期",
    "发布日期": "发布日期", "公开日期": "发布日期",
    "公开方式": "公开方式", "公开形式": "公开方式",
    "公开范围": "公开范围",
    "有效性": "有效性", "时效性": "有效性",
    "主题词": "主题词", "关键词": "主题词",
    "内容概述": "内容概述", "内容摘要": "内容概述", "摘要": "内容概述",
}
# The labels we keep, in the order a document's page lists them.
DISCLOSURE_FIELDS = tuple(dict.fromkeys(DISCLOSURE_LABELS.values()))
DISCLOSURE_LABEL = "|".join(sorted(DISCLOSURE_LABELS, key=len, reverse=True))

# Page furniture: what a browser's copy of a government web page carries around the document.
# A line matching FURNITURE is never the document's, wherever it stands; one matching
# FURNITURE_EDGE (a footer's contact lines) only above the document's first line or below its last.
_NAV_WORDS = r"繁体版|繁體版|简体版|无障碍浏览|无障碍阅读|无障碍|长者模式|长者版|关怀版|English|ENGLISH|手机版|移动版|智能问答|网站导航"
_FURNITURE_PARTS = (
    r"网站支持\s*IPv6|支持\s*IPv6",
    r"(?:您当前的位置|您当前位置|当前位置|您的位置|您现在的位置|您所在的位置|所在位置)\s*[：:]",
    r"^首页\s*[>＞»›/]",
    r"[>＞»›]\s*(?:首页|正文)\s*$",
    r"字体\s*[：:]?\s*[【\[]?\s*大\s*[】\]]?\s*[【\[]?\s*中\s*[】\]]?\s*[【\[]?\s*小",
    r"^字号\s*[：:]|^[【\[]?\s*[大中小]\s*[】\]]?\s*[【\[]?\s*[大中小]\s*[】\]]?\s*[【\[]?\s*[大中小]\s*[】\]]?\s*$",
    r"打印本页|关闭窗口|打印此页|关闭本页|返回顶部",
    r"扫一扫在手机|用手机扫描二维码|扫描二维码在手机|手机扫一扫",
    r"^分享到\s*[：:]?",
    r"版权所有\s*(?:[：:©(（]|$)|©|Copyright|网站标识码|ICP\s*备|ICP\s*证|公网安备|网站地图",
    r"^(?:上一篇|下一篇|上一条|下一条)\s*[：:]",
)
FURNITURE = re.compile("|".join(_FURNITURE_PARTS) + rf"|(?:^|[•·|│\s])(?:{_NAV_WORDS})(?:[•·|│\s]|$)")
# A line made only of page buttons: 【打印】【关闭】, 打印 关闭 分享 收藏.
FURNITURE_BUTTONS = re.compile(
    r"^(?:[【\[]?\s*(?:打印|关闭|分享|收藏|返回|返回顶部|字体|大|中|小|微信|微博|QQ空间|QQ|复制链接|纠错|浏览次数[：:]?\s*\d*)"
    r"\s*[】\]]?[\s•·|│/]*)+$"
)
FURNITURE_EDGE = re.compile(
    r"^(?:主办单位|主办|承办单位|承办|协办单位|协办|技术支持|运维单位|举报电话|联系电话|联系方式|地址|邮编|邮政编码|"
    r"电子邮箱|政务服务热线|访问量|浏览次数|点击数)\s*[：:]"
    r"|^(?:首页|联系我们|网站导航|返回首页|关于我们|我要纠错|政务公开|门户网站)$|门户网站$"
)
# A site's channel names: a line of them (首页 政务公开 政务服务 互动交流) is its navigation.
NAV_WORDS = frozenset((
    "首页", "网站首页", "政务公开", "政府信息公开", "信息公开", "政务服务", "办事服务", "网上办事", "互动交流", "政民互动",
    "公众参与", "新闻中心", "新闻动态", "要闻动态", "政务动态", "通知公告", "政策文件", "政策解读", "数据开放", "专题专栏",
    "领导之窗", "机构设置", "机构职能", "在线访谈", "网站地图", "联系我们", "English", "繁体版", "简体版", "无障碍浏览",
    "长者模式", "关怀版", "手机版", "登录", "注册", "个人中心", "智能问答",
))
NAV_SEPARATOR = re.compile(r"[\s•·|│/＞>»›]+")
# The tags and entities a text copy of a page may keep: <p>, </div>, &nbsp;. Layout and text tags
# only: any other markup (<script>, <img onerror=…>) stays text, shown escaped as it was written.
HTML_TAG = re.compile(
    r"</?(?:p|div|span|br|font|b|i|u|a|table|tbody|thead|tr|td|th|ul|ol|li|h[1-6]|section|article|strong|em"
    r"|center|hr|sup|sub|html|head|body)\b[^<>]{0,400}>",
    re.IGNORECASE,
)
HTML_ENTITY = re.compile(r"&(?:nbsp|ensp|emsp|amp|lt|gt|quot|apos|middot|ldquo|rdquo|mdash|hellip|#\d{1,6}|#x[0-9a-f]{1,5});", re.IGNORECASE)
