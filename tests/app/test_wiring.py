"""The composition root builds views and channels only for the processes that use them."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from service import bootstrap as wiring_module
from service.application import Regimen
from service.bootstrap import bootstrap
from service.config import Settings


def test_a_malformed_smtp_url_fails_only_when_the_channels_are_wanted(
    settings: Settings, regimen: Regimen
) -> None:
    wiring = bootstrap(replace(settings, smtp_url="mail.example.com"), regimen=regimen)
    assert wiring.regimen is regimen
    with pytest.raises(ValueError, match="REGIMEN_SMTP_URL"):
        _ = wiring.senders


def test_the_dispatcher_catches_up_the_views_the_process_reads(
    settings: Settings, regimen: Regimen, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[object] = []
    real = wiring_module.Projector

    def counted(app: Any) -> object:
        built.append(app)
        return real(app)

    monkeypatch.setattr(wiring_module, "Projector", counted)
    wiring = bootstrap(settings, regimen=regimen)
    assert built == []
    wiring.dispatcher()
    _ = wiring.reads
    assert built == [regimen]
