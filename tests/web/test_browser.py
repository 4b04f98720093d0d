"""Browser tests in headless Chromium (Debian's, driven by Playwright): the analyst's path through the
workbench, and a second agency that must not see the first one's H2 data. Screenshots go to test-artifacts/."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from filiere.web import create_app
from filiere.web.routers.assets import VENDOR_FILES
from filiere.workspace import Workspace
from web.conftest import CASE, PASSWORD, build_world_workspace

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
WEB_DIR = Path(__file__).resolve().parents[2] / "filiere" / "web"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (run `make browser`)"),
    pytest.mark.skipif(not (WEB_DIR / "node_modules" / "cytoscape").exists(),
                       reason="front-end packages not installed (run `make web-assets`)"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    import uvicorn

    path = tmp_path_factory.mktemp("browser") / "ws"
    build_world_workspace(path)
    ws = Workspace.open(path)
    app = create_app(path, workspace=ws, secret_key="browser-test")
    app.state.ctx.warm_up()  # build the name index now (as `filiere serve` does at start), not in the first search
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "server did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)
    ws.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


def wait_js(page, expression: str, timeout_s: float = 15.0) -> None:
    """Poll a JS expression from outside the page (page.wait_for_function would eval inside it, which our
    Content-Security-Policy rightly forbids)."""
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"timed out waiting for {expression}"
        time.sleep(0.1)


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"web-{name}.png"), full_page=True)


def sign_in(browser, server: str, username: str):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server + "/search")
    page.wait_for_url("**/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.fill("#case_ref", CASE["case_ref"])
    page.fill("#purpose", CASE["purpose"])
    page.click("#login-submit")
    page.wait_for_url("**/search")
    page.wait_for_selector("#who:has-text('" + username + "')")
    page.js_errors = errors
    return context, page


def test_analyst_path(browser, server):
    context, page = sign_in(browser, server, "alice")
    shot(page, "01-search-empty")
    page.fill("#q", "Muhammad Alhasan")
    page.press("#q", "Enter")
    page.wait_for_selector(".person-link")
    assert page.inner_text(".person-link") == "Mohammed AL-HASSAN"
    shot(page, "02-search-transliterated")

    page.click(".person-link")
    page.wait_for_selector("#person-name")
    profile = page.inner_text("#profile")
    assert "محمد الحسن" in profile and "uk3x5x2 2B" in profile and "H2" in profile and "assessment" in profile
    shot(page, "03-person-profile")

    page.click("#open-chart")
    wait_js(page, "window.chart && window.chart.nodes().length >= 5")
    before = page.evaluate("window.chart.nodes().length")
    page.evaluate("void window.chart.getElementById('P-HUB').select()")  # void: do not serialise the collection
    page.click("#expand")
    wait_js(page, f"window.chart.nodes().length > {before}")
    page.wait_for_selector("#chart-notice:has-text('super-node guard')")
    page.wait_for_selector(".vis-item")
    page.wait_for_selector(".map-point")
    assert page.evaluate("window.chart.getElementById('P-ZS').nonempty()")  # FR sees its own H2 person
    shot(page, "04-chart-timeline-map")

    with page.expect_download() as dl:
        page.click("#export-svg")
    svg = Path(dl.value.path()).read_text()
    assert "HANDLING:" in svg and "H2" in svg
    with page.expect_download() as dl:
        page.click("#export-png")
    assert Path(dl.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    page.goto(server + "/networks")
    page.wait_for_selector(".network-link")
    shot(page, "05-networks")
    page.click(".network-link >> text=N-1")
    page.wait_for_selector("#network-title")
    wait_js(page, "document.querySelector('#lcc-before').textContent === '100%'")
    page.fill("#budget", "1")
    page.click("#try-plan")
    page.wait_for_selector("#plan-targets")
    assert "P-AH" in page.inner_text("#plan-targets")
    after = page.inner_text("#lcc-after")
    assert after != "100%" and after.endswith("%")
    page.click("input.remove[value='P-KB']")
    assert page.inner_text("#lcc-after") != after  # removing another member updates the figure live
    shot(page, "06-network-plan")
    assert page.js_errors == []
    context.close()


def test_review_queue_shows_why_a_rule_joined_two_mentions(browser, server):
    context, page = sign_in(browser, server, "alice")
    page.goto(server + "/review")
    page.wait_for_selector(".pair")
    pairs = page.inner_text("#pairs")
    assert "rule: named by a witness" in pairs and "in touch with the witness" in pairs  # no probability to show
    assert "p = 0.70" in pairs and "p = 0.00" not in pairs
    assert page.js_errors == []
    context.close()


def test_second_agency_cannot_see_h2_data(browser, server):
    context, page = sign_in(browser, server, "bob")
    page.fill("#q", "Secretov")
    page.press("#q", "Enter")
    page.wait_for_selector("#no-results")
    page.fill("#q", "Mohamed Hassan")
    page.press("#q", "Enter")
    page.wait_for_selector(".person-link")
    assert "SECRETOV" not in page.inner_text("#results")
    page.goto(server + "/person/P-AH")
    page.wait_for_selector("#person-name")
    text = page.inner_text("#profile")
    assert "SECRETOV" not in text and "H2" not in text and "Mohammed AL-HASSAN" in text
    shot(page, "07-partner-profile")
    page.goto(server + "/chart?ids=P-AH")
    wait_js(page, "window.chart && window.chart.nodes().length >= 3")
    assert not page.evaluate("window.chart.getElementById('P-ZS').nonempty()")
    page.wait_for_selector(".map-point")
    assert "Secret" not in page.content()
    shot(page, "08-partner-chart")
    page.goto(server + "/person/P-ZS")
    page.wait_for_selector("#profile .error")
    page.goto(server + "/networks")
    page.wait_for_selector(".network-link")
    assert "N-SEC" not in page.inner_text("#networks")
    shot(page, "09-partner-networks")
    context.close()


def test_vendor_files_are_served(server, browser):
    context, page = sign_in(browser, server, "alice")
    for package, files in VENDOR_FILES.items():
        for f in files:
            r = page.request.get(f"{server}/vendor/{package}/{f}")
            assert r.status == 200, f"{package}/{f}"
    context.close()
