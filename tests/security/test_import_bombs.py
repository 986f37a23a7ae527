"""Decompression bombs and oversized ledgers are refused with a problem naming the file, in bounded memory.

Each bomb is built here, written to a temporary file and read in a child process, which reports
its own peak memory (ru_maxrss): the limit asserted is 1 GB. The child also runs under an address
space limit, so that a regression fails with a MemoryError instead of exhausting the machine.
"""

from __future__ import annotations

import io
import json
import os
import re
import resource
import struct
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path

import pytest

from graph import interchange, ledger, synth
from graph.errors import ValidationError
from graph.interchange import _limits
from graph.model import NODES, REL_BY_FILE
from tests.fixtures import StoreFactory

ROOT = Path(__file__).resolve().parents[2]
GB = 1 << 30
PEAK = 1 * GB
# What a child may map at most: a bomb on the unfixed importer reached 21 GB.
ADDRESS_SPACE = 6 * GB

_CHILD = r"""
import json, os, resource, sys
from graph import interchange, ledger
from graph.errors import ValidationError
how, path = sys.argv[1], sys.argv[2]
out = {}
try:
    if how == "bytes":
        with open(path, "rb") as f:
            interchange.read_bytes(f.read(), os.path.basename(path))
    else:
        ledger.validate(path)
    out["refused"] = False
except ValidationError as exc:
    out.update(refused=True, total=exc.total, problems=[str(p) for p in exc.problems][:50], kept=len(exc.problems))
out["peak"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps(out))
"""


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def run_limited(*args: str) -> subprocess.CompletedProcess[str]:
    """`python ARGS` in a fresh interpreter under the address space limit, its output captured as text.

    A fresh interpreter, so that its peak memory (ru_maxrss) is the bomb's alone.
    """
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        preexec_fn=_limit_memory,
    )


def read_in_child(path: Path, how: str = "bytes") -> dict:
    """Read PATH in a fresh interpreter (`interchange.read_bytes` or `ledger.validate`): its verdict and peak memory."""
    done = run_limited("-c", _CHILD, how, str(path))
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict = json.loads(done.stdout.strip().splitlines()[-1])
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    assert result["peak"] <= children  # the parent's view agrees: the largest child so far
    return result


def zip_of(path: Path, member: str, line: bytes, count: int) -> Path:
    """A ZIP holding MEMBER: LINE repeated COUNT times, streamed in so that the test itself stays small."""
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open(member, "w", force_zip64=True) as out,
    ):
        block = line * 10_000
        for _ in range(count // 10_000):
            out.write(block)
    return path


def assert_refused(result: dict, file: str, words: str) -> None:
    assert result["refused"], result
    assert result["peak"] < PEAK, f"peak memory {result['peak'] / GB:.2f} GB"
    assert any(p.startswith(file) and words in p for p in result["problems"]), result["problems"]


def test_a_zip_of_millions_of_a_rows_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    # The reported bomb: 3.3 million rows of `a,a,…` (138 MB), 400 KB zipped: under the declared-size cap.
    bomb = zip_of(tmp_path / "bomb.zip", "villages.csv", b"a," * 20 + b"a\n", 3_300_000)
    assert bomb.stat().st_size < 1_000_000
    result = read_in_child(bomb)
    assert_refused(result, "bomb.zip:villages.csv", f"more than {_limits.MAX_CELLS:,} cells")


def test_a_much_more_compressed_zip_is_refused(tmp_path: Path) -> None:
    # Empty cells cost one byte each: 300 million of them in a few hundred KB.
    bomb = zip_of(tmp_path / "dense.zip", "行政村.csv", b"," * 999 + b"\n", 300_000)
    result = read_in_child(bomb)
    assert_refused(result, "dense.zip:行政村.csv", "cells")


def test_a_zip_whose_sizes_lie_is_refused(tmp_path: Path) -> None:
    """The archive declares a tiny member (with the checksum of that much): zipfile would read just that."""
    content = b"id,name,tier\n" + b"".join(b"V%d,village %d,weak\n" % (i, i) for i in range(200_000))
    declared = content.index(b"\n", 20) + 1  # the header and the first village
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("villages.csv", content)
    data = bytearray(buffer.getvalue())
    crc = zlib.crc32(content[:declared])
    local = data.index(b"PK\x03\x04")
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, local + 14, crc)
    struct.pack_into("<I", data, local + 22, declared)
    struct.pack_into("<I", data, central + 16, crc)
    struct.pack_into("<I", data, central + 24, declared)
    bomb = tmp_path / "liar.zip"
    bomb.write_bytes(bytes(data))
    result = read_in_child(bomb)
    assert_refused(result, "liar.zip:villages.csv", "more than the size the archive declares")


