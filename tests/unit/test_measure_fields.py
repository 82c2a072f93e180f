"""Outcome-measure fields on the therapist's forms: read, shown again, scored in words."""

from __future__ import annotations

from service.domain.measures import SECTIONS_OF, Instrument, MeasureAnswers
from service.web.forms import FormErrors
from service.web.measure_fields import (
    change_text,
    entered_for,
    error_key,
    read_measures,
    score_text,
)

ALL = (Instrument.NPRS, Instrument.PSFS, Instrument.NDI, Instrument.ODI)
ANSWERS = (
    MeasureAnswers(Instrument.NPRS, (6,)),
    MeasureAnswers(Instrument.PSFS, (3, 4, 2), ("reversing", "reading", "lifting")),
    MeasureAnswers(Instrument.NDI, (3, None, 3, 3, 2, 2, 2, 2, 2, 2)),
    MeasureAnswers(Instrument.ODI, (2, 2, 2, 2, 2, 2, 2, None, 2, 2)),
)


def test_recorded_answers_are_read_back_from_the_fields_they_show_in() -> None:
    errors = FormErrors()
    assert read_measures(ALL, entered_for(ANSWERS), errors) == ANSWERS
    assert errors == {}


def test_each_instrument_is_scored_as_the_forms_print_it() -> None:
    assert [score_text(a) for a in ANSWERS] == [
        "NPRS 6 of 10",
        "PSFS mean 3 of 10",
        "NDI 23.3 of 50 (46.6%)",  # 21 of the 45 the nine answered sections allow
        "ODI 40% moderate disability",
    ]


def test_a_change_says_whether_it_is_meaningful() -> None:
    baseline = MeasureAnswers(Instrument.NDI, (3, 3, 3, 3, 2, 2, 2, 2, 2, 2))
    assert change_text(baseline, MeasureAnswers(Instrument.NDI, (2,) * 10)) == (
        "−4.0 points, not yet meaningful"
    )
    assert change_text(baseline, MeasureAnswers(Instrument.NDI, (2,) * 6 + (1,) * 4)) == (
        "−8.0 points, meaningful"
    )
    assert change_text(None, baseline) == "no baseline to compare with"


def test_blank_instruments_are_skipped_only_where_optional() -> None:
    entered = entered_for(()) | {"psfs_activity_0": "reversing"}
    errors = FormErrors()
    assert read_measures(ALL, entered, errors, optional=True) == ()
    assert errors == {}
    read_measures(ALL, entered, errors)
    assert set(errors) == {error_key(i) for i in ALL}


def test_both_indexes_title_ten_sections() -> None:
    assert [len(SECTIONS_OF[i]) for i in (Instrument.NDI, Instrument.ODI)] == [10, 10]
    assert SECTIONS_OF[Instrument.NDI][4] == "Headaches"
    assert SECTIONS_OF[Instrument.ODI][9] == "Travelling"
