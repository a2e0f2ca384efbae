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


def citation(doc_title: str, doc_number: str = "", item_no: int = 0, subpoint: int = 0) -> str:
    """The citation of a document, one of its items, or one of an item's sub-points."""
    text = f"《{doc_title}》"
    if doc_number:
        text += f"（{doc_number}）"
    return text + item_label(item_no, subpoint)
