"""A plan's progress (pure): the rows and series from its sessions, and the chart geometry."""

from __future__ import annotations

from datetime import date, timedelta

from service.domain.plan import TreatmentPlan
from service.domain.progress import (
    PAIN,
    IntervalChange,
    PlanProgress,
    Reading,
    Scale,
    Series,
    intervals_when_placed,
    plan_progress,
)
from service.domain.values import SeriesSpec
from service.reports.progress_chart import (
    HEIGHT,
    LABEL_ROOM,
    TOP,
    WIDTH,
    Figure,
    figure,
    y_step,
)
from tests.plans import (
    LATER,
    THERAPIST,
    at,
    book,
    booked_plan,
    evaluation,
    performance,
    reschedule,
    weekly,
)


def treat(plan: TreatmentPlan, number: int, before: int, after: int | None) -> None:
    """Perform a session with pain before, and evaluate it when pain after is given."""
    plan.perform_session(
        number, performance=performance(pain_before=before), actor=THERAPIST, now=LATER
    )
    if after is not None:
        plan.evaluate_session(number, evaluation=evaluation(pain_after=after), actor=THERAPIST)


def progress_of(plan: TreatmentPlan) -> PlanProgress:
    """The progress as the page computes it: from the plan and its whole history."""
    return plan_progress(plan, intervals_when_placed(plan.collect_events()))


def three_weekly_sessions() -> TreatmentPlan:
    """Sessions on 9, 16 and 23 March 2026: pain 7->5, 6->4, 5->2."""
    plan = booked_plan(sessions=3)
    for number, (before, after) in enumerate([(7, 5), (6, 4), (5, 2)], start=1):
        treat(plan, number, before, after)
    return plan


def revised_to_fortnightly() -> TreatmentPlan:
    """Two weekly sessions treated, the plan revised to every 14 days, and a third booked
    and treated at the new pace."""
    plan = booked_plan(sessions=2)
    treat(plan, 1, 7, 5)
    treat(plan, 2, 6, 4)
    plan.revise(series=SeriesSpec(6, 14, 60), reason="slower now", actor=THERAPIST)
    book(plan, at(2026, 3, 30, 10))
    treat(plan, 3, 5, 3)
    return plan


# --- the progress -----------------------------------------------------------


def test_each_performed_session_is_a_row_with_its_pain_and_the_days_since_the_last() -> None:
    rows = progress_of(three_weekly_sessions()).sessions

    assert [(r.number, r.day, r.pain_before, r.pain_after, r.change) for r in rows] == [
        (1, date(2026, 3, 9), 7, 5, -2),
        (2, date(2026, 3, 16), 6, 4, -2),
        (3, date(2026, 3, 23), 5, 2, -3),
    ]
    assert [(r.days_since_previous, r.planned_interval) for r in rows] == [
        (None, None),
        (7, 7),
        (7, 7),
    ]


def test_a_session_not_yet_evaluated_has_pain_before_but_no_pain_after() -> None:
    plan = booked_plan(sessions=2)
    treat(plan, 1, 6, 3)
    treat(plan, 2, 5, None)

    progress = progress_of(plan)

    last = progress.sessions[-1]
    assert (last.pain_before, last.pain_after, last.change) == (5, None, None)
    after = next(s for s in progress.series if s.name == "Pain after")
    assert [r.value for r in after.readings] == [3, None]


def test_booked_and_cancelled_sessions_are_not_progress() -> None:
    plan = booked_plan(sessions=3)
    treat(plan, 1, 6, 3)

    assert [r.number for r in progress_of(plan).sessions] == [1]


def test_a_plan_with_nothing_performed_has_no_rows_and_no_series() -> None:
    progress = progress_of(booked_plan(sessions=2))

    assert progress.sessions == () and progress.series == () and progress.scales == ()


def test_the_measures_are_named_series_on_their_scales() -> None:
    progress = progress_of(three_weekly_sessions())

    assert [s.name for s in progress.series] == [
        "Pain before",
        "Pain after",
        "Actual interval",
        "Planned interval",
    ]
    pain, days = progress.scales
    assert pain == PAIN
    assert [s.name for s in progress.on(days)] == ["Actual interval", "Planned interval"]
    assert days.high == 7  # at least a week is shown


def test_a_moved_session_shows_the_drift_against_the_plans_interval() -> None:
    plan = booked_plan(sessions=2)
    reschedule(plan, 2, at(2026, 3, 19, 10))  # three days late
    treat(plan, 1, 6, 3)
    treat(plan, 2, 5, 2)

    row = progress_of(plan).sessions[1]

    assert (row.days_since_previous, row.planned_interval) == (10, 7)


def test_a_revision_gives_the_sessions_booked_after_it_the_new_interval_and_a_mark() -> None:
    plan = revised_to_fortnightly()

    progress = progress_of(plan)

    assert [r.planned_interval for r in progress.sessions] == [None, 7, 14]
    assert [r.days_since_previous for r in progress.sessions] == [None, 7, 14]
    assert progress.interval_changes == (IntervalChange(number=3, before=7, after=14),)


