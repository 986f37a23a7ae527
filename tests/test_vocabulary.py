"""One vocabulary: the screen and the Excel file show the same word for every coded value, in both languages.

The words come from `graph.model` (one `Term` per code). These tests go through the functions the
pages and the reports actually call, so that a page or a report keeping a table of its own fails here.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from graph import accounts, gap_lists, gaps, model, proposals, reports
from graph.explore import Link
from graph.gaps import GapRow
from graph.matching import result
from graph.model import NODES, RELS, SYSTEM_NODES, Prop
from graph.ui import explorer, i18n, links_page

LANGS = ("zh", "en")
CODED = reports.Column("value", "值", "Value", coded=True)


def coded_props() -> Iterator[tuple[str, Prop]]:
    specs: list[tuple[str, tuple[Prop, ...]]] = [(n.label, n.props) for n in (*NODES, *SYSTEM_NODES)]
    specs += [(r.type, r.props) for r in RELS]
    for owner, props in specs:
        for prop in props:
            if prop.choices:
                yield f"{owner}.{prop.name}", prop


def cell(code: Any, lang: str) -> Any:
    """The report's cell for a coded value (what the XLSX and CSV files hold)."""
    return reports.display(code, CODED, lang)


@pytest.fixture(params=LANGS)
def lang(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The interface language, as the sidebar would set it, for page functions that read it."""
    chosen = str(request.param)
    monkeypatch.setattr(i18n, "current_lang", lambda: chosen)
    monkeypatch.setattr(explorer, "current_lang", lambda: chosen, raising=False)
    return chosen


# ---------------------------------------------------------------- screen == report


def test_support_kinds_on_the_overview_and_links_page_are_the_reports_words(lang: str) -> None:
    # 驻村干部 on the overview and 驻村帮扶 in the reports was the drift this guards against.
    for kind in model.SUPPORT_KINDS:
        assert i18n.t(f"kind.{kind}", lang) == cell(kind, lang), kind
    for rel, kind in links_page.KINDS.items():
        link = Link("src", "dst", rel, dt.date(2024, 1, 1), None)
        assert links_page.link_label(link, {}).startswith(f"{cell(kind, lang)}: "), rel


def test_explorer_details_show_the_reports_words(lang: str) -> None:
    # 经济薄弱 in the explorer and 集体经济薄弱 in the downloads was the other drift.
    for spec in NODES:
        for prop in spec.props:
            for code in prop.choices:
                value: Any = [code] if prop.is_list else code
                assert explorer._cell(spec, prop.name, value) == cell(code, lang), (spec.label, prop.name, code)
    village = model.NODE_BY_LABEL["Village"]
    assert explorer._cell(village, "weak_reasons", ["economy", "venue"]) == cell(("economy", "venue"), lang)


def test_explorer_legend_and_counts_name_kinds_as_the_reports_do(lang: str) -> None:
    names = i18n.kind_names(lang)
    for tier in model.TIERS:
        assert names[f"Village:{tier}"] == cell(tier, lang)
    for node in NODES:
        assert names[node.label] == cell(node.label, lang) == i18n.kind_name(node.label, lang)
    for rel in RELS:
        assert names[rel.type] == cell(rel.type, lang) == i18n.kind_name(rel.type, lang)


def test_account_roles_on_screen_are_the_models_words(lang: str) -> None:
    for role in accounts.ROLES:
        assert i18n.t(f"role.{role}", lang) == cell(role, lang)


def test_every_coded_value_reads_the_same_on_screen_and_in_a_report(lang: str) -> None:
    for vocab in model.VOCABULARIES.values():
        for term in vocab.terms:
            assert i18n.display(term.code, vocab.kind) == cell(term.code, lang) == term.word(lang), term


def test_an_xlsx_report_holds_the_words_the_screen_shows(lang: str) -> None:
    row = GapRow("v1", "一村", "甲县", "一镇", ("economy", "venue"), 1, 0, 0, 0, ("pairing",), ("station",))
    buf = io.BytesIO()
    reports.write_report([row], gap_lists.GAP_COLUMNS, buf, "xlsx", "x", lang)
    ws = load_workbook(io.BytesIO(buf.getvalue())).active
    assert ws is not None
    by_key = {c.key: ws.cell(row=3, column=j).value for j, c in enumerate(gap_lists.GAP_COLUMNS, start=1)}
    village = model.NODE_BY_LABEL["Village"]
    assert by_key["weak_reasons"] == explorer._cell(village, "weak_reasons", ["economy", "venue"])
    assert by_key["has"] == i18n.t("kind.pairing", lang)
    assert by_key["missing"] == i18n.t("kind.station", lang)


def test_filters_in_a_title_use_the_same_words(lang: str) -> None:
    line = reports.title_line("t", lang, None, {"policy": ("pairing", "station"), "status": "idle"})
    for code in ("pairing", "station", "idle"):
        assert model.display(code, lang) in line


# ---------------------------------------------------------------- the vocabulary itself


@pytest.mark.parametrize(("where", "prop"), list(coded_props()), ids=lambda x: x if isinstance(x, str) else "")
def test_every_choice_of_every_property_has_both_words(where: str, prop: Prop) -> None:
    assert prop.vocab is not None, f"{where} has choices but no vocabulary"
    for code in prop.choices:
        term = model.term(code, prop.vocab.kind)
        assert term is not None, (where, code)
        assert term.zh and term.en, (where, code)
        assert not term.zh.isascii(), f"{where} {code}: the Chinese word is {term.zh!r}"


def test_words_are_unique_within_each_vocabulary() -> None:
    for vocab in model.VOCABULARIES.values():
        for lang in LANGS:
            words = [t.word(lang) for t in vocab.terms]
            assert len(set(words)) == len(words), (vocab.kind, lang, words)


def _spelling(text: str) -> str:
    # As the importer compares them (graph.interchange._cells._Choices): width and letter case do not count.
    return unicodedata.normalize("NFKC", text).casefold()


def test_an_import_spelling_never_names_two_codes() -> None:
    for vocab in model.VOCABULARIES.values():
        seen: dict[str, str] = {}
        for term in vocab.terms:
            for spelling in (term.code, term.zh, *term.aliases):
                code = seen.setdefault(_spelling(spelling), term.code)
                assert code == term.code, f"{vocab.kind}: {spelling!r} names both {code} and {term.code}"
    for where, prop in coded_props():
        assert set(prop.value_aliases.values()) <= set(prop.choices), where


def test_a_code_means_one_thing_in_every_vocabulary() -> None:
    # Report columns only say "coded", not which vocabulary: a code must not need one.
    meaning: dict[str, tuple[str, str]] = {}
    for vocab in model.VOCABULARIES.values():
        for term in vocab.terms:
            words = meaning.setdefault(term.code, (term.zh, term.en))
            assert words == (term.zh, term.en), f"{term.code} is worded two ways ({vocab.kind})"


def test_values_the_app_computes_are_declared_in_the_vocabulary() -> None:
    assert tuple(gaps.STATUS_ORDER) == model.UNIT_STATUS.codes
    assert tuple(result.UNMATCHED_REASONS) == model.UNMATCHED_REASON.codes
    assert tuple(proposals.MODES) == model.MATCH_MODE.codes
    assert tuple(accounts.ROLES) == model.ACCOUNT_ROLE.codes
    assert tuple(model.SUPPORT_EDGE) == model.SUPPORT_KINDS
    assert {model.SUPPORT_KIND_OF_EDGE[e]: e for e in model.SUPPORT_KIND_OF_EDGE} == model.SUPPORT_EDGE
    assert model.LABEL.codes == tuple(n.label for n in NODES)
    assert model.REL.codes == tuple(r.type for r in RELS)


def test_unknown_values_are_shown_as_they_are() -> None:
    assert model.display("甲县") == "甲县"
    assert model.display(3, "en") == "3"
    assert model.display("county", "zh", "organisation_level") == "县级"


def test_no_module_keeps_a_table_of_its_own() -> None:
    # A copied code→word table is how the words drifted apart: only graph/model.py may pair them.
    root = Path(__file__).resolve().parents[1]
    sources = [p for p in (root / "graph").rglob("*.py") if p.name != "model.py"] + [root / "app.py"]
    # Bare codes, and the i18n keys that used to word them (a heading such as overview.weak is not one).
    key = r"(?:kind\.|tier\.|role\.|label\.|rel\.|links\.form_|match\.mode_)?"
    patterns = []
    for vocab in model.VOCABULARIES.values():
        for term in vocab.terms:
            for word in {term.zh, *term.aliases}:
                code, said = re.escape(term.code), re.escape(word)
                patterns.append(re.compile(rf"""["']{key}{code}["']\s*:\s*\(?\s*["']{said}["']"""))
                patterns.append(re.compile(rf"""["']{said}["']\s*:\s*["']{code}["']"""))
    found = [
        f"{path.relative_to(root)}: {m.group(0)}"
        for path in sources
        for text in [path.read_text(encoding="utf-8")]
        for pattern in patterns
        for m in pattern.finditer(text)
    ]
    assert not found, found
