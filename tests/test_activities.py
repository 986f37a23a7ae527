"""Practical projects and activities (graph.activities, `pairing activity`): recorded on a pairing in force,
refused otherwise with nothing changed, authorised on the village's county, audited, and listed exactly."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from graph import accounts, activities, audit
from graph.activities import Activity, Effective
from graph.dataset import Dataset
from graph.errors import ConflictError, PermissionDenied, QueryError
from graph.reasons_zh import reason_text
from graph.store import GraphStore, open_store
from tests.fixtures import PASSWORD, StoreFactory, invoke

HOSTILE_TITLE = '=HYPERLINK("http://x","y")<script>alert(1)</script>'
HOSTILE_NOTE = "'}) MATCH (n) DETACH DELETE n // **粗体** <img src=x onerror=alert(1)>"
ON = dt.date(2026, 3, 1)


def _village(vid: str, county: str, township: str) -> dict[str, Any]:
    return {"id": vid, "name": f"{vid}村", "county": county, "township": township, "tier": "weak", "weak_reasons": []}


def _pairing(src: str, label: str, dst: str, since: dt.date, until: dt.date | None = None) -> dict[str, Any]:
    return {"src": src, "src_label": label, "dst": dst, "dst_label": "Village", "since": since, "until": until}


def small() -> Dataset:
    d = Dataset()
    d.nodes["Village"] = [
        _village("v1", "甲县", "一镇"),
        _village("v2", "甲县", "二镇"),
        _village("v3", "乙县", "三镇"),
    ]
    d.nodes["CityCommunity"] = [{"id": "c1", "name": "社区一"}]
    d.nodes["Enterprise"] = [{"id": "e1", "name": "企业一"}]
    d.links["PAIRED_WITH"] = [
        _pairing("c1", "CityCommunity", "v1", dt.date(2025, 1, 1))
        | {"projects": 4, "last_activity": dt.date(2025, 2, 1)},
        _pairing("c1", "CityCommunity", "v2", dt.date(2024, 1, 1), dt.date(2025, 6, 30)),
        _pairing("e1", "Enterprise", "v3", dt.date(2026, 1, 1)),
    ]
    return d


@pytest.fixture
def store(any_store: StoreFactory) -> GraphStore:
    return any_store(small())


def _stored(store: GraphStore) -> list[tuple[Any, ...]]:
    return [(r["src"], r["dst"], r["date"], r["title"], r["status"]) for r in store.read("export/activity")]


def _audit(store: GraphStore) -> list[tuple[str, str, Any, Any]]:
    return [(e.action, e.target, e.before, e.after) for e in audit.entries(store) if e.action.startswith("activity")]


def test_add_records_the_activity_and_its_audit_entry(store: GraphStore) -> None:
    done = activities.add(
        store,
        "c1",
        "v1",
        ON,
        HOSTILE_TITLE,
        kind="project",
        funds="2.5",  # type: ignore[arg-type]  # a form's text is typed by the model
        beneficiaries=120,
        note=HOSTILE_NOTE,
        actor="tester",
    )
    assert done == Activity(ON, HOSTILE_TITLE, "project", 2.5, 120, "done", HOSTILE_NOTE)
    assert activities.of_pairing(store, "c1", "v1", "2025-01-01") == [done]
    after = {
        "date": "2026-03-01",
        "title": HOSTILE_TITLE,
        "kind": "project",
        "funds": 2.5,
        "beneficiaries": 120,
        "status": "done",
        "note": HOSTILE_NOTE,
    }
    assert _audit(store) == [("activity.add", "c1->v1", None, after)]
    assert [e.actor for e in audit.entries(store)] == ["tester"]
    # The hostile text is one value: the graph around it is whole.
    assert store.counts()["Village"] == 3 and store.counts()["PAIRED_WITH"] == 3


# Each refused activity: what differs from a good one (c1, v1, ON, "新的"), the error and its message's words.
REFUSALS: list[tuple[dict[str, Any], type[Exception], str]] = [
    (
        dict(village="v1", date=dt.date(2024, 12, 31)),
        QueryError,
        "no pairing of 'c1' with 'v1' in force on 2024-12-31",
    ),
    (
        dict(village="v2", date=dt.date(2025, 7, 1)),
        QueryError,
        "no pairing of 'c1' with 'v2' in force on 2025-07-01",
    ),
    (dict(village="v3"), QueryError, "no pairing of 'c1' with 'v3' in force on 2026-03-01"),
    (dict(unit="x9"), QueryError, "no pairing unit (community, enterprise or organisation) with id 'x9'"),
    (dict(unit="v2"), QueryError, "'v2' is a 行政村 (Village), not a pairing unit"),
    (dict(village="nowhere"), QueryError, "no village with id 'nowhere'"),
    (dict(status="finished"), QueryError, "status 'finished': choose one of planned, ongoing, done"),
    (dict(kind="party"), QueryError, "kind 'party': choose one of project, event, funding"),
    (dict(funds=-1), QueryError, "funds -1 is less than 0"),
    (dict(beneficiaries="many"), QueryError, "beneficiaries 'many' is not a number"),
    (dict(title="   "), QueryError, "title is required"),
    (dict(date="2026-02-30"), QueryError, "date: '2026-02-30' is not a date"),
    (dict(title="修路"), ConflictError, "an activity of 'c1' for 'v1' on 2026-03-01 titled '修路' already exists"),
    # The title is trimmed before the duplicate check.
    (dict(title=" 修路 "), ConflictError, "titled '修路' already exists"),
]


def test_a_refused_activity_changes_nothing(store: GraphStore) -> None:
    activities.add(store, "c1", "v1", ON, "修路", actor="t")
    before = (_stored(store), _audit(store))
    # One store for every refusal (each leaves it as it was), not a load per case: loads are the cost on Neo4j.
    for call, error, message in REFUSALS:
        args: dict[str, Any] = {"unit": "c1", "village": "v1", "date": ON, "title": "新的"} | call
        with pytest.raises(error) as caught:
            activities.add(store, args.pop("unit"), args.pop("village"), args.pop("date"), args.pop("title"), **args)
        assert message in str(caught.value)
        assert (_stored(store), _audit(store)) == before, message
        # Each message the app may show has its Chinese words.
        assert reason_text(str(caught.value), "zh") != str(caught.value)


def test_update_and_delete_are_audited_with_before_and_after(store: GraphStore) -> None:
    activities.add(store, "c1", "v1", ON, "培训", status="planned", funds=1, actor="t")
    changed = activities.update(store, "c1", "v1", "2026-03-01", "培训", status="done", beneficiaries=30, actor="t")
    assert changed == Activity(ON, "培训", None, 1.0, 30, "done", None)
    with pytest.raises(QueryError, match="no activity of 'c1' for 'v1' on 2026-03-02 titled '培训'"):
        activities.update(store, "c1", "v1", "2026-03-02", "培训", status="done")
    activities.delete(store, "c1", "v1", ON, "培训", actor="t")
    assert _stored(store) == []
    with pytest.raises(QueryError, match="no activity of"):
        activities.delete(store, "c1", "v1", ON, "培训")
    planned = {"date": "2026-03-01", "title": "培训", "kind": None, "funds": 1.0, "beneficiaries": None, "note": None}
    assert _audit(store) == [
        ("activity.add", "c1->v1", None, planned | {"status": "planned"}),
        (
            "activity.update",
            "c1->v1",
            planned | {"status": "planned"},
            planned | {"status": "done", "beneficiaries": 30},
        ),
        ("activity.delete", "c1->v1", planned | {"status": "done", "beneficiaries": 30}, None),
    ]


def test_accounts_write_only_their_counties_and_only_admins_delete(store: GraphStore, cheap_hashing: None) -> None:
    planner = accounts.add(store, "p1", PASSWORD, "planner", ["甲县"], actor="t")
    viewer = accounts.add(store, "view", PASSWORD, "viewer", actor="t")
    admin = accounts.add(store, "boss", PASSWORD, "admin", actor="t")
    activities.add(store, "c1", "v1", ON, "义诊", account=planner)
    with pytest.raises(PermissionDenied, match="may change villages of 甲县 only, not county '乙县'") as caught:
        activities.add(store, "e1", "v3", ON, "义诊", account=planner)
    assert reason_text(str(caught.value), "zh") == "'p1' 只能修改 甲县 的行政村，不能修改 '乙县' 的（activity.add）"
    with pytest.raises(PermissionDenied, match="is a viewer"):
        activities.add(store, "c1", "v1", ON, "再来", account=viewer)
    with pytest.raises(PermissionDenied, match="only an admin"):
        activities.delete(store, "c1", "v1", ON, "义诊", account=planner)
    activities.update(store, "c1", "v1", ON, "义诊", note="已完成", account=planner)
    assert _stored(store) == [("c1", "v1", ON, "义诊", "done")]
    activities.delete(store, "c1", "v1", ON, "义诊", account=admin)
    assert _stored(store) == []
    assert [(e.actor, e.action) for e in audit.entries(store) if e.action.startswith("activity")] == [
        ("p1", "activity.add"),
        ("p1", "activity.update"),
        ("boss", "activity.delete"),
    ]


def test_a_pairing_lists_its_own_activities_and_derives_its_figures(any_store: StoreFactory) -> None:
    data = small()

    def act(src: str, label: str, dst: str, date: dt.date, title: str, status: str | None) -> dict[str, Any]:
        return {"src": src, "src_label": label, "dst": dst, "dst_label": "Village", "date": date, "title": title} | {
            "status": status
        }

    data.links["ACTIVITY"] = [
        act("c1", "CityCommunity", "v1", dt.date(2024, 12, 31), "结对前", "done"),
        act("c1", "CityCommunity", "v1", dt.date(2025, 5, 1), "无状态", None),
        act("c1", "CityCommunity", "v1", dt.date(2025, 9, 1), "计划中", "planned"),
        act("c1", "CityCommunity", "v2", dt.date(2025, 3, 1), "另一村", "done"),
        act("c1", "CityCommunity", "v2", dt.date(2025, 8, 1), "结对后", "done"),
    ]
    store = any_store(data)
    assert [a.title for a in activities.of_pairing(store, "c1", "v1", dt.date(2025, 1, 1))] == ["计划中", "无状态"]
    assert [a.title for a in activities.of_pairing(store, "c1", "v2", dt.date(2024, 1, 1))] == ["另一村"]
    assert activities.of_pairing(store, "c1", "v1", dt.date(2024, 1, 1)) == []
    # No records up to the day: the columns; then the completed records (blank status counts).
    assert activities.effective(store, "c1", "v1", "2025-01-01", "2025-04-30") == Effective(
        4, dt.date(2025, 2, 1), False
    )
    assert activities.effective(store, "c1", "v1", "2025-01-01", "2026-03-01") == Effective(
        1, dt.date(2025, 5, 1), True
    )
    assert activities.effective(store, "c1", "v2", "2024-01-01", "2026-03-01") == Effective(
        1, dt.date(2025, 3, 1), True
    )
    assert activities.effective(store, "e1", "v3", "2026-01-01", "2026-03-01") == Effective(None, None, False)
    assert activities.effective(store, "e1", "v3", "2025-01-01", "2026-03-01") is None

    rows = activities.listing(store, county="甲县")
    assert [(r.village_id, r.date, r.title, r.status) for r in rows] == [
        ("v1", dt.date(2024, 12, 31), "结对前", "done"),
        ("v1", dt.date(2025, 5, 1), "无状态", None),
        ("v1", dt.date(2025, 9, 1), "计划中", "planned"),
        ("v2", dt.date(2025, 3, 1), "另一村", "done"),
        ("v2", dt.date(2025, 8, 1), "结对后", "done"),
    ]
    assert [r.title for r in activities.listing(store, township="二镇", since="2025-04-01")] == ["结对后"]
    assert [r.title for r in activities.listing(store, since="2025-05-01", until="2025-05-01")] == ["无状态"]
    assert activities.listing(store, county="乙县") == []
    assert activities.listing(store, county="'}) MATCH (n) DETACH DELETE n //") == []
    with pytest.raises(QueryError, match="until 2025-01-01 is before since 2025-02-01"):
        activities.listing(store, since="2025-02-01", until="2025-01-01")


# ---------------------------------------------------------------- the CLI, in-process


@pytest.fixture
def db(any_location: Callable[..., str]) -> str:
    return any_location(small())


def test_cli_add_and_list(db: str, tmp_path: Path) -> None:
    out = invoke(
        "--db", db, "--user", "cli-user", "activity", "add", "--unit", "c1", "--village", "v1", "--date", "2026-03-01",
        "--title", HOSTILE_TITLE, "--kind", "training", "--funds", "3", "--beneficiaries", "45", "--note", HOSTILE_NOTE,
    )  # fmt: skip
    assert out.stdout == f"recorded done activity {HOSTILE_TITLE!r} of c1 for v1 on 2026-03-01\n"
    invoke("--db", db, "activity", "add", "--unit", "e1", "--village", "v3", "--date", "2026-02-01",
           "--title", "消费帮扶", "--status", "planned")  # fmt: skip
    refused = invoke("--db", db, "activity", "add", "--unit", "e1", "--village", "v3", "--date", "2025-12-31",
                     "--title", "早了", code=1)  # fmt: skip
    assert refused.stderr == "error: no pairing of 'e1' with 'v3' in force on 2025-12-31\n"
    assert invoke("--db", db, "activity", "add", "--unit", "e1", "--village", "v3", "--date", "2026-02-01",
                  "--title", "x", "--funds", "-2", code=2).exit_code == 2  # fmt: skip

    rows = json.loads(invoke("--db", db, "activity", "list", "--format", "json").stdout)
    assert rows == [
        {
            "unit_id": "e1", "unit": "企业一", "village_id": "v3", "village": "v3村", "county": "乙县",
            "township": "三镇", "date": "2026-02-01", "kind": None, "title": "消费帮扶", "funds": None,
            "beneficiaries": None, "status": "planned", "note": None,
        },
        {
            "unit_id": "c1", "unit": "社区一", "village_id": "v1", "village": "v1村", "county": "甲县",
            "township": "一镇", "date": "2026-03-01", "kind": "training", "title": HOSTILE_TITLE, "funds": 3.0,
            "beneficiaries": 45, "status": "done", "note": HOSTILE_NOTE,
        },
    ]  # fmt: skip
    only = json.loads(invoke("--db", db, "activity", "list", "--county", "乙县", "--since", "2026-02-01",
                             "--until", "2026-02-01", "--format", "json").stdout)  # fmt: skip
    assert [r["title"] for r in only] == ["消费帮扶"]
    assert json.loads(invoke("--db", db, "activity", "list", "--since", "2026-03-02", "--format", "json").stdout) == []

    csv_text = invoke("--db", db, "activity", "list", "--county", "甲县", "--format", "csv").stdout
    assert (
        csv_text.splitlines()[0]
        == "单位编号,结对单位,村编号,村名,所属县,所属乡镇,时间,类别,项目名称,资金(万元),受益人数,状态,情况说明"
    )
    assert csv_text.splitlines()[1].startswith("c1,社区一,v1,v1村,甲县,一镇,2026-03-01,培训,\"'=HYPERLINK(")
    xlsx = tmp_path / "activities.xlsx"
    invoke("--db", db, "activity", "list", "--lang", "en", "-o", str(xlsx))
    sheet = load_workbook(xlsx).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Practical projects and activities"
    assert values[1] == ("Unit ID", "Unit", "Village ID", "Village", "County", "Township", "Date", "Kind", "Title",
                         "Funds (10k yuan)", "Beneficiaries", "Status", "Note")  # fmt: skip
    # 乙县 sorts before 甲县.
    assert values[3][8] == "'" + HOSTILE_TITLE and values[3][7] == "training" and values[2][11] == "planned"
    with open_store(db) as store:
        assert [e.actor for e in audit.entries(store)] == ["cli-user", audit.default_actor()]


def test_cli_set_and_delete(db: str) -> None:
    key = ("--unit", "c1", "--village", "v1", "--date", "2026-03-01", "--title", "培训")
    invoke("--db", db, "activity", "add", *key, "--status", "planned", "--funds", "1")
    out = invoke("--db", db, "--user", "张三", "activity", "set", *key, "--status", "done", "--beneficiaries", "12")
    assert out.stdout == "updated activity '培训' of c1 for v1 on 2026-03-01: status done\n"
    (row,) = json.loads(invoke("--db", db, "activity", "list", "--format", "json").stdout)
    assert (row["status"], row["funds"], row["beneficiaries"]) == ("done", 1.0, 12)
    assert "nothing to change" in invoke("--db", db, "activity", "set", *key, code=2).stderr
    missing = invoke("--db", db, "activity", "set", *key[:-1], "没有", "--status", "done", code=1)
    assert missing.stderr == "error: no activity of 'c1' for 'v1' on 2026-03-01 titled '没有'\n"
    out = invoke("--db", db, "--user", "张三", "activity", "delete", *key)
    assert out.stdout == "deleted activity '培训' of c1 for v1 on 2026-03-01\n"
    assert json.loads(invoke("--db", db, "activity", "list", "--format", "json").stdout) == []
    with open_store(db) as store:
        assert [(e.actor, e.action) for e in audit.entries(store)] == [
            (audit.default_actor(), "activity.add"),
            ("张三", "activity.update"),
            ("张三", "activity.delete"),
        ]
