"""Nothing leaks: what a caller may not read is invisible everywhere (issue 15).

An index holds five minutes written here in the samples' shape: two public, one
internal, one for the group 财政组 and one for the group 体育组, each hidden one with
words, a reviewed title and a leading department no other document has. For
anonymous visitors, a reader, a reader of 财政组, an editor and an admin, every route
of the app (enumerated from the app itself: a new route without a request here
fails the test) is asked with queries that would find the hidden documents; no
page or JSON answer may name a hidden document's words, title or id, and the counts
must equal what the caller may read.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote

import pytest

import indexer
from webapp import create_app

PUBLIC_A, PUBLIC_B, INTERNAL, FINANCE, SPORTS = "public-a", "public-b", "internal", "finance", "sports"
FOLDERS = {PUBLIC_A: "public", PUBLIC_B: "public", INTERNAL: "internal", FINANCE: "finance", SPORTS: "sports"}
LABELS = {"public": "public", "internal": "internal", "finance": "财政组", "sports": "体育组"}

# What only each document says: a word (in two items, so that the suggestions' vocabulary
# keeps it), the title its first item reviews, and the department that leads its work.
SECRETS = {
    PUBLIC_A: ("电梯维保", "示例市电梯维保管理办法", "市市场监管局"),
    PUBLIC_B: ("公交线网", "示例市公交线网优化方案", "市交通运输局"),
    INTERNAL: ("猕猴桃", "示例市猕猴桃产业发展规划", "市农业农村局"),
    FINANCE: ("芭蕾舞", "示例市芭蕾舞剧院建设方案", "市文广旅局"),
    SPORTS: ("冰壶馆", "示例市冰壶馆运营方案", "市体育局"),
}
# A hidden title made only of words one public document uses (issue 26): a suggestion or a
# correction accepted because its words occur somewhere in visible text would name it.
MIXED = {INTERNAL: "公交线网工作进展报告"}
NUMBERS = {PUBLIC_A: 1, PUBLIC_B: 2, INTERNAL: 3, FINANCE: 4, SPORTS: 5}
SESSIONS = {key: 200 + n for key, n in NUMBERS.items()}


def minutes_text(key: str, cites: tuple[str, ...] = ()) -> str:
    word, title, dept = SECRETS[key]
    n, session = NUMBERS[key], SESSIONS[key]
    mixed = f"和《{MIXED[key]}》" if key in MIXED else ""
    cited = "".join(f"会议要求认真落实市政府常务会议纪要〔2023〕{NUMBERS[c]}号的部署。" for c in cites)
    return f"""示例市人民政府常务会议纪要

〔2023〕{n}号

示例市人民政府办公室                    2023年3月{n + 10}日

　　2023年3月{n + 5}日，王明市长主持召开市政府第{session}次常务会议。会议审议了《{title}》，研究了{word}工作。纪要如下：

　　一、审议《{title}》

　　会议原则同意《{title}》{mixed}。由{dept}牵头，会同市财政局，根据会议意见修改完善后印发实施。{word}工作要统筹推进。{cited}

　　二、研究{word}工作

　　会议指出，{word}工作事关群众切身利益。由{dept}牵头，每季度报告{word}工作进展。

　　出席：王明　李华

