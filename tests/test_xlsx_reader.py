"""The fast worksheet reader (`graph.interchange._xlsx`) gives exactly what openpyxl's read-only reader gives.

Workbooks are written by openpyxl with random cells of every type, and sheet XML is written by hand for
what openpyxl never writes (skipped rows and cells, missing references, namespace prefixes, rich inline
text, cached formula values of every type); each is read both ways and compared value by value, types
included.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from graph import synth
from graph.interchange import _sources, _xlsx
from tools.county_workbook import Quirks, write

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
HOSTILE = ["<script>alert(1)</script>", "=1+2", "@SUM(A1)", "a & b < c > d", '"quoted"', " 前后空格 ", "x005F_x", "\n"]


def openpyxl_rows(data: bytes) -> dict[str, list[Any]]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        found = {}
        for sheet in book.worksheets:
            sheet.reset_dimensions()
            found[sheet.title] = list(sheet.iter_rows(values_only=True))
        return found
    finally:
        book.close()


def fast_rows(data: bytes) -> dict[str, list[Any]]:
    book = _xlsx.open_book(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        found = {}
        for sheet in book.sheets:
            with archive.open(sheet.path.lstrip("/")) as source:
                found[sheet.title] = list(_xlsx.rows(source, book))
        return found


def typed(rows: dict[str, list[Any]]) -> dict[str, list[Any]]:
    return {title: [(type(r), [(type(v), v) for v in r]) for r in found] for title, found in rows.items()}


def assert_same(data: bytes) -> None:
    assert typed(fast_rows(data)) == typed(openpyxl_rows(data))


texts = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(st.characters(blacklist_categories=["Cs"]), max_size=12).filter(
        lambda s: not ILLEGAL_CHARACTERS_RE.search(s)
    ),
)
values = st.one_of(
    st.none(),
    texts,
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.booleans(),
    st.dates(date(1901, 1, 1), date(9999, 12, 31)),
    st.datetimes(datetime(1901, 1, 1), datetime(9999, 12, 31)).map(lambda d: d.replace(microsecond=0)),
    st.times().map(lambda t: t.replace(microsecond=0)),
    st.timedeltas(timedelta(0), timedelta(days=300)).map(lambda d: timedelta(seconds=int(d.total_seconds()))),
    st.sampled_from(["=A1", "=SUM(1,2)", '="x"']),
)
formats = st.sampled_from(
    [None, "yyyy-mm-dd", "0.00", '"年"0', "[h]:mm:ss", "d/m/yy h:mm", "[Red]0", "@", 'yyyy"年"m"月"']
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    grid=st.lists(st.lists(st.tuples(values, formats), max_size=7), max_size=8),
    mac=st.booleans(),
    write_only=st.booleans(),
)
def test_openpyxl_workbooks_of_random_cells_read_the_same(
    grid: list[list[tuple[Any, str | None]]], mac: bool, write_only: bool
) -> None:
    book = openpyxl.Workbook(write_only=write_only)
    if mac:
        book.epoch = CALENDAR_MAC_1904
    sheet: Any = book.create_sheet("数据") if write_only else book.active
    for r, row in enumerate(grid, 1):
        if write_only:
            sheet.append([value for value, _ in row])
            continue
        for c, (value, number_format) in enumerate(row, 1):
            cell = sheet.cell(r * 2, c * 3 - 1, value)  # rows and cells skipped between
            if number_format:
                cell.number_format = number_format
    out = io.BytesIO()
    book.save(out)
    assert_same(out.getvalue())


# Shared strings as Excel writes them (openpyxl writes inline strings): plain, rich runs, phonetic, escaped.
STRINGS = f"""<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="{MAIN}" count="4" uniqueCount="4"><si><t>共享文本</t></si>
<si><r><rPr><b/></rPr><t>富</t></r><r><t xml:space="preserve">
 文本 </t></r><rPh sb="0" eb="1"><t>ふ</t></rPh></si><si><t>x005F_x000D_&lt;tag&gt;</t></si><si><t/></si></sst>"""
SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def _with_sheet(xml: str, *, styles: str | None = None) -> bytes:
    """An openpyxl workbook whose first sheet's XML is XML (and its styles STYLES), with shared strings."""
    book = openpyxl.Workbook()
    sheet: Any = book.active
    sheet["A1"] = "共享文本"
    sheet["A2"] = "第二"
    sheet["A3"] = datetime(2024, 1, 2)
    out = io.BytesIO()
    book.save(out)
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w") as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = xml.encode()
            elif info.filename == "xl/styles.xml" and styles is not None:
                data = styles.encode()
            elif info.filename == "[Content_Types].xml":
                override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SST_TYPE}"/></Types>'
                data = data.replace(b"</Types>", override.encode())
            archive.writestr(info, data)
        archive.writestr("xl/sharedStrings.xml", STRINGS)
    return target.getvalue()


