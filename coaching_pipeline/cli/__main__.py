"""`python -m coaching_pipeline.cli`: the `coaching` command."""

from coaching_pipeline.cli.app import main

main()
