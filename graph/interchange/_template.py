"""A department's mapping template: what reading its workbook should decide, as a TOML file it can edit.

`suggest` writes down what detection decided for a workbook (every sheet, header row, column and
value word), `write_template` turns that into commented TOML, and `read_template` reads an edited
file back, refusing every mistake at once (a `ValidationError` naming the file and the key).
A department fixes its template once and passes it every month (`pairing load --template`).

The TOML is written by hand rather than by a library: the project has no TOML writer, and the
file should carry comments (what each section means, the Chinese word of each field). Every key and
string is a TOML basic string with every character TOML cannot take escaped, so a header or sheet
name holding quotes, backslashes, newlines, `]`, `=`, HTML or Cypher reads back as written.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from graph.errors import Problem, ValidationError
from graph.interchange._headers import file_columns
from graph.interchange._mapping import CONTEXT_PROPS, FieldRef, Report, SheetTemplate, Template, table_word
from graph.model import FILES, NODE_BY_FILE, REL_BY_FILE, NodeSpec, Prop, RelSpec, Vocab

SKIP = ""  # what the TOML writes for a skipped sheet (table) or column (field)

_HEADER = """\
# Mapping template of a ledger workbook (台账映射模板), for `pairing validate/load PATH --template FILE.toml`.
# Written by `pairing template suggest` from what reading the workbook decided; edit it and keep it for next month.
#
# [sheets."<sheet title>"]      one section per worksheet, by its title as the workbook names it (工作表名称).
#   table = "villages"          the table the sheet is read as; "" skips the sheet (a summary, a drop-down list).
#   header_rows = [3, 4]        the row numbers of its header (two for a two-level header). Delete the line to
#                               have it found each time, if the rows above the header change from month to month.
# [sheets."<sheet title>".columns]
#   "<header>" = "<field>"      each header as written (a two-level header as "上级/下级") and the field it is
#                               read as: a column of the table ("name"), a reference's context ("village.township":
#                               the township of the village the row names), a column of another table the sheet
#                               also feeds ("stations:village"), or "" to skip the column.
# [values.<column>]
#   "<word>" = "<code>"         a value word as the ledger writes it and the code it means ("示范村" = "strong").
#
# Sheets, headers and words not in the file are detected as usual. The comment after each line is the
# field's Chinese name; lines starting with # are ignored.
# Tables (表): {tables}.
"""

_TOP_KEYS = ("sheets", "values")
_SHEET_KEYS = ("table", "header_rows", "columns")
_MOST_HEADER_ROWS = 2
# The Chinese words of the context properties that are not a column of any table.
_CONTEXT_ZH = {"label": "类型"}


def _vocabularies() -> dict[str, Vocab]:
    """Model column name -> its vocabulary: a template's value words are per column name, as `Report.words` are."""
    found: dict[str, Vocab] = {}
    for key in FILES:
        for prop in file_columns(key):
            if prop.vocab is not None:
                found.setdefault(prop.name, prop.vocab)
    return found


VOCABULARIES = _vocabularies()


def references(table: str) -> tuple[str, ...]:
    """The columns of a table that name another node: a link's ends, a cadre's sending unit."""
    spec: NodeSpec | RelSpec | None = NODE_BY_FILE.get(table)
    if isinstance(spec, NodeSpec):
        return spec.link_columns
    rel = REL_BY_FILE[table]
    return (rel.src.name, rel.dst.name)


def fields(table: str) -> list[str]:
    """Every field a column of `table` may be read as, in the model's order: its columns, then references' context."""
    names = [p.name for p in file_columns(table)]
    return names + [f"{ref}.{prop}" for ref in references(table) for prop in CONTEXT_PROPS]


def _prop(table: str, name: str) -> Prop | None:
    return next((p for p in file_columns(table) if p.name == name), None)


def field_zh(ref: FieldRef) -> str:
    """A field's Chinese name from the model: "名称", or "结对村·所属乡镇" for a reference's context."""
    ref_name, _, context = ref.field.partition(".")
    prop = _prop(ref.table, ref_name) if ref.table in FILES else None
    if prop is None:
        return ""
    if not context:
        return prop.zh
    word = _CONTEXT_ZH.get(context) or next(
        (p.zh for key in FILES for p in file_columns(key) if p.name == context and p.zh), context
    )
    return f"{prop.zh}·{word}"


def table_zh(table: str) -> str:
    """A table's Chinese name; "" for a name that is no table (a template's typo)."""
    return table_word(table, "zh") if table in FILES else ""


