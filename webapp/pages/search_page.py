"""The search page: a :class:`indexer.SearchResult` into what ``search.html`` shows; the
query language's help (``/help``) and suggestions (``/api/suggest``).

The JSON twin is :func:`indexer.result_dict`, which ``minutes search --json`` prints too,
and the URLs of hits and searches are the product's (:func:`indexer.hit_url`,
:func:`indexer.search_params`). The page adds what only a page has: facet toggles, chips,
pages, sorts, hits grouped by document, quotations to copy. (Its timeline is
:mod:`.timeline_chart`'s, its CSV :mod:`.downloads`'.)
"""
from __future__ import annotations

import indexer

from .markup import quoted, snippet_html

FACET_LABELS = {"dept": "部门", "topic": "主题", "meeting": "会议", "year": "年份", "doc_type": "类型", "validity": "有效性"}
# The query language, as /help shows it and /api/help serves it.
HELP_SYNTAX = [
    {"syntax": "词语", "meaning": "包含全部词语的议题，相关度高的在前；词语相邻或靠近时排名更前",
     "examples": ["电梯安全", "发改委 经济运行"]},
    {"syntax": "\"短语\" 或 “短语”", "meaning": "原文中连续出现的这串文字；标点和空格不计，可直接粘贴原文句子（引号可嵌套）",
     "examples": ["\"原则同意\"", "“预算工作”", "“加强统筹、压实责任”"]},
    {"syntax": "-词语", "meaning": "排除包含该词的议题", "examples": ["电梯 -加装"]},
    {"syntax": "A OR B（或 A 或 B）", "meaning": "包含 A 或 B", "examples": ["防汛 OR 预算"]},
    {"syntax": "部门：", "meaning": "按部门筛选，简称、全称均可", "examples": ["部门：发改委", "部门:市场监督管理局"]},
    {"syntax": "主题：", "meaning": "按主题筛选", "examples": ["主题：安全生产"]},
    {"syntax": "文号：", "meaning": "按文号查找", "examples": ["文号：〔2021〕9号"]},
    {"syntax": "会议：", "meaning": "按会议届次或文号查找", "examples": ["会议：第128次"]},
    {"syntax": "年份：", "meaning": "按年份筛选", "examples": ["年份：2021"]},
    {"syntax": "日期：", "meaning": "按日期范围筛选（年、年-月或年-月-日）", "examples": ["日期：2020-01..2021-06"]},
    {"syntax": "类型：", "meaning": "按文种筛选", "examples": ["类型：纪要", "类型：通知"]},
    {"syntax": "文号、令号、会议届次", "meaning": "无需前缀，直接输入即可定位该文件，排在所有提及它的文件之前；括号、空格、全角半角不限",
     "examples": ["〔2021〕9号", "[2021]9号", "2021年9号", "国发〔2019〕5号", "国务院令第706号", "第128次常务会议"]},
]
HELP_NOTES = [
    "冒号可用半角“:”或全角“：”。部门简称会自动扩展为规范名称（如“发改委”扩展为“市发改委”），同义词（如“保租房”与“保障性租赁住房”）也会一并检索。",
    "没有同时包含全部词语的结果时，会列出包含部分词语的结果并加以提示；词语疑似输错时，会给出“您是不是要找”的建议。",
    "排序可选“相关度”“最新”“最早”；不输入检索词时，按时间从新到旧列出全部文件。每个结果都附有规范引用，点击“复制引用”即可粘贴到新的纪要中。",
]

SORT_LABELS = {"relevance": "相关度", "newest": "最新", "oldest": "最早"}


def _toggle(req: indexer.SearchRequest, name: str, value: str) -> str:
    param = indexer.FACET_PARAMS[name]
    params = [p for p in indexer.search_params(req) if p[0] != "page"]
    if (param, value) in params:
        params.remove((param, value))
    else:
        params.append((param, value))
    return indexer.search_url(params)


def search_page(result: indexer.SearchResult) -> dict:
    """Everything the search template shows."""
    req = result.request
    facets = [
        {
            "name": name,
            "param": indexer.FACET_PARAMS[name],
            "label": FACET_LABELS[name],
            "values": [
                {"value": v.value, "label": v.value, "count": v.count, "selected": v.selected,
                 "toggle_url": _toggle(req, name, v.value)}
                for v in values
            ],
        }
        for name, values in result.facets.items()
        if values
    ]
    chips = [
        {"label": f"{FACET_LABELS[name]}：{value}", "remove_url": _toggle(req, name, value)}
        for name in indexer.FACETS for value in getattr(req, name)
    ]
    params = indexer.search_params(req)
    base = [p for p in params if p[0] != "page"]

    def page_url(n: int) -> str:
        return indexer.search_url(base + ([("page", str(n))] if n > 1 else []))

    hits = [
        dict(indexer.hit_dict(h), snippet_html=snippet_html(h.fragments), link=indexer.hit_url(h, req.q),
             item_label=indexer.item_label(h.item_no),
             quote=quoted("……".join(f.text for f in h.fragments), h.citation))
        for h in result.hits
    ]
    sorts = [
        {"value": s, "label": label, "selected": s == req.sort,
         "url": indexer.search_url([p for p in base if p[0] != "sort"] + ([("sort", s)] if s != "relevance" else []))}
        for s, label in SORT_LABELS.items()
    ]
    return {
        "request": req,
        "total": result.total,
        "elapsed_ms": round(result.elapsed_ms, 1),
        "hits": hits,
        "groups": group_by_document(hits),
        "facets": facets,
        "chips": chips,
        "sorts": sorts,
        "page": req.page,
        "pages": result.pages,
        "prev_url": page_url(req.page - 1) if req.page > 1 else None,
        "next_url": page_url(req.page + 1) if req.page < result.pages else None,
        "json_url": indexer.with_params("/api/search", params),
        "csv_url": indexer.with_params("/search.csv", [p for p in params if p[0] not in ("page", "size")]),
        "relaxed": result.relaxed,
        "did_you_mean": result.did_you_mean,
        "expansions": [indexer.expansion_dict(e) for e in result.expansions],
        "did_you_mean_url": indexer.search_url([("q", result.did_you_mean)] + [p for p in base if p[0] != "q"])
        if result.did_you_mean else None,
    }


def group_by_document(hits: list[dict]) -> list[dict]:
    """Hits of one document together, documents in the order of their best hit."""
    groups: dict[str, dict] = {}
    for hit in hits:
        group = groups.setdefault(hit["doc_id"], {
            "doc_id": hit["doc_id"], "doc_title": hit["doc_title"], "doc_number": hit["doc_number"],
            "doc_type": hit["doc_type"], "date": hit["date"], "doc_url": indexer.document_url(hit["doc_id"]),
            # a label only when a document says something of its force (未见废止 on every hit would be noise)
            "validity": hit["validity"] if hit["validity"] in indexer.VALIDITY_SHOWN else "",
            "hits": [],
        })
        group["hits"].append(hit)
    return list(groups.values())


def suggestions_json(prefix: str, suggestions: tuple[indexer.Suggestion, ...]) -> dict:
    return {"ok": True, "q": prefix, "suggestions": [{"value": s.value, "kind": s.kind} for s in suggestions]}
