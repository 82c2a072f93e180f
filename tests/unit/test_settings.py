"""Settings can be logged: keys and passwords never show."""

from __future__ import annotations

import pytest

from service.config import ConfigError, Settings, proxy_networks


def test_keys_and_passwords_are_masked_when_settings_are_shown() -> None:
    settings = Settings(
        database_url="postgresql://regimen:db-secret@db.internal:5432/regimen?schema=clinic",
        smtp_url="smtp://mailer:smtp-secret@mail.internal:587",
        cipher_key="cipher-secret",
        secret_key="cookie-secret",
        metrics_token="metrics-secret-token",
    )
    shown = repr(settings)
    for secret in ("db-secret", "smtp-secret", "cipher-secret", "cookie-secret", "metrics-secret"):
        assert secret not in shown
    assert "postgresql://regimen:***@db.internal:5432/regimen?schema=clinic" in shown
    assert "smtp://mailer:***@mail.internal:587" in shown
    assert "cipher_key='***'" in shown and "booking_horizon_days=0" in shown


def test_settings_without_secrets_show_as_they_are() -> None:
    shown = repr(Settings(database_url="sqlite:///var/regimen.db"))
    assert "database_url='sqlite:///var/regimen.db'" in shown
    assert "cipher_key=''" in shown


def test_the_public_url_is_read_and_kept_without_a_trailing_slash() -> None:
    read = Settings.from_env({"REGIMEN_PUBLIC_URL": "https://clinic.example.org/regimen/"})
    assert read.public_url == "https://clinic.example.org/regimen"
    assert Settings.from_env({}).public_url == ""


@pytest.mark.parametrize(
    "url",
    [
        "clinic.example.org",
        "/regimen",
        "ftp://clinic.example.org",
        "https://",
        "https://clinic.example.org/?clinic=1",
        "https://clinic.example.org/#top",
        "https://admin:secret@clinic.example.org",
        "https://clinic.example.org:https",
    ],
)
def test_a_public_url_that_is_not_an_absolute_http_address_is_refused(url: str) -> None:
    with pytest.raises(ConfigError, match="REGIMEN_PUBLIC_URL"):
        Settings.from_env({"REGIMEN_PUBLIC_URL": url})


def test_the_trusted_proxies_are_gunicorns_and_default_to_this_host() -> None:
    assert Settings.from_env({}).forwarded_allow_ips == "127.0.0.1,::1"
    given = Settings.from_env({"FORWARDED_ALLOW_IPS": "10.0.0.5, 192.168.0.0/16"})
    assert [str(n) for n in proxy_networks(given.forwarded_allow_ips) or ()] == [
        "10.0.0.5/32",
        "192.168.0.0/16",
    ]
    assert proxy_networks("*") is None


@pytest.mark.parametrize("value", ["nginx.internal", "10.0.0.300", "10.0.0.0/33"])
def test_a_trusted_proxy_that_is_not_an_address_is_refused(value: str) -> None:
    with pytest.raises(ConfigError, match="FORWARDED_ALLOW_IPS"):
        Settings.from_env({"FORWARDED_ALLOW_IPS": value})