　　记录：张三
"""


@pytest.fixture(scope="module")
def leak_index(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("leaks")
    corpus, index_dir = root / "corpus", root / "index"
    # The public documents cite the hidden ones by number, and the hidden ones cite the public:
    # neither direction may show a hidden document to a caller who may not read it.
    cites = {PUBLIC_A: (INTERNAL, FINANCE), PUBLIC_B: (), INTERNAL: (PUBLIC_A,), FINANCE: (PUBLIC_A,), SPORTS: (PUBLIC_B,)}
    for key, folder in FOLDERS.items():
        path = corpus / folder / f"{key}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(minutes_text(key, cites[key]), "utf-8")
    index_dir.mkdir()
    rules = "\n".join(f'[[rule]]\nmatch = "{folder}/**"\nvisibility = "{label}"\n' for folder, label in LABELS.items())
    (index_dir / "visibility.toml").write_text('default = "internal"\n\n' + rules, "utf-8")
    report = indexer.index_paths([corpus], index_dir)
    assert not report.failed
    return index_dir


@pytest.fixture(scope="module")
def doc_ids(leak_index) -> dict[str, str]:
    with indexer.SearchIndex(leak_index) as ix:
        found = {}
        for key in SECRETS:
            ids = ix.lookup(f"〔2023〕{NUMBERS[key]}号")
            assert len(ids) == 1, (key, ids)
            found[key] = ids[0]
        return found


CALLERS = {
    "anonymous": (indexer.Access.anonymous(), {PUBLIC_A, PUBLIC_B}),
    "reader": (indexer.Access.staff(), {PUBLIC_A, PUBLIC_B, INTERNAL}),
    "finance reader": (indexer.Access.staff(("财政组",)), {PUBLIC_A, PUBLIC_B, INTERNAL, FINANCE}),
    "admin": (indexer.Access.everything(), set(SECRETS)),
}


def leaked(text: str, hidden: set[str], doc_ids: dict[str, str]) -> list[str]:
    """What of the hidden documents ``text`` names."""
    found = []
    for key in hidden:
        word, title, dept = SECRETS[key]
        for marker in (word, title, doc_ids[key], f"第{SESSIONS[key]}次", *filter(None, [MIXED.get(key)])):
            if marker in text:
                found.append(f"{key}: {marker}")
    return found


@pytest.mark.parametrize("caller", CALLERS)
def test_the_engine_shows_each_caller_only_what_it_may_read(leak_index, doc_ids, caller):
    access, visible = CALLERS[caller]
    hidden = set(SECRETS) - visible
    with indexer.SearchIndex(leak_index) as ix:
        answers = []
        everything = ix.search(indexer.SearchRequest(q="", size=100), access=access)
        assert {h.doc_id for h in everything.hits} == {doc_ids[k] for k in visible}
        assert everything.total == 3 * len(visible)  # a preamble and two items each
        assert ix.stats(access).documents == len(visible)
        assert ix.stats(access).records == 3 * len(visible)
        for key, (word, title, dept) in SECRETS.items():
            result = ix.search(indexer.SearchRequest(q=word), access=access)
            assert bool(result.total) == (key in visible), (key, result.total)
            answers.append(repr((result.total, result.hits, result.facets, result.did_you_mean)))  # not the query
            quoted = ix.search(indexer.SearchRequest(q=f'"{word}"', dept=(dept,)), access=access)
            answers.append(repr((quoted.total, quoted.hits, quoted.facets, quoted.did_you_mean)))
            answers.append(repr(ix.suggest(word[:2], 20, access=access)))
            answers.append(repr(ix.lookup(f"〔2023〕{NUMBERS[key]}号", access=access)))
            answers.append(repr(ix.similar(f"会议原则同意《{title}》。{word}工作要统筹推进。", access=access)))
            refs = ix.crossrefs(access=access)
            answers.append(repr(refs.policy(title)))
            answers.append(repr(refs.tasks(dept)))
            card = ix.answer(f"{title}谁牵头", access=access)  # the answer card: only from what it may read
            assert (card is not None and card.leads == (dept,)) == (key in visible), (key, card)
            answers += [repr(card), repr(ix.answer(title, access=access)), repr(ix.answer(f"{title}是否同意", access=access))]
            answers.append(repr(indexer.references_dict(refs, doc_ids[key]) if doc_ids[key] in refs.documents else ""))
            if key in visible:
                assert ix.document(doc_ids[key], access=access).title
            else:
                with pytest.raises(indexer.DocumentNotFound):
                    ix.document(doc_ids[key], access=access)
            typo = word[:-1] + ("挑" if word[-1] != "挑" else "桃")
            answers.append(ix.search(indexer.SearchRequest(q=typo), access=access).did_you_mean)
        for title in MIXED.values():  # made of visible words: only its own records may offer it
            answers.append(repr(ix.suggest(title[:5], 20, access=access)))
            answers.append(repr(ix.suggest(title[3:7], 20, access=access)))
            answers.append(ix.search(indexer.SearchRequest(q=title[:-1] + "发"), access=access).did_you_mean)
        answers.append(repr(indexer.audit_index(ix, access=access)))
        answers.append(repr(ix.search(indexer.SearchRequest(q="工作"), access=access).facets))
    assert [(n, found) for n, a in enumerate(answers) if (found := leaked(a, hidden, doc_ids))] == []


def test_the_leak_check_sees_a_leak(leak_index, doc_ids):
    """The check above can fail: everything, asked as anonymous's view, names the hidden documents."""
    with indexer.SearchIndex(leak_index) as ix:
        text = repr(ix.search(indexer.SearchRequest(q="", size=100)))
    assert leaked(text, {INTERNAL, FINANCE, SPORTS}, doc_ids)


