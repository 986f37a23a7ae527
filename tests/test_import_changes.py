"""What a load changes (graph.import_changes), checked against what a real store does with the load.

The property test edits a store's own graph at random (values changed, blanked, rows dropped, rows
added), asks the diff what loading the edit will do, loads it, and compares the store's dump with
the diff's prediction row by row: the diff is the load's exact account, in every mode.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import audit, import_changes, ledger, writes
from graph.dataset import Dataset, Row
from graph.import_changes import COUNTY, MERGE, REPLACE, Changes
from graph.model import NODE_BY_LABEL, NODES, REL_BY_TYPE, RELS, NodeSpec, Prop, PType, RelSpec
from graph.store import GraphStore
from tests.fixtures import ENDS, StoreFactory, assert_same_graph, seed_dataset, village

HOSTILE = ("<script>alert(1)</script>", '=HYPERLINK("http://x")', "'; MATCH (n) DETACH DELETE n //", "**粗体**")


def _small_seed() -> Dataset:
    """The seed's first county, whole: every label and type, small enough to load once per example."""
    seed = seed_dataset()
    county = seed.nodes["Village"][0]["county"]
    data = Dataset()
    keep: set[str] = set()
    # A need or resource is its village's or unit's (import_changes.ITEM_OF): it goes where its owner goes.
    owner = {r["src"]: r["dst"] for rel in import_changes.ITEM_OF.values() for r in seed.links[rel.type]}
    for node in NODES:
        if node.label in import_changes.ITEM_OF:
            continue
        rows = [r for r in seed.nodes[node.label] if r.get("county", county) == county]
        data.nodes[node.label] = rows
        keep |= {r["id"] for r in rows}
    for label in import_changes.ITEM_OF:
        data.nodes[label] = [r for r in seed.nodes[label] if owner[r["id"]] in keep]
        keep |= {r["id"] for r in data.nodes[label]}
    for rel in RELS:
        data.links[rel.type] = [r for r in seed.links[rel.type] if r["src"] in keep and r["dst"] in keep]
    # Cadres whose sender is in another county lost their SENT_BY link above: drop the column too.
    sent = {r["src"]: r["dst"] for r in data.links["SENT_BY"]}
    for row in data.nodes["Cadre"]:
        row["sent_by"] = sent.get(row["id"])
    return data


SMALL = _small_seed()


def _value(prop: Prop, draw: st.DrawFn) -> Any:
    """A value of the property's type, as the reader gives it (a list property: a list, of its choices if any)."""
    if prop.is_list:
        words = prop.choices or ("旅游", "茶叶", *HOSTILE)
        return draw(st.lists(st.sampled_from(words), max_size=3, unique=True))
    if prop.choices:
        return draw(st.sampled_from(prop.choices))
    low = int(prop.minimum) if prop.minimum is not None else 0
    high = int(prop.maximum) if prop.maximum is not None else 10_000
    if prop.type is PType.INT:
        return draw(st.integers(low, high))
    if prop.type is PType.FLOAT:
        return float(draw(st.integers(low, high))) / 4
    if prop.type is PType.DATE:
        return dt.date(2020, 1, 1) + dt.timedelta(days=draw(st.integers(0, 2000)))
    if prop.type is PType.BOOL:
        return draw(st.booleans())
    return draw(st.sampled_from(("新值", *HOSTILE)))


def _editable(props: tuple[Prop, ...], key: tuple[str, ...]) -> list[Prop]:
    # Required ones only get other values, never blanks; key properties would make another row, not a change.
    return [p for p in props if p.name not in ("id", "sent_by", *key)]


