"""The 数据 page's mapping panel: how an upload is read, sheet by sheet, with its first rows; an admin corrects
a sheet's table or a column's field and saves the result as a mapping template (TOML) to reuse next month.

The template is saved as a download, not on the server: the same file works with the CLI
(`pairing load LEDGER --template FILE`), with a Neo4j store that has no folder of its own, and stays with
the department that keeps the ledger. Next month it is chosen here again, with the month's ledger.

Every piece of the workbook's own text (sheet titles, headers, cells) is shown in dataframes or selectbox
options, which Streamlit shows as plain text, or through `md` in Markdown.
"""

from __future__ import annotations

import copy
import hashlib
from functools import partial
from pathlib import Path

import streamlit as st

from graph import interchange
from graph.errors import ValidationError
from graph.interchange import Report, SheetTemplate, Template
from graph.interchange._headers import column_letter
from graph.interchange._mapping import FieldRef, SheetMapping
from graph.interchange._report_text import field_text, how_text, metadata_text, reason_text, table_text
from graph.interchange._template import field_zh, fields
from graph.model import FILES
from graph.reasons_zh import problem_text
from graph.reasons_zh import reason_text as problem_reason
from graph.ui.i18n import current_lang, t
from graph.ui.text import md

SKIP = ""
TEMPLATE_UPLOAD = "mapping_template_upload"
DOWNLOAD = "mapping_download"
# The TOML last offered for download: what "save" would write (tests read it here).
SAVED = "mapping_toml"
_SEEN = "mapping_upload_seen"
_REPORTS = "mapping_reports"
_KEPT = 4  # readings kept per session: the upload as detected and with the last few corrections
_GRID = 3  # column selectboxes per line: a county sheet has twenty columns or more


def table_key(sheet: int) -> str:
    return f"mapping_table_{sheet}"


def column_key(sheet: int, table: str, index: int) -> str:
    # The table is part of the key: a sheet read as another table offers other fields.
    return f"mapping_col_{sheet}_{table}_{index}"


def _uploaded_template() -> Template | None:
    upload = st.file_uploader(t("mapping.template_upload"), type=["toml"], key=TEMPLATE_UPLOAD)
    if upload is None:
        return None
    try:
        text = upload.getvalue().decode("utf-8-sig")
        template = interchange.parse_template(text, Path(upload.name).name)
    except UnicodeDecodeError:
        st.error(
            t("mapping.template_bad")
            + "  \n"
            + md(f"{upload.name}: {problem_reason('not UTF-8 text', current_lang())}")
        )
        return None
    except ValidationError as exc:
        st.error(
            t("mapping.template_bad") + "  \n" + md("\n".join(problem_text(p, current_lang()) for p in exc.problems))
        )
        return None
    st.caption(t("mapping.template_used", name=md(upload.name)))
    return template


def _headers(mapping: SheetMapping) -> dict[int, tuple[str, str | None]]:
    """Column index -> (header, field text; "" when skipped, None when unknown), for every column with a header.

    An unknown column (or a second one read as the same field) is not "skipped" in the selectbox: choosing
    skip for it is the admin's decision.
    """
    found: dict[int, tuple[str, str | None]] = {m.index: (m.header, m.ref.text(mapping.table)) for m in mapping.columns}
    for skipped in mapping.skipped_columns:
        if skipped.header:
            undecided = skipped.reason in ("column_unknown", "column_duplicate")
            found.setdefault(skipped.index, (skipped.header, None if undecided else SKIP))
    return dict(sorted(found.items()))


def _forget_choices_of_another_upload(path: Path, digest: str, template: Template | None) -> None:
    """Corrections belong to one upload read with one template: a new file or template starts from its reading."""
    seen = (Path(path).name, digest, repr(template))
    if st.session_state.get(_SEEN) != seen:
        for key in [k for k in st.session_state if str(k).startswith(("mapping_col_", "mapping_table_"))]:
            del st.session_state[key]
        st.session_state[_SEEN] = seen