def test_a_citation_of_a_hidden_document_has_no_target(leak_index, doc_ids):
    with indexer.SearchIndex(leak_index) as ix:
        public = indexer.references_dict(ix.crossrefs(access=indexer.Access.anonymous()), doc_ids[PUBLIC_A])
        full = indexer.references_dict(ix.crossrefs(), doc_ids[PUBLIC_A])
    numbers = lambda refs: [(c["text"], c["target"] and c["target"]["doc_id"])  # noqa: E731
                            for c in refs["cites"] if c["kind"] == "number"]
    assert numbers(public) == [("〔2023〕3号", None), ("〔2023〕4号", None)]
    assert numbers(full) == [("〔2023〕3号", doc_ids[INTERNAL]), ("〔2023〕4号", doc_ids[FINANCE])]
    assert [r["source"]["doc_id"] for r in public["cited_by"]] == []
    assert sorted(r["source"]["doc_id"] for r in full["cited_by"]) == sorted([doc_ids[INTERNAL], doc_ids[FINANCE]])


# ---------------------------------------------------------------------------------------------
# The web app: every route, for every role.

PASSWORD = "leak test 123"
USERS = {  # name → (role, groups)
    "reader": ("reader", ()),
    "finance reader": ("reader", ("财政组",)),
    "editor": ("editor", ()),
    "admin": ("admin", ()),
}
WEB_CALLERS = {  # who → (user name or None, the documents they may read)
    "anonymous": (None, {PUBLIC_A, PUBLIC_B}),
    "reader": ("reader1", {PUBLIC_A, PUBLIC_B, INTERNAL}),
    "finance reader": ("fin1", {PUBLIC_A, PUBLIC_B, INTERNAL, FINANCE}),
    "editor": ("editor1", {PUBLIC_A, PUBLIC_B, INTERNAL}),
    "admin": ("admin1", set(SECRETS)),
}
MISSING_ID = "0123456789ab"


@pytest.fixture(scope="module")
def leak_app(leak_index, tmp_path_factory):
    state = tmp_path_factory.mktemp("leak-app")
    users = indexer.UsersFile(state / "users.json")
    for (who, (name, _)), (role, groups) in zip(list(WEB_CALLERS.items())[1:], USERS.values()):
        users.add(name, role, groups, PASSWORD)
    app = create_app({"INDEX": str(leak_index), "TESTING": True, "USERS_FILE": str(state / "users.json"),
                      "AUDIT_LOG": str(state / "audit.log"), "SIGNIN_STATE": str(state / "signin.sqlite"),
                      "SECRET_KEY": "leak test"})
    yield app
    app.extensions["minutes"].close()


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _signed_in(app, name: str | None):
    client = app.test_client()
    if name:
        token = _csrf(client.get("/login").get_data(as_text=True))
        response = client.post("/login", data={"name": name, "password": PASSWORD, "csrf_token": token})
        assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


