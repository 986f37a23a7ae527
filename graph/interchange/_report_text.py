"""A reading's mapping in words, in Chinese or English: what `pairing validate` prints and the app's 数据 page shows.

Per sheet: the table it is read as (or why it is skipped), its header rows, each column and the field it is
read as and how, the skipped columns and rows with their reasons; then the report's notes. The words of a
reason are the notes' (`NOTE_TEXT`), so the CLI and the app say the same thing.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

from graph.interchange._headers import column_letter
from graph.interchange._mapping import NOTE_TEXT, ColumnMatch, Report, SheetMapping
from graph.interchange._template import field_zh, table_zh

_WORDS: dict[str, tuple[str, str]] = {
    "read_as": ("按{table}读取，表头第{rows}行", "read as {table}, header in row {rows}"),
    "skipped": ("{reason}", "{reason}"),
    "column": ("{letter}列「{header}」→ {field}（{how}）", "column {letter} '{header}' -> {field} ({how})"),
    "column_skipped": ("{letter}列「{header}」：{reason}", "column {letter} '{header}': {reason}"),
    "row_skipped": ("第{row}行「{text}」：{reason}", "row {row} '{text}': {reason}"),
    "data_rows": ("数据{count}行（第{first}至{last}行）", "{count} data rows (rows {first} to {last})"),
    "notes": ("说明：", "notes:"),
    "words": ("取值用词：", "value words:"),
    "ledger": ("台账：{said}", "ledger: {said}"),
    "no_sheets": ("没有读到工作表", "no sheets read"),
}
# The ledger's own metadata (from its title rows), in words.
_METADATA = {"filled_on": ("填报日期", "filled on"), "filled_by": ("填报单位", "filled by")}
# How a header was matched, in words.
HOW_TEXT: dict[str, tuple[str, str]] = {
    "exact": ("字段名", "field name"),
    "alias": ("表头名称", "known header"),
    "fuzzy": ("近似匹配", "near match"),
    "template": ("按模板", "from the template"),
}


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def _say(key: str, lang: str, **values: Any) -> str:
    zh, en = _WORDS[key]
    return (zh if lang == "zh" else en).format(**values)


def reason_text(code: str, lang: str) -> str:
    """A note code's words without its placeholders' values: why a sheet, column or row is skipped."""
    if code not in NOTE_TEXT:
        return code
    zh, en = NOTE_TEXT[code]
    return (zh if lang == "zh" else en).format_map(_Blank()).strip()


def how_text(how: str, lang: str) -> str:
    zh, en = HOW_TEXT.get(how, (how, how))
    return zh if lang == "zh" else en


def field_text(match: ColumnMatch, sheet_table: str | None) -> str:
    """A column's field as a template writes it, with its Chinese name: "name 名称"."""
    text = match.ref.text(sheet_table)
    zh = field_zh(match.ref)
    return f"{text} {zh}" if zh else text


def table_text(table: str, lang: str = "en") -> str:
    """A table by its file name and its Chinese name: "pairings (城乡结对)", "城乡结对（pairings）"."""
    zh = table_zh(table)
    if not zh:
        return table
    return f"{zh}（{table}）" if lang == "zh" else f"{table} ({zh})"


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def sheet_lines(mapping: SheetMapping, lang: str = "en") -> list[str]:
    """One sheet's mapping: its first line says what the sheet is read as, the indented ones the details."""
    if mapping.table is None:
        reason = reason_text(mapping.skipped or "sheet_unmatched", lang)
        return [f"{mapping.file}: " + _say("skipped", lang, reason=reason)]
    rows = "、".join(map(str, mapping.header_rows)) if lang == "zh" else ", ".join(map(str, mapping.header_rows))
    lines = [f"{mapping.file}: " + _say("read_as", lang, table=table_text(mapping.table, lang), rows=rows or "?")]
    entries: list[tuple[int, str]] = []
    for match in mapping.columns:
        said = _say(
            "column",
            lang,
            letter=column_letter(match.index),
            header=_one_line(match.header),
            field=field_text(match, mapping.table),
            how=how_text(match.how, lang),
        )
        entries.append((match.index, said))
    for skipped in mapping.skipped_columns:
        reason = reason_text(skipped.reason, lang)
        letter, header = column_letter(skipped.index), _one_line(skipped.header)
        entries.append((skipped.index, _say("column_skipped", lang, letter=letter, header=header, reason=reason)))
    lines += [f"  {said}" for _, said in sorted(entries, key=lambda e: e[0])]
    if mapping.data_rows:
        first, last = mapping.data_rows[0], mapping.data_rows[-1]
        lines.append("  " + _say("data_rows", lang, count=len(mapping.data_rows), first=first, last=last))
    for row, code, text in mapping.skipped_rows:
        lines.append("  " + _say("row_skipped", lang, row=row, text=_one_line(text), reason=reason_text(code, lang)))
    return lines


def metadata_text(report: Report, lang: str = "en") -> str | None:
    """The ledger's own 填报日期 and 填报单位, as its title rows give them; None when they do not."""
    if not report.metadata:
        return None
    said = [f"{_METADATA.get(k, (k, k))[lang == 'en']} {_one_line(v)}" for k, v in report.metadata.items()]
    return _say("ledger", lang, said=("，" if lang == "zh" else ", ").join(said))


def report_lines(report: Report, lang: str = "en") -> list[str]:
    """The whole mapping, sheet by sheet, then every note."""
    lines: list[str] = []
    ledger = metadata_text(report, lang)
    if ledger is not None:
        lines.append(ledger)
    for mapping in report.mappings:
        lines += sheet_lines(mapping, lang)
    if not report.mappings:
        lines.append(_say("no_sheets", lang))
    if any(report.words.values()):
        lines.append(_say("words", lang))
        for column, words in report.words.items():
            lines += [f"  {column}: {_one_line(word)} -> {code}" for word, code in words.items()]
    further = report.further
    if further:
        lines.append(_say("notes", lang))
        lines += [f"  {_one_line(note.text(lang))}" for note in further]
    return lines


PREVIEW_DATA_ROWS = 5
_PREVIEW_ABOVE = 5  # title and header rows shown at most


def preview_rows(
    rows: Sequence[Sequence[Any]], numbers: Sequence[int], mapping: SheetMapping
) -> list[tuple[int, list[str]]]:
    """A sheet's first rows as text: up to its header (a few title rows at most), then its first data rows."""
    header = mapping.header_rows[-1] if mapping.header_rows else None
    above = bisect_right(numbers, header) if header is not None else 0
    start = max(0, above - _PREVIEW_ABOVE)
    shown = range(start, min(len(rows), above + PREVIEW_DATA_ROWS))
    return [(numbers[i], ["" if v is None else str(v) for v in rows[i]]) for i in shown]
