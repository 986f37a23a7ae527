"""Helpers the test files share: where things are, the data the stores are built from, the CLI, graph comparison.

Plain functions (no pytest fixtures): `conftest.py` builds its fixtures on them, and a test module imports
them directly. Everything random here has a fixed seed, so a failure reproduces.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from click.testing import CliRunner, Result

from graph.dataset import Dataset, Row
from graph.model import NODE_BY_LABEL, REL_BY_TYPE, Prop
from graph.store import GraphStore, LadybugStore, Neo4jStore

if TYPE_CHECKING:
    from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seed"
APP = ROOT / "app.py"
# Where the browser test writes its screenshots: an ignored folder, so a test run leaves the tree clean.
# `make screenshots` points it at docs/screenshots/ to refresh the README's pictures.
SCREENSHOTS = Path(os.environ.get("PAIRING_SCREENSHOTS") or ROOT / "test-artifacts" / "screenshots")
# The seed of every generated data set, unless a test says otherwise.
SEED_NUMBER = 42
# The password of the accounts the AppTest tests sign in with through the form (`sign_in`'s default).
PASSWORD = "correct horse battery"

StoreFactory = Callable[..., GraphStore]
# A data source for a store: "seed" (the seed/ folder), a synthetic scale ("county", "city", ...) or a Dataset.
Source = str | Dataset


def seed_dataset() -> Dataset:
    """The demo ledger in seed/, as the importer reads it."""
    from graph import interchange

    return interchange.read(SEED)


def synth_dataset(scale: str = "county", seed: int = SEED_NUMBER) -> Dataset:
    """A synthetic graph of `scale`, the same one on every run for a given seed."""
    from graph import synth

    return synth.generate(scale, seed)


def dataset(source: Source) -> Dataset:
    """The Dataset a `Source` names (a Dataset is itself)."""
    if isinstance(source, Dataset):
        return source
    return seed_dataset() if source == "seed" else synth_dataset(source)


def store_file(path: Path, source: Source | None = None, users: Iterable[tuple[str, str, str]] = ()) -> str:
    """A Ladybug file at `path` loaded from `source`, with `users` as (name, password, role), closed again.

    Closed, because the code under test (the CLI, the app, a child process) opens the file itself.
    """
    return engine_location("ladybug", path, source, users)


# The engines an engine-facing test runs on (the `engine` fixture).
ENGINES = ("ladybug", "neo4j")


def neo4j_uri() -> str:
    """The test server's URI (NEO4J_URI; NEO4J_USER and NEO4J_PASSWORD go to the driver from the environment).

    Under pytest-xdist each worker takes a server of its own from NEO4J_URIS (tools/neo4j/with-neo4j.sh starts
    one per worker for `make test`): Community has one database, and each Neo4j test empties it.
    Without one the test is skipped, except where PAIRING_NEO4J_REQUIRED is set (`make test`, which starts
    servers): there a missing server fails the test instead of letting it pass unnoticed.
    """
    uris = os.environ.get("NEO4J_URIS", "").split() or [u for u in [os.environ.get("NEO4J_URI")] if u]
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
    if not uris:
        reason = "NEO4J_URI is not set: no Neo4j server to test against (`make neo4j`, docs/neo4j.md)"
    elif worker >= len(uris):
        reason = f"pytest worker gw{worker} has no Neo4j server of its own: NEO4J_URIS names {len(uris)}"
    else:
        return uris[worker]
    if os.environ.get("PAIRING_NEO4J_REQUIRED"):
        pytest.fail(reason)
    pytest.skip(reason)


NEO4J_TOOLS = ROOT / "tools" / "neo4j"


def neo4j_launcher() -> Path:
    """tools/neo4j, once its launcher is built, for a test that runs a Neo4j of its own (start.sh, admin.sh);
    skipped without it, or failed where PAIRING_NEO4J_REQUIRED is set (`make test` builds it)."""
    if not (NEO4J_TOOLS / "target" / ".built").exists():
        reason = "the Neo4j launcher is not built (`make neo4j`, docs/neo4j.md)"
        if os.environ.get("PAIRING_NEO4J_REQUIRED"):
            pytest.fail(reason)
        pytest.skip(reason)
    return NEO4J_TOOLS


# The servers this run has emptied once already: from then on they hold only what the tests wrote.
_EMPTIED: set[str] = set()


def empty_test_server(store: GraphStore) -> None:
    """Wipe the test server, but never a server that holds someone's data, unless PAIRING_NEO4J_WIPE says it is
    disposable (tools/neo4j/with-neo4j.sh, which `make test` uses, starts a fresh one and sets it)."""
    disposable = store.location in _EMPTIED or os.environ.get("PAIRING_NEO4J_WIPE")
    if not disposable and (not store.is_empty() or any(store.system_rows().values())):
        pytest.fail(
            f"the Neo4j at {store.location} holds data, and the tests would delete it all; point NEO4J_URI at a "
            "server for tests (`make neo4j`, then set PAIRING_NEO4J_WIPE=1) or run `make test`"
        )
    _EMPTIED.add(store.location)
    store.wipe()


def open_engine(engine: str, path: Path, *, fresh: bool = False) -> GraphStore:
    """A store on `engine`: the Ladybug file `path`, or the test server (`path` unused), emptied if `fresh`."""
    if engine == "ladybug":
        return LadybugStore(path)
    store = Neo4jStore(neo4j_uri())
    if fresh:
        empty_test_server(store)
    return store


def server_backups_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A server's automatic backups (a replace keeps one) under the test's tmp_path, not the checkout's data/."""
    from graph.backup import SERVER_BACKUPS_ENV

    monkeypatch.setenv(SERVER_BACKUPS_ENV, str(tmp_path / "server-backups"))


