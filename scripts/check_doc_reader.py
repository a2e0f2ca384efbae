"""Our legacy Word/WPS reader (indexer/formats_doc.py) against LibreOffice and antiword, on the
.doc/.dot/.wps files of a folder and its subfolders (nothing is written beside them).

    .venv/bin/python scripts/check_doc_reader.py FOLDER [--no-antiword] [--show NAME]

Prints a Markdown table, a row per file: the producer (the SummaryInformation stream's "Creating
application", the FIB's version, nFibNew where Word 2000 and later write it, and whether the file
is complex, i.e. fast-saved, or encrypted), the
characters of our text, of LibreOffice's (``soffice --headless --convert-to txt``, the reference)
and of antiword's, and the similarity of ours to each: difflib's ratio of the texts with all
whitespace removed. ``--show NAME`` prints the three texts of one file. LibreOffice is needed;
antiword (Debian's ``antiword``) is optional.
"""
from __future__ import annotations

import argparse
import difflib
import io
import re
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer.errors import ParseError  # noqa: E402
from indexer.read.text import decode  # noqa: E402
from indexer.read.doc import doc_text  # noqa: E402

SUFFIXES = {".doc", ".dot", ".wps", ".wpt"}


def producer(data: bytes) -> str:
    """"Creating application" (SummaryInformation), nFib, and the FIB's complex (fast-saved) flag."""
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            app = ""
            if ole.exists("\x05SummaryInformation"):
                app = ole.get_metadata().creating_application or b""
                app = app.decode("cp1252", "replace") if isinstance(app, bytes) else str(app)
                app = app.split("\0")[0].strip()
            word = ole.openstream("WordDocument").read(0x1000) if ole.exists("WordDocument") else b""
    except OSError as e:
        return f"(not OLE2: {e})"
    if len(word) < 0x0C:
        return f"{app or '?'}; no WordDocument"
    nfib, flags = struct.unpack_from("<H", word, 2)[0], struct.unpack_from("<H", word, 0x0A)[0]
    nfib = _nfib_new(word) or nfib
    notes = [f"nFib {nfib} ({VERSIONS.get(nfib, '?')})"]
    notes += [name for bit, name in ((0x0004, "complex"), (0x0100, "encrypted")) if flags & bit]
    return f"{app or '?'}; {', '.join(notes)}"


VERSIONS = {101: "Word 6", 104: "Word 95", 193: "Word 97", 217: "Word 2000", 257: "Word 2002",
            268: "Word 2003", 274: "Word 2007"}


def _nfib_new(word: bytes) -> int:
    """Word 97 and later: the FIB's nFibNew (the version that saved the file), after its variable parts."""
    try:
        if struct.unpack_from("<H", word, 2)[0] < 0xC1:
            return 0
        at = 0x20
        at += 2 + 2 * struct.unpack_from("<H", word, at)[0]  # csw, fibRgW
        at += 2 + 4 * struct.unpack_from("<H", word, at)[0]  # cslw, fibRgLw
        at += 2 + 8 * struct.unpack_from("<H", word, at)[0]  # cbRgFcLcb, fibRgFcLcbBlob
        return struct.unpack_from("<H", word, at + 2)[0] if struct.unpack_from("<H", word, at)[0] else 0
    except struct.error:
        return 0


def ours(path: Path) -> str:
    try:
        return doc_text(path.read_bytes(), str(path), decode)
    except ParseError as e:
        return f"<error: {e.reason}>"


def libreoffice(paths: list[Path]) -> dict[Path, str]:
    """Each file's text as LibreOffice writes it (UTF-8), one soffice run for all."""
    with tempfile.TemporaryDirectory() as tmp:
        # Copies under plain names: soffice names its output after the input, and a .dot would not convert to txt.
        inputs = []
        for n, path in enumerate(paths):
            copy = Path(tmp) / f"f{n}.doc"
            shutil.copyfile(path, copy)
            inputs.append(str(copy))
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                        "--convert-to", "txt:Text (encoded):UTF8", "--outdir", f"{tmp}/out", *inputs],
                       capture_output=True, timeout=600)
        texts = {}
        for n, path in enumerate(paths):
            out = Path(tmp) / "out" / f"f{n}.txt"
            texts[path] = out.read_text("utf-8-sig") if out.exists() else "<no output>"
        return texts


def antiword(path: Path) -> str:
    if not shutil.which("antiword"):
        return ""
    run = subprocess.run(["antiword", "-m", "UTF-8.txt", "-w", "0", str(path)], capture_output=True, timeout=60)
    if run.returncode:
        return f"<antiword failed: {run.stderr.decode('utf-8', 'replace').strip()}>"
    return run.stdout.decode("utf-8", "replace")


def _failed(text: str | None) -> bool:
    return text is None or text.startswith(("<error: ", "<no output>", "<antiword failed: "))


def _count(text: str | None) -> str:
    """Characters without whitespace, or what went wrong."""
    if text is None:
        return "-"
    return text if _failed(text) else str(chars(text))


def similarity(a: str, b: str) -> float:
    a, b = re.sub(r"\s+", "", a), re.sub(r"\s+", "", b)
    if not a and not b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def chars(text: str) -> int:
    return len(re.sub(r"\s+", "", text))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--no-antiword", action="store_true")
    parser.add_argument("--show", metavar="NAME", help="print the three texts of the file NAME")
    args = parser.parse_args(argv)
    paths = sorted(p for p in args.folder.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
    if args.show:
        paths = [p for p in paths if p.name == args.show]
    if not paths:
        print(f"no .doc/.dot/.wps/.wpt file in {args.folder}", file=sys.stderr)
        return 1
    reference = libreoffice(paths)
    if args.show:
        path = paths[0]
        for title, text in (("ours", ours(path)), ("LibreOffice", reference[path]), ("antiword", antiword(path))):
            print(f"===== {title} ({chars(text)} characters, whitespace removed)\n{text}")
        return 0
    print("| file | producer | ours | LibreOffice | ours~LO | antiword | ours~antiword |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for path in paths:
        text = ours(path)
        cells = [str(path.relative_to(args.folder)), producer(path.read_bytes()), _count(text)]
        for other in (reference[path], None if args.no_antiword else antiword(path)):
            failed = other is None or _failed(text) or _failed(other)
            cells += [_count(other), "-" if failed else f"{similarity(text, other):.3f}"]
        print(f"| {' | '.join(cells)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
