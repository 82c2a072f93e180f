"""The desk page never tells staff to run a command: it says what a desk user can do."""

from __future__ import annotations

import re
from pathlib import Path

from flask.testing import FlaskClient

import service.web
from tests.web.conftest import text

WEB = Path(service.web.__file__).parent
COMMAND = re.compile(r"<code>|\bmake run\b|\bregimen [a-z-]+ [a-z-]+|python -m")


def test_the_sign_in_page_says_to_ask_an_administrator(client: FlaskClient) -> None:
    page = text(client.get("/"))
    assert "ask an administrator of the clinic for a front-desk token" in page
    assert COMMAND.search(page) is None


def test_no_template_shows_a_shell_command() -> None:
    shown = {
        path.name: COMMAND.findall(path.read_text())
        for path in (WEB / "templates").glob("*.html")
        if COMMAND.search(path.read_text())
    }
    assert shown == {}


def test_no_message_of_the_web_code_shows_a_shell_command() -> None:
    messages = [
        line
        for path in WEB.glob("*.py")
        for line in path.read_text().splitlines()
        if re.search(r"(flash|message=|error=).*\bregimen [a-z]", line)
    ]
    assert messages == []