def engine_location(
    engine: str, path: Path, source: Source | None = None, users: Iterable[tuple[str, str, str]] = ()
) -> str:
    """`store_file` on either engine: the location of a store loaded from `source` with `users`, closed again."""
    from graph import accounts

    store = open_engine(engine, path, fresh=True)
    try:
        if source is not None:
            store.load(dataset(source))
        for name, password, role in users:
            accounts.add(store, name, password, role, actor="test")
        return store.location
    finally:
        store.close()


def invoke(*args: str, code: int | None = 0, input: str | None = None) -> Result:
    """The `pairing` command in-process (click's CliRunner); asserts its exit code unless `code` is None."""
    from graph.cli import cli

    # Never catch: an unhandled exception must fail the test, not pass as an expected exit code 1.
    result = CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)
    if code is not None:
        assert result.exit_code == code, result.output
    return result


def app_test(
    db: str, monkeypatch: pytest.MonkeyPatch, asof: dt.date | None = None, user: str | None = None, timeout: int = 120
) -> AppTest:
    """Streamlit's AppTest of app.py on the store file `db`, as of `asof`, signed in as `user` (not run yet).

    Signed in as the form leaves the session: the account in `session_state` (the form itself is
    test_app_auth's). The app opens `db` itself, once per process (`state._open` is cached).
    """
    from streamlit.testing.v1 import AppTest

    from graph import accounts
    from graph.ui import state

    monkeypatch.setenv("PAIRING_DB", db)
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    if asof is not None:
        at.session_state["asof"] = asof
    if user is not None:
        account = accounts.get(state._open(db), user)
        assert account is not None, f"no account {user!r} in {db}"
        at.session_state["account"] = account
    return at


def sign_in(at: AppTest, username: str, password: str = PASSWORD) -> AppTest:
    """Fill and submit the app's sign-in form in `at`; the run must raise nothing (a wrong password is no exception)."""
    at.run()
    at.text_input(key="login_user").input(username)
    at.text_input(key="login_password").input(password)
    at.button(key="login_submit").click().run()
    assert not at.exception
    return at


