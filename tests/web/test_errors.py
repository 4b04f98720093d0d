"""One JSON error envelope for every error, and a documented API."""

from __future__ import annotations

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from filiere.web.app import all_routes

ENVELOPE_KEYS = {"status", "code", "message", "detail"}


def assert_envelope(response, status: int, code: str) -> None:
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == ENVELOPE_KEYS
    assert body["error"]["status"] == status and body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]


def test_error_shape_is_pinned(app, client_for):
    anonymous = TestClient(app, base_url="https://testserver")
    assert_envelope(anonymous.get("/api/me"), 401, "not_authenticated")
    alice = client_for("alice")
    assert_envelope(alice.get("/api/nothing-here"), 404, "not_found")
    assert_envelope(alice.get("/api/persons/P-NOPE"), 404, "not_found")
    assert_envelope(alice.get("/api/search"), 422, "invalid_request")
    assert_envelope(alice.get("/api/graph/neighbours", params={"ids": ","}), 400, "bad_request")
    assert_envelope(alice.delete("/api/search"), 405, "method_not_allowed")
    assert_envelope(alice.get("/api/audit"), 403, "forbidden")
    assert_envelope(client_for("bob", case=False).get("/api/networks"), 428, "justification_required")
    assert alice.get("/api/search").json()["error"]["detail"][0]["loc"] == ["query", "q"]


def test_pages_redirect_to_sign_in(app):
    anonymous = TestClient(app, base_url="https://testserver", follow_redirects=False)
    r = anonymous.get("/search")
    assert r.status_code == 303 and r.headers["location"] == "/login"
    assert anonymous.get("/login").status_code == 200


def test_every_api_route_is_documented(app, client_for):
    spec = client_for("alice").get("/api/openapi.json").json()
    documented = {(path, m.upper()) for path, ops in spec["paths"].items() for m in ops}
    for route in all_routes(app):
        if isinstance(route, APIRoute) and route.path.startswith("/api/") and route.include_in_schema:
            for method in route.methods:
                assert (route.path, method) in documented
                assert spec["paths"][route.path][method.lower()].get("summary"), f"{route.path} has no summary"


def test_api_docs_use_no_cdn(client_for):
    html = client_for("alice").get("/api/docs").text
    assert "/vendor/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn." not in html and "unpkg" not in html


def test_vendor_files_are_allow_listed(client_for):
    c = client_for("alice")
    assert c.get("/vendor/cytoscape/package.json").status_code == 404
    assert c.get("/vendor/cytoscape/../../app.py").status_code == 404
