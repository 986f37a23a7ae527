"""Data page: upload a ledger, see every problem first, import on confirmation; export everything."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import streamlit as st

from graph import ledger
from graph.dataset import Dataset
from graph.errors import PairingError, Problem, ValidationError
from graph.ui import auth, state
from graph.ui.i18n import t
from graph.ui.text import md


def problem_rows(problems: list[Problem]) -> list[dict[str, object]]:
    return [
        {
            t("col.file"): p.file,
            t("col.row"): p.row,
            t("col.column"): p.column,
            t("col.value_cell"): p.value,
            t("col.reason"): p.reason,
        }
        for p in problems
    ]


def _counts_text(dataset: Dataset) -> str:
    return ", ".join(f"{k} {v}" for k, v in dataset.counts().items() if v)


def _upload() -> None:
    # Importing reaches beyond one county: admins only. Others see why, and no uploader or import button.
    reason = auth.denial("import")
    if reason is not None:
        st.info(reason)
        return
    upload = st.file_uploader(t("data.upload"), type=["xlsx", "zip"], key="data_upload")
    replace = st.checkbox(t("data.replace"), value=False, key="data_replace")
    if upload is None:
        return
    # The ledger API reads paths; the upload keeps its own name so that problems cite it. The file
    # lives for this run only: the import button's run writes it again from the same upload.
    with tempfile.TemporaryDirectory(prefix="pairing-upload-") as tmp:
        path = Path(tmp) / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        _check_and_import(path, replace)


def _check_and_import(path: Path, replace: bool) -> None:
    store = state.store()
    try:
        dataset = ledger.validate(path, None if replace else store)
    except ValidationError as exc:
        st.error(t("data.problems", n=len(exc.problems)))
        st.dataframe(problem_rows(exc.problems), hide_index=True, width="stretch")
        return
    except PairingError as exc:
        st.error(t("data.bad_file", error=md(exc)))
        return
    st.success(t("data.valid", counts=md(_counts_text(dataset))))
    if st.button(t("data.import"), key="data_import", type="primary"):
        # Checked again on the click: the account may have changed since the page was drawn.
        if not auth.require_write(None, "import"):
            return
        account = auth.current()
        try:
            report = ledger.load(store, path, replace=replace, actor=account.username if account else None)
        except ValidationError as exc:  # the store changed between the check and the import
            st.error(t("data.problems", n=len(exc.problems)))
            st.dataframe(problem_rows(exc.problems), hide_index=True, width="stretch")
            return
        changes = ", ".join(f"{k} {v:+d}" for k, v in report.added.items() if v) or t("data.no_change")
        st.success(t("data.imported", changes=md(changes)))


def export_zip() -> bytes:
    """The whole store as the interchange format's CSV files in one ZIP."""
    with tempfile.TemporaryDirectory(prefix="pairing-export-") as tmp:
        folder = ledger.export(state.store(), Path(tmp) / "export")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for file in sorted(folder.iterdir()):
                archive.write(file, file.name)
        return buffer.getvalue()


def export_xlsx() -> bytes:
    with tempfile.TemporaryDirectory(prefix="pairing-export-") as tmp:
        return ledger.export(state.store(), Path(tmp) / "export.xlsx").read_bytes()


def _export() -> None:
    st.subheader(t("data.export"))
    counts = state.store().counts()
    st.dataframe([{t("col.name"): k, t("col.count"): v} for k, v in counts.items()], hide_index=True, width="content")
    # Building the files reads the whole store: only when asked, not on every rerun.
    if st.button(t("data.prepare"), key="data_prepare"):
        st.session_state["data_export"] = (export_zip(), export_xlsx())
    prepared = st.session_state.get("data_export")
    if prepared:
        cols = st.columns(2)
        cols[0].download_button(
            t("data.export_zip"), prepared[0], "pairing-export.zip", "application/zip", key="data_dl_zip"
        )
        cols[1].download_button(
            t("data.export_xlsx"),
            prepared[1],
            "pairing-export.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="data_dl_xlsx",
        )


def render() -> None:
    st.title(t("data.title"))
    _upload()
    st.divider()
    _export()


if __name__ == "__main__":
    render()
