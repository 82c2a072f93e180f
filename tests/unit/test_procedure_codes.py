"""The modality -> default procedure code table, and the minutes it suggests."""

from __future__ import annotations

from service.domain.billing_units import ProcedureMinutes
from service.domain.procedure_codes import default_code, suggested_minutes


def test_swedish_massage_bills_97124_and_myofascial_release_and_lymphatic_drainage_97140() -> None:
    assert default_code("Swedish massage") == "97124"
    assert default_code("  Myofascial   Release ") == "97140"
    assert default_code("lymphatic drainage") == "97140"
    assert default_code("PNF") == "97112"
    assert default_code("hot stones") is None


def test_a_sessions_minutes_are_shared_among_the_codes_its_techniques_suggest() -> None:
    techniques = ("Swedish massage", "myofascial release", "lymphatic drainage", "hot stones")

    assert suggested_minutes(techniques, 61) == (
        ProcedureMinutes("97124", 31),
        ProcedureMinutes("97140", 30),
    )


def test_techniques_suggesting_no_code_suggest_no_minutes() -> None:
    assert suggested_minutes(("hot stones", "aromatherapy"), 60) == ()
    assert suggested_minutes(("swedish",), 60) == (ProcedureMinutes("97124", 60),)