def _requests(rule: str, doc_ids: dict[str, str]) -> list[tuple[str, str, dict | None]] | None:
    """(method, URL, form) to ask of a route, with what would find the hidden documents;
    None for a route this test does not know (the test then fails: add it here)."""
    words = [w for w, _, _ in SECRETS.values()]
    titles = [t for _, t, _ in SECRETS.values()]
    depts = [d for _, _, d in SECRETS.values()]
    typos = [w[:-1] + "挑" for w in words] + [t[:-1] + "发" for t in MIXED.values()]
    searches = [f"q={w}" for w in words + typos] + ["q=", "q=工作&size=100", "q=工作&sort=newest&size=100"]
    searches += [f"dept={d}" for d in depts] + [f"q=〔2023〕{n}号&list=1" for n in NUMBERS.values()]
    searches += [f"q=第{s}次常务会议&list=1" for s in SESSIONS.values()]
    searches += [f"q={t}" for t in titles] + [f"q={t}谁牵头" for t in titles]  # the answer card above the hits
    draft = "会议原则同意。" + "".join(f"{w}工作要统筹推进。" for w in words)
    get = lambda path, queries=("",): [("GET", f"{path}?{q}" if q else path, None) for q in queries]  # noqa: E731
    known = {
        "/": get("/", searches), "/search": get("/search", searches),
        "/api/search": get("/api/search", searches), "/search.json": get("/search.json", searches),
        "/search.csv": get("/search.csv", searches),
        "/api/answer": get("/api/answer", [f"q={t}{asks}" for t in titles for asks in ("", "谁牵头", "哪次会议审议的")]),
        "/policy": get("/policy", [f"title={t}" for t in titles]),
        "/api/policy": get("/api/policy", [f"title={t}" for t in titles]),
        "/tasks": get("/tasks", [""] + [f"dept={d}" for d in depts]),
        "/api/tasks": get("/api/tasks", [f"dept={d}" for d in depts]),
        "/tasks.csv": get("/tasks.csv", [f"dept={d}" for d in depts]),
        "/audit": get("/audit"), "/api/audit": get("/api/audit"),
        "/openapi.json": get("/openapi.json"), "/help": get("/help"), "/api/help": get("/api/help"),
        "/api/suggest": get("/api/suggest", [f"q={w[:2]}" for w in words + titles]
                                                  + [f"q={t[:5]}" for t in MIXED.values()]),
        "/draft": get("/draft", [f"text={draft}"]) + [("POST", "/draft", {"text": draft})],
        "/api/draft": get("/api/draft", [f"text={draft}"]) + [("POST", "/api/draft", {"text": draft})],
        "/healthz": get("/healthz"),
        "/login": get("/login"),
        "/logout": [],  # signing out shows nothing; the clients sign in once and stay
        "/admin/log": get("/admin/log"), "/admin/users": get("/admin/users"),
        "/api/admin/log": get("/api/admin/log"), "/api/admin/users": get("/api/admin/users"),
        "/upload": get("/upload"), "/api/upload": get("/api/upload"),
        "/api/timeline": get("/api/timeline", searches + [f"q={w}&unit=month" for w in words]),
        "/meetings": get("/meetings", ["", "year=2023"]), "/api/meetings": get("/api/meetings", ["", "year=2023"]),
        "/meetings.json": get("/meetings.json", ["", "year=2023"]),
        "/workload": get("/workload", [""] + [f"dept={d}" for d in depts]),
        "/api/workload": get("/api/workload", [""] + [f"dept={d}" for d in depts]),
    }
    ids = list(doc_ids.values()) + [MISSING_ID]
    for pattern in ("/doc/<doc_id>", "/api/doc/<doc_id>", "/doc/<doc_id>.json"):
        known[pattern] = [("GET", pattern.replace("<doc_id>", i), None) for i in ids]
    if rule.startswith("/upload/<") or rule.startswith("/api/upload/<"):
        return [("GET", re.sub(r"<[^>]+>", "nosuchbatch", rule), None)]
    return known.get(rule)


