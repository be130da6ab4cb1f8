from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from aimak.accounts.api_auth import TokenAuth
from aimak.territories.models import MUNICIPAL_LEVELS, Territory

from .models import ProviderType, Service, ServiceProvision
from .selectors import provision_list, service_list
from .services import provision_end, provision_set

router = Router(tags=["services"])


class ServiceOut(Schema):
    slug: str
    name_ky: str | None
    name_ru: str | None
    name_en: str | None


class ProvisionOut(Schema):
    service: str = Field(description="Service slug")
    provider_type: str
    provider_name: str
    note: str
    started_at: datetime.datetime
    ended_at: datetime.datetime | None

    @staticmethod
    def resolve_service(obj: ServiceProvision) -> str:
        return obj.service.slug


class ProvisionIn(Schema):
    provider_type: ProviderType
    provider_name: str = Field("", max_length=200)
    note: str = Field("", max_length=300)


def _municipality(code: str) -> Territory:
    return get_object_or_404(Territory, code=code, level__in=MUNICIPAL_LEVELS)


def _check(request, municipality: Territory) -> None:
    if not request.user.has_perm("catalogue.manage_provision", municipality):
        raise PermissionDenied(
            _("You may not change the services of %(unit)s.") % {"unit": municipality.name}
        )


@router.get("/services", response=list[ServiceOut], summary="The municipal services catalogue")
def list_services(request):
    return service_list()


@router.get(
    "/municipalities/{code}/services",
    response=list[ProvisionOut],
    summary="Who provides each service in a municipality",
)
def list_provisions(request, code: str, include_ended: bool = False):
    return provision_list(municipality=_municipality(code), include_ended=include_ended)


@router.put(
    "/municipalities/{code}/services/{slug}",
    response=ProvisionOut,
    auth=TokenAuth(),
    summary="Record who provides a service (staff of that municipality)",
)
def put_provision(request, code: str, slug: str, payload: ProvisionIn):
    municipality = _municipality(code)
    _check(request, municipality)
    service = get_object_or_404(Service, slug=slug)
    return provision_set(
        municipality=municipality,
        service=service,
        provider_type=payload.provider_type,
        provider_name=payload.provider_name,
        note=payload.note,
        user=request.user,
    )


@router.delete(
    "/municipalities/{code}/services/{slug}",
    response=ProvisionOut,
    auth=TokenAuth(),
    summary="The municipality no longer provides a service (kept on record)",
)
def end_provision(request, code: str, slug: str):
    municipality = _municipality(code)
    _check(request, municipality)
    provision = get_object_or_404(
        ServiceProvision, municipality=municipality, service__slug=slug, ended_at__isnull=True
    )
    return provision_end(provision=provision)
