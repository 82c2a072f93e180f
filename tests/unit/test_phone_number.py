"""Phone numbers: read in the clinic's country, kept in E.164, refused saying why."""

from __future__ import annotations

import pytest

from service.application import Regimen
from service.application.commands import ClientDetails, TherapistDetails
from service.domain.client import Client
from service.domain.errors import InvalidValue
from service.domain.phone_number import country_name, country_of_zone, example_for, phone_number
from service.domain.staff import Therapist
from service.domain.values import Actor, Role
from tests.builders import ADMIN, ZONE, small_clinic

DESK = Actor(user_id="d", role=Role.FRONT_DESK)


@pytest.mark.parametrize("given", ["+44 7700 900102", "07700 900102", "07700900102"])
def test_a_uk_number_written_either_way_is_kept_the_same_in_a_uk_clinic(given: str) -> None:
    assert phone_number("phone", given, "GB") == "+447700900102"


def test_a_us_clinic_reads_a_national_number_as_american() -> None:
    assert phone_number("phone", "(212) 555-0123", "US") == "+12125550123"
    assert phone_number("phone", "+44 7700 900102", "US") == "+447700900102"


@pytest.mark.parametrize(
    ("bad", "says"),
    [
        ("abc", "is not a phone number"),
        ("0123", "too short"),
        ("+44 20", "too short"),
        ("07700 900102 ext. 2", "extension"),
        ("+999 7700 900102", "no country code there is"),
        ("0" * 41, "longer than 40"),
    ],
)
def test_what_is_no_phone_number_is_refused_saying_why(bad: str, says: str) -> None:
    with pytest.raises(InvalidValue, match="^phone ") as refused:
        phone_number("phone", bad, "GB")
    assert says in str(refused.value)


def test_without_a_country_only_an_international_number_is_accepted() -> None:
    assert phone_number("phone", "+44 7700 900102", None) == "+447700900102"
    with pytest.raises(InvalidValue, match="needs its country code"):
        phone_number("phone", "07700 900102", None)


def test_no_phone_number_stays_allowed() -> None:
    assert phone_number("phone", "", "GB") == ""
    assert phone_number("phone", "   ", "GB") == ""


@pytest.mark.parametrize(
    ("zone", "country"),
    [
        ("Europe/London", "GB"),
        ("America/New_York", "US"),
        ("Europe/Zurich", "CH"),
        ("Australia/Sydney", "AU"),
        ("UTC", None),
    ],
)
def test_the_clinics_country_is_its_zones_in_the_tz_database(zone: str, country: str) -> None:
    assert country_of_zone(zone) == country


def test_a_country_is_named_for_people_as_the_tz_database_names_it() -> None:
    assert (country_name("GB"), country_name("US")) == ("Britain (UK)", "United States")


def test_the_hint_shows_a_number_as_dialled_in_the_clinics_country() -> None:
    assert example_for("GB").startswith("07")
    assert example_for(None).startswith("+")


def test_a_client_registered_and_updated_keeps_the_number_in_e164() -> None:
    client = Client.register(
        name="Cora", email="", phone="07700 900102", zone="UTC", notes="", actor=DESK, region="GB"
    )
    client.update({"phone": "+44 7700 900102"}, DESK, "GB")  # the same number: no change
    client.update({"phone": "(212) 555-0123"}, DESK, "US")

    assert [type(e).__name__ for e in client.collect_events()] == [
        "ClientRegistered",
        "ClientDetailsChanged",
    ]
    assert client.phone == "+12125550123"


def test_a_phone_number_stored_before_the_rule_is_kept_on_replay() -> None:
    registered = Client.ClientRegistered(
        originator_id=Client.create_id(),
        originator_version=1,
        timestamp=Client.ClientRegistered.create_timestamp(),
        originator_topic="service.domain.client:Client",
        name="Old",
        email="",
        phone="0123",
        zone="UTC",
        notes="",
        actor=DESK,
    )

    assert registered.mutate(None).phone == "0123"


def test_clients_and_therapists_national_numbers_are_read_in_the_clinics_country(
    store: Regimen,
) -> None:
    small_clinic(store)  # in Europe/London
    therapist_id = store.register_therapist(
        TherapistDetails(name="Tess", modalities=("swedish",), phone="07700 900103"),
        actor=ADMIN,
    )
    client_id = store.register_client(
        ClientDetails(name="Cal", phone="07700 900104", zone=ZONE), actor=DESK
    )
    abroad = store.register_therapist(
        TherapistDetails(name="Uma", modalities=("swedish",), phone="+1 212 555 0123"),
        actor=ADMIN,
    )

    assert store.load(Therapist, therapist_id).phone == "+447700900103"
    assert store.load(Client, client_id).phone == "+447700900104"
    assert store.load(Therapist, abroad).phone == "+12125550123"
