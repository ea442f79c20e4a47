"""tckg: the target commitment knowledge graph.

Chinese government plan reports as RDF: targets, achievements, tasks, projects,
enterprises and responsible bodies, each fact with the quote that states it.

The library is usable from a notebook as well as from the ``tckg`` command::

    import tckg
    ds = tckg.load_dataset()            # ontology + every bundled report
    rows = tckg.query("targets", ds, params={"year": "2023"})
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from tckg.sparql.run import query
    from tckg.store.load import load_dataset

__all__ = ["load_dataset", "query", "__version__"]


def __getattr__(name: str) -> Any:
    # Lazy so that ``import tckg`` stays cheap: the CLI's start-up time is measured.
    if name == "load_dataset":
        from tckg.store.load import load_dataset

        return load_dataset
    if name == "query":
        from tckg.sparql.run import query

        return query
    raise AttributeError(name)
