"""The data page's change preview under AppTest: what an import changes, newer hand edits, one county's replace.

An older export uploaded after a planner's hand edit shows the edit as a value that would be reverted, and
the import button works only once the admin has ticked that the edit is to be overwritten; afterwards the
page says what changed (never "没有变化" when a value did). Hostile text in a changed value is shown as text.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from graph import accounts, audit, interchange, writes
from graph.dataset import Dataset
from graph.ui import i18n, state
from tests.fixtures import app_test, frame_with, store_file, zip_bytes
from tests.test_cli_load_changes import _county_ledger, _drop_villages

ADMIN = "测试管理员"
ALICE = "规划员甲"
USERS = [(ADMIN, "admin-password-1", accounts.ADMIN)]
HOSTILE = '<script>alert("x")</script> **粗体** [点我](javascript:alert(1)) ![i](http://evil.example/x.png)'


def _zip(data: Dataset, tmp: Path, name: str) -> bytes:
    folder = tmp / name
    interchange.write_folder(data, folder)
    return zip_bytes({f.name: f.read_text(encoding="utf-8-sig") for f in sorted(folder.iterdir())})


def _page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, location: str | None = None) -> tuple[AppTest, str]:
    """The data page on the seed at `location` (an `any_location` store), or on a new Ladybug file."""
    db = location or store_file(tmp_path / "changes.lbug", "seed", USERS)
    at = app_test(db, monkeypatch, user=ADMIN, timeout=120)
    at.run()
    at.switch_page("graph/ui/data_page.py").run()
    return at, db


def _markdown_text(at: AppTest) -> str:
    kinds = ("markdown", "caption", "success", "info", "warning", "error")
    parts = [getattr(e, "value", "") for kind in kinds for e in at.get(kind)]
    return "\n".join(str(p) for p in parts)


def test_an_older_upload_after_a_hand_edit_needs_the_overwrite_confirmation(
    tmp_path: Path, any_location: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    at, db = _page(tmp_path, monkeypatch, any_location("seed", USERS))
    store = state._open(db)
    old = store.dump()
    upload = _zip(old, tmp_path, "old")
    pairing = old.links["PAIRED_WITH"][0]
    writes.update_link(store, "pairing", pairing["src"], pairing["dst"], pairing["since"], funds=77.25, actor=ALICE)

    at.file_uploader(key="data_upload").upload("old.zip", upload, "application/zip").run()
    assert not at.exception and not at.error
    summary = frame_with(at, i18n.t("data.col_unchanged"))
    row = summary[summary[i18n.t("data.col_kind")] == i18n.kind_name("PAIRED_WITH")]
    assert list(row[i18n.t("data.col_changed")]) == [1] and list(row[i18n.t("data.col_unchanged")]) == [188]
    changed = frame_with(at, i18n.t("data.col_becomes"))
    assert list(changed[i18n.t("col.property")]) == ["funds"]
    assert list(changed[i18n.t("data.col_was")]) == ["77.25"]
    assert list(changed[i18n.t("data.col_becomes")]) == [str(pairing["funds"])]
    newer = frame_with(at, i18n.t("data.col_by"))
    assert list(newer[i18n.t("data.col_by")]) == [ALICE] and list(newer[i18n.t("col.property")]) == ["funds"]
    assert at.warning and at.button(key="data_import").disabled

    at.checkbox(key="data_overwrite_newer").check().run()
    assert not at.button(key="data_import").disabled
    at.button(key="data_import").click().run()
    assert not at.exception and not at.error
    done = [s.value for s in at.success if s.value.startswith(i18n.t("data.imported", changes=""))]
    assert len(done) == 1 and i18n.t("data.no_change") not in done[0]
    assert i18n.t("data.did_change", n=1) in done[0]
    funds = {(r["src"], r["dst"], r["since"]): r["funds"] for r in store.dump().links["PAIRED_WITH"]}
    assert funds[(pairing["src"], pairing["dst"], pairing["since"])] == pairing["funds"]
    entry = audit.entries(store, action="import")[-1]
    assert entry.actor == ADMIN and entry.after is not None
    assert entry.after["changes"]["PAIRED_WITH"]["changed_rows"] == [
        {
            "row": [pairing["src"], pairing["dst"], pairing["since"].isoformat()],
            "props": {"funds": [77.25, pairing["funds"]]},
        }
    ]
    assert entry.after["overwritten"][0]["actor"] == ALICE


def test_the_same_ledger_again_says_nothing_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at, db = _page(tmp_path, monkeypatch)
    upload = _zip(state._open(db).dump(), tmp_path, "same")
    at.file_uploader(key="data_upload").upload("same.zip", upload, "application/zip").run()
    assert any(i.value == i18n.t("data.nothing_changes") for i in at.info)
    at.button(key="data_import").click().run()
    assert [s.value for s in at.success][-1] == i18n.t("data.imported", changes=i18n.t("data.no_change"))


def test_hostile_text_in_a_changed_value_is_shown_as_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at, db = _page(tmp_path, monkeypatch)
    data = state._open(db).dump()
    target = data.nodes["Village"][0]
    was = target["name"]
    target["name"] = HOSTILE
    at.file_uploader(key="data_upload").upload("hostile.zip", _zip(data, tmp_path, "h"), "application/zip").run()
    assert not at.exception and not at.error
    changed = frame_with(at, i18n.t("data.col_becomes"))
    # Dataframe cells are plain text: the value exactly as written, nothing rendered.
    assert list(changed[i18n.t("data.col_becomes")]) == [HOSTILE] and list(changed[i18n.t("data.col_was")]) == [was]
    assert "<script>" not in _markdown_text(at) and "](javascript" not in _markdown_text(at)
    at.button(key="data_import").click().run()
    assert not at.exception and "<script>" not in _markdown_text(at)
    assert next(r for r in state._open(db).dump().nodes["Village"] if r["id"] == target["id"])["name"] == HOSTILE


def test_replace_one_county_from_the_page(
    tmp_path: Path, any_location: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    at, db = _page(tmp_path, monkeypatch, any_location("seed", USERS))
    store = state._open(db)
    data = store.dump()
    counties = sorted({r["county"] for r in data.nodes["Village"]})
    county = counties[1]
    ledger_data = _county_ledger(data, county)
    gone = {ledger_data.nodes["Village"][0]["id"]}
    _drop_villages(ledger_data, gone)
    others = [r for r in data.nodes["Village"] if r["county"] != county]

    at.checkbox(key="data_replace").check().run()
    assert at.selectbox(key="data_replace_county").options[1:] == counties
    at.selectbox(key="data_replace_county").select(county).run()
    at.file_uploader(key="data_upload").upload("county.zip", _zip(ledger_data, tmp_path, "c"), "application/zip").run()
    assert not at.exception and not at.error
    assert any(county in i.value for i in at.info)
    summary = frame_with(at, i18n.t("data.col_unchanged"))
    row = summary[summary[i18n.t("data.col_kind")] == i18n.kind_name("Village")]
    assert list(row[i18n.t("data.col_removed")]) == [1]
    at.button(key="data_import").click().run()
    assert not at.exception and not at.error
    after = store.dump()
    assert [r for r in after.nodes["Village"] if r["county"] != county] == others
    assert {r["id"] for r in after.nodes["Village"] if r["county"] == county} == {
        r["id"] for r in ledger_data.nodes["Village"]
    }
    assert audit.entries(store, action="import")[-1].before == {
        "counts": data.counts(),
        "replace": False,
        "county": county,
        "backup": audit.entries(store, action="import")[-1].before["backup"],  # type: ignore[index]
    }
