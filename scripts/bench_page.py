"""The benchmark's measured unit, timed in a process of its own, with one version's code.

``scripts/bench.py`` starts this script with a snapshot of a version's code on ``PYTHONPATH`` (the
working tree's, and with ``--baseline REV`` REV's), copied beside that code, and talks to it one JSON
line at a time on stdin and stdout. So two versions of ``indexer`` run in the same bench, over the
same index, one query after the other; and every pass starts from a process of its own, so that no
process-wide cache (the segmenter's cut of a query's text, say) carries a query from one pass into
the next.

Two units of work, each exactly an index's share of a request (the templates and JSON encoding aside):

- ``page``: the search page, as ``webapp/views.py::search`` does it: ``index.page(req, lookup=...)``
  (one evaluation, issue 23), then the answer card (``index.answer(q)``, issue 27) unless the page
  opens a document; code without ``page`` (before issue 23, e.g. 87b4504) does what that
  version's view did: ``lookup(q)`` under the same condition, and when that names exactly one
  document the page opens it and nothing else is made; else ``search(req)`` then ``timeline(req)``
  (when that version has one);
- ``api``: the JSON API's work (``/api/search``): ``index.search(req)`` alone, like tantivy's side.

Requests are as the web app parses ``?q=...``: page 1, 10 hits, no filter parameters, unrestricted
access (``access=None``), and no time limit (a loaded machine must give a figure, not a timeout).

Commands (one JSON object a line), each answered by one JSON line:

- ``{"op": "fresh", "q": ...}``: open the index (a new ``SearchIndex``), ask (first time), ask again
  (warm), close; answers ``open``, ``first``, ``warm`` in ms and the answer's summary;
- ``{"op": "open"}``: open one index that stays open and ask it the probe (a running worker);
- ``{"op": "ask", "q": ...}``: ask the index left open; answers ``ms``.

Usage (by ``scripts/bench.py``): ``python bench_page.py INDEX_DIR page|api``; the first line it
writes says which ``indexer`` it imported, or that this version cannot open the index.
"""
from __future__ import annotations

import dataclasses
import gc
import hashlib
import importlib
import json
import sys
import time

import indexer

PROBE = "电梯安全"  # scripts/bench.py's probe: what a running worker answered before the measured queries


def _request(text: str):
    return indexer.SearchRequest(q=text.strip())


def _asks_lookup(req) -> bool:
    """The view's condition for looking a typed number up (the same at 87b4504 and after issue 23);
    the bench's requests have no ``list`` or ``sort`` parameter."""
    return bool(req.q) and req.page == 1 and not req.filters()


def page(index, text: str):
    """The search page's index work: (named documents, result or None, timeline or None)."""
    req = _request(text)
    lookup = _asks_lookup(req)
    if hasattr(index, "page"):
        found = index.page(req, lookup=lookup)
        if found.result is not None and hasattr(index, "answer"):
            index.answer(req.q, wait=False)  # the answer card (issue 27), as the view asks it: never loading
        return found.named, found.result, found.timeline
    # Before issue 23 (webapp/views.py::search at 87b4504): two or three evaluations.
    named = index.lookup(req.q) if lookup else ()
    if len(named) == 1:
        return named, None, None  # the page redirects to the document
    result = index.search(req)
    # (Versions older than the timeline, e.g. b44d8c2, made none: their page was lookup + search.)
    return named, result, index.timeline(req) if hasattr(index, "timeline") else None


def api(index, text: str):
    """The JSON API's index work (/api/search): the search alone."""
    return (), index.search(_request(text)), None


UNITS = {"page": page, "api": api}


def summary(answer) -> dict:
    """What the answer says, small enough to send back: to compare versions, and ours with tantivy."""
    named, result, timeline = answer
    out: dict = {"named": list(named)}
    if result is not None:
        out.update(total=result.total, relaxed=result.relaxed, did_you_mean=result.did_you_mean,
                   hits=[h.id for h in result.hits],
                   facets={name: [[v.value, v.count] for v in values] for name, values in result.facets.items()})
    if timeline is not None:
        text = json.dumps(dataclasses.asdict(timeline), ensure_ascii=False, sort_keys=True)
        out["timeline"] = hashlib.sha1(text.encode()).hexdigest()[:16]
    return out


def schema_version() -> int | None:
    """The index schema this version writes and reads (its module moved in issue 23)."""
    for name in ("indexer.store.schema", "indexer.schema"):
        try:
            return importlib.import_module(name).SCHEMA_VERSION
        except (ImportError, AttributeError):
            continue
    return None


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def main() -> None:
    index_dir, unit = sys.argv[1], UNITS[sys.argv[2]]
    out = sys.stdout
    sys.stdout = sys.stderr  # whatever else prints must not mix with the answers

    def answer(obj: dict) -> None:
        out.write(json.dumps(obj, ensure_ascii=False) + "\n")
        out.flush()

    try:
        indexer.SearchIndex(index_dir, time_limit=None).close()
    # This version cannot read that index (another schema, or classes the index's table of contents
    # names by module paths this version does not have): the bench builds one with it.
    except (indexer.IndexOutdated, ImportError, AttributeError) as e:
        answer({"indexer": indexer.__file__, "schema": schema_version(), "outdated": str(e)})
        return
    indexer.warm_up(index_dir)  # the word table, as a worker has it before its first query
    gc.collect()
    gc.freeze()
    answer({"indexer": indexer.__file__, "schema": schema_version(), "page_method": hasattr(indexer.SearchIndex, "page")})
    running = None
    for line in sys.stdin:
        cmd = json.loads(line)
        if cmd["op"] == "fresh":
            t = time.perf_counter()
            index = indexer.SearchIndex(index_dir, time_limit=None)
            opened = _ms(t)
            t = time.perf_counter()
            first = unit(index, cmd["q"])
            first_ms = _ms(t)
            t = time.perf_counter()
            unit(index, cmd["q"])
            warm_ms = _ms(t)
            index.close()
            answer({"open": opened, "first": first_ms, "warm": warm_ms, "answer": summary(first)})
        elif cmd["op"] == "open":
            running = indexer.SearchIndex(index_dir, time_limit=None)
            unit(running, PROBE)
            answer({})
        elif cmd["op"] == "ask":
            t = time.perf_counter()
            unit(running, cmd["q"])
            answer({"ms": _ms(t)})
        else:
            raise ValueError(cmd)
    if running is not None:
        running.close()


if __name__ == "__main__":
    main()
