"""Standard outcome measures: the client's answers as given, and their scores.

Scoring is pure and follows the instruments' published rules:

- NPRS, the Numeric Pain Rating Scale: one answer 0-10; a change of 2 points is
  clinically meaningful (Farrar et al. 2001; Childs et al. 2005).
- PSFS, the Patient-Specific Functional Scale: 3-5 activities the client names, each
  0 (unable) to 10 (as before); the score is their mean; meaningful change 2 points for
  the mean, 3 for one activity (Stratford et al. 1995; Horn et al. 2012).
- NDI, the Neck Disability Index: 10 sections 0-5, total out of 50 (x2 as a
  percentage); a section left unanswered is left out of the denominator (Vernon &
  Mior 1991; Vernon 2008); meaningful change 7.5 points of 50 (MacDermid et al. 2009).
- ODI, the Oswestry Disability Index: 10 sections 0-5, as a percentage of the sections
  answered, read in Fairbank's bands (0-20 minimal, 21-40 moderate, 41-60 severe,
  61-80 crippled, 81-100 bed-bound); meaningful change about 12.8 points (Ostelo 2008,
  as cited by the issue; Fairbank & Pynsent 2000 for the scoring).

Scores are floats rounded to one decimal, as the forms print them; the raw
answers are what the events store, so a scoring rule refined later rescores history.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from service.domain.checks import require_range, require_text
from service.domain.errors import InvalidValue


class Instrument(Enum):
    """An outcome measure a plan can track."""

    NPRS = "nprs"
    PSFS = "psfs"
    NDI = "ndi"
    ODI = "odi"


TITLES = {
    Instrument.NPRS: "Numeric Pain Rating Scale",
    Instrument.PSFS: "Patient-Specific Functional Scale",
    Instrument.NDI: "Neck Disability Index",
    Instrument.ODI: "Oswestry Disability Index",
}
SECTIONS = 10  # NDI and ODI both have ten sections scored 0-5
# The sections' published names, in the order the forms ask them (Vernon & Mior 1991;
# Fairbank et al. 1980): what a form titles each 0-5 answer.
SECTIONS_OF = {
    Instrument.NDI: (
        "Pain intensity",
        "Personal care",
        "Lifting",
        "Reading",
        "Headaches",
        "Concentration",
        "Work",
        "Driving",
        "Sleeping",
        "Recreation",
    ),
    Instrument.ODI: (
        "Pain intensity",
        "Personal care",
        "Lifting",
        "Walking",
        "Sitting",
        "Standing",
        "Sleeping",
        "Sex life",
        "Social life",
        "Travelling",
    ),
}
PSFS_ACTIVITIES = (3, 5)  # the fewest and most activities the PSFS rates
MEANINGFUL = {
    Instrument.NPRS: 2.0,
    Instrument.PSFS: 2.0,
    Instrument.NDI: 7.5,
    Instrument.ODI: 12.8,
}
PSFS_ONE_ACTIVITY_MEANINGFUL = 3
ODI_BANDS = (
    (20.0, "minimal disability"),
    (40.0, "moderate disability"),
    (60.0, "severe disability"),
    (80.0, "crippled"),
    (100.0, "bed-bound"),
)
# Whether a higher score is better: PSFS rates ability; the others rate pain or disability.
HIGHER_IS_BETTER = {Instrument.PSFS}
MIN_ANSWERED = {Instrument.NDI: 8, Instrument.ODI: 8}  # more skipped sections: no score


@dataclass(frozen=True)
class MeasureAnswers:
    """What the client answered on one instrument, as given (None: a section skipped).

    `activities` names the PSFS activities, in the order of `items`. The commands check
    the answers (`check_answers`) before an event stores them; replaying never re-checks.
    """

    instrument: Instrument
    items: tuple[int | None, ...]
    activities: tuple[str, ...] = ()


@dataclass(frozen=True)
class Score:
    """An instrument's score: the value on its own scale, and how to read it."""

    instrument: Instrument
    value: float  # NPRS 0-10, PSFS mean 0-10, NDI points of 50, ODI percent
    scale_max: float
    band: str = ""  # ODI's published band

    @property
    def percent(self) -> float:
        """The score as a percentage of its scale."""
        return round(self.value / self.scale_max * 100, 1)


@dataclass(frozen=True)
class Change:
    """A score against the baseline: signed change, and whether it is meaningful."""

    baseline: Score
    latest: Score
    meaningful: bool

    @property
    def points(self) -> float:
        """Latest minus baseline, on the instrument's own scale."""
        return round(self.latest.value - self.baseline.value, 1)

    @property
    def improved(self) -> bool:
        """Whether the change goes the good way (less pain or disability, more ability)."""
        better_up = self.baseline.instrument in HIGHER_IS_BETTER
        return self.points > 0 if better_up else self.points < 0


