"""The chart scope rule: who may read or change a client's chart (pure)."""

from __future__ import annotations

from uuid import uuid4

from service.domain.access import ChartAccess, ChartUse, chart_access

ADA, BEN = uuid4(), uuid4()


def test_a_therapist_reads_and_changes_the_charts_of_clients_they_treat() -> None:
    for use in ChartUse:
        assert chart_access(ADA, {ADA, BEN}, open_to_all=False, use=use) is ChartAccess.ALLOWED


def test_reading_another_therapists_client_needs_a_reason() -> None:
    access = chart_access(ADA, {BEN}, open_to_all=False, use=ChartUse.READ)

    assert access is ChartAccess.NEEDS_REASON


def test_a_blank_reason_is_no_reason() -> None:
    access = chart_access(ADA, {BEN}, open_to_all=False, use=ChartUse.READ, reason="  ")

    assert access is ChartAccess.NEEDS_REASON


def test_reading_another_therapists_client_for_a_reason_breaks_the_glass() -> None:
    access = chart_access(ADA, {BEN}, open_to_all=False, use=ChartUse.READ, reason="covering")

    assert access is ChartAccess.BREAK_GLASS


def test_changing_another_therapists_chart_is_refused_whatever_the_reason() -> None:
    access = chart_access(ADA, {BEN}, open_to_all=False, use=ChartUse.CHANGE, reason="covering")

    assert access is ChartAccess.REFUSED


def test_a_clinic_that_opens_its_charts_lets_every_therapist_read_and_change_them() -> None:
    for use in ChartUse:
        assert chart_access(ADA, {BEN}, open_to_all=True, use=use) is ChartAccess.ALLOWED


def test_a_user_linked_to_no_therapist_has_no_charts_even_in_an_open_clinic() -> None:
    for use in ChartUse:
        assert chart_access(None, {BEN}, open_to_all=True, use=use) is ChartAccess.UNLINKED
