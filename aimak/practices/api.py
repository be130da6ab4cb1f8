"""API of the practice library and the expert directory: public reads, token submissions."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from aimak.accounts.api_auth import TokenAuth
from aimak.territories.models import MUNICIPAL_LEVELS, Territory

from .models import Country, Currency, Expert, Practice
from .selectors import (
    ExpertFilters,
    PracticeFilters,
    expert_get,
    expert_list,
    practice_get,
    practice_list,
    theme_list,
)
from .services import LANGS, PracticeData, practice_create

router = Router(tags=["best practices and experts"])


class ThemeOut(Schema):
    slug: str
    name_ky: str | None
    name_ru: str | None
    name_en: str | None


class PlaceOut(Schema):
    code: str = Field(description="SOATE code")
    name_ky: str | None
    name_ru: str | None


class PracticeOut(Schema):
    slug: str
    url: str = Field(description="The practice's page")
    title_ky: str | None
    title_ru: str | None
    title_en: str | None
    international: bool = Field(description="True for a practice from outside Kyrgyzstan")
    country: str = Field(description="ISO 3166 code (ZZ: another country)")
    country_name: str = Field(description="Place abroad (city, region or country name)")
    municipality: PlaceOut | None
    region: PlaceOut | None
    themes: list[ThemeOut]
    period_start: datetime.date | None
    period_end: datetime.date | None
    published_at: datetime.datetime | None

    @staticmethod
    def resolve_url(obj: Practice) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_themes(obj: Practice) -> list[ThemeOut]:
        return list(obj.themes.all())  # type: ignore[arg-type]


class DocumentOut(Schema):
    name: str
    kind: str = Field(description="pdf, docx or xlsx")
    size: int
    url: str


class PhotoOut(Schema):
    alt: str
    srcset: str = Field(description="Renditions 360, 720 and 1280 px wide")
    url: str = Field(description="The 720 px rendition")


class VideoOut(Schema):
    url: str
    title: str


class PracticeDetailOut(PracticeOut):
    status: str
    problem_ky: str | None = Field(description="Sanitised HTML")
    problem_ru: str | None
    problem_en: str | None
    solution_ky: str | None
    solution_ru: str | None
    solution_en: str | None
    results_ky: str | None
    results_ru: str | None
    results_en: str | None
    cost_amount: Decimal | None
    cost_currency: str
    cost_note_ky: str | None
    cost_note_ru: str | None
    cost_note_en: str | None
    contacts: str
    documents: list[DocumentOut]
    photos: list[PhotoOut]
    videos: list[VideoOut]

    @staticmethod
    def resolve_documents(obj: Practice, context) -> list[DocumentOut]:
        request = context["request"]
        return [
            DocumentOut(
                name=d.name, kind=d.kind, size=d.size, url=request.build_absolute_uri(d.file.url)
            )
            for d in obj.documents.all()
        ]

    @staticmethod
    def resolve_photos(obj: Practice) -> list[PhotoOut]:
        return [PhotoOut(alt=p.alt, srcset=p.srcset, url=p.medium.url) for p in obj.photos.all()]

    @staticmethod
    def resolve_videos(obj: Practice) -> list[VideoOut]:
        return [VideoOut(url=v.url, title=v.title) for v in obj.videos.all()]


class PracticeQuery(Schema):
    q: str | None = Field(None, max_length=200, description="Words to find (Russian or Kyrgyz)")
    theme: str | None = Field(None, description="Theme slug (GET /practice-themes)")
    international: bool | None = Field(None, description="true: abroad only; false: Kyrgyzstan")
    municipality: str | None = Field(None, description="SOATE code of the municipality")
    region: str | None = Field(None, description="SOATE code of the region (oblast)")
    year: int | None = Field(None, ge=1990, le=2100, description="Year the practice started")


class PracticeIn(Schema):
    title_ky: str = Field("", max_length=300)
    title_ru: str = Field("", max_length=300)
    title_en: str = Field("", max_length=300)
    problem_ky: str = Field("", description="Plain text or simple HTML (sanitised)")
    problem_ru: str = ""
    problem_en: str = ""
    solution_ky: str = ""
    solution_ru: str = ""
    solution_en: str = ""
    results_ky: str = ""
    results_ru: str = ""
    results_en: str = ""
    cost_amount: Decimal | None = Field(None, ge=0)
    cost_currency: Currency = Currency.KGS
    cost_note_ky: str = Field("", max_length=500)
    cost_note_ru: str = Field("", max_length=500)
    cost_note_en: str = Field("", max_length=500)
    country: Country = Country.KG
    country_name: str = Field("", max_length=100)
    municipality: str | None = Field(None, description="SOATE code (Kyrgyz practices)")
    themes: list[str] = Field(default_factory=list, description="Theme slugs")
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    contacts: str = Field("", max_length=2000)


class ExpertOut(Schema):
    slug: str
    url: str
    name: str
    organisation_ky: str | None
    organisation_ru: str | None
    organisation_en: str | None
    themes: list[ThemeOut]
    languages: list[str] = Field(description="Language codes (ky, ru, en, …)")
    regions: list[PlaceOut]

    @staticmethod
    def resolve_url(obj: Expert) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_themes(obj: Expert) -> list[ThemeOut]:
        return list(obj.themes.all())  # type: ignore[arg-type]

    @staticmethod
    def resolve_regions(obj: Expert) -> list[PlaceOut]:
        return list(obj.regions.all())  # type: ignore[arg-type]


class ExpertDetailOut(ExpertOut):
    bio_ky: str | None = Field(description="Sanitised HTML")
    bio_ru: str | None
    bio_en: str | None
    email: str | None = Field(description="Only when the expert allows it")
    phone: str | None = Field(description="Only when the expert allows it")
    website: str

    @staticmethod
    def resolve_email(obj: Expert) -> str | None:
        return obj.email if obj.show_email and obj.email else None

    @staticmethod
    def resolve_phone(obj: Expert) -> str | None:
        return obj.phone if obj.show_phone and obj.phone else None


class ExpertQuery(Schema):
    q: str | None = Field(None, max_length=200, description="Words to find")
    theme: str | None = Field(None, description="Theme slug")
    language: str | None = Field(None, max_length=2, description="Language code")
    region: str | None = Field(None, description="SOATE code of the region")


def _territory(code: str | None, *, municipal: bool = False) -> Territory | None:
    if not code:
        return None
    qs = Territory.objects.filter(code=code)
    if municipal:
        qs = qs.filter(level__in=MUNICIPAL_LEVELS)
    unit = qs.first()
    if unit is None:
        raise Http404(f"No territory {code}")
    return unit


def _theme(slug: str | None):
    if not slug:
        return None
    theme = theme_list().filter(slug=slug).first()
    if theme is None:
        raise Http404(f"No theme {slug}")
    return theme


@router.get(
    "/practice-themes",
    response=list[ThemeOut],
    summary="Themes of the practice library",
    description="The 10–15 themes practices and experts are classified by, ky/ru/en.",
)
def list_themes(request):
    return theme_list()


@router.get(
    "/practices",
    response=list[PracticeOut],
    summary="Search or list published practices",
    description="Published practices, newest first, or ranked by relevance with `q`.",
)
@paginate(LimitOffsetPagination)
def list_practices(request, filters: Query[PracticeQuery]):
    return practice_list(
        query=filters.q or "",
        filters=PracticeFilters(
            theme=_theme(filters.theme),
            municipality=_territory(filters.municipality, municipal=True),
            region=_territory(filters.region),
            international=filters.international,
            year=filters.year,
        ),
    )


@router.get(
    "/practices/{slug}",
    response=PracticeDetailOut,
    summary="One practice",
    description="A published practice (with a token: also your own drafts; for the content "
    "administrator any).",
    auth=[TokenAuth(), lambda request: True],
)
def get_practice(request, slug: str):
    try:
        return practice_get(slug=slug, user=request.user)
    except Practice.DoesNotExist as exc:
        raise Http404("There is no such practice, or it is not published.") from exc


@router.post(
    "/practices",
    response={201: PracticeDetailOut},
    summary="Submit a practice (as a draft)",
    description="Any registered user with a token. The practice is saved as a draft of the "
    "token's user; submit it for moderation on its page.",
    auth=TokenAuth(),
)
def create_practice(request, payload: PracticeIn):
    if not request.user.has_perm("practices.submit_practice"):
        raise PermissionDenied("Sign in to submit a practice.")
    data = payload.dict()
    themes = list(theme_list().filter(slug__in=data["themes"]))
    if len(themes) != len(set(data["themes"])):
        from django.core.exceptions import ValidationError

        raise ValidationError("Unknown theme.")
    practice = practice_create(
        author=request.user,
        data=PracticeData(
            **{
                name: {lang: data[f"{name}_{lang}"] for lang in LANGS}
                for name in ("title", "problem", "solution", "results", "cost_note")
            },
            cost_amount=data["cost_amount"],
            cost_currency=data["cost_currency"],
            municipality=_territory(data["municipality"], municipal=True),
            country=data["country"],
            country_name=data["country_name"],
            themes=themes,
            period_start=data["period_start"],
            period_end=data["period_end"],
            contacts=data["contacts"],
        ),
    )
    return 201, practice


@router.get(
    "/experts",
    response=list[ExpertOut],
    summary="Search or list experts",
    description="Experts listed in the directory, by name, or ranked by relevance with `q`.",
)
@paginate(LimitOffsetPagination)
def list_experts(request, filters: Query[ExpertQuery]):
    return expert_list(
        query=filters.q or "",
        filters=ExpertFilters(
            theme=_theme(filters.theme),
            language=filters.language or None,
            region=_territory(filters.region),
        ),
    )


@router.get(
    "/experts/{slug}",
    response=ExpertDetailOut,
    summary="One expert",
    description="A listed expert; contacts only as the expert allows.",
)
def get_expert(request, slug: str):
    try:
        return expert_get(slug=slug)
    except Expert.DoesNotExist as exc:
        raise Http404("There is no such expert.") from exc