def check_answers(answers: MeasureAnswers) -> None:
    """Raise InvalidValue unless the answers fit the instrument."""
    instrument, items = answers.instrument, answers.items
    if instrument is Instrument.NPRS:
        if len(items) != 1 or items[0] is None:
            raise InvalidValue("the NPRS has one answer, 0-10")
        require_range("NPRS", items[0], 0, 10)
    elif instrument is Instrument.PSFS:
        fewest, most = PSFS_ACTIVITIES
        if not fewest <= len(items) <= most or len(answers.activities) != len(items):
            raise InvalidValue("the PSFS rates 3 to 5 activities the client names, each 0-10")
        for activity, item in zip(answers.activities, items, strict=True):
            require_text("PSFS activity", activity)
            if item is None:
                raise InvalidValue(f"the PSFS activity {activity!r} needs a rating, 0-10")
            require_range(f"PSFS {activity}", item, 0, 10)
    else:
        if len(items) != SECTIONS:
            raise InvalidValue(f"the {instrument.name} has {SECTIONS} sections, each 0-5")
        for number, item in enumerate(items, start=1):
            if item is not None:
                require_range(f"{instrument.name} section {number}", item, 0, 5)
        if sum(item is not None for item in items) < MIN_ANSWERED[instrument]:
            raise InvalidValue(
                f"the {instrument.name} needs at least {MIN_ANSWERED[instrument]} of its"
                f" {SECTIONS} sections answered to be scored"
            )
    if instrument is not Instrument.PSFS and answers.activities:
        raise InvalidValue(f"only the PSFS names activities, not the {instrument.name}")


def check_measures(measures: tuple[MeasureAnswers, ...]) -> None:
    """Raise InvalidValue unless each instrument's answers fit it and none comes twice."""
    instruments = [answers.instrument for answers in measures]
    if len(set(instruments)) != len(instruments):
        raise InvalidValue("each instrument is answered once at a time")
    for answers in measures:
        check_answers(answers)


def score(answers: MeasureAnswers) -> Score:
    """The instrument's score by its published rule."""
    instrument = answers.instrument
    given = [item for item in answers.items if item is not None]
    if instrument is Instrument.NPRS:
        return Score(instrument, float(given[0]), 10.0)
    if instrument is Instrument.PSFS:
        return Score(instrument, round(sum(given) / len(given), 1), 10.0)
    fraction = sum(given) / (5 * len(given))  # skipped sections leave the denominator
    if instrument is Instrument.NDI:
        return Score(instrument, round(fraction * 50, 1), 50.0)
    percent = round(fraction * 100, 1)
    return Score(instrument, percent, 100.0, band=odi_band(percent))


def odi_band(percent: float) -> str:
    """Fairbank's band for an ODI percentage."""
    for upper, band in ODI_BANDS:
        if percent <= upper:
            return band
    raise InvalidValue(f"an ODI score is 0-100 percent, not {percent}")


def change(baseline: MeasureAnswers, latest: MeasureAnswers) -> Change:
    """The latest answers against the baseline, and whether the change is meaningful.

    For the PSFS, a change of 3 in any one activity named both times is meaningful too.
    """
    if baseline.instrument is not latest.instrument:
        raise InvalidValue("a change compares two answers on the same instrument")
    first, last = score(baseline), score(latest)
    meaningful = abs(last.value - first.value) >= MEANINGFUL[baseline.instrument]
    if baseline.instrument is Instrument.PSFS and not meaningful:
        before = dict(zip(baseline.activities, baseline.items, strict=True))
        meaningful = any(
            abs((item or 0) - (before[activity] or 0)) >= PSFS_ONE_ACTIVITY_MEANINGFUL
            for activity, item in zip(latest.activities, latest.items, strict=True)
            if activity in before
        )
    return Change(first, last, meaningful)


def suggested_instruments(focus_areas: tuple[str, ...]) -> tuple[Instrument, ...]:
    """What a plan tracks unless the therapist chooses otherwise: the NPRS always, the NDI
    for the neck, the ODI for the low back."""
    areas = " ".join(focus_areas).lower()
    suggested = [Instrument.NPRS]
    if "neck" in areas:
        suggested.append(Instrument.NDI)
    if "lower back" in areas or "low back" in areas or "lumbar" in areas:
        suggested.append(Instrument.ODI)
    return tuple(suggested)