def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 at its production cost takes ~0.3-0.8 s a hash here: tests about other things use a cheap one."""
    from argon2 import PasswordHasher

    from graph import accounts

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(accounts, "_hasher", cheap)
    monkeypatch.setattr(accounts, "_DUMMY_HASH", cheap.hash("dummy"))


def village(id: str, name: str, **props: Any) -> Row:
    """A Village row of `id`, `name` and `props`; the list properties it leaves out are [], as a store gives them."""
    missing = [p.name for p in NODE_BY_LABEL["Village"].stored if p.is_list and p.name not in props]
    return {"id": id, "name": name, **props, **{key: [] for key in missing}}


def zip_bytes(files: dict[str, str]) -> bytes:
    """A ZIP (stored, not compressed) holding each of `files`, name to text: a ledger as an upload sends it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


# --- the app served by `streamlit run`, for the tests that drive it in chromium ----------------

CHROMIUM = Path("/usr/bin/chromium")
# How long `streamlit run` may take to answer its health check: a cold start on a busy machine is slow.
START_TIMEOUT = 90.0


def require_browser() -> None:
    """Skip the test where chromium or playwright is missing, but fail it in CI instead.

    .ci/run sets PAIRING_BROWSER_REQUIRED: there a skip would let the tests of the app as a person
    sees it pass unnoticed.
    """
    missing = None
    if not CHROMIUM.exists():
        missing = f"{CHROMIUM} is missing"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            missing = "the playwright package is missing"
    if missing:
        if os.environ.get("PAIRING_BROWSER_REQUIRED"):
            pytest.fail(f"{missing}: run .ci/browser-deps.sh")
        pytest.skip(f"{missing}: run .ci/browser-deps.sh")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"streamlit exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"streamlit did not answer within {START_TIMEOUT:.0f} s:\n{log.read_text(errors='replace')}")


