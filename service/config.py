"""Settings: the one place that reads the environment."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

DEFAULT_DATABASE_URL = "sqlite:///var/regimen.db"
SECRETS = ("cipher_key", "secret_key", "metrics_token")
MASK = "***"
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class ConfigError(ValueError):
    """A setting has a value Regimen cannot use."""


@dataclass(frozen=True)
class Settings:
    """Everything Regimen can be configured with."""

    database_url: str = DEFAULT_DATABASE_URL
    cipher_key: str = ""
    smtp_url: str = ""
    mail_from: str = "Regimen <reminders@localhost>"
    sms_webhook_url: str = ""
    outbox_dir: str = "var/outbox"
    max_body_bytes: int = 256 * 1024
    postgres_pool_size: int = 5
    booking_horizon_days: int = 0
    secret_key: str = ""  # signs session cookies and message links; see adapters/secret_key.py
    public_url: str = ""  # where clients reach Regimen's `/`: the base of every absolute link
    metrics_token: str = ""  # the bearer token `/metrics` asks for; unset, `/metrics` is off
    # The proxies whose X-Forwarded-For names the client (gunicorn's own variable, which
    # makes it trust their X-Forwarded-Proto too): addresses or networks, or *.
    forwarded_allow_ips: str = "127.0.0.1,::1"

    def __repr__(self) -> str:
        """The settings with keys and passwords masked, so that they can be logged."""
        shown = []
        for setting in fields(self):
            value = getattr(self, setting.name)
            if setting.name in SECRETS and value:
                value = MASK
            elif setting.name.endswith("_url"):
                value = _password_masked(value)
            shown.append(f"{setting.name}={value!r}")
        return f"Settings({', '.join(shown)})"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read REGIMEN_* variables; unset ones keep their defaults."""
        env = os.environ if environ is None else environ
        defaults = cls()

        def get(name: str, default: str) -> str:
            return env.get(f"REGIMEN_{name}", "") or default

        return cls(
            database_url=get("DATABASE_URL", defaults.database_url),
            cipher_key=get("CIPHER_KEY", ""),
            smtp_url=get("SMTP_URL", ""),
            mail_from=checked_mail_from(get("MAIL_FROM", defaults.mail_from), get("SMTP_URL", "")),
            sms_webhook_url=get("SMS_WEBHOOK_URL", ""),
            outbox_dir=get("OUTBOX_DIR", defaults.outbox_dir),
            max_body_bytes=int(get("MAX_BODY_BYTES", str(defaults.max_body_bytes))),
            postgres_pool_size=int(get("POSTGRES_POOL_SIZE", str(defaults.postgres_pool_size))),
            booking_horizon_days=int(get("BOOKING_HORIZON_DAYS", "0")),
            secret_key=get("SECRET_KEY", ""),
            public_url=checked_public_url(get("PUBLIC_URL", "")),
            metrics_token=checked_metrics_token(get("METRICS_TOKEN", "")),
            forwarded_allow_ips=checked_proxies(
                env.get("FORWARDED_ALLOW_IPS", "") or defaults.forwarded_allow_ips
            ),
        )

    @property
    def backend(self) -> str:
        """'memory', 'sqlite' or 'postgresql'."""
        scheme = urlsplit(self.database_url).scheme
        if scheme in ("memory", "sqlite"):
            return scheme
        if scheme in ("postgresql", "postgres"):
            return "postgresql"
        raise ConfigError(
            f"REGIMEN_DATABASE_URL must start with sqlite:///, postgresql:// or memory://, "
            f"not {self.database_url!r}"
        )

    def eventsourcing_env(self) -> dict[str, str]:
        """The eventsourcing library's settings for this database."""
        env = self._persistence_env()
        if self.cipher_key:
            env["CIPHER_TOPIC"] = "eventsourcing.cipher:AESCipher"
            env["CIPHER_KEY"] = self.cipher_key
        return env

    def _persistence_env(self) -> dict[str, str]:
        url = urlsplit(self.database_url)
        if self.backend == "memory":
            return {"PERSISTENCE_MODULE": "eventsourcing.popo"}
        if self.backend == "sqlite":
            path = unquote(url.path[1:]) if url.path.startswith("/") else unquote(url.path)
            if not path:
                raise ConfigError("a sqlite:/// URL needs a file path")
            if path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": path,
                "SQLITE_LOCK_TIMEOUT": "10",
            }
        query = parse_qs(url.query)
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": url.path.lstrip("/") or "postgres",
            "POSTGRES_HOST": url.hostname or "127.0.0.1",
            "POSTGRES_PORT": str(url.port or 5432),
            "POSTGRES_USER": unquote(url.username or "postgres"),
            "POSTGRES_PASSWORD": unquote(url.password or ""),
            "POSTGRES_SCHEMA": query.get("schema", [""])[0],
            "POSTGRES_POOL_SIZE": str(self.postgres_pool_size),
            "POSTGRES_MAX_OVERFLOW": str(self.postgres_pool_size * 2),
            "POSTGRES_CONNECT_TIMEOUT": "5",
            # Checked after idleness instead (service/adapters/postgres_pool.py).
            "POSTGRES_PRE_PING": "n",
        }


