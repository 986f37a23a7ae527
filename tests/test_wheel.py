"""The wheel works on its own: built, installed into a fresh venv and run from outside the repository.

The dependencies come from the running interpreter's site-packages through a `.pth` path line (no
downloads); that line does not run the `.pth` files there, so the repository's editable install
stays out and `graph` can only come from the wheel.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from graph.model import NODES, RELS
from tests.fixtures import ROOT, SEED

TIMEOUT_S = 600


def _run(cmd: list[str | Path], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT_S, check=False
    )
    assert done.returncode == 0, f"{' '.join(map(str, cmd))} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _can_build_offline() -> bool:
    # setuptools builds wheels by itself from 70.1; before that it needs the `wheel` package.
    import setuptools

    major, minor = (int(x) for x in setuptools.__version__.split(".")[:2])
    return (major, minor) >= (70, 1) or importlib.util.find_spec("wheel") is not None


def _build_wheel(tmp_path: Path) -> Path:
    # From a copy of what the wheel is made of, so the build leaves no build/ or egg-info in the checkout.
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    shutil.copytree(ROOT / "graph", src / "graph", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    dist = tmp_path / "dist"
    cmd: list[str | Path] = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", dist, src]
    if _can_build_offline():
        cmd.insert(5, "--no-build-isolation")
    # Otherwise pip fetches the build backend that pyproject.toml names (this venv's setuptools is too old).
    _run(cmd, tmp_path)
    (wheel,) = dist.glob("pairing_graph-*.whl")
    return wheel


def _venv(tmp_path: Path, wheel: Path) -> Path:
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], tmp_path)
    python = venv / "bin" / "python"
    purelib = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp_path).strip())
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (purelib / "_pairing_test_deps.pth").write_text("".join(f"{d}\n" for d in sorted(deps)), encoding="utf-8")
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", wheel], tmp_path)
    return venv


@pytest.mark.slow
def test_installed_wheel_loads_reports_and_finds_its_queries(tmp_path: Path) -> None:
    wheel = _build_wheel(tmp_path)
    files = set(zipfile.ZipFile(wheel).namelist())
    assert "graph/cypher/_generated/stats/counts.cypher" in files
    assert "graph/cypher/_generated/load/villages.cypher" in files
    assert "graph/matching/default_profile.toml" in files
    assert not [f for f in files if f.startswith(("tools/", "tests/"))], "test tools shipped in the wheel"

    venv = _venv(tmp_path, wheel)
    work = tmp_path / "elsewhere"
    work.mkdir()
    # Nothing of the checkout on the path; the later commands find the store through PAIRING_DB.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "PAIRING_DB")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["PAIRING_DB"] = "x.lbug"

    where = _run(["python", "-c", "import graph; print(graph.__file__)"], work, env).strip()
    assert Path(where).resolve().is_relative_to(venv.resolve()), where
    assert not Path(where).resolve().is_relative_to(ROOT), where

    pairing = venv / "bin" / "pairing"
    _run([pairing, "--db", "x.lbug", "load", SEED], work, env)
    stats = _run([pairing, "stats"], work, env)
    for name in [n.label for n in NODES] + [r.type for r in RELS]:
        line = next((row for row in stats.splitlines() if row.split()[:1] == [name]), None)
        assert line is not None and int(line.split()[-1]) > 0, f"{name} missing or zero in:\n{stats}"

    report = _run([pairing, "gaps"], work, env)
    expected = json.loads((SEED / "expected_gaps.json").read_text(encoding="utf-8"))
    shown = [v for v in expected["unpaired"] if v in report]
    assert shown, f"no unpaired village listed:\n{report}"
    if dt.date.fromisoformat(expected["asof"]) <= dt.date.today() <= dt.date(2030, 12, 31):
        # The seed's unpaired list holds from its as-of date to the end of 2030 (seed/README.md).
        assert shown == expected["unpaired"], report
