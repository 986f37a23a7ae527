"""本期变化 and the trend (graph.period): checked against the reference on random graphs, a hand-made
county whose every section is worked out by hand, the demo data through the CLI, and hostile names."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from graph import gaps, period, period_report
from graph.dataset import Dataset
from graph.errors import QueryError
from graph.store import GraphStore
from tests.fixtures import StoreFactory, engine_examples, invoke, seed_dataset, store_file, synth_dataset
from tests.test_gaps import datasets, day, policies
from tools import reference

D1, D2 = dt.date(2026, 1, 1), dt.date(2026, 7, 1)


# ---------------------------------------------------------------- random graphs against the reference

# The random graphs' dates cluster in January 2026 (tests.test_gaps): periods inside it and a little beyond.
period_start = st.integers(0, 30).map(day)
period_length = st.integers(1, 70)


def _link_rows(
    data: Dataset, county: str | None, township: str | None, city: str | None = None
) -> list[tuple[str, dict[str, Any]]]:
    villages = {v["id"]: v for v in data.nodes["Village"]}
    kinds = {"PAIRED_WITH": "pairing", "LEADS": "lead", "FUSED_WITH": "fusion", "STATIONED_IN": "station"}
    out = []
    for rel, kind in kinds.items():
        for r in data.links[rel]:
            v = villages[r["dst"]]
            if any(
                want and v.get(key) != want
                for key, want in (("county", county), ("township", township), ("city", city))
            ):
                continue
            if r.get("until") is not None and r["until"] < r["since"]:
                continue
            out.append((kind, r))
    return out


@pytest.mark.slow  # ~15 s on Ladybug (60 graphs, each loaded and asked for the changes and a trend)
def test_changes_and_trend_equal_the_reference(engine: str, any_store: StoreFactory) -> None:
    store = any_store()
    examples = engine_examples(engine, int(os.environ.get("PERIOD_EXAMPLES", "60")), 6)

    @settings(
        max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
    )
    @given(
        data=datasets(),
        start=period_start,
        length=period_length,
        county=st.sampled_from([None, "甲县"]),
        township=st.sampled_from([None, "一镇"]),
        city=st.sampled_from([None, "东市"]),
        policy=policies,
    )
    def check(
        data: Dataset,
        start: dt.date,
        length: int,
        county: str | None,
        township: str | None,
        city: str | None,
        policy: str,
    ) -> None:
        store.load(data, replace=True)
        end = start + dt.timedelta(days=length)
        g = reference.build(data)
        found = period.changes(store, start, end, county, township, city=city)
        before = {r.village_id for r in reference.unpaired(g, start, county, township, city)}
        after = {r.village_id for r in reference.unpaired(g, end, county, township, city)}
        assert [x.village_id for x in found.new_gaps] == sorted(after - before, key=_place(data))
        assert [x.village_id for x in found.closed_gaps] == sorted(before - after, key=_place(data))
        # Every new gap names the links that ended its cover: active on D1, not on D2, of its village.
        for gap in found.new_gaps:
            assert gap.origin == period.DATA and gap.links and gap.reason
            assert all(
                x.village_id == gap.village_id and x.active_on(start) and not x.active_on(end) for x in gap.links
            )
        # Coverage per township: the reference's on each day.
        for when, weak_of, covered_of in ((start, "weak_from", "covered_from"), (end, "weak_to", "covered_to")):
            expected = [
                (r.city, r.county, r.township, r.weak, r.covered)
                for r in reference.coverage(g, when, "township", county, city)
                if township in (None, r.township)
            ]
            got = [(c.city, c.county, c.township, getattr(c, weak_of), getattr(c, covered_of)) for c in found.coverage]
            assert got == (expected)
        # Started and ended, from the dataset's own links.
        links = _link_rows(data, county, township, city)
        started = sorted((k, r["src"], r["dst"], r["since"]) for k, r in links if start < r["since"] <= end)
        ended = sorted(
            (k, r["src"], r["dst"], r["since"]) for k, r in links if r["until"] and start <= r["until"] < end
        )
        assert sorted((x.kind, x.partner_id, x.village_id, x.since) for x in found.started) == started
        assert sorted((x.kind, x.partner_id, x.village_id, x.since) for x in found.ended) == ended

        # With a policy on D2 (D1 judged by the default): every gap that changed is in one list, with its origin.
        ruled = period.changes(store, start, end, county, township, policy=policy, policy_from="any", city=city)
        on_from = {r.village_id for r in reference.gap_list(g, start, "any", county, township, city)}
        on_to = {r.village_id for r in reference.gap_list(g, end, policy, county, township, city)}
        rule_on_from = {r.village_id for r in reference.gap_list(g, start, policy, county, township, city)}
        assert {x.village_id: x.origin for x in ruled.new_gaps} == {
            v: period.RULE if v in rule_on_from else period.DATA for v in on_to - on_from
        }
        assert {x.village_id: x.origin for x in ruled.closed_gaps} == {
            v: period.DATA if v in rule_on_from else period.RULE for v in on_from - on_to
        }

        # The trend: each point is the reference's coverage and paper pairings on its day.
        for point in period.trend(store, start, end, county=county, township=township, city=city):
            rows = [
                r for r in reference.coverage(g, point.day, "township", county, city) if township in (None, r.township)
            ]
            assert (point.weak, point.covered) == (sum(r.weak for r in rows), sum(r.covered for r in rows))
            assert point.paper == len(reference.inactive(g, point.day, county, township, city=city))

    check()


def _place(data: Dataset) -> Any:
    villages = {v["id"]: v for v in data.nodes["Village"]}

    def key(vid: str) -> tuple[Any, ...]:
        v = villages[vid]
        return (v.get("county") is None, v.get("county") or "", v.get("township") is None, v.get("township") or "", vid)

    return key


def test_the_trend_of_a_county_is_the_coverage_on_each_months_last_day(engine: str, any_store: StoreFactory) -> None:
    store = any_store("county")
    county = gaps.coverage(store, D2)[0].county
    points = period.trend(store, dt.date(2025, 11, 1), dt.date(2026, 11, 1), county=county)
    # Month ends from November 2025 to October 2026, then 1 November 2026 (a month still running).
    assert [p.day for p in points] == [
        *(dt.date(2025, 11, 30), dt.date(2025, 12, 31)),
        *(dt.date(2026, m + 1, 1) - dt.timedelta(days=1) for m in range(1, 11)),
        dt.date(2026, 11, 1),
    ]
    for point in points:
        (row,) = gaps.coverage(store, point.day, "county", county)
        assert (point.weak, point.covered, point.rate) == (row.weak, row.covered, row.rate)
        assert point.paper == len(gaps.inactive(store, point.day, county))
    assert len({p.covered for p in points}) > 1  # the figures move: the test compares something


def test_a_unit_whose_sent_cadre_stays_is_not_withdrawn(engine: str, any_store: StoreFactory) -> None:
    # The synthetic county's 2025: a community's last pairing ended, but the cadre it sent is still stationed.
    data = synth_dataset("county")
    store = any_store(data)
    d1, d2 = dt.date(2024, 12, 31), dt.date(2025, 12, 31)

    def active(link: dict[str, Any]) -> bool:
        return bool(link["since"] <= d2 and (link["until"] is None or link["until"] >= d2))

    sent = {link["src"]: link["dst"] for link in data.links["SENT_BY"]}
    still = {link["src"] for rel in ("PAIRED_WITH", "FUSED_WITH") for link in data.links[rel] if active(link)}
    still |= {sent[link["src"]] for link in data.links["STATIONED_IN"] if active(link) and link["src"] in sent}
    ended = {link.partner_id for link in period.links_changed(store, d1, d2) if link.kind in ("pairing", "fusion")}
    assert ended & still, "the data has no unit that the test is about"
    withdrawn = {w.unit_id for w in period.changes(store, d1, d2).withdrawn}
    assert not withdrawn & still


def test_month_ends() -> None:
    assert period.month_ends("2026-01-31", "2026-03-31") == [
        dt.date(2026, 1, 31),
        dt.date(2026, 2, 28),
        dt.date(2026, 3, 31),
    ]
    assert period.month_ends("2026-01-15", "2026-02-10") == [dt.date(2026, 1, 31), dt.date(2026, 2, 10)]
    assert period.month_ends("2026-01-15", "2026-01-20") == [dt.date(2026, 1, 20)]
    with pytest.raises(QueryError):
        period.month_ends(D2, D1)


# ---------------------------------------------------------------- a county worked out by hand


def _village(vid: str, tier: str = "weak", name: str | None = None) -> dict[str, Any]:
    return {
        "id": vid,
        "name": name or f"村{vid}",
        "county": "甲县",
        "township": "一镇",
        "tier": tier,
        "weak_reasons": [],
    }


def _link(src: str, label: str, dst: str, since: str, until: str | None = None, **props: Any) -> dict[str, Any]:
    return {
        "src": src,
        "src_label": label,
        "dst": dst,
        "dst_label": "Village",
        "since": dt.date.fromisoformat(since),
        "until": dt.date.fromisoformat(until) if until else None,
        **props,
    }


def hand_made(names: dict[str, str] | None = None) -> Dataset:
    """D1 = 2026-01-01, D2 = 2026-07-01. The comments say what each link is in the report."""
    n = names or {}
    d = Dataset()
    d.nodes["Village"] = [
        *(_village(v, name=n.get(v)) for v in ("w1", "w2", "w3", "w4", "w5")),
        _village("s1", "strong"),
        _village("o1", "ordinary"),
    ]
    d.nodes["CityCommunity"] = [{"id": "c1", "name": n.get("c1", "社区一")}, {"id": "c2", "name": "社区二"}]
    d.nodes["Enterprise"] = [{"id": "e1", "name": n.get("e1", "企业一")}]
    d.nodes["Organisation"] = [{"id": "g1", "name": "局一"}, {"id": "g2", "name": n.get("g2", "局二")}]
    d.nodes["Cadre"] = [
        {"id": "k1", "name": n.get("k1", "张一"), "sent_by": "g1"},
        {"id": "k2", "name": "李二", "sent_by": "g1"},
        {"id": "k3", "name": "王三", "sent_by": "c1"},
        {"id": "k4", "name": "赵四", "sent_by": "g2"},
    ]
    d.links["SENT_BY"] = [
        {"src": k, "src_label": "Cadre", "dst": u, "dst_label": label}
        for k, u, label in (
            ("k1", "g1", "Organisation"),
            ("k2", "g1", "Organisation"),
            ("k3", "c1", "CityCommunity"),
            ("k4", "g2", "Organisation"),
        )
    ]
    d.links["PAIRED_WITH"] = [
        _link("c1", "CityCommunity", "w1", "2025-01-01", "2026-03-31"),  # ended
        _link("c1", "CityCommunity", "o1", "2026-02-01"),  # started
        _link("e1", "Enterprise", "w2", "2025-06-01", "2026-01-01"),  # ended on D1 (active on D1)
        _link("e1", "Enterprise", "w3", "2026-07-01"),  # started on D2 (active on D2)
        _link("g1", "Organisation", "w3", "2026-07-02"),  # after the period: neither
        _link("g1", "Organisation", "w2", "2025-01-01", "2026-07-01", last_activity=dt.date(2025, 12, 1)),  # neither
        _link("c1", "CityCommunity", "w4", "2024-01-01", "2026-06-30"),  # ended: w4's only cover
        _link("g2", "Organisation", "o1", "2025-01-01", "2026-02-15"),  # ended
        _link("c2", "CityCommunity", "o1", "2024-01-01", "2025-12-31"),  # ended before the period: neither
        _link("c1", "CityCommunity", "w2", "2025-03-01"),  # neither; a paper pairing by D2
        _link("c2", "CityCommunity", "w3", "2026-03-01", "2026-07-01"),  # started; not ended (active on D2)
    ]
    d.links["FUSED_WITH"] = [
        _link("e1", "Enterprise", "w2", "2025-01-01", "2026-05-31"),  # ended
        _link("e1", "Enterprise", "w5", "2026-03-01"),  # started: w5's first cover
    ]
    d.links["LEADS"] = [_link("s1", "Village", "w1", "2025-05-01", "2026-06-30", mode="联建")]  # ended
    d.links["STATIONED_IN"] = [
        _link("k1", "Cadre", "w1", "2024-01-01", "2026-04-30", role="first_secretary"),  # ended
        _link("k2", "Cadre", "w1", "2026-05-03", role="first_secretary"),  # started: k1's successor
        _link("k3", "Cadre", "w3", "2025-01-01", "2026-02-28", role="team_member"),  # ended, no successor
        _link("k4", "Cadre", "w2", "2025-03-01", "2026-06-01", role="team_member"),  # ended
    ]
    return d


def test_every_section_of_a_hand_made_county(engine: str, any_store: StoreFactory) -> None:
    store = any_store(hand_made())
    found = period.changes(store, D1, D2, county="甲县")

    assert {(x.kind, x.partner_id, x.village_id) for x in found.started} == {
        ("pairing", "c1", "o1"),
        ("pairing", "e1", "w3"),
        ("pairing", "c2", "w3"),
        ("station", "k2", "w1"),
        ("fusion", "e1", "w5"),
    }
    assert {(x.kind, x.partner_id, x.village_id, x.until) for x in found.ended} == {
        ("pairing", "c1", "w1", dt.date(2026, 3, 31)),
        ("pairing", "e1", "w2", dt.date(2026, 1, 1)),
        ("pairing", "c1", "w4", dt.date(2026, 6, 30)),
        ("pairing", "g2", "o1", dt.date(2026, 2, 15)),
        ("fusion", "e1", "w2", dt.date(2026, 5, 31)),
        ("lead", "s1", "w1", dt.date(2026, 6, 30)),
        ("station", "k1", "w1", dt.date(2026, 4, 30)),
        ("station", "k3", "w3", dt.date(2026, 2, 28)),
        ("station", "k4", "w2", dt.date(2026, 6, 1)),
    }
    assert [(r.village_id, r.cadre_id, r.successor_id, r.until, r.since, r.gap_days) for r in found.rotated] == [
        ("w1", "k1", "k2", dt.date(2026, 4, 30), dt.date(2026, 5, 3), 2)
    ]
    assert [(w.unit_label, w.unit_id, w.links_ended, w.last_until, w.villages) for w in found.withdrawn] == [
        ("Organisation", "g2", 2, dt.date(2026, 6, 1), ("村o1", "村w2"))
    ]
    (new,) = found.new_gaps
    assert (new.village_id, new.origin, [x.partner_id for x in new.links]) == ("w4", "data", ["c1"])
    assert new.reason == "结对单位 社区一 的城乡结对于 2026-06-30 结束"
    (closed,) = found.closed_gaps
    assert (closed.village_id, closed.origin, [x.partner_id for x in closed.links]) == ("w5", "data", ["e1"])
    assert closed.reason == "企业 企业一 的村企融合于 2026-03-01 开始"
    assert [(p.unit_id, p.village_id, p.origin) for p in found.paper_appeared] == [("c1", "w2", "data")]
    assert sorted((p.unit_id, p.village_id) for p in found.paper_gone) == [("c1", "w1"), ("c1", "w4"), ("g2", "o1")]
    (township,) = found.coverage
    assert (township.weak_from, township.covered_from, township.weak_to, township.covered_to) == (5, 4, 5, 4)
    assert township.covered_diff == 0 and township.rate_diff == 0.0
    assert found.tier_changes == []

    # A station's end names its cadre and the sending unit, in either language.
    k1 = next(x for x in found.ended if x.partner_id == "k1")
    assert k1.words("zh", ended=True) == "驻村干部 张一（局一派出）驻村任期于 2026-04-30 结束"
    assert k1.words("en", ended=True) == "cadre 张一 (sent by 局一): term ended 2026-04-30"


def test_a_change_of_rule_is_told_from_a_change_of_data(make_store: StoreFactory) -> None:
    store = make_store(hand_made())
    # D2 asks for a stationed cadre, D1 for any support. w5 fails both (no cadre ever): not new.
    # w2 and w3 had a cadre on D1 whose term ended: data. w4 never had one: D2's rule finds it on D1's data.
    found = period.changes(store, D1, D2, policy="station", policy_from="any")
    by_village = {g.village_id: g for g in found.new_gaps}
    assert {v: g.origin for v, g in by_village.items()} == {"w2": "data", "w3": "data", "w4": "rule"}
    assert [x.partner_id for x in by_village["w2"].links] == ["k4"]
    assert [x.partner_id for x in by_village["w3"].links] == ["k3"]
    assert by_village["w4"].links == () and by_village["w4"].reason.startswith("规则变化")
    assert found.closed_gaps == []
    # The paper-pairing window shortened to 100 days on D2 (cut-off 2026-03-23): c1→o1 (since 2026-02-01),
    # c2→w3 (since 2026-03-01) and g1→w2 (last activity 2025-12-01) appear by the data; c1→w2 (since
    # 2025-03-01, never active) was already one on D1 by 100 days (cut-off 2025-09-23): a rule change.
    shorter = period.changes(store, D1, D2, days=100, days_from=365)
    assert {(p.unit_id, p.village_id): p.origin for p in shorter.paper_appeared} == {
        ("c1", "o1"): "data",
        ("c2", "w3"): "data",
        ("g1", "w2"): "data",
        ("c1", "w2"): "rule",
    }


# ---------------------------------------------------------------- the CLI


def test_the_demo_datas_changes_as_json(tmp_path: Path) -> None:
    db = store_file(tmp_path / "seed.lbug", "seed")
    out = invoke("--db", db, "changes", "--from", "2025-11-01", "--to", "2026-11-01", "--format", "json").output
    found = json.loads(out)
    g = reference.build(seed_dataset())
    d1, d2 = dt.date(2025, 11, 1), dt.date(2026, 11, 1)
    before, after = set(reference.unpaired_ids(g, d1)), set(reference.unpaired_ids(g, d2))
    assert {r["village_id"] for r in found["new_gaps"]} == after - before != set()
    assert {r["village_id"] for r in found["closed_gaps"]} == before - after != set()
    for row in found["new_gaps"] + found["closed_gaps"]:
        assert row["reason"] and row["links"]
    assert set(period.SECTIONS) <= set(found)


def test_the_cli_table_and_trend(tmp_path: Path) -> None:
    db = store_file(tmp_path / "hand.lbug", hand_made())
    table = invoke("--db", db, "changes", "--from", "2026-01-01", "--to", "2026-07-01", "--county", "甲县").output
    assert "新增缺口（1）" in table and "驻村干部轮换（1）" in table and "撤出单位（1）" in table
    english = invoke("--db", db, "changes", "--from", "2026-01-01", "--to", "2026-07-01", "--lang", "en").output
    assert "pairing with 社区一 ended 2026-06-30" in english
    csv_text = invoke("--db", db, "trend", "--from", "2026-01-01", "--to", "2026-07-01", "--format", "csv").output
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("月份,统计日期,后进村数,已覆盖")
    assert [line.split(",")[1] for line in lines[1:]] == [
        "2026-01-31",
        "2026-02-28",
        "2026-03-31",
        "2026-04-30",
        "2026-05-31",
        "2026-06-30",
        "2026-07-01",
    ]
    # --city reaches the queries: these villages lie in no city, so none of them is in 别的市.
    weak = [int(line.split(",")[2]) for line in lines[1:]]
    trend = ("trend", "--from", "2026-01-01", "--to", "2026-07-01", "--city", "别的市", "--format", "csv")
    elsewhere = invoke("--db", db, *trend).output.strip().splitlines()[1:]
    assert min(weak) > 0 and [int(line.split(",")[2]) for line in elsewhere] == [0] * len(weak)
    period_json = ("changes", "--from", "2026-01-01", "--to", "2026-07-01", "--city", "别的市", "--format", "json")
    report = json.loads(invoke("--db", db, *period_json).output)
    assert report["city"] == "别的市" and report["new_gaps"] == [] and report["started"] == []
    bad = invoke("--db", db, "changes", "--from", "2026-07-01", "--to", "2026-01-01", code=1)
    assert "must end after it begins" in bad.output


HOSTILE = {
    "w4": '=HYPERLINK("http://x","点我")',
    "c1": "+cmd|' /C calc'!A0",
    "e1": "@SUM(1,2)",
    "g2": "-2+3",
    "k1": "<script>alert(1)</script>",
}


def test_hostile_names_stay_text_in_the_workbook(tmp_path: Path) -> None:
    db = store_file(tmp_path / "hostile.lbug", hand_made(HOSTILE))
    target = tmp_path / "changes.xlsx"
    invoke("--db", db, "changes", "--from", "2026-01-01", "--to", "2026-07-01", "--format", "xlsx", "-o", str(target))
    wb = load_workbook(target)
    assert wb.sheetnames == [s.zh for s in period_report.SECTIONS]
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in cells)
    texts = {c.value for c in cells}
    for name in HOSTILE.values():
        if name[0] in "=+-@":
            assert "'" + name in texts, name
            assert name not in texts
        else:
            assert name in texts
    # Reasons hold the names inside a sentence, not at its start: they stay as they are.
    new = wb["新增缺口"]
    assert [c.value for c in new[2]][:3] == ["序号", "村编号", "村名"]
    assert new.cell(row=3, column=1).value == 1
    assert new.cell(row=3, column=3).value == "'" + HOSTILE["w4"]
    assert HOSTILE["c1"] in str(new.cell(row=3, column=9).value)


def test_the_report_sections_are_the_changes_sections() -> None:
    assert tuple(s.key for s in period_report.SECTIONS) == period.SECTIONS


def test_a_period_must_move_forward(make_store: StoreFactory) -> None:
    store: GraphStore = make_store()
    with pytest.raises(QueryError):
        period.changes(store, D2, D2)
    with pytest.raises(QueryError):
        period.trend(store, D1, D2, by="week")
    assert io.BytesIO(period_report.xlsx_bytes(period.changes(store, D1, D2))).getvalue()[:2] == b"PK"
