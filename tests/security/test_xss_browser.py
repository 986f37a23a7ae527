"""Stored XSS in the explorer (the issue's hole 1), in the real app and a real browser.

The store holds `hostile.dataset`: every node name, the township, a lead's `mode` and a fusion's
`joint_party_org` carry HTML, script, event handlers, `javascript:` URLs and Markdown. Signed in as
an admin (the account the attack wanted), the test hovers and clicks every node of the drawing in
the search view, after each neighbour button, and in the county scope view, and reads the details
panel. It fails if any payload left a trace: a dialog, a popup, a request to the probe server or to
example.invalid, `__pwned` in any frame or in the app, a changed title; and unless every tooltip,
heading and button shows the name as plain text.
"""

from __future__ import annotations

import http.server
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

from graph import accounts
from graph.ui.i18n import kind_names, t
from graph.ui.text import displayed
from tests.fixtures import (
    CHROMIUM,
    ROOT,
    require_browser,
    sign_in_browser,
    store_file,
    streamlit_app,
    workbook_bytes,
)
from tests.security import hostile
from tests.test_browser import CHROMIUM_ARGS, PAGE_TIMEOUT_MS, _settle, foreign

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ADMIN, PASSWORD = "admin", "xss-test-password"


class _Probe(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:  # the name http.server calls
        _Probe.hits.append(self.path)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def probe() -> Iterator[tuple[int, list[str]]]:
    """A local server that records every request: a payload that ran would call it."""
    _Probe.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Probe)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield int(server.server_address[1]), _Probe.hits
    server.shutdown()
    server.server_close()


def _serve(folder: Path, db: str, script: str) -> Iterator[str]:
    """`streamlit run script` on a free port, its log in `folder`, until the generator is closed."""
    folder.mkdir(exist_ok=True)
    with streamlit_app(ROOT / script, db, folder / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory, probe: tuple[int, list[str]]) -> tuple[Path, str]:
    require_browser()
    folder = tmp_path_factory.mktemp("xss")
    db = store_file(folder / "hostile.lbug", hostile.dataset(probe[0]), [(ADMIN, PASSWORD, accounts.ADMIN)])
    return folder, db


# app.py as `make run` serves it, and serve.py (app.py behind graph.ui.headers): the drawing must be
# safe without the headers, and must still work with them.
@pytest.fixture(scope="module", params=["app.py", "serve.py"])
def app_url(request: pytest.FixtureRequest, hostile_db: tuple[Path, str]) -> Iterator[str]:
    folder, db = hostile_db
    yield from _serve(folder / request.param, db, request.param)


@pytest.fixture(scope="module")
def guarded_url(hostile_db: tuple[Path, str]) -> Iterator[str]:
    # Its own store file: one process at a time may open a Ladybug file.
    folder, _ = hostile_db
    yield from _serve(folder / "guarded", str(folder / "guarded" / "empty.lbug"), "serve.py")


def test_every_response_forbids_framing_by_other_sites(guarded_url: str) -> None:
    for path in ("/", "/explorer", "/_stcore/health", "/static/favicon.png"):
        with urllib.request.urlopen(guarded_url + path, timeout=10) as response:
            assert response.headers["X-Frame-Options"] == "SAMEORIGIN", path
            assert response.headers["Content-Security-Policy"] == "frame-ancestors 'self'", path


def _drawing(page: Any) -> Any:
    """The frame that runs vis-network (one level deep on the old code, two in the sandbox now)."""
    for _ in range(120):
        for frame in page.frames:
            try:
                if frame.evaluate(
                    "() => typeof network !== 'undefined' && !!document.querySelector('#mynetwork canvas')"
                ):
                    return frame
            except Exception:  # a frame detached while the app reran
                continue
        page.wait_for_timeout(250)
    raise AssertionError("no frame draws the network")


def _hover_and_click_every_node(page: Any, names: dict[str, str]) -> int:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    frame = _drawing(page)
    # Stopped early on a loaded machine, the layout can leave nodes on top of each other or out of view, and a
    # hover then shows another node's tooltip or none: lay them on a circle and fit the view (this test is
    # about what a tooltip shows, not about the layout).
    frame.evaluate(
        "() => { network.stopSimulation(); const ids = Object.keys(network.getPositions());"
        " ids.forEach((id, i) => network.moveNode(id, 250 * Math.cos(2 * Math.PI * i / ids.length),"
        " 250 * Math.sin(2 * Math.PI * i / ids.length))); network.fit({animation: false}); }"
    )
    page.wait_for_timeout(300)
    ids = frame.evaluate("() => Object.keys(network.getPositions())")
    assert ids, "the drawing has no nodes"

    def where(node_id: str) -> tuple[float, float]:
        # Asked anew each time: a rerun or a late resize can move the drawing under a cached position.
        box = frame.locator("#mynetwork").bounding_box()
        point = frame.evaluate("id => network.canvasToDOM(network.getPositions([id])[id])", node_id)
        return box["x"] + point["x"], box["y"] + point["y"]

    for node_id in ids:
        # vis-network shows a string title with innerText: the name, literally, and no element in it. It shows
        # it on a mouse move after a hover delay, which a loaded machine can miss: leave and come again.
        for attempt in range(4):
            x, y = where(node_id)
            page.mouse.move(x + attempt, y)
            try:
                frame.wait_for_function(
                    "name => { const tip = document.querySelector('.vis-tooltip');"
                    " return tip && tip.style.visibility !== 'hidden' && tip.innerText.includes(name); }",
                    arg=names[node_id],
                    timeout=10_000,
                )
                break
            except PlaywrightTimeout:
                if attempt == 3:
                    raise
                page.mouse.move(1, 1)
        assert frame.evaluate("() => document.querySelector('.vis-tooltip').children.length") == 0
        page.mouse.click(x, y)
        page.wait_for_timeout(200)
        page.mouse.move(1, 1)
    return len(ids)


