"""Adding minutes from the browser: staging, audit, commit through the one writer,
replacement keeping ids; then the pages and their JSON twins; then 20 uploads by
two editors under a search load on real gunicorn."""
from __future__ import annotations

import io
import os
import re
import shutil
import statistics
import threading
import time
from pathlib import Path

import pytest
import requests

import indexer
from indexer.store import lifecycle
from webapp import create_app
from webapp import uploads as webapp_uploads

from .. import variants
from ..conftest import MINUTES_2021_9, start_gunicorn

TEMPLATE = MINUTES_2021_9.read_text("utf-8")


def minutes_text(n: int, word: str, extra: str = "") -> str:
    """A generated executive-meeting minutes numbered 〔2019〕n号, with a distinctive word."""
    return (TEMPLATE.replace("〔2021〕9号", f"〔2019〕{n}号").replace("第128次", f"第{1000 + n}次")
            .replace("其他事项", f"{word}事项").replace("加强资金监管。", f"加强资金监管。{extra}"))


@pytest.fixture
def index(index_dir, tmp_path) -> Path:
    """A copy of the samples' index of this test's own."""
    path = tmp_path / "ix"
    shutil.copytree(index_dir, path)
    return path


def search_ids(index_dir: Path, q: str) -> list[str]:
    with indexer.SearchIndex(index_dir, time_limit=None) as ix:
        result = ix.search(indexer.SearchRequest(q=q, size=100))
        return sorted({hit.doc_id for hit in result.hits})


def staged_summary(batch: indexer.UploadBatch) -> list[tuple]:
    return [(f.name, f.size, f.replaces, f.audit.path, f.audit.doc_number, f.audit.title, f.audit.failure)
            for f in batch.files]


# --- staging ---------------------------------------------------------------------------------

