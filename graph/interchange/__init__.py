"""The interchange format: a folder of CSV files or one XLSX workbook, read, validated and written.

`read` accepts English or Chinese headers and the many ways a hand-kept ledger writes dates,
numbers and choices; it returns a fully validated `Dataset` or raises one `ValidationError`
listing every problem in every file. `write_folder` and `write_xlsx` write the same format
back, so that load → export → load gives the same Dataset.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from graph.dataset import Dataset
from graph.errors import Problem
from graph.interchange import _sources
from graph.interchange._assemble import KnownNodes, assemble, dataset_of, no_cycle_collection
from graph.interchange._headers import HEADERS, fold_header
from graph.interchange._limits import LIMITS, Limits, size_text
from graph.interchange._mapping import Reading, Report, SheetTemplate, Template
from graph.interchange._report_text import report_lines, sheet_lines
from graph.interchange._sources import SHEET_NAMES, Loaded, file_key
from graph.interchange._template import parse_template, read_template, suggest, write_template
from graph.interchange._write import write_folder, write_xlsx

__all__ = [
    "HEADERS",
    "LIMITS",
    "SHEET_NAMES",
    "KnownNodes",
    "Limits",
    "Reading",
    "Report",
    "SheetTemplate",
    "Template",
    "fold_header",
    "inspect",
    "inspect_bytes",
    "parse_template",
    "read",
    "read_bytes",
    "read_template",
    "read_workbook_bytes",
    "read_zip_bytes",
    "report_lines",
    "sheet_lines",
    "suggest",
    "write_folder",
    "write_template",
    "write_xlsx",
]

_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def read(
    path: Path | str, known: KnownNodes | None = None, *, template: Template | None = None, limits: Limits = LIMITS
) -> Dataset:
    """Read a folder of CSV files, one .xlsx workbook, a .zip of CSV files or a single CSV file.

    `known` names the nodes already in the target store, so that link rows may refer to them;
    `template` holds a department's corrections to what reading would decide (`inspect` shows it);
    `limits` bounds what may be read (see `_limits`). Raises ValidationError listing every problem in every file.
    """
    return dataset_of(inspect(path, known, template=template, limits=limits))


def inspect(
    path: Path | str, known: KnownNodes | None = None, *, template: Template | None = None, limits: Limits = LIMITS
) -> Reading:
    """Read a ledger like `read`, but return what reading decided and noted too, problems or not."""
    path = Path(path)
    suffix = path.suffix.casefold()
    if not path.is_dir() and (suffix in _WORKBOOK_SUFFIXES or suffix == ".zip") and path.exists():
        try:
            if path.stat().st_size > limits.unpacked:
                reason = f"larger than {size_text(limits.unpacked)}, more than any ledger needs"
                return _refused(Problem(path.name, None, None, None, reason))
            data = path.read_bytes()
        except OSError as exc:
            return _refused(Problem(path.name, None, None, None, f"cannot read ({exc.strerror})"))
        return inspect_bytes(data, path.name, known, template=template, limits=limits)
    loaded = Loaded(limits=limits)
    with no_cycle_collection():
        if path.is_dir():
            _sources.read_folder(path, loaded)
        elif not path.exists():
            loaded.problems.append(Problem(str(path), None, None, None, "no such file or folder"))
        elif suffix == ".csv":
            _sources.read_csv_file(path, loaded)
        else:
            reason = "expected a folder of CSV files, an .xlsx workbook or a .zip of CSV files"
            loaded.problems.append(Problem(path.name, None, None, None, reason))
        return assemble(loaded, known, template)


def _refused(problem: Problem) -> Reading:
    return Reading(None, [problem], 1, Report())


def inspect_bytes(
    data: bytes,
    name: str,
    known: KnownNodes | None = None,
    *,
    template: Template | None = None,
    limits: Limits = LIMITS,
) -> Reading:
    """An upload of any kind (NAME is how problems call it): XLSX and ZIP are told apart by content, CSV by name."""
    suffix = Path(name).suffix.casefold()
    loaded = Loaded(limits=limits)
    with no_cycle_collection():
        if suffix == ".csv":
            _sources.parse_csv(data, name, file_key(Path(name).stem), loaded)
        elif suffix in _WORKBOOK_SUFFIXES or _is_workbook(data):
            _sources.read_workbook(data, name, loaded)
        else:
            _sources.read_zip(data, name, loaded)
        return assemble(loaded, known, template)


def read_workbook_bytes(data: bytes, name: str, known: KnownNodes | None = None, *, limits: Limits = LIMITS) -> Dataset:
    """An uploaded .xlsx workbook, whatever its name says."""
    loaded = Loaded(limits=limits)
    with no_cycle_collection():
        _sources.read_workbook(data, name, loaded)
        return dataset_of(assemble(loaded, known))


def read_zip_bytes(data: bytes, name: str, known: KnownNodes | None = None, *, limits: Limits = LIMITS) -> Dataset:
    """An uploaded .zip of CSV files (at any depth inside it), whatever its content looks like."""
    loaded = Loaded(limits=limits)
    with no_cycle_collection():
        _sources.read_zip(data, name, loaded)
        return dataset_of(assemble(loaded, known))


def read_bytes(
    data: bytes,
    name: str,
    known: KnownNodes | None = None,
    *,
    template: Template | None = None,
    limits: Limits = LIMITS,
) -> Dataset:
    """An upload of any kind, read like `read`."""
    return dataset_of(inspect_bytes(data, name, known, template=template, limits=limits))


def _is_workbook(data: bytes) -> bool:
    if data.startswith(_sources.OLE_MAGIC):
        return True  # an old .xls: the workbook reader explains what to do with it
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except Exception:  # not a ZIP at all: the ZIP reader reports it
        return False
