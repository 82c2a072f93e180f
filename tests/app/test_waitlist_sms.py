"""The waitlist's offer by SMS: one GSM-7 segment, with a short claim link that works."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from uuid import uuid4

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from service.application import Regimen
from service.config import Settings
from service.domain.reminders import Channel
from service.reminders.claim_links import ClaimLink, ClaimLinker, read_claim_token
from service.reminders.offer_messages import OfferFacts, offer_sms
from service.reminders.sms import SEGMENT, gsm7_length
from tests.builders import DESK
from tests.reminder_scenario import EMAIL_48_AND_2
from tests.waitlist_story import NOW, SECRET, Story, cancel_dans_visit, dans_visit, wait

LINK = ClaimLink(uuid4(), uuid4(), 12)
PUBLIC = "https://riverside-clinic.example"
LONG_PUBLIC = "https://appointments.riverside-clinic.example"


@pytest.fixture
def story(regimen: Regimen, settings: Settings) -> Story:
    """Dan's Wednesday visit, the clients who may wait for it, and the wiring that offers."""
    return dans_visit(regimen, settings)


def facts(clinic_name: str, public: str = PUBLIC) -> OfferFacts:
    return OfferFacts(
        client_name="Cora Client",
        start=NOW + timedelta(days=2, hours=2),
        minutes=60,
        client_zone="Europe/London",
        clinic_name=clinic_name,
        therapist_name="Ada Therapist",
        hold_until=NOW + timedelta(minutes=30),
        link=ClaimLinker(public, SECRET)(LINK, NOW, short=True),
    )


@pytest.mark.parametrize(
    "clinic_name", ["Riverside", "Riverside Massage and Manual Therapy Clinic of Bristol"]
)
def test_the_offer_sms_fits_one_segment_with_its_link_and_the_opt_out(clinic_name: str) -> None:
    text = offer_sms(facts(clinic_name)).text
    assert (gsm7_length(text) or SEGMENT + 1) <= SEGMENT, (len(text), text)
    [url] = re.findall(r"https://\S+", text)
    assert url.startswith(f"{PUBLIC}/w/") and "Wed 4 Mar 10:00" in text and "08:30" in text
    assert "STOP" in text
    assert read_claim_token(SECRET, url.removeprefix(f"{PUBLIC}/w/"), NOW) == LINK


def test_the_wording_keeps_the_clinics_name_when_it_fits() -> None:
    assert offer_sms(facts("Riverside", "https://rc.example")).text.startswith("Riverside: ")
    long_name = offer_sms(facts("Riverside Massage and Manual Therapy Clinic of Bristol"))
    assert long_name.text.startswith("Free Wed 4 Mar 10:00") and "STOP" in long_name.text


def test_a_long_public_address_still_fits_one_segment_with_the_opt_out() -> None:
    text = offer_sms(facts("Riverside", LONG_PUBLIC)).text
    assert (gsm7_length(text) or SEGMENT + 1) <= SEGMENT and f"{LONG_PUBLIC}/w/" in text
    assert text.endswith(" STOP to opt out")


# The shortest wording around the link, "Free Wed 4 Mar 10:00: {link} STOP to opt out": the
# longest link that leaves room for it in one segment, by language.
ROOM_FOR_THE_LINK = {
    "en": SEGMENT - len("Free Wed 4 Mar 10:00:  STOP to opt out"),
    "fr": SEGMENT - len("Libre mer. 4 mars 10:00 :  STOP = désabonnement"),
}
OPT_OUT = {"en": "STOP to opt out", "fr": "STOP = désabonnement"}
CLINIC_NAMES = [
    "Rive",
    "Riverside Massage and Manual Therapy Clinic of Bristol",
    "Zoë's",
    "R" * 300,
]


def link_of(length: int) -> str:
    return f"{PUBLIC}/w/{'x' * (length - len(PUBLIC) - 3)}"


@pytest.mark.parametrize("clinic_name", CLINIC_NAMES)
@pytest.mark.parametrize("length", [60, 100, 118, 122, 123, 300])
def test_the_offer_sms_never_drops_the_opt_out(clinic_name: str, length: int) -> None:
    link = link_of(length)
    text = offer_sms(replace(facts(clinic_name), link=link)).text
    assert text.endswith(" STOP to opt out") and f" {link} " in text, text
    if length <= ROOM_FOR_THE_LINK["en"]:  # a longer one leaves no wording room in one segment
        assert (gsm7_length(text) or SEGMENT + 1) <= SEGMENT, (len(text), text)


@given(
    clinic_name=st.text(min_size=1, max_size=200),
    length=st.integers(min_value=len(PUBLIC) + 4, max_value=400),
    language=st.sampled_from(["en", "fr"]),
)
@example(clinic_name="R" * 300, length=ROOM_FOR_THE_LINK["fr"], language="fr")
@example(clinic_name="Rive", length=ROOM_FOR_THE_LINK["en"], language="en")
def test_any_offer_sms_carries_the_opt_out_and_fits_when_the_link_leaves_room(
    clinic_name: str, length: int, language: str
) -> None:
    link = link_of(length)
    text = offer_sms(replace(facts(clinic_name), link=link, language=language)).text
    assert text.endswith(OPT_OUT[language]) and f" {link} " in text, text
    if length <= ROOM_FOR_THE_LINK[language]:
        assert (gsm7_length(text) or SEGMENT + 1) <= SEGMENT, (len(text), text)


def test_an_sms_offer_carries_a_short_link_that_opens_the_offer(
    regimen: Regimen,
    story: Story,
) -> None:
    regimen.update_client(story.clinic.client_id, {"phone": "+447700900123"}, DESK)
    sms_only = replace(EMAIL_48_AND_2, consented_channels=(Channel.SMS,))
    regimen.set_reminder_preferences(story.clinic.client_id, sms_only, DESK)
    cora = wait(regimen, story.clinic.client_id, 60)
    offer = cancel_dans_visit(story, regimen)
    story.wiring.offer_waitlist(NOW)
    [message] = story.sender.sent
    assert message.to == "+447700900123"
    assert (gsm7_length(message.text) or SEGMENT + 1) <= SEGMENT, message.text
    token = re.search(r"http://localhost/w/(\S+)", message.text).group(1)  # type: ignore[union-attr]
    assert read_claim_token(SECRET, token, NOW) == ClaimLink(offer, cora, 1)
