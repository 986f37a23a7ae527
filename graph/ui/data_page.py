"""Data page: upload a ledger, see every problem first, import on confirmation; export everything."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import streamlit as st

from graph import backup, ledger
from graph.dataset import Dataset
from graph.errors import PairingError, Problem, ValidationError
from graph.store import GraphStore
from graph.ui import auth, i18n, mapping_panel, state
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


def _show_problems(exc: ValidationError) -> None:
    # `total` counts the problems past the kept ones too (a bomb keeps a few of each kind).
    st.error(t("data.problems", n=f"{exc.total:,}"))
    st.dataframe(problem_rows(exc.problems), hide_index=True, width="stretch")


def removal_rows(removal: ledger.Removal) -> list[dict[str, object]]:
    """What a replace would remove, per label and type with any rows in the store or the ledger."""
    return [
        {
            t("data.col_kind"): i18n.kind_name(k),
            t("data.col_before"): n,
            t("data.col_removed"): removal.removed.get(k, 0),
            t("data.col_after"): removal.after.get(k, 0),
        }
        for k, n in removal.before.items()
        if n or removal.after.get(k, 0)
    ]


def _preview_replace(store: GraphStore, removal: ledger.Removal) -> bool:
    """Show what the replace removes; True when it may go ahead (a shrink only once its number is typed)."""
    if not backup.can_keep(store):
        # The core refuses a replace it cannot back up; the CLI's --no-backup is the way, after a dump.
        st.error(t("data.no_backup", location=store.location))
        return False
    st.caption(t("data.backup_note"))
    if not removal.total:
        st.info(t("data.removes_nothing"))
        return True
    st.warning(t("data.removes", n=removal.total))
    st.dataframe(removal_rows(removal), hide_index=True, width="content")
    if removal.villages:
        st.caption(t("data.removed_villages", shown=len(removal.villages), n=removal.removed.get("Village", 0)))
        st.dataframe(
            [{t("data.col_id"): vid, t("col.name"): name} for vid, name in removal.villages],
            hide_index=True,
            width="content",
        )
    if not removal.shrinks:
        return True
    kinds = "、".join(i18n.kind_name(k) for k in removal.shrinking)
    st.error(t("data.shrink", share=f"{ledger.SHRINK_SHARE:.0%}", kinds=kinds))
    # A typed number, not a checkbox: the admin has to read the preview to get it right.
    typed = st.text_input(t("data.shrink_confirm", n=removal.total), key="data_shrink_confirm")
    return typed.strip() == str(removal.total)


def _check_and_import(path: Path, replace: bool) -> None:
    store = state.store()
    removal: ledger.Removal | None = None
    # How the upload is read, corrected by the admin: the template the check and the import use.
    template = mapping_panel.render(path)
    try:
        if replace:
            dataset, removal = ledger.preview(store, path, template=template)
        else:
            dataset = ledger.validate(path, store, template=template)
    except ValidationError as exc:
        _show_problems(exc)
        return
    except PairingError as exc:
        st.error(t("data.bad_file", error=md(exc)))
        return
    st.success(t("data.valid", counts=md(_counts_text(dataset))))
    ready = _preview_replace(store, removal) if removal is not None else True
    if st.button(t("data.import"), key="data_import", type="primary", disabled=not ready) and ready:
        # Checked again on the click: the account may have changed since the page was drawn.
        if not auth.require_write(None, "import"):
            return
        account = auth.current()
        try:
            report = ledger.load(
                store,
                path,
                replace=replace,
                actor=account.username if account else None,
                # Only a shrink the admin confirmed above; one that appeared since is refused by the core.
                allow_shrink=removal is not None and removal.shrinks,
                template=template,
            )
        except ValidationError as exc:  # the store changed between the check and the import
            _show_problems(exc)
            return
        except PairingError as exc:  # a shrink that appeared since the preview, or the store refused
            st.error(t("data.failed", error=exc))
            return
        changes = ", ".join(f"{k} {v:+d}" for k, v in report.added.items() if v) or t("data.no_change")
        st.success(t("data.imported", changes=md(changes)))
        if report.backup is not None:
            st.info(t("data.backup_saved", path=md(str(report.backup))))


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
