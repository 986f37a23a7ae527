"""三张清单's lists on each engine agree with the plain-Python reference (tools.reference) on random data.

Random programmes (hypothesis) hold needs of every status, posted around the 90-day cut-off, of no village
too; several claims per need in every status (and none recorded), made around the cut-off, due either side
of the day; activities of the claiming units dated either side of their claims. The claim rate and the
completion rate per county and township equal a plain-Python computation written here from the definitions.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import lists
from graph.dataset import Dataset
from graph.model import ITEM_KIND, NEED_STATUS, PROJECT_STATUS, UNIT_LABELS
from graph.store import GraphStore
from tests.fixtures import StoreFactory, engine_examples
from tools import reference

ASOF = dt.date(2026, 6, 30)
COUNTIES = ("甲县", "乙县", None)
TOWNSHIPS = ("一镇", "二镇", None)


def day(offset: int) -> dt.date:
    return ASOF + dt.timedelta(days=offset)


# Around the 90-day cut-off and the day itself, so that the boundaries come up often.
around_cutoff = st.integers(-95, -85).map(day)
around_day = st.integers(-3, 3).map(day)
any_day = st.one_of(around_cutoff, around_day, st.integers(-400, 10).map(day))


@st.composite
def programmes(draw: st.DrawFn) -> Dataset:
    data = Dataset()
    n_villages = draw(st.integers(1, 5))
    for i in range(n_villages):
        data.nodes["Village"].append(
            {
                "id": f"v{i}",
                "name": f"村{i}",
                "county": draw(st.sampled_from(COUNTIES)),
                "township": draw(st.sampled_from(TOWNSHIPS)),
                "tier": "weak",
                "weak_reasons": [],
            }
        )
    units: list[tuple[str, str]] = []
    for label in UNIT_LABELS:
        for i in range(draw(st.integers(0, 2))):
            uid = f"{label[:3].lower()}{i}"
            units.append((uid, label))
            data.nodes[label].append({"id": uid, "name": f"{label}{i}", "county": draw(st.sampled_from(COUNTIES))})
    villages = [f"v{i}" for i in range(n_villages)]
    for i in range(draw(st.integers(0, 8))):
        nid = f"n{i}"
        data.nodes["Need"].append(
            {
                "id": nid,
                "name": f"需求{i}",
                "kind": draw(st.one_of(st.none(), st.sampled_from(ITEM_KIND.codes))),
                "posted": draw(st.one_of(st.none(), any_day)),
                "status": draw(st.one_of(st.none(), st.sampled_from(NEED_STATUS.codes))),
            }
        )
        # Most needs have a village; one of none is a ledger's mistake the lists must survive.
        village = draw(st.one_of(st.sampled_from(villages), st.none()))
        if village is not None:
            data.links["NEED_OF"].append({"src": nid, "src_label": "Need", "dst": village, "dst_label": "Village"})
        if units:
            claimers = draw(st.lists(st.sampled_from(units), unique=True, max_size=3))
            for uid, label in claimers:
                data.links["CLAIMED"].append(
                    {
                        "src": uid,
                        "src_label": label,
                        "dst": nid,
                        "dst_label": "Need",
                        "claimed": draw(st.one_of(around_cutoff, any_day)),
                        "status": draw(st.one_of(st.none(), st.sampled_from(PROJECT_STATUS.codes))),
                        "due": draw(st.one_of(st.none(), around_day, any_day)),
                        "done": None,
                    }
                )
    if units:
        seen = set()
        for _ in range(draw(st.integers(0, 6))):
            uid, label = draw(st.sampled_from(units))
            village, date = draw(st.sampled_from(villages)), draw(any_day)
            if (uid, village, date) in seen:  # ends, date and title make one activity
                continue
            seen.add((uid, village, date))
            data.links["ACTIVITY"].append(
                {"src": uid, "src_label": label, "dst": village, "dst_label": "Village", "date": date,
                 "title": "实事", "kind": "project", "status": draw(st.sampled_from(["done", "planned"]))}
            )  # fmt: skip
    return data


def plain_rates(data: Dataset, by: str) -> dict[tuple[str | None, str | None], tuple[int, int, int, Any, Any]]:
    """The rates from the docs' words alone, on the Dataset's rows (no graph, no shared helper)."""
    village_of = {r["src"]: r["dst"] for r in data.links["NEED_OF"]}
    places = {v["id"]: (v["county"], v["township"] if by == "township" else None) for v in data.nodes["Village"]}
    live: dict[str, list[str]] = {}
    for c in data.links["CLAIMED"]:
        if c["status"] != "not_chosen":
            live.setdefault(c["dst"], []).append(c["status"] or "claimed")
    acc: dict[tuple[str | None, str | None], list[int]] = {}
    for need in data.nodes["Need"]:
        if need["status"] == "withdrawn" or need["id"] not in village_of:
            continue
        claims = live.get(need["id"], [])
        done = need["status"] == "done" or "done" in claims
        claimed = done or need["status"] == "claimed" or bool(claims)
        row = acc.setdefault(places[village_of[need["id"]]], [0, 0, 0])
        row[0] += 1
        row[1] += int(claimed)
        row[2] += int(done)
    return {place: (n, k, d, k / n if n else None, d / k if k else None) for place, (n, k, d) in acc.items()}


# Neo4j runs far fewer examples (engine_examples): each is a load and a handful of queries over bolt.
SUPPRESSED = [HealthCheck.too_slow, HealthCheck.data_too_large]


@pytest.mark.slow  # ~20 s on Ladybug: 150 random programmes, each loaded and asked every list; ~5 s on Neo4j
def test_every_list_equals_the_reference(engine: str, any_store: StoreFactory) -> None:
    # One store for every example: `load(replace=True)` of a small graph is cheaper than a fresh store.
    store = any_store()
    examples = engine_examples(
        engine, int(os.environ.get("LISTS_EXAMPLES", "150")), int(os.environ.get("LISTS_NEO4J_EXAMPLES", "12"))
    )

    @settings(max_examples=examples, deadline=None, suppress_health_check=SUPPRESSED)
    @given(
        data=programmes(),
        asof=st.one_of(st.just(ASOF), around_day),
        county=st.sampled_from([None, "甲县"]),
        township=st.sampled_from([None, "一镇"]),
        days=st.sampled_from([0, 1, 90, lists.STALE_AFTER_DAYS + 2]),
    )
    def every_list(data: Dataset, asof: dt.date, county: str | None, township: str | None, days: int) -> None:
        store.load(data, replace=True)
        check_every_list(store, data, asof, county, township, days)

    every_list()


def check_every_list(
    store: GraphStore, data: Dataset, asof: dt.date, county: str | None, township: str | None, days: int
) -> None:
    g = reference.build(data)
    assert lists.stale_needs(store, asof, county, township, days) == reference.stale_needs(
        g, asof, county, township, days
    )
    assert lists.overdue_projects(store, asof, county, township) == reference.overdue_projects(
        g, asof, county, township
    )
    assert lists.idle_claimers(store, asof, county, township, days) == reference.idle_claimers(
        g, asof, county, township, days
    )
    for by in ("county", "township"):
        got = lists.rates(store, by, county)
        assert got == reference.claim_rates(g, by, county)
        plain = plain_rates(data, by)
        if county:
            plain = {place: v for place, v in plain.items() if place[0] == county}
        assert {(r.county, r.township): (r.needs, r.claimed, r.done, r.claim_rate, r.completion_rate) for r in got} == (
            plain
        )
    # Every need's state, as the needs list gives it, is the reference's.
    states = {n.need_id: n.status for n in lists.needs(store)}
    assert states == {n["id"]: reference.need_state(g, n["id"]) for n in data.nodes["Need"]}


def test_rates_per_county_equal_plain_python(engine: str, any_store: StoreFactory) -> None:
    """The must-show of issue #17 in the fast run too: fewer examples, the rates only."""
    store = any_store()
    examples = engine_examples(
        engine,
        int(os.environ.get("LISTS_FAST_EXAMPLES", "30")),
        int(os.environ.get("LISTS_FAST_NEO4J_EXAMPLES", "5")),
    )

    @settings(max_examples=examples, deadline=None, suppress_health_check=SUPPRESSED)
    @given(data=programmes(), county=st.sampled_from([None, "甲县"]))
    def rates(data: Dataset, county: str | None) -> None:
        store.load(data, replace=True)
        got = lists.rates(store, "county", county)
        plain = {place: v for place, v in plain_rates(data, "county").items() if not county or place[0] == county}
        got_rates = {(r.county, r.township): (r.needs, r.claimed, r.done, r.claim_rate, r.completion_rate) for r in got}
        assert got_rates == plain

    rates()