def _sheet(template: Template, mapping: SheetMapping) -> SheetTemplate:
    """The template's sheet for `mapping`, added (as detected) when the template has none yet."""
    sheet = template.sheets.get(mapping.title)
    if sheet is None:
        sheet = template.sheets[mapping.title] = SheetTemplate(mapping.title, mapping.table)
    return sheet


def _with_tables(report: Report, base: Template) -> Template | None:
    """`base` with the tables the admin chose for the sheets; None when no choice differs from the reading."""
    template = copy.deepcopy(base)
    changed = False
    for i, mapping in enumerate(report.mappings):
        chosen = st.session_state.get(table_key(i))
        if chosen is not None and chosen != (mapping.table or SKIP):
            sheet = _sheet(template, mapping)
            sheet.table, sheet.columns, changed = chosen or None, {}, True
    return template if changed else None


def _with_columns(report: Report, base: Template) -> Template | None:
    """`base` with the fields the admin chose for the columns; None when no choice differs from the reading."""
    template = copy.deepcopy(base)
    changed = False
    for i, mapping in enumerate(report.mappings):
        if mapping.table is None:
            continue
        for index, (header, current) in _headers(mapping).items():
            chosen = st.session_state.get(column_key(i, mapping.table, index))
            if chosen is not None and chosen != current:
                _sheet(template, mapping).columns[header] = chosen or None
                changed = True
    return template if changed else None


def _field_label(table: str, text: str, *, lang: str) -> str:
    if text == SKIP:
        return t("mapping.skip")
    zh = field_zh(FieldRef.parse(text, table))
    if not zh:
        return text
    return f"{zh}（{text}）" if lang == "zh" else f"{text} ({zh})"


def _report(path: Path, digest: str, template: Template | None) -> Report:
    """What reading the upload with `template` decides; kept for the session, as each click reruns the page
    and a province's ledger takes seconds to read. References are not resolved against the store: the
    mapping does not depend on them (the page's own check does that)."""
    key = (Path(path).name, digest, repr(template))
    kept: dict[tuple[str, str, str], Report] = st.session_state.setdefault(_REPORTS, {})
    if key not in kept:
        if len(kept) >= _KEPT:
            kept.pop(next(iter(kept)))
        kept[key] = interchange.inspect(path, template=template).report
    return kept[key]


def _table_label(table: str, *, lang: str) -> str:
    return t("mapping.skip") if table == SKIP else table_text(table, lang)


