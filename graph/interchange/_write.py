"""Writing a Dataset in the interchange format: a CSV folder or one XLSX workbook.

Output is byte-stable (sorted rows, fixed timestamps inside the workbook) so that two exports
of the same graph compare equal, and every cell reads back to the value it came from.
"""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from graph.dataset import Dataset
from graph.interchange._assemble import no_cycle_collection
from graph.interchange._cells import FORMULA_START, VALUE_WORDS, fold
from graph.model import COLUMN_RELS, NODES, REL_BY_FILE, Prop, PType, RelSpec

# A value starting with one of these gets a leading `'`, which the reader removes again.
_QUOTED_START = FORMULA_START + "'"
# Excel keeps 15–17 significant digits; larger integers are written as text to stay exact.
_EXACT_INT = 10**15
_FIXED_TIME = "2000-01-01T00:00:00Z"
_CORE_TIMES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def neutralise(text: str) -> str:
    """Stop Excel from reading the cell as a formula (CSV injection)."""
    return "'" + text if text and (text[0] in _QUOTED_START or _value_word(text)) else text


def _value_word(text: str) -> bool:
    """Text a county ledger would mean as a value word (无, 至今): quoted, so that it reads back as written."""
    return len(text) < 4 and fold(text) in VALUE_WORDS


def _order(value: Any) -> tuple[bool, Any]:
    return (value is not None, tuple(value) if isinstance(value, list) else value)


def _column_links(dataset: Dataset, rel: RelSpec) -> dict[str, str]:
    """Each node's other end of a link written as a column of its file (a cadre's sending unit, a need's village)."""
    (label,) = rel.src_labels
    nodes = {row["id"] for row in dataset.nodes.get(label, [])}
    ends: dict[str, str] = {}
    for link in dataset.links.get(rel.type, []):
        if link["src"] not in nodes:
            raise ValueError(f"{rel.type} link from {link['src']}, which is not a {label} in the dataset")
        if link["src"] in ends:
            raise ValueError(f"{label} {link['src']} has more than one {rel.dst.name} ({rel.type})")
        ends[link["src"]] = link["dst"]
    return ends


def tables(dataset: Dataset) -> Iterator[tuple[str, tuple[Prop, ...], list[list[Any]]]]:
    """(file name, its columns, the values of each column) for every file of the format, rows in a fixed order."""
    linked = {(r.file, r.dst.name): _column_links(dataset, r) for r in COLUMN_RELS}
    for spec in NODES:
        nodes = sorted(dataset.nodes.get(spec.label, []), key=lambda r: r["id"])
        columns = []
        for prop in spec.props:
            if prop.name in spec.link_columns:
                ends = linked[spec.file, prop.name]
                columns.append([ends.get(node["id"]) for node in nodes])
            else:
                columns.append([node.get(prop.name) for node in nodes])
        yield spec.file, spec.props, columns
    for key, rel in REL_BY_FILE.items():
        names = [p.name for p in rel.props]
        order = [*rel.key, *(n for n in names if n not in rel.key)]
        links = sorted(
            dataset.links.get(rel.type, []),
            key=lambda r: (r["src"], r["dst"], *(_order(r.get(n)) for n in order)),
        )
        columns = [[r["src"] for r in links], [r["dst"] for r in links], *([r.get(n) for r in links] for n in names)]
        yield key, rel.columns, columns


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return neutralise(";".join(value))
    raise TypeError(f"cannot write {type(value).__name__} value {value!r}")


def csv_column(prop: Prop, values: list[Any]) -> list[str]:
    """A column's cells as text; the common types inline, as a province export has millions of cells."""
    quoted = _QUOTED_START
    if prop.type is PType.STRING:
        return [
            ("'" + v if v and (v[0] in quoted or _value_word(v)) else v) if type(v) is str else csv_cell(v)
            for v in values
        ]
    if prop.type is PType.STRINGS:
        return [neutralise(";".join(v)) if type(v) is list and v else csv_cell(v or None) for v in values]
    if prop.type is PType.DATE:
        return [v.isoformat() if type(v) is date else csv_cell(v) for v in values]
    if prop.type is PType.FLOAT:
        return [repr(v) if type(v) is float else csv_cell(v) for v in values]
    return [csv_cell(v) for v in values]


def write_folder(dataset: Dataset, path: Path) -> None:
    """Write every file of the format into the folder PATH, as UTF-8 with BOM so that Excel shows Chinese."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    with no_cycle_collection():
        for key, props, columns in tables(dataset):
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\r\n")
            writer.writerow([p.name for p in props])
            writer.writerows(zip(*(csv_column(p, c) for p, c in zip(props, columns, strict=True)), strict=True))
            _replace(path / f"{key}.csv", buffer.getvalue().encode("utf-8-sig"))


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return value if abs(value) < _EXACT_INT else str(value)
    if isinstance(value, float):
        # openpyxl writes 16 significant digits; the rare float needing 17 goes as exact text.
        return value if float(f"{value:.16g}") == value else repr(value)
    if isinstance(value, datetime):
        raise TypeError(f"cannot write datetime value {value!r}; dates only")
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=datetime(value.year, value.month, value.day))
        cell.number_format = "yyyy-mm-dd"
        return cell
    return csv_cell(value)


def write_xlsx(dataset: Dataset, path: Path) -> None:
    """Write one workbook with a sheet per file of the format."""
    import openpyxl  # slow to import; only workbook export needs it

    workbook = openpyxl.Workbook(write_only=True)
    with no_cycle_collection():
        for key, props, columns in tables(dataset):
            sheet = workbook.create_sheet(key)
            sheet.freeze_panes = "A2"
            sheet.append([p.name for p in props])
            for row in zip(*columns, strict=True):
                sheet.append([_xlsx_cell(sheet, v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    _replace(Path(path), _stable_zip(buffer.getvalue()))


def _stable_zip(data: bytes) -> bytes:
    """The same archive with fixed timestamps, so that equal data gives equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "docProps/core.xml":
                content = _CORE_TIMES.sub(rb"\g<1>" + _FIXED_TIME.encode() + rb"\g<3>", content)
            fixed = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, content)
    return out.getvalue()


def _replace(path: Path, content: bytes) -> None:
    """Write beside the target, then rename: a failed export never leaves half a file behind."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(content)
    os.replace(temporary, path)
