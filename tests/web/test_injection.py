"""Issue 26's findings: spreadsheet formulas in the CSV downloads, a ``next`` with CR/LF at
sign-in, and a decompression-bomb image in an upload batch."""
from __future__ import annotations

import csv
import io
import struct
import zlib

import pytest

import indexer
from webapp import create_app

from ..conftest import CORPUS
from ..ingest.test_uploads import index, sign_in, upload_files, users_file, web  # noqa: F401 (fixtures)

FORMULA_TEXT = ("示例市人民政府专题会议纪要\n〔2021〕88号\n"
                "一、=HYPERLINK(\"http://evil.example/\",\"点击\")\n"
                "=cmd|' /C calc'!A0 会议要求，由市大数据局牵头，检查公式注入问题。\n"
                "二、@SUM(1+1)\n"
                "+1+1 市财政局负责落实资金保障。\n"
                "三、-2+3\n"
                "\t-5 市水务局负责排查防汛隐患。\n")


@pytest.fixture(scope="module")
def formula_app(tmp_path_factory):
    path = tmp_path_factory.mktemp("formula")
    (path / "docs").mkdir()
    (path / "docs" / "formula.txt").write_text(FORMULA_TEXT, "utf-8")
    indexer.index_paths([path / "docs", CORPUS], path / "ix")
    app = create_app({"INDEX": str(path / "ix"), "TESTING": True, "ANONYMOUS_ACCESS": "staff"})
    yield app
    app.extensions["minutes"].close()


def _cells(response) -> list[list[str]]:
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def _formulas(rows: list[list[str]]) -> list[str]:
    return [cell for row in rows for cell in row if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


@pytest.mark.parametrize("url", ["/search.csv?q=公式注入", "/search.csv?q=资金保障", "/search.csv?q=防汛隐患",
                                 "/tasks.csv?dept=市大数据局"])
def test_no_csv_cell_is_a_live_formula(formula_app, url):
    rows = _cells(formula_app.test_client().get(url))
    assert len(rows) > 1, url  # the specimen is found
    assert _formulas(rows) == []
    cells = {cell for row in rows[1:] for cell in row}
    assert cells & {"'=HYPERLINK(\"http://evil.example/\",\"点击\")", "'@SUM(1+1)", "'-2+3"}, url  # kept, neutralised
    assert any(cell.startswith(("'=cmd|", "'+1+1", "'-5")) for cell in cells), url


# --- next with CR/LF --------------------------------------------------------------------------

@pytest.mark.parametrize("target", ["/search\r\nX-Injected: 1", "/search\nX", "/a\x00b", "/\x1b[2J", "/a\x85b"])
def test_a_next_with_control_characters_goes_to_the_search_page(web, target):  # noqa: F811
    client = web.test_client()
    page = client.get("/login", query_string={"next": target})
    assert page.status_code == 200
    assert "X-Injected" not in page.get_data(as_text=True)
    token = sign_in(client, "editor1")  # noqa: F841 (signs in with next=/)
    client.post("/logout", data={"csrf_token": token})
    login = client.get("/login").get_data(as_text=True)
    from ..ingest.test_uploads import PASSWORD, TOKEN
    response = client.post("/login", data={"name": "editor1", "password": PASSWORD, "next": target,
                                           "csrf_token": TOKEN.search(login).group(1)})
    assert response.status_code == 302
    assert response.headers["Location"] == "/search"
    assert "X-Injected" not in response.headers


def test_a_raw_crlf_in_the_query_string_never_answers_500(web):  # noqa: F811
    response = web.test_client().get("/login?next=/search%0d%0aX")
    assert response.status_code == 200
    assert 'name="next" value="/search"' in response.get_data(as_text=True)


# --- a decompression bomb in an upload batch ---------------------------------------------------

def bomb_png(width: int = 20000, height: int = 20000) -> bytes:
    """A valid 1-bit greyscale PNG of ``width``×``height`` white pixels: ~50 KB on disk,
    400 million pixels once decoded (Pillow refuses it as a decompression bomb)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    packer = zlib.compressobj(9)
    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    idat = b"".join(packer.compress(row * 1000) for _ in range(height // 1000)) + packer.flush()
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", idat) + chunk(b"IEND", b""))


def test_a_decompression_bomb_is_refused_by_name_and_the_batch_goes_on(web):  # noqa: F811
    from ..ingest.test_uploads import minutes_text

    png = bomb_png()
    assert len(png) < 200_000
    client = web.test_client()
    token = sign_in(client, "editor1")
    text = minutes_text(926, "珊瑚")
    response = upload_files(client, token, [("炸弹.png", png), ("纪要926.txt", text.encode())])
    assert response.status_code == 201, response.get_data(as_text=True)[:500]
    data = response.get_json()
    assert [f["name"] for f in data["files"] if not f["audit"].get("failure")] == ["纪要926.txt"]
    refusals = {r["name"]: r for r in data["refused"]}
    failures = {f["name"]: f["audit"]["failure"] for f in data["files"] if f["audit"].get("failure")}
    reason = refusals["炸弹.png"]["reason"] if "炸弹.png" in refusals else failures["炸弹.png"]
    assert "400000000 pixels" in reason and "limit" in reason, reason
    page = client.get(f"/upload/{data['batch']}").get_data(as_text=True)
    assert "炸弹.png" in page
    result = client.post(f"/api/upload/{data['batch']}/commit", headers={"X-CSRFToken": token}).get_json()
    assert [d["name"] for d in result["documents"]] == ["纪要926.txt"]
    assert client.get("/api/search?q=珊瑚").get_json()["total"] >= 1