@st.composite
def edited(draw: st.DrawFn) -> tuple[str, Dataset]:
    """A mode and the seed county's graph with random edits: the ledger to load over the unedited store."""
    mode = draw(st.sampled_from((MERGE, MERGE, REPLACE, COUNTY)))
    data = copy.deepcopy(SMALL)
    for _ in range(draw(st.integers(0, 12))):
        specs: list[NodeSpec | RelSpec] = [*NODES, *(r for r in RELS if r.type != "SENT_BY")]
        spec = draw(st.sampled_from(specs))
        key: tuple[str, ...]
        if isinstance(spec, NodeSpec):
            rows, props, key = data.nodes[spec.label], spec.stored, ()
        else:
            rows, props, key = data.links[spec.type], spec.props, spec.key
        if not rows or not _editable(props, key):  # a need's NEED_OF has nothing to edit but its ends
            continue
        row = rows[draw(st.integers(0, len(rows) - 1))]
        prop = draw(st.sampled_from(_editable(props, key)))
        blank = not prop.required and draw(st.booleans())
        row[prop.name] = ([] if prop.is_list else None) if blank else _value(prop, draw)
        if isinstance(row.get("until"), dt.date) and row.get("since") and row["until"] < row["since"]:
            row["until"] = None
    for i in range(draw(st.integers(0, 3))):  # villages the store does not hold
        county = SMALL.nodes["Village"][0]["county"]
        data.nodes["Village"].append(village(f"VNEW{i}", f"新村{i}", county=county, tier="weak", population=10 + i))
    drop = draw(st.integers(0, 4))  # rows the ledger no longer holds: kept by a merge, removed by a replace
    if drop:
        gone = {r["id"] for r in data.nodes["Village"][-drop - 3 : -3]}
        data.nodes["Village"] = [r for r in data.nodes["Village"] if r["id"] not in gone]
        for rel in RELS:
            data.links[rel.type] = [r for r in data.links[rel.type] if not {r["src"], r["dst"]} & gone]
    if draw(st.booleans()) and data.links["PAIRED_WITH"]:
        data.links["PAIRED_WITH"].pop(0)
    return mode, data


def predicted(before: Dataset, ledger_data: Dataset, changes: Changes) -> Dataset:
    """The store after the load, as the diff tells it: the store's rows, changed, removed and added as it says."""
    out = Dataset()
    specs: list[tuple[str, list[str], bool]] = [(n.label, [p.name for p in n.stored], False) for n in NODES] + [
        (r.type, [*ENDS, *(p.name for p in r.props)], True) for r in RELS
    ]
    for kind, columns, is_link in specs:
        table = changes.tables[kind]
        rel = REL_BY_TYPE.get(kind)

        def key(r: Row, rel: Any = rel) -> tuple[Any, ...]:
            return import_changes.link_key(r, rel.key) if rel is not None else (r["id"],)

        old = before.links[kind] if is_link else before.nodes[kind]
        new = ledger_data.links[kind] if is_link else ledger_data.nodes[kind]
        rows = {key(r): {c: r.get(c) for c in columns} for r in old}
        for k in table.removed:
            del rows[k]
        for change in table.changed:
            for prop, (_b, after) in change.props.items():
                rows[change.key][prop] = after
        added = set(table.added)
        for r in new:
            if key(r) in added:
                rows[key(r)] = {c: r.get(c) for c in columns}
        result = list(rows.values())
        if is_link:
            out.links[kind] = result
        else:
            out.nodes[kind] = result
    return out


def _load(store: GraphStore, data: Dataset, mode: str, county: str) -> Changes:
    current = store.dump()
    scope = import_changes.county_scope(current, county, data) if mode == COUNTY else None
    changes = import_changes.diff(current, data, mode, scope=scope, county=county if mode == COUNTY else None)
    if mode == COUNTY:
        store.load_removing(data, ledger._removed_rows(current, changes))
    else:
        store.load(data, replace=mode == REPLACE)
    return changes


# Examples by engine: each reloads the store and reads it whole twice, round trips to the server on Neo4j.
EXAMPLES = {"ladybug": 25, "neo4j": 5}