def checked_metrics_token(token: str) -> str:
    """The metrics token ('' stays unset); ConfigError if it is too short to be a secret."""
    if token and len(token) < 16:
        raise ConfigError(
            "REGIMEN_METRICS_TOKEN must be at least 16 characters, for example the output of "
            'python -c "import secrets; print(secrets.token_urlsafe(32))"'
        )
    return token


def proxy_networks(setting: str) -> list[Network] | None:
    """The networks a FORWARDED_ALLOW_IPS value names (None: '*', every peer); ConfigError
    for an entry that is neither an address nor a network."""
    entries = [entry.strip() for entry in setting.split(",") if entry.strip()]
    if "*" in entries:
        return None
    try:
        return [ipaddress.ip_network(entry, strict=False) for entry in entries]
    except ValueError as error:
        raise ConfigError(
            "FORWARDED_ALLOW_IPS must list the proxies' addresses or networks, such as"
            f" 10.0.0.5 or 10.0.0.0/24, or be *: {error}"
        ) from None


def checked_proxies(setting: str) -> str:
    """The FORWARDED_ALLOW_IPS value, once it is known to parse."""
    proxy_networks(setting)
    return setting


LOOPBACK = ("localhost", "127.0.0.1", "::1")


def checked_mail_from(mail_from: str, smtp_url: str) -> str:
    """The sender of clients' emails; ConfigError when mail really leaves this machine (an SMTP
    server elsewhere) from an @localhost address, which receivers reject or file as spam and
    which gives every Message-ID a domain no one owns. The file outbox and a relay on this
    machine (`make run`, tests) may keep the default."""
    relay = urlsplit(smtp_url).hostname if smtp_url else None
    domain = mail_from.rstrip(">").rpartition("@")[2].strip().lower()
    if relay and relay not in LOOPBACK and domain in ("localhost", "localhost.localdomain"):
        raise ConfigError(
            f"REGIMEN_MAIL_FROM is {mail_from!r}: set it to an address of the clinic's own"
            " domain, such as 'Riverside Clinic <reminders@riverside.example.org>', before"
            " sending through REGIMEN_SMTP_URL"
        )
    return mail_from


def checked_public_url(url: str) -> str:
    """The public base URL without a trailing slash ('' stays unset); ConfigError unless it is
    an absolute http(s) URL with a host and no query, fragment or credentials. A path prefix
    (a proxy serving Regimen at https://host/regimen/) is kept."""
    if not url:
        return ""
    problem = "REGIMEN_PUBLIC_URL must be an absolute http:// or https:// URL, such as "
    example = "https://clinic.example.org"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (a port that is not a number raises ValueError)
    except ValueError as error:
        raise ConfigError(f"{problem}{example}, not {url!r} ({error})") from error
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{problem}{example}, not {url!r}")
    if parts.query or parts.fragment or "?" in url or "#" in url:
        raise ConfigError(f"REGIMEN_PUBLIC_URL must not have a query or a fragment: {url!r}")
    if parts.username is not None or parts.password is not None:
        raise ConfigError("REGIMEN_PUBLIC_URL must not hold a user name or password")
    return url.rstrip("/")


def _password_masked(url: str) -> str:
    """The URL with its password, if it has one, replaced by the mask."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    host = parts.netloc.rpartition("@")[2]
    return parts._replace(netloc=f"{parts.username}:{MASK}@{host}").geturl()
