"""Whole-database backups through Django's serialisers, and their restore.

A backup is one gzip'd JSON document::

    {"format": "aimak-backup", "format_version": 1,
     "header": {"app_version", "created_at", "database_vendor", "django_version",
                "migrations": {app: [applied migration names]}, "counts": {model: rows}},
     "objects": [ ...Django "python" serialisation, model by model... ]}

Primary keys are kept, so foreign keys, self-references (a unit's parent and successor)
and the `id` copied into history rows stay valid. Content types and permissions are not
dumped (`migrate`/`flush` recreate them, possibly with other ids): references to them are
written as natural keys. Sessions and django-axes' sign-in logs are left out.

The backend-neutral format moves data between SQLite and PostgreSQL; for a large
production database `pg_dump` is faster (docs/deployment.md).
"""

from __future__ import annotations

import contextlib
import datetime
import gzip
import importlib.metadata
import json
import os
import tempfile
import zlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import django
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.python import Serializer as PythonSerializer
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone, translation

FORMAT = "aimak-backup"
FORMAT_VERSION = 1

# Recreated by migrate/flush (contenttypes, permissions) or not worth keeping.
EXCLUDED_APPS = frozenset({"contenttypes", "sessions", "axes"})
EXCLUDED_MODELS = frozenset({"auth.permission"})
# Referenced by natural key, because their ids differ from one database to another.
NATURAL_KEY_MODELS = (ContentType, Permission)


class _Encoder(DjangoJSONEncoder):
    """DjangoJSONEncoder, but datetimes and times keep their microseconds."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            if isinstance(o, datetime.time) and timezone.is_aware(o):
                raise ValueError("JSON can't represent timezone-aware times.")
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


class BackupError(Exception):
    """The file is not a usable Aimak backup, or the database cannot take it."""


class _Serializer(PythonSerializer):
    """Natural keys only for references to content types and permissions."""

    def _natural(self, field: Any) -> bool:
        return issubclass(field.remote_field.model, NATURAL_KEY_MODELS)

    def handle_fk_field(self, obj: Any, field: Any) -> None:
        self.use_natural_foreign_keys = self._natural(field)
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj: Any, field: Any) -> None:
        self.use_natural_foreign_keys = self._natural(field)
        super().handle_m2m_field(obj, field)


def backed_up_models() -> list[type[models.Model]]:
    """Every concrete, managed model whose rows a backup holds, in a stable order."""
    chosen = []
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed or meta.app_label in EXCLUDED_APPS:
            continue
        if meta.label_lower in EXCLUDED_MODELS:
            continue
        chosen.append(model)
    return chosen


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def _content_language() -> str:
    # django-modeltranslation reads and writes an untranslated `name` through the active
    # language: pin it, so the plain column is dumped and restored the same every time.
    return getattr(settings, "MODELTRANSLATION_DEFAULT_LANGUAGE", settings.LANGUAGE_CODE)


def _app_version() -> str:
    try:
        return importlib.metadata.version("aimak")
    except importlib.metadata.PackageNotFoundError:  # running from a bare checkout
        return "unknown"


def _applied_migrations(using: str) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app_label, name in sorted(MigrationRecorder(connections[using]).applied_migrations()):
        applied.setdefault(app_label, []).append(name)
    return applied


@contextlib.contextmanager
def _read_snapshot(using: str) -> Iterator[None]:
    """One consistent view of the database for the whole dump, without blocking writers."""
    connection = connections[using]
    if connection.in_atomic_block:  # already inside a transaction (tests, callers)
        yield
    elif connection.vendor == "postgresql":
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
    elif connection.vendor == "sqlite":
        # Django's atomic() would BEGIN IMMEDIATE (settings) and block writers; a deferred
        # read transaction sees one snapshot (WAL) and lets them go on.
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")
    else:
        with transaction.atomic(using=using):
            yield


def backup_write(*, path: Path, using: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """Write the backup to `path` (atomically: a temporary file renamed) and return its header."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = connections[using]
    chosen = backed_up_models()
    serializer = _Serializer()
    with _read_snapshot(using), translation.override(_content_language()):
        counts = {_label(m): m._base_manager.using(using).count() for m in chosen}
        header = {
            "app_version": _app_version(),
            "django_version": django.get_version(),
            "created_at": timezone.now().isoformat(),
            "database_vendor": connection.vendor,
            "migrations": _applied_migrations(using),
            "counts": counts,
        }
        fd, tmp_name = tempfile.mkstemp(prefix=".aimak-backup-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb") as gz:
                out = _TextOut(gz)
                out.write(
                    f'{{"format": {json.dumps(FORMAT)}, "format_version": {FORMAT_VERSION}, '
                    f'"header": {json.dumps(header, ensure_ascii=False)},\n"objects": ['
                )
                first = True
                for model in chosen:
                    queryset = model._base_manager.using(using).order_by(model._meta.pk.name)
                    written = 0
                    for record in serializer.serialize(queryset.iterator(chunk_size=2000)):
                        out.write(
                            ("\n" if first else ",\n")
                            + json.dumps(record, cls=_Encoder, ensure_ascii=False)
                        )
                        first = False
                        written += 1
                    if written != counts[_label(model)]:  # pragma: no cover - snapshot broke
                        raise BackupError(f"{_label(model)} changed during the backup.")
                out.write("\n]}\n")
            os.chmod(tmp_name, 0o600)  # password hashes and e-mail addresses inside
            os.replace(tmp_name, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp_name)
            raise
    return header


