"""Every write to the registry goes through here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from aimak.core.cache import public_content_changed

from .loader import RegistryFileError, UnitRow, order_and_check_references, read_registry_file
from .models import Territory, TerritoryChange, TerritoryLoad
from .transliteration import search_key

# Fields compared between the file and the database, in the order they are reported.
TRACKED_FIELDS = (
    "name_ru", "name_ky", "name_en", "name_en_derived", "level", "kind", "parent_id",
    "population", "population_year", "population_source", "valid_from", "valid_to",
    "successor_id", "source",
)  # fmt: skip

# An empty cell in a file is "no information": it never erases a figure we hold (for
# example a population entered by the municipality's staff).
POPULATION_FIELDS = ("population", "population_year", "population_source")

# Below this share of the registry's current units a file is taken to be cut off.
PARTIAL_FILE_SHARE = 0.9


@dataclass
class LoadResult:
    load: TerritoryLoad | None
    created: int
    updated: int
    unchanged: int
    missing: list[str]
    already_loaded: TerritoryLoad | None = None


def _values(row: UnitRow, ids: dict[str, int]) -> dict[str, Any]:
    return {
        "name_ru": row.name_ru,
        "name_ky": row.name_ky,
        "name_en": row.name_en,
        "name_en_derived": row.name_en_derived,
        "level": row.level,
        "kind": row.kind,
        "parent_id": ids.get(row.parent_code) if row.parent_code else None,
        "population": row.population,
        "population_year": row.population_year,
        "population_source": row.population_source,
        "valid_from": row.valid_from,
        "valid_to": row.valid_to,
        "successor_id": ids.get(row.successor_code) if row.successor_code else None,
        "source": row.source,
    }


def _as_text(value: Any) -> str:
    return "" if value is None else str(value)


def territories_load(
    *,
    path: Path,
    label: str = "",
    user: Any = None,
    allow_partial: bool = False,
    force: bool = False,
) -> LoadResult:
    """Load a registry file atomically; loading the same content again changes nothing.

    A file whose exact content was loaded before is not applied again (unless `force`),
    so re-running an old file cannot undo what a newer one recorded. Columns a file lacks
    leave those fields of existing units untouched.

    Units in the file are added or updated field by field, every changed field recorded
    as a TerritoryChange of this load (and in the unit's history). Units of the registry
    that the file does not list are reported and left as they are: a unit ends only when
    a file gives it an end date (and, for a merger, a successor).
    """
    registry_file = read_registry_file(path)
    checksum = registry_file.checksum
    if not force:
        earlier = TerritoryLoad.objects.filter(sha256=checksum).order_by("-loaded_at").first()
        if earlier is not None:
            return LoadResult(None, 0, 0, len(registry_file.rows), [], already_loaded=earlier)
    existing = {t.code: t for t in Territory.objects.all()}
    rows = registry_file.rows
    rows = order_and_check_references(rows, set(existing), registry_file.problems)
    file_codes = {r.code for r in rows}
    active = [c for c, t in existing.items() if t.valid_to is None]
    missing = sorted(c for c in active if c not in file_codes)
    if (
        active
        and not allow_partial
        and len(active) - len(missing) < PARTIAL_FILE_SHARE * len(active)
    ):
        raise RegistryFileError(
            [
                _(
                    "The file lists only %(found)s of the registry's %(total)s current units: it "
                    "looks partial. Nothing was loaded. Use --allow-partial if it is meant to "
                    "update a part of the country."
                )
                % {"found": len(active) - len(missing), "total": len(active)}
            ]
        )

    with transaction.atomic():
        ids = {code: t.pk for code, t in existing.items()}
        changes: list[tuple[Territory, str, str, str]] = []
        to_update: list[Territory] = []
        created_codes: set[str] = set()
        # Parents before children: create each depth in one bulk insert so ids resolve.
        for depth in sorted({r.depth for r in rows}):
            new_units = []
            for row in (r for r in rows if r.depth == depth):
                values = _values(row, ids)
                # Successors may come later in the file: set them in the second pass.
                values["successor_id"] = None
                unit = existing.get(row.code)
                if unit is None:
                    unit = Territory(code=row.code, **values)
                    unit.search_key = search_key(row.name_ky, row.name_ru, row.name_en)
                    new_units.append(unit)
                    continue
                if values["population"] is None:  # no figure in the file: keep ours
                    for name in POPULATION_FIELDS:
                        values.pop(name)
                if not row.name_ky:
                    values.pop("name_ky")
                if row.name_en_derived and not unit.name_en_derived:  # keep a sourced name
                    values.pop("name_en")
                    values.pop("name_en_derived")
                for name, value in values.items():
                    if name == "successor_id" or name not in registry_file.fields:
                        continue
                    old = getattr(unit, name)
                    if old != value:
                        changes.append((unit, name, _as_text(old), _as_text(value)))
                        setattr(unit, name, value)
                if changes and changes[-1][0] is unit:
                    unit.search_key = search_key(
                        unit.name_ky or "", unit.name_ru or "", unit.name_en or ""
                    )
                    to_update.append(unit)
            if new_units:
                bulk_create_with_history(new_units, Territory, batch_size=500)
                if any(u.pk is None for u in new_units):  # a backend that returns no ids
                    pks = dict(
                        Territory.objects.filter(code__in=[u.code for u in new_units]).values_list(
                            "code", "id"
                        )
                    )
                    for unit in new_units:
                        unit.pk = pks[unit.code]
                for unit in new_units:
                    ids[unit.code] = unit.pk
                    existing[unit.code] = unit
                created_codes.update(u.code for u in new_units)

        # Second pass: successors, now that every unit has an id.
        queued = {u.code for u in to_update}
        for row in rows:
            unit = existing[row.code]
            if "successor_id" not in registry_file.fields and row.code not in created_codes:
                continue
            want = ids.get(row.successor_code) if row.successor_code else None
            if unit.successor_id != want:
                if row.code not in created_codes:
                    changes.append(
                        (unit, "successor_id", _as_text(unit.successor_id), _as_text(want))
                    )
                unit.successor_id = want
                if row.code not in queued:
                    to_update.append(unit)
        if to_update:
            fields = [f.removesuffix("_id") for f in TRACKED_FIELDS] + ["search_key"]
            bulk_update_with_history(to_update, Territory, fields, batch_size=500)

        updated_codes = {unit.code for unit, *_rest in changes}
        if not created_codes and not updated_codes:
            return LoadResult(None, 0, 0, len(rows), missing)
        public_content_changed()
        load = TerritoryLoad.objects.create(
            file_name=path.name,
            sha256=checksum,
            label=label,
            created=len(created_codes),
            updated=len(updated_codes),
            unchanged=len(rows) - len(created_codes) - len(updated_codes),
            loaded_by=user if getattr(user, "pk", None) else None,
        )
        code_by_id = {str(pk): code for code, pk in ids.items()}

        def shown(name: str, value: str) -> str:  # units are shown by code, not by row id
            return code_by_id.get(value, value) if name.endswith("_id") else value

        TerritoryChange.objects.bulk_create(
            [
                TerritoryChange(
                    load=load,
                    territory_id=unit.pk,
                    field=name.removesuffix("_id"),
                    old_value=shown(name, old),
                    new_value=shown(name, new),
                )
                for unit, name, old, new in changes
            ],
            batch_size=1000,
        )
    return LoadResult(load, load.created, load.updated, load.unchanged, missing)


def territory_population_set(
    *, territory: Territory, population: int, year: int, source: str
) -> Territory:
    """Staff record their municipality's population with its source and year."""
    territory.population = population
    territory.population_year = year
    territory.population_source = source
    with transaction.atomic():
        territory.save(update_fields=["population", "population_year", "population_source"])
        public_content_changed()
    return territory
