"""An editor's commit says nothing about documents they may not read (issue 26): the total
counts only what they may read, and a duplicate found at commit behind a hidden document
gets the hidden reason, with no path and no title. Real index, real uploads."""
from __future__ import annotations

import io

import indexer

from .test_uploads import index, minutes_text, sign_in, users_file, web  # noqa: F401 - fixtures used by name

HIDDEN = "a document you may not read is indexed under this name, number or content; ask an administrator"
RULES = '[[rule]]\nmatch = "财政*"\nvisibility = "财政组"\n'


def visible_documents(index_dir, access) -> int:
    with indexer.SearchIndex(index_dir, time_limit=None) as ix:
        return ix.stats(access).documents


def test_the_total_after_a_commit_counts_only_what_the_editor_may_read(index):
    (index / "visibility.toml").write_text(RULES, "utf-8")
    indexer.index_paths([], index)
    admin = indexer.stage_upload(index, "admin1", [("财政专题纪要.txt", minutes_text(940, "财政").encode())])
    indexer.commit_upload(index, admin.id, "admin1")
    staff = indexer.Access.staff(())
    batch = indexer.stage_upload(index, "editor2", [("纪要941.txt", minutes_text(941, "智利").encode())], access=staff)
    result = indexer.commit_upload(index, batch.id, "editor2", access=staff)
    everything = visible_documents(index, None)
    assert result.total_documents == visible_documents(index, staff) == everything - 1
    unlimited = indexer.stage_upload(index, "admin1", [("纪要942.txt", minutes_text(942, "秘鲁").encode())])
    assert indexer.commit_upload(index, unlimited.id, "admin1").total_documents == everything + 1


def test_a_duplicate_number_found_at_commit_behind_a_hidden_document_names_neither_file_nor_path(index):
    (index / "visibility.toml").write_text(RULES, "utf-8")
    indexer.index_paths([], index)
    staff = indexer.Access.staff(())
    # Staged while the number was free; by the commit a document hidden from the editor holds it.
    early = indexer.stage_upload(index, "editor2", [("另一份.txt", minutes_text(950, "智利").encode())], access=staff)
    assert [f.name for f in early.files] == ["另一份.txt"]
    admin = indexer.stage_upload(index, "admin1", [("财政秘密题目.txt", minutes_text(950, "财政").encode())])
    assert [d.visibility for d in indexer.commit_upload(index, admin.id, "admin1").documents] == ["财政组"]
    late = indexer.commit_upload(index, early.id, "editor2", access=staff)
    assert (late.documents, [(r.name, r.kind, r.reason) for r in late.failed]) == \
        ((), [("另一份.txt", "hidden", HIDDEN)])


def test_a_duplicate_number_found_at_commit_that_the_editor_may_read_gives_no_server_path(index):
    staff = indexer.Access.staff(())
    early = indexer.stage_upload(index, "editor2", [("纪要甲.txt", minutes_text(960, "智利").encode())], access=staff)
    other = indexer.stage_upload(index, "editor1", [("纪要乙.txt", minutes_text(960, "秘鲁").encode())], access=staff)
    indexer.commit_upload(index, other.id, "editor1", access=staff)
    late = indexer.commit_upload(index, early.id, "editor2", access=staff)
    assert [(r.name, r.kind) for r in late.failed] == [("纪要甲.txt", "duplicate")]
    assert str(index) not in late.failed[0].reason and "uploaded file 纪要乙.txt" in late.failed[0].reason


def test_the_commit_json_counts_within_the_editors_scope(web, index):
    (index / "visibility.toml").write_text(RULES, "utf-8")
    indexer.index_paths([], index)
    admin = indexer.stage_upload(index, "admin1", [("财政专题纪要.txt", minutes_text(970, "财政").encode())])
    indexer.commit_upload(index, admin.id, "admin1")
    client = web.test_client()
    token = sign_in(client, "editor1")
    staged = client.post("/api/upload", data={"files": [(io.BytesIO(minutes_text(971, "智利").encode()), "纪要971.txt")]},
                         headers={"X-CSRFToken": token}, content_type="multipart/form-data").get_json()
    result = client.post(staged["commit_url"], headers={"X-CSRFToken": token}).get_json()
    assert result["ok"] and result["total_documents"] == visible_documents(index, indexer.Access.staff(())) \
        == visible_documents(index, None) - 1
