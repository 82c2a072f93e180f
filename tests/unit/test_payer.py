"""A payer's terms: checked when registered and when changed."""

from __future__ import annotations

from dataclasses import replace

import pytest

from service.domain.errors import InvalidValue
from service.domain.payer import Fee, Payer
from tests.builders import ACME_TERMS, ADMIN


def test_a_registered_payer_tells_the_fee_of_a_code_it_lists_and_none_of_others() -> None:
    payer = Payer.register(replace(ACME_TERMS, fees=(Fee("97124", 3500),)), actor=ADMIN)

    assert (payer.fee("97124"), payer.fee("97140")) == (3500, None)


def test_changed_terms_replace_the_old_ones() -> None:
    payer = Payer.register(ACME_TERMS, actor=ADMIN)

    payer.change_terms(replace(ACME_TERMS, name="Acme Plus"), actor=ADMIN)

    assert (payer.name, payer.version) == ("Acme Plus", 2)


@pytest.mark.parametrize(
    ("terms", "message"),
    [
        (replace(ACME_TERMS, name=" "), "name must not be empty"),
        (replace(ACME_TERMS, currency="usd"), "ISO 4217"),
        (replace(ACME_TERMS, fees=(Fee("97124", -1),)), "fee of 97124"),
    ],
)
def test_unsound_terms_are_refused(terms: object, message: str) -> None:
    with pytest.raises(InvalidValue, match=message):
        Payer.register(terms, actor=ADMIN)  # type: ignore[arg-type]
