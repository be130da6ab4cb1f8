"""The change log: who changed what, when, before and after, across the tracked models."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.utils.translation import gettext_lazy as _

# key -> (app label, model name, label shown)
TRACKED = {
    "membership": ("accounts", "Membership", _("Memberships")),
    "provision": ("catalogue", "ServiceProvision", _("Service providers")),
    "territory": ("territories", "Territory", _("Territorial units")),
    "service": ("catalogue", "Service", _("Services catalogue")),
    "user": ("accounts", "User", _("Accounts")),
}
ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


@dataclass
class AuditEntry:
    when: Any
    who: Any
    action: str
    object_label: str
    changes: list[tuple[str, str, str]]


def _field_names(model: Any) -> list[str]:
    return [f.attname for f in model._meta.fields
            if f.attname not in {"history_id", "history_date", "history_change_reason",
                                 "history_type", "history_user_id"}]


def audit_entries(*, key: str, limit: int = 50) -> list[AuditEntry]:
    app_label, model_name, _label = TRACKED[key]
    history = apps.get_model(app_label, model_name).history.model
    records = list(history.objects.select_related("history_user").order_by("-history_date",
                                                                           "-history_id")[:limit])
    if not records:
        return []
    fields = _field_names(history)
    ids = {r.id for r in records}
    oldest = min(r.history_date for r in records)
    # The record before each one, fetched in one query: earlier rows of the same objects.
    earlier = list(history.objects.filter(id__in=ids, history_date__lte=oldest)
                   .order_by("id", "-history_date", "-history_id").values("id", "history_id",
                                                                            *fields))
    by_object: dict[Any, list[dict[str, Any]]] = {}
    for row in earlier:
        by_object.setdefault(row["id"], []).append(row)
    newer = list(history.objects.filter(id__in=ids, history_date__gte=oldest)
                 .order_by("-history_date", "-history_id").values("id", "history_id", *fields))
    for row in newer:
        rows = by_object.setdefault(row["id"], [])
        if all(r["history_id"] != row["history_id"] for r in rows):
            rows.append(row)
    for rows in by_object.values():
        rows.sort(key=lambda r: r["history_id"])
    entries = []
    for record in records:
        chain = by_object.get(record.id, [])
        index = next((i for i, r in enumerate(chain) if r["history_id"] == record.history_id), 0)
        current = chain[index] if chain else {}
        previous = chain[index - 1] if index > 0 else None
        changes = []
        if previous is not None:
            for name in fields:
                if name in {"id", "search_key"}:
                    continue
                if previous.get(name) != current.get(name):
                    changes.append((name, _text(previous.get(name)), _text(current.get(name))))
        entries.append(AuditEntry(
            when=record.history_date,
            who=record.history_user,
            action=str(ACTIONS.get(record.history_type, record.history_type)),
            object_label=str(record.instance) if key != "user" else record.username,
            changes=changes,
        ))
    return entries


def _text(value: Any) -> str:
    return "" if value is None else str(value)
