"""The superbill's pure parts: the period, the totals, the amounts, the NPI, diagnosis codes."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from service.domain.clinic import require_npi
from service.domain.errors import InvalidValue
from service.domain.rules import check_diagnosis_codes
from service.domain.superbill import SuperbillLine, check_period, totals
from service.reports.superbill import money


def line(code: str, units: int, fee: int | None, currency: str = "USD") -> SuperbillLine:
    return SuperbillLine(
        service_date=date(2026, 3, 9),
        plan_id=uuid4(),
        session=1,
        provider="Ada Therapist",
        code=code,
        minutes=units * 15,
        units=units,
        unit_fee=fee,
        currency=currency,
        payer="Acme",
        authorization="A-1",
        diagnosis_codes=("M54.2",),
    )


def test_totals_add_units_and_charges_per_currency_and_count_lines_without_a_fee() -> None:
    summed = totals([line("97124", 3, 3500), line("97140", 1, 4000), line("97110", 2, None)])

    assert (summed.lines, summed.units) == (3, 6)
    assert summed.charges == (("USD", 14500),)
    assert summed.lines_without_fee == 1


def test_a_period_ending_before_it_starts_or_longer_than_a_year_is_refused() -> None:
    check_period(date(2026, 3, 1), date(2026, 3, 1))
    with pytest.raises(InvalidValue, match="before it starts"):
        check_period(date(2026, 3, 2), date(2026, 3, 1))
    with pytest.raises(InvalidValue, match="at most 366 days"):
        check_period(date(2026, 1, 1), date(2027, 1, 2))


@pytest.mark.parametrize("npi", ["1234567893", "1245319599"])
def test_an_npi_with_its_check_digit_is_accepted(npi: str) -> None:
    require_npi(npi)


@pytest.mark.parametrize(("npi", "problem"), [("1234567890", "check digit"), ("12345", "ten")])
def test_an_npi_mistyped_is_refused(npi: str, problem: str) -> None:
    with pytest.raises(InvalidValue, match=problem):
        require_npi(npi)


def test_diagnosis_codes_are_shaped_like_icd10_and_named_once() -> None:
    check_diagnosis_codes(("M54.2", "S13.4XXA", "m545"))
    with pytest.raises(InvalidValue, match="not shaped like"):
        check_diagnosis_codes(("back pain",))
    with pytest.raises(InvalidValue, match="named once"):
        check_diagnosis_codes(("M54.2", "m542"))
    with pytest.raises(InvalidValue, match="at most 12"):
        check_diagnosis_codes(tuple(f"M54.{n}" for n in range(13)))


@pytest.mark.parametrize(
    ("minor", "currency", "shown"),
    [
        (3500, "USD", "35.00"),
        (5, "EUR", "0.05"),
        (3500, "JPY", "3500"),  # no minor unit: the yen has no decimals
        (3500, "KWD", "3.500"),  # three decimals
        (None, "USD", ""),
    ],
)
def test_an_amount_is_written_with_its_currencys_own_decimals(
    minor: int | None, currency: str, shown: str
) -> None:
    assert money(minor, currency) == shown
