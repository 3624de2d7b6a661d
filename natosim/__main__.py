"""Entry point for ``python -m natosim``."""

from natosim.cli import main

main()
