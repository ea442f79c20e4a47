"""Where tckg's files are: the ontology, shapes and bundled data, and the data folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from tckg.io.errors import LoadError

# -- where things are -------------------------------------------------------------------------

def project_root() -> Path:
    """The folder holding ``ontology/``, ``shapes/`` and ``data/``.

    ``TCKG_HOME`` wins; otherwise the copy that ships inside the package (``tckg/_bundled``:
    symlinks into the checkout for an editable install, real folders in a wheel), so an
    installed ``tckg`` works from any folder.
    """
    env = os.environ.get("TCKG_HOME")
    bundled = Path(__file__).resolve().parents[1] / "_bundled"
    candidates = [Path(env)] if env else [bundled]
    for root in candidates:
        if (root / "ontology").is_dir() and (root / "shapes").is_dir():
            return root
    raise LoadError(candidates[0], "cannot find the tckg ontology/ and shapes/ folders there; "
                    "reinstall tckg (pip install .) or point TCKG_HOME at a checkout of it.")


def ontology_files() -> list[Path]:
    return sorted((project_root() / "ontology").resolve().glob("*.ttl"))


def shapes_files() -> list[Path]:
    return sorted((project_root() / "shapes").resolve().glob("*.ttl"))


def data_dir() -> Path:
    # resolved: in a checkout the bundled folder is a symlink, and writes belong in the real one
    return (project_root() / "data").resolve()


def default_data_files(folder: Path | None = None) -> list[Path]:
    """The bundled report and every report added beside it with ``tckg add``."""
    root = data_dir() if folder is None else Path(folder)
    files = [root / "report.ttl"] if (root / "report.ttl").exists() else []
    return files + sorted((root / "reports").glob("*.ttl"))


