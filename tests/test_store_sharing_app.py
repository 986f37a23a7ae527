"""The app server and the CLI on one embedded store at once (#14): while `streamlit run app.py` serves a
signed-in page, `pairing backup` and `pairing load --replace` succeed from another process, the page then
shows the loaded data, and the backup restores to a store identical to the one it was taken from.

Before the store took its locks per write (`graph.store.locks`), the server held the file from its first
page on, and every CLI command on it failed with Ladybug's "Could not set lock".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from graph import accounts, interchange
from graph.store import GraphStore, LadybugStore
from tests.fixtures import (
    APP,
    CHROMIUM,
    assert_same_graph,
    invoke,
    require_browser,
    sign_in_browser,
    store_file,
    streamlit_app,
    synth_dataset,
)
from tests.test_browser import CHROMIUM_ARGS, PAGE_TIMEOUT_MS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ADMIN, PASSWORD = "admin", "sharing-test-password"
OVERVIEW = "总览"


def _weak_villages_shown(page: Any) -> int:
    metric = page.locator('[data-testid="stMetric"]').filter(has=page.get_by_text("后进村", exact=True))
    return int(metric.locator('[data-testid="stMetricValue"]').inner_text().replace(",", ""))


def _weak(store: GraphStore) -> int:
    return sum(1 for v in store.read("export/villages") if v["tier"] == "weak")


def test_the_cli_backs_up_and_loads_while_the_app_serves(tmp_path: Path) -> None:
    require_browser()
    from playwright.sync_api import sync_playwright

    db = store_file(tmp_path / "served.lbug", "seed", [(ADMIN, PASSWORD, accounts.ADMIN)])
    ledger = tmp_path / "county"
    interchange.write_folder(synth_dataset("county"), ledger)
    with streamlit_app(APP, db, tmp_path / "streamlit.log") as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(locale="zh-CN").new_page()
            page.set_default_timeout(PAGE_TIMEOUT_MS)
            # The server's session has opened the store and rendered a page from it.
            sign_in_browser(page, url, ADMIN, PASSWORD, OVERVIEW)
            with LadybugStore(Path(db)) as store:
                assert _weak_villages_shown(page) == _weak(store)
                graph, system = store.dump(), store.system_rows()

            invoke("--db", db, "backup", str(tmp_path / "backup.lbug"))
            # The synthetic county has far fewer needs and activities than the seed: a shrink, and meant.
            invoke("--db", db, "load", "--replace", "--yes-shrink", str(ledger))

            # A new session of the same server: the store it shares shows the loaded ledger.
            sign_in_browser(page, url, ADMIN, PASSWORD, OVERVIEW)
            with LadybugStore(Path(db)) as store:
                loaded = _weak(store)
            assert loaded != len([v for v in graph.nodes["Village"] if v["tier"] == "weak"])
            page.wait_for_function(
                "n => [...document.querySelectorAll('[data-testid=\"stMetricValue\"]')]"
                ".some(e => e.innerText.replace(/,/g, '') === String(n))",
                arg=loaded,
            )
            assert _weak_villages_shown(page) == loaded
        finally:
            browser.close()

    restored = tmp_path / "restored.lbug"
    invoke("--db", str(restored), "restore", "--yes", str(tmp_path / "backup.lbug"))
    with LadybugStore(restored) as store:
        assert_same_graph(store.dump(), graph)
        rows = store.system_rows()
        rows["AuditEntry"] = [e for e in rows["AuditEntry"] if e["action"] != "restore"]
        assert rows == system