def _sheet_bomb(path: Path, rows: int) -> Path:
    """A workbook whose 行政村 sheet XML unpacks to ROWS rows of three short cells (~60 bytes a row)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.worksheets[0]
    sheet.title = "行政村"
    sheet.append(["id", "name", "tier"])
    small = io.BytesIO()
    book.save(small)
    row = b'<row><c t="inlineStr"><is><t>a</t></is></c><c t="inlineStr"><is><t>a</t></is></c><c><v>1</v></c></row>'
    with zipfile.ZipFile(small) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                out.writestr(info, source.read(info))
                continue
            with out.open(info.filename, "w", force_zip64=True) as xml:
                xml.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/')
                xml.write(b'spreadsheetml/2006/main"><sheetData>')
                block = row * 10_000
                for _ in range(rows // 10_000):
                    xml.write(block)
                xml.write(b"</sheetData></worksheet>")
    return path


def test_an_xlsx_whose_sheet_xml_unpacks_hugely_is_refused(tmp_path: Path) -> None:
    bomb = _sheet_bomb(tmp_path / "book.xlsx", 1_200_000)  # 120 MB of XML, 3.6 million cells
    assert bomb.stat().st_size < 2_000_000
    result = read_in_child(bomb)
    assert_refused(result, "book.xlsx:行政村", "more than")


def test_pairing_validate_refuses_a_bomb_without_a_traceback(tmp_path: Path) -> None:
    bomb = zip_of(tmp_path / "bomb.zip", "villages.csv", b"a," * 20 + b"a\n", 3_300_000)
    done = run_limited("-m", "graph.cli", "validate", str(bomb))
    assert done.returncode == 2, done.stderr[-2000:]
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr
    assert "bomb.zip:villages.csv" in done.stderr and "cells" in done.stderr
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024 < ADDRESS_SPACE


def test_ledger_validate_of_a_bomb_path_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    bomb = zip_of(tmp_path / "台账.zip", "pairings.csv", b",,,,,,,,,\n", 20_000_000)
    result = read_in_child(bomb, how="ledger")
    assert_refused(result, "台账.zip:pairings.csv", "cells")


def test_a_sea_of_bad_cells_keeps_a_few_problems_and_counts_the_rest() -> None:
    rows = 100_000
    csv = "id,name,tier,population\n" + "".join(f"V{i},村{i},差村,很多\n" for i in range(rows))
    with pytest.raises(ValidationError) as caught:
        interchange.read_bytes(csv.encode(), "villages.csv")
    error = caught.value
    assert error.total == 2 * rows
    assert len(error.problems) <= _limits.MAX_PROBLEMS + 10
    summaries = [p for p in error.problems if p.reason.startswith("and ")]
    assert {(p.column, p.reason.split(":")[0]) for p in summaries} == {
        ("tier", f"and {rows - _limits.MAX_PROBLEMS_PER_KIND:,} more of this kind in this column"),
        ("population", f"and {rows - _limits.MAX_PROBLEMS_PER_KIND:,} more of this kind in this column"),
    }
    assert str(error).startswith(f"{2 * rows:,} problems in the input:")


def test_a_line_too_long_for_any_row_is_refused() -> None:
    data = b"id,name,tier\n" + b"V1," + b"x" * (_limits.MAX_LINE + 10) + b",weak\n"
    with pytest.raises(ValidationError) as caught:
        interchange.read_bytes(data, "villages.csv")
    (problem,) = caught.value.problems
    assert problem.file == "villages.csv" and "longer than" in problem.reason


def test_the_limits_are_above_a_province() -> None:
    """The limits are constants; this checks them against the province's shape (synth's scale, the model's columns)."""
    scale = synth.SCALES["province"]
    widths = {n.file: len(n.props) for n in NODES} | {k: len(r.columns) for k, r in REL_BY_FILE.items()}
    rows = {"villages": scale.villages, "cadres": scale.cadres, "stations": scale.cadres}
    for file, count in rows.items():
        assert (count + 1) * 3 <= _limits.MAX_ROWS, file
        assert (count + 1) * widths[file] * 2 <= _limits.MAX_CELLS, file
    everything = sum((n + 1) * widths[f] for f, n in rows.items())
    assert everything * 1.5 <= _limits.MAX_TOTAL_CELLS
    assert max(widths.values()) * 10 <= _limits.MAX_COLUMNS
    assert 3 * 149 * _limits.MiB <= _limits.MAX_UNPACKED  # the province workbook's XML, measured: 149 MB


@pytest.mark.slow  # ~15 s: the real province ledger, as CSV files zipped, read within the limits
def test_a_province_ledger_zipped_still_imports(tmp_path: Path) -> None:
    dataset = synth.generate("province", 42)
    folder = tmp_path / "province"
    interchange.write_folder(dataset, folder)
    upload = tmp_path / "province.zip"
    with zipfile.ZipFile(upload, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, path.name)
    read = interchange.read_bytes(upload.read_bytes(), upload.name)
    assert read.counts() == dataset.counts()


