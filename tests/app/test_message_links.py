"""A reminder's calendar links open the client's feed and the session, until the feed changes."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient
from icalendar import Calendar

from service.application import Regimen
from service.config import Settings
from service.reminders.messages import CalendarLinks
from tests.builders import DESK
from tests.fakes import CapturingSender
from tests.reminder_scenario import NOW, Series, book_series_of_four, dispatcher_with, schedule

SESSION_1_DUE = datetime(2026, 3, 9, 8, 30, tzinfo=UTC)  # both of session 1's reminders
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The shared settings with a secret key, as every process of one clinic is given."""
    return replace(settings, secret_key="a-secret-every-process-shares-" + "x" * 10)


@pytest.fixture
def series(regimen: Regimen) -> Series:
    """Cora's four sessions, booked and planned, with reminders by email."""
    booked = book_series_of_four(regimen)
    schedule(regimen, NOW)
    return booked


def links_in(text: str) -> CalendarLinks:
    """The calendar links a message offers."""
    subscribe = re.search(r"webcal://\S+\.ics", text)
    session = re.search(r"https?://\S+/feeds/\S+/\S+/\d+\.ics", text)
    https = re.search(r"\((?:or open )?(https?://\S+/feeds/[^/\s]+\.ics)", text)
    assert subscribe and session and https, text
    return CalendarLinks(subscribe[0], https[1], session[0])


def links_sent(settings: Settings, regimen: Regimen, series: Series) -> CalendarLinks:
    """Cora is given a feed, her first session's reminders go out: the links of the last."""
    regimen.issue_feed_token(series.clinic.client_id, DESK)
    sender = CapturingSender()
    dispatcher_with(regimen, sender, settings=settings).dispatch(SESSION_1_DUE)
    assert sender.sent
    return links_in(sender.sent[-1].text)


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_a_reminder_links_to_its_session_and_the_feed_until_the_desk_issues_a_new_one(
    settings: Settings, regimen: Regimen, client: FlaskClient, series: Series
) -> None:
    # Cora has a calendar feed; her first session's reminders go out.
    links = links_sent(settings, regimen, series)
    assert links.subscribe.startswith("webcal://localhost/feeds/")
    assert links.session.endswith(f"/{series.plan_id}/1.ics")

    # The session's link opens that session alone, at 10:00 London time.
    one = client.get(path_of(links.session))
    assert one.status_code == 200 and one.mimetype == "text/calendar"
    (event,) = Calendar.from_ical(one.data).walk("VEVENT")
    assert event.decoded("DTSTART") == datetime(2026, 3, 9, 10, tzinfo=LONDON)
    # The feed's links (webcal and https) open the whole feed.
    for url in (links.subscribe, links.https):
        feed = client.get(path_of(url))
        assert feed.status_code == 200 and feed.mimetype == "text/calendar"
        assert len(Calendar.from_ical(feed.data).walk("VEVENT")) == 4

    # The desk issues Cora a new feed: every link already sent stops answering.
    regimen.issue_feed_token(series.clinic.client_id, DESK)
    for url in (links.session, links.subscribe, links.https):
        assert client.get(path_of(url)).status_code == 404


def test_after_the_feed_is_revoked_links_sent_before_answer_404(
    settings: Settings, regimen: Regimen, client: FlaskClient, series: Series
) -> None:
    links = links_sent(settings, regimen, series)
    assert client.get(path_of(links.session)).status_code == 200
    regimen.revoke_feed_token(series.clinic.client_id, DESK)
    assert client.get(path_of(links.session)).status_code == 404
    assert client.get(path_of(links.https)).status_code == 404


def test_a_client_without_a_feed_is_reminded_without_calendar_links(
    settings: Settings, regimen: Regimen, series: Series
) -> None:
    sender = CapturingSender()
    dispatcher_with(regimen, sender, settings=settings).dispatch(SESSION_1_DUE)
    assert sender.sent
    for message in sender.sent:
        assert "feeds" not in message.text and "calendar" not in message.text


def test_without_a_public_url_messages_carry_no_links(
    settings: Settings, regimen: Regimen, series: Series
) -> None:
    regimen.issue_feed_token(series.clinic.client_id, DESK)
    sender = CapturingSender()
    unlinked = replace(settings, public_url="")
    dispatcher_with(regimen, sender, settings=unlinked).dispatch(SESSION_1_DUE)
    assert sender.sent and all("feeds" not in m.text for m in sender.sent)


def test_a_forged_link_token_answers_404(
    regimen: Regimen, client: FlaskClient, series: Series
) -> None:
    regimen.issue_feed_token(series.clinic.client_id, DESK)
    forged = f"{series.clinic.client_id}.{'A' * 22}"
    assert client.get(f"/feeds/{forged}.ics").status_code == 404
    assert client.get(f"/feeds/{forged}/{series.plan_id}/1.ics").status_code == 404
