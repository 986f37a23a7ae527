"""The graph comparison the round-trip tests rely on finds every kind of difference (else they pass hollow)."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable

import pytest

from graph.dataset import Dataset
from tests.fixtures import assert_same_graph, graph_differences


def two_links() -> Dataset:
    data = Dataset()
    data.nodes["Village"] = [{"id": "V1", "name": "东村", "tier": "weak", "weak_reasons": ["economy"]}]
    data.nodes["Organisation"] = [{"id": "O1", "name": "教育局"}]
    pairing = {"src": "O1", "src_label": "Organisation", "dst": "V1", "dst_label": "Village", "form": "assigned"}
    data.links["PAIRED_WITH"] = [
        {**pairing, "since": dt.date(2020, 1, 1), "until": dt.date(2023, 12, 31), "funds": 1.5, "projects": 2},
        {**pairing, "since": dt.date(2024, 1, 1), "until": None, "funds": None, "projects": 0},
    ]
    return data


def _set(kind: str, index: int, key: str, value: object) -> Callable[[Dataset], None]:
    def change(data: Dataset) -> None:
        rows = data.links[kind] if kind.isupper() else data.nodes[kind]
        rows[index][key] = value

    return change


@pytest.mark.parametrize(
    "change",
    [
        _set("PAIRED_WITH", 0, "until", dt.date(2023, 12, 30)),  # a date
        _set("PAIRED_WITH", 0, "until", "2023-12-31"),  # a date as text
        _set("PAIRED_WITH", 0, "funds", 1.5000001),  # a float
        _set("PAIRED_WITH", 1, "funds", 0.0),  # a null that became a number
        _set("PAIRED_WITH", 1, "projects", None),  # a number that became a null
        _set("PAIRED_WITH", 0, "form", "chosen"),
        _set("PAIRED_WITH", 0, "src", "O2"),  # an end
        _set("PAIRED_WITH", 0, "dst_label", "CityCommunity"),
        _set("Village", 0, "weak_reasons", ["economy", "venue"]),  # a list
        _set("Village", 0, "weak_reasons", []),
        _set("Village", 0, "name", "西村"),
        lambda data: data.links["PAIRED_WITH"].pop(),
        lambda data: data.links["PAIRED_WITH"].append(dict(data.links["PAIRED_WITH"][0])),
        lambda data: data.nodes["Cadre"].append({"id": "K1", "name": "干部"}),
    ],
)
def test_every_difference_is_found(change: Callable[[Dataset], None]) -> None:
    want = two_links()
    got = copy.deepcopy(want)
    change(got)
    assert graph_differences(got, want)
    assert graph_differences(want, got)
    with pytest.raises(AssertionError, match="differences"):
        assert_same_graph(got, want)


def test_order_and_absent_properties_are_no_difference() -> None:
    want = two_links()
    got = copy.deepcopy(want)
    got.links["PAIRED_WITH"].reverse()
    got.nodes["Village"][0] |= {"population": None, "industries": []}  # what a store gives for "not set"
    assert_same_graph(got, want)
    assert graph_differences(got, want, approx=True) == []
