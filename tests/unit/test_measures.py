"""Outcome measures scored by their published rules, with their published worked examples."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.domain.errors import InvalidValue
from service.domain.measures import (
    Instrument,
    MeasureAnswers,
    change,
    check_answers,
    check_measures,
    odi_band,
    score,
    suggested_instruments,
)

NDI, ODI, PSFS, NPRS = Instrument.NDI, Instrument.ODI, Instrument.PSFS, Instrument.NPRS


def sections(instrument: Instrument, *items: int | None) -> MeasureAnswers:
    return MeasureAnswers(instrument, tuple(items))


def psfs(**ratings: int) -> MeasureAnswers:
    return MeasureAnswers(PSFS, tuple(ratings.values()), tuple(ratings))


def test_the_ndi_totals_fifty_points_and_doubles_them_as_a_percentage() -> None:
    # Vernon & Mior's example: 16 of 50 points is 32%.
    found = score(sections(NDI, 2, 1, 2, 3, 1, 2, 1, 2, 1, 1))
    assert (found.value, found.percent) == (16.0, 32.0)


def test_a_skipped_ndi_section_shrinks_the_denominator() -> None:
    # The same 16 points over nine answered sections: 16 of 45 = 35.6%, 17.8 of 50.
    found = score(sections(NDI, 2, 1, 2, 3, 1, 2, 1, 2, 2, None))
    assert (found.value, found.percent) == (17.8, 35.6)


def test_the_odi_is_a_percentage_read_in_fairbanks_bands() -> None:
    found = score(sections(ODI, 2, 1, 2, 3, 1, 2, 1, 2, 1, 1))
    assert (found.value, found.band) == (32.0, "moderate disability")
    skipped = score(sections(ODI, 2, 1, 2, 3, 1, 2, 1, 2, 2, None))
    assert (skipped.value, skipped.band) == (35.6, "moderate disability")


@pytest.mark.parametrize(
    ("percent", "band"),
    [
        (0.0, "minimal disability"),
        (20.0, "minimal disability"),
        (22.0, "moderate disability"),
        (40.0, "moderate disability"),
        (42.0, "severe disability"),
        (62.0, "crippled"),
        (82.0, "bed-bound"),
        (100.0, "bed-bound"),
    ],
)
def test_odi_bands(percent: float, band: str) -> None:
    assert odi_band(percent) == band


def test_the_psfs_is_the_mean_of_the_activities() -> None:
    assert score(psfs(lifting=3, sitting=5, running=4)).value == 4.0


def test_ndi_from_24_to_16_points_is_meaningful_to_21_is_not() -> None:
    baseline = sections(NDI, 3, 3, 2, 3, 2, 3, 2, 2, 2, 2)
    assert score(baseline).value == 24.0
    better = change(baseline, sections(NDI, 2, 2, 2, 2, 1, 2, 1, 2, 1, 1))
    assert (better.points, better.meaningful, better.improved) == (-8.0, True, True)
    slight = change(baseline, sections(NDI, 3, 2, 2, 3, 2, 2, 2, 2, 2, 1))
    assert (slight.points, slight.meaningful) == (-3.0, False)


def test_nprs_needs_two_points() -> None:
    assert change(sections(NPRS, 7), sections(NPRS, 5)).meaningful
    assert not change(sections(NPRS, 7), sections(NPRS, 6)).meaningful


def test_the_psfs_is_meaningful_by_its_mean_or_by_three_points_in_one_activity() -> None:
    baseline = psfs(lifting=3, sitting=5, running=4)
    by_mean = change(baseline, psfs(lifting=5, sitting=7, running=6))
    assert (by_mean.points, by_mean.meaningful, by_mean.improved) == (2.0, True, True)
    one = change(baseline, psfs(lifting=6, sitting=5, running=4))
    assert (one.points, one.meaningful) == (1.0, True)
    neither = change(baseline, psfs(lifting=5, sitting=5, running=4))
    assert not neither.meaningful


@pytest.mark.parametrize(
    "answers",
    [
        lambda: sections(NPRS, 11),
        lambda: sections(NPRS, 3, 4),
        lambda: sections(NDI, 1, 2, 3),
        lambda: sections(NDI, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0),
        lambda: sections(ODI, None, None, None, 1, 1, 1, 1, 1, 1, 1),
        lambda: psfs(lifting=3, sitting=5),
        lambda: MeasureAnswers(PSFS, (3, 4, 5), ("lifting", "", "running")),
        lambda: MeasureAnswers(NDI, (1,) * 10, ("lifting",)),
    ],
)
def test_answers_that_do_not_fit_the_instrument_are_refused(answers: object) -> None:
    with pytest.raises(InvalidValue):
        check_answers(answers())  # type: ignore[operator]


def test_an_instrument_is_answered_once_at_a_time() -> None:
    with pytest.raises(InvalidValue, match="once"):
        check_measures((sections(NPRS, 3), sections(NPRS, 4)))


@given(
    st.lists(st.integers(0, 5), min_size=10, max_size=10),
    st.sets(st.integers(0, 9), max_size=2),
)
def test_ndi_and_odi_agree_as_percentages(answered: list[int], skipped: set[int]) -> None:
    items = [None if number in skipped else item for number, item in enumerate(answered)]
    ndi, odi = score(sections(NDI, *items)), score(sections(ODI, *items))
    assert abs(ndi.percent - odi.value) <= 0.2  # one is of 50, the other of 100; each rounded
    assert 0 <= odi.value <= 100


def test_suggested_instruments_follow_the_focus_areas() -> None:
    assert suggested_instruments(("right hip",)) == (NPRS,)
    assert suggested_instruments(("neck", "lower back")) == (NPRS, NDI, ODI)
