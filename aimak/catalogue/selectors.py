from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from aimak.accounts.models import Role
from aimak.accounts.selectors import municipalities_with_role
from aimak.territories.models import Territory

from .models import Service, ServiceProvision


def service_list(*, include_inactive: bool = False) -> QuerySet[Service]:
    qs = Service.objects.all()
    return qs if include_inactive else qs.filter(is_active=True)


def provision_list(
    *, municipality: Territory, include_ended: bool = False
) -> QuerySet[ServiceProvision]:
    qs = ServiceProvision.objects.filter(municipality=municipality).select_related("service")
    if not include_ended:
        qs = qs.filter(ended_at__isnull=True)
    return qs.order_by("service__order", "-started_at")


def provision_municipalities(*, user: Any) -> QuerySet[Territory]:
    """Municipalities whose providers `user` may record (pairs with catalogue.manage_provision)."""
    return municipalities_with_role(user=user, roles={Role.STAFF}, national={Role.SYSADMIN})
