"""Reading and writing files safely: where tckg's files are, bounded decoding of untrusted
input, atomic writes. Nothing here knows about RDF stores or SPARQL."""
