"""The vocabulary of tckg, defined once: closed namespaces generated from ``ontology/*.ttl``.

``TCK.planLevel`` is an IRI; ``TCK.planLevle`` raises ``AttributeError`` (the namespaces are
rdflib ``DefinedNamespace``s with ``_fail = True``). Names that are not Python identifiers are
indexed: ``STATUS["met-within-tolerance"]``. The modules ``_*.py`` are written by
``python -m tckg.vocab.generate``; edit the ontology, then regenerate.

Import from :mod:`tckg.namespaces`, which re-exports these beside the open namespaces of the
data (places, reports, graphs) and the standard vocabularies.
"""

from tckg.vocab._body_kind import BODYKIND
from tckg.vocab._comparator import CMP
from tckg.vocab._dimension import DIM
from tckg.vocab._indicator import IND
from tckg.vocab._kind import KIND
from tckg.vocab._level import LEVEL
from tckg.vocab._polarity import POL
from tckg.vocab._qualifier import QUAL
from tckg.vocab._rule import RULE
from tckg.vocab._stage import STAGE
from tckg.vocab._status import STATUS
from tckg.vocab._tck import TCK
from tckg.vocab._unit import UNIT

__all__ = ["BODYKIND", "CMP", "DIM", "IND", "KIND", "LEVEL", "POL", "QUAL", "RULE", "STAGE", "STATUS", "TCK", "UNIT"]