def _assert_sandboxed(page: Any, port: int, hits: list[str]) -> None:
    """The drawing's frame has an opaque origin and its CSP stops handlers, fetches and remote images.

    Checked by doing what an injected payload would, from inside the frame: even if some HTML path
    reappeared, it could not reach the app and its handlers would not run.
    """
    frame = _drawing(page)
    assert frame.evaluate("() => self.origin") == "null"
    reach = "() => { try { return String(window.top.document.title) } catch (e) { return 'blocked' } }"
    assert frame.evaluate(reach) == "blocked"
    assert frame.evaluate("() => { try { return document.cookie } catch (e) { return 'blocked' } }") == "blocked"
    injected = frame.evaluate(
        """port => new Promise(done => {
            const box = document.createElement('div');
            box.innerHTML = '<img src=x onerror="window.__csp = 1">'
                + '<img src="http://127.0.0.1:' + port + '/csp-img">';
            document.body.append(box);
            const fetched = fetch('http://127.0.0.1:' + port + '/csp-fetch').then(() => 'fetched', () => 'refused');
            setTimeout(() => fetched.then(f => done([window.__csp === undefined, f])), 800);
        })""",
        port,
    )
    assert injected == [True, "refused"]
    assert hits == []
    frame.evaluate("() => document.body.lastElementChild.remove()")


def _assert_no_trace(page: Any, dialogs: list[str], popups: list[str], hits: list[str], requests: list[str]) -> None:
    assert dialogs == [], f"a payload opened a dialog: {dialogs}"
    assert popups == [], f"a payload opened a window: {popups}"
    assert hits == [], f"a payload reached the probe server: {hits}"
    assert not [r for r in requests if "example.invalid" in r], "a remote image was requested"
    assert foreign(requests) == []
    assert page.evaluate("() => window.__pwned === undefined && document.title !== 'pwned'")
    for frame in page.frames:
        try:
            clean = frame.evaluate("() => window.__pwned === undefined && document.title !== 'pwned'")
        except Exception:  # detached by a rerun
            continue
        assert clean, f"a payload ran in {frame.url}"


def _assert_details_are_plain(page: Any, name: str, neighbours: dict[str, str]) -> None:
    heading = page.locator('[data-testid="stHeading"]').filter(has_text=t("explorer.details", "zh"))
    heading.first.wait_for()
    # As md shows a name: with an invisible word joiner wherever a link would be made of it.
    assert heading.first.inner_text().strip() == f"{t('explorer.details', 'zh')}: {displayed(name)}"
    assert heading.first.locator("img, strong, em, code, a[href^='javascript']").count() == 0
    for node_id, label in neighbours.items():
        button = page.locator(f".st-key-focus_{node_id} button")
        assert button.inner_text().strip() == f"{t('explorer.focus', 'zh')}: {displayed(label)}"
        assert button.locator("img, strong, em, code, a").count() == 0
    assert page.locator("a[href^='javascript'], img[src*='example.invalid']").count() == 0


