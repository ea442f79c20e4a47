"""Minting IRIs and reading them back: the one place tckg turns names into IRIs and IRIs into
names. Nothing else slices IRI strings.

- :func:`mint` makes ``namespace + local`` for names that come from data (a YAML record's
  comparator, an extracted indicator id); the closed namespaces of :mod:`tckg.vocab` refuse a
  name the ontology does not define, so data-driven names go through here and SHACL
  (``tcksh:InSchemeShape``) checks them against the schemes.
- :func:`local_name` gives the part of an IRI after a namespace (``status:met`` → ``met``), or
  after its last ``/`` or ``#`` when no namespace is named.
- :data:`SLUG` is the one pattern of a readable IRI segment (report slugs, ids in sources).
"""

from __future__ import annotations

import re
from typing import Any

from rdflib import URIRef

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def is_slug(text: str) -> bool:
    """Lowercase ASCII letters, digits and hyphens, not starting with a hyphen."""
    return SLUG.fullmatch(text) is not None


def mint(namespace: Any, local: str) -> URIRef:
    """``namespace`` + ``local`` as an IRI, for a name read from data (never checked against the
    ontology here: validation does that and says which record is wrong)."""
    return URIRef(f"{namespace}{local}")


def local_name(iri: Any, namespace: Any = None) -> str:
    """The name of ``iri`` within ``namespace``: ``''`` when ``iri`` is None or not in it.

    Without a namespace, the segment after the last ``#`` or ``/`` (a trailing ``/`` ignored),
    as SPARQL results and display code want it.
    """
    if iri is None:
        return ""
    text = str(iri)
    if namespace is not None:
        ns = str(namespace)
        return text[len(ns):] if text.startswith(ns) and len(text) > len(ns) else ""
    text = text.rstrip("/")
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def in_namespace(iri: Any, namespace: Any) -> bool:
    """Whether ``iri`` names something in ``namespace`` (the namespace IRI itself excluded)."""
    return iri is not None and local_name(iri, namespace) != ""
