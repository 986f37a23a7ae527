"""`pairing template suggest` and `pairing validate --template/--format`, in-process, on county-shaped workbooks."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

from graph import interchange
from graph.interchange import read_template
from graph.model import FILES, NODES, RELS
from tests.fixtures import invoke
from tests.test_template import COUNTY_TEMPLATE, HOSTILE, county_workbook


def small_workbook(path: Path, tier: str = "后进村") -> Path:
    """One villages sheet under a title, with a 序号 column, and a summary sheet."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "行政村"
    sheet.append(["翠阳县行政村名录"])
    sheet.append(["序号", "编号", "名称", "类别"])
    sheet.append([1, "V1", "幸福村", tier])
    summary = book.create_sheet("汇总")
    summary.append(["村数", 1])
    book.save(path)
    return path


SMALL_TEMPLATE = '[sheets."汇总"]\ntable = ""\n'


def test_validate_json_holds_the_mapping_and_notes(tmp_path: Path) -> None:
    path = small_workbook(tmp_path / "small.xlsx")
    template = tmp_path / "small.toml"
    template.write_text(SMALL_TEMPLATE, encoding="utf-8")
    out = json.loads(invoke("validate", str(path), "--template", str(template), "--format", "json").output)
    assert out == {
        "ok": True,
        "problems": [],
        "total": 0,
        "counts": {"Village": 1} | dict.fromkeys([*(n.label for n in NODES[1:]), *(r.type for r in RELS)], 0),
        "report": {
            "metadata": {},
            "words": {},
            "sheets": [
                {
                    "file": "small.xlsx:行政村",
                    "title": "行政村",
                    "table": "villages",
                    "skipped": None,
                    "score": 1.0,
                    "header_rows": [2],
                    "columns": [
                        {"index": 1, "header": "编号", "field": "id", "how": "alias"},
                        {"index": 2, "header": "名称", "field": "name", "how": "alias"},
                        {"index": 3, "header": "类别", "field": "tier", "how": "alias"},
                    ],
                    "skipped_columns": [{"index": 0, "header": "序号", "reason": "column_ignored"}],
                    "skipped_rows": [{"row": 1, "reason": "title_row", "text": "翠阳县行政村名录"}],
                    "metadata": {},
                },
                {
                    "file": "small.xlsx:汇总",
                    "title": "汇总",
                    "table": None,
                    "skipped": "sheet_template",
                    "score": 0.0,
                    "header_rows": [],
                    "columns": [],
                    "skipped_columns": [],
                    "skipped_rows": [],
                    "metadata": {},
                },
            ],
            "notes": out["report"]["notes"],
        },
    }
    notes = [(n["code"], n["file"], n["row"], n["column"], n["value"]) for n in out["report"]["notes"]]
    assert notes == [
        ("column_ignored", "small.xlsx:行政村", None, "序号", None),
        ("title_row", "small.xlsx:行政村", 1, None, "翠阳县行政村名录"),
        ("sheet_table", "small.xlsx:行政村", None, None, None),
        ("sheet_template", "small.xlsx:汇总", None, None, None),
    ]
    assert out["report"]["notes"][2]["text_zh"] == "small.xlsx:行政村: 按行政村读取（表头第2行）"
    assert out["report"]["notes"][3]["text"] == "small.xlsx:汇总: skipped, as the template says"


def test_validate_json_with_problems_exits_2_and_lists_them(tmp_path: Path) -> None:
    path = small_workbook(tmp_path / "small.xlsx", tier="达标村")
    result = invoke("validate", str(path), "--format", "json", code=2)
    out = json.loads(result.stdout)
    assert out["ok"] is False and out["counts"] == {} and out["total"] == 1
    (problem,) = out["problems"]
    assert (problem["file"], problem["row"], problem["column"], problem["value"]) == (
        "small.xlsx:行政村",
        3,
        "类别",
        "达标村",
    )
    assert problem["reason"].startswith("not one of strong, ordinary, weak")
    assert [s["table"] for s in out["report"]["sheets"]] == ["villages", None]


