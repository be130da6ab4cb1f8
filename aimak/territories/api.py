import datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import field_validator

from aimak.accounts.api_auth import TokenAuth

from .models import Level, Territory
from .selectors import territory_list, territory_search
from .services import territory_population_set

router = Router(tags=["territories"])


class TerritoryOut(Schema):
    code: str = Field(description="SOATE code, 14 digits")
    level: str
    kind: str
    parent_code: str | None = Field(None, description="SOATE code of the parent unit")
    name_ky: str | None
    name_ru: str | None
    name_en: str | None
    name_en_derived: bool = Field(description="True when name_en is a transliteration")
    population: int | None
    population_year: int | None
    population_source: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    successor_code: str | None = Field(None, description="Code of the unit that succeeded it")

    @staticmethod
    def resolve_parent_code(obj: Territory) -> str | None:
        return obj.parent.code if obj.parent_id and obj.parent else None

    @staticmethod
    def resolve_successor_code(obj: Territory) -> str | None:
        return obj.successor.code if obj.successor_id and obj.successor else None


class TerritoryFilters(Schema):
    level: Level | None = Field(None, description="oblast, city, rayon, aimak or village")
    parent: str | None = Field(None, description="SOATE code of the parent unit")
    q: str | None = Field(None, description="Any name (ky/ru/en, Latin accepted) or code")


class PopulationIn(Schema):
    # The same limits as the population form of the site.
    population: int = Field(ge=0, le=5_000_000)
    year: int = Field(ge=1990, description="Year of the figure; not in the future")
    source: str = Field(min_length=2, max_length=200)

    @field_validator("year")
    @classmethod
    def not_in_the_future(cls, year: int) -> int:
        if year > datetime.date.today().year:
            raise ValueError("The year of the figure cannot be in the future.")
        return year


@router.get("", response=list[TerritoryOut], summary="List or search territorial units")
@paginate(LimitOffsetPagination)
def list_territories(request, filters: Query[TerritoryFilters]):
    parent = None
    if filters.parent:
        parent = get_object_or_404(Territory, code=filters.parent)
    if filters.q:
        return territory_search(query=filters.q, level=filters.level, parent=parent, limit=200)
    return territory_list(level=filters.level, parent=parent).select_related("parent")


@router.get("/{code}", response=TerritoryOut, summary="One territorial unit")
def get_territory(request, code: str):
    return get_object_or_404(Territory.objects.select_related("parent", "successor"), code=code)


@router.put(
    "/{code}/population",
    response=TerritoryOut,
    auth=TokenAuth(),
    summary="Record a municipality's population (staff of that municipality)",
)
def set_population(request, code: str, payload: PopulationIn):
    unit: Territory = get_object_or_404(
        Territory.objects.select_related("parent", "successor"), code=code
    )
    if not request.user.has_perm("territories.set_population", unit):
        raise PermissionDenied(
            _("You may not change the population of %(unit)s.") % {"unit": unit.name}
        )
    return territory_population_set(
        territory=unit, population=payload.population, year=payload.year, source=payload.source
    )