def field_problem(text: str, sheet_table: str) -> str | None:
    """Why `text` is not a field a column of a `sheet_table` sheet may be read as; None when it is one."""
    ref = FieldRef.parse(text, sheet_table)
    if ref.table not in FILES:
        return f"no table {ref.table} (expected one of {', '.join(FILES)})"
    if ref.field in fields(ref.table):
        return None
    ref_name, dot, context = ref.field.partition(".")
    if dot and ref_name in references(ref.table):
        return f"no context {context} of a reference (expected one of {', '.join(CONTEXT_PROPS)})"
    return f"no field {ref.field} in {ref.table} (expected one of {', '.join(fields(ref.table))})"


# --- reading ---------------------------------------------------------------------------------------------


def _key(*parts: str) -> str:
    """A key path as the TOML writes it: sheets."村基本情况".columns."村名"."""
    return ".".join(p if re.fullmatch(r"[A-Za-z0-9_-]+", p) else _string(p) for p in parts)


def _syntax_problem(file: str, exc: tomllib.TOMLDecodeError) -> Problem:
    found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
    reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc)) or "not TOML"
    return Problem(file, int(found.group(1)) if found else None, None, None, f"not valid TOML: {reason}")


def read_template(path: Path) -> Template:
    """The template in a TOML file; a ValidationError listing every mistake in it, each naming the file and key."""
    file = Path(path).name
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise ValidationError([Problem(file, None, None, None, f"cannot read ({exc.strerror})")]) from None
    except UnicodeDecodeError:
        raise ValidationError([Problem(file, None, None, None, "not UTF-8 text: save it as UTF-8")]) from None
    return parse_template(text, file)


def parse_template(text: str, file: str = "template.toml") -> Template:
    """`read_template` of TOML text (an upload); `file` is how problems name it."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError([_syntax_problem(file, exc)]) from None
    problems: list[Problem] = []

    def problem(key: str, value: Any, reason: str) -> None:
        problems.append(Problem(file, None, key, None if value is None else str(value), reason))

    for key in data:
        if key not in _TOP_KEYS:
            problem(_key(key), None, f"unknown table [{key}] (expected {', '.join(_TOP_KEYS)})")
    template = Template()
    sheets = data.get("sheets", {})
    if not isinstance(sheets, dict):
        problem("sheets", sheets, 'expected a section per sheet: [sheets."<sheet title>"]')
        sheets = {}
    for title, body in sheets.items():
        sheet = _sheet(title, body, problem)
        if sheet is not None:
            template.sheets[title] = sheet
    values = data.get("values", {})
    if not isinstance(values, dict):
        problem("values", values, "expected a section per column: [values.<column>]")
        values = {}
    for column, words in values.items():
        template.values[column] = _words(column, words, problem)
    if problems:
        raise ValidationError(problems)
    return template


def _sheet(title: str, body: Any, problem: Any) -> SheetTemplate | None:
    where = ("sheets", title)
    if not isinstance(body, dict):
        problem(_key(*where), body, 'expected a section: table = "...", header_rows = [...], [columns]')
        return None
    for key in body:
        if key not in _SHEET_KEYS:
            problem(_key(*where, key), None, f"unknown field {key} (expected {', '.join(_SHEET_KEYS)})")
    table = body.get("table")
    if table is None:
        problem(_key(*where, "table"), None, 'missing: the table the sheet is read as, or "" to skip it')
        table = SKIP
    elif not isinstance(table, str) or (table != SKIP and table not in FILES):
        problem(_key(*where, "table"), table, f'no such table (expected "" or one of {", ".join(FILES)})')
        table = SKIP
    rows = body.get("header_rows")
    if rows is not None and not (
        isinstance(rows, list)
        and 1 <= len(rows) <= _MOST_HEADER_ROWS
        and all(isinstance(r, int) and not isinstance(r, bool) and r >= 1 for r in rows)
        and rows == sorted(set(rows))
        and rows[-1] - rows[0] == len(rows) - 1
    ):
        reason = "expected one row number or two adjacent ones, from 1: [3] or [3, 4]"
        problem(_key(*where, "header_rows"), rows, reason)
        rows = None
    columns: dict[str, str | None] = {}
    given = body.get("columns", {})
    if not isinstance(given, dict):
        problem(_key(*where, "columns"), given, 'expected a section: "<header>" = "<field>"')
        given = {}
    for header, text in given.items():
        at = _key(*where, "columns", header)
        if not isinstance(text, str):
            problem(at, text, 'expected the field as text, or "" to skip the column')
            continue
        if not text:
            columns[header] = None
            continue
        if table != SKIP:
            wrong = field_problem(text, table)
            if wrong is not None:
                problem(at, text, wrong)
                continue
        columns[header] = text
    return SheetTemplate(title, table or None, rows, columns)


def _words(column: str, words: Any, problem: Any) -> dict[str, str]:
    where = ("values", column)
    vocab = VOCABULARIES.get(column)
    if vocab is None:
        coded = ", ".join(VOCABULARIES)
        problem(_key(*where), None, f"{column} is not a column with value words (expected one of {coded})")
        return {}
    if not isinstance(words, dict):
        problem(_key(*where), words, 'expected a section: "<word>" = "<code>"')
        return {}
    found: dict[str, str] = {}
    for word, code in words.items():
        if not isinstance(code, str) or code not in vocab.codes:
            problem(_key(*where, word), code, f"no {column} {code!s} (expected one of {', '.join(vocab.codes)})")
        else:
            found[word] = code
    return found


# --- writing ---------------------------------------------------------------------------------------------

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def _string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and every control character escaped, nothing else touched."""

    def escape(char: str) -> str:
        if char in _ESCAPES:
            return _ESCAPES[char]
        code = ord(char)
        if code < 0x20 or code == 0x7F:
            return f"\\u{code:04X}"
        return char

    return '"' + "".join(escape(c) for c in text) + '"'