class _TextOut:
    def __init__(self, stream: gzip.GzipFile) -> None:
        self.stream = stream

    def write(self, text: str) -> None:
        self.stream.write(text.encode("utf-8"))


def backup_read(*, path: Path) -> dict[str, Any]:
    """Read and check a backup file; raise BackupError with a clear reason if it is not one."""
    try:
        with gzip.open(path, "rb") as gz:
            raw = gz.read()
    except FileNotFoundError as exc:
        raise BackupError(f"No such file: {path}") from exc
    except (OSError, EOFError, zlib.error) as exc:  # not gzip, or truncated
        raise BackupError(f"{path} is not a complete gzip file ({exc}).") from exc
    try:
        document = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError(f"{path} does not hold valid JSON ({exc}).") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError(f"{path} is not an Aimak backup.")
    if document.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{path} has backup format {document.get('format_version')!r}; "
            f"this version of Aimak reads format {FORMAT_VERSION}."
        )
    header, objects = document.get("header"), document.get("objects")
    if not isinstance(header, dict) or not isinstance(header.get("counts"), dict):
        raise BackupError(f"{path} has no valid header.")
    if not isinstance(objects, list) or not all(isinstance(o, dict) for o in objects):
        raise BackupError(f"{path} has no valid list of objects.")
    found = Counter(str(o.get("model", "")).lower() for o in objects)
    expected = {label: n for label, n in header["counts"].items() if n}
    if dict(found) != expected:
        raise BackupError(f"{path} is damaged: its rows do not match the counts in its header.")
    return document


def _check_compatible(header: dict[str, Any], using: str) -> None:
    known = {_label(m) for m in backed_up_models()}
    unknown = sorted(set(header["counts"]) - known)
    if unknown:
        raise BackupError(
            "The backup holds tables this version does not know: " + ", ".join(unknown)
        )
    applied = _applied_migrations(using)
    missing = [
        f"{app}.{name}"
        for app, names in header.get("migrations", {}).items()
        for name in names
        if name not in applied.get(app, [])
    ]
    if missing:
        raise BackupError(
            "The backup was made by a newer schema; upgrade Aimak and run `migrate` first. "
            "Missing migrations: " + ", ".join(missing[:10])
        )


def database_is_empty(*, using: str = DEFAULT_DB_ALIAS) -> bool:
    return not any(m._base_manager.using(using).exists() for m in backed_up_models())


def backup_restore(
    *, path: Path, using: str = DEFAULT_DB_ALIAS, force: bool = False
) -> dict[str, int]:
    """Restore `path` in one transaction; on any failure the database is left as it was.

    The database must be empty (after `migrate`) unless `force`, which flushes it first,
    inside the same transaction.
    """
    document = backup_read(path=path)
    header = document["header"]
    connection = connections[using]
    with transaction.atomic(using=using):
        _check_compatible(header, using)
        if not database_is_empty(using=using):
            if not force:
                raise BackupError(
                    "The database already holds data; restore into an empty database "
                    "or pass --force to flush it first."
                )
            call_command("flush", interactive=False, verbosity=0, database=using)
            ContentType.objects.clear_cache()
        try:
            with connection.constraint_checks_disabled(), translation.override(_content_language()):
                loaded, touched = _load(document["objects"], using)
            connection.check_constraints(table_names=[m._meta.db_table for m in touched])
        except Exception as exc:
            raise BackupError(f"Restore failed, nothing was changed: {exc}") from exc
        sequence_sql = connection.ops.sequence_reset_sql(no_style(), list(touched))
        if sequence_sql:
            with connection.cursor() as cursor:
                for sql in sequence_sql:
                    cursor.execute(sql)
    return dict(loaded)


def _load(
    objects: list[dict[str, Any]], using: str
) -> tuple[Counter[str], set[type[models.Model]]]:
    """Insert the rows as they are (raw, like loaddata: no signals, no auto_now), in batches."""
    connection = connections[using]
    loaded: Counter[str] = Counter()
    touched: set[type[models.Model]] = set()
    pending: list[Any] = []

    def flush_pending() -> None:
        if not pending:
            return
        model = type(pending[0].object)
        fields = model._meta.local_concrete_fields
        size = max(1, min(500, connection.ops.bulk_batch_size(fields, pending)))
        for start in range(0, len(pending), size):
            batch = [item.object for item in pending[start : start + size]]
            model._base_manager._insert(batch, fields=fields, raw=True, using=using)
        for item in pending:
            for accessor, values in (item.m2m_data or {}).items():
                # Rows of the link table directly: `.set()` would send m2m_changed, and
                # history that tracks many-to-many fields would record a new change.
                field = model._meta.get_field(accessor)
                through = field.remote_field.through
                source, target = field.m2m_column_name(), field.m2m_reverse_name()
                through._base_manager.using(using).bulk_create(
                    [through(**{source: item.object.pk, target: value}) for value in values]
                )
        loaded[_label(model)] += len(pending)
        touched.add(model)
        pending.clear()

    for item in serializers.deserialize(
        "python", objects, using=using, handle_forward_references=True
    ):
        model = type(item.object)
        if model._meta.parents or item.deferred_fields:  # inherited tables, forward refs
            flush_pending()
            item.save(using=using)
            if item.deferred_fields:
                item.save_deferred_fields(using=using)
            loaded[_label(model)] += 1
            touched.add(model)
            continue
        if pending and type(pending[0].object) is not model:
            flush_pending()
        pending.append(item)
    flush_pending()
    return loaded, touched


def default_backup_path(var_dir: Path) -> Path:
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    return Path(var_dir) / "backups" / f"aimak-{stamp}.json.gz"
