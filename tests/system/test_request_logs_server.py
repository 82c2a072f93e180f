"""The real server's log: JSON lines, one per request with its id, and no personal data."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

from service.application.regimen import Regimen
from service.bootstrap import build_regimen
from service.cli.demo import CLIENTS, seed_demo
from service.config import Settings
from service.domain.values import Actor, Role
from tests.api.helpers import bearer

CLI = Actor(user_id="cli", role=Role.ADMIN)
TIMEOUT = 60  # a deadline for a loaded machine, not a measurement


def demo_with_tokens(sqlite_url: str) -> tuple[str, str]:
    regimen: Regimen = build_regimen(Settings(database_url=sqlite_url))
    try:
        seed_demo(regimen, CLI)
        _, desk = regimen.add_user("log-desk", Role.FRONT_DESK, CLI)
        _, admin = regimen.add_user("log-admin", Role.ADMIN, CLI)
    finally:
        regimen.close()
    return desk, admin


def test_the_servers_log_names_routes_and_ids_never_clients_or_secrets(
    sqlite_url: str, serve: Callable[..., Any], tmp_path: Path
) -> None:
    desk, _ = demo_with_tokens(sqlite_url)
    server = serve(sqlite_url)
    api = bearer(desk)
    sent: list[requests.Response] = []

    def get(path: str, **options: Any) -> requests.Response:
        answer = requests.get(server.url(path), timeout=TIMEOUT, **options)
        sent.append(answer)
        return answer

    name, email, phone = CLIENTS[0]
    found = get("/api/v1/clients", params={"q": name}, headers=api).json()
    client_id = found["items"][0]["id"] if "items" in found else found[0]["id"]
    get("/api/v1/clients", params={"q": email}, headers=api)
    get("/api/v1/clients", params={"q": phone}, headers={**api, "X-Request-ID": "mine-1"})
    issued = requests.post(
        server.url(f"/api/v1/clients/{client_id}/feed-token"), headers=api, timeout=TIMEOUT
    )
    sent.append(issued)
    token = issued.json()["token"]
    assert get(f"/feeds/{token}.ics").status_code == 200
    assert get(f"/feeds/{token}.ics", params={"q": name}).status_code == 200

    desk_page = requests.Session()
    form = desk_page.get(server.url("/"), timeout=TIMEOUT)
    sent.append(form)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert csrf, form.text
    signed_in = desk_page.post(
        server.url("/sign-in"),
        data={"token": desk, "csrf_token": csrf.group(1)},
        timeout=TIMEOUT,
        allow_redirects=False,
    )
    sent.append(signed_in)
    assert signed_in.status_code == 303 or signed_in.status_code == 302, signed_in.text
    searched = desk_page.get(server.url("/clients"), params={"q": name}, timeout=TIMEOUT)
    sent.append(searched)
    assert searched.status_code == 200 and name in searched.text
    assert get("/no/such/page", params={"q": name}).status_code == 404

    server.stop()
    text = server.log.read_text()
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]
    assert len(lines) == len(text.splitlines())  # every line is a JSON object
    access = [line for line in lines if line["logger"] == "regimen.access"]
    by_id = {line["request_id"]: line for line in access}
    for answer in sent:
        request_id = answer.headers["X-Request-ID"]
        line = by_id[request_id]
        assert (line["method"], line["status"]) == (answer.request.method, answer.status_code)
    assert by_id["mine-1"]["route"] == "/api/v1/clients"
    assert {line["route"] for line in access} >= {"/feeds/<token>.ics", "/clients", "-"}

    secrets = [token, "q=", desk]
    for client_name, client_email, client_phone in CLIENTS:
        secrets += [client_name, *client_name.split(), client_email, client_phone]
        secrets.append(client_phone.replace(" ", ""))
    for secret in secrets:
        assert secret not in text, secret