def _show_sheet(i: int, mapping: SheetMapping, lang: str) -> None:
    title = md(mapping.title)
    if mapping.table is None:
        reason = reason_text(mapping.skipped or "sheet_unmatched", lang)
        st.markdown("**" + t("mapping.sheet_skipped", title=title, reason=md(reason)) + "**")
    else:
        rows = "、".join(map(str, mapping.header_rows)) or "?"
        st.markdown(
            "**" + t("mapping.sheet_read", title=title, table=md(table_text(mapping.table, lang)), rows=rows) + "**"
        )
    options = [SKIP, *FILES]
    current = mapping.table or SKIP
    st.selectbox(
        t("mapping.table_select", title=title),
        options,
        index=options.index(current),
        format_func=partial(_table_label, lang=lang),
        key=table_key(i),
    )
    if mapping.table is not None:
        table = mapping.table
        st.caption(t("mapping.fields"))
        choices = [SKIP, *fields(table)]
        grid = st.columns(_GRID)
        for n, (index, (header, text)) in enumerate(_headers(mapping).items()):
            # Another table's field (a roster's station column) is offered as it is.
            here = choices if text is None or text in choices else [*choices, text]
            grid[n % _GRID].selectbox(
                t("mapping.column_select", letter=column_letter(index), header=md(" ".join(header.split()))),
                here,
                index=None if text is None else here.index(text),
                placeholder=t("mapping.unknown"),
                format_func=partial(_field_label, table, lang=lang),
                key=column_key(i, table, index),
            )
        st.dataframe(
            [
                {
                    t("mapping.col_column"): column_letter(m.index),
                    t("mapping.col_header"): m.header,
                    t("mapping.col_field"): field_text(m, table),
                    t("mapping.col_how"): how_text(m.how, lang),
                }
                for m in mapping.columns
            ],
            hide_index=True,
            width="stretch",
        )
    if mapping.skipped_columns:
        st.caption(t("mapping.skipped_columns"))
        st.dataframe(
            [
                {
                    t("mapping.col_column"): column_letter(s.index),
                    t("mapping.col_header"): s.header,
                    t("mapping.col_reason"): reason_text(s.reason, lang),
                }
                for s in mapping.skipped_columns
            ],
            hide_index=True,
            width="stretch",
        )
    if mapping.skipped_rows:
        st.caption(t("mapping.skipped_rows"))
        st.dataframe(
            [
                {
                    t("mapping.col_row"): row,
                    t("mapping.col_text"): text,
                    t("mapping.col_reason"): reason_text(code, lang),
                }
                for row, code, text in mapping.skipped_rows
            ],
            hide_index=True,
            width="stretch",
        )
    if mapping.preview:
        st.caption(t("mapping.preview"))
        width = max(len(cells) for _, cells in mapping.preview)
        st.dataframe(
            [
                {
                    t("mapping.col_row"): number,
                    **{column_letter(c): (cells[c] if c < len(cells) else "") for c in range(width)},
                }
                for number, cells in mapping.preview
            ],
            hide_index=True,
            width="stretch",
        )


def saved_template(report: Report, base: Template) -> Template:
    """What "save" writes: every sheet and column as now read, and the value words of the reading and of `base`."""
    found = interchange.suggest(report)
    for column, words in base.values.items():
        found.values[column] = {**found.values.get(column, {}), **words}
    return found


def render(path: Path) -> Template | None:
    """Show how the upload at `path` is read and let the admin correct it; the template to validate and import
    it with (None: as detected)."""
    lang = current_lang()
    st.subheader(t("mapping.title"))
    st.caption(t("mapping.intro"))
    uploaded = _uploaded_template()
    base = uploaded or Template()
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    _forget_choices_of_another_upload(path, digest, uploaded)
    report = _report(path, digest, uploaded)
    # A correction reads the upload again with it (once: readings are kept for the session).
    tables = _with_tables(report, base)
    if tables is not None:
        base, report = tables, _report(path, digest, tables)
    columns = _with_columns(report, base)
    if columns is not None:
        base, report = columns, _report(path, digest, columns)
    if not report.mappings:
        return uploaded  # nothing read (not a ledger): the page's own check says what is wrong with the file
    if tables is not None or columns is not None:
        st.info(t("mapping.corrected"))
    ledger_said = metadata_text(report, lang)
    if ledger_said is not None:
        st.caption(md(ledger_said))
    for i, mapping in enumerate(report.mappings):
        with st.container(border=True):
            _show_sheet(i, mapping, lang)
    words = [
        {t("mapping.col_field"): column, t("mapping.col_word"): word, t("mapping.col_code"): code}
        for column, found in report.words.items()
        for word, code in found.items()
    ]
    if words:
        st.caption(t("mapping.words"))
        st.dataframe(words, hide_index=True, width="stretch")
    if report.further:  # the others are in each sheet's mapping above
        st.caption(t("mapping.notes"))
        st.dataframe(
            [{t("mapping.col_note"): note.text(lang)} for note in report.further],
            hide_index=True,
            width="stretch",
        )
    text = interchange.write_template(saved_template(report, base))
    st.session_state[SAVED] = text
    st.download_button(
        t("mapping.download"),
        text.encode("utf-8"),
        f"{Path(path).stem}.mapping.toml",
        "application/toml",
        key=DOWNLOAD,
    )
    st.caption(t("mapping.save_note"))
    changed = uploaded is not None or tables is not None or columns is not None
    return base if changed else None
