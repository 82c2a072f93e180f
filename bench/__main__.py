"""Run every benchmark with its default sizes: `make bench` or `python -m bench`."""

from __future__ import annotations

import importlib
import sys

SCRIPTS = (
    "command_path",
    "latency",
    "search",
    "query_path",
    "replay",
    "rebuild",
    "encoding",
    "reminder_dispatch",
    "scale_out",
)


def main() -> None:
    """Run each benchmark module's main() in turn (they print their own figures)."""
    for name in SCRIPTS:
        module = importlib.import_module(f"bench.{name}")
        sys.argv = [f"bench.{name}"]
        module.main()


if __name__ == "__main__":
    main()
