"""Security: no endpoint leaks another agency's restricted rows; login, rate limit, CSRF, cookies; the log's
hash chain detects edits after web activity."""

from __future__ import annotations

import itertools
import json

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from filiere import audit
from filiere.web.app import all_routes
from web.conftest import CASE, PASSWORD, sign_in
from web.world import COND_MARKERS, SECRET_MARKERS

# Values tried for every path parameter: restricted ids first, then ids of rows mixing restricted sources.
PATH_PROBES = {
    "person_id": ["P-ZS", "P-JD", "P-AH", "P-KB"],
    "phone": ["+33699999999", "0699999999", "+33612345678"],
    "network_id": ["N-SEC", "N-1"],
    "package": ["cytoscape"],
    "path": ["dist/cytoscape.min.js"],
}
QUERY_PROBES = {
    "q": ["Secretov", "Zoltan", "06 99 99 99 99", "ZZ-999-ZZ", "Dupont", "Mohamed Hassan", "محمد"],
    "ids": ["P-ZS,P-JD,P-AH,P-KB,P-AY,P-HUB"],
}
BODY_PROBES = {
    "/api/networks/{network_id}/plan": [{"budget": 3}],
    "/api/exports/chart": [{"format": f, "nodes": [{"id": i, "x": 1, "y": 2} for i in ("P-ZS", "P-JD", "P-AH", "P-KB")]}
                           for f in ("svg", "png")],
    "/api/review/judgements": [{"mention_id_a": "m-ah-fr", "mention_id_b": "m-ah-sec", "decision": "same",
                                "reason": "probe"},
                               {"mention_id_a": "m-jd", "mention_id_b": "m-kb", "decision": "same",
                                "reason": "probe"}],
    "/api/justification": [CASE],
    "/api/login": [{"username": "bob", "password": PASSWORD, **CASE}],
    "/api/users": [{"username": "probe", "agency": "X-Y", "role": "analyst", "password": "long enough pw"}],
}
LAST = {"/api/login", "/api/justification"}
SKIP = {"/api/logout"}  # would end the session mid-walk; covered by its own test


def _urls(route: APIRoute) -> list[str]:
    params = route.param_convertors.keys()
    missing = [p for p in params if p not in PATH_PROBES]
    assert not missing, f"no probe values for path parameters {missing} of {route.path}: add them to PATH_PROBES"
    urls = []
    for combo in itertools.product(*(PATH_PROBES[p] for p in params)):
        url = route.path
        for name, value in zip(params, combo, strict=True):
            url = url.replace("{" + name + "}", value).replace("{" + name + ":path}", value)
        urls.append(url)
    return urls


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _unechoed(text: str, *sent) -> str:
    """The response without what the caller sent itself (a query echoed back is not a leak)."""
    for value in sorted({s for v in sent for s in _strings(v)}, key=len, reverse=True):
        if len(value) > 2:
            text = text.replace(value, "").replace(json.dumps(value)[1:-1], "")
    return text


def walk_every_endpoint(app, client: TestClient) -> list[tuple[str, str, int, str]]:
    """Call every route of the app with every probe; returns (method, url, status, body without echoes)."""
    seen = []
    routes = [r for r in all_routes(app) if isinstance(r, APIRoute)]
    assert len(routes) > 25
    routes.sort(key=lambda r: r.path in LAST)  # these replace the session: walk them at the end
    for route in routes:
        if route.path in SKIP:
            continue
        query_names = [p.name for p in route.dependant.query_params]
        queries = [{}] + [{n: v} for n in query_names if n in QUERY_PROBES for v in QUERY_PROBES[n]]
        for method, url in itertools.product(sorted(route.methods), _urls(route)):
            if method == "GET":
                for q in queries:
                    r = client.get(url, params=q)
                    seen.append((method, url + json.dumps(q), r.status_code, _unechoed(r.text, url.split("/"), q)))
            else:
                for body in BODY_PROBES.get(route.path, [{}]):
                    r = client.request(method, url, json=body)
                    seen.append((method, url + json.dumps(body), r.status_code,
                                 _unechoed(r.text, url.split("/"), body)))
    return seen


def leaks(seen, markers) -> list[str]:
    return [f"{m} {u} ({s}) shows {k!r}" for m, u, s, body in seen for k in markers if k in body]


@pytest.mark.slow
def test_no_endpoint_leaks_restricted_rows_to_another_agency(app, client_for):
    # FR itself sees its H2 rows and UK's FR-releasable rows through these very probes (so they are meaningful) …
    fr_seen = walk_every_endpoint(app, client_for("alice"))
    assert leaks(fr_seen, ["Zoltan SECRETOV", "33699999999", "ZZ999ZZ", "N-SEC", "Jean DUPONT"])
    assert all(s < 500 for _, _, s, _ in fr_seen)
    # … UK must see none of FR's H2 rows, and BE none of UK's rows releasable to FR only.
    uk_seen = walk_every_endpoint(app, client_for("bob"))
    assert leaks(uk_seen, ["Jean DUPONT"]), "UK must still see its own releasable rows"
    assert leaks(uk_seen, SECRET_MARKERS) == []
    be_seen = walk_every_endpoint(app, client_for("carol"))
    assert leaks(be_seen, (*SECRET_MARKERS, *COND_MARKERS)) == []
    assert all(s < 500 for _, _, s, _ in uk_seen + be_seen)


