"""SPARQL over the commitment graph: the catalogue of named queries, safety checks, bound
parameters, result serialisers, and the one runner every query goes through."""