def test_validate_text_prints_the_mapping_then_the_problems(tmp_path: Path) -> None:
    path = small_workbook(tmp_path / "small.xlsx", tier="达标村")
    result = invoke("validate", str(path), code=2)
    assert result.stdout.splitlines() == [
        "small.xlsx:行政村: read as villages (行政村), header in row 2",
        "  column A '序号': a bookkeeping column (序号, 备注…), skipped",
        "  column B '编号' -> id 编号 (known header)",
        "  column C '名称' -> name 名称 (known header)",
        "  column D '类别' -> tier 类别 (known header)",
        "  1 data rows (rows 3 to 3)",
        "  row 1 '翠阳县行政村名录': a title row above the header, skipped",
        "small.xlsx:汇总: its header matches no table (a summary?), skipped",
    ]
    assert result.stderr.splitlines()[0] == "1 problem in the input:"
    template = tmp_path / "small.toml"
    template.write_text(SMALL_TEMPLATE + '[values.tier]\n"达标村" = "ordinary"\n', encoding="utf-8")
    ok = invoke("validate", str(path), "--template", str(template))
    assert ok.stdout.splitlines()[-1] == f"{path}: no problems; Village 1"


def test_suggest_writes_the_template_the_reading_decides(tmp_path: Path) -> None:
    path = county_workbook(tmp_path / "county.xlsx")
    out = tmp_path / "suggested.toml"
    result = invoke("template", "suggest", str(path), "-o", str(out))
    want = interchange.suggest(interchange.inspect(path).report)
    read = sum(1 for s in want.sheets.values() if s.table)
    columns = sum(len(s.columns) for s in want.sheets.values())
    assert result.stdout.splitlines() == [
        f"wrote {out}: 4 sheets ({read} read, {4 - read} skipped), {columns} columns, "
        f"{sum(map(len, want.values.values()))} value words"
    ]
    assert read_template(out) == want
    assert "problems as read now" in result.stderr


def test_a_suggested_template_edited_is_used_by_validate(tmp_path: Path) -> None:
    path = county_workbook(tmp_path / "county.xlsx")
    template = tmp_path / "county.toml"
    template.write_text(COUNTY_TEMPLATE, encoding="utf-8")
    out = json.loads(invoke("validate", str(path), "--template", str(template), "--format", "json").output)
    assert out["ok"] is True
    assert {k: v for k, v in out["counts"].items() if v} == {"Village": 2, "Organisation": 1, "PAIRED_WITH": 1}
    villages = out["report"]["sheets"][0]
    assert [(c["header"], c["field"], c["how"]) for c in villages["columns"]][3] == ("片区", "township", "template")


def test_a_bad_template_is_refused_naming_file_and_key(tmp_path: Path) -> None:
    path = small_workbook(tmp_path / "small.xlsx")
    template = tmp_path / "bad.toml"
    template.write_text('[sheets."行政村"]\ntable = "village"\n[values.tier]\n"达标村" = "fine"\n', encoding="utf-8")
    result = invoke("validate", str(path), "--template", str(template), code=2)
    assert result.stderr.splitlines()[1:] == [
        f"bad.toml, column sheets.\"行政村\".table: 'village': no such table "
        f'(expected "" or one of {", ".join(FILES)})',
        "bad.toml, column values.tier.\"达标村\": 'fine': no tier fine (expected one of strong, ordinary, weak)",
    ]


def test_hostile_headers_print_on_one_line_each(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "villages"
    sheet.append(["id", "name", "tier", HOSTILE])
    sheet.append(["V1", "幸福村", "weak", "x"])
    path = tmp_path / "hostile.xlsx"
    book.save(path)
    out = tmp_path / "hostile.toml"
    invoke("template", "suggest", str(path), "-o", str(out))
    assert list(read_template(out).sheets["villages"].columns)[3] == HOSTILE.strip()
    result = invoke("validate", str(path), "--template", str(out))
    flat = " ".join(HOSTILE.split())
    assert f"  column D '{flat}': skipped, as the template says" in result.stdout.splitlines()


def test_suggest_refuses_a_file_that_is_not_a_ledger(tmp_path: Path) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_bytes(b"not a workbook")
    out = tmp_path / "out.toml"
    result = invoke("template", "suggest", str(path), "-o", str(out), code=2)
    assert "notes.xlsx: not an XLSX workbook" in result.stderr
    assert not out.exists()
    good = small_workbook(tmp_path / "small.xlsx")
    result = invoke("template", "suggest", str(good), "-o", str(tmp_path / "no" / "such" / "dir.toml"), code=1)
    assert "dir.toml" in result.stderr