STYLES = f"""<?xml version="1.0" encoding="UTF-8"?>
<styleSheet xmlns="{MAIN}">
<numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;"/>
<numFmt numFmtId="165" formatCode="&quot;day&quot;0"/><numFmt numFmtId="166" formatCode="[h]:mm"/></numFmts>
<fonts count="1"><font/></fonts><fills count="1"><fill><patternFill/></fill></fills>
<borders count="1"><border/></borders>
<cellStyleXfs count="1"><xf/></cellStyleXfs>
<cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="164" applyNumberFormat="1"/>
<xf numFmtId="165" applyNumberFormat="1"/><xf numFmtId="166" applyNumberFormat="1"/><xf numFmtId="47"/></cellXfs>
</styleSheet>"""


def _sheet(body: str, prefix: str = "") -> str:
    p = f"{prefix}:" if prefix else ""
    xmlns = f'xmlns:{prefix}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n<{p}worksheet {xmlns}>'
    return f"{head}<{p}sheetData>{body}</{p}sheetData></{p}worksheet>"


HAND_WRITTEN = {
    "every type": '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="K1" t="s"><v>2</v></c>'
    '<c r="L1" t="s"><v>3</v></c><c r="C1"><v>12</v></c>'
    '<c r="D1"><v>1.5E3</v></c><c r="E1" t="b"><v>1</v></c><c r="F1" t="b"><v>0</v></c><c r="G1" t="e"><v>#N/A</v></c>'
    '<c r="H1" t="str"><v>formula text</v></c><c r="I1" t="d"><v>2024-03-01T10:00:00</v></c>'
    '<c r="J1" t="inlineStr"><is><t xml:space="preserve"> 内联 &amp; &lt;b&gt; </t></is></c></row>',
    "dates by style": '<row r="1"><c r="A1" s="1"><v>45000</v></c><c r="B1" s="2"><v>45000.5</v></c>'
    '<c r="C1" s="3"><v>45000</v></c><c r="D1" s="4"><v>1.25</v></c><c r="E1" s="5"><v>0.5</v></c>'
    '<c r="F1" s="1"><v>99999999</v></c><c r="G1" s=""><v>7</v></c></row>',
    "formulas with cached values": '<row r="2"><c r="A2"><f>1+1</f><v>2</v></c><c r="B2" t="str"><f>"a"&amp;"b"</f>'
    '<v>ab</v></c><c r="C2" t="b"><f>TRUE()</f><v>1</v></c><c r="D2" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
    '<c r="E2"><f>A1</f></c><c r="F2" t="str"><f>""</f><v></v></c><c r="G2" s="1"><f>TODAY()</f><v>45000</v></c></row>',
    "skipped rows and cells, missing references": '<row r="3"><c r="C3"><v>1</v></c></row><row><c><v>2</v></c>'
    '<c><v>3</v></c><c r="F4"><v>4</v></c><c><v>5</v></c></row><row r="9"/><row r="10" spans="1:3"><c r="B10"'
    ' t="inlineStr"><is><r><rPr><b/></rPr><t>粗</t></r><r><t>体</t></r>'
    '<rPh sb="0" eb="1"><t>ふ</t></rPh></is></c></row>',
    "rows out of order and repeated": '<row r="5"><c r="A5"><v>1</v></c></row><row r="3"><c r="A3"><v>2</v></c></row>'
    '<row r="5"><c r="A5"><v>3</v></c></row><row r="6"><c r="C6"><v>1</v></c><c r="A6"><v>2</v></c></row>',
    "empty values and inline strings": '<row r="1"><c r="A1" t="inlineStr"/><c r="B1" t="inlineStr"><is><t/></is></c>'
    '<c r="C1" t="s"><v/></c><c r="D1"><v></v></c><c r="E1" t="inlineStr"><is><t>a</t><r><t>b</t></r></is></c></row>',
}