def test_the_diff_is_exactly_what_the_load_does(any_store: StoreFactory) -> None:
    store = any_store()
    county = SMALL.nodes["Village"][0]["county"]

    @settings(max_examples=EXAMPLES[store.engine], deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(edited())
    def check(case: tuple[str, Dataset]) -> None:
        mode, data = case
        store.load(SMALL, replace=True)
        before = store.dump()
        changes = _load(store, data, mode, county)
        after = store.dump()
        assert_same_graph(after, predicted(before, data, changes))
        assert changes.after == after.counts()
        assert changes.empty == (after == before)

    check()


def test_a_blank_ledger_cell_is_a_change_to_null_and_the_load_makes_it_one(any_store: StoreFactory) -> None:
    store = any_store(_one_village(population=120, industries=["茶叶"], party_members=30))
    ledger_data = _one_village(population=None, industries=[], party_members=30)
    changes = import_changes.diff(store.dump(), ledger_data)
    assert [(c.key, c.props) for c in changes.tables["Village"].changed] == [
        (("V1",), {"population": (120, None), "industries": (["茶叶"], [])})
    ]
    store.load(ledger_data)
    row = store.dump().nodes["Village"][0]
    assert row["population"] is None and row["industries"] == [] and row["party_members"] == 30
    assert import_changes.diff(store.dump(), ledger_data).empty


def test_an_unchanged_load_is_empty_and_a_value_change_is_not(any_store: StoreFactory) -> None:
    store = any_store("seed")
    same = store.dump()
    changes = import_changes.diff(same, same)
    assert changes.empty and changes.brief() == "no change"
    assert changes.tables["Village"].unchanged == len(same.nodes["Village"])
    moved = copy.deepcopy(same)
    moved.nodes["Village"][0]["population"] = (moved.nodes["Village"][0]["population"] or 0) + 1
    changes = import_changes.diff(same, moved)
    assert not changes.empty and changes.brief() == "Village 1 changed"
    assert changes.after == same.counts()  # counts alone would have said "no change"


def _one_village(**props: Any) -> Dataset:
    data = Dataset()
    data.nodes["Village"] = [village("V1", "甲村", county="青山县", township="东镇", tier="weak", **props)]
    return data


def test_newer_hand_edits_are_named_and_older_ones_are_not(any_store: StoreFactory) -> None:
    store = any_store("seed")
    old = store.dump()
    pairing = old.links["PAIRED_WITH"][0]
    writes.update_link(store, "pairing", pairing["src"], pairing["dst"], pairing["since"], funds=77.25, actor="alice")
    unit = next(r["id"] for r in old.nodes["Organisation"])
    weak = next(r["id"] for r in old.nodes["Village"] if r["tier"] == "weak")
    writes.create_link(store, "pairing", unit, weak, "2026-02-01", actor="bob", funds=3.0)
    station = next(r for r in old.links["STATIONED_IN"] if r["until"] is None)
    writes.end_link(store, "station", station["src"], station["dst"], "2026-03-01", actor="carol")
    # A value a hand edit set that the ledger holds too is no overwrite: not named.
    other = next(r for r in old.links["PAIRED_WITH"][1:] if r["funds"] is not None)
    writes.update_link(store, "pairing", other["src"], other["dst"], other["since"], funds=other["funds"], actor="dan")
    entries = audit.entries(store)
    changes = import_changes.diff(store.dump(), old, REPLACE)
    newer = import_changes.newer_edits(changes, entries, None)
    got = sorted((e.kind, e.actor, e.action, e.prop, e.store, e.ledger) for e in newer)
    assert got == [
        ("PAIRED_WITH", "alice", "pairing.update", "funds", 77.25, pairing["funds"]),
        ("PAIRED_WITH", "bob", "pairing.create", "", None, None),
        ("STATIONED_IN", "carol", "station.end", "until", dt.date(2026, 3, 1), None),
    ]
    removed = next(e for e in newer if e.actor == "bob")
    assert removed.key == (unit, weak, dt.date(2026, 2, 1)) and "removed" in removed.line()
    # A merge keeps bob's pairing: alice's value and carol's end would be reverted.
    merge = import_changes.diff(store.dump(), old, MERGE)
    assert [e.actor for e in import_changes.newer_edits(merge, entries, None)] == ["alice", "carol"]
    # Edits older than the ledger are the ledger's business.
    later = max(e.at for e in entries) + dt.timedelta(seconds=1)
    assert import_changes.newer_edits(changes, entries, later) == []


def test_the_audit_detail_is_bounded(make_store: StoreFactory) -> None:
    store = make_store()  # only its empty dump: the diff is plain Python
    data = Dataset()
    data.nodes["Village"] = [village(f"V{i}", f"村{i}", tier="weak") for i in range(import_changes.AUDIT_ROWS + 5)]
    detail = import_changes.diff(store.dump(), data).audit_detail()
    assert detail["Village"]["added"] == import_changes.AUDIT_ROWS + 5
    assert len(detail["Village"]["added_rows"]) == import_changes.AUDIT_ROWS and detail["Village"]["truncated"]


@pytest.mark.parametrize("label", [n.label for n in NODES])
def test_every_label_has_its_stored_props_compared(label: str) -> None:
    spec = NODE_BY_LABEL[label]
    assert {p for p, _ in import_changes._node_props(spec)} == {p.name for p in spec.stored} - {spec.key}


def _two_counties() -> Dataset:
    """County 甲县 and 乙县, with a unit of 甲县 pairing a village of 乙县 and a cadre stationed in both."""
    data = Dataset()
    data.nodes["Village"] = [
        village("A1", "甲一村", county="甲县", tier="weak"),
        village("A2", "甲二村", county="甲县", tier="weak"),
        village("B1", "乙一村", county="乙县", tier="weak"),
    ]
    unit = {"id": "UA", "name": "甲县财政局", "county": "甲县", "resources": []}
    lone = {"id": "UA2", "name": "甲县教育局", "county": "甲县", "resources": []}
    data.nodes["Organisation"] = [unit, lone]
    data.nodes["Cadre"] = [
        {"id": "K1", "name": "张三", "skills": [], "sent_by": "UA"},
        {"id": "K2", "name": "李四", "skills": [], "sent_by": "UA2"},
    ]
    since = dt.date(2024, 1, 1)
    ends = {"src_label": "Organisation", "dst_label": "Village", "since": since}
    data.links["PAIRED_WITH"] = [{"src": "UA", "dst": "B1", **ends}, {"src": "UA2", "dst": "A1", **ends}]
    station = {"src_label": "Cadre", "dst_label": "Village", "since": since, "role": "first_secretary"}
    data.links["STATIONED_IN"] = [
        {"src": "K1", "dst": "A1", **station},
        {"src": "K1", "dst": "B1", **station},
        {"src": "K2", "dst": "A2", **station},
    ]
    data.links["SENT_BY"] = [
        {"src": "K1", "dst": "UA", "src_label": "Cadre", "dst_label": "Organisation"},
        {"src": "K2", "dst": "UA2", "src_label": "Cadre", "dst_label": "Organisation"},
    ]
    return data


def test_a_county_replace_keeps_what_another_county_is_tied_to(any_store: StoreFactory) -> None:
    _county_replace(any_store(_two_counties()))


def _county_replace(store: GraphStore) -> None:
    current = store.dump()
    resubmitted = Dataset()  # 甲县 now keeps one village and nothing else
    resubmitted.nodes["Village"] = [village("A2", "甲二村", county="甲县", tier="weak", population=5)]
    scope = import_changes.county_scope(current, "甲县", resubmitted)
    changes = import_changes.diff(current, resubmitted, COUNTY, scope=scope, county="甲县")
    removed = {k: sorted(t.removed) for k, t in changes.tables.items() if t.removed}
    # UA pairs 乙县's village and K1 is stationed there too: both stay, with their 乙县 links; K2, sent by
    # UA2 and stationed in 甲县 only, goes with UA2, A1 and every link of theirs.
    assert removed == {
        "Village": [("A1",)],
        "Organisation": [("UA2",)],
        "Cadre": [("K2",)],
        "PAIRED_WITH": [("UA2", "A1", dt.date(2024, 1, 1))],
        "STATIONED_IN": [("K1", "A1", dt.date(2024, 1, 1)), ("K2", "A2", dt.date(2024, 1, 1))],
        "SENT_BY": [("K2", "UA2")],
    }
    store.load_removing(resubmitted, ledger._removed_rows(current, changes))
    after = store.dump()
    assert sorted(r["id"] for r in after.nodes["Village"]) == ["A2", "B1"]
    assert [(r["src"], r["dst"]) for r in after.links["PAIRED_WITH"]] == [("UA", "B1")]
    assert sorted((r["src"], r["dst"]) for r in after.links["STATIONED_IN"]) == [("K1", "B1")]
    assert [(r["src"], r["dst"]) for r in after.links["SENT_BY"]] == [("K1", "UA")]
    assert next(r for r in after.nodes["Village"] if r["id"] == "A2")["population"] == 5
    # A ledger row of the other county is no part of a county replace.
    stranger = Dataset()
    stranger.nodes["Village"] = [village("B1", "乙一村", county="乙县", tier="weak")]
    assert [why for _f, _r, why in import_changes.other_counties(stranger, after, "甲县")] == [
        "of county 乙县, not 甲县"
    ]
