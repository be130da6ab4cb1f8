"""Writes of the inclusion app: budgets read from XLSX, their links and GRB tags."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import formats
from django.utils.translation import gettext as _

from aimak.core.cache import public_content_changed
from aimak.council.models import Resolution
from aimak.events.models import Event, EventKind
from aimak.territories.models import Territory

from . import workbook
from .models import Budget, BudgetLine, BudgetVersion, GrbTag, LineTagChange, VulnerableGroup
from .selectors import budget_duplicate

_TOKEN = re.compile(r"^[0-9a-f]{64}$")


def _pending_path(token: str) -> str:
    return f"inclusion/pending/{token}.xlsx"


def duplicate_message(earlier: Budget) -> str:
    who = (
        earlier.uploaded_by.get_full_name() or earlier.uploaded_by.username
        if earlier.uploaded_by
        else "—"
    )
    return _(
        "This file was already uploaded on %(when)s by %(who)s (budget %(year)s, %(version)s)."
    ) % {
        "when": formats.date_format(earlier.uploaded_at, "SHORT_DATETIME_FORMAT"),
        "who": who,
        "year": earlier.year,
        "version": earlier.get_version_display(),
    }


@dataclass
class Upload:
    token: str
    file_name: str
    inspection: workbook.Inspection


def budget_upload(*, municipality: Territory, data: bytes, file_name: str) -> Upload:
    """Check a workbook and keep it (as a file, no database row) for the mapping step."""
    workbook.check_bytes(data)
    token = hashlib.sha256(data).hexdigest()
    earlier = budget_duplicate(municipality=municipality, sha256=token)
    if earlier is not None:
        raise ValidationError(duplicate_message(earlier))
    inspection = workbook.inspect(data)
    path = _pending_path(token)
    if not default_storage.exists(path):
        default_storage.save(path, ContentFile(data))
    return Upload(token=token, file_name=file_name[:300], inspection=inspection)


def pending_read(*, token: str) -> bytes:
    if not _TOKEN.match(token or "") or not default_storage.exists(_pending_path(token)):
        raise ValidationError(_("The uploaded file is no longer available; upload it again."))
    with default_storage.open(_pending_path(token), "rb") as handle:
        data: bytes = handle.read()
    return data


def _check_links(
    municipality: Territory, resolution: Resolution | None, hearings: Iterable[Event]
) -> list[Event]:
    if resolution is not None and resolution.municipality_id != municipality.pk:
        raise ValidationError(_("The resolution belongs to another municipality."))
    chosen = list(hearings)
    for event in chosen:
        if event.kind != EventKind.HEARING_BUDGET:
            raise ValidationError(
                _("“%(event)s” is not a public hearing on the budget.") % {"event": event}
            )
        if not event.municipalities.filter(pk=municipality.pk).exists():
            raise ValidationError(
                _("“%(event)s” was not held in this municipality.") % {"event": event}
            )
    return chosen


def budget_import(
    *,
    municipality: Territory,
    data: bytes,
    file_name: str,
    year: int,
    version: str,
    header_row: int,
    mapping: dict[str, int],
    user: Any,
    resolution: Resolution | None = None,
    hearings: Iterable[Event] = (),
) -> Budget:
    """Store the budget and every line of the workbook, or nothing."""
    if version not in BudgetVersion.values:
        raise ValidationError(_("Choose the version of the budget."))
    if not 2000 <= int(year) <= 2100:
        raise ValidationError(_("The year must be between 2000 and 2100."))
    sha = hashlib.sha256(data).hexdigest()
    lines = workbook.read_lines(data, header_row=header_row, mapping=mapping)
    chosen = _check_links(municipality, resolution, hearings)
    try:
        with transaction.atomic():
            earlier = budget_duplicate(municipality=municipality, sha256=sha)
            if earlier is not None:
                raise ValidationError(duplicate_message(earlier))
            budget = Budget(
                municipality=municipality,
                year=int(year),
                version=version,
                file_name=file_name[:300],
                sha256=sha,
                mapping={"header_row": header_row, "columns": mapping},
                resolution=resolution,
                uploaded_by=user if getattr(user, "pk", None) else None,
            )
            budget.file.save(f"{sha[:16]}.xlsx", ContentFile(data), save=False)
            budget.save()
            BudgetLine.objects.bulk_create(
                BudgetLine(
                    budget=budget,
                    position=line.position,
                    code=line.code,
                    name=line.name,
                    section=line.section,
                    planned=line.planned,
                    executed=line.executed,
                )
                for line in lines
            )
            if chosen:
                budget.hearings.set(chosen)
            public_content_changed()
    except IntegrityError as error:  # a second request with the same file won the race
        earlier = budget_duplicate(municipality=municipality, sha256=sha)
        raise ValidationError(
            duplicate_message(earlier) if earlier else _("This file was already uploaded.")
        ) from error
    if default_storage.exists(_pending_path(sha)):
        default_storage.delete(_pending_path(sha))
    return budget


@transaction.atomic
def budget_links_set(
    *, budget: Budget, resolution: Resolution | None, hearings: Iterable[Event], user: Any
) -> Budget:
    chosen = _check_links(budget.municipality, resolution, hearings)
    budget.resolution = resolution
    budget._change_reason = "links"  # type: ignore[attr-defined]
    budget.save(update_fields=["resolution"])
    budget.hearings.set(chosen)
    public_content_changed()
    return budget


@dataclass
class TagChange:
    line_id: int
    tag: str
    note: str | None = None
    groups: list[str] | None = None


def line_tags_set(*, budget: Budget, changes: list[TagChange], user: Any) -> int:
    """Set the tag (and optionally note and groups) of lines of one budget; all or none.
    Returns how many lines changed; each change is kept as a LineTagChange."""
    valid_groups = set(VulnerableGroup.values)
    for change in changes:
        if change.tag not in GrbTag.values:
            raise ValidationError(_("Unknown gender relevance: %(tag)s.") % {"tag": change.tag})
        if change.groups is not None and not set(change.groups) <= valid_groups:
            raise ValidationError(_("Unknown group benefited."))
    with transaction.atomic():
        lines = {
            line.pk: line
            for line in BudgetLine.objects.select_for_update().filter(
                budget=budget, pk__in=[c.line_id for c in changes]
            )
        }
        missing = [c.line_id for c in changes if c.line_id not in lines]
        if missing:
            raise ValidationError(_("Line %(id)s is not part of this budget.") % {"id": missing[0]})
        changed = 0
        for change in changes:
            line = lines[change.line_id]
            note = line.note if change.note is None else change.note.strip()[:500]
            groups = line.groups if change.groups is None else sorted(set(change.groups))
            if (line.tag, line.note, line.groups) == (change.tag, note, groups):
                continue
            LineTagChange.objects.create(
                line=line,
                old_tag=line.tag,
                new_tag=change.tag,
                note=note,
                groups=groups,
                changed_by=user if getattr(user, "pk", None) else None,
            )
            line.tag, line.note, line.groups = change.tag, note, groups
            line._history_user = user if getattr(user, "pk", None) else None  # type: ignore[attr-defined]
            line.save(update_fields=["tag", "note", "groups"])
            changed += 1
        if changed:
            public_content_changed()
    return changed
