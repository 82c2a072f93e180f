"""What every command shares: the acting operator and the application on the configured database."""

from __future__ import annotations

from service.application import Regimen
from service.application.accounts import OPERATOR
from service.bootstrap import build_regimen
from service.config import Settings

CLI_ACTOR = OPERATOR


def regimen_from_env() -> Regimen:
    """The application on the database the environment configures (built in this process).

    Only the application: no views, no channels, so a command that sends nothing never
    trips over a malformed channel setting.
    """
    return build_regimen(Settings.from_env())
