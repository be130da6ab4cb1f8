"""Events in the API: anonymous reads; create, sheet totals with a token and the same
permission as the pages; registration and check-in signed in (token) or anonymous."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status

from aimak.accounts.api_auth import TokenAuth
from aimak.territories.models import MUNICIPAL_LEVELS, Territory

from .models import Event
from .selectors import COUNT_FIELDS, event_attendance, event_list, material_list
from .services import (
    attendance_set_totals,
    event_create,
    participant_check_in,
    participant_find,
    participant_register,
)

router = Router(tags=["events and participation"])


class OptionalTokenAuth(TokenAuth):
    """A bearer token when one is sent (then it must be valid); anonymous otherwise."""

    def __call__(self, request: HttpRequest) -> Any:
        if not request.headers.get("Authorization"):
            return True
        return super().__call__(request)


class CountsOut(Schema):
    women: int
    men: int
    sex_not_stated: int = Field(description="Always reported: never dropped")
    age_under_18: int
    age_18_29: int
    age_30_59: int
    age_60_plus: int
    age_not_stated: int
    disability: int
    youth: int
    elderly: int
    minority: int
    low_income: int


class AttendanceRowOut(CountsOut):
    municipality: str = Field(description="SOATE code")
    source: str = Field(description="participants or sheet")
    updated_at: datetime.datetime


class AttendanceOut(Schema):
    total: CountsOut
    people: int = Field(description="women + men + sex_not_stated")
    municipalities: list[AttendanceRowOut]


class EventOut(Schema):
    id: int
    title: str
    title_ky: str | None
    title_ru: str | None
    title_en: str | None
    kind: str = Field(
        description="training, consultation, hearing_budget, hearing_tariff, "
        "hearing_priorities, open_session, campaign, focus_group or other"
    )
    municipalities: list[str] = Field(description="SOATE codes")
    starts_at: datetime.datetime
    ends_at: datetime.datetime | None
    place: str
    online_url: str
    registration_open: bool
    attendance_source: str = Field(description="participants or sheet")

    @staticmethod
    def resolve_municipalities(obj: Any) -> list[str]:
        if isinstance(obj, dict):
            return obj["municipalities"]
        return [m.code for m in obj.municipalities.all()]


class MaterialOut(Schema):
    kind: str = Field(description="minutes, photo, document or link")
    title: str
    url: str


class EventDetailOut(EventOut):
    agenda: str
    minutes: str
    attendance: AttendanceOut
    materials: list[MaterialOut]
    resolutions: list[int] = Field(description="Ids of the council resolutions from it")


class EventQuery(Schema):
    municipality: str | None = Field(None, description="SOATE code of a municipality")
    region: str | None = Field(None, description="SOATE code of a region or district")
    kind: str | None = None
    from_: datetime.date | None = Field(None, alias="from", description="Starts on or after")
    to: datetime.date | None = Field(None, description="Starts on or before")


class EventIn(Schema):
    title_ky: str = ""
    title_ru: str = ""
    title_en: str = ""
    kind: str
    municipalities: list[str] = Field(description="SOATE codes")
    starts_at: datetime.datetime
    ends_at: datetime.datetime | None = None
    place: str = ""
    online_url: str = ""
    agenda_ky: str = ""
    agenda_ru: str = ""
    check_in_code: str = ""
    registration_open: bool = True
    attendance_source: str = "participants"


class RegistrationIn(Schema):
    name: str
    contact: str = Field("", description="Phone or e-mail; required without a token")
    municipality: str | None = Field(None, description="SOATE code, one of the event's")
    sex: str = Field("not_stated", description="female, male or not_stated")
    age_group: str = Field("not_stated", description="under_18, 18_29, 30_59, 60_plus, not_stated")
    disability: bool = False
    youth: bool = False
    elderly: bool = False
    minority: bool = False
    low_income: bool = False


class RegistrationOut(Schema):
    id: int
    event: int
    name: str
    registered_at: datetime.datetime
    checked_in: bool


class CheckInIn(Schema):
    code: str
    contact: str = Field("", description="The phone or e-mail registered with (without a token)")


class TotalsIn(Schema):
    women: int = Field(0, ge=0)
    men: int = Field(0, ge=0)
    sex_not_stated: int = Field(0, ge=0)
    age_under_18: int = Field(0, ge=0)
    age_18_29: int = Field(0, ge=0)
    age_30_59: int = Field(0, ge=0)
    age_60_plus: int = Field(0, ge=0)
    age_not_stated: int = Field(0, ge=0)
    disability: int = Field(0, ge=0)
    youth: int = Field(0, ge=0)
    elderly: int = Field(0, ge=0)
    minority: int = Field(0, ge=0)
    low_income: int = Field(0, ge=0)
    note: str = ""


def _summary(event: Event) -> dict[str, Any]:
    return {
        "id": event.pk,
        "title": event.title,
        "title_ky": event.title_ky,
        "title_ru": event.title_ru,
        "title_en": event.title_en,
        "kind": event.kind,
        "municipalities": [m.code for m in event.municipalities.all()],
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "place": event.place,
        "online_url": event.online_url,
        "registration_open": event.registration_open,
        "attendance_source": event.attendance_source,
    }


def _detail(event: Event) -> dict[str, Any]:
    attendance = event_attendance(event=event)
    return {
        **_summary(event),
        "agenda": event.agenda,
        "minutes": event.minutes,
        "attendance": {
            "total": attendance.total,
            "people": attendance.people,
            "municipalities": [
                {
                    "municipality": r.municipality.code,
                    "source": r.source,
                    "updated_at": r.updated_at,
                    **{f: getattr(r, f) for f in COUNT_FIELDS},
                }
                for r in attendance.rows
            ],
        },
        "materials": [
            {"kind": m.kind, "title": m.title, "url": m.file.url if m.file else m.url}
            for m in material_list(event=event)
        ],
        "resolutions": [
            r.pk
            for r in event.resolutions.all()  # type: ignore[attr-defined]
        ],
    }


def _event(pk: int) -> Event:
    try:
        return Event.objects.prefetch_related("municipalities").get(pk=pk)
    except Event.DoesNotExist as exc:
        raise Http404(_("There is no such event.")) from exc


def _territory(code: str, *, municipal: bool = True) -> Territory:
    qs = Territory.objects.filter(code=code)
    if municipal:
        qs = qs.filter(level__in=MUNICIPAL_LEVELS)
    found = qs.first()
    if found is None:
        raise Http404(_("There is no municipality with this code."))
    return found


@router.get(
    "/events",
    response=list[EventOut],
    summary="Events, newest first",
    description="Filters: municipality, region (a region or district code), kind, from, to "
    "(dates the event starts). Anonymous.",
)
@paginate(LimitOffsetPagination)
def list_events(request, filters: Query[EventQuery]):
    return event_list(
        kind=filters.kind,
        municipality=_territory(filters.municipality) if filters.municipality else None,
        region=_territory(filters.region, municipal=False) if filters.region else None,
        date_from=filters.from_,
        date_to=filters.to,
    )


@router.get(
    "/events/{pk}",
    response=EventDetailOut,
    summary="One event with its agenda, attendance by sex, age and vulnerable group, materials",
)
def get_event(request, pk: int):
    return _detail(_event(pk))


@router.post(
    "/events",
    auth=TokenAuth(),
    response={201: EventDetailOut},
    summary="Create an event (staff or facilitators of every municipality named, or a "
    "programme manager)",
)
def create_event(request, data: EventIn):
    municipalities = [_territory(code) for code in data.municipalities]
    for m in municipalities:
        if not request.user.has_perm("events.manage_events", m):
            raise PermissionDenied(_("You may not organise events in %(name)s.") % {"name": m.name})
    values = data.dict(exclude={"municipalities"})
    event = event_create(municipalities=municipalities, user=request.user, **values)
    return Status(201, _detail(_event(event.pk)))


@router.post(
    "/events/{pk}/registrations",
    auth=OptionalTokenAuth(),
    response={201: RegistrationOut},
    summary="Register for an event (with a token, or anonymous with a name and a contact)",
    description="Duplicates (the same account, or the same phone or e-mail) are refused with 422.",
)
def register(request, pk: int, data: RegistrationIn):
    event = _event(pk)
    values = data.dict(exclude={"municipality"})
    municipality = _territory(data.municipality) if data.municipality else None
    p = participant_register(event=event, user=request.user, municipality=municipality, **values)
    return Status(
        201,
        {
            "id": p.pk,
            "event": event.pk,
            "name": p.name,
            "registered_at": p.registered_at,
            "checked_in": p.checked_in_at is not None,
        },
    )


@router.post(
    "/events/{pk}/check-in",
    auth=OptionalTokenAuth(),
    response=RegistrationOut,
    summary="Check in with the code shown at the event (token, or the contact registered with)",
)
def check_in(request, pk: int, data: CheckInIn):
    event = _event(pk)
    participant = participant_find(event=event, user=request.user, contact=data.contact)
    p = participant_check_in(event=event, participant=participant, code=data.code)
    return {
        "id": p.pk,
        "event": event.pk,
        "name": p.name,
        "registered_at": p.registered_at,
        "checked_in": p.checked_in_at is not None,
    }


@router.put(
    "/events/{pk}/attendance/{code}",
    auth=TokenAuth(),
    response=EventDetailOut,
    summary="Set the totals of a paper sign-in sheet for one municipality of the event",
    description="Sex totals and age-group totals must add up to the same number; no "
    "vulnerable-group count may exceed it (422 with the reasons otherwise). Every correction "
    "is kept in the history.",
)
def put_attendance(request, pk: int, code: str, data: TotalsIn):
    event = _event(pk)
    municipality = _territory(code)
    if not request.user.has_perm("events.manage_events", municipality):
        raise PermissionDenied(_("You may not type the attendance of another municipality."))
    if not any(m.pk == municipality.pk for m in event.municipalities.all()):
        raise ValidationError(_("This municipality does not take part in the event."))
    attendance_set_totals(event=event, municipality=municipality, user=request.user, **data.dict())
    return _detail(_event(pk))
