"""The Streamlit app page by page with AppTest: no exception, and the figures equal the core API's.

The app reads PAIRING_DB; each store here is a Ladybug file built from the synthetic county,
closed before the app opens it (the app keeps one store per location for the whole process).
Expected values are computed on the app's own cached store, so both sides read the same data.
On Neo4j, one test runs every page over the same county on the server and compares what each shows
with the Ladybug store's pages; the writing ones (an import here) run on both engines.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from graph import accounts, audit, explore, gap_lists, gaps, viz
from graph.store import GraphStore
from graph.synth import REFERENCE_DATE
from graph.ui import gaps_page, i18n, state
from graph.ui.overview import EXPIRY_DAYS, headline
from tests import fixtures
from tests.fixtures import app_test, store_file, zip_bytes

TIMEOUT = 120
ADMIN, ADMIN_PASSWORD = "测试管理员", "admin-password-1"


def _build(path: Path) -> str:
    return store_file(path, "county", [(ADMIN, ADMIN_PASSWORD, accounts.ADMIN)])


@pytest.fixture(scope="module")
def app_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _build(tmp_path_factory.mktemp("app") / "county.lbug")


@pytest.fixture
def app(app_db: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    return app_test(app_db, monkeypatch, REFERENCE_DATE, ADMIN, timeout=TIMEOUT)


@pytest.fixture
def store(app_db: str) -> GraphStore:
    # The same cached store the app uses (st.cache_resource is process-wide).
    return state._open(app_db)


def shown(at: AppTest) -> Iterator[str]:
    for element in at.markdown:
        yield element.value


def test_overview_figures_equal_graph_gaps(app: AppTest, store: GraphStore) -> None:
    app.run()
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    coverage = gaps.coverage(store, REFERENCE_DATE)
    weak = sum(r.weak for r in coverage)
    covered = sum(r.covered for r in coverage)
    assert weak > 0
    assert metrics[i18n.t("overview.weak")] == str(weak)
    assert metrics[i18n.t("overview.covered")] == str(covered)
    assert metrics[i18n.t("overview.share")] == f"{covered / weak:.1%}"
    assert metrics[i18n.t("overview.inactive")] == str(len(gaps.inactive(store, REFERENCE_DATE)))
    assert metrics[i18n.t("overview.first_year")] == str(len(gaps.first_year(store, REFERENCE_DATE)))
    expiring = gaps.expiring(store, REFERENCE_DATE, days=EXPIRY_DAYS)
    assert metrics[i18n.t("overview.expiring")] == str(len(expiring))
    for kind in ("pairing", "lead", "fusion", "station"):
        assert metrics[i18n.t(f"kind.{kind}")] == str(sum(getattr(r, kind) for r in coverage))
    # Uncovered weak villages are what unpaired lists.
    assert weak - covered == len(gaps.unpaired(store, REFERENCE_DATE))
    assert app.get("arrow_vega_lite_chart") or app.get("vega_lite_chart")
    decks = app.get("deck_gl_json_chart")
    assert len(decks) == 1
    spec = json.loads(decks[0].proto.json)
    # No base map: nothing for the browser to fetch from a tile or style server.
    assert "mapStyle" not in spec and "mapProvider" not in spec
    assert spec["views"][0]["@@type"] == "OrthographicView"
    points = spec["layers"][0]["data"]
    assert len(points) == len(explore.village_points(store))
    red = [p for p in points if p["color"][:3] == [214, 39, 40]]
    assert len(red) == weak - covered


def test_overview_county_and_township_filters(app: AppTest, store: GraphStore) -> None:
    app.run()
    county = app.selectbox(key="overview_county").options[1]
    app.selectbox(key="overview_county").set_value(county).run()
    township = app.selectbox(key="overview_township").options[1]
    app.selectbox(key="overview_township").set_value(township).run()
    assert not app.exception
    expected = headline(store, REFERENCE_DATE, county, township)
    metrics = {m.label: m.value for m in app.metric}
    assert metrics[i18n.t("overview.weak")] == str(expected.weak)
    assert metrics[i18n.t("overview.inactive")] == str(expected.inactive)
    assert metrics[i18n.t("overview.first_year")] == str(expected.first_year)
    assert expected.weak < sum(r.weak for r in gaps.coverage(store, REFERENCE_DATE))


def test_english_switch_translates_the_interface_not_the_data(app: AppTest) -> None:
    app.run()
    assert app.title[0].value == i18n.t("overview.title", "zh")
    app.selectbox(key="lang").set_value("en").run()
    assert not app.exception
    assert app.title[0].value == "Overview"
    assert "Weak villages" in {m.label for m in app.metric}
    county = app.selectbox(key="overview_county").options[1]
    assert re.search(r"[\u4e00-\u9fff]", county)  # county names stay Chinese


def explorer_counts(at: AppTest) -> tuple[int, int]:
    for text in shown(at):
        for lang in i18n.LANGS:
            pattern = (
                re.escape(i18n.t("explorer.shown", lang))
                .replace(r"\{nodes\}", r"(\d+)")
                .replace(r"\{links\}", r"(\d+)")
            )
            match = re.fullmatch(pattern, text)
            if match:
                return int(match.group(1)), int(match.group(2))
    raise AssertionError("the explorer shows no node count")


def iframe_html(at: AppTest) -> str:
    frames = at.get("iframe")
    assert frames, "the explorer draws no graph"
    proto = frames[0].proto
    return str(getattr(proto, "srcdoc", "") or getattr(proto, "src", ""))


def test_explorer_count_for_a_searched_node_equals_graph_explore(app: AppTest, store: GraphStore) -> None:
    weak = gaps.support(store, REFERENCE_DATE)[0]
    app.run()
    app.switch_page("graph/ui/explorer.py").run()
    assert not app.exception
    app.text_input(key="explorer_text").input(weak.village).run()
    assert not app.exception
    hits = explore.search(store, weak.village)
    focus = app.session_state[state_focus()]
    assert focus == hits[0].id
    graph = explore.neighbourhood(store, focus, 1)
    assert explorer_counts(app) == (len(graph.nodes), len(graph.links))
    page = iframe_html(app)
    assert viz.external_urls(page) == []
    assert "new vis.Network" in page and all(f'"{n}"' in page for n in graph.nodes)
    # The details panel speaks the planner's language for coded values: 后进村, not "weak".
    details = app.dataframe[0].value
    values = set(details.iloc[:, 1])
    assert "后进村" in values and "weak" not in values

    app.slider(key="explorer_depth").set_value(2).run()
    deeper = explore.neighbourhood(store, focus, 2)
    assert explorer_counts(app) == (len(deeper.nodes), len(deeper.links))

    # A neighbour's button focuses it, by a key that does not change between runs.
    neighbour = next(n for n in graph.nodes if n != focus)
    app.button(key=f"focus_{neighbour}").click().run()
    assert not app.exception
    assert app.session_state[state_focus()] == neighbour
    around = explore.neighbourhood(store, neighbour, 2)
    assert explorer_counts(app) == (len(around.nodes), len(around.links))


def state_focus() -> str:
    from graph.ui.explorer import FOCUS

    return FOCUS


def test_explorer_scope_says_when_the_cap_cuts_it(app: AppTest, store: GraphStore) -> None:
    app.run()
    app.switch_page("graph/ui/explorer.py").run()
    app.radio(key="explorer_mode").set_value("scope").run()
    assert not app.exception
    # Every county: the whole county's villages and partners, under the default cap.
    whole = explore.scope(store, "", "")
    assert not whole.truncated
    assert explorer_counts(app) == (len(whole.nodes), len(whole.links))
    assert not app.warning
    app.number_input(key="explorer_cap").set_value(100).run()
    assert not app.exception
    capped = explore.scope(store, "", "", cap=100)
    assert explorer_counts(app) == (100, len(capped.links))
    assert app.warning[0].value == i18n.t("explorer.capped", total=capped.total, cap=100)
    place = explore.places(store)[0]
    app.selectbox(key="explorer_county").set_value(place.county).run()
    app.selectbox(key="explorer_township").set_value(place.township).run()
    town = explore.scope(store, place.county, place.township, cap=100)
    assert explorer_counts(app) == (len(town.nodes), len(town.links))


@pytest.mark.parametrize("name", gaps_page.LISTS)
def test_gap_table_rows_equal_the_core_rows(app: AppTest, store: GraphStore, name: str) -> None:
    app.run()
    app.switch_page("graph/ui/gaps_page.py").run()
    app.selectbox(key="gaps_list").set_value(name).run()
    assert not app.exception
    rows = gaps_page.gap_rows(name, REFERENCE_DATE, None, None)
    frame = app.dataframe[0].value
    assert len(frame) == len(rows)
    assert list(frame.columns) == [c.header("zh") for c in gaps_page.COLUMNS[name]]
    key = next(
        (c for c in ("village_id", "unit_id", "cadre_id", "id", "township") if rows and hasattr(rows[0], c)), None
    )
    if key is not None:
        header = next(c.header("zh") for c in gaps_page.COLUMNS[name] if c.key == key)
        assert [str(v) for v in frame[header]] == [str(getattr(r, key)) for r in rows]
    assert any(c.value == i18n.t("gaps.rows", n=len(rows)) for c in app.caption)


def test_gap_list_filters_and_unpaired_ids(app: AppTest, store: GraphStore) -> None:
    app.run()
    app.switch_page("graph/ui/gaps_page.py").run()
    assert not app.exception
    expected = gaps.unpaired(store, REFERENCE_DATE)
    frame = app.dataframe[0].value
    assert list(frame["村编号"]) == [r.village_id for r in expected]
    app.selectbox(key="gaps_list").set_value("support").run()
    place = explore.places(store)[0]
    app.selectbox(key="gaps_county").set_value(place.county).run()
    app.selectbox(key="gaps_township").set_value(place.township).run()
    rows = gaps.support(store, REFERENCE_DATE, county=place.county, township=place.township)
    assert list(app.dataframe[0].value["村编号"]) == [r.village_id for r in rows]


def test_gap_page_filters_are_the_registry_filters(app: AppTest, store: GraphStore) -> None:
    app.run()
    app.switch_page("graph/ui/gaps_page.py").run()
    app.selectbox(key="gaps_list").set_value("unit_load").run()
    app.selectbox(key="gaps_unit_load_status").set_value("idle").run()
    load = gap_lists.get("unit_load")
    idle = load.rows(store, REFERENCE_DATE, load.params(status="idle"))
    assert list(app.dataframe[0].value["单位编号"]) == [u.unit_id for u in idle]
    app.selectbox(key="gaps_list").set_value("coverage").run()
    app.selectbox(key="gaps_coverage_by").set_value("county").run()
    coverage = gap_lists.get("coverage")
    params = coverage.params(by="county")
    frame = app.dataframe[0].value
    assert list(frame.columns) == [c.header("zh") for c in coverage.shown_columns(params)]
    assert list(frame["所属县"]) == [r.county for r in coverage.rows(store, REFERENCE_DATE, params)]
    app.selectbox(key="gaps_list").set_value("unpaired").run()
    app.multiselect(key="gaps_unpaired_policy").set_value(["pairing", "station"]).run()
    assert not app.exception
    strict = gaps.gaps(store, REFERENCE_DATE, "pairing,station")
    assert list(app.dataframe[0].value["村编号"]) == [r.village_id for r in strict]


def test_gap_downloads_are_the_report_writer_output(store: GraphStore) -> None:
    from openpyxl import load_workbook

    rows = gaps.unpaired(store, REFERENCE_DATE)
    data = gaps_page.report_bytes("unpaired", rows, "xlsx", REFERENCE_DATE, {}, "zh")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    ids = [r[0] for r in sheet.iter_rows(min_row=3, values_only=True)]
    assert ids == [r.village_id for r in rows]
    text = gaps_page.report_bytes("unpaired", rows, "csv", REFERENCE_DATE, {}, "zh").decode("utf-8-sig")
    assert text.splitlines()[0].startswith("村编号,村名")
    assert len(text.splitlines()) == len(rows) + 1


def test_gap_download_equals_the_cli_file(store: GraphStore, app_db: str, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    county = gaps.unpaired(store, REFERENCE_DATE)[0].county
    assert county is not None
    rows = gaps.unpaired(store, REFERENCE_DATE, county=county)
    filters = {"county": county, "township": None, "days": None}
    page = load_workbook(io.BytesIO(gaps_page.report_bytes("unpaired", rows, "xlsx", REFERENCE_DATE, filters, "zh")))
    out = tmp_path / "gaps.xlsx"
    args = ["--db", app_db, "gaps", "--asof", REFERENCE_DATE.isoformat(), "--county", county, "-o", str(out)]
    fixtures.invoke(*args)
    cli_book = load_workbook(out)
    assert page.sheetnames == cli_book.sheetnames
    for a, b in zip(page.worksheets, cli_book.worksheets, strict=True):
        assert list(a.iter_rows(values_only=True)) == list(b.iter_rows(values_only=True))
        assert a.freeze_panes == b.freeze_panes and a.auto_filter.ref == b.auto_filter.ref


def problems_frame(at: AppTest) -> Any:
    """The data page's table of problems (the mapping panel's tables come before it)."""
    return next(d.value for d in at.dataframe if i18n.t("col.file") in d.value.columns)


def test_data_page_shows_every_problem_of_a_bad_upload(app: AppTest) -> None:
    app.run()
    app.switch_page("graph/ui/data_page.py").run()
    assert not app.exception
    rows = "VX1,测试村,翠阳县,某镇,很弱\nVX2,,翠阳县,某镇,weak\n"
    bad = zip_bytes({"villages.csv": "id,name,county,township,tier\n" + rows})
    app.file_uploader(key="data_upload").upload("bad.zip", bad, "application/zip").run()
    assert not app.exception
    assert app.error and "2" in app.error[0].value
    problems = problems_frame(app)
    assert list(problems.columns) == [
        i18n.t(k) for k in ("col.file", "col.row", "col.column", "col.value_cell", "col.reason")
    ]
    assert len(problems) == 2
    assert set(problems[i18n.t("col.row")]) == {2, 3}
    assert "很弱" in set(problems[i18n.t("col.value_cell")])
    assert not [b for b in app.button if b.key == "data_import"]


def test_data_page_counts_the_problems_it_does_not_list(app: AppTest) -> None:
    # 1,500 bad tiers: a few are kept as rows, the rest counted; the message gives the whole count.
    rows = "".join(f"VX{i},测试村{i},翠阳县,某镇,很弱\n" for i in range(1_500))
    app.run()
    app.switch_page("graph/ui/data_page.py").run()
    bad = zip_bytes({"villages.csv": "id,name,county,township,tier\n" + rows})
    app.file_uploader(key="data_upload").upload("bad.zip", bad, "application/zip").run()
    assert not app.exception
    assert "1,500" in app.error[0].value
    assert len(problems_frame(app)) < 1_500


def test_data_page_imports_on_confirmation_and_exports(
    any_location: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = any_location("county", [(ADMIN, ADMIN_PASSWORD, accounts.ADMIN)])
    at = app_test(db, monkeypatch, user=ADMIN, timeout=TIMEOUT)
    at.run()
    at.switch_page("graph/ui/data_page.py").run()
    good = zip_bytes({"villages.csv": "id,name,county,township,tier\nVX1,测试新村,翠阳县,某镇,weak\n"})
    at.file_uploader(key="data_upload").upload("good.zip", good, "application/zip").run()
    assert not at.exception and not at.error
    assert at.success
    store = state._open(db)
    before = store.counts()["Village"]
    assert not explore.search(store, "测试新村")  # nothing is imported before the confirmation
    at.button(key="data_import").click().run()
    assert not at.exception
    assert store.counts()["Village"] == before + 1
    assert [h.id for h in explore.search(store, "测试新村")] == ["VX1"]
    assert audit.entries(store, action="import")[-1].actor == ADMIN  # the signed-in admin, not the OS user
    at.button(key="data_prepare").click().run()
    assert not at.exception
    assert at.get("download_button")


def test_every_text_key_used_by_the_pages_has_both_languages() -> None:
    used: set[str] = set()
    for path in [fixtures.APP, *(fixtures.ROOT / "graph" / "ui").glob("*.py")]:
        used |= set(re.findall(r"""\bt\(\s*f?["']([a-z_.{}]+)["']""", path.read_text(encoding="utf-8")))
    plain = {k for k in used if "{" not in k}
    assert plain <= set(i18n.TEXT), plain - set(i18n.TEXT)
    assert all(zh and en for zh, en in i18n.TEXT.values())
    for name in gaps_page.LISTS:
        assert f"gap.{name}" in i18n.TEXT


def test_as_of_date_comes_from_the_sidebar(app: AppTest) -> None:
    app.run()
    assert app.date_input(key="asof").value == REFERENCE_DATE
    app.date_input(key="asof").set_value(dt.date(2020, 1, 1)).run()
    assert not app.exception


@pytest.mark.parametrize(
    ("page", "title"),
    [
        ("graph/ui/explorer.py", "Network explorer"),
        ("graph/ui/gaps_page.py", "Gaps"),
        ("graph/ui/period_page.py", "Changes in a period"),
        ("graph/ui/data_page.py", "Import and export"),
    ],
)
def test_every_page_runs_in_english(app: AppTest, page: str, title: str) -> None:
    app.run()
    app.selectbox(key="lang").set_value("en").run()
    app.switch_page(page).run()
    assert not app.exception
    assert app.title[0].value == title


# --- every page on Neo4j shows what it shows on Ladybug -----------------------------------------


def _tables(at: AppTest) -> list[tuple[list[str], list[list[str]]]]:
    """The page's tables as headers and cells in text (NaN is not equal to itself; "nan" is)."""
    return [(list(d.value.columns), d.value.astype(str).values.tolist()) for d in at.dataframe]


def _without(tables: list[tuple[list[str], list[list[str]]]], column: str) -> list[Any]:
    """The tables less `column` (a time of writing: each store's accounts and entries were written at another
    moment)."""
    out = []
    for headers, rows in tables:
        keep = [i for i, h in enumerate(headers) if h != column]
        out.append(([headers[i] for i in keep], [[row[i] for i in keep] for row in rows]))
    return out


def _captions(at: AppTest) -> list[str]:
    """The page's captions less the sidebar's, which names where the store is (a file or a server)."""
    where = i18n.t("app.store", location="")
    return [c.value for c in at.caption if not c.value.startswith(where)]


def _map(at: AppTest) -> Any:
    """The page's map as deck.gl draws it, less the layers' ids (deck.gl gives each a new random one)."""
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    for layer in spec["layers"]:
        layer.pop("id", None)
    return spec


def _drawing(at: AppTest) -> tuple[list[str], list[str]]:
    """The explorer's drawing as the sets of its nodes and of its links, each with its style and title.

    Sets, not lists: which order `graph.explore` finds a neighbourhood's nodes and links in differs by engine
    (the drawing does not depend on it; a cap that cuts a neighbourhood does, which is graph.explore's to fix).
    """
    page = html.unescape(iframe_html(at))
    found = re.search(r"var nodes = new vis\.DataSet\((.*)\);\nvar edges = new vis\.DataSet\((.*)\);\n", page)
    assert found, "the explorer draws no vis network"
    nodes, edges = (json.loads(found.group(i)) for i in (1, 2))
    return sorted(json.dumps(n, sort_keys=True) for n in nodes), sorted(json.dumps(e, sort_keys=True) for e in edges)


def pages_shown(db: str, monkeypatch: pytest.MonkeyPatch, village: str) -> dict[str, Any]:
    """What every page shows of the store at `db`, as a planner reads it: figures, counts and tables.

    Each page is run through the app as a signed-in admin; `village` is the one the explorer searches for
    and the links page edits.
    """
    at = app_test(db, monkeypatch, REFERENCE_DATE, ADMIN, timeout=TIMEOUT).run()
    shown: dict[str, Any] = {}
    visited = ["overview"]

    def visit(name: str) -> None:
        visited.append(name)
        at.switch_page(state.PAGES[name]).run()
        assert not at.exception, (name, at.exception)

    assert not at.exception
    shown["overview"] = ({m.label: m.value for m in at.metric}, _map(at))
    visit("explorer")
    at.text_input(key="explorer_text").input(village).run()
    focus = at.session_state[state_focus()]
    buttons = sorted(str(b.key) for b in at.button if str(b.key).startswith("focus_"))
    shown["explorer"] = (focus, explorer_counts(at), _tables(at), buttons)
    shown["explorer drawing"] = _drawing(at)
    at.slider(key="explorer_depth").set_value(3).run()
    buttons = sorted(str(b.key) for b in at.button if str(b.key).startswith("focus_"))
    shown["explorer depth 3"] = (explorer_counts(at), _drawing(at), buttons)
    at.radio(key="explorer_mode").set_value("scope").run()
    at.number_input(key="explorer_cap").set_value(100).run()
    assert not at.exception
    shown["explorer scope"] = (explorer_counts(at), [w.value for w in at.warning], _drawing(at))
    visit("gaps")
    for name in gaps_page.LISTS:
        at.selectbox(key="gaps_list").set_value(name).run()
        assert not at.exception, name
        shown[f"gaps {name}"] = (_tables(at), _captions(at))
    visit("period")
    for kind in ("month", "year"):
        at.radio(key="period_kind").set_value(kind).run()
        assert not at.exception, kind
        shown[f"period {kind}"] = ({m.label: m.value for m in at.metric}, _tables(at), _captions(at))
    visit("matching")
    at.button(key="match_run").click().run()
    assert not at.exception
    shown["matching"] = (_tables(at), _captions(at), _map(at))
    visit("links")
    at.text_input(key="links_search").input(village).run()
    assert not at.exception
    shown["links"] = (
        at.selectbox(key="links_village").value,
        _tables(at),
        [o for o in at.selectbox(key="links_pick").options],
    )
    visit("lists")
    shown["lists"] = _tables(at)
    visit("data")
    shown["data"] = [s.value for s in at.subheader]
    visit("audit")
    shown["audit"] = (_without(_tables(at), i18n.t("audit.col.at")), _captions(at))
    visit("accounts")
    shown["accounts"] = _without(_tables(at), i18n.t("accounts.col.created"))
    assert visited == list(state.PAGES), "a page of the app is not compared"
    return shown


@pytest.mark.parametrize("engine", [pytest.param("neo4j", marks=pytest.mark.neo4j)])
def test_every_page_shows_on_neo4j_what_it_shows_on_ladybug(
    engine: str, any_location: Callable[..., str], app_db: str, store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Neo4j only: the same county on Ladybug (the module's store) is the expected answer.
    village = gaps.support(store, REFERENCE_DATE)[0].village
    want = pages_shown(app_db, monkeypatch, village)
    got = pages_shown(any_location("county", [(ADMIN, ADMIN_PASSWORD, accounts.ADMIN)]), monkeypatch, village)
    assert got.keys() == want.keys()
    for page in want:
        assert got[page] == want[page], page
