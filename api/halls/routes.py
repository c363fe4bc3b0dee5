"""Service halls: residents find halls and slots and book visits (预约); hall officers see the day's
list, record who came, and check people in person at the counter (柜面核验)."""

from __future__ import annotations

from flask.views import MethodView

from api.blueprint import Blueprint, current_desk, current_principal, current_staff, paged, window
from api.halls.schemas import (
    APPOINTMENT_EXAMPLE,
    HALL_EXAMPLE,
    PERSON_EXAMPLE,
    SLOT_EXAMPLE,
    AppointmentOutcomeSchema,
    AppointmentPatchSchema,
    AppointmentSchema,
    DayListQuerySchema,
    HallQuerySchema,
    HallSchema,
    IdCardSchema,
    LockoutLiftSchema,
    NewAppointmentSchema,
    NewHallGrantSchema,
    OfficerSchema,
    PersonAtCounterSchema,
    RecordedGrantSchema,
    SlotQuerySchema,
    SlotSchema,
    VisitorSchema,
)
from app.acting.errors import GranteeNotEligible, ProxyAlreadyGranted, ProxyExpiryInvalid, ProxyScopeInvalid
from app.audit.log import Actor
from app.errors import NotFound
from app.halls import bookings, counter, errors, grants, officers
from app.halls.catalogue import hall_views
from app.halls.slots import open_slots
from app.identity.errors import IdNumberBirthDate, IdNumberCheckDigit, IdNumberFormat, LevelRequired
from app.identity.models import L2
from app.staff.models import ADMIN, HALL_OFFICER

blp = Blueprint("halls", __name__, url_prefix="/api/v1", description="服务大厅：预约与柜面核验")

BOOKING_ERRORS = (errors.UnknownHall, errors.ServiceNotAtHall, errors.HallClosed, errors.OutsideOpeningHours,
                  errors.SlotInPast, errors.SlotTooFarAhead, errors.SlotFull)
ID_CARD_ERRORS = (IdNumberFormat, IdNumberBirthDate, IdNumberCheckDigit, errors.PersonNotFound)
VISITOR_EXAMPLE = {**APPOINTMENT_EXAMPLE, "name": "*三", "id_number": "4****************4"}


@blp.route("/halls")
class Halls(MethodView):
    @blp.public
    @blp.arguments(HallQuerySchema, location="query")
    @blp.response(200, HallSchema(many=True), example=[HALL_EXAMPLE])
    def get(self, args):
        """Service halls, their opening hours and the services their counters handle."""
        return hall_views(args.get("service"))


@blp.route("/halls/<hall_code>/slots")
class HallSlots(MethodView):
    @blp.public
    @blp.arguments(SlotQuerySchema, location="query")
    @blp.response(200, SlotSchema(many=True), example=[SLOT_EXAMPLE])
    @blp.errors(errors.UnknownHall, errors.ServiceNotAtHall)
    def get(self, args, hall_code):
        """One day's slots for one service, with the seats left (none on a day the hall is closed)."""
        return open_slots(hall_code, args["service"], args["date"])


@blp.route("/me/appointments")
class MyAppointments(MethodView):
    @blp.auth(L2)
    @blp.response(200, AppointmentSchema(many=True), example=[APPOINTMENT_EXAMPLE])
    @blp.paginate(page_size=20, max_page_size=100)
    def get(self, pagination_parameters):
        """My appointments, latest slot first (cancelled and past ones included)."""
        mine = bookings.my_appointments(current_principal(), window(pagination_parameters))
        return paged(pagination_parameters, mine)

    @blp.auth(L2)
    @blp.arguments(NewAppointmentSchema, example={"hall_code": "gz-tianhe", "service_code": "gd-gat-sfz-hl",
                                                  "starts_at": "2026-12-07T09:00:00+08:00"})
    @blp.response(201, AppointmentSchema, example=APPOINTMENT_EXAMPLE)
    @blp.errors(*BOOKING_ERRORS, errors.AppointmentExists)
    def post(self, body):
        """Book a slot at a hall (working days, opening hours; one live booking per service)."""
        return bookings.book(current_principal(), body["hall_code"], body["service_code"], body["starts_at"])


@blp.route("/me/appointments/<int:appointment_id>")
class MyAppointment(MethodView):
    @blp.auth(L2)
    @blp.response(200, AppointmentSchema, example=APPOINTMENT_EXAMPLE)
    @blp.errors(errors.AppointmentNotFound)
    def get(self, appointment_id):
        """One of my appointments."""
        return bookings.my_appointment(current_principal(), appointment_id)

    @blp.auth(L2)
    @blp.arguments(AppointmentPatchSchema, example={"starts_at": "2026-12-08T14:30:00+08:00"})
    @blp.response(200, AppointmentSchema, example=APPOINTMENT_EXAMPLE)
    @blp.errors(*BOOKING_ERRORS, errors.AppointmentNotFound, errors.AppointmentClosed)
    def patch(self, body, appointment_id):
        """Reschedule to another slot of the same hall and service (a full slot leaves it unchanged)."""
        return bookings.reschedule(current_principal(), appointment_id, body["starts_at"])

    @blp.auth(L2)
    @blp.response(204)
    @blp.errors(errors.AppointmentNotFound, errors.AppointmentClosed)
    def delete(self, appointment_id):
        """Cancel an appointment (its seat is free again)."""
        bookings.cancel(current_principal(), appointment_id)