@contextmanager
def streamlit_app(script: Path, db: str, log: Path) -> Iterator[str]:
    """`streamlit run script` over the store file `db` on a free local port: its URL once it answers, then stopped.

    Its output goes to `log`, which the failure quotes if it exits or does not answer in time.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.headless=true",
        f"--server.port={port}",
        "--server.address=127.0.0.1",
        "--browser.gatherUsageStats=false",
        "--server.fileWatcherType=none",
        "--global.developmentMode=false",
    ]
    env = {**os.environ, "PAIRING_DB": db}
    with log.open("wb") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_healthy(url, proc, log)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def sign_in_browser(page: Any, url: str, user: str, password: str, heading: str) -> None:
    """Open `url` in playwright's `page`, sign in as `user` through the form, and wait for the page's `heading`."""
    page.goto(url)
    page.get_by_label("用户名").fill(user)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.get_by_text(f"已登录：{user}").wait_for()
    page.get_by_role("heading", name=heading).wait_for()


# --- comparing two graphs ----------------------------------------------------------------------


ENDS = ("src", "src_label", "dst", "dst_label")


def _same(got: Any, want: Any, approx: bool) -> bool:
    if got is None or want is None:
        return got is want
    # The type must match too: a date read back as a string or a float as an int is a difference.
    if type(got) is not type(want):
        return False
    if isinstance(want, float) and approx:
        return math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-12)
    return bool(got == want)


def _rows_differences(
    name: str, got: list[Row], want: list[Row], key: Callable[[Row], Any], props: list[Prop], approx: bool
) -> list[str]:
    """Rows matched by `key`: ones missing, extra or repeated, and every property that differs."""
    out: list[str] = []
    for rows, side in ((got, "got"), (want, "want")):
        out += [f"{name} {k}: {n} rows with this key in {side}" for k, n in Counter(map(key, rows)).items() if n > 1]
    a, b = {key(r): r for r in got}, {key(r): r for r in want}
    out += [f"{name} {k}: missing" for k in sorted(b.keys() - a.keys(), key=repr)]
    out += [f"{name} {k}: not expected" for k in sorted(a.keys() - b.keys(), key=repr)]
    # A store gives every property back (lists as [], the rest as None); a hand-made Dataset may leave them out.
    empty: dict[str, Any] = {p.name: [] if p.is_list else None for p in props}
    for k in sorted(a.keys() & b.keys(), key=repr):
        x, y = {**empty, **a[k]}, {**empty, **b[k]}
        out += [
            f"{name} {k}.{n}: {x.get(n)!r} != {y.get(n)!r}"
            for n in sorted(x.keys() | y.keys())
            if not _same(x.get(n), y.get(n), approx)
        ]
    return out


def graph_differences(got: Dataset, want: Dataset, *, approx: bool = False) -> list[str]:
    """Every difference between two graphs: nodes by id, links by both ends and their key, every property.

    `approx` lets floats differ in the last bits (a store may round-trip them through another type).
    """
    out: list[str] = []
    for label in sorted(got.nodes.keys() | want.nodes.keys()):
        props = list(NODE_BY_LABEL[label].stored)
        out += _rows_differences(
            label, got.nodes.get(label, []), want.nodes.get(label, []), lambda r: r["id"], props, approx
        )
    for rtype in sorted(got.links.keys() | want.links.keys()):
        rel = REL_BY_TYPE[rtype]
        fields = (*ENDS, *rel.key)  # a pairing may be renewed: both ends and `since` make one link

        def key(row: Row, fields: tuple[str, ...] = fields) -> tuple[Any, ...]:
            return tuple(row.get(f) for f in fields)

        out += _rows_differences(
            rtype, got.links.get(rtype, []), want.links.get(rtype, []), key, list(rel.props), approx
        )
    return out


def assert_same_graph(got: Dataset, want: Dataset, *, approx: bool = False) -> None:
    """`got` holds exactly `want`'s nodes and links, every property equal (dates, floats, lists, nulls)."""
    differences = graph_differences(got, want, approx=approx)
    assert not differences, f"{len(differences)} differences:\n" + "\n".join(differences[:30])


