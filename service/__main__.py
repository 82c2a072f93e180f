"""`python -m service` is the `regimen` command."""

from service.cli.commands import main

main()
