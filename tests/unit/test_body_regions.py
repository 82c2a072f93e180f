"""The body chart's regions: labels as stored in events, sides, views, unknown areas."""

from __future__ import annotations

from service.domain.body_regions import (
    BODY_REGIONS,
    CHART_AREAS,
    View,
    area_label,
    chart_choice,
    is_chart_area,
    regions_on,
    unknown_areas,
)
from service.web.body_chart import MIRROR, OUTLINES, drawing


def test_sided_regions_give_a_right_and_a_left_label_and_others_one():
    assert "right hip" in CHART_AREAS and "left hip" in CHART_AREAS
    assert "hip" not in CHART_AREAS
    assert "lower back" in CHART_AREAS and "right lower back" not in CHART_AREAS
    assert len(CHART_AREAS) == len(set(CHART_AREAS))
    assert len(CHART_AREAS) == sum(2 if r.sided else 1 for r in BODY_REGIONS)


def test_the_thigh_is_quadriceps_in_front_and_hamstring_behind():
    front = {r.name for r in regions_on(View.FRONT)}
    back = {r.name for r in regions_on(View.BACK)}
    assert {"quadriceps", "chest", "abdomen", "hip", "shin"} <= front - back
    assert {"hamstring", "upper back", "mid back", "lower back", "glute", "calf"} <= back - front
    assert {"head", "neck", "shoulder", "hand"} <= front & back


def test_labels_are_normalised_and_known_ones_recognised():
    assert area_label("  Right   HIP ") == "right hip"
    assert is_chart_area("Lower Back")
    assert not is_chart_area("plantar fascia")
    assert not is_chart_area("")


def test_a_choice_puts_known_areas_in_chart_order_and_keeps_free_text():
    choice = chart_choice(["right hip", "TMJ (jaw)", "Lower back", "", "lower back", "tmj (jaw)"])
    assert choice.known == ("lower back", "right hip")
    assert choice.other == ("TMJ (jaw)",)
    assert choice.areas == ("lower back", "right hip", "TMJ (jaw)")
    assert unknown_areas(["left shoulder", "plantar fascia"]) == ("plantar fascia",)


def test_every_region_is_drawn_on_each_of_its_views_and_nowhere_else():
    for view in View:
        assert set(OUTLINES[view]) == {r.name for r in regions_on(view)}


def test_the_front_shows_the_clients_right_on_the_viewers_left_and_the_back_the_reverse():
    front = {shape.area: shape.transform for shape in drawing(View.FRONT)}
    back = {shape.area: shape.transform for shape in drawing(View.BACK)}
    assert front["right shoulder"] == "" and front["left shoulder"] == MIRROR
    assert back["left shoulder"] == "" and back["right shoulder"] == MIRROR
    drawn = {shape.area for view in View for shape in drawing(view)}
    assert drawn == set(CHART_AREAS)
