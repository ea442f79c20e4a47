"""``python -m tckg`` runs the command line."""

from tckg.cli import main

main()
