"""Formal citations, as staff paste them into new minutes.

《示例市人民政府常务会议纪要》（〔2021〕9号）第五项第（一）点
"""
from __future__ import annotations

from .normalize import int_to_cn


def item_label(item_no: int, subpoint: int = 0) -> str:
    """第五项, or 第五项第（一）点; "" for a document without items."""
    if not item_no:
        return ""
    return f"第{int_to_cn(item_no)}项" + (f"第（{int_to_cn(subpoint)}）点" if subpoint else "")


def citation(doc_title: str, doc_number: str = "", item_no: int = 0, subpoint: int = 0,
             issuer: str = "", date: str = "") -> str:
    """The citation of a document, one of its items, or one of an item's sub-points.

    A document without a number is named by its issuer and date as well, since
    titles are shared (every year has its 《政府工作报告》):
    《政府工作报告》（国务院，2010年3月5日）第一项."""
    text = f"《{doc_title}》"
    if doc_number:
        text += f"（{doc_number}）"
    elif issuer or date:
        text += "（" + "，".join(p for p in (issuer, cn_date(date)) if p) + "）"
    return text + item_label(item_no, subpoint)


def cn_date(iso: str) -> str:
    """2010-03-05 → 2010年3月5日; 2021 → 2021年."""
    parts = [p for p in iso.split("-") if p]
    return "".join(f"{int(p)}{unit}" for p, unit in zip(parts, "年月日"))
