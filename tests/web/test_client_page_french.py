"""A French clinic's client pages: in French, dates French, no English words left."""

from __future__ import annotations

from html.parser import HTMLParser
from uuid import UUID

from flask.testing import FlaskClient

from service.application import Regimen
from service.reminders.language import catalog
from tests.builders import DESK, configure_clinic
from tests.fakes import FixedClock
from tests.web.client_links import CorasLink, CorasPage
from tests.web.conftest import text


class Words(HTMLParser):
    """The text a reader sees: every text node, trimmed, and the page's language."""

    def __init__(self) -> None:
        super().__init__()
        self.nodes: set[str] = set()
        self.language = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.language = dict(attrs).get("lang") or ""

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.nodes.add(" ".join(data.split()))


def words(html: str) -> Words:
    parser = Words()
    parser.feed(html)
    return parser


def pages(client: FlaskClient, path: str, plan_id: UUID) -> str:
    """The client's page and a session's cancel page, one after the other."""
    return text(client.get(path)) + text(client.get(f"{path}/sessions/{plan_id}/1/cancel"))


def test_a_french_clinics_client_page_is_french_with_french_dates(
    client: FlaskClient, regimen: Regimen, cora: CorasPage
) -> None:
    configure_clinic(regimen, language="fr")
    page = client.get(cora.link())
    html = text(page)
    assert page.status_code == 200
    assert words(html).language == "fr"
    assert "mardi 3 mars 2026 à 10:00 GMT (Europe/London)" in html
    assert "Vos séances" in html and "Je viendrai" in html and "Votre agenda" in html


def test_no_english_is_left_on_a_french_clinics_client_pages(
    client: FlaskClient, regimen: Regimen, cora: CorasPage, plan_id: UUID, clock: FixedClock
) -> None:
    regimen.cancel_sessions(plan_id, 6, reason="a week away", actor=DESK, now=clock())
    configure_clinic(regimen, self_booking=True)  # its section shows too
    path = cora.link()
    english = pages(client, path, plan_id)
    assert "Book your next session" in english and "Download my record" in english
    configure_clinic(regimen, language="fr", self_booking=True)
    french = pages(client, path, plan_id)
    shared = words(english).nodes & words(french).nodes
    data = {"Test Clinic", "0117 496 0123", "A late cancellation is charged at half the fee."}
    assert {n for n in shared if n not in data and not n.startswith("Cora")} == set()
    english_words = [m for m in english_msgids() if m in english]
    assert len(english_words) >= 10  # the comparison reads the catalog's words
    names = french.replace("Ada Therapist", "").replace("Ben Therapist", "")  # data, not words
    assert [m for m in english_words if m in names] == []


def english_msgids() -> list[str]:
    """Every English sentence of the catalog that French says differently."""
    translations = catalog("fr")
    return [
        msgid
        for msgid in catalog("en")._catalog
        if isinstance(msgid, str) and msgid and translations.gettext(msgid) != msgid
    ]


def test_an_english_clinics_page_stays_english(client: FlaskClient, cora: CorasPage) -> None:
    html = text(client.get(cora.link()))
    assert words(html).language == "en"
    assert "Your sessions" in html and "Vos séances" not in html


def test_a_changed_link_answers_in_french(
    client: FlaskClient, coras_link: CorasLink, regimen: Regimen
) -> None:
    configure_clinic(regimen, language="fr")
    refused = client.get(coras_link.link()[:-2] + "xx")
    assert refused.status_code == 403
    assert "Ce lien ne fonctionne pas" in text(refused) and "does not work" not in text(refused)
