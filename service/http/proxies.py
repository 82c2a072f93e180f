"""The client's address behind a trusted proxy.

Behind nginx every request reaches gunicorn from the proxy's address, so the limits
counted per address (service/http/client_limits.py) would count every client as one:
one guesser would shut every client out. A request that comes from an address in
`FORWARDED_ALLOW_IPS` (gunicorn's own setting, which already makes it trust that peer's
`X-Forwarded-Proto`) gets, as its remote address, the one the proxy appended to
`X-Forwarded-For`; from anywhere else the header is ignored, so a client cannot choose
the address it is counted under.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any

from werkzeug.middleware.proxy_fix import ProxyFix

from service.config import Network


class TrustedProxies:
    """WSGI middleware: X-Forwarded-For's last address as the remote address, for requests
    from a trusted proxy only."""

    def __init__(self, app: Any, networks: Iterable[Network] | None) -> None:
        self.app = app
        self.through_proxy = ProxyFix(app, x_for=1, x_proto=0, x_host=0, x_port=0, x_prefix=0)
        self.networks = None if networks is None else list(networks)

    def trusts(self, peer: str) -> bool:
        """Whether the peer that sent the request is a trusted proxy."""
        if self.networks is None:
            return True
        try:
            address = ipaddress.ip_address(peer)
        except ValueError:  # a Unix socket: only this host reaches it (trusted, as by gunicorn)
            return True
        return any(address in network for network in self.networks)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if self.trusts(environ.get("REMOTE_ADDR", "")):
            return self.through_proxy(environ, start_response)
        return self.app(environ, start_response)
