"""Hole 5: the app listens on this machine only by default and contacts no outside address at start.

The settings live in `.streamlit/config.toml` (read by `streamlit run` in the repository) and in the
Makefile's `run` target; the last test starts the server the way `make run` does and looks.
"""

from __future__ import annotations

import os
import re
import shlex
import socket
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from tests.fixtures import ROOT, free_port

CONFIG = ROOT / ".streamlit" / "config.toml"
MAKEFILE = ROOT / "Makefile"


def _make_variables() -> dict[str, str]:
    return dict(re.findall(r"^([A-Z]+) \?= (.*)$", MAKEFILE.read_text(encoding="utf-8"), re.MULTILINE))


def _run_recipe() -> str:
    """The `streamlit run` command of the Makefile's `run` target, continuation lines joined."""
    text = MAKEFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    recipe = text.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    return next(line.strip() for line in recipe.splitlines() if "streamlit run" in line)


def test_the_config_binds_localhost_and_sends_nothing() -> None:
    config = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    assert config["server"]["address"] == "127.0.0.1"
    assert config["browser"]["gatherUsageStats"] is False
    # Set by hand, so that neither the banner nor the origin check looks up the external IP first.
    assert config["browser"]["serverAddress"] == "localhost"


def test_make_run_binds_host_which_defaults_to_localhost() -> None:
    assert _make_variables()["HOST"] == "127.0.0.1"
    command = _run_recipe()
    assert "--server.address $(HOST)" in command
    assert "--browser.gatherUsageStats false" in command


# Run in the server's process: every connect() it makes to a non-loopback address is written down.
_HOOK = """
import os, socket
_log = os.environ["CONNECT_LOG"]
_connect = socket.socket.connect
def connect(self, address):
    host = address[0] if isinstance(address, tuple) else str(address)
    if not (host.startswith("127.") or host in ("::1", "localhost")) and self.family != socket.AF_UNIX:
        with open(_log, "a") as f:
            f.write(f"{host}\\n")
    return _connect(self, address)
socket.socket.connect = connect
"""


def _listeners(port: int) -> set[str]:
    """The local addresses listening on `port`, from /proc/net/tcp{,6} (hex, as the kernel writes them)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, port_hex = local.rsplit(":", 1)
            if state == "0A" and int(port_hex, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


def _outside_address() -> str | None:
    """An address of this machine that is not loopback (None if it has none)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))  # UDP: nothing is sent; the kernel picks the outgoing interface
            address = str(s.getsockname()[0])
        except OSError:
            return None
    return None if address.startswith("127.") else address


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads the kernel's socket table (Linux)")
def test_the_server_listens_on_loopback_only_and_connects_nowhere(tmp_path: Path) -> None:
    if (outside := _outside_address()) is None:
        pytest.skip("this machine has no non-loopback address to try")
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(_HOOK, encoding="utf-8")
    log = tmp_path / "connects.log"
    port = free_port()
    variables = {**_make_variables(), "DB": str(tmp_path / "app.lbug"), "PORT": str(port)}
    command = _run_recipe()
    for name, value in variables.items():
        command = command.replace(f"$({name})", value)
    argv = shlex.split(command)
    env: dict[str, str] = {}  # the recipe's leading assignments (PAIRING_DB=…)
    while "=" in argv[0]:
        key, _, value = argv.pop(0).partition("=")
        env[key] = value
    assert argv[0].endswith("streamlit") and argv[1] == "run"
    argv = [sys.executable, "-m", "streamlit", *argv[1:]]
    environ = {
        **os.environ,
        **env,
        "CONNECT_LOG": str(log),
        "PYTHONPATH": os.pathsep.join([str(hook), str(ROOT)]),
    }
    server = subprocess.Popen(argv, cwd=ROOT, env=environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while not _listeners(port) and time.monotonic() < deadline and server.poll() is None:
            time.sleep(0.2)
        listening = _listeners(port)
        if not listening:
            server.kill()
            output, _ = server.communicate()
            pytest.fail(f"the server did not start: {output!r}")
        # 0100007F is 127.0.0.1 in the kernel's byte order; 00000000 would be every interface.
        assert listening == {"0100007F"}, listening
        with socket.socket() as s, pytest.raises(OSError):
            s.settimeout(2)
            s.connect((outside, port))
        time.sleep(2)  # the banner (and its external-IP lookup, on main) comes right after the bind
        assert not log.exists() or log.read_text() == "", f"outbound connection attempts: {log.read_text()}"
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