def test_stage_refuses_each_file_it_cannot_take_with_its_reason(index):
    good = minutes_text(901, "蓝鲸").encode()
    batch = indexer.stage_upload(index, "editor1", [
        ("../escape.txt", good),
        ("sub/dir.txt", good),
        (".hidden.txt", good),
        ("notes.exe", good),
        ("empty.txt", b""),
        ("big.txt", good + b" " * (3 * 1024 * 1024 // 2 - len(good))),
        ("minutes.txt", good),
        ("minutes.txt", good),
        ("broken.docx", b"not a zip"),
        ("copy.txt", MINUTES_2021_9.read_bytes()),
        ("README.md", b"# Notes\n\nHow these files were collected."),
    ], max_file_bytes=1024 * 1024)
    assert [(r.name, r.kind, r.reason) for r in batch.refused] == [
        ("../escape.txt", "bad_name", "'../escape.txt' names a folder; upload the file itself"),
        ("sub/dir.txt", "bad_name", "'sub/dir.txt' names a folder; upload the file itself"),
        (".hidden.txt", "bad_name", "'.hidden.txt' is not a usable file name"),
        ("notes.exe", "unsupported", ".exe is not read; supported: .doc, .docx, .htm, .html, .jpeg, .jpg, "
                                     ".markdown, .md, .ofd, .pdf, .png, .text, .tif, .tiff, .txt, .wps"),
        ("empty.txt", "empty", "the file is empty"),
        ("big.txt", "too_large", "1.5 MB is over the limit of 1.0 MB"),
        ("minutes.txt", "duplicate_name", "another file of this upload has the same name"),
        ("README.md", "unsupported", "a Markdown file is read only when its first line is Chinese "
                                     "(minutes index leaves notes and READMEs alone)"),
        ("broken.docx", "failed", "not a valid .docx file (not a zip archive)"),
        ("copy.txt", "copy", f"the same bytes are already indexed as document "
                             f"{indexer.read_document(MINUTES_2021_9).id} (the archive folders)"),
    ]
    doc = indexer.parse_text(good.decode())
    assert staged_summary(batch) == [("minutes.txt", len(good), "", "minutes.txt", "〔2019〕901号", doc.title, "")]
    folder = index / "uploads" / ".staging" / batch.id
    assert sorted(p.name for p in (folder / "files").iterdir()) == ["minutes.txt"]
    assert indexer.load_upload(index, batch.id, "editor1") == batch
    assert not (index / "uploads" / "escape.txt").exists() and not (index / "escape.txt").exists()


def test_a_batch_is_its_owners_and_its_id_is_unguessable(index):
    batch = indexer.stage_upload(index, "editor1", [("a.txt", minutes_text(902, "海豚").encode())])
    assert len(batch.id) >= 32
    for owner, batch_id in [("editor2", batch.id), ("editor1", "../../live"), ("editor1", batch.id[:-1] + ("y" if batch.id.endswith("x") else "x"))]:
        with pytest.raises(indexer.BatchNotFound) as e:
            indexer.load_upload(index, batch_id, owner)
        assert str(e.value) == f"no upload batch {batch_id!r} (committed, discarded, expired, or not yours)"
    with pytest.raises(indexer.BatchNotFound):
        indexer.discard_upload(index, batch.id, "editor2")
    indexer.discard_upload(index, batch.id, "editor1")
    assert not (index / "uploads" / ".staging" / batch.id).exists()
    with pytest.raises(indexer.BatchNotFound):
        indexer.commit_upload(index, batch.id, "editor1")


def test_batches_left_for_a_day_are_cleaned(index):
    old = indexer.stage_upload(index, "editor1", [("a.txt", minutes_text(903, "江豚").encode())])
    new = indexer.stage_upload(index, "editor1", [("b.txt", minutes_text(904, "白鳍豚").encode())])
    a_day_ago = time.time() - 24 * 3600 - 60
    os.utime(index / "uploads" / ".staging" / old.id / "batch.json", (a_day_ago, a_day_ago))
    assert indexer.clean_uploads(index) == [old.id]
    assert sorted(p.name for p in (index / "uploads" / ".staging").iterdir()) == [new.id]


def test_staged_files_show_the_visibility_the_commit_gives_and_classified_ones_are_refused(index):
    (index / "visibility.toml").write_text('[[rule]]\nmatch = "财政*"\nvisibility = "财政组"\n', "utf-8")
    indexer.index_paths([], index)  # the rules are the index's from now on
    secret = "密级：机密\n" + minutes_text(917, "秘鲁")
    batch = indexer.stage_upload(index, "editor1", [
        ("财政专题纪要.txt", minutes_text(918, "财政").encode()), ("纪要919.txt", minutes_text(919, "智利").encode()),
        ("机密纪要.txt", secret.encode())])
    assert [(r.name, r.kind, r.reason) for r in batch.refused] == [
        ("机密纪要.txt", "classified", "classified (机密): classified material does not belong in this system "
                                       "(涉密文件“密级：机密”不得录入本系统)")]
    assert [(f.name, f.audit.visibility, f.audit.visibility_reason) for f in batch.files] == [
        ("财政专题纪要.txt", "财政组", "rule 财政* (visibility.toml)"),
        ("纪要919.txt", "public", "marking 此件公开发布")]
    result = indexer.commit_upload(index, batch.id, "editor1")
    assert [(d.name, d.visibility) for d in result.documents] == [("财政专题纪要.txt", "财政组"), ("纪要919.txt", "public")]

    # An editor outside 财政组 can neither replace that document nor learn which it is.
    staff = indexer.Access.staff(())
    hidden = "a document you may not read is indexed under this name, number or content; ask an administrator"
    other = indexer.stage_upload(index, "editor2", [
        ("财政专题纪要.txt", minutes_text(918, "财政", extra="改。").encode()),  # the same name
        ("纪要919.txt", minutes_text(919, "智利", extra="改。").encode())], access=staff)  # one they may read
    same_number = indexer.stage_upload(index, "editor2", [
        ("另一份.txt", minutes_text(918, "财政", extra="又改。").encode())], access=staff)
    assert [(r.name, r.kind, r.reason) for r in (*other.refused, *same_number.refused)] == [
        ("财政专题纪要.txt", "hidden", hidden), ("另一份.txt", "hidden", hidden)]
    assert [(f.name, f.replaces) for f in other.files] == [("纪要919.txt", result.documents[1].doc_id)]
    # Staged before the name held a hidden document, committed after: left out at commit.
    early = indexer.stage_upload(index, "editor2", [("财政新纪要.txt", minutes_text(921, "财政").encode())],
                                 access=staff)
    assert [f.name for f in early.files] == ["财政新纪要.txt"]
    admin = indexer.stage_upload(index, "admin1", [("财政新纪要.txt", minutes_text(922, "财政").encode())])
    indexer.commit_upload(index, admin.id, "admin1")
    late = indexer.commit_upload(index, early.id, "editor2", access=staff)
    assert (late.documents, [(r.name, r.kind) for r in late.failed]) == ((), [("财政新纪要.txt", "hidden")])


# --- commit ----------------------------------------------------------------------------------

def test_commit_indexes_a_word_document_searchable_at_once_and_kept_in_the_uploads_root(index):
    before = search_ids(index, "")
    text = minutes_text(905, "鹦鹉螺")
    batch = indexer.stage_upload(index, "editor1", [("常务会议纪要-905.docx", variants.word_document(text))])
    assert batch.refused == ()
    doc = indexer.parse_text(text)
    result = indexer.commit_upload(index, batch.id, "editor1")
    assert result.documents == (indexer.CommittedDocument(
        "常务会议纪要-905.docx", doc.id, doc.title, "〔2019〕905号", "public", "added", ""),)
    assert result.failed == ()
    assert result.total_documents == len(before) + 1
    assert search_ids(index, "鹦鹉螺") == [doc.id]
    with indexer.SearchIndex(index) as ix:
        assert ix.document(doc.id).doc_number == "〔2019〕905号"
    uploads = indexer.uploads_folder(index)
    assert sorted(p.name for p in uploads.iterdir()) == ["常务会议纪要-905.docx"]
    assert list((index / "uploads" / ".staging").iterdir()) == []
    # An ordinary source root: the audit sees it, and a rebuild reads it again.
    assert [f.doc_id for f in indexer.audit_paths([uploads]).files] == [doc.id]
    report = indexer.index_paths([], index, rebuild=True)
    assert report.failed == () and report.documents == len(before) + 1
    assert search_ids(index, "鹦鹉螺") == [doc.id]


def test_a_corrected_file_of_the_same_name_replaces_the_document_and_keeps_its_id(index):
    first = indexer.stage_upload(index, "editor1", [("纪要906.txt", minutes_text(906, "珊瑚").encode())])
    (added,) = indexer.commit_upload(index, first.id, "editor1").documents
    corrected = minutes_text(906, "珊瑚", extra="更正后的句子提到砗磲。").encode()
    second = indexer.stage_upload(index, "editor2", [("纪要906.txt", corrected)])
    assert [(f.name, f.replaces) for f in second.files] == [("纪要906.txt", added.doc_id)]
    result = indexer.commit_upload(index, second.id, "editor2")
    assert result.documents == (indexer.CommittedDocument(
        "纪要906.txt", added.doc_id, added.title, "〔2019〕906号", "public", "replaced", added.doc_id),)
    assert search_ids(index, "砗磲") == [added.doc_id]
    assert search_ids(index, "珊瑚") == [added.doc_id]  # once, not twice
    with indexer.SearchIndex(index) as ix:
        assert "更正后的句子提到砗磲" in ix.document(added.doc_id).items[-1].text
    assert (indexer.uploads_folder(index) / "纪要906.txt").read_bytes() == corrected
    # The same file again: nothing to do, said so.
    third = indexer.stage_upload(index, "editor2", [("纪要906.txt", corrected)])
    assert [(r.kind, r.reason) for r in third.refused] == [
        ("unchanged", "the same file is already indexed under this name")]
    # The same document under another name: refused, with how to replace it.
    fourth = indexer.stage_upload(index, "editor2", [("另一个名字.txt", minutes_text(906, "海葵").encode())])
    assert [(r.kind, r.reason) for r in fourth.refused] == [
        ("duplicate", f"document {added.doc_id} (〔2019〕906号) is already indexed from uploaded file "
                      f"纪要906.txt; upload it as 纪要906.txt to replace it")]


@pytest.mark.slow
def test_commit_waits_for_the_writer_and_reports_it_busy_leaving_the_batch_as_it_was(index):
    batch = indexer.stage_upload(index, "editor1", [("纪要907.txt", minutes_text(907, "水母").encode())])
    with lifecycle.writer_lock(index):  # a minutes index run holding the writer
        with pytest.raises(indexer.IndexLocked) as e:
            indexer.commit_upload(index, batch.id, "editor1", timeout=0.5)
    assert "另一个索引进程正在写入，请稍后重试" in str(e.value)
    assert indexer.load_upload(index, batch.id, "editor1") == batch
    assert not indexer.uploads_folder(index).exists() or list(indexer.uploads_folder(index).iterdir()) == []
    assert search_ids(index, "水母") == []

    holder = threading.Event()

    def hold():
        with lifecycle.writer_lock(index):
            holder.set()
            time.sleep(1.0)

    thread = threading.Thread(target=hold)
    thread.start()
    holder.wait()
    result = indexer.commit_upload(index, batch.id, "editor1", timeout=10)  # waits about a second
    thread.join()
    assert [d.status for d in result.documents] == ["added"]
    assert search_ids(index, "水母") == [result.documents[0].doc_id]


def test_an_error_of_the_index_during_commit_puts_every_file_back(index):
    first = indexer.stage_upload(index, "editor1", [("纪要910.txt", minutes_text(910, "海龟").encode())])
    (doc,) = indexer.commit_upload(index, first.id, "editor1").documents
    original = (indexer.uploads_folder(index) / "纪要910.txt").read_bytes()
    corrected = minutes_text(910, "海龟", extra="更正。").encode()
    second = indexer.stage_upload(index, "editor1", [("纪要910.txt", corrected), ("纪要916.txt",
                                                                                  minutes_text(916, "海獭").encode())])
    meta = index / "live" / "minutes-meta.json"
    good_meta = meta.read_text()
    meta.write_text(good_meta.replace('"schema_version": ', '"schema_version": 1'))  # built by another version
    with pytest.raises(indexer.IndexOutdated):
        indexer.commit_upload(index, second.id, "editor1")
    assert sorted(p.name for p in indexer.uploads_folder(index).iterdir()) == ["纪要910.txt"]
    assert (indexer.uploads_folder(index) / "纪要910.txt").read_bytes() == original
    assert indexer.load_upload(index, second.id, "editor1") == second
    meta.write_text(good_meta)
    result = indexer.commit_upload(index, second.id, "editor1")
    assert [(d.name, d.status, d.doc_id == doc.doc_id) for d in result.documents] == [
        ("纪要910.txt", "replaced", True), ("纪要916.txt", "added", False)]


def test_commit_into_an_index_without_uploads_yet_then_one_with_them(index):
    """The first commit makes the uploads folder a source root; later ones add files under it."""
    a = indexer.stage_upload(index, "editor1", [("a.txt", minutes_text(908, "海马").encode())])
    b = indexer.stage_upload(index, "editor2", [("b.txt", minutes_text(909, "海星").encode())])
    (doc_a,) = indexer.commit_upload(index, a.id, "editor1").documents
    (doc_b,) = indexer.commit_upload(index, b.id, "editor2").documents
    assert (doc_a.status, doc_b.status) == ("added", "added")
    assert search_ids(index, "海马") == [doc_a.doc_id] and search_ids(index, "海星") == [doc_b.doc_id]
    report = indexer.index_paths([], index)  # what a plain minutes index run does next: nothing
    assert (report.indexed, report.failed) == ((), ())


# --- the pages and their JSON twins ------------------------------------------------------------

PASSWORD = "correct horse battery"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def add_users(index_dir: Path, **roles: str) -> None:
    users = indexer.UsersFile(indexer.users_file_path(index_dir))
    for name, role in roles.items():
        users.add(name, role, (), PASSWORD)


@pytest.fixture(scope="module")
def users_file(tmp_path_factory) -> Path:
    """An editor, a second editor and a reader, their passwords hashed once (scrypt: a sixth of
    a second each); each test's index gets a copy of the file."""
    folder = tmp_path_factory.mktemp("users")
    add_users(folder, editor1="editor", editor2="editor", reader1="reader")
    return indexer.users_file_path(folder)


@pytest.fixture
def web(index, users_file):
    """An app on this test's own index, with an editor, a second editor and a reader."""
    shutil.copy2(users_file, indexer.users_file_path(index))
    app = create_app({"INDEX": str(index), "TESTING": True})
    yield app
    app.extensions["minutes"].close()


def sign_in(client, name: str) -> str:
    """Sign in through the form; the CSRF token of the new session."""
    token = TOKEN.search(client.get("/login").get_data(as_text=True)).group(1)
    response = client.post("/login", data={"name": name, "password": PASSWORD, "csrf_token": token, "next": "/"})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client.get("/api/upload").get_json()["csrf_token"]


def upload_files(client, token: str, files: list[tuple[str, bytes]], url: str = "/api/upload"):
    return client.post(url, data={"files": [(io.BytesIO(data), name) for name, data in files]},
                       headers={"X-CSRFToken": token}, content_type="multipart/form-data")


def test_an_editor_uploads_sees_the_audit_commits_and_finds_the_document(web, index):
    client = web.test_client()
    sign_in(client, "editor1")
    form = client.get("/upload")
    assert form.status_code == 200
    page = form.get_data(as_text=True)
    assert '<input id="upload-files" name="files" type="file" multiple required' in page
    token = TOKEN.search(page).group(1)
    text = minutes_text(911, "琥珀")
    doc = indexer.parse_text(text)
    staged = client.post("/upload", data={"csrf_token": token, "files": [
        (io.BytesIO(variants.word_document(text)), "纪要911.docx"), (io.BytesIO(b"MZ"), "setup.exe")]},
        content_type="multipart/form-data")
    assert staged.status_code == 303
    batch = staged.headers["Location"].rsplit("/", 1)[1]
    audit_page = client.get(f"/upload/{batch}").get_data(as_text=True)
    assert f'<tr class="upload-row" data-name="纪要911.docx" data-doc-id="{doc.id}">' in audit_page
    assert f'<td class="upload-title">{doc.title}</td>' in audit_page
    assert '<td class="visibility" data-visibility="public">公开<br><span class="meta">按文件标注 此件公开发布</span></td>' \
        in audit_page
    assert '<li data-kind="unsupported"><strong>setup.exe</strong>：不支持的文件类型' in audit_page
    assert "确认入库" in audit_page and "取消" in audit_page
    done = client.post(f"/upload/{batch}/commit", data={"csrf_token": token})
    assert done.status_code == 200
    done_page = done.get_data(as_text=True)
    assert "以下 <strong id=\"upload-committed\">1</strong> 份文件已入库，已可检索。" in done_page
    assert f'<li data-doc-id="{doc.id}" data-status="added"><span class="tag">新增</span> <a href="/doc/{doc.id}">' \
           in done_page
    hits = client.get("/api/search?q=琥珀").get_json()["hits"]
    assert {h["doc_id"] for h in hits} == {doc.id}
    assert client.get(f"/doc/{doc.id}").status_code == 200
    entries = [e.as_dict() for e in indexer.AuditLog(indexer.audit_log_path(index)).entries(event="upload")]
    assert [(e["user"], e["what"]) for e in entries] == [
        ("editor1", {"batch": batch, "files": ["纪要911.docx"], "documents": [doc.id], "failed": []})]


def test_every_kind_of_refusal_has_a_label_on_the_page():
    assert list(webapp_uploads.REFUSAL_LABELS) == list(indexer.UPLOAD_REFUSALS)


def test_the_json_twins_stage_show_commit_and_discard(web, index):
    client = web.test_client()
    token = sign_in(client, "editor1")
    limits = client.get("/api/upload").get_json()
    assert {k: v for k, v in limits.items() if k != "csrf_token"} == {
        "ok": True, "max_file_bytes": 20 * 1024 * 1024, "max_files": 50, "max_request_bytes": 110 * 1024 * 1024,
        "supported": [".doc", ".docx", ".htm", ".html", ".jpeg", ".jpg", ".markdown", ".md", ".ofd", ".pdf",
                      ".png", ".text", ".tif", ".tiff", ".txt", ".wps"]}
    text = minutes_text(912, "玛瑙")
    doc = indexer.parse_text(text)
    response = upload_files(client, token, [("纪要912.txt", text.encode()), ("空.txt", b"")])
    assert response.status_code == 201
    data = response.get_json()
    batch = data["batch"]
    audit = indexer.file_audit_dict(indexer.audit_paths([_write(index.parent / "纪要912.txt", text)]).files[0])
    assert data == {
        "ok": True, "batch": batch, "created": data["created"],
        "files": [{"name": "纪要912.txt", "size": len(text.encode()), "replaces": "", "replaces_url": "",
                   "audit": dict(audit, path="纪要912.txt")}],
        "refused": [{"name": "空.txt", "kind": "empty", "reason": "the file is empty"}],
        "commit_url": f"/api/upload/{batch}/commit", "discard_url": f"/api/upload/{batch}/discard",
    }
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", data["created"])
    assert client.get(f"/api/upload/{batch}").get_json() == data
    result = client.post(f"/api/upload/{batch}/commit", headers={"X-CSRFToken": token}).get_json()
    assert result == {
        "ok": True, "batch": batch,
        "documents": [{"name": "纪要912.txt", "doc_id": doc.id, "title": doc.title, "doc_number": "〔2019〕912号",
                       "visibility": "public", "status": "added", "previous_id": "", "url": f"/doc/{doc.id}"}],
        "failed": [], "generation": result["generation"], "total_documents": result["total_documents"],
        "searchable": True,
    }
    again = client.post(f"/api/upload/{batch}/commit", headers={"X-CSRFToken": token})
    assert (again.status_code, again.get_json()) == (404, {
        "ok": False, "error": "没有这批上传（已入库、已取消、已过期或不属于您）", "status": 404})
    other = upload_files(client, token, [("纪要913.txt", minutes_text(913, "翡翠").encode())]).get_json()["batch"]
    gone = client.post(f"/api/upload/{other}/discard", headers={"X-CSRFToken": token})
    assert gone.get_json() == {"ok": True, "batch": other, "discarded": True}
    assert client.get(f"/api/upload/{other}").status_code == 404
    nothing = client.post("/api/upload", headers={"X-CSRFToken": token}, data={}, content_type="multipart/form-data")
    assert (nothing.status_code, nothing.get_json()) == (400, {
        "ok": False, "error": "files: choose one or more files to upload", "status": 400})
    no_token = upload_files(client, "", [("x.txt", b"x")])
    assert (no_token.status_code, no_token.get_json()["error"]) == (400, "表单已失效或缺少安全校验码，请刷新页面后重试。")


def _write(path: Path, text: str) -> Path:
    path.write_text(text, "utf-8")
    return path


def test_only_editors_reach_upload_and_a_batch_is_its_owners(web):
    anonymous = web.test_client()
    assert anonymous.get("/upload").headers["Location"] == "/login?next=/upload"
    assert anonymous.get("/api/upload").status_code == 401
    reader = web.test_client()
    sign_in_reader = TOKEN.search(reader.get("/login").get_data(as_text=True)).group(1)
    reader.post("/login", data={"name": "reader1", "password": PASSWORD, "csrf_token": sign_in_reader})
    forbidden = reader.get("/upload")
    assert forbidden.status_code == 403 and "您的账户无权访问此页面。" in forbidden.get_data(as_text=True)
    link = '<a href="/upload">上传纪要</a>'  # the header's link: editors and admins only
    assert link not in anonymous.get("/help").get_data(as_text=True)
    assert link not in reader.get("/help").get_data(as_text=True)
    assert reader.get("/api/upload").get_json() == {"ok": False, "error": "您的账户无权访问此页面。", "status": 403}
    first, second = web.test_client(), web.test_client()
    token = sign_in(first, "editor1")
    assert link in first.get("/help").get_data(as_text=True)
    batch = upload_files(first, token, [("a.txt", minutes_text(914, "玉髓").encode())]).get_json()["batch"]
    token2 = sign_in(second, "editor2")
    for response in (second.get(f"/upload/{batch}"), second.post(f"/api/upload/{batch}/commit",
                                                                  headers={"X-CSRFToken": token2})):
        assert response.status_code == 404
    assert first.get(f"/api/upload/{batch}").status_code == 200


def test_a_request_over_the_limit_is_413_with_a_clear_page(index):
    add_users(index, editor1="editor")
    app = create_app({"INDEX": str(index), "TESTING": True, "MAX_CONTENT_LENGTH": 64 * 1024})
    client = app.test_client()
    token = sign_in(client, "editor1")
    response = client.post("/upload", data={"csrf_token": token, "files": [(io.BytesIO(b"x" * 100_000), "a.txt")]},
                           content_type="multipart/form-data")
    assert response.status_code == 413
    assert "上传内容超过 0.0625 MB 的上限；请分批上传（每个文件不超过 20 MB）" in response.get_data(as_text=True)
    app.extensions["minutes"].close()


@pytest.mark.slow
def test_a_commit_while_the_index_is_busy_says_so_and_keeps_the_batch(index):
    add_users(index, editor1="editor")
    app = create_app({"INDEX": str(index), "TESTING": True, "UPLOAD_COMMIT_TIMEOUT": 0.3})
    client = app.test_client()
    token = sign_in(client, "editor1")
    batch = upload_files(client, token, [("a.txt", minutes_text(915, "碧玺").encode())]).get_json()["batch"]
    with lifecycle.writer_lock(index):
        busy = client.post(f"/api/upload/{batch}/commit", headers={"X-CSRFToken": token})
        page = client.post(f"/upload/{batch}/commit", data={"csrf_token": token})
    assert (busy.status_code, busy.headers["Retry-After"], busy.get_json()) == (
        503, "5", {"ok": False, "error": "索引正忙，请稍后重试", "status": 503})
    assert page.status_code == 503 and "索引正忙，请稍后重试" in page.get_data(as_text=True)
    done = client.post(f"/api/upload/{batch}/commit", headers={"X-CSRFToken": token}).get_json()
    assert [d["status"] for d in done["documents"]] == ["added"]
    app.extensions["minutes"].close()


def test_a_broken_visibility_file_stops_uploads_with_a_clear_message(web, index):
    client = web.test_client()
    token = sign_in(client, "editor1")
    (index / "visibility.toml").write_text("default = \"secret agents\"\n", "utf-8")
    with pytest.raises(indexer.VisibilityRulesError) as e:
        indexer.audit_paths([MINUTES_2021_9], index_dir=index)
    response = upload_files(client, token, [("a.txt", minutes_text(920, "月亮").encode())])
    assert (response.status_code, response.get_json()) == (503, {
        "ok": False, "error": f"可见范围规则文件有误，暂不能入库，请联系管理员：{e.value.reason}", "status": 503})

# --- under load --------------------------------------------------------------------------------

LOAD_EDITORS = ("editor1", "editor2")
LOAD_UPLOADS = 10  # per editor
SEARCH_CLIENTS = 4
SEARCH_WORDS = ["电梯", "原则同意", "保障性租赁住房", "营商环境", "城市更新", "经济运行", "老旧小区", "防汛", "预算"]
HANG_GUARD_S = 240


def marker(k: int) -> str:
    return f"上传标记{k:02d}"


def web_sign_in(session: requests.Session, base: str, name: str) -> str:
    page = session.get(base + "/login", timeout=30).text
    response = session.post(base + "/login", data={"name": name, "password": PASSWORD, "next": "/",
                                                   "csrf_token": TOKEN.search(page).group(1)},
                            allow_redirects=False, timeout=30)
    assert response.status_code == 302, response.text
    return session.get(base + "/api/upload", timeout=30).json()["csrf_token"]


@pytest.mark.slow
@pytest.mark.serving
def test_twenty_uploads_by_two_editors_under_search_load_none_lost_none_twice_no_5xx(index, tmp_path):
    add_users(index, editor1="editor", editor2="editor")
    with indexer.SearchIndex(index) as ix:
        documents_before = ix.stats().documents
    proc, base = start_gunicorn(index, tmp_path / "gunicorn.log")
    statuses: list[tuple[str, int]] = []  # (kind, status) of every request
    lock = threading.Lock()
    stop = threading.Event()
    committed: dict[int, str] = {}  # marker number → doc id
    commit_seconds: list[float] = []
    search_seconds: list[float] = []
    errors: list[str] = []

    def note(kind: str, response) -> None:
        with lock:
            statuses.append((kind, response.status_code))

    def searcher(client: int) -> None:
        session = requests.Session()
        n = 0
        while not stop.is_set():
            word = SEARCH_WORDS[(client + n) % len(SEARCH_WORDS)]
            params = {"q": word, "page": 1 + (n // len(SEARCH_WORDS)) % 3, "size": 5 + client}
            started = time.perf_counter()
            response = session.get(base + "/api/search", params=params, timeout=60)
            with lock:
                search_seconds.append(time.perf_counter() - started)
            note("search", response)
            n += 1

    def editor(e: int, name: str) -> None:
        try:
            session = requests.Session()
            token = web_sign_in(session, base, name)
            for i in range(LOAD_UPLOADS):
                k = e * LOAD_UPLOADS + i
                text = minutes_text(940 + k, marker(k))
                staged = session.post(base + "/api/upload", headers={"X-CSRFToken": token}, timeout=60,
                                      files=[("files", (f"{name}-{k:02d}.txt", text.encode(), "text/plain"))])
                note("stage", staged)
                assert staged.status_code == 201, staged.text
                started = time.perf_counter()
                done = session.post(base + f"/api/upload/{staged.json()['batch']}/commit",
                                    headers={"X-CSRFToken": token}, timeout=60)
                note("commit", done)
                assert done.status_code == 200, done.text
                with lock:
                    commit_seconds.append(time.perf_counter() - started)
                    committed[k] = done.json()["documents"][0]["doc_id"]
        except Exception as e:  # noqa: BLE001 - reported by the main thread
            errors.append(f"{name}: {e!r}")

    try:
        searchers = [threading.Thread(target=searcher, args=(c,)) for c in range(SEARCH_CLIENTS)]
        editors = [threading.Thread(target=editor, args=(e, name)) for e, name in enumerate(LOAD_EDITORS)]
        started = time.perf_counter()
        for t in (*searchers, *editors):
            t.start()
        for t in editors:
            t.join(HANG_GUARD_S)
        stop.set()
        for t in searchers:
            t.join(HANG_GUARD_S)
        elapsed = time.perf_counter() - started
        # Every document, through the server, exactly once.
        session = requests.Session()
        web_sign_in(session, base, "editor1")
        found = {k: session.get(base + "/api/search", params={"q": f'"{marker(k)}"'}, timeout=60).json()
                 for k in range(len(LOAD_EDITORS) * LOAD_UPLOADS)}
    finally:
        stop.set()
        proc.terminate()
        proc.wait(timeout=30)
    kinds = {kind: sum(1 for k, _ in statuses if k == kind) for kind in ("search", "stage", "commit")}
    server_errors = [(kind, status) for kind, status in statuses if status >= 500]
    search_seconds.sort()
    print(f"\nupload under load: {kinds['commit']} commits by {len(LOAD_EDITORS)} editors and {kinds['search']} "
          f"searches by {SEARCH_CLIENTS} clients in {elapsed:.1f} s; commit median "
          f"{statistics.median(commit_seconds):.2f} s, max {max(commit_seconds):.2f} s; search median "
          f"{statistics.median(search_seconds) * 1000:.0f} ms, p95 "
          f"{search_seconds[int(len(search_seconds) * 0.95)] * 1000:.0f} ms; 5xx: {len(server_errors)}; "
          f"lost: {len(LOAD_EDITORS) * LOAD_UPLOADS - len(committed)}")
    assert errors == []
    assert server_errors == []
    assert sorted(committed) == list(range(len(LOAD_EDITORS) * LOAD_UPLOADS))  # 0 lost
    assert len(set(committed.values())) == len(committed)
    assert {k: ({h["doc_id"] for h in r["hits"]}, r["total"]) for k, r in found.items()} == {
        k: ({doc_id}, 1) for k, doc_id in committed.items()}  # each once
    with indexer.SearchIndex(index) as ix:
        assert ix.stats().documents == documents_before + len(committed)  # none twice
