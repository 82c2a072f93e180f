"""Setup: the clinic, its closures, therapists and rooms (admin)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask.views import MethodView

from service.api.auth import ADMIN, STAFF, current_actor
from service.api.clinic_schemas import ClinicOutSchema, ClinicSchema, ClosureSchema
from service.api.context import etag, regimen
from service.api.resource import ResourceBlueprint, created
from service.api.schemas import (
    RoomOutSchema,
    RoomSchema,
    TherapistOutSchema,
    TherapistSchema,
    TimeOffSchema,
    WorkingHoursSchema,
    weekly_hours,
)
from service.api.view_schemas import DirectoryRowSchema
from service.application.commands import TherapistDetails
from service.domain.clinic import ClinicSettings
from service.domain.languages import DEFAULT_LANGUAGE
from service.domain.staff import Room, Therapist
from service.domain.values import TimeOff
from service.scheduler.recurrence import to_instant

blp = ResourceBlueprint("setup", __name__, description="Clinic, closures, therapists and rooms")
# The clinic's settings named and written alike in the API and the domain; the time zone
# (`timezone`, `zone`), the opening hours (intervals) and the language are translated.
ALIKE = (
    "name",
    "cancellation_window_hours",
    "late_cancel_counts",
    "charts_open_to_all_therapists",
    "npi",
    "tax_id",
    "retention_years",
    "self_booking",
)


def _clinic_out(clinic: Any) -> tuple[Any, int, dict[str, str]]:
    body = {
        **{name: getattr(clinic, name) for name in ALIKE},
        "timezone": clinic.zone,
        "opening_hours": list(clinic.opening_hours.intervals),
        "language": getattr(clinic, "language", DEFAULT_LANGUAGE),
        "closures": clinic.closures,
        "version": clinic.version,
    }
    return body, 200, etag(clinic.version)


@blp.route("/clinic")
class ClinicView(MethodView):
    """The clinic's settings."""

    @blp.reading(STAFF, ClinicOutSchema)
    def get(self) -> Any:
        """Read the clinic's settings"""
        return _clinic_out(regimen().clinic())

    @blp.change(ADMIN, ClinicSchema(), ClinicOutSchema)
    def put(self, settings: dict[str, Any]) -> Any:
        """Set the clinic's name, zone, opening hours and cancellation policy"""
        clinic = regimen().configure_clinic(
            ClinicSettings(
                **{name: settings[name] for name in ALIKE},
                zone=settings["timezone"],
                opening_hours=weekly_hours(settings["opening_hours"]),
                language=settings["language"],
            ),
            actor=current_actor(),
        )
        return _clinic_out(clinic)


@blp.route("/clinic/closures")
class ClosuresView(MethodView):
    """Days the clinic is closed."""

    @blp.reading(STAFF, ClosureSchema(many=True))
    def get(self) -> Any:
        """List the clinic's closures"""
        return regimen().clinic().closures

    @blp.change(ADMIN, ClosureSchema(), ClosureSchema, status=201)
    def post(self, closure: Any) -> Any:
        """Close the clinic on some days"""
        regimen().add_closure(closure, actor=current_actor())
        return closure


@blp.route("/therapists")
class TherapistsView(MethodView):
    """The clinic's therapists."""

    get = blp.directory(
        "therapist",
        DirectoryRowSchema(many=True),
        "List therapists by name (?q= searches name and email)",
    )

    @blp.change(ADMIN, TherapistSchema(), TherapistOutSchema, status=201)
    def post(self, details: dict[str, Any]) -> Any:
        """Register a therapist"""
        therapist = TherapistDetails(
            name=details["name"],
            email=details["email"],
            phone=details["phone"],
            modalities=tuple(details["modalities"]),
        )
        therapist_id = regimen().register_therapist(therapist, actor=current_actor())
        return created(Therapist, therapist_id, "therapists")


@blp.route("/therapists/<uuid:therapist_id>")
class TherapistView(MethodView):
    """One therapist."""

    get = blp.registered(Therapist, TherapistOutSchema, "Read a therapist")


@blp.route("/therapists/<uuid:therapist_id>/working-hours")
class WorkingHoursView(MethodView):
    """A therapist's weekly working hours."""

    @blp.change(ADMIN, WorkingHoursSchema(), TherapistOutSchema)
    def put(self, body: dict[str, Any], therapist_id: UUID) -> Any:
        """Replace a therapist's weekly working hours"""
        hours, actor = weekly_hours(body["hours"]), current_actor()
        return regimen().set_working_hours(therapist_id, hours, actor)


@blp.route("/therapists/<uuid:therapist_id>/time-off")
class TimeOffView(MethodView):
    """A therapist's absences."""

    @blp.change(ADMIN, TimeOffSchema(), TherapistOutSchema, status=201)
    def post(self, body: dict[str, Any], therapist_id: UUID) -> Any:
        """Record time off (local wall times in the given zone)"""
        absence = TimeOff(
            start=to_instant(body["start"], body["timezone"]),
            end=to_instant(body["end"], body["timezone"]),
            reason=body["reason"],
        )
        return regimen().take_time_off(therapist_id, absence, current_actor())


@blp.route("/rooms")
class RoomsView(MethodView):
    """Treatment rooms."""

    get = blp.directory("room", RoomOutSchema(many=True), "List rooms by name")

    @blp.change(ADMIN, RoomSchema(), RoomOutSchema, status=201)
    def post(self, body: dict[str, Any]) -> Any:
        """Add a treatment room"""
        room_id = regimen().add_room(name=body["name"], actor=current_actor())
        return {"id": room_id, "name": body["name"]}, 201, {"Location": f"/api/v1/rooms/{room_id}"}


@blp.route("/rooms/<uuid:room_id>")
class RoomView(MethodView):
    """One room."""

    get = blp.registered(Room, RoomOutSchema, "Read a room")
