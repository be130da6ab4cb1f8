"""Council resolutions in the API: anonymous reads; recording one with a token and the
same permission as the pages (council.manage_resolutions)."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status

from aimak.accounts.api_auth import TokenAuth
from aimak.events.models import Event
from aimak.territories.models import MUNICIPAL_LEVELS, Territory

from .models import Resolution
from .selectors import resolution_get, resolution_links, resolution_list
from .services import resolution_create

router = Router(tags=["council resolutions"])


class DecisionOut(Schema):
    kind: str = Field(
        description="institutionalise_crc, gender_policy, approve_programme, tariff, budget "
        "or other"
    )
    summary: str


class ResolutionOut(Schema):
    id: int
    municipality: str = Field(description="SOATE code")
    number: str
    date: datetime.date
    title: str
    title_ky: str | None
    title_ru: str | None
    title_en: str | None
    in_force: bool
    repealed_on: datetime.date | None
    repealed_by: int | None = Field(description="Id of the repealing resolution")
    event: int | None = Field(description="Id of the session or hearing it came out of")
    decisions: list[DecisionOut]

    @staticmethod
    def resolve_municipality(obj: Any) -> str:
        return obj.municipality.code

    @staticmethod
    def resolve_repealed_by(obj: Any) -> int | None:
        return obj.repealed_by_id

    @staticmethod
    def resolve_event(obj: Any) -> int | None:
        return obj.event_id

    @staticmethod
    def resolve_decisions(obj: Any) -> list[dict[str, str]]:
        return [{"kind": d.kind, "summary": d.summary} for d in obj.decisions.all()]


class LinkOut(Schema):
    type: str = Field(description="app_label.model of the linked object")
    id: str
    label: str
    url: str


class ResolutionDetailOut(ResolutionOut):
    document_url: str
    links: list[LinkOut]

    @staticmethod
    def resolve_document_url(obj: Any) -> str:
        return obj.document.url if obj.document else ""

    @staticmethod
    def resolve_links(obj: Any) -> list[dict[str, str]]:
        return [
            {
                "type": f"{v.link.content_type.app_label}.{v.link.content_type.model}",
                "id": v.link.object_id,
                "label": v.label,
                "url": v.url,
            }
            for v in resolution_links(resolution=obj)
        ]


class ResolutionQuery(Schema):
    municipality: str | None = Field(None, description="SOATE code of a municipality")
    region: str | None = Field(None, description="SOATE code of a region or district")
    kind: str | None = Field(None, description="Only resolutions with a decision of this kind")
    from_: datetime.date | None = Field(None, alias="from")
    to: datetime.date | None = None


class DecisionIn(Schema):
    kind: str
    summary: str = ""


class ResolutionIn(Schema):
    number: str
    date: datetime.date
    title_ky: str = ""
    title_ru: str = ""
    title_en: str = ""
    decisions: list[DecisionIn]
    event: int | None = Field(None, description="Id of an event of this municipality")
    in_force: bool = True
    repealed_on: datetime.date | None = None
    repealed_by: int | None = None


def _territory(code: str, *, municipal: bool = True) -> Territory:
    qs = Territory.objects.filter(code=code)
    if municipal:
        qs = qs.filter(level__in=MUNICIPAL_LEVELS)
    found = qs.first()
    if found is None:
        raise Http404(_("There is no municipality with this code."))
    return found


@router.get(
    "/resolutions",
    response=list[ResolutionOut],
    summary="Council resolutions, newest first",
    description="Filters: municipality, region, kind (of a decision), from, to (dates). Anonymous.",
)
@paginate(LimitOffsetPagination)
def list_resolutions(request, filters: Query[ResolutionQuery]):
    return resolution_list(
        municipality=_territory(filters.municipality) if filters.municipality else None,
        region=_territory(filters.region, municipal=False) if filters.region else None,
        kind=filters.kind,
        date_from=filters.from_,
        date_to=filters.to,
    )


@router.get(
    "/resolutions/{pk}",
    response=ResolutionDetailOut,
    summary="One council resolution with its decisions and the objects it concerns",
)
def get_resolution(request, pk: int):
    try:
        return resolution_get(pk=pk)
    except Resolution.DoesNotExist as exc:
        raise Http404(_("There is no such resolution.")) from exc


@router.post(
    "/municipalities/{code}/resolutions",
    auth=TokenAuth(),
    response={201: ResolutionDetailOut},
    summary="Record a council resolution (staff and council deputies of the municipality)",
)
def create_resolution(request, code: str, data: ResolutionIn):
    municipality = _territory(code)
    if not request.user.has_perm("council.manage_resolutions", municipality):
        raise PermissionDenied(
            _("You may not record the resolutions of this municipality's council.")
        )
    event = None
    if data.event is not None:
        event = Event.objects.filter(pk=data.event).first()
        if event is None:
            raise ValidationError(_("There is no such event."))
    repealed_by = None
    if data.repealed_by is not None:
        repealed_by = Resolution.objects.filter(pk=data.repealed_by).first()
        if repealed_by is None:
            raise ValidationError(_("There is no such resolution."))
    resolution = resolution_create(
        municipality=municipality,
        number=data.number,
        date=data.date,
        title_ky=data.title_ky,
        title_ru=data.title_ru,
        title_en=data.title_en,
        decisions=[(d.kind, d.summary) for d in data.decisions],
        event=event,
        in_force=data.in_force,
        repealed_on=data.repealed_on,
        repealed_by=repealed_by,
        user=request.user,
    )
    return Status(201, resolution_get(pk=resolution.pk))
