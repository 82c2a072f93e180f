"""Views name the events they project by class, so a misspelt event cannot project nothing."""

from __future__ import annotations

from uuid import uuid4

from eventsourcing.domain import Aggregate
from eventsourcing.utils import get_topic, resolve_topic

from service.domain.plan import TreatmentPlan
from service.domain.proposal import PlanProposal
from service.projections.session_view import SESSIONS
from service.projections.views import ALL_VIEWS
from tests.builders import THERAPIST, Clinic, proposal


def test_every_view_handler_is_keyed_by_an_event_class_of_the_domain() -> None:
    keys = [event_class for view in ALL_VIEWS for event_class in view.handlers]
    for event_class in keys:
        assert issubclass(event_class, Aggregate.Event)
        topic = get_topic(event_class)
        assert topic.startswith("service.domain."), topic
        assert resolve_topic(topic) is event_class
    assert len(keys) == sum(len(view.handlers) for view in ALL_VIEWS) >= 20


def test_a_new_event_is_of_exactly_the_class_the_views_name() -> None:
    ids = Clinic(*(uuid4() for _ in range(6)))
    plan = TreatmentPlan.propose(PlanProposal(**proposal(ids)), THERAPIST)
    [proposed] = plan.collect_events()
    assert type(proposed) is TreatmentPlan.PlanProposed
    assert TreatmentPlan.PlanProposed in SESSIONS.handlers
