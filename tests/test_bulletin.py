"""The 通报 (graph.bulletin): its cover figures against the changes and the gap lists worked out apart, its
grouped headers, print set-up and chart, hostile names, the PDF's text, font and rendering, file names,
and the `pairing report` command."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from graph import bulletin, gaps, period
from graph.dataset import Dataset
from graph.errors import ConfigError
from graph.period_report import SECTIONS
from tests.fixtures import ROOT, StoreFactory, invoke, store_file
from tests.test_period import D1, D2, HOSTILE, hand_made

UNIT = "中共甲县委组织部"
FILED = dt.date(2026, 7, 3)
ARTIFACTS = ROOT / "test-artifacts" / "bulletin"


def _activity(dst: str, date: str, title: str, status: str | None) -> dict[str, Any]:
    return {
        "src": "c1",
        "src_label": "CityCommunity",
        "dst": dst,
        "dst_label": "Village",
        "date": dt.date.fromisoformat(date),
        "title": title,
        "status": status,
    }


def county(names: dict[str, str] | None = None) -> Dataset:
    """tests.test_period's hand-made county, with c1's activities in w1 (paired until 2026-03-31):
    two completed in the period (one with a blank status), one planned, one before it."""
    data = hand_made(names)
    data.links["ACTIVITY"] = [
        _activity("w1", "2025-12-15", "期前", "done"),
        _activity("w1", "2026-01-01", "首日", "done"),
        _activity("w1", "2026-02-10", "无状态", None),
        _activity("w1", "2026-03-01", "计划中", "planned"),
    ]
    return data


def _build(store: Any, unit: str = UNIT) -> bulletin.Bulletin:
    return bulletin.build(store, D1, D2, county="甲县", unit=unit, filed=FILED)


def _day(value: Any) -> dt.date:
    # openpyxl reads a date cell back as a datetime.
    assert isinstance(value, dt.datetime), value
    return value.date()


def _cover(wb: Any) -> dict[str, Any]:
    ws = wb[bulletin.COVER_SHEET]
    return {row[0].value: row[1].value for row in ws.iter_rows(min_row=2, max_col=2) if row[0].value}


# ---------------------------------------------------------------- the XLSX


def test_the_cover_figures_are_the_gap_lists_on_the_periods_days(make_store: StoreFactory) -> None:
    store = make_store(county())
    wb = load_workbook(io.BytesIO(bulletin.xlsx_bytes(_build(store))))
    cover = _cover(wb)
    ws = wb[bulletin.COVER_SHEET]
    assert ws["A1"].value == "甲县城乡结对共建工作通报"
    assert (cover["填报单位"], cover["统计期间"], cover["范围"]) == (UNIT, "2026-01-01 至 2026-07-01", "甲县")
    assert _day(cover["填报日期"]) == FILED

    # The figures, from the gap lists of D1 and D2 (not from the changes the report was built from).
    weak = gaps.coverage(store, D2, county="甲县")
    unpaired_from = {g.village_id for g in gaps.gaps(store, D1, county="甲县")}
    unpaired_to = {g.village_id for g in gaps.gaps(store, D2, county="甲县")}
    paper_from = {(p.unit_id, p.village_id) for p in gaps.inactive(store, D1, county="甲县")}
    paper_to = {(p.unit_id, p.village_id) for p in gaps.inactive(store, D2, county="甲县")}
    total_weak = sum(c.weak for c in weak)
    total_covered = sum(c.covered for c in weak)
    # By hand (tests.test_period.hand_made): five weak villages, w4 lost its only cover, w5 gained its first.
    assert (total_weak, total_covered, unpaired_to - unpaired_from, unpaired_from - unpaired_to) == (
        5,
        4,
        {"w4"},
        {"w5"},
    )
    assert cover["后进村数"] == total_weak
    assert cover["已覆盖"] == total_covered
    assert cover["覆盖率"] == pytest.approx(total_covered / total_weak)
    assert cover["新增缺口"] == len(unpaired_to - unpaired_from)
    assert cover["消除缺口"] == len(unpaired_from - unpaired_to)
    assert cover["挂名结对（期末）"] == len(paper_to)
    assert cover["新增挂名结对"] == len(paper_to - paper_from)
    # 首日 (on D1) and 无状态 (blank: completed); not 期前 (before D1) nor 计划中 (planned).
    assert cover["完成实事项目"] == 2
    notes = [c.value for c in ws["A"] if isinstance(c.value, str) and c.value.startswith("注")]
    assert notes[0] == "注1：覆盖要求：任一帮扶；挂名结对：365 天无活动。"
    assert len(notes) == len(bulletin.Bulletin.notes(_build(store)))

    # The trend sheet: twelve month ends up to D2, each the coverage of its day.
    trend = wb[bulletin.TREND_SHEET]
    days = [_day(row[1].value) for row in trend.iter_rows(min_row=3) if row[1].value]
    assert days[0] == dt.date(2025, 8, 31) and days[-1] == D2 and len(days) == 12
    for row, day in zip(trend.iter_rows(min_row=3), days, strict=True):
        want = gaps.coverage(store, day, county="甲县")
        assert row[2].value == sum(c.weak for c in want)
        assert row[3].value == sum(c.covered for c in want)


def test_sections_have_numbers_grouped_headers_and_print_set_up(make_store: StoreFactory) -> None:
    store = make_store(county())
    data = bulletin.xlsx_bytes(_build(store))
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == [bulletin.COVER_SHEET, bulletin.TREND_SHEET, *(s.zh for s in SECTIONS)]

    new = wb["新增缺口"]
    merged = {str(r) for r in new.merged_cells.ranges}
    # 序号 spans both header rows; 村 groups its four columns; the reason stands alone.
    assert {"A2:A3", "B2:E2", "I2:I3"} <= merged
    assert [new.cell(row=2, column=j).value for j in (1, 2)] == ["序号", "村"]
    assert [new.cell(row=3, column=j).value for j in range(2, 6)] == ["编号", "村名", "所属县", "所属乡镇"]
    assert (new["A4"].value, new["B4"].value, new["C4"].value) == (1, "w4", "村w4")
    coverage = wb["乡镇覆盖变化"]
    assert {"A2:A3", "B2:D2", "E2:G2", "H2:J2", "K2:L2"} <= {str(r) for r in coverage.merged_cells.ranges}
    assert [coverage.cell(row=2, column=j).value for j in (2, 5, 8, 11)] == ["地区", "期初", "期末", "变化"]

    for ws in wb.worksheets:
        footer: Any = ws.oddFooter
        assert ws.sheet_properties.pageSetUpPr is not None
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert "&P" in (footer.center.text or ""), ws.title
        if ws.title not in (bulletin.COVER_SHEET, bulletin.TREND_SHEET):
            assert ws.print_title_rows == "$2:$3", ws.title
    assert wb[bulletin.TREND_SHEET].print_title_rows == "$2:$2"

    # openpyxl reads no charts back: the package holds one line chart, drawn from the trend sheet's rates.
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1
        xml = z.read(charts[0]).decode()
    assert "<lineChart>" in xml and f"'{bulletin.TREND_SHEET}'!$F$3:$F$14" in xml


def test_hostile_names_stay_text(make_store: StoreFactory) -> None:
    store = make_store(county(HOSTILE))
    unit = '=HYPERLINK("http://x")<script>alert(1)</script>'
    found = _build(store, unit=unit)
    wb = load_workbook(io.BytesIO(bulletin.xlsx_bytes(found)))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in cells)
    texts = {c.value for c in cells}
    assert _cover(wb)["填报单位"] == "'" + unit
    for name in HOSTILE.values():
        if name[0] in "=+-@":
            assert "'" + name in texts and name not in texts, name
        else:
            assert name in texts, name

    # In the PDF the names are printed as the ledger has them (escaped for reportlab's markup, not run).
    # (Table cells wrap: compared without white space.)
    text = "".join(_pdf_text(bulletin.pdf_bytes(found)).split())
    for name in (unit, HOSTILE["w4"], HOSTILE["k1"], HOSTILE["c1"]):
        assert "".join(name.split()) in text, name


# ---------------------------------------------------------------- the PDF


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_pdf_says_the_period_and_every_section_in_an_embedded_cjk_font(make_store: StoreFactory) -> None:
    store = make_store(county())
    data = bulletin.pdf_bytes(_build(store))
    reader = PdfReader(io.BytesIO(data))
    text = _pdf_text(data)
    # Extraction may break lines between table cells: compare without white space.
    flat = "".join(text.split())
    for words in ("甲县城乡结对共建工作通报", "2026-01-01至2026-07-01", UNIT, "覆盖率趋势", "注1", "第1页"):
        assert words in flat, words
    for section in SECTIONS:
        assert section.zh in flat, section.zh
    # The new gap's village and the reason it is one.
    assert "村w4" in flat and "社区一" in flat

    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape
    resources: Any = page["/Resources"]
    fonts = resources.get_object()["/Font"]
    embedded = []
    for ref in fonts.values():
        font = ref.get_object()
        descriptors = [font.get("/FontDescriptor")]
        descriptors += [d.get_object().get("/FontDescriptor") for d in font.get("/DescendantFonts", [])]
        for d in descriptors:
            if d is not None and any(k in d.get_object() for k in ("/FontFile2", "/FontFile3")):
                embedded.append(str(font["/BaseFont"]))
    assert embedded, "no embedded font"
    assert all(p.extract_text() for p in reader.pages)


def test_the_pdfs_first_page_renders(make_store: StoreFactory) -> None:
    import pypdfium2
    from PIL import ImageStat

    store = make_store(county())
    pdf = pypdfium2.PdfDocument(bulletin.pdf_bytes(_build(store)))
    image = pdf[0].render(scale=1.5).to_pil().convert("L")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    image.save(ARTIFACTS / "page1.png")
    variance = ImageStat.Stat(image).var[0]
    histogram = image.histogram()
    dark = sum(histogram[:128]) / sum(histogram)
    # White paper with text, a table and a chart: not blank, not a black box.
    assert variance > 100 and 0.005 < dark < 0.5, (variance, dark)


def test_a_missing_font_names_the_package(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(bulletin.FONT_ENV, raising=False)
    monkeypatch.setattr(bulletin, "FONT_PATHS", (tmp_path / "none.ttc",))
    with pytest.raises(ConfigError, match=bulletin.FONT_PACKAGE):
        bulletin.font_path()
    monkeypatch.setenv(bulletin.FONT_ENV, str(tmp_path / "missing.ttf"))
    with pytest.raises(ConfigError, match="no such font file"):
        bulletin.font_path()


# ---------------------------------------------------------------- file names


@pytest.mark.parametrize(
    ("scope", "want"),
    [
        ("江夏区", "江夏区"),
        ("../../etc/passwd", "_.._etc_passwd"),
        ("a\\b/c", "a_b_c"),
        ("C:\\Windows", "C__Windows"),
        ("CON", "_CON"),
        ("nul.txt", "_nul.txt"),
        ("com1", "_com1"),
        ("镇\x00\x1f\x7f\u202e名", "镇____名"),
        ("  ..  ", "未命名"),
        ("", "未命名"),
        ("///", "未命名"),
        ('<>:"|?*', "未命名"),
        ('=HYPERLINK("x")', "=HYPERLINK(_x_)"),
        ("\u5c71\u0301", "\u5c71\u0301"),
    ],
)
def test_safe_part(scope: str, want: str) -> None:
    assert bulletin.safe_part(scope) == want


def test_file_names_carry_the_scope_and_the_period() -> None:
    name = bulletin.file_name("江夏区", dt.date(2026, 10, 1), dt.date(2026, 10, 31), "xlsx")
    assert name == "江夏区_本期变化_2026-10-01_2026-10-31.xlsx"
    long = bulletin.file_name("乡" * 300, D1, D2, "pdf")
    assert long == "乡" * 60 + "_本期变化_2026-01-01_2026-07-01.pdf"
    assert "/" not in bulletin.file_name("../x", D1, D2, "pdf")
    with pytest.raises(ConfigError):
        bulletin.file_name("x", D1, D2, "docx")


def test_the_scope_is_the_narrowest_place(make_store: StoreFactory) -> None:
    store = make_store(county())
    assert bulletin.build(store, D1, D2, county="甲县", township="一镇").scope == "一镇"
    whole = bulletin.build(store, D1, D2)
    assert whole.scope == "全省" and whole.file_name("xlsx") == "全省_本期变化_2026-01-01_2026-07-01.xlsx"
    assert period.trend_start(dt.date(2026, 10, 1), dt.date(2026, 10, 31)) == dt.date(2025, 11, 1)
    assert period.trend_start(dt.date(2024, 1, 5), dt.date(2026, 10, 31)) == dt.date(2024, 1, 5)
    # In a city: the same figures, projects included (activities.listing by city).
    in_city = county()
    for v in in_city.nodes["Village"]:
        v["city"] = "武汉市"
    city = bulletin.build(make_store(in_city), D1, D2, city="武汉市")
    assert city.scope == "武汉市"
    assert (city.headline.weak, city.headline.covered, city.headline.projects_done) == (5, 4, 2)
    # A city that holds none of these villages: nothing weak, no projects.
    elsewhere = bulletin.build(store, D1, D2, city="别的市").headline
    assert (elsewhere.weak, elsewhere.projects_done, elsewhere.new_gaps) == (0, 0, 0)
    assert period.changes(store, D1, D2, city="别的市").coverage == []


# ---------------------------------------------------------------- the CLI


def test_the_report_command(tmp_path: Path) -> None:
    db = store_file(tmp_path / "county.lbug", county())
    out = tmp_path / "out"
    out.mkdir()
    args = ("--db", db, "report", "--from", "2026-01-01", "--to", "2026-07-01", "--county", "甲县")
    result = invoke(*args, "--unit", UNIT, "--filed", "2026-07-03", "-o", str(out))
    names = sorted(p.name for p in out.iterdir())
    assert names == ["甲县_本期变化_2026-01-01_2026-07-01.pdf", "甲县_本期变化_2026-01-01_2026-07-01.xlsx"]
    assert "wrote" in result.output
    cover = _cover(load_workbook(out / names[1]))
    assert cover["填报单位"] == UNIT and cover["新增缺口"] == 1
    assert "甲县城乡结对共建工作通报" in _pdf_text((out / names[0]).read_bytes())

    target = tmp_path / "通报.pdf"
    invoke(*args, "-o", str(target))
    assert target.read_bytes().startswith(b"%PDF")
    bad = invoke(*args, "-o", str(tmp_path / "report.txt"), code=2)
    assert "xlsx or .pdf" in bad.output
    backwards = invoke("--db", db, "report", "--from", "2026-07-01", "--to", "2026-01-01", "-o", str(out), code=1)
    assert "must end after it begins" in backwards.output
