"""Who was at a meeting: the 出席 and 列席 lists of minutes.

Real lists are laid out for the page, not for reading by machine: 出席 is bare
names separated by spaces; 列席 starts with bare names too, then runs into unit
and person pairs with no separator between them (市发改委凌鸣 市教育局周志芳),
and the page width wraps lines in the middle of a unit (市 / 中级法院包刚) or of
a name (毛元 / 龙). Units are found by the gazetteer in the list with its line
breaks taken out, so a wrap never hides one; what stands between two units is
the first one's persons.
"""
from __future__ import annotations

import re

from ..model import AttendingUnit
from . import gazetteer

_NAME_SEPARATORS = re.compile(r"[、，,；;。 ]+")
# A unit the gazetteer lacks and its person, as one entry of the list: 苏州某某集团张三.
_UNKNOWN_ENTRY = re.compile(
    r"^([\u4e00-\u9fff]{2,12}?(?:集团|公司|中支|分局|支队|大队|总社|中心|管委会|委员会|办公室|局|委|办|院|室|站|会|市|县|区))"
    r"([\u4e00-\u9fff]{2,4})$"
)


def names(text: str) -> tuple[str, ...]:
    """Persons listed with spaces, line breaks, 、 or ， between them. Names masked
    as XXX and run together (XXXXXXXXX) are three persons, not one."""
    out = []
    for name in re.split(r"[、，,；;。\s]+", text):
        if re.fullmatch(r"(?:XXX)+", name):
            out.extend(["XXX"] * (len(name) // 3))
        elif name:
            out.append(name)
    return tuple(out)


def _flatten(text: str) -> tuple[str, list[str]]:
    """The text without spaces and line breaks, and for each of its characters
    the separator that stood before it ("", " " or "\\n")."""
    flat, before, pending = [], [], ""
    for ch in text.strip():
        if ch == "\n":
            pending = "\n"
        elif ch in " \t":
            pending = pending or " "
        else:
            flat.append(ch)
            before.append(pending)
            pending = ""
    return "".join(flat), before


def _units(flat: str, before: list[str], level: str, place: str) -> list[tuple[int, int, str, bool, str]]:
    """(start, end, name, known, level) of the units in a flattened list."""
    found = [(m.start, m.end, m.name, m.known, m.level) for m in gazetteer.find_departments(flat, level, place)]
    places = gazetteer.places()
    for name in sorted(places, key=len, reverse=True):
        if places[name] not in (gazetteer.COUNTY, gazetteer.CITY) or not re.search("[市县区]$", name):
            continue
        for m in re.finditer(re.escape(name), flat):
            if not any(s < m.end() and m.start() < e for s, e, *_ in found):
                found.append((m.start(), m.end(), name, True, places[name]))
    found.sort()
    # Units the gazetteer lacks: an entry (between spaces) too long to be a person's name.
    gaps, last = [], 0
    for start, end, *_ in found:
        gaps.append((last, start))
        last = end
    gaps.append((last, len(flat)))
    extra = []
    for start, end in gaps:
        entry_starts = [i for i in range(start, end) if i == start or before[i] == " "]
        for a, b in zip(entry_starts, [*entry_starts[1:], end]):
            m = _UNKNOWN_ENTRY.match(flat[a:b])
            if m and b - a > 4:
                extra.append((a, a + len(m.group(1)), m.group(1), False, level))
    return sorted(found + extra)


def attending(text: str, level: str = "", place: str = "") -> tuple[tuple[str, ...], tuple[AttendingUnit, ...]]:
    """列席: the persons named without a unit, and each unit with its persons."""
    flat, before = _flatten(text)
    units = _units(flat, before, level, place)

    def persons(start: int, end: int, by_line: bool) -> tuple[str, ...]:
        out, current = [], ""
        for i in range(start, end):
            sep = before[i]
            if current and (sep == " " or (by_line and sep == "\n")):
                out.append(current)
                current = ""
            current += flat[i]
        if current:
            out.append(current)
        return tuple(n for chunk in out for n in _NAME_SEPARATORS.split(chunk) if n)

    bare = tuple(n for name in persons(0, units[0][0] if units else len(flat), by_line=True) for n in names(name))
    listed = []
    for i, (start, end, name, known, unit_level) in enumerate(units):
        stop = units[i + 1][0] if i + 1 < len(units) else len(flat)
        listed.append(AttendingUnit(name, persons(end, stop, by_line=False), known=known, level=unit_level))
    return bare, tuple(listed)