@blp.route("/staff/hall")
class MyHall(MethodView):
    @blp.staff(role=HALL_OFFICER)
    @blp.response(200, HallSchema, example=HALL_EXAMPLE)
    @blp.errors(errors.NotThisHall)
    def get(self):
        """The hall I work at (hall officers)."""
        code = officers.my_hall(current_staff()).code
        return next(view for view in hall_views() if view.code == code)


@blp.route("/halls/<hall_code>/officers")
class HallOfficers(MethodView):
    @blp.staff(role=ADMIN)
    @blp.arguments(OfficerSchema, example={"staff_id": 7})
    @blp.response(204)
    @blp.errors(errors.UnknownHall, errors.NotHallOfficer, NotFound)
    def post(self, body, hall_code):
        """Name this hall as the one a hall officer works at (admin; replaces their previous hall)."""
        officers.assign_officer(body["staff_id"], hall_code, by=Actor("staff", str(current_staff().staff_id)))


@blp.route("/halls/<hall_code>/appointments")
class HallDayList(MethodView):
    @blp.hall_officer()
    @blp.arguments(DayListQuerySchema, location="query")
    @blp.response(200, VisitorSchema(many=True), example=[VISITOR_EXAMPLE])
    @blp.paginate(page_size=50, max_page_size=200)
    def get(self, args, hall_code, pagination_parameters):
        """The day's appointments at my hall, by time; each visitor's masked name shows in their data tracker."""
        visitors = bookings.day_list(current_desk(), args["date"], window(pagination_parameters))
        return paged(pagination_parameters, visitors)


@blp.route("/halls/<hall_code>/appointments/<int:appointment_id>/outcome")
class AppointmentOutcome(MethodView):
    @blp.hall_officer()
    @blp.arguments(AppointmentOutcomeSchema, example={"outcome": "no_show"})
    @blp.response(200, AppointmentSchema, example={**APPOINTMENT_EXAMPLE, "status": "no_show"})
    @blp.errors(errors.AppointmentNotFound, errors.AppointmentClosed, errors.AppointmentNotStarted)
    def put(self, body, hall_code, appointment_id):
        """Record that the resident came (attended) or did not (no_show), once the slot has begun."""
        return bookings.record_outcome(current_desk(), appointment_id, body["outcome"])


@blp.route("/halls/<hall_code>/person-lookups")
class PersonLookups(MethodView):
    @blp.hall_officer()
    @blp.arguments(IdCardSchema, example={"id_number": "440106199005170014"})
    @blp.response(200, PersonAtCounterSchema, example={**PERSON_EXAMPLE, "level": 2, "l3_method": None,
                                                        "l3_lapses_at": None})
    @blp.errors(*ID_CARD_ERRORS)
    def post(self, body, hall_code):
        """Look up the person in front of me by the ID card they show (shown masked; in their data tracker)."""
        return counter.look_up(current_desk(), body["id_number"])


@blp.route("/halls/<hall_code>/in-person-verifications")
class InPersonVerifications(MethodView):
    @blp.hall_officer()
    @blp.arguments(IdCardSchema, example={"id_number": "440106199005170014"})
    @blp.response(201, PersonAtCounterSchema, example=PERSON_EXAMPLE)
    @blp.errors(*ID_CARD_ERRORS, LevelRequired)
    def post(self, body, hall_code):
        """I have checked the person against their ID card: raise their account to L3 (method in_person).

        It lapses like a face check; the audit log and their data tracker name me and my hall."""
        return counter.verify_in_person(current_desk(), body["id_number"])


@blp.route("/halls/<hall_code>/real-name-lockout-lifts")
class LockoutLifts(MethodView):
    @blp.hall_officer()
    @blp.arguments(LockoutLiftSchema, example={"id_number": "440106199005170014", "phone": "13800138000"})
    @blp.response(204)
    @blp.errors(*ID_CARD_ERRORS)
    def post(self, body, hall_code):
        """Lift today's real-name attempt limit for the person in front of me (their ID card and phone)."""
        counter.lift_real_name_lockout(current_desk(), body["id_number"], body["phone"])


@blp.route("/halls/<hall_code>/proxy-grants")
class HallProxyGrants(MethodView):
    @blp.hall_officer()
    @blp.arguments(NewHallGrantSchema, example={"grantor_id_number": "440106195001010015", "grantee_name": "张小红",
                                                "grantee_id_number": "440106199005170014",
                                                "scopes": ["view_certificates", "apply_services"],
                                                "expires_at": "2027-12-01T00:00:00+08:00"})
    @blp.response(201, RecordedGrantSchema, example={"id": 3, "scopes": ["view_certificates", "apply_services"],
                                                     "expires_at": "2027-11-30T16:00:00+00:00", "recorded_by": "staff"})
    @blp.errors(*ID_CARD_ERRORS, ProxyScopeInvalid, ProxyExpiryInvalid, GranteeNotEligible, ProxyAlreadyGranted)
    def post(self, body, hall_code):
        """Record, for the person in front of me who cannot use a phone, a grant letting a verified
        relative or carer act for them (I have checked their ID card in person; they may have no account)."""
        return grants.record_grant(current_desk(), body["grantor_id_number"], body["grantee_name"],
                                   body["grantee_id_number"], body["scopes"], body["expires_at"])
