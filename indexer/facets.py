"""Facet filtering and disjunctive counts over one searcher's facet table.

Values within one facet are OR-ed and facets are AND-ed. Counts are
disjunctive, as in Datasette and most shops: the count next to a value of
facet F is what the results would be with that value added to F's selection,
so selecting 市发改委 still shows what the other departments would give.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from .results import FacetValue
from .schema import FACET_FIELDS

FacetTable = dict[int, dict[str, tuple[str, ...]]]  # docnum → facet name → values
_NONE: dict[str, tuple[str, ...]] = {name: () for name in FACET_FIELDS}


def filter_and_count(
    table: FacetTable, candidates: Iterable[int], filters: dict[str, tuple[str, ...]]
) -> tuple[set[int], dict[str, tuple[FacetValue, ...]]]:
    """The candidates that pass every filter, and every facet's counts."""
    selected = {name: set(values) for name, values in filters.items() if values}
    counts = {name: Counter() for name in FACET_FIELDS}
    matched: set[int] = set()
    for docnum in candidates:
        values = table.get(docnum, _NONE)
        misses = [name for name, wanted in selected.items() if wanted.isdisjoint(values[name])]
        if not misses:
            matched.add(docnum)
            for name in FACET_FIELDS:
                counts[name].update(values[name])
        elif len(misses) == 1:
            counts[misses[0]].update(values[misses[0]])  # passes every other facet
    return matched, {name: _ordered(name, counts[name], selected.get(name, set())) for name in FACET_FIELDS}


def _ordered(name: str, counter: Counter, selected: set[str]) -> tuple[FacetValue, ...]:
    for value in selected - set(counter):
        counter[value] = 0  # keep a selected value visible so it can be removed
    if name == "year":
        order = sorted(counter, reverse=True)
    else:
        order = sorted(counter, key=lambda v: (-counter[v], v))
    return tuple(FacetValue(v, counter[v], v in selected) for v in order)
