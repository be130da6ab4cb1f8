"""Every write to the services catalogue and to who provides what."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aimak.core.cache import public_content_changed
from aimak.territories.models import Territory

from .models import ProviderType, Service, ServiceProvision

NAME_FIELDS = ("name_ky", "name_ru", "name_en")


def services_load(*, path: Path) -> tuple[int, int]:
    """Load the standard catalogue; returns (added, changed). Idempotent."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    added = changed = 0
    with transaction.atomic():
        for row in rows:
            values = {f: row[f].strip() for f in NAME_FIELDS}
            values["order"] = int(row["order"])
            service = Service.objects.filter(slug=row["slug"]).first()
            if service is None:
                Service.objects.create(slug=row["slug"], **values)
                added += 1
            elif any(getattr(service, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(service, key, value)
                service.save()
                changed += 1
        if added or changed:
            public_content_changed()
    return added, changed


def provision_set(
    *,
    municipality: Territory,
    service: Service,
    provider_type: str,
    provider_name: str = "",
    note: str = "",
    user: Any = None,
) -> ServiceProvision:
    """Record who provides `service` in `municipality`; the previous record is ended, kept."""
    if not municipality.is_municipality:
        raise ValidationError(_("%(unit)s is not a municipality.") % {"unit": municipality.name})
    if municipality.valid_to is not None:
        raise ValidationError(
            _("%(unit)s no longer exists; record its services under its successor.")
            % {"unit": municipality.name}
        )
    if provider_type not in ProviderType.values:
        raise ValidationError(_("Unknown kind of provider."))
    with transaction.atomic():
        current = (
            ServiceProvision.objects.select_for_update()
            .filter(municipality=municipality, service=service, ended_at__isnull=True)
            .first()
        )
        if current is not None:
            if (current.provider_type, current.provider_name, current.note) == (
                provider_type,
                provider_name,
                note,
            ):
                return current
            current.ended_at = timezone.now()
            current.save(update_fields=["ended_at"])
        public_content_changed()
        return ServiceProvision.objects.create(
            municipality=municipality,
            service=service,
            provider_type=provider_type,
            provider_name=provider_name,
            note=note,
            created_by=user if getattr(user, "pk", None) else None,
        )


def provision_end(*, provision: ServiceProvision) -> ServiceProvision:
    """The municipality no longer provides this service: end the record, keep it."""
    if provision.ended_at is None:
        with transaction.atomic():
            provision.ended_at = timezone.now()
            provision.save(update_fields=["ended_at"])
            public_content_changed()
    return provision
