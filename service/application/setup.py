"""Setting the clinic up: its settings and closures, therapists, their hours, rooms."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from uuid import UUID

from service.adapters.store import BaseApplication, retried
from service.application.commands import TherapistDetails
from service.domain.clinic import CLINIC_ID, Clinic, ClinicSettings
from service.domain.clinic_contact import ClinicContact
from service.domain.errors import ClinicNotSetUp
from service.domain.phone_number import country_of_zone
from service.domain.staff import Room, Therapist
from service.domain.values import Actor, Closure, TimeOff, WeeklyHours

CLINIC_MISSING = "the clinic is not set up yet: PUT /api/v1/clinic first"


def load_clinic(app: BaseApplication) -> Clinic:
    """The clinic, or NotFound until an admin has set it up."""
    clinic = app.find(Clinic, CLINIC_ID)
    if clinic is None:
        raise ClinicNotSetUp(CLINIC_MISSING)
    return clinic


def clinic_phone_region(app: BaseApplication) -> str | None:
    """The country a phone number given without +country code is read in: the clinic's,
    from its zone (None before the clinic is set up, or in a zone such as UTC)."""
    clinic = app.find(Clinic, CLINIC_ID)
    return country_of_zone(clinic.zone) if clinic is not None else None


def phone_region_for(app: BaseApplication, phone: Any) -> str | None:
    """The country to read this phone number in: only a national number needs the clinic's
    (and only then is the clinic read)."""
    if not isinstance(phone, str) or not phone.strip() or phone.lstrip().startswith("+"):
        return None
    return clinic_phone_region(app)


class ClinicSetup(BaseApplication):
    """What an admin sets up before the desk can book."""

    def clinic(self) -> Clinic:
        """The clinic, or NotFound until an admin has set it up."""
        return load_clinic(self)

    def configure_clinic(self, settings: ClinicSettings, *, actor: Actor) -> Clinic:
        """Set (or change) the clinic's name, zone, hours and late-cancel policy."""
        clinic = self.find(Clinic, CLINIC_ID) or Clinic(actor)
        clinic.configure(settings, actor)
        self.save(clinic)
        return clinic

    def set_clinic_contact(self, contact: ClinicContact, *, actor: Actor) -> Clinic:
        """Set the address, phone, email, website and late-cancel rule clients' messages carry."""
        load_clinic(self)
        return self.change(Clinic, CLINIC_ID, lambda clinic: clinic.set_contact(contact, actor))

    @retried
    def add_closure(self, closure: Closure, *, actor: Actor) -> Clinic:
        """Close the clinic on some days."""
        clinic = load_clinic(self)
        clinic.close(closure, actor)
        self.save(clinic)
        return clinic

    def register_therapist(self, details: TherapistDetails, *, actor: Actor) -> UUID:
        """Register a therapist; a national phone number is read as one of the clinic's country."""
        region = phone_region_for(self, details.phone)
        therapist = Therapist.register(**asdict(details), actor=actor, region=region)
        self.save(therapist)
        return therapist.id

    def set_working_hours(self, therapist_id: UUID, hours: WeeklyHours, actor: Actor) -> Therapist:
        """Replace a therapist's weekly working hours."""
        return self.change(Therapist, therapist_id, lambda t: t.set_working_hours(hours, actor))

    def take_time_off(self, therapist_id: UUID, absence: TimeOff, actor: Actor) -> Therapist:
        """Record a therapist's absence."""
        return self.change(Therapist, therapist_id, lambda t: t.take_time_off(absence, actor))

    def add_room(self, *, name: str, actor: Actor) -> UUID:
        """Add a treatment room."""
        room = Room.add(name=name, actor=actor)
        self.save(room)
        return room.id
