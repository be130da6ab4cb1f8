"""Writes of the council app: resolutions, their decisions and links."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils.translation import gettext as _

from aimak.core.cache import public_content_changed
from aimak.core.uploads import check_upload
from aimak.events.models import Event
from aimak.events.services import MAX_DOCUMENT_BYTES
from aimak.territories.models import MUNICIPAL_LEVELS, Territory

from .models import Decision, DecisionKind, Resolution, ResolutionLink

DOCUMENT_TYPES = ("pdf", "docx")


def _check(
    *,
    municipality: Territory,
    number: str,
    date: datetime.date,
    title_ky: str,
    title_ru: str,
    event: Event | None,
    repealed_on: datetime.date | None,
    repealed_by: Resolution | None,
    decisions: list[tuple[str, str]],
    document: UploadedFile | None,
    resolution: Resolution | None = None,
) -> None:
    errors: dict[str, list[str]] = {}
    if municipality.level not in MUNICIPAL_LEVELS:
        errors.setdefault("__all__", []).append(_("Only municipalities have councils."))
    if not number.strip():
        errors.setdefault("number", []).append(_("Give the number."))
    if not (title_ky.strip() or title_ru.strip()):
        errors.setdefault("title_ky", []).append(_("Give the title in Kyrgyz or Russian."))
    if event is not None and not event.municipalities.filter(pk=municipality.pk).exists():
        errors.setdefault("event", []).append(_("The event is not one of this municipality."))
    if repealed_by is not None:
        if repealed_by.municipality_id != municipality.pk:
            errors.setdefault("repealed_by", []).append(
                _("The repealing resolution must be of the same municipality.")
            )
        if resolution is not None and repealed_by.pk == resolution.pk:
            errors.setdefault("repealed_by", []).append(_("A resolution cannot repeal itself."))
    if repealed_on is not None and repealed_on < date:
        errors.setdefault("repealed_on", []).append(
            _("A resolution cannot be repealed before it was adopted.")
        )
    if not decisions:
        errors.setdefault("decisions", []).append(_("Give at least one decision."))
    for kind, _summary in decisions:
        if kind not in DecisionKind.values:
            errors.setdefault("decisions", []).append(_("Unknown kind of decision."))
    if document is not None:
        try:
            check_upload(file=document, allowed=DOCUMENT_TYPES, max_bytes=MAX_DOCUMENT_BYTES)
        except ValidationError as exc:
            errors.setdefault("document", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)


def _save_document(resolution: Resolution, document: UploadedFile) -> None:
    name = re.sub(r"[^\w.\-]+", "_", document.name or "resolution")[-80:]
    resolution.document.save(name, document, save=False)


def _set_decisions(resolution: Resolution, decisions: list[tuple[str, str]], user: Any) -> None:
    existing = list(resolution.decisions.order_by("pk"))
    for i, (kind, summary) in enumerate(decisions):
        if i < len(existing):
            d = existing[i]
            if d.kind != kind or d.summary != summary.strip():
                d.kind, d.summary = kind, summary.strip()
                d._history_user = user  # type: ignore[attr-defined]
                d.save()
        else:
            d = Decision(resolution=resolution, kind=kind, summary=summary.strip())
            d._history_user = user  # type: ignore[attr-defined]
            d.save()
    for d in existing[len(decisions) :]:
        d._history_user = user  # type: ignore[attr-defined]
        d.delete()


def resolution_create(
    *,
    municipality: Territory,
    number: str,
    date: datetime.date,
    title_ky: str = "",
    title_ru: str = "",
    title_en: str = "",
    decisions: Iterable[tuple[str, str]],
    document: UploadedFile | None = None,
    event: Event | None = None,
    in_force: bool = True,
    repealed_on: datetime.date | None = None,
    repealed_by: Resolution | None = None,
    user: Any,
    key: str = "",
) -> Resolution:
    decisions = [(k, s or "") for k, s in decisions]
    _check(
        municipality=municipality,
        number=number,
        date=date,
        title_ky=title_ky,
        title_ru=title_ru,
        event=event,
        repealed_on=repealed_on,
        repealed_by=repealed_by,
        decisions=decisions,
        document=document,
    )
    with transaction.atomic():
        resolution = Resolution(
            key=key,
            municipality=municipality,
            number=number.strip(),
            date=date,
            title_ky=title_ky.strip(),
            title_ru=title_ru.strip(),
            title_en=title_en.strip(),
            event=event,
            in_force=in_force and repealed_on is None and repealed_by is None,
            repealed_on=repealed_on,
            repealed_by=repealed_by,
            created_by=user,
        )
        if document is not None:
            _save_document(resolution, document)
        resolution._history_user = user  # type: ignore[attr-defined]
        resolution.save()
        _set_decisions(resolution, decisions, user)
        public_content_changed()
    return resolution


def resolution_update(
    *,
    resolution: Resolution,
    number: str,
    date: datetime.date,
    title_ky: str = "",
    title_ru: str = "",
    title_en: str = "",
    decisions: Iterable[tuple[str, str]],
    document: UploadedFile | None = None,
    event: Event | None = None,
    in_force: bool = True,
    repealed_on: datetime.date | None = None,
    repealed_by: Resolution | None = None,
    user: Any,
) -> Resolution:
    decisions = [(k, s or "") for k, s in decisions]
    _check(
        municipality=resolution.municipality,
        number=number,
        date=date,
        title_ky=title_ky,
        title_ru=title_ru,
        event=event,
        repealed_on=repealed_on,
        repealed_by=repealed_by,
        decisions=decisions,
        document=document,
        resolution=resolution,
    )
    with transaction.atomic():
        resolution = Resolution.objects.select_for_update().get(pk=resolution.pk)
        resolution.number = number.strip()
        resolution.date = date
        resolution.title_ky = title_ky.strip()
        resolution.title_ru = title_ru.strip()
        resolution.title_en = title_en.strip()
        resolution.event = event
        resolution.repealed_on = repealed_on
        resolution.repealed_by = repealed_by
        resolution.in_force = in_force and repealed_on is None and repealed_by is None
        if document is not None:
            _save_document(resolution, document)
        resolution._history_user = user  # type: ignore[attr-defined]
        resolution.save()
        _set_decisions(resolution, decisions, user)
        public_content_changed()
    return resolution


def resolution_link_add(
    *, resolution: Resolution, target: models.Model, user: Any
) -> ResolutionLink:
    """Link a resolution to the object it concerns (any model; idempotent)."""
    if target is None or target.pk is None:
        raise ValidationError(_("Nothing to link to."))
    target_municipality = getattr(target, "municipality_id", None)
    if target_municipality is not None and target_municipality != resolution.municipality_id:
        raise ValidationError(_("That belongs to another municipality."))
    if (
        isinstance(target, Event)
        and not target.municipalities.filter(pk=resolution.municipality_id).exists()
    ):
        raise ValidationError(_("That belongs to another municipality."))
    ct = ContentType.objects.get_for_model(target)
    with transaction.atomic():
        link, _created = ResolutionLink.objects.get_or_create(
            resolution=resolution,
            content_type=ct,
            object_id=str(target.pk),
            defaults={"created_by": user},
        )
        public_content_changed()
    return link


def resolution_link_remove(*, link: ResolutionLink, user: Any) -> None:
    with transaction.atomic():
        link.delete()
        public_content_changed()
