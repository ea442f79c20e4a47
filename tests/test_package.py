"""The package as a user installs it: a wheel (not an editable checkout) carries the ontology,
shapes, named queries and bundled report, and `tckg validate` / `tckg build` work from a folder
that has nothing to do with the checkout."""

from __future__ import annotations

import os
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh virtual environment with the wheel installed; the dependencies come from the
    test run's own site-packages (added as a path, so its editable tckg is not visible)."""
    tmp = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "-w", str(tmp / "dist"), str(ROOT)], check=True, timeout=300)
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    purelib = Path(subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True, encoding="utf-8").stdout.strip())
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"], *site.getsitepackages()}
    (purelib / "_deps.pth").write_text("\n".join(sorted(ours)) + "\n", encoding="utf-8")
    wheel = next((tmp / "dist").glob("tckg-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(purelib),
                    str(wheel)], check=True, timeout=300)
    return venv


def _run(venv: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "TCKG_HOME")}
    return subprocess.run([str(venv / "bin" / "python"), "-m", "tckg", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=300)


@pytest.mark.slow
def test_wheel_validates_and_builds_from_an_unrelated_folder(installed, tmp_path):
    probe = subprocess.run([str(installed / "bin" / "python"), "-c", "import tckg; print(tckg.__file__)"],
                           cwd=tmp_path, capture_output=True, text=True, encoding="utf-8", check=True,
                           env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    assert str(ROOT) not in probe.stdout, "the test must run the installed wheel, not the checkout"
    validated = _run(installed, tmp_path, "validate")
    assert validated.returncode == 0, validated.stderr
    built = _run(installed, tmp_path, "build", "-o", str(tmp_path / "site"))
    assert built.returncode == 0, built.stderr
    for page in ("index.html", "graph.html", "scorecard.html", "tckg.trig"):
        assert (tmp_path / "site" / page).stat().st_size > 1000, page
