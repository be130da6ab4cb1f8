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
    return [
        f.attname
        for f in model._meta.fields
        if f.attname
        not in {
            "history_id",
            "history_date",
            "history_change_reason",
            "history_type",
            "history_user_id",
        }
    ]


def audit_entries(*, key: str, limit: int = 50) -> list[AuditEntry]:
    app_label, model_name, _label = TRACKED[key]
    history = apps.get_model(app_label, model_name).history.model
    records = list(
        history.objects.select_related("history_user").order_by("-history_date", "-history_id")[
            :limit
        ]
    )
    if not records:
        return []
    fields = _field_names(history)
    ids = {r.id for r in records}
    oldest = min(r.history_date for r in records)
    # The record before each one, fetched in one query: earlier rows of the same objects.
    earlier = list(
        history.objects.filter(id__in=ids, history_date__lte=oldest)
        .order_by("id", "-history_date", "-history_id")
        .values("id", "history_id", *fields)
    )
    by_object: dict[Any, list[dict[str, Any]]] = {}
    for row in earlier:
        by_object.setdefault(row["id"], []).append(row)
    newer = list(
        history.objects.filter(id__in=ids, history_date__gte=oldest)
        .order_by("-history_date", "-history_id")
        .values("id", "history_id", *fields)
    )
    for row in newer:
        rows = by_object.setdefault(row["id"], [])
        if all(r["history_id"] != row["history_id"] for r in rows):
            rows.append(row)
    for rows in by_object.values():
        rows.sort(key=lambda r: r["history_id"])
    labels = _object_labels(records) if key != "user" else {}
    model = apps.get_model(app_label, model_name)
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
        entries.append(
            AuditEntry(
                when=record.history_date,
                who=record.history_user,
                action=str(ACTIONS.get(record.history_type, record.history_type)),
                object_label=labels.get(record.history_id, getattr(record, "username", "")),
                changes=changes,
            )
        )
    _readable_changes(model, entries)
    return entries


def _readable_changes(model: Any, entries: list[AuditEntry]) -> None:
    """Show each change by the field's name and values as people know them.

    A foreign key shows the object it points to (fetched once per field for the whole
    page), a choice its label, and the field its translated verbose name.
    """
    fields = {f.attname: f for f in model._meta.concrete_fields}
    wanted: dict[str, set[str]] = {}
    for entry in entries:
        for name, before, after in entry.changes:
            field = fields.get(name)
            if field is not None and field.many_to_one:
                wanted.setdefault(name, set()).update(v for v in (before, after) if v)
    related = {
        name: {
            str(pk): str(obj)
            for pk, obj in fields[name].related_model._base_manager.in_bulk(list(ids)).items()
        }
        for name, ids in wanted.items()
    }

    def shown(name: str, value: str) -> str:
        field = fields.get(name)
        if not value or field is None:
            return value
        if name in related:
            return related[name].get(value, value)
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        return value

    for entry in entries:
        entry.changes = [
            (
                str(fields[name].verbose_name) if name in fields else name,
                shown(name, before),
                shown(name, after),
            )
            for name, before, after in entry.changes
        ]


def _object_labels(records: list[Any]) -> dict[Any, str]:
    """str() of each record's object, with the objects it points to fetched once per field.

    A label such as a membership's ("person — role (municipality)") reads related rows;
    without this each entry of the page would cost queries of its own.
    """
    model = records[0].instance_type
    kept = {f.attname for f in records[0]._meta.fields}
    names = [f.attname for f in model._meta.concrete_fields if f.attname in kept]
    # Built here rather than with `record.instance`, which queries the live row when the
    # history leaves a field out (the territories' search key).
    instances = {r.history_id: model(**{n: getattr(r, n) for n in names}) for r in records}
    for field in model._meta.concrete_fields:
        if not field.many_to_one:
            continue
        ids = {getattr(i, field.attname) for i in instances.values()} - {None}
        if not ids:
            continue
        related = field.related_model._base_manager.in_bulk(ids)
        for instance in instances.values():
            target = related.get(getattr(instance, field.attname))
            if target is not None:
                field.set_cached_value(instance, target)
    return {pk: str(instance) for pk, instance in instances.items()}


def _text(value: Any) -> str:
    return "" if value is None else str(value)
