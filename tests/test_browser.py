"""The app as a person sees it: `streamlit run app.py` over the seed data, driven in Debian's chromium.

Signs in through the form (as the store's admin), visits every page, downloads the gap list as
XLSX and checks its rows, uploads a bad ledger and sees the problem table, saves a screenshot of
each page in test-artifacts/screenshots/ (`make screenshots` writes them to docs/screenshots/ for
the README instead), and fails if the browser asks any host but this machine for anything (the
app must work without Internet).
Needs /usr/bin/chromium and the `playwright` package: `.ci/browser-deps.sh` installs both.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from graph import accounts, gaps
from graph.store import LadybugStore
from tests.fixtures import (
    APP,
    CHROMIUM,
    SCREENSHOTS,
    require_browser,
    seed_dataset,
    sign_in_browser,
    store_file,
    streamlit_app,
    zip_bytes,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGE_TIMEOUT_MS = 60_000
ADMIN, PASSWORD = "admin", "browser-test-password"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    require_browser()
    folder = tmp_path_factory.mktemp("browser")
    db = store_file(folder / "seed.lbug", "seed", [(ADMIN, PASSWORD, accounts.ADMIN)])
    today = dt.date.today()
    # The app's as-of date defaults to today; the downloaded list must be this one.
    with LadybugStore(Path(db)) as store:
        expected = [r.village_id for r in gaps.unpaired(store, today)]
    log = folder / "streamlit.log"
    with streamlit_app(APP, db, log) as url:
        yield {"url": url, "expected_unpaired": expected, "today": today, "log": log}


@pytest.fixture(scope="module")
def browser_page(server: dict[str, Any]) -> Iterator[tuple[Any, list[str]]]:
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1600}, accept_downloads=True, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(PAGE_TIMEOUT_MS)
        page.on("request", lambda request: requests.append(request.url))
        yield page, requests
        context.close()
        browser.close()


def foreign(urls: list[str]) -> list[str]:
    """Requests to any host but this machine (data:, blob: and about: URLs have none)."""
    out = []
    for url in urls:
        parsed = urlparse(url)
        if parsed.scheme in ("data", "blob", "about", "chrome-extension"):
            continue
        if parsed.hostname not in LOCAL_HOSTS:
            out.append(url)
    return out


def _settle(page: Any) -> None:
    # Streamlit shows a running indicator while the script runs; wait until it is gone. (Never
    # "networkidle": the app's websocket keeps the network busy for as long as the page is open.)
    page.wait_for_timeout(500)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=PAGE_TIMEOUT_MS)


def _visit(page: Any, url: str, heading: str) -> None:
    """Open `url` and wait for its `heading`; a new browser page is a new session, so sign in through the form first."""
    sign_in_browser(page, url, ADMIN, PASSWORD, heading)


def _search(page: Any, box_label: str, text: str) -> None:
    box = page.get_by_label(box_label)
    box.fill(text)
    box.press("Enter")


def _shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # Not full_page: Streamlit scrolls inside its own container, and a full-page capture of the
    # WebGL canvas stalls software rendering; a tall viewport shows the whole page instead.
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    assert path.stat().st_size > 0, path


def _shot_without_errors(page: Any, name: str) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    _shot(page, name)


def test_every_page_works_offline_and_the_gap_download_is_right(
    server: dict[str, Any], browser_page: tuple[Any, list[str]]
) -> None:
    page, requests = browser_page
    url = server["url"]

    page.goto(f"{url}/")
    page.get_by_role("heading", name="登录").wait_for()
    assert page.locator('[data-testid="stMetric"]').count() == 0  # nothing before signing in
    _visit(page, f"{url}/", "总览")  # the default page lives at the root, not at its url_path
    page.locator('[data-testid="stMetric"]').first.wait_for()
    page.locator('[data-testid="stDeckGlJsonChart"]').first.wait_for()
    # deck.gl draws into a canvas of its own, the size of the chart.
    page.wait_for_function("() => Array.from(document.querySelectorAll('canvas')).some(c => c.height >= 400)")
    _settle(page)
    _shot_without_errors(page, "overview")

    _visit(page, f"{url}/explorer", "关系网络")
    name = seed_busiest_weak_village()
    _search(page, "名称或编号", name)
    # Streamlit's frame holds the sandboxed frame that draws (graph.viz.sandboxed).
    frame = page.frame_locator("iframe").first.frame_locator("iframe")
    frame.locator("#mynetwork canvas").wait_for()
    frame.locator(".pairing-legend").wait_for()
    _settle(page)
    page.wait_for_timeout(1500)  # let the physics layout settle before the picture
    _shot_without_errors(page, "explorer")

    _visit(page, f"{url}/gaps", "短板清单")
    page.locator('[data-testid="stDataFrame"]').first.wait_for()
    _settle(page)
    _shot(page, "gaps")
    with page.expect_download() as info:
        page.get_by_role("button", name="下载 Excel").click()
    download = info.value
    assert download.suggested_filename == "unpaired.xlsx"
    from openpyxl import load_workbook

    # The saved download has no suffix, which openpyxl refuses as a path: read the bytes.
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    assert sheet is not None
    assert sheet.cell(row=2, column=1).value == "村编号"
    ids = [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert ids == server["expected_unpaired"]
    assert ids, "the seed has weak villages without support: the list should not be empty"

    _visit(page, f"{url}/period", "本期变化")
    page.locator('[data-testid="stDataFrame"]').first.wait_for()
    page.locator('[data-testid="stMetric"]').first.wait_for()
    _settle(page)
    _shot_without_errors(page, "period")
    # The 通报 as a planner downloads it: both files, their content, and a picture of the PDF's first page.
    page.get_by_label("填报单位").fill("岚川市委组织部")
    page.get_by_label("填报单位").press("Enter")
    page.get_by_role("button", name="生成通报（Excel 与 PDF）").click()
    files = {}
    for fmt in ("xlsx", "pdf"):
        with page.expect_download() as info:
            page.get_by_role("button", name=f"下载通报 {'Excel' if fmt == 'xlsx' else 'PDF'}").click()
        assert info.value.suggested_filename.startswith("全省_本期变化_")
        assert info.value.suggested_filename.endswith(f".{fmt}")
        files[fmt] = Path(info.value.path()).read_bytes()
    cover = load_workbook(io.BytesIO(files["xlsx"])).worksheets[0]
    assert "岚川市委组织部" in [str(c.value) for row in cover.iter_rows() for c in row if c.value is not None]
    import pypdfium2
    from pypdf import PdfReader

    assert "岚川市委组织部" in PdfReader(io.BytesIO(files["pdf"])).pages[0].extract_text()
    first = pypdfium2.PdfDocument(files["pdf"])[0].render(scale=1.5).to_pil()
    first.save(SCREENSHOTS / "period-bulletin-page1.png")
    assert len(set(first.convert("L").getdata())) > 2, "the first page is blank"

    _visit(page, f"{url}/matching", "结对匹配建议")
    _settle(page)
    page.get_by_role("button", name="生成匹配建议").click()
    page.locator('[data-testid="stDataFrame"]').first.wait_for()
    page.locator('[data-testid="stDeckGlJsonChart"]').first.wait_for()
    _settle(page)
    _shot_without_errors(page, "matching")

    _visit(page, f"{url}/links", "帮扶关系维护")
    _search(page, "村名或编号", name)
    page.locator('[data-testid="stDataFrame"]').first.wait_for()
    _settle(page)
    _shot_without_errors(page, "links")

    _visit(page, f"{url}/lists", "三张清单与双向认领")
    page.locator('[data-testid="stMetric"]').first.wait_for()
    page.locator('[data-testid="stDataFrame"]').first.wait_for()
    _settle(page)
    _shot_without_errors(page, "lists")

    _visit(page, f"{url}/data", "数据导入导出")
    _settle(page)
    page.locator('input[type="file"]').set_input_files(
        {"name": "bad.zip", "mimeType": "application/zip", "buffer": _bad_ledger()}
    )
    page.locator('[data-testid="stAlertContentError"]').first.wait_for()
    page.locator('[data-testid="stDataFrame"]').first.wait_for()
    _settle(page)
    assert "问题" in page.locator('[data-testid="stAlertContentError"]').first.inner_text()
    _shot(page, "data")

    assert requests, "no request was recorded"
    assert foreign(requests) == [], f"requests left this machine: {foreign(requests)}"


def seed_busiest_weak_village() -> str:
    """The weak village with the most links: the most telling picture of one neighbourhood."""
    data = seed_dataset()
    degree: dict[str, int] = {}
    for rows in data.links.values():
        for r in rows:
            degree[r["dst"]] = degree.get(r["dst"], 0) + 1
    weak = [r for r in data.nodes["Village"] if r["tier"] == "weak"] or data.nodes["Village"]
    return str(max(weak, key=lambda r: (degree.get(r["id"], 0), r["id"]))["name"])


def _bad_ledger() -> bytes:
    return zip_bytes({"villages.csv": "id,name,county,township,tier\nVX1,测试村,县,镇,很弱\n"})
