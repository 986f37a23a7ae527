"""The data page's side of the replace guards (security issue, hole 3), driven with AppTest.

An empty upload gets the problem table and no import button; a replace shows what it removes, and a
shrink's import button works only once the admin has typed the number of rows it removes; the
replaced store is backed up. Each fails on the code before the fix (the import button was offered).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from graph import accounts, backup, explore, ledger
from graph.reasons_zh import reason_text
from graph.ui import i18n, state
from tests.fixtures import app_test, frame_with, store_file, zip_bytes
from tests.security.test_replace_guards import _empty_xlsx, _headers_only

ADMIN = "测试管理员"
UPLOADS = {
    "zip-with-readme": ("ledger.zip", zip_bytes({"readme.txt": "台账说明\n"}), "application/zip"),
    "empty-xlsx": ("ledger.xlsx", _empty_xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "empty-folder": ("ledger.zip", zip_bytes({}), "application/zip"),  # an upload's folder is a ZIP: an empty one
    "header-only-csv": ("ledger.zip", zip_bytes(_headers_only()), "application/zip"),
}
SMALL = zip_bytes({"villages.csv": "id,name,county,township,tier\nVX1,测试新村,翠阳县,某镇,weak\n"})


def _page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[AppTest, str]:
    db = store_file(tmp_path / "replace.lbug", "county", [(ADMIN, "admin-password-1", accounts.ADMIN)])
    at = app_test(db, monkeypatch, user=ADMIN, timeout=120)
    at.run()
    at.switch_page("graph/ui/data_page.py").run()
    at.checkbox(key="data_replace").check().run()
    return at, db


def _import_buttons(at: AppTest) -> list[object]:
    return [b for b in at.button if b.key == "data_import"]


@pytest.mark.parametrize("shape", sorted(UPLOADS))
def test_an_empty_upload_shows_the_problem_and_no_import_button(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shape: str
) -> None:
    at, db = _page(tmp_path, monkeypatch)
    before = state._open(db).dump()
    name, data, mime = UPLOADS[shape]
    at.file_uploader(key="data_upload").upload(name, data, mime).run()
    assert not at.exception
    assert at.error and not at.success
    problems = frame_with(at, i18n.t("col.file"))
    assert list(problems[i18n.t("col.file")]) == [name]
    # In the interface's language (Chinese by default): the core's English reason, worded by the catalogue.
    assert problems[i18n.t("col.reason")][0] == reason_text(ledger.EMPTY_REASON, i18n.current_lang())
    assert not _import_buttons(at)
    assert state._open(db).dump() == before


def test_a_shrinking_replace_needs_the_typed_number_and_keeps_a_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at, db = _page(tmp_path, monkeypatch)
    store = state._open(db)
    before = store.counts()
    at.file_uploader(key="data_upload").upload("small.zip", SMALL, "application/zip").run()
    assert not at.exception
    # The preview: counts per label and type, and the villages that would go, by id and name.
    removed = frame_with(at, i18n.t("data.col_before"))
    villages_row = removed[removed[i18n.t("data.col_kind")] == i18n.kind_name("Village")]
    assert list(villages_row[i18n.t("data.col_removed")]) == [before["Village"]]
    assert list(villages_row[i18n.t("data.col_after")]) == [1]
    named = frame_with(at, i18n.t("data.col_id"))
    assert len(named) == 20 and named[i18n.t("data.col_id")][0] == min(r["id"] for r in store.dump().nodes["Village"])
    total = sum(before.values())
    shrunk = "、".join(i18n.kind_name(k) for k, n in before.items() if n)  # all but one village goes
    assert at.button(key="data_import").disabled
    at.text_input(key="data_shrink_confirm").input("12").run()
    assert at.button(key="data_import").disabled
    assert store.counts() == before and not backup.list_backups(db)
    at.text_input(key="data_shrink_confirm").input(str(total)).run()
    assert not at.button(key="data_import").disabled
    at.button(key="data_import").click().run()
    assert not at.exception
    # The click's run drew the preview before importing, so the shrink notice is still there; no other error.
    assert [e.value for e in at.error] == [i18n.t("data.shrink", share="50%", kinds=shrunk)]
    assert any(s.value.startswith(i18n.t("data.imported", changes="")) for s in at.success)
    assert store.counts()["Village"] == 1 and [h.id for h in explore.search(store, "测试新村")] == ["VX1"]
    saved = backup.list_backups(db)
    assert len(saved) == 1 and saved[0].counts == before
    assert any(str(saved[0].path) in info.value for info in at.info)


def test_a_replace_that_keeps_the_store_shows_nothing_removed_and_imports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at, db = _page(tmp_path, monkeypatch)
    store = state._open(db)
    before = store.counts()
    from graph import interchange

    folder = tmp_path / "same"
    interchange.write_folder(store.dump(), folder)
    files = {f.name: f.read_text(encoding="utf-8-sig") for f in folder.iterdir()}
    at.file_uploader(key="data_upload").upload("same.zip", zip_bytes(files), "application/zip").run()
    assert not at.exception and not at.error
    assert any(i18n.t("data.removes_nothing") in info.value for info in at.info)
    assert not at.button(key="data_import").disabled
    at.button(key="data_import").click().run()
    assert not at.exception and store.counts() == before
    assert len(backup.list_backups(db)) == 1