def frame_with(at: Any, column: str) -> Any:
    """The AppTest page's first table that has this column (pages show several: mapping, changes, removal)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def county_programme() -> Dataset:
    """A small programme with what a county workbook makes hard: 幸福村 in four townships of two counties,
    a village with an official 12-digit code, two units pairing one village with the same terms, one cadre
    stationed in two villages in turn, open and closed terms, empty values.

    Nodes and links carry every property (lists as [], the rest None when empty), as a store gives them.
    """

    def node(label: str, id: str, name: str, **props: Any) -> Row:
        row: Row = {p.name: [] if p.is_list else None for p in NODE_BY_LABEL[label].stored}
        return {**row, "id": id, "name": name, **props}

    def link(rel: str, src: tuple[str, str], dst: tuple[str, str], **props: Any) -> Row:
        row: Row = {p.name: None for p in REL_BY_TYPE[rel].props}
        return {**row, "src": src[1], "src_label": src[0], "dst": dst[1], "dst_label": dst[0], **props}

    shi, qing = "石砚区", "青岚县"
    place = {"lat": 30.05, "lon": 114.01}

    def v(id: str, name: str, county: str, township: str, tier: str, reasons: list[str], **props: Any) -> Row:
        figures = {"population": 1500, "party_members": 40, "party_org_type": "branch", "leadership_size": 5}
        return node(
            "Village", id, name, county=county, township=township, tier=tier, weak_reasons=reasons,
            **{**figures, "collective_income": 3.5, **place, **props},
        )  # fmt: skip

    d = Dataset()
    d.nodes["Village"] = [
        v("V01", "幸福村", shi, "太塘镇", "weak", ["economy"], industries=["茶叶", "粮油"], needs=["资金", "人才"]),
        v("V02", "幸福村", shi, "五花镇", "weak", ["organisation", "poverty"], party_org_type="general_branch"),
        v("V03", "幸福村", shi, "花源乡", "ordinary", [], collective_income=12.6, population=None),
        v("V04", "顺庙村", shi, "太塘镇", "strong", [], party_org_type="committee", collective_income=266.5),
        v("V05", "鹿山村", shi, "太塘镇", "weak", ["venue"], lat=None, lon=None),
        v("V06", "谢林村", shi, "五花镇", "strong", [], party_org_type="committee", industries=["水果"]),
        v("V07", "王源村", qing, "杨塘镇", "weak", ["economy", "organisation"], leadership_size=2),
        v("V08", "幸福村", qing, "杨塘镇", "strong", [], party_members=120, party_org_type="committee"),
        v("420102001001", "龙口村", qing, "杨塘镇", "ordinary", [], needs=["技术"]),
    ]
    unit = {"party_members": 80, "capacity": 2, **place}
    d.nodes["CityCommunity"] = [
        node("CityCommunity", "C01", "幸福社区", county=shi, township="城东街道", party_org_type="committee",
             leadership_size=7, resources=["教育", "法律服务"], **unit),
        node("CityCommunity", "C02", "阳光社区", county=qing, township="城关街道", party_org_type="general_branch",
             leadership_size=5, resources=["文化"], **{**unit, "capacity": 1}),
    ]  # fmt: skip
    d.nodes["Enterprise"] = [
        node("Enterprise", "E01", "石砚惠农机械制造有限公司", credit_code="91420100MA4K3X8Q2N", county=shi,
             township="城东街道", industry="制造", size="large", employees=1003, has_party_org=True,
             resources=["技术", "销路"], **unit),
        node("Enterprise", "E02", "青岚田园食品有限公司", county=qing, township="杨塘镇", industry="农产品加工",
             size="small", employees=43, has_party_org=False, party_members=0, capacity=1, **place),
    ]  # fmt: skip
    org = {"county": shi, "township": "城东街道", **unit}
    d.nodes["Organisation"] = [
        node("Organisation", "O01", "石砚区财政局", kind="department", level="county", resources=["资金"], **org),
        node("Organisation", "O02", "石砚区教育局", kind="department", level="county", resources=["教育"], **org),
        node("Organisation", "O03", "青岚县人民医院", kind="hospital", level="county",
             **{**org, "county": qing, "township": "城关街道"}),
        node("Organisation", "O04", "太塘镇中心学校", kind="school", level="township",
             **{**org, "township": "太塘镇"}),
        node("Organisation", "O05", "石砚区城市建设投资集团", kind="soe", level="county", **org),
    ]  # fmt: skip
    d.nodes["Cadre"] = [
        node(
            "Cadre", "K01", "付兰建", role="first_secretary", skills=["技术", "销路"], birth_year=1980, education="本科"
        ),
        node("Cadre", "K02", "何颖阳", role="team_leader", skills=["教育"], birth_year=1979, education="本科"),
        node("Cadre", "K03", "王芳兰", role="team_member", birth_year=1968, education="大专"),
    ]
    day = dt.date

    def at(label: str) -> Callable[[str], tuple[str, str]]:
        return lambda id: (label, id)

    V, C, E, K = at("Village"), at("CityCommunity"), at("Enterprise"), at("Cadre")
    O = at("Organisation")  # noqa: E741
    same = {"since": day(2023, 3, 15), "until": None, "form": "assigned", "funds": 10.0, "projects": 2,
            "last_activity": day(2025, 11, 20)}  # fmt: skip
    d.links["PAIRED_WITH"] = [
        link("PAIRED_WITH", O("O01"), V("V01"), **same),
        link("PAIRED_WITH", O("O02"), V("V01"), **same),
        link("PAIRED_WITH", C("C01"), V("V02"), since=day(2024, 1, 5), until=day(2026, 1, 4), form="voluntary",
             funds=5.5, projects=1),
        link("PAIRED_WITH", E("E01"), V("V05"), since=day(2022, 6, 30), form="chosen", last_activity=day(2025, 6, 1)),
        link("PAIRED_WITH", C("C02"), V("V07"), since=day(2021, 9, 9), form="assigned", funds=3.0, projects=1,
             last_activity=day(2025, 12, 1)),
        link("PAIRED_WITH", O("O03"), V("V08"), since=day(2024, 5, 20), form="assigned"),
        link("PAIRED_WITH", O("O04"), V("V02"), since=day(2025, 2, 10), until=day(2027, 2, 9), form="assigned",
             funds=2.0, projects=3, last_activity=day(2025, 10, 8)),
        link("PAIRED_WITH", O("O05"), V("420102001001"), since=day(2020, 4, 16), form="voluntary", funds=35.1),
    ]  # fmt: skip
    d.links["LEADS"] = [
        link("LEADS", V("V04"), V("V05"), since=day(2024, 3, 17), mode="村村联建"),
        link("LEADS", V("V06"), V("V02"), since=day(2025, 9, 30), until=day(2026, 9, 29), mode="以强带弱"),
        link("LEADS", V("V08"), V("V07"), since=day(2023, 8, 1), mode="村村联建"),
    ]
    d.links["FUSED_WITH"] = [
        link("FUSED_WITH", E("E01"), V("V01"), since=day(2023, 8, 17), joint_party_org="惠农幸福村企联合党总支"),
        link("FUSED_WITH", E("E02"), V("V07"), since=day(2024, 12, 11), until=day(2026, 12, 10)),
    ]
    d.links["STATIONED_IN"] = [
        link("STATIONED_IN", K("K01"), V("V02"), role="first_secretary", since=day(2022, 3, 1), until=day(2024, 2, 29)),
        link("STATIONED_IN", K("K01"), V("V01"), role="first_secretary", since=day(2024, 3, 25)),
        link("STATIONED_IN", K("K02"), V("V05"), role="team_leader", since=day(2024, 3, 25), until=day(2026, 3, 24)),
        link("STATIONED_IN", K("K03"), V("V07"), role="team_member", since=day(2026, 1, 21), until=day(2028, 1, 20)),
    ]  # fmt: skip
    d.links["SENT_BY"] = [
        link("SENT_BY", K("K01"), O("O01")),
        link("SENT_BY", K("K02"), C("C01")),
        link("SENT_BY", K("K03"), E("E02")),
    ]
    return d


def workbook_bytes(sheets: Mapping[str, Any]) -> bytes:
    """An .xlsx of these sheets (title to rows), as a county's workbook arrives: real openpyxl output."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.worksheets[0])
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def workbook_file(path: Path, sheets: Mapping[str, Any]) -> Path:
    """`workbook_bytes` written to PATH."""
    path.write_bytes(workbook_bytes(sheets))
    return path


