"""A desk page that needs a stuck view shows an error page (503), not a stack trace."""

from __future__ import annotations

from flask import Flask

from service.application import Regimen
from service.projections.projector import Projector
from service.projections.queries import ReadModel
from tests.stuck_views import POISON, RefusingDirectory, register
from tests.web.conftest import Desk, text


def test_the_client_list_of_a_stuck_directory_is_an_error_page(
    app: Flask, regimen: Regimen, desk: Desk
) -> None:
    register(regimen, POISON)
    app.extensions["regimen.reads"] = ReadModel(
        Projector(regimen, views=RefusingDirectory().views())
    )

    page = desk.get("/clients?q=pete")

    assert page.status_code == 503
    assert "cannot be shown just now" in text(page)
    assert "Traceback" not in text(page)