@pytest.mark.slow  # every route for every caller: a second each
@pytest.mark.parametrize("who", WEB_CALLERS)
def test_no_route_shows_a_caller_what_it_may_not_read(leak_app, doc_ids, who):
    name, visible = WEB_CALLERS[who]
    hidden = set(SECRETS) - visible
    hidden_ids = {doc_ids[k] for k in hidden}
    client = _signed_in(leak_app, name)
    rules = sorted({r.rule for r in leak_app.url_map.iter_rules() if r.endpoint != "static"})
    unknown = [rule for rule in rules if _requests(rule, doc_ids) is None]
    assert unknown == [], "routes this test does not ask: add them to _requests"
    token = _csrf(client.get("/login").get_data(as_text=True)) if "/login" in rules else ""
    leaks, errors = [], []
    for rule in rules:
        for method, url, form in _requests(rule, doc_ids):
            if method == "POST":
                response = client.post(url, data={**form, "csrf_token": token})
            else:
                response = client.get(url)
            body = response.get_data(as_text=True)
            if response.status_code >= 500:
                errors.append(f"{url}: {response.status_code}")
            if any(i in url for i in hidden_ids):  # a hidden document answers as a missing one
                missing = client.get(url.replace(next(i for i in hidden_ids if i in url), MISSING_ID))
                assert response.status_code == missing.status_code == 404, url
                continue
            asked = unquote(url) + json.dumps(form or {}, ensure_ascii=False)
            found = [f for f in leaked(body, hidden, doc_ids) if f.split(": ", 1)[1] not in asked]  # not echoes
            if found:
                leaks.append(f"{method} {url}: {found}")
    assert errors == []
    assert leaks == []


@pytest.mark.parametrize("who", WEB_CALLERS)
def test_counts_are_what_the_caller_may_read(leak_app, doc_ids, who):
    name, visible = WEB_CALLERS[who]
    client = _signed_in(leak_app, name)
    result = client.get("/api/search?q=&size=100").get_json()
    assert result["total"] == 3 * len(visible)
    assert {h["doc_id"] for h in result["hits"]} == {doc_ids[k] for k in visible}
    assert sum(v["count"] for v in result["facets"]["meeting"]) == 3 * len(visible)
    health = client.get("/healthz").get_json()
    assert health["documents"] == len(visible)


def test_a_hidden_document_answers_exactly_as_a_missing_one(leak_app, doc_ids, monkeypatch):
    """Issue 26: a hidden document's 404 loaded its records before checking who may read them,
    measurably slower than a missing one's, and ids are computable (sha1 of issuer and number).
    Now both answers are the same bytes, and neither reads a stored record."""
    import whoosh.reading

    client = _signed_in(leak_app, None)
    hidden = doc_ids[INTERNAL]
    for pattern in ("/doc/{}", "/api/doc/{}", "/doc/{}.json"):
        answers = []
        for doc_id in (hidden, MISSING_ID):
            response = client.get(pattern.format(doc_id))
            headers = sorted((k, v) for k, v in response.headers.items() if k != "Date")
            answers.append((response.status_code, headers, response.get_data(as_text=True).replace(doc_id, "ID")))
        assert answers[0] == answers[1] and answers[0][0] == 404, pattern
    # The same work: the label is checked before anything is loaded (a spy on Whoosh's reads, set
    # before the index is opened: the searcher binds its reader's methods when it is made).
    reads = []
    stored_fields = whoosh.reading.SegmentReader.stored_fields
    monkeypatch.setattr(whoosh.reading.SegmentReader, "stored_fields",
                        lambda self, n: reads.append(n) or stored_fields(self, n))
    with indexer.SearchIndex(leak_app.config["INDEX"]) as ix:
        for doc_id in (hidden, MISSING_ID):
            with pytest.raises(indexer.DocumentNotFound):
                ix.document(doc_id, access=indexer.Access.anonymous())
        assert reads == []
        assert ix.document(hidden).title and reads  # the spy sees the reads of a document that is read
