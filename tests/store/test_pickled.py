"""An index written before its pickled classes moved still opens (indexer/store/pickled.py).

Whoosh pickles our tokenizers and codec into the index's table of contents by module path. The
index below is written with those classes claiming their paths of before issue 23
(``indexer.analysis``, ``indexer.flat``), as every index of the earlier version names them; a
new process then opens it, searches it and updates it."""
import json
import subprocess
import sys

import pytest

from ..conftest import CORPUS, MINUTES_2021_9, ROOT

pytestmark = pytest.mark.slow  # processes of their own

WRITE_AS_BEFORE = """if True:
    import sys
    import indexer
    from indexer.store import analysis, flat
    for module, path in ((analysis, "indexer.analysis"), (flat, "indexer.flat")):
        for value in vars(module).values():
            if isinstance(value, type) and value.__module__ == module.__name__:
                value.__module__ = path  # pickled by this path, as before the move
    indexer.index_paths([sys.argv[1]], sys.argv[2])
"""

OPEN_AND_UPDATE = """if True:
    import json, sys
    import indexer
    with indexer.SearchIndex(sys.argv[2]) as ix:
        before = ix.search(indexer.SearchRequest(q="电梯安全")).total
    report = indexer.index_paths([sys.argv[1], sys.argv[3]], sys.argv[2])
    with indexer.SearchIndex(sys.argv[2]) as ix:
        after = ix.search(indexer.SearchRequest(q="电梯安全")).total
    print(json.dumps({"before": before, "after": after, "indexed": len(report.indexed)}))
"""


def _toc(index_dir) -> bytes:
    return b"".join(p.read_bytes() for p in (index_dir / "live").glob("*.toc"))


def test_an_index_that_names_the_old_module_paths_opens_searches_and_updates(tmp_path):
    folder, index_dir = tmp_path / "docs", tmp_path / "ix"
    folder.mkdir()
    (folder / MINUTES_2021_9.name).write_bytes(MINUTES_2021_9.read_bytes())
    run = subprocess.run([sys.executable, "-c", WRITE_AS_BEFORE, str(folder), str(index_dir)], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    toc = _toc(index_dir)
    assert (b"indexer.analysis\n" in toc, b"indexer.flat" in toc, b"indexer.store." in toc) == (True, True, False)
    another = next(p for p in sorted(CORPUS.iterdir()) if p.suffix == ".txt" and p.name != MINUTES_2021_9.name)
    run = subprocess.run([sys.executable, "-c", OPEN_AND_UPDATE, str(folder), str(index_dir), str(another)],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    counts = json.loads(run.stdout.strip().splitlines()[-1])
    assert counts["before"] > 0 and counts["after"] >= counts["before"] and counts["indexed"] == 1
    assert b"indexer.store.analysis" in _toc(index_dir)  # its next commit names today's paths