@pytest.mark.parametrize("body", HAND_WRITTEN.values(), ids=HAND_WRITTEN.keys())
@pytest.mark.parametrize("prefix", ["", "x"])
def test_hand_written_sheet_xml_reads_the_same(body: str, prefix: str) -> None:
    if prefix:
        body = body.replace("<", "<x:").replace("<x:/", "</x:")
    assert_same(_with_sheet(_sheet(body, prefix), styles=STYLES))


def test_the_1904_flag_moves_dates() -> None:
    row = '<row r="1"><c r="A1" s="1"><v>1</v></c><c r="B1" s="1"><v>45000</v></c></row>'
    data = _with_sheet(_sheet(row), styles=STYLES)
    source = zipfile.ZipFile(io.BytesIO(data))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w") as archive:
        for info in source.infolist():
            part = source.read(info)
            if info.filename == "xl/workbook.xml":
                part = part.replace(b"<workbookPr />", b'<workbookPr date1904="1"/>')
            archive.writestr(info, part)
    assert fast_rows(target.getvalue())["Sheet"] == [(datetime(1904, 1, 2), datetime(2027, 3, 16))]
    assert_same(target.getvalue())


def test_what_the_fast_reader_does_not_understand_is_left_to_openpyxl() -> None:
    # A cell reference in lower case: openpyxl's own reading decides what it means.
    data = _with_sheet(_sheet('<row r="1"><c r="b1"><v>1</v></c><c><v>2</v></c></row>'))
    with pytest.raises(_xlsx.Unsupported):
        fast_rows(data)
    loaded = _sources.Loaded()
    _sources.read_workbook(data, "book.xlsx", loaded)
    assert [list(s.rows) for s in loaded.sheets] == list(openpyxl_rows(data).values())


def test_a_row_holding_something_else_falls_back_to_openpyxl_with_the_same_rows(tmp_path: Path) -> None:
    data = _with_sheet(
        _sheet(
            '<row r="1"><c r="A1" t="inlineStr"><is><t>编号</t></is></c><extLst/></row>'
            '<row r="2"><c r="A2"><v>7</v></c></row>'
        )
    )
    with pytest.raises(_xlsx.Unsupported):
        fast_rows(data)
    loaded = _sources.Loaded()
    _sources.read_workbook(data, "book.xlsx", loaded)
    assert [list(s.rows) for s in loaded.sheets] == [[("编号", None), (7,)]]


def test_a_county_workbook_with_every_quirk_reads_the_same(tmp_path: Path) -> None:
    written = write(synth.generate("county", 42), tmp_path / "county.xlsx", Quirks.every(hostile=True))
    data = (tmp_path / "county.xlsx").read_bytes()
    assert written.expected is not None
    assert_same(data)


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


string_items = st.lists(
    st.one_of(
        texts.map(lambda t: f'<t xml:space="preserve">{_escaped(t)}</t>'),
        st.lists(texts, min_size=1, max_size=3).map(
            lambda runs: "".join(f"<r><rPr><b/></rPr><t>{_escaped(t)}</t></r>" for t in runs)
        ),
        st.tuples(texts, texts).map(
            lambda p: f'<t>{_escaped(p[0])}</t><rPh sb="0" eb="1"><t>{_escaped(p[1])}</t></rPh>'
        ),
        st.just("<t/>"),
        st.just(""),
    ),
    max_size=10,
)


@settings(max_examples=100, deadline=None)
@given(items=string_items)
def test_shared_strings_read_the_same(items: list[str]) -> None:
    from openpyxl.reader.strings import read_string_table

    xml = f'<sst xmlns="{MAIN}">' + "".join(f"<si>{item}</si>" for item in items) + "</sst>"
    assert _xlsx.shared_strings(io.BytesIO(xml.encode())) == read_string_table(io.BytesIO(xml.encode()))
