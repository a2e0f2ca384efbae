"""What an index spends its bytes on (issue 14, "a smaller index"): each kind of file; each
field's terms, postings and positions, in Whoosh's postings and in our flat arrays; each
stored field before and after compression, and how much of the stored text is repeated.

    scripts/index_sizes [INDEX_DIR]        # default: the project's index/ ($MINUTES_INDEX)

Whoosh's bytes per field: the extents its term infos point to in the ``.pst``, and the
``.trm`` shared out by the size of each field's entries. The flat files' bytes per field,
from the arrays' types: per posting a document number, a weight and a position count, then
the positions, and the term table (rows and key bytes; the file's header and padding shared
out by rows). The stored fields' part reads and recompresses every record (a minute at
10,000 agenda items on two loaded cores). Prints figures, changes nothing.
"""
from __future__ import annotations

import argparse
import pickle
import re
import zlib
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from indexer.store import flat as flat_files
from indexer.search import tables
from indexer.store.arrays import read_arrays
from indexer.store.flat import flat_path, open_flat
from indexer.store.index import open_whoosh_index
from indexer.store.lifecycle import cache_dir, index_location, live_dir

KINDS = (  # a file's kind: the first pattern its name matches
    ("Whoosh postings (.pst)", r"\.pst$"),
    ("Whoosh term index (.trm)", r"\.trm$"),
    ("stored fields (_stored.col)", r"\._stored\.col$"),
    ("field lengths (_*_len.col)", r"_len\.col$"),
    ("sortable columns (.col)", r"\.col$"),
    ("flat postings (.flat)", r"\.flat$"),
    ("facet tables (tables-*)", r"^tables-"),
    ("vocabulary (vocabulary-*.json)", r"^vocabulary-"),
    ("word table (cache/jieba-*)", r"^jieba-"),
    ("other", ""),
)
# A .trm entry besides the term's bytes: key and value lengths (8), the field's number (2), a
# W3TermInfo pointing into the .pst (35), two hash-table slots (24) and the ordered index's (4).
TRM_ENTRY = 8 + 2 + 35 + 24 + 4
STORED_LEVEL = 3  # Whoosh's CompressedBytesColumn: each record's pickle, zlib level 3


def pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def show(header: tuple[str, ...], rows: list[tuple]) -> None:
    """A table: text left, numbers right with thousands separators."""
    cells = [header, *[tuple(c if isinstance(c, str) else f"{c:,.0f}" for c in row) for row in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    for r in cells:
        print("  " + "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))
    print()


def file_sizes(index_dir: Path) -> Counter:
    sizes = Counter()
    for folder in (live_dir(index_dir), cache_dir(index_dir)):
        for path in folder.rglob("*") if folder.is_dir() else ():
            if path.is_file():
                sizes[next(kind for kind, pattern in KINDS if re.search(pattern, path.name))] += path.stat().st_size
    return sizes


def field_costs(searcher, folder: Path) -> dict[str, Counter]:
    """Per field: term rows (summed over segments), postings, positions, Whoosh's .pst and
    .trm bytes, the flat files' bytes and, of those, the positions'."""
    costs: dict[str, Counter] = defaultdict(Counter)
    for leaf, _ in searcher.reader().leaf_readers():
        segment, entries = leaf.segment(), Counter()
        for (field, btext), info in leaf:  # every term info of the segment
            costs[field]["pst"] += pst_bytes(info)
            entries[field] += TRM_ENTRY + len(btext)
        trm = (folder / segment.make_filename(".trm")).stat().st_size
        for field, n in entries.items():
            costs[field]["trm"] += trm * n / sum(entries.values())
        flat = open_flat(folder, segment)
        if flat is None:
            print(f"  segment {segment.segment_id()} has no readable .flat file: its flat bytes are missing below\n")
            continue
        add_flat_costs(flat, flat_path(folder, segment).stat().st_size, costs)
    return costs


def pst_bytes(info) -> int:
    """The term's extent in the .pst: none when its postings are inlined in the .trm (Whoosh
    2.7 reads the length back as a 1-tuple)."""
    if info.is_inlined():
        return 0
    length = info.extent()[1]
    return length[0] if isinstance(length, tuple) else length


def add_flat_costs(flat, size: int, costs: dict[str, Counter]) -> None:
    """One segment's flat file (``size`` bytes) split by field: its term keys are ``field \\0 term``."""
    keys = flat.terms.keys()
    fields, rows = np.unique([k.split(b"\0", 1)[0].decode() for k in keys], return_inverse=True)
    starts, ends = flat._post_starts.astype(np.int64), flat._post_ends.astype(np.int64)
    before = np.concatenate([[0], np.cumsum(flat._counts, dtype=np.int64)])  # positions before each posting
    postings, positions = ends - starts, before[ends] - before[starts]
    per_posting = flat._ids.itemsize + flat._weights.itemsize + flat._counts.itemsize
    data = flat._ids.nbytes + flat._weights.nbytes + flat._counts.nbytes + flat._positions.nbytes
    key_bytes = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
    per_row = (size - data - key_bytes.sum()) / max(len(keys), 1)  # rows' fixed-width arrays, header, padding

    def by_field(values) -> np.ndarray:
        return np.bincount(rows, weights=values, minlength=len(fields))

    terms, n_postings, n_positions = by_field(np.ones(len(keys))), by_field(postings), by_field(positions)
    table = by_field(key_bytes + per_row)
    for i, field in enumerate(fields):
        c = costs[field]
        c["terms"] += int(terms[i])
        c["postings"] += int(n_postings[i])
        c["positions"] += int(n_positions[i])
        c["flat_positions"] += n_positions[i] * flat._positions.itemsize
        c["flat"] += n_postings[i] * per_posting + n_positions[i] * flat._positions.itemsize + table[i]


def array_sizes(paths, magic: bytes) -> dict[str, Counter]:
    """Bytes per named array over ``paths`` (arrays files, or the tables' older .npz), with their types."""
    arrays: dict[str, Counter] = defaultdict(Counter)
    for path in paths:
        named = np.load(path) if path.suffix == ".npz" else read_arrays(path, magic)[1]
        for name in named:
            values = named[name]
            arrays[name]["bytes"] += values.nbytes
            arrays[name][values.dtype.name] += 1
    return arrays


def show_arrays(title: str, arrays: dict[str, Counter], top: int) -> None:
    whole = sum(c["bytes"] for c in arrays.values())
    order = sorted(arrays, key=lambda a: -arrays[a]["bytes"])
    show((title, "type", "bytes", "share"),
         [(a, ",".join(t for t in arrays[a] if t != "bytes"), arrays[a]["bytes"], pct(arrays[a]["bytes"], whole))
          for a in order[:top]])


def stored_costs(searcher) -> tuple[dict[str, Counter], int, int]:
    """Per stored field: UTF-8 bytes of its values; what the records compress to without it
    (what dropping it saves); bytes repeating a value of another record of the same document;
    bytes found verbatim inside another stored field of the same record. Also the records'
    pickles' total and their compressed total."""
    costs: dict[str, Counter] = defaultdict(Counter)
    seen: dict[str, set] = defaultdict(set)  # doc_id -> (field, value) already stored by its records
    pickled = compressed = 0
    for record in searcher.all_stored_fields():
        blob = pickle.dumps(record, 2)
        whole = len(zlib.compress(blob, STORED_LEVEL))
        pickled, compressed = pickled + len(blob), compressed + whole
        doc = seen[record.get("doc_id", "")]
        for field, value in record.items():
            text = value if isinstance(value, str) else str(value)
            size = len(text.encode("utf-8"))
            c = costs[field]
            c["records"] += 1
            c["bytes"] += size
            rest = {k: v for k, v in record.items() if k != field}
            c["compressed"] += whole - len(zlib.compress(pickle.dumps(rest, 2), STORED_LEVEL))
            if (field, value) in doc:
                c["same_in_document"] += size
            doc.add((field, value))
            if len(text) > 1 and any(isinstance(v, str) and k != field and text in v for k, v in record.items()):
                c["inside_other_field"] += size
    return costs, pickled, compressed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("index", nargs="?", help="index folder (default: the project's index/)")
    index_dir = index_location(parser.parse_args().index)
    ix = open_whoosh_index(index_dir)
    folder = live_dir(index_dir)

    sizes = file_sizes(index_dir)
    total = sum(sizes.values())
    print(f"{index_dir}: {total:,} bytes\n")
    show(("file kind", "bytes", "share"), [(k, sizes[k], pct(sizes[k], total)) for k, _ in KINDS if sizes[k]])

    with ix.searcher() as searcher:
        print(f"records: {searcher.doc_count():,} ({searcher.doc_count_all():,} with deleted), "
              f"segments: {len(searcher.reader().leaf_readers())}\n")
        costs = field_costs(searcher, folder)
        order = sorted(costs, key=lambda f: -(costs[f]["pst"] + costs[f]["flat"]))
        costs["total"] = sum(costs.values(), Counter())
        pst, flat = costs["total"]["pst"], costs["total"]["flat"]
        show(("field", "term rows", "postings", "positions", ".pst", ".trm≈", ".flat", "flat positions", ".pst share",
              ".flat share"),
             [(f, c["terms"], c["postings"], c["positions"], c["pst"], c["trm"], c["flat"], c["flat_positions"],
               pct(c["pst"], pst), pct(c["flat"], flat)) for f in [*order, "total"] for c in [costs[f]]])

        show_arrays("flat array", array_sizes(folder.glob("*" + flat_files.SUFFIX), flat_files.MAGIC), 20)
        show_arrays("table array", array_sizes(folder.glob(tables.PREFIX + "*"), tables.MAGIC), 8)
        stored, pickled, compressed = stored_costs(searcher)
    print(f"stored records: {pickled:,} bytes pickled, {compressed:,} compressed at zlib level {STORED_LEVEL} "
          f"(the column: {sizes['stored fields (_stored.col)']:,})\n")
    order = sorted(stored, key=lambda f: -stored[f]["bytes"])
    text = sum(c["bytes"] for c in stored.values())
    show(("stored field", "records", "UTF-8 bytes", "share", "saved if dropped (compressed)", "same in its document",
          "inside another field"),
         [(f, c["records"], c["bytes"], pct(c["bytes"], text), c["compressed"], c["same_in_document"],
           c["inside_other_field"]) for f in order for c in [stored[f]]])


if __name__ == "__main__":
    main()