# The day `lists_programme` is judged on: its needs and claims sit on the 90-day and due-date boundaries of it.
LISTS_ASOF = dt.date(2026, 3, 31)


def lists_programme() -> Dataset:
    """`county_programme` with 三张清单: needs, resources, claims and one activity, each gap list's boundary named.

    On LISTS_ASOF (D; D - 90 = 2025-12-31): N01 posted exactly D - 90 and unclaimed is stale, N02 posted a day
    later is not; N03 claimed by C01 (2025-07-01, due == D) is idle, not overdue; N04's claim by E01 is under way
    and due D - 1 (overdue), O04's claim of it was not chosen; N05 is done by C02; N06 (a hostile name) is
    withdrawn; N07 (a formula) was claimed by O04 exactly D - 90 (idle); N08's claim by O01 was followed by an
    activity (not idle); N09 (Cypher quotes) is claimed by its ledger with no claim; N10 has no posted date.
    """
    d = county_programme()
    day = dt.date

    def need(id: str, village: str, name: str, kind: str | None, posted: dt.date | None, status: str) -> None:
        d.nodes["Need"].append({"id": id, "name": name, "kind": kind, "posted": posted, "status": status})
        d.links["NEED_OF"].append({"src": id, "src_label": "Need", "dst": village, "dst_label": "Village"})

    need("N01", "V01", "冷链仓储", "industry", day(2025, 12, 31), "open")
    need("N02", "V01", "村道硬化", "infrastructure", day(2026, 1, 1), "open")
    need("N03", "V02", "助学", "education", day(2025, 6, 1), "claimed")
    need("N04", "V05", "义诊", "health", day(2025, 5, 1), "claimed")
    need("N05", "V07", "农产品销售", "market", day(2025, 3, 1), "done")
    need("N06", "V07", "<script>alert(1)</script>", "governance", day(2025, 1, 1), "withdrawn")
    need("N07", "V02", "=SUM(A1:A9)", "capital", day(2025, 9, 1), "claimed")
    need("N08", "V01", "技能培训", "talent", day(2025, 8, 1), "claimed")
    need("N09", "420102001001", 'O\'Brien "quote" `x`', "employment", day(2025, 2, 1), "claimed")
    need("N10", "V08", "文化广场", "culture", None, "open")

    def claim(label: str, unit: str, need: str, claimed: dt.date, status: str, **dates: dt.date) -> None:
        row = {"src": unit, "src_label": label, "dst": need, "dst_label": "Need", "claimed": claimed}
        d.links["CLAIMED"].append({**row, "status": status, "due": dates.get("due"), "done": dates.get("done")})

    claim("CityCommunity", "C01", "N03", day(2025, 7, 1), "claimed", due=LISTS_ASOF)
    claim("Enterprise", "E01", "N04", day(2025, 6, 1), "ongoing", due=day(2026, 3, 30))
    claim("Organisation", "O04", "N04", day(2025, 6, 2), "not_chosen")
    claim("CityCommunity", "C02", "N05", day(2025, 4, 1), "done", due=day(2025, 12, 31), done=day(2025, 10, 1))
    claim("Organisation", "O04", "N07", day(2025, 12, 31), "claimed")
    claim("Organisation", "O01", "N08", day(2025, 9, 1), "claimed")

    def resource(label: str, unit: str, id: str, name: str, kind: str | None, serves: int | None) -> None:
        d.nodes["Resource"].append({"id": id, "name": name, "kind": kind, "serves": serves})
        d.links["OFFERED_BY"].append({"src": id, "src_label": "Resource", "dst": unit, "dst_label": label})

    resource("Enterprise", "E01", "R01", "农机技术服务", "talent", 3)
    resource("Organisation", "O05", "R02", "帮扶资金", "capital", 2)
    resource("CityCommunity", "C02", "R03", "文化下乡", "culture", None)
    d.links["ACTIVITY"].append(
        {"src": "O01", "src_label": "Organisation", "dst": "V01", "dst_label": "Village", "date": day(2025, 11, 20),
         "title": "技能培训班", "kind": "training", "funds": 1.5, "beneficiaries": 40, "status": "done", "note": None}
    )  # fmt: skip
    return d


# --- hypothesis examples per engine (the Cypher-vs-reference tests) ------------------------------


def engine_examples(engine: str, ladybug: int, neo4j: int) -> int:
    """How many random examples a Cypher-vs-reference test runs on `engine`: `ladybug` or `neo4j`.

    A Neo4j example is a load and a dozen queries over bolt, several times a Ladybug one on the shared
    2-core CI machine, and the suite must stay inside its time. The embedded store runs the many examples
    that search the boundaries; the server runs a few, to show the one set of query files means the same there.
    """
    return ladybug if engine == "ladybug" else neo4j
