"""Packaging for 纪要检索 (minutes search).

Dependencies use compatible-release pins (``~=``) so a fresh clone gets the
versions the project is tested with, plus bug-fix releases.
"""
from setuptools import find_namespace_packages, setup

setup(
    name="minutes-search",
    version="0.1.0",
    description="Full-text search and citation lookup over government meeting minutes",
    python_requires=">=3.11",
    # Namespace packages too, so the data folders (indexer/data, webapp/templates, webapp/static) ship.
    packages=find_namespace_packages(include=["indexer", "indexer.*", "webapp", "webapp.*", "minutes_cli"]),
    package_data={
        "indexer.data": ["*.tsv"],
        "webapp.templates": ["*.html"],
        "webapp.static": ["*.css", "*.js", "*.svg"],
    },
    install_requires=[
        # Whoosh 2.7.4 rather than whoosh-reloaded 2.7.5: see docs/architecture.md, "Why Whoosh 2.7.4".
        "Whoosh~=2.7.4",
        "jieba~=0.42.1",
        "rjieba~=0.2.2",  # jieba's algorithm compiled, for indexing where its words are jieba's (indexer/analysis.py)
        "Flask~=3.1",
        "Flask-WTF~=1.2",  # CSRF protection for the sign-in and other state-changing forms (webapp/auth.py)
        "gunicorn~=23.0",
        "click~=8.1",
        "pypdf~=7.1",  # the text layer of PDF files; pure Python
        "olefile~=0.47",  # the OLE2 container of legacy Word .doc and WPS .wps files (indexer/formats_doc.py)
        "charset-normalizer~=3.5",  # the encoding of text that is neither UTF-8 nor marked by a BOM (indexer/formats.py)
        # Traditional characters read as simplified (indexer/hanzi.py): OpenCC's C++ library in prebuilt
        # wheels, about 40x faster than the pure-Python opencc-python-reimplemented.
        "opencc~=1.4.2",
        # Password strength (indexer/accounts/users.py): its lists of common passwords, names and words ship
        # inside the package; nothing is downloaded at run time.
        "zxcvbn~=4.5",
        "numpy~=2.3",  # posting lists, scores and facet counts as arrays (indexer/postings.py, scoring.py, facets.py)
    ],
    extras_require={
        "test": [
            "pytest~=8.4",
            "import-linter~=2.17",  # the layers of the code, checked by tests/test_layers.py (.importlinter)
            "playwright~=1.49",
            "requests~=2.32",
            "hypothesis~=6.170",
            "python-docx~=1.2",  # tests make .docx files from the samples
            "reportlab~=5.1",  # tests make PDF files from the samples
            # tests/test_format_libraries.py and scripts/compare_libraries.py: ours against them
            "trafilatura~=2.3",
            "readability-lxml~=0.9",
        ],
        # Text recognition of scans and photos (indexer/formats_ocr.py): PP-OCRv4 models that ship
        # inside the wheel (no download at run time), run by ONNX Runtime; pypdfium2 renders the pages
        # of PDFs without a text layer. Optional: without it, a scan is reported as needing OCR.
        "ocr": [
            "rapidocr-onnxruntime~=1.4.4",
            "pypdfium2~=5.15",
            "Pillow>=10",
        ],
        # scripts/bench only: a compiled engine fed the same tokens, as the yardstick. Never a runtime dependency.
        "bench": ["tantivy~=0.27"],
    },
    entry_points={"console_scripts": ["minutes=minutes_cli:cli"]},
)
