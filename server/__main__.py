"""Allow `python -m server`."""

from .cli import main

main()
