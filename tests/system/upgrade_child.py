"""A `regimen db upgrade` that starts once every sibling is ready, and prints what it did.

Run as: python -m tests.system.upgrade_child DATABASE_URL READY_DIR SIBLINGS
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from service.cli.commands import main as regimen


def main(database_url: str, ready_dir: str, siblings: int) -> None:
    """Say ready, wait for every sibling to say so too, then upgrade at once."""
    ready = Path(ready_dir)
    (ready / str(os.getpid())).touch()
    while len(list(ready.iterdir())) < siblings:
        time.sleep(0.01)  # polling the start line; the files are the synchronisation
    os.environ["REGIMEN_DATABASE_URL"] = database_url
    regimen(["db", "upgrade"])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
