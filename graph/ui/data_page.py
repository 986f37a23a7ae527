"""Data page: upload a ledger, see every problem first, then what the import changes; import on confirmation.

The preview is `ledger.preview`'s: per label and type the rows added, changed (each property, before →
after), unchanged and removed; the hand edits made after the ledger's date that it would overwrite,
which need a confirmation; for a replace (of the store or of one county) what it removes.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import streamlit as st

from graph import explore, ledger
from graph.dataset import Dataset
from graph.errors import PairingError, Problem, ValidationError
from graph.import_changes import MERGE, Changes, NewerEdit
from graph.reasons_zh import reason_text
from graph.store import GraphStore
from graph.ui import auth, i18n, mapping_panel, state
from graph.ui.i18n import t
from graph.ui.text import md


def problem_rows(problems: list[Problem], lang: str | None = None) -> list[dict[str, object]]:
    """The problems as table rows, each reason in the interface language (the core writes them in English)."""
    lang = lang or i18n.current_lang()
    return [
        {
            t("col.file"): p.file,
            t("col.row"): p.row,
            t("col.column"): p.column,
            t("col.value_cell"): p.value,
            t("col.reason"): reason_text(p.reason, lang),
        }
        for p in problems
    ]


# How many changed properties the preview lists (the counts above it are always complete).
CHANGED_ROWS = 200


def _counts_text(dataset: Dataset) -> str:
    return ", ".join(f"{k} {v}" for k, v in dataset.counts().items() if v)


def _upload() -> None:
    # Importing reaches beyond one county: admins only. Others see why, and no uploader or import button.
    reason = auth.denial("import")
    if reason is not None:
        st.info(reason)
        return
    upload = st.file_uploader(t("data.upload"), type=["xlsx", "zip"], key="data_upload")
    left, right = st.columns(2)
    replace = left.checkbox(t("data.replace"), value=False, key="data_replace")
    county = ""
    if replace:
        counties = sorted({p.county for p in explore.places(state.store()) if p.county})
        # "" replaces the whole store; a county replaces that county's part only (`ledger.load(replace_county=…)`).
        county = right.selectbox(
            t("data.replace_county"),
            ["", *counties],
            format_func=lambda c: c or t("data.whole_store"),
            key="data_replace_county",
        )
    if upload is None:
        return
    # The ledger API reads paths; the upload keeps its own name so that problems cite it. The file
    # lives for this run only: the import button's run writes it again from the same upload.
    with tempfile.TemporaryDirectory(prefix="pairing-upload-") as tmp:
        path = Path(tmp) / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        _check_and_import(path, replace and not county, county or None)


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


def summary_rows(changes: Changes) -> list[dict[str, object]]:
    """Per label and type with any rows on either side: added, changed, unchanged, removed (or kept by a merge)."""
    out = []
    for kind, table in changes.tables.items():
        c = table.counts()
        if not any(c.values()):
            continue
        row: dict[str, object] = {
            t("data.col_kind"): i18n.kind_name(kind),
            t("data.col_added"): c["added"],
            t("data.col_changed"): c["changed"],
            t("data.col_unchanged"): c["unchanged"],
        }
        if changes.mode == MERGE:
            row[t("data.col_kept")] = c["kept"]
        else:
            row[t("data.col_removed")] = c["removed"]
        out.append(row)
    return out


def _value(value: object) -> str:
    if value is None or value == []:
        return t("data.blank")
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def changed_rows(changes: Changes, limit: int = CHANGED_ROWS) -> list[dict[str, object]]:
    """The first `limit` changed properties: row, property, before, after (dataframe cells: plain text)."""
    out: list[dict[str, object]] = []
    for kind, table in changes.tables.items():
        for change in table.changed:
            for prop, (before, after) in change.props.items():
                if len(out) == limit:
                    return out
                out.append(
                    {
                        t("data.col_kind"): i18n.kind_name(kind),
                        t("data.col_row"): changes.row_name(kind, change.key),
                        t("col.property"): prop,
                        t("data.col_was"): _value(before),
                        t("data.col_becomes"): _value(after),
                    }
                )
    return out


def newer_rows(edits: list[NewerEdit]) -> list[dict[str, object]]:
    return [
        {
            t("data.col_kind"): i18n.kind_name(e.kind),
            t("data.col_row"): e.row,
            t("col.property"): e.prop or t("data.removed_link"),
            t("data.col_by"): e.actor,
            t("data.col_at"): e.at.isoformat(timespec="seconds"),
            t("data.col_was"): _value(e.store) if e.prop else "",
            t("data.col_becomes"): _value(e.ledger) if e.prop else t("data.removed_link"),
        }
        for e in edits
    ]


def _show_changes(changes: Changes) -> None:
    st.subheader(t("data.changes"))
    if changes.empty:
        st.info(t("data.nothing_changes"))
        return
    st.dataframe(summary_rows(changes), hide_index=True, width="content")
    shown = changed_rows(changes)
    total = changes.changed_props()
    if shown:
        st.caption(t("data.changed_values", shown=len(shown), n=total))
        st.dataframe(shown, hide_index=True, width="stretch")


def _confirm_newer(plan: ledger.Preview) -> bool:
    """Name the hand edits the import would overwrite; True once the admin has ticked that they are to go."""
    if not plan.newer:
        return True
    since = plan.since.date().isoformat() if plan.since is not None else t("data.no_date")
    st.warning(t("data.newer", n=len(plan.newer), since=md(since)))
    st.dataframe(newer_rows(plan.newer), hide_index=True, width="stretch")
    return bool(st.checkbox(t("data.overwrite_newer", n=len(plan.newer)), value=False, key="data_overwrite_newer"))


def _imported_text(changes: Changes | None) -> str:
    """What the import did, per label and type; "没有变化" only when nothing at all changed."""
    if changes is None or changes.empty:
        return t("data.no_change")
    parts = []
    for kind, table in changes.tables.items():
        if table.empty:
            continue
        said = [
            t(f"data.did_{word}", n=len(rows))
            for word, rows in (("add", table.added), ("change", table.changed), ("remove", table.removed))
            if rows
        ]
        parts.append(f"{i18n.kind_name(kind)} " + "、".join(said))
    return "；".join(parts)


def _check_and_import(path: Path, replace: bool, county: str | None = None) -> None:
    store = state.store()
    # How the upload is read, corrected by the admin: the template the check and the import use.
    template = mapping_panel.render(path)
    try:
        # An upload's file is written as it arrives: its time says nothing of the ledger (file_time=False).
        plan = ledger.preview(store, path, replace=replace, replace_county=county, template=template, file_time=False)
    except ValidationError as exc:
        _show_problems(exc)
        return
    except PairingError as exc:
        st.error(t("data.bad_file", error=md(exc)))
        return
    st.success(t("data.valid", counts=md(_counts_text(plan.dataset))))
    if county:
        st.info(t("data.county_scope", county=md(county)))
    _show_changes(plan.changes)
    ready = _preview_replace(store, plan.removal) if plan.removal is not None else True
    confirmed = _confirm_newer(plan)
    ready = ready and confirmed
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
                replace_county=county,
                actor=account.username if account else None,
                # Only a shrink the admin confirmed above; one that appeared since is refused by the core.
                allow_shrink=plan.removal is not None and plan.removal.shrinks,
                overwrite_newer=bool(plan.newer) and confirmed,
                template=template,
                file_time=False,
            )
        except ValidationError as exc:  # the store changed between the check and the import
            _show_problems(exc)
            return
        except PairingError as exc:  # a shrink or a hand edit that appeared since the preview, or the store refused
            st.error(t("data.failed", error=md(reason_text(str(exc), i18n.current_lang()))))
            return
        st.success(t("data.imported", changes=md(_imported_text(report.changes))))
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