# --- each limit, at a small size: the same code paths as the bombs, in milliseconds -------------

SMALL = interchange.Limits(unpacked=4 * _limits.MiB, rows=200, columns=8, cells=300, total_cells=500, line=2_000)


def _zip(**members: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, text in members.items():
            archive.writestr(f"{member}.csv", text)
    return buffer.getvalue()


def _refusal(data: bytes, name: str) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        interchange.read_bytes(data, name, limits=SMALL)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        ({"villages": "id,name,tier\n" + "\n" * 210}, "u.zip:villages.csv: more than 200 rows"),
        ({"villages": "id,name,tier\n" + "a," * 9 + "\n"}, "u.zip:villages.csv: row 2 has more than 8 cells"),
        ({"villages": "id,name,tier\n" + "V,n,w,x,y,z,q\n" * 49}, "u.zip:villages.csv: more than 300 cells"),
        ({"villages": "id,name,tier\nV1," + "x" * 3_000 + ",weak\n"}, "u.zip:villages.csv: a line longer than 2,000"),
        (
            {"villages": "id,name,tier\n" + "V,n,weak\n" * 99, "communities": "id,name\n" + "C,n\n" * 110},
            "u.zip:communities.csv: the ledger holds more than 500 cells in all (300 before this file)",
        ),
    ],
)
def test_each_csv_limit_refuses_with_a_problem_naming_the_file(members: dict[str, str], expected: str) -> None:
    found = _refusal(_zip(**members), "u.zip")
    assert any(p.startswith(expected) for p in found), found


def _workbook(rows: Sequence[Sequence[object]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.worksheets[0]
    sheet.title = "villages"
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([["id"]] + [["V"]] * 210, "b.xlsx:villages: more than 200 rows"),
        ([["id", "name", "tier", *("x" * 10)]], "b.xlsx:villages: row 1 has more than 8 cells"),
        ([["id", "name", "tier"], ["V1", "x" * 5_000, "weak"]], "b.xlsx: holds a cell or text longer than 2,000"),
    ],
)
def test_each_workbook_limit_refuses_before_openpyxl_reads_it(rows: list[list[object]], expected: str) -> None:
    found = _refusal(_workbook(rows), "b.xlsx")
    assert any(p.startswith(expected) for p in found), found


def test_a_workbook_that_declares_too_much_is_refused_before_unpacking() -> None:
    found = _refusal(_workbook([["id"]] + [["x" * 1_000]] * 5_000), "big.xlsx")
    assert found == ["big.xlsx: unpacks to more than 4 MiB"]


def test_the_bomb_in_this_process_is_a_validation_error_and_the_store_is_untouched(
    tmp_path: Path, make_store: StoreFactory
) -> None:
    """What the app's server does with an upload: `interchange.read_bytes` and `ledger.load`, in process."""
    refused = re.escape("bomb.zip:villages.csv: more than")
    bomb = zip_of(tmp_path / "bomb.zip", "villages.csv", b"a," * 20 + b"a\n", 3_300_000)
    with pytest.raises(ValidationError, match=refused):
        interchange.read_bytes(bomb.read_bytes(), bomb.name)
    store = make_store("seed")
    before = store.counts()
    with pytest.raises(ValidationError, match=refused):
        ledger.load(store, bomb, actor="test")
    with pytest.raises(ValidationError, match=refused):
        ledger.load(store, bomb, replace=True, actor="test")
    assert store.counts() == before


@pytest.mark.slow
def test_the_worst_upload_the_limits_accept_is_read_under_1_gb(tmp_path: Path) -> None:
    # Every cell of two tables wrong, as many cells as one import may hold: the largest problem load
    # the limits let in (validation keeps a mark per bad cell, so this is its memory ceiling).
    rows = _limits.MAX_TOTAL_CELLS // 12 - 1_000  # just under the cap: headers count too
    villages = io.StringIO()
    villages.write("id,name,tier,population,party_members,leadership_size\n")
    villages.writelines(f"V{i},村{i},差{i},p{i},-{i},{i}.5\n" for i in range(rows))
    pairings = io.StringIO()
    pairings.write("unit,village,since,until,funds,projects\n")
    pairings.writelines(f"U{i},无村{i},2024-13-{i % 40},昨天{i},-{i},x{i}\n" for i in range(rows))
    worst = tmp_path / "worst.zip"
    with zipfile.ZipFile(worst, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("villages.csv", villages.getvalue())
        archive.writestr("pairings.csv", pairings.getvalue())
    result = read_in_child(worst)
    assert result["refused"] and result["total"] > rows * 4, result["total"]
    assert result["peak"] < PEAK, f"peak memory {result['peak'] / GB:.2f} GB"
