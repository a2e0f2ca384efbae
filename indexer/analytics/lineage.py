"""A policy's whole path across the names it goes by: 草案 → adopted text → 印发 → revisions → repeal.

The same policy is named differently at each stage: 《示例市电梯安全条例（草案）》 at the meeting that
reviews it, 《示例市电梯安全条例》 once adopted, 《关于印发示例市电梯安全条例的通知》 when issued, a
暂行办法 or 试行 text before the final one, a 征求意见稿 before that. :func:`stem` takes those marks
off a title; every title with the same stem — reviewed at meetings, cited, or a document's own — is
the same policy's. Each link of the path says why it was made, so that a reader can judge it:

- 标题相同 (same normalised title); 草案及其通过文本; 征求意见稿及其定稿; 试行（暂行）文本及其正式文本;
- 会议通过事项的印发通知: a notice issuing the title, later than a meeting item of the same issuer
  that reviewed it;
- 修订 / 修改决定 / 废止 / 失效: what documents say of the policy's texts
  (:mod:`indexer.analytics.validity`), with the sentence.

Built per request from the cross-references (already scoped to what the caller may read) and the
validity table (whose speakers are filtered here by the same access).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..parse import EXPIRED, REPEALED, REVISED, SELF, TERM, normalize_title
from ..patterns import ISSUING_NOTICE
from ..visibility import Access
from .crossrefs import CrossReferences, DocRef
from .validity import ValidityTable

# Marks a title carries at one stage, at its end: （草案）, （征求意见稿）, （试行） …
_STAGE_MARK = re.compile(r"[（(](修订草案|修正草案|草案修改稿|草案|征求意见稿|送审稿|试行|暂行)[)）]$|(草案|征求意见稿|送审稿)$")
_INTERIM = re.compile(r"暂行(?=办法|规定|条例|细则|规则)")
STAGE_REASONS = {
    "": "标题相同（规范化后）",
    "草案": "草案及其通过文本", "修订草案": "草案及其通过文本", "修正草案": "草案及其通过文本", "草案修改稿": "草案及其通过文本",
    "送审稿": "草案及其通过文本", "征求意见稿": "征求意见稿及其定稿", "试行": "试行（暂行）文本及其正式文本",
    "暂行": "试行（暂行）文本及其正式文本",
}
ISSUED_REASON = "会议通过事项的印发通知（标题相同、日期在后、发文机关相同）"
STEP_STAGES = ("审议", "研究", "听取", "讨论")
KIND_REASONS = {REVISED: "修订", REPEALED: "废止", EXPIRED: "失效", TERM: "有效期届满"}


def stem(title: str) -> tuple[str, str]:
    """(the title without its stage marks, the mark taken off: 草案, 征求意见稿, 试行, 暂行 or "")."""
    t = normalize_title(title).strip("《》")
    issued = ISSUING_NOTICE.search(t)
    if issued:
        t = issued.group(1).strip("《》")
    mark = ""
    while True:
        m = _STAGE_MARK.search(t)
        if not m:
            break
        mark = mark or (m.group(1) or m.group(2))
        t = t[:m.start()]
    if _INTERIM.search(t):
        t, mark = _INTERIM.sub("", t), mark or "暂行"
    return t, mark


@dataclass(frozen=True)
class Link:
    """One document (or item) on a policy's path: what happened (``stage``) and why it is linked."""

    place: DocRef
    stage: str  # 审议 / 研究 / 提及 (meeting items), 文本, 印发, 修订, 废止, 失效, 有效期届满
    reason: str
    title: str  # the policy's name as this document gives it
    date: str  # when it happened (a revision's or repeal's own date; else the document's)
    action: str = ""
    decision: str = ""
    sentence: str = ""  # for a revision or repeal: the sentence that says so


@dataclass(frozen=True)
class Lineage:
    title: str
    stem: str
    names: tuple[str, ...]  # every name of the policy found, the asked one first
    links: tuple[Link, ...]  # oldest first


def lineage(title: str, refs: CrossReferences, table: ValidityTable, access: Access | None = None) -> Lineage:
    """The path of the policy ``title`` names, over the documents ``refs`` holds (already scoped to
    ``access``) and what the validity table's readable documents say of them."""
    title = normalize_title(title).strip("《》")
    base, _ = stem(title)
    readable = (lambda v: True) if access is None or access.unrestricted else access.allows
    names = {t for t in refs.by_title if stem(t)[0] == base}
    own: dict[str, str] = {}  # document → its name for the policy (its title, or what it issues)
    for doc in refs.documents.values():
        for name in (*(m.group(1) for m in [ISSUING_NOTICE.search(normalize_title(doc.title))] if m), doc.title):
            if stem(name)[0] == base:
                own.setdefault(doc.id, normalize_title(name).strip("《》"))
    names |= set(own.values())
    links: list[Link] = []
    reviewed: list[Link] = []
    for name in sorted(names):
        _, steps = refs.policy(name)
        for s in steps:
            link = Link(s.place, s.action, STAGE_REASONS[stem(name)[1]], name, s.place.date, s.action, s.decision)
            links.append(link)
            if s.action != "提及":
                reviewed.append(link)
    for doc_id, name in own.items():
        doc = refs.documents[doc_id]
        issued = ISSUING_NOTICE.search(normalize_title(doc.title))
        earlier = [r for r in reviewed if r.date <= doc.date and _same_issuer(refs.documents[r.place.doc_id].issuer,
                                                                                doc.issuer)]
        if issued and earlier:
            stage, reason = "印发", ISSUED_REASON
        else:
            stage, reason = ("印发" if issued else "文本"), STAGE_REASONS[stem(name)[1]]
        links.append(Link(refs.summary(doc_id), stage, reason, name, doc.date))
    keys = names | {stem(n)[0] for n in names}
    for speaker, said in table.spoken.items():
        facts = table.documents[speaker]
        if speaker not in refs.documents or not readable(facts.visibility):
            continue
        for st, targets in said:
            if st.kind == TERM:
                continue
            mine = st.target in keys or any(t in own for t in targets) or (st.target == SELF and speaker in own)
            if not mine:
                continue
            reason = KIND_REASONS[st.kind] + ("（本件沿革所载）" if st.target == SELF else "")
            if st.kind == REVISED and "关于修改" in facts.title:
                reason = "修改决定"
            links.append(Link(refs.summary(speaker), KIND_REASONS[st.kind], reason, st.target or own.get(speaker, ""),
                              st.date or facts.date, sentence=st.sentence))
    # A document on the path for what it is (the text, its 印发 notice, a revision, a repeal) is not
    # also listed for naming the policy in passing.
    placed = {link.place.doc_id for link in links if link.stage not in (*STEP_STAGES, "提及")}
    links = [link for link in dict.fromkeys(links) if not (link.stage == "提及" and link.place.doc_id in placed)]
    links.sort(key=lambda link: (link.date or "9999", link.place.date, link.place.item_no))
    return Lineage(title, base, tuple(sorted(names, key=lambda n: (n != title, n))), tuple(links))


def _same_issuer(meeting: str, notice: str) -> bool:
    """示例市人民政府 (the meeting's) issues as itself or its office (示例市人民政府办公室)."""
    return bool(meeting) and bool(notice) and (notice.startswith(meeting) or meeting.startswith(notice))