def test_a_revision_re_pacing_booked_sessions_keeps_the_next_one_as_the_anchor() -> None:
    # What the application's revision does: the first future session keeps its time
    # (moved "in place", to the same time), the ones after it move to the new pace.
    plan = booked_plan(sessions=4, series=weekly(6))
    treat(plan, 1, 7, 5)
    treat(plan, 2, 6, 4)
    plan.revise(series=SeriesSpec(6, 14, 60), reason="slower now", actor=THERAPIST)
    reschedule(plan, 3, at(2026, 3, 23, 10))
    reschedule(plan, 4, at(2026, 4, 6, 10))
    treat(plan, 3, 5, 3)
    treat(plan, 4, 4, 2)

    progress = progress_of(plan)

    assert [r.days_since_previous for r in progress.sessions] == [None, 7, 7, 14]
    assert [r.planned_interval for r in progress.sessions] == [None, 7, 7, 14]
    assert progress.interval_changes == (IntervalChange(number=4, before=7, after=14),)


# --- the figure --------------------------------------------------------------


def pain_figure(plan: TreatmentPlan) -> Figure:
    """The pain chart of the plan."""
    progress = progress_of(plan)
    sessions = [(r.number, r.day) for r in progress.sessions]
    return figure(PAIN, progress.on(PAIN), sessions, progress.interval_changes)


def test_three_sessions_draw_three_points_per_line_left_to_right() -> None:
    fig = pain_figure(three_weekly_sessions())

    before, after = fig.lines
    assert [len(line.points) for line in fig.lines] == [3, 3]
    xs = [p.x for p in before.points]
    assert xs == sorted(xs) and len(set(xs)) == 3
    assert [p.x for p in after.points] == xs
    assert [t.label for t in fig.x_ticks] == ["S1", "S2", "S3"]
    assert [t.second for t in fig.x_ticks] == ["9 Mar", "16 Mar", "23 Mar"]
    assert before.points[0].label == "Pain before, session 1, 9 Mar: 7"


def test_higher_pain_is_drawn_higher_and_the_scale_runs_from_zero_to_ten() -> None:
    fig = pain_figure(three_weekly_sessions())

    before, after = fig.lines
    assert all(b.y < a.y for b, a in zip(before.points, after.points, strict=True))
    assert [t.label for t in fig.y_ticks] == ["0", "2", "4", "6", "8", "10"]
    assert fig.y_ticks[0].at == fig.plot_bottom and fig.y_ticks[-1].at == TOP
    assert all(TOP <= p.y <= fig.plot_bottom for line in fig.lines for p in line.points)
    assert all(0 < p.x < WIDTH for line in fig.lines for p in line.points)
    assert fig.plot_bottom < HEIGHT


def test_a_missing_reading_breaks_the_line_instead_of_bridging_it() -> None:
    plan = booked_plan(sessions=3)
    treat(plan, 1, 7, 5)
    treat(plan, 2, 6, None)
    treat(plan, 3, 5, 2)

    before, after = pain_figure(plan).lines

    assert len(before.segments) == 1 and len(before.points) == 3
    assert [len(s) for s in after.segments] == [1, 1]


def test_an_interval_change_is_marked_at_its_session_and_said_in_the_description() -> None:
    plan = revised_to_fortnightly()

    fig = pain_figure(plan)

    (rule,) = fig.rules
    assert fig.x_ticks[1].at < rule.x < fig.x_ticks[2].at  # in the first gap of 14 days
    assert rule.label == "every 14 days"
    assert "From session 3 on, sessions were planned 14 days apart instead of 7." in (
        fig.description
    )


def test_the_description_says_where_each_line_starts_and_ends() -> None:
    fig = pain_figure(three_weekly_sessions())

    assert "Pain before: from 7 at session 1 to 5 at session 3." in fig.description
    assert "Pain after: from 5 at session 1 to 2 at session 3." in fig.description


def test_the_y_step_is_round_and_gives_at_most_six_intervals() -> None:
    assert y_step(PAIN) == 2
    assert y_step(Scale("Days", "days", 0, 7)) == 2
    assert y_step(Scale("Days", "days", 0, 28)) == 5
    assert y_step(Scale("Days", "days", 0, 60)) == 10


def test_labels_of_many_sessions_are_thinned_so_they_never_touch_but_the_last_is_kept() -> None:
    days = [(n, date(2026, 3, 2) + timedelta(days=7 * (n - 1))) for n in range(1, 13)]
    pain = Series("Pain before", PAIN, tuple(Reading(n, 5) for n, _ in days))

    fig = figure(PAIN, [pain], days)

    assert len(fig.x_ticks) == 12
    labelled = [t for t in fig.x_ticks if t.label]
    assert [t.label for t in labelled] == ["S1", "S3", "S5", "S7", "S9", "S12"]
    gaps = [b.at - a.at for a, b in zip(labelled, labelled[1:], strict=False)]
    assert min(gaps) >= LABEL_ROOM


def test_more_series_on_one_scale_take_more_rows_of_keys_above_the_plot() -> None:
    sessions = [(1, date(2026, 3, 9))]
    series = [Series(f"Measure {i}", PAIN, (Reading(1, i),)) for i in range(3)]

    fig = figure(PAIN, series, sessions)

    assert [(k.name, k.style) for k in fig.legend] == [(s.name, i) for i, s in enumerate(series)]
    assert fig.legend[2].y > fig.legend[0].y == fig.legend[1].y
    assert fig.plot_top > fig.legend[2].y and fig.height > HEIGHT