def _comment(text: str) -> str:
    """A comment that stays one comment line, whatever the text holds."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", text).strip()
    return f"  # {text}" if text else ""


def write_template(template: Template) -> str:
    """The template as commented TOML that `read_template` reads back to an equal Template."""
    out = [_HEADER.format(tables=", ".join(f"{k} {table_zh(k)}" for k in FILES)).rstrip("\n")]
    for title, sheet in template.sheets.items():
        table = sheet.table or SKIP
        out.append("")
        out.append(f"[sheets.{_string(title)}]")
        out.append(f"table = {_string(table)}" + _comment(table_zh(table) if table else "skipped (跳过)"))
        if sheet.header_rows is not None:
            out.append(f"header_rows = [{', '.join(str(r) for r in sheet.header_rows)}]")
        if sheet.columns:
            out.append(f"[sheets.{_string(title)}.columns]")
            for header, text in sheet.columns.items():
                zh = field_zh(FieldRef.parse(text, table)) if text and table else ""
                out.append(f"{_string(header)} = {_string(text or SKIP)}" + _comment(zh if text else "skipped (跳过)"))
    for column, words in template.values.items():
        vocab = VOCABULARIES.get(column)
        out.append("")
        out.append(f"[values.{_string(column)}]" + _comment(_column_zh(column)))
        for word, code in words.items():
            term = vocab.term(code) if vocab is not None else None
            out.append(f"{_string(word)} = {_string(code)}" + _comment(term.zh if term is not None else ""))
    return "\n".join(out) + "\n"


def _column_zh(column: str) -> str:
    return next((p.zh for key in FILES for p in file_columns(key) if p.name == column and p.zh), "")


# --- suggesting ------------------------------------------------------------------------------------------


def suggest(report: Report) -> Template:
    """What reading decided, as a template: every sheet (skipped ones with table ""), its header rows, every
    column (skipped ones as ""), in the workbook's order; and the value words read (`report.words`)."""
    template = Template()
    for mapping in report.mappings:
        columns: dict[int, tuple[str, str | None]] = {}
        for match in mapping.columns:
            columns[match.index] = (match.header, match.ref.text(mapping.table))
        for skipped in mapping.skipped_columns:
            if skipped.header:  # a column with no header has no key to name it by (and nothing to read)
                columns.setdefault(skipped.index, (skipped.header, None))
        by_header: dict[str, str | None] = {}
        for _, (header, text) in sorted(columns.items()):
            by_header.setdefault(header, text)
        rows = list(mapping.header_rows) if mapping.table is not None and mapping.header_rows else None
        template.sheets[mapping.title] = SheetTemplate(mapping.title, mapping.table, rows, by_header)
    for column in sorted(report.words):
        if column in VOCABULARIES and report.words[column]:
            template.values[column] = dict(sorted(report.words[column].items()))
    return template
