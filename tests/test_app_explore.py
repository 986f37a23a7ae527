"""The explorer's core (`graph.explore`) against a plain-Python reference, and the drawing (`graph.viz`)."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pytest

from graph import explore, viz
from graph.dataset import Dataset
from graph.model import NODE_BY_LABEL
from graph.store import GraphStore
from graph.synth import REFERENCE_DATE
from graph.ui.i18n import kind_names
from tests.fixtures import ENGINES, ROOT, assert_same_graph, open_engine, synth_dataset


@pytest.fixture(scope="module")
def county() -> Dataset:
    return synth_dataset("county")


@pytest.fixture(
    scope="module", params=[pytest.param(e, marks=pytest.mark.neo4j) if e == "neo4j" else e for e in ENGINES]
)
def store(
    request: pytest.FixtureRequest, county: Dataset, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[GraphStore]:
    # On each engine as `any_store`, but once for the module: these tests only read, and a county loaded over
    # bolt for each of them would cost seconds apiece.
    s = open_engine(str(request.param), tmp_path_factory.mktemp("explore") / "county.lbug", fresh=True)
    s.load(county)
    yield s
    if s.engine == "neo4j":
        s.wipe()
    s.close()


def adjacency(data: Dataset) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for rel in explore.ALLIANCE_TYPES:
        for r in data.links[rel]:
            out[r["src"]].add(r["dst"])
            out[r["dst"]].add(r["src"])
    return out


def reference_neighbourhood(data: Dataset, start: str, depth: int) -> set[str]:
    adj = adjacency(data)
    seen, frontier = {start}, {start}
    for _ in range(depth):
        frontier = {n for f in frontier for n in adj[f]} - seen
        seen |= frontier
    return seen


def names_by_id(data: Dataset) -> dict[str, str]:
    return {r["id"]: r["name"] for rows in data.nodes.values() for r in rows}


def links_touching(data: Dataset, ids: set[str]) -> set[tuple[str, str, str]]:
    """(src, dst, type) of every link of `data` with at least one end in `ids`."""
    return {
        (r["src"], r["dst"], rel)
        for rel in explore.ALLIANCE_TYPES
        for r in data.links[rel]
        if r["src"] in ids or r["dst"] in ids
    }


@pytest.mark.parametrize("depth", [1, 2, 3])
def test_neighbourhood_equals_a_breadth_first_search_of_the_dataset(
    store: GraphStore, county: Dataset, depth: int
) -> None:
    weak = next(r["id"] for r in county.nodes["Village"] if r["tier"] == "weak")
    graph = explore.neighbourhood(store, weak, depth)
    assert set(graph.nodes) == reference_neighbourhood(county, weak, depth)
    assert not graph.truncated
    assert next(iter(graph.nodes)) == weak  # the focus leads the discovery order
    names = names_by_id(county)
    assert all(n.name == names[n.id] for n in graph.nodes.values())
    # Every link between the nodes found within depth-1 hops is there, with its type.
    inner = reference_neighbourhood(county, weak, depth - 1)
    assert {(link.src, link.dst, link.rel) for link in graph.links} == links_touching(county, inner)


def test_neighbourhood_of_a_unit_reaches_its_cadres_and_villages(store: GraphStore, county: Dataset) -> None:
    sent = county.links["SENT_BY"][0]
    graph = explore.neighbourhood(store, sent["dst"], 1)
    assert sent["src"] in graph.nodes
    assert graph.nodes[sent["src"]].label == "Cadre"
    assert any(link.rel == "SENT_BY" and link.since is None for link in graph.links)


def test_neighbourhood_rejects_depths_cypher_would_not_bound(store: GraphStore) -> None:
    with pytest.raises(ValueError):
        explore.neighbourhood(store, "V000001", 4)
    assert explore.neighbourhood(store, "no-such-id", 1).nodes == {}


def test_cap_keeps_the_first_nodes_and_says_how_many_there_were(store: GraphStore, county: Dataset) -> None:
    weak = next(r["id"] for r in county.nodes["Village"] if r["tier"] == "weak")
    full = explore.neighbourhood(store, weak, 3)
    capped = explore.neighbourhood(store, weak, 3, cap=5)
    # Expansion stops at the first hop past the cap: the total is then a lower bound.
    assert len(capped.nodes) == 5 and 5 < capped.total <= len(full.nodes) and capped.truncated
    assert list(capped.nodes) == list(full.nodes)[:5]
    assert capped.links and all(link.src in capped.nodes and link.dst in capped.nodes for link in capped.links)


def test_search_is_a_case_insensitive_substring_over_every_label(store: GraphStore, county: Dataset) -> None:
    village = county.nodes["Village"][0]
    hits = explore.search(store, village["name"][:2])
    assert village["id"] in {h.id for h in hits}
    assert all(village["name"][:2] in h.name for h in hits)
    # Ids are Latin: searching in lower case still finds the node.
    assert [h.id for h in explore.search(store, village["id"].lower())] == [village["id"]]
    cadre = county.nodes["Cadre"][0]
    assert any(h.id == cadre["id"] and h.label == "Cadre" for h in explore.search(store, cadre["name"]))
    for label in ("CityCommunity", "Enterprise", "Organisation"):
        row = county.nodes[label][0]
        assert row["id"] in {h.id for h in explore.search(store, row["name"])}
    assert explore.search(store, "   ") == []
    assert len(explore.search(store, "村", limit=7)) == 7


def test_scope_holds_the_villages_of_a_township_and_their_partners(store: GraphStore, county: Dataset) -> None:
    place = explore.places(store)[0]
    graph = explore.scope(store, place.county, place.township)
    villages = {r["id"] for r in county.nodes["Village"] if r["township"] == place.township}
    assert len(villages) == place.villages
    assert villages <= set(graph.nodes)
    assert {(link.src, link.dst, link.rel) for link in graph.links} == links_touching(county, villages)


def test_scope_larger_than_the_cap_is_cut_without_fetching_links(store: GraphStore, county: Dataset) -> None:
    graph = explore.scope(store, "", "", cap=50)
    assert graph.truncated and graph.total == len(county.nodes["Village"]) and len(graph.nodes) == 50
    assert graph.links == ()


def one_node(label: str, row: dict[str, Any]) -> Dataset:
    """A graph of one node; a list property that is None counts as [] (the details query may give either)."""
    lists = {p.name for p in NODE_BY_LABEL[label].stored if p.is_list}
    data = Dataset()
    data.nodes[label] = [{k: [] if v is None and k in lists else v for k, v in row.items()}]
    return data


def test_details_are_the_stored_properties(store: GraphStore, county: Dataset) -> None:
    for label in ("Village", "Cadre", "Enterprise"):
        row = county.nodes[label][0]
        node = explore.node(store, row["id"])
        assert node is not None and node.label == label
        props = explore.details(store, node)
        assert props["id"] == row["id"] and props["name"] == row["name"]
        # Every stored property, in the model's order, as the dataset has it (an empty list may read as None).
        stored = NODE_BY_LABEL[label].stored
        assert list(props) == [p.name for p in stored]
        assert_same_graph(one_node(label, props), one_node(label, row))


def test_every_label_has_a_details_query_returning_its_stored_properties() -> None:
    from graph import queries
    from graph.model import NODES

    assert set(explore.DETAIL_QUERIES) == {n.label for n in NODES}
    for node in NODES:
        assert queries.get(explore.DETAIL_QUERIES[node.label]).returns == tuple(p.name for p in node.stored)


def test_links_are_active_by_the_design_rule() -> None:
    link = explore.Link("a", "b", "PAIRED_WITH", dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert link.active_on(dt.date(2024, 12, 31)) and not link.active_on(dt.date(2025, 1, 1))
    assert not link.active_on(dt.date(2023, 12, 31))
    assert explore.Link("a", "b", "SENT_BY").active_on(dt.date(2000, 1, 1))


def test_drawing_is_offline_with_a_legend_and_styles(store: GraphStore, county: Dataset) -> None:
    weak = next(r["id"] for r in county.nodes["Village"] if r["tier"] == "weak")
    graph = explore.neighbourhood(store, weak, 2)
    names = kind_names("zh")
    page = viz.html_page(graph, REFERENCE_DATE, weak, True, names, "图例")
    assert viz.external_urls(page) == []
    assert "cdn." not in page and "cdnjs" not in page
    # vis-network itself is inlined from pyvis' bundled copy.
    assert "vis-network" in page and "new vis.Network" in page
    assert page.count("pairing-legend") == 1
    for kind in viz.LEGEND_KINDS:
        assert names[kind] in page
    net = viz.network(graph, REFERENCE_DATE, weak, names=names)
    by_id = {n["id"]: n for n in net.nodes}
    assert set(by_id) == set(graph.nodes)
    degree = graph.degree()
    for node in graph.nodes.values():
        assert by_id[node.id]["color"] == viz.NODE_STYLES[node.kind].color
        assert by_id[node.id]["shape"] == viz.NODE_STYLES[node.kind].shape
        if node.id != weak:
            assert by_id[node.id]["size"] == viz.node_size(degree[node.id])
    assert by_id[weak]["borderWidth"] == 4
    ended = [e for e in net.edges if e["color"] == viz.DIMMED]
    ended_links = [link for link in graph.links if not link.active_on(REFERENCE_DATE)]
    assert len(ended) == len(ended_links)
    assert {e["dashes"] for e in net.edges if "驻村" in e["title"]} <= {True}
    frozen = viz.html_page(graph, REFERENCE_DATE, weak, False, names)
    assert "network.setOptions({physics: false})" in frozen
    assert "network.setOptions({physics: false})" not in page
    assert viz.options(1500)["physics"]["stabilization"]["iterations"] < 1000  # type: ignore[index]


def test_external_urls_finds_what_a_browser_would_fetch() -> None:
    page = (
        '<script src="https://cdn.example/x.js"></script><link href="http://a/b.css" rel="stylesheet">'
        '<style>@import "https://f/c.css"; a{background:url(//img/x.png)}</style>'
        "<script>var ns='http://www.w3.org/2000/svg';</script>"
    )
    assert len(viz.external_urls(page)) == 4
    cleaned = viz.offline(page)
    assert not re.search(r"<script[^>]+https", cleaned) and "b.css" not in cleaned


def test_cached_page_module_files_exist() -> None:
    from graph.ui.state import PAGES

    assert PAGES and all((ROOT / p).is_file() for p in PAGES.values())
