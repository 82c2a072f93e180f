"""Limits on the links clients hold (their page, their calendar feed), shared by every process.

Two counts, both in the event store's database (adapters/rate_limits.py):

- per remote address, the tokens it presented that opened nothing (tampered, unknown,
  expired, revoked): past `GUESSES` a minute, every link request from it answers 429
  until the minute is over, so guessing tokens is hopeless. Good tokens are not counted
  by address: a calendar service fetches many clients' feeds from a few addresses.
- per client, every request made with one of their good tokens: past `PER_CLIENT` a
  minute, 429 (a leaked link hammered from many addresses).
"""

from __future__ import annotations

from typing import cast

from flask import current_app, request

from service.adapters.rate_limits import Limit, RateLimits
from service.http.context import now, regimen

GUESSES = Limit(hits=20)
PER_CLIENT = Limit(hits=60)
RETRY_AFTER = "60"
EXTENSION = "regimen.rate_limits"


def rate_limits() -> RateLimits:
    """The shared counts, in this app's database."""
    limits = current_app.extensions.get(EXTENSION)
    if limits is None:
        limits = current_app.extensions[EXTENSION] = RateLimits.of(regimen())
    return cast(RateLimits, limits)


def _address() -> str:
    return f"address:{request.remote_addr or 'unknown'}"


def guessing() -> bool:
    """Whether this address has presented too many tokens that opened nothing this minute."""
    return rate_limits().exceeded(_address(), GUESSES, now())


def count_guess() -> None:
    """Count a token from this address that opened nothing."""
    rate_limits().allow(_address(), GUESSES, now())


def client_allowed(client_id: str) -> bool:
    """Count a request with the client's good token; whether it is within their limit."""
    return rate_limits().allow(f"client:{client_id}", PER_CLIENT, now())
