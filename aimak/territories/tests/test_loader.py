"""load_territories: atomic, idempotent, updates recorded, bad files refused whole."""

import csv
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from aimak.territories.models import Territory, TerritoryChange, TerritoryLoad
from aimak.territories.services import territories_load

UNITS = Path(settings.BASE_DIR) / "data" / "territories" / "units.csv"
HEADER = "code,level,parent_code,name_ru,name_ky,name_en,population,source,kind"


def registry_rows() -> tuple[list[str], list[dict[str, str]]]:
    """The registry as it stands in the test database: units.csv plus the demo merger."""
    with UNITS.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = list(reader.fieldnames or []), list(reader)
    for row in rows:
        if row["code"].startswith("41703204827"):
            row["source"] = "DEMO: illustrative merger"
            if row["level"] == "village":
                row["parent_code"] = "41703204804000"
    return header, rows


def write_rows(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def snapshot() -> list[tuple]:
    return list(
        Territory.objects.order_by("code").values_list(
            "code",
            "name_ru",
            "name_ky",
            "name_en",
            "population",
            "parent_id",
            "valid_to",
            "successor_id",
        )
    )


@pytest.mark.django_db
def test_whole_country_is_loaded():
    counts = {
        level: Territory.objects.filter(level=level).count()
        for level in ("oblast", "city", "rayon", "aimak", "village")
    }
    assert counts == {"oblast": 7, "city": 31, "rayon": 44, "aimak": 453, "village": 1903}
    bishkek = Territory.objects.get(code="41711000000000")
    assert bishkek.parent is None and bishkek.level == "city"
    issyk_kul = Territory.objects.get(code="41702000000000")
    assert (issyk_kul.name_ky, issyk_kul.name_en) == ("Ысык-Көл облусу", "Issyk-Kul")
    assert issyk_kul.population == 482983 and issyk_kul.population_year == 2018


@pytest.mark.django_db
def test_english_names_below_rayon_are_transliterations_marked_as_such():
    aimak = Territory.objects.get(code="41704210820000")
    assert aimak.name_en == "Kosh-Dobo ayil aimak"
    assert aimak.name_en_derived is True
    rayon = Territory.objects.get(code="41703204000000")
    assert (rayon.name_en, rayon.name_en_derived) == ("Ala-Buka", False)


@pytest.mark.django_db
def test_loading_the_same_content_twice_changes_nothing(tmp_path):
    header, rows = registry_rows()
    before = snapshot()
    loads = TerritoryLoad.objects.count()
    # The exact file again: recognised and skipped.
    result = territories_load(path=UNITS)
    assert result.already_loaded is not None
    # The same content under another name, forced: compared field by field, nothing changes.
    copy = write_rows(tmp_path / "copy.csv", header, rows)
    result = territories_load(path=copy, force=True)
    assert result.load is None and result.created == result.updated == 0
    assert snapshot() == before
    assert TerritoryLoad.objects.count() == loads


@pytest.mark.django_db
def test_a_newer_file_updates_names_and_population_and_records_each_change(tmp_path):
    header, rows = registry_rows()
    for row in rows:
        if row["code"] == "41703204000000":  # Ala-Buka district
            row["population"] = "110500"
            row["name_ru"] = "Ала-Букинский район (новое)"
    newer = write_rows(tmp_path / "units-2026.csv", header, rows)
    result = territories_load(path=newer, label="NSC 2026")
    assert (result.created, result.updated) == (0, 1)
    rayon = Territory.objects.get(code="41703204000000")
    assert rayon.population == 110500 and rayon.name_ru == "Ала-Букинский район (новое)"
    changes = {
        c.field: (c.old_value, c.new_value)
        for c in TerritoryChange.objects.filter(load=result.load)
    }
    assert changes["population"] == ("102200", "110500")
    assert changes["name_ru"] == ("Ала-Букинский район", "Ала-Букинский район (новое)")
    assert rayon.history.first().name_ru == "Ала-Букинский район (новое)"
    assert rayon.history.count() == 2


@pytest.mark.django_db
def test_a_unit_ended_by_the_reform_keeps_its_history_and_names_its_successor():
    ended = Territory.objects.get(code="41703204827000")  # demo merger, see aimak/demo
    assert ended.valid_to.isoformat() == "2025-06-01"
    assert ended.successor.code == "41703204804000"
    assert ended.children.count() == 0
    assert ended.successor.children.filter(code__startswith="41703204827").count() == 6
    fields = set(TerritoryChange.objects.filter(territory=ended).values_list("field", flat=True))
    assert {"valid_to", "successor"} <= fields


@pytest.mark.django_db
def test_an_older_format_file_does_not_undo_an_end_date(tmp_path):
    header, rows = registry_rows()
    copy = write_rows(tmp_path / "old.csv", header, rows)
    territories_load(path=copy, force=True)
    ended = Territory.objects.get(code="41703204827000")
    assert ended.valid_to is not None and ended.successor is not None


def _expect_refusal(path: Path, *fragments: str) -> None:
    before = snapshot()
    loads = TerritoryLoad.objects.count()
    with pytest.raises(CommandError) as info:
        call_command("load_territories", str(path), force=True)
    for fragment in fragments:
        assert fragment in str(info.value)
    assert snapshot() == before
    assert TerritoryLoad.objects.count() == loads


@pytest.mark.django_db
def test_a_truncated_file_is_refused_and_nothing_changes(tmp_path):
    text = UNITS.read_text(encoding="utf-8")
    cut = tmp_path / "cut.csv"
    cut.write_text(text[: len(text) // 2].rsplit(",", 3)[0], encoding="utf-8")
    _expect_refusal(cut, "Nothing was loaded", "fields")


@pytest.mark.django_db
def test_a_partial_file_is_refused_unless_allowed(tmp_path):
    header, rows = registry_rows()
    part = write_rows(tmp_path / "part.csv", header, rows[:300])
    _expect_refusal(part, "partial")


@pytest.mark.django_db
def test_bad_rows_are_reported_by_line_and_nothing_is_written(tmp_path):
    header, rows = registry_rows()
    rows[10]["population"] = "много"
    rows[20]["code"] = "4170"
    rows[30]["parent_code"] = "41799999999999"
    rows.append(dict(rows[40]))  # duplicate code
    bad = write_rows(tmp_path / "bad.csv", header, rows)
    _expect_refusal(bad, "Line 12", "Line 22", "41799999999999", "already appears")


@pytest.mark.django_db
def test_wrong_encoding_and_missing_columns_are_explained(tmp_path):
    latin = tmp_path / "cp1251.csv"
    latin.write_bytes(
        (HEADER + "\n41702000000000,oblast,,Иссык-Кульская область,,,,,oblast\n").encode("cp1251")
    )
    _expect_refusal(latin, "UTF-8")
    nocols = tmp_path / "nocols.csv"
    nocols.write_text("code,name\n41702000000000,X\n", encoding="utf-8")
    _expect_refusal(nocols, "level", "kind")


@pytest.mark.django_db
def test_a_failure_while_writing_rolls_everything_back(tmp_path, monkeypatch):
    header, rows = registry_rows()
    for row in rows:
        row["population"] = "1"
    newer = write_rows(tmp_path / "newer.csv", header, rows)
    before = snapshot()

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(TerritoryChange.objects, "bulk_create", explode)
    with pytest.raises(RuntimeError):
        territories_load(path=newer)
    assert snapshot() == before


@pytest.mark.django_db
def test_an_empty_cell_never_erases_a_population_entered_by_staff(tmp_path):
    header, rows = registry_rows()
    municipality = Territory.objects.get(code="41703204804000")
    assert municipality.population == 14870  # entered in the demo by staff
    for row in rows:
        if row["code"] == "41703204804000":
            row["name_ru"] = "Ак-Коргонский айылный аймак (переименован)"
    territories_load(path=write_rows(tmp_path / "n.csv", header, rows))
    municipality.refresh_from_db()
    assert municipality.population == 14870
    assert municipality.population_source.startswith("DEMO")
    assert municipality.name_ru.endswith("(переименован)")


@pytest.mark.django_db
def test_roles_left_in_an_ended_municipality_are_pointed_out(tmp_path, client):
    from aimak.accounts.models import Membership, Role
    from tests.factories import UserFactory

    header, rows = registry_rows()
    person = UserFactory(username="left-behind")
    unit = Territory.objects.get(code="41703204856000")  # Көк-Таш айыл аймагы
    Membership.objects.create(user=person, role=Role.STAFF, municipality=unit)
    header = [*header, "valid_to", "successor_code"]
    for row in rows:
        row["valid_to"] = "2026-01-01" if row["code"] == unit.code else ""
        row["successor_code"] = "41703204804000" if row["code"] == unit.code else ""
    out = io.StringIO()
    call_command("load_territories", str(write_rows(tmp_path / "r.csv", header, rows)), stdout=out)
    assert "left-behind: staff in 41703204856000 (successor 41703204804000)" in out.getvalue()
    client.force_login(UserFactory(is_superuser=True))
    page = client.get("/en/accounts/memberships/?q=left-behind").content.decode()
    assert "its successor is Ak-Korgon ayil aimak" in page
