"""Shared fixtures: the bundled dataset is loaded once per test session."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCE_TEXT = ROOT / "data" / "sources" / "tianyuan-2023-plan-report.txt"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--full", action="store_true",
                     help="also run the tests marked slow and browser (what .ci/run does)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # The plain run stays fast (under 90 s on 2 cores); --full runs everything.
    if config.getoption("--full"):
        return
    skip = pytest.mark.skip(reason="slow or browser test: run with --full (as .ci/run does)")
    for item in items:
        if "slow" in item.keywords or "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory):
    """Persistent stores of the test run (one per data folder) in the run's own cache folder,
    not the user's ~/.cache; child processes inherit it."""
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if old is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = old


@pytest.fixture(scope="session")
def dataset():
    from tckg.store.load import load_dataset

    return load_dataset()


def run_tckg(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
             timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a child process, as a user would."""
    full_env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), **(env or {}))
    return subprocess.run(
        [sys.executable, "-X", "warn_default_encoding", "-W", "error::EncodingWarning",
         "-m", "tckg", *args],
        capture_output=True, text=True, encoding="utf-8", cwd=cwd or ROOT, env=full_env,
        timeout=timeout,
    )


@pytest.fixture
def tckg_cli():
    return run_tckg


def free_port() -> int:
    """A TCP port nothing listens on now (the server started next binds it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_answers(url: str, proc: subprocess.Popen, *, seconds: float, name: str,
                       log: Callable[[], str], poll: float = 0.1) -> None:
    """Wait until a real server started by a test answers ``url``; if it exits or the time is
    up, kill it and fail with the end of its log (a server that never came up must not hang or
    outlive the test run)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return
        except (urllib.error.URLError, OSError):
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                proc.wait(10)
                raise AssertionError(f"{name} did not start: {log()[-1000:]}") from None
            time.sleep(poll)
