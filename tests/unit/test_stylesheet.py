"""The pages' stylesheet closes every block it opens: an unclosed media query would pull
every rule after it into the query (a merge once left one open, and the print styles of
the progress graph silently stopped applying)."""

from __future__ import annotations

import re
from pathlib import Path

import service.web

STYLESHEET = Path(service.web.__file__).parent / "static" / "app.css"


def test_every_block_of_the_stylesheet_is_closed_where_it_should_be() -> None:
    text = re.sub(r"/\*.*?\*/", "", STYLESHEET.read_text(), flags=re.S)
    depth, opened_at = 0, []
    for number, line in enumerate(text.splitlines(), start=1):
        for character in line:
            if character == "{":
                depth += 1
                opened_at.append(number)
            elif character == "}":
                depth -= 1
                assert depth >= 0, f"line {number} closes a block never opened"
                opened_at.pop()
        if line.startswith("@media"):
            assert depth == 1 or line.rstrip().endswith("}"), f"line {number}: nested @media"
    assert depth == 0, f"blocks opened on lines {opened_at} are never closed"
    assert "<<<<<<<" not in text and ">>>>>>>" not in text
