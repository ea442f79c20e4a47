"""The store seam: named graphs in, SPARQL out, on rdflib's memory store or Oxigraph."""

from tckg.store.backends import STORE_KINDS, OxigraphStore, RdflibStore, Solutions, Store, open_store
from tckg.store.load import TckDataset, load_dataset, parse_file

__all__ = ["STORE_KINDS", "OxigraphStore", "RdflibStore", "Solutions", "Store", "TckDataset",
           "load_dataset", "open_store", "parse_file"]