def test_auditor_and_admin_see_no_personal_data(app, client_for):
    for user in ("audrey", "adam"):
        seen = walk_every_endpoint(app, client_for(user))
        # names and numbers of persons never reach them (the log holds ids and queries, not records)
        assert leaks(seen, ["Zoltan SECRETOV", "Jean DUPONT", "Karim BENALI", "+33612345678"]) == [], user


def test_unauthenticated_requests_get_nothing(app):
    client = TestClient(app, base_url="https://testserver")
    for route in (r for r in all_routes(app) if isinstance(r, APIRoute) and r.path.startswith("/api/")):
        if route.path in ("/api/login", "/api/docs"):  # public by design: sign-in and the API documentation
            continue
        for url in _urls(route):
            for method in route.methods:
                r = client.request(method, url, params={"q": "Benali", "ids": "P-KB"})
                assert r.status_code in (401, 403), (method, url, r.status_code)
                assert "BENALI" not in r.text


def test_login_rejects_a_bad_password(app):
    client = TestClient(app, base_url="https://testserver")
    r = client.post("/api/login", json={"username": "alice", "password": "wrong password"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "not_authenticated"
    assert "filiere_session" not in r.cookies
    r = client.post("/api/login", json={"username": "nobody", "password": PASSWORD})
    assert r.status_code == 401


def test_login_is_rate_limited(app, wws):
    client = TestClient(app, base_url="https://testserver")
    for _ in range(5):
        assert client.post("/api/login", json={"username": "alice", "password": "nope nope"}).status_code == 401
    r = client.post("/api/login", json={"username": "alice", "password": PASSWORD})
    assert r.status_code == 429 and r.json()["error"]["code"] == "too_many_attempts"
    failed = wws.con.execute("SELECT count(*) FROM processing_log WHERE what = 'failed sign-in'").fetchone()[0]
    assert failed == 5


def test_session_cookie_flags(app):
    client = TestClient(app, base_url="https://testserver")
    r = client.post("/api/login", json={"username": "alice", "password": PASSWORD, **CASE})
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "secure" in cookie and "samesite=strict" in cookie


def test_tampered_session_cookie_is_refused(app):
    client = sign_in(app, "bob")
    token = client.cookies.get("filiere_session")
    client.cookies.set("filiere_session", token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"),
                       domain="testserver.local")
    fresh = TestClient(app, base_url="https://testserver")
    fresh.cookies.set("filiere_session", token[:-3] + "xyz")
    assert fresh.get("/api/me").status_code == 401


def test_csrf_is_enforced(app):
    client = sign_in(app, "alice")
    token = client.headers.pop("X-CSRF-Token")
    body = {"budget": 1}
    assert client.post("/api/networks/N-1/plan", json=body).status_code == 403
    r = client.post("/api/networks/N-1/plan", json=body, headers={"X-CSRF-Token": "forged"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "csrf_rejected"
    r = client.post("/api/networks/N-1/plan", json=body,
                    headers={"X-CSRF-Token": token, "Origin": "https://evil.example"})
    assert r.status_code == 403
    assert client.post("/api/networks/N-1/plan", json=body, headers={"X-CSRF-Token": token}).status_code == 200


def test_login_must_be_json(app):
    client = TestClient(app, base_url="https://testserver")
    r = client.post("/api/login", data={"username": "alice", "password": PASSWORD})
    assert r.status_code == 403 and r.json()["error"]["code"] == "csrf_rejected"


def test_logout_ends_the_session(app):
    client = sign_in(app, "alice")
    assert client.post("/api/logout").status_code == 200
    assert client.get("/api/me").status_code == 401


def test_security_headers(app):
    r = sign_in(app, "alice").get("/search")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize("tamper", ["modify", "delete", "reorder"])
def test_audit_chain_detects_edits_after_web_activity(app, client_for, wws, tamper):
    c = client_for("bob")
    c.get("/api/search", params={"q": "Benali"})
    c.get("/api/persons/P-KB")
    c.get("/api/networks/N-1")
    assert audit.verify(wws).ok
    seqs = [r[0] for r in wws.con.execute(
        "SELECT seq FROM processing_log WHERE actor = 'bob' AND action = 'consultation' ORDER BY seq").fetchall()]
    assert len(seqs) == 3
    if tamper == "modify":
        wws.con.execute("UPDATE processing_log SET what = 'nothing to see' WHERE seq = ?", [seqs[1]])
    elif tamper == "delete":
        wws.con.execute("DELETE FROM processing_log WHERE seq = ?", [seqs[1]])
    else:
        wws.con.execute("UPDATE processing_log SET seq = -1 WHERE seq = ?", [seqs[0]])
        wws.con.execute("UPDATE processing_log SET seq = ? WHERE seq = ?", [seqs[0], seqs[1]])
        wws.con.execute("UPDATE processing_log SET seq = ? WHERE seq = -1", [seqs[1]])
    result = audit.verify(wws)
    assert not result.ok and result.problems
    assert client_for("audrey").get("/api/audit/verify").json()["ok"] is False