def test_hostile_names_run_no_script_and_show_as_text(app_url: str, probe: tuple[int, list[str]]) -> None:
    from playwright.sync_api import sync_playwright

    port, hits = probe
    names = hostile.names(port)
    kinds = kind_names("zh")
    label = {"VX01": "Village:weak", "VX02": "Village:strong", "CX01": "CityCommunity"}
    label |= {"EX01": "Enterprise", "OX01": "Organisation", "KX01": "Cadre"}
    dialogs: list[str] = []
    popups: list[str] = []
    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1600}, locale="zh-CN")
        page = context.new_page()
        context.on("page", lambda p: popups.append(p.url))  # after our own page: any other is a popup
        page.set_default_timeout(PAGE_TIMEOUT_MS)

        def on_dialog(dialog: Any) -> None:
            dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on("request", lambda r: requests.append(r.url))
        sign_in_browser(page, f"{app_url}/explorer", ADMIN, PASSWORD, t("explorer.title", "zh"))

        # Search view: the village of the issue, then every neighbour through its button.
        box = page.get_by_label(t("explorer.search", "zh"))
        box.fill("XSS村")
        box.press("Enter")
        _settle(page)
        assert _hover_and_click_every_node(page, names) == 5
        _assert_sandboxed(page, port, hits)
        around = {n: f"{names[n]} · {kinds[label[n]]}" for n in ("CX01", "VX02", "EX01", "KX01")}
        _assert_no_trace(page, dialogs, popups, hits, requests)
        _assert_details_are_plain(page, names["VX01"], around)
        # Each neighbour's button, and back through the village's button (every neighbour links to it);
        # the organisation is reached through the cadre it sent.
        for neighbour in ("CX01", "VX02", "EX01", "KX01", "OX01", "KX01", "VX01"):
            page.locator(f".st-key-focus_{neighbour} button").click()
            _settle(page)
            heading = f"{t('explorer.details', 'zh')}: {displayed(names[neighbour])}"
            page.get_by_role("heading", name=heading).wait_for()
            _hover_and_click_every_node(page, names)
            _assert_no_trace(page, dialogs, popups, hits, requests)
            _assert_details_are_plain(page, names[neighbour], {})
            if neighbour not in ("KX01", "OX01", "VX01"):
                page.locator(".st-key-focus_VX01 button").click()
                _settle(page)

        # Scope view: the county, then the village's details from the scope's picker.
        page.get_by_text(t("explorer.mode.scope", "zh")).click()
        _settle(page)
        page.get_by_label(t("filter.county", "zh")).click()
        page.get_by_role("option", name=hostile.COUNTY).click()
        _settle(page)
        assert _hover_and_click_every_node(page, names) == 5  # the villages and their partners
        page.get_by_label(t("filter.township", "zh")).click()
        page.get_by_role("option", name=hostile.township(port)).click()
        _settle(page)
        assert _hover_and_click_every_node(page, names) == 5  # the one township holds both villages
        _assert_no_trace(page, dialogs, popups, hits, requests)
        page.get_by_label(t("explorer.details", "zh")).click()
        page.get_by_role("option", name=f"{names['VX01']} · {kinds['Village:weak']}").click()
        _settle(page)
        _hover_and_click_every_node(page, names)
        _assert_details_are_plain(page, names["VX01"], around)
        page.wait_for_timeout(1000)  # a fetch or an image from a payload would have been sent by now
        _assert_no_trace(page, dialogs, popups, hits, requests)
        context.close()
        browser.close()


def _hostile_workbook(port: int) -> tuple[bytes, str, str]:
    """A county workbook whose sheet title, a header and names are hostile: the 数据 page's mapping panel and
    change preview show them. One row renames a stored village, one adds a village."""
    title = "<img src=x onerror=alert(1)>"  # a sheet title may not hold / [ ] : * ? \
    header = f'备注二 www.example.invalid me@example.invalid<img src=x onerror="{hostile.script("h1", port)}">'
    rows = [
        ["编号", "村名", "所属县", "类别", header],
        ["VX01", f'XSS新名<svg onload="{hostile.script("n1", port)}">', hostile.COUNTY, "后进村", hostile.MARKDOWN],
        ["VX09", f"XSS新村 {hostile.MARKDOWN}", hostile.COUNTY, "一般村", "x"],
    ]
    return workbook_bytes({title: rows}), title, header


def test_a_hostile_county_workbook_shows_as_text_on_the_data_page(app_url: str, probe: tuple[int, list[str]]) -> None:
    from playwright.sync_api import sync_playwright

    port, hits = probe
    data, title, header = _hostile_workbook(port)
    dialogs: list[str] = []
    popups: list[str] = []
    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 2400}, locale="zh-CN")
        page = context.new_page()
        context.on("page", lambda p: popups.append(p.url))
        page.set_default_timeout(PAGE_TIMEOUT_MS)

        def on_dialog(dialog: Any) -> None:
            dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on("request", lambda r: requests.append(r.url))
        sign_in_browser(page, f"{app_url}/data", ADMIN, PASSWORD, t("data.title", "zh"))
        page.locator('input[type="file"]').first.set_input_files(
            {"name": "县台账.xlsx", "mimeType": "application/octet-stream", "buffer": data}
        )
        page.locator('[data-testid="stAlertContentSuccess"]').first.wait_for()
        _settle(page)
        page.wait_for_timeout(1000)  # a fetch or an image from a payload would have been sent by now
        _assert_no_trace(page, dialogs, popups, hits, requests)
        # The sheet's heading and the column's selectbox say the title and the header as written, as text.
        heading = page.locator('[data-testid="stMarkdownContainer"]').filter(has_text=title).first
        assert displayed(title) in heading.inner_text()
        label = page.locator('[data-testid="stWidgetLabel"]').filter(has_text="备注二").first
        assert displayed(header) in " ".join(label.inner_text().split())
        for shown in (heading, label):
            assert shown.locator("img, svg, script, a, em, code").count() == 0
        assert (
            page.locator("img[src='x'], svg[onload], a[href^='javascript'], img[src*='example.invalid']").count() == 0
        )
        context.close()
        browser.close()
