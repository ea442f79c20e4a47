"""Where tckg's files are: the ontology, shapes and bundled data, and the data folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from tckg.io.errors import LoadError

# -- where things are -------------------------------------------------------------------------

def project_root() -> Path:
    """The folder holding ``ontology/``, ``shapes/`` and ``data/``.

    ``TCKG_HOME`` wins; otherwise the checkout this package is installed from (editable
    install), then the current directory.
    """
    env = os.environ.get("TCKG_HOME")
    candidates = [Path(env)] if env else []
    candidates += [Path(__file__).resolve().parents[2], Path.cwd()]
    for root in candidates:
        if (root / "ontology").is_dir() and (root / "shapes").is_dir():
            return root
    raise LoadError(candidates[0], "cannot find the tckg ontology/ and shapes/ folders; run "
                    "tckg from a checkout (pip install -e .) or set TCKG_HOME to one.")


def ontology_files() -> list[Path]:
    return sorted((project_root() / "ontology").glob("*.ttl"))


def shapes_files() -> list[Path]:
    return sorted((project_root() / "shapes").glob("*.ttl"))


def data_dir() -> Path:
    return project_root() / "data"


def default_data_files(folder: Path | None = None) -> list[Path]:
    """The bundled report and every report added beside it with ``tckg add``."""
    root = data_dir() if folder is None else Path(folder)
    files = [root / "report.ttl"] if (root / "report.ttl").exists() else []
    return files + sorted((root / "reports").glob("*.ttl"))


