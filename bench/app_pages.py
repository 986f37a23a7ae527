"""App benchmark: how long the overview and the explorer take to render, through Streamlit's AppTest.

At county scale it times the overview, a searched node's neighbourhood (depth 1 and 3) and the
whole-county scope; at province scale (unless --no-province) it checks that the explorer's scope
of every county stops at the node cap with the cap message instead of drawing 80,000 villages.
Times are script runs in-process (server-side work, no browser drawing), median of --repeat.

    python bench/app_pages.py [--repeat 3] [--no-province]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from graph import gaps, synth  # noqa: E402
from graph.store import LadybugStore  # noqa: E402
from graph.ui.i18n import t  # noqa: E402

APP = str(ROOT / "app.py")


def build(scale: str, folder: Path) -> tuple[str, float]:
    path = folder / f"{scale}.lbug"
    t0 = time.perf_counter()
    store = LadybugStore(path)
    store.load(synth.generate(scale, 42))
    store.close()
    return str(path), time.perf_counter() - t0


def timed(step: Callable[[], tuple[AppTest, float]], repeat: int) -> tuple[float, AppTest]:
    times = []
    at = None
    for _ in range(repeat):
        at, seconds = step()
        times.append(seconds)
        if at.exception:
            raise SystemExit(f"the app failed: {at.exception[0].value}")
    assert at is not None
    return statistics.median(times), at


def fresh() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=600)
    at.session_state["asof"] = synth.REFERENCE_DATE
    return at


def overview() -> tuple[AppTest, float]:
    at = fresh()
    t0 = time.perf_counter()
    at.run()
    return at, time.perf_counter() - t0


def explorer(text: str = "", depth: int = 1, scope: bool = False) -> tuple[AppTest, float]:
    """The explorer's own run: the first run (the overview, the default page) is not counted."""
    at = fresh()
    at.run()
    t0 = time.perf_counter()
    at.switch_page("graph/ui/explorer.py").run()
    if scope:
        at.radio(key="explorer_mode").set_value("scope").run()
    else:
        at.slider(key="explorer_depth").set_value(depth)
        at.text_input(key="explorer_text").input(text).run()
    return at, time.perf_counter() - t0


def county(folder: Path, repeat: int) -> None:
    db, load_s = build("county", folder)
    os.environ["PAIRING_DB"] = db
    print(f"county: built the store in {load_s:.1f} s")
    overview_s, _ = timed(overview, repeat)
    print(f"county: overview rendered in {overview_s:.2f} s")
    store = LadybugStore(db, read_only=True)
    weak = gaps.support(store, synth.REFERENCE_DATE)[0].village
    store.close()
    for depth in (1, 3):
        seconds, at = timed(lambda d=depth: explorer(weak, d), repeat)  # type: ignore[misc]
        print(f"county: explorer, depth {depth} around {weak}: {seconds:.2f} s ({at.markdown[0].value})")
    seconds, at = timed(lambda: explorer(scope=True), repeat)
    shown = next(m.value for m in at.markdown if m.value.startswith("显示"))
    print(f"county: explorer, whole county scope: {seconds:.2f} s ({shown})")


def province(folder: Path) -> None:
    db, load_s = build("province", folder)
    os.environ["PAIRING_DB"] = db
    print(f"province: built the store in {load_s:.1f} s")
    seconds, _ = timed(overview, 1)
    print(f"province: overview rendered in {seconds:.2f} s")
    seconds, at = timed(lambda: explorer(scope=True), 1)
    warnings = [w.value for w in at.warning]
    capped = t("explorer.capped", "zh", total=80_000, cap=1_500)
    prefix = capped.split("80000")[0]
    ok = any(w.startswith(prefix) for w in warnings)
    print(f"province: explorer scope of every county: {seconds:.2f} s; cap message shown: {ok}")
    if not ok:
        raise SystemExit(f"no cap message at province scale: {warnings}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-province", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-app-") as tmp:
        county(Path(tmp), args.repeat)
        if not args.no_province:
            province(Path(tmp))


if __name__ == "__main__":
    main()
