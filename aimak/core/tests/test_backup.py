"""`backup` and `restore` round-trip the whole test database, and refuse bad files."""

import gzip
import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError

from aimak.accounts.models import Membership, User
from aimak.core.backup import backed_up_models, backup_read
from aimak.territories.models import Territory

ENDED_UNIT = "41703204827000"  # Көк-Серек, merged into Ак-Коргон


def snapshot():
    counts = {m._meta.label: m._base_manager.count() for m in backed_up_models()}
    unit = Territory.objects.select_related("successor").get(code=ENDED_UNIT)
    membership = Membership.objects.select_related("user", "municipality").get(
        user__username="demo-staff"
    )
    history = Territory.history.filter(code=ENDED_UNIT).order_by("history_id").last()
    staff = User.objects.get(username="demo-staff")
    return {
        "counts": counts,
        "unit": (
            unit.pk,
            unit.name_ky,
            unit.name_ru,
            unit.name_en,
            unit.valid_to,
            unit.successor.code,
            unit.parent_id,
        ),
        "membership": (
            membership.pk,
            membership.role,
            membership.municipality.code,
            membership.granted_at,
            membership.ended_at,
        ),
        "history": (
            history.history_id,
            history.id,
            history.history_type,
            history.history_date,
            history.name_ky,
            history.successor_id,
        ),
        "user": (staff.pk, staff.password, staff.email, staff.date_joined),
        "territories": list(Territory.objects.order_by("pk").values()),
        "memberships": list(Membership.objects.order_by("pk").values()),
        "user_history": list(
            User.history.filter(username="demo-staff").values_list(
                "history_id", "history_date", "email"
            )
        ),
    }


@pytest.fixture
def fresh_content_types():
    yield
    # restore --force flushes (so recreates content types) inside the rolled-back test.
    ContentType.objects.clear_cache()


@pytest.mark.django_db
def test_backup_flush_restore_round_trip(tmp_path, fresh_content_types):
    before = snapshot()
    assert before["counts"]["territories.Territory"] > 2000
    assert before["counts"]["territories.HistoricalTerritory"] > 0
    path = tmp_path / "aimak.json.gz"
    call_command("backup", str(path), verbosity=0)

    header = backup_read(path=path)["header"]
    assert header["database_vendor"] in {"sqlite", "postgresql"}
    assert header["counts"]["territories.territory"] == before["counts"]["territories.Territory"]
    assert "contenttypes.contenttype" not in header["counts"]

    call_command("flush", interactive=False, verbosity=0)
    ContentType.objects.clear_cache()
    assert not Territory.objects.exists()
    call_command("restore", str(path), verbosity=0)
    assert snapshot() == before

    # New rows get fresh ids after the restored ones (sequences were reset).
    assert (
        Territory.objects.order_by("-pk")[0].pk
        < Territory.objects.create(
            code="00000000000001", level="village", kind="village", name="Test"
        ).pk
    )


@pytest.mark.django_db
def test_restore_refuses_a_database_with_data_without_force(tmp_path, fresh_content_types):
    path = tmp_path / "b.json.gz"
    call_command("backup", str(path), verbosity=0)
    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(path), verbosity=0)
    Territory.objects.filter(code=ENDED_UNIT).update(population=1)
    call_command("restore", str(path), "--force", verbosity=0)
    assert Territory.objects.get(code=ENDED_UNIT).population != 1


def _write_gz(path, payload: bytes):
    with gzip.open(path, "wb") as f:
        f.write(payload)


@pytest.mark.django_db
def test_bad_files_are_refused_and_change_nothing(tmp_path, fresh_content_types):
    good = tmp_path / "good.json.gz"
    call_command("backup", str(good), verbosity=0)
    data = good.read_bytes()
    document = json.loads(gzip.decompress(data))

    truncated = tmp_path / "truncated.json.gz"
    truncated.write_bytes(data[: len(data) // 2])
    not_gzip = tmp_path / "plain.json.gz"
    not_gzip.write_bytes(b'{"format": "aimak-backup"}')
    bad_json = tmp_path / "bad.json.gz"
    _write_gz(bad_json, b'{"format": "aimak-backup", "objects": [')
    foreign = tmp_path / "fixture.json.gz"
    _write_gz(foreign, json.dumps(document["objects"][:3]).encode())
    short = tmp_path / "short.json.gz"
    _write_gz(short, json.dumps({**document, "objects": document["objects"][:-1]}).encode())
    # Valid to the header check, but a row that fails mid-way (an unknown user).
    broken = dict(document)
    broken["objects"] = [dict(o) for o in document["objects"]]
    membership = next(o for o in broken["objects"] if o["model"] == "accounts.membership")
    membership["fields"] = {**membership["fields"], "user": 987654321}
    mid_way = tmp_path / "midway.json.gz"
    _write_gz(mid_way, json.dumps(broken).encode())

    before = snapshot()
    cases = [
        (truncated, "gzip"),
        (not_gzip, "gzip"),
        (bad_json, "JSON"),
        (foreign, "not an Aimak backup"),
        (short, "damaged"),
        (mid_way, "nothing was changed"),
    ]
    for path, message in cases:
        with pytest.raises(CommandError, match=message):
            call_command("restore", str(path), "--force", verbosity=0)
        ContentType.objects.clear_cache()
        assert snapshot() == before, path.name
