"""API of mentoring: the administrators read requests, offers and pairings; municipal staff
create requests and offers with a token."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Field, Router, Schema, Status

from aimak.accounts.api_auth import TokenAuth
from aimak.core.ratelimit import check_rate
from aimak.practices.models import Theme
from aimak.territories.models import MUNICIPAL_LEVELS, Territory

from .models import MentoringOffer, MentoringRequest
from .selectors import offer_list, pairings_followed, request_list
from .services import offer_create, request_create

router = Router(tags=["mentoring"])


class PlaceOut(Schema):
    code: str
    name: str


class RequestOut(Schema):
    id: int
    municipality: PlaceOut
    theme: str = Field(description="Theme slug")
    description: str
    status: str = Field(description="open, paired, closed or withdrawn")
    created_at: datetime.datetime

    @staticmethod
    def resolve_theme(obj: MentoringRequest) -> str:
        return obj.theme.slug


class OfferOut(Schema):
    id: int
    municipality: PlaceOut
    theme: str = Field(description="Theme slug")
    description: str
    capacity: int
    active: bool
    active_pairings: int
    created_at: datetime.datetime

    @staticmethod
    def resolve_theme(obj: MentoringOffer) -> str:
        return obj.theme.slug


class PairingOut(Schema):
    id: int
    url: str
    request_id: int
    offer_id: int
    mentor: PlaceOut
    mentee: PlaceOut
    theme: str
    status: str = Field(description="active, completed or ended_early")
    started_on: datetime.date
    goals: str
    last_contact: datetime.date = Field(description="Newest follow-up note, else the start")
    days_since_contact: int
    no_contact: bool = Field(description="True after 30 days without a note")


class RequestIn(Schema):
    municipality: str = Field(description="SOATE code of your municipality")
    theme: str = Field(description="Theme slug")
    description: str = Field(max_length=5000)


class OfferIn(RequestIn):
    capacity: int = Field(1, ge=1, le=20)


def _admin(request) -> None:
    if not request.user.has_perm("mentoring.manage"):
        raise PermissionDenied(
            "Only the content administrator or the programme manager reads mentoring."
        )


def _inputs(payload: RequestIn) -> tuple[Territory, Theme]:
    municipality = Territory.objects.filter(
        code=payload.municipality, level__in=MUNICIPAL_LEVELS
    ).first()
    theme = Theme.objects.filter(slug=payload.theme).first()
    if municipality is None:
        raise ValidationError("Unknown municipality.")
    if theme is None:
        raise ValidationError("Unknown theme.")
    return municipality, theme


@router.get(
    "/mentoring/requests",
    response=list[RequestOut],
    summary="Mentoring requests",
    description="For the content administrator and the programme manager; `status` filters.",
    auth=TokenAuth(),
)
def list_requests(request, status: str | None = None):
    _admin(request)
    return request_list(status=status)


@router.post(
    "/mentoring/requests",
    response={201: RequestOut},
    summary="Ask for a mentor",
    description="Staff of the municipality only; rate-limited (group `mentoring`).",
    auth=TokenAuth(),
)
def create_request(request, payload: RequestIn):
    check_rate(request, group="mentoring")
    municipality, theme = _inputs(payload)
    item = request_create(
        by=request.user, municipality=municipality, theme=theme, description=payload.description
    )
    return Status(201, item)


@router.get(
    "/mentoring/offers",
    response=list[OfferOut],
    summary="Mentoring offers",
    description="For the content administrator and the programme manager.",
    auth=TokenAuth(),
)
def list_offers(request, active: bool | None = None):
    _admin(request)
    return offer_list(active=active)


@router.post(
    "/mentoring/offers",
    response={201: OfferOut},
    summary="Offer to mentor",
    description="Staff of the municipality only; rate-limited (group `mentoring`).",
    auth=TokenAuth(),
)
def create_offer(request, payload: OfferIn):
    check_rate(request, group="mentoring")
    municipality, theme = _inputs(payload)
    offer = offer_create(
        by=request.user,
        municipality=municipality,
        theme=theme,
        description=payload.description,
        capacity=payload.capacity,
    )
    return Status(201, offer_list().get(pk=offer.pk))


@router.get(
    "/mentoring/pairings",
    response=list[PairingOut],
    summary="Pairings and their follow-up",
    description="For the content administrator and the programme manager: each pairing with "
    "its last contact; `status` is active (default), completed or ended_early.",
    auth=TokenAuth(),
)
def list_pairings(request, status: str = "active"):
    _admin(request)
    rows = pairings_followed(user=request.user, status=status)
    return [
        {
            "id": r.pairing.pk,
            "url": r.pairing.get_absolute_url(),
            "request_id": r.pairing.request_id,
            "offer_id": r.pairing.offer_id,
            "mentor": r.pairing.offer.municipality,
            "mentee": r.pairing.request.municipality,
            "theme": r.pairing.request.theme.slug,
            "status": r.pairing.status,
            "started_on": r.pairing.started_on,
            "goals": r.pairing.goals,
            "last_contact": r.last_contact,
            "days_since_contact": r.days,
            "no_contact": r.stale,
        }
        for r in rows
    ]
