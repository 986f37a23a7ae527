"""`python -m graph.cli`: the `pairing` command."""

from graph.cli import main

main()
