"""Budgets from XLSX: reading, bad inputs (nothing half-saved), tagging with history,
pages and permissions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aimak.inclusion import workbook
from aimak.inclusion.models import Budget, BudgetLine, LineTagChange
from aimak.inclusion.selectors import budget_shares
from aimak.inclusion.services import TagChange, budget_import, budget_upload, line_tags_set

from .helpers import BUDGET_ROWS, xlsx

MAPPING = {"code": 0, "name": 1, "section": 2, "planned": 3, "executed": 4}


def _import(municipality, user, data=None, **kw):
    data = data if data is not None else xlsx(BUDGET_ROWS)
    return budget_import(
        municipality=municipality,
        data=data,
        file_name="b.xlsx",
        year=2031,
        version="approved",
        header_row=2,
        mapping=MAPPING,
        user=user,
        **kw,
    )


def test_header_recognised_and_amounts_read(db):
    found = workbook.inspect(xlsx(BUDGET_ROWS))
    assert found.header_row == 2
    assert found.suggestion == MAPPING
    lines = workbook.read_lines(xlsx(BUDGET_ROWS), header_row=2, mapping=MAPPING)
    assert [(x.code, x.planned, x.executed) for x in lines] == [
        ("2111", Decimal("1000.00"), None),
        ("2311", Decimal("2000.50"), Decimal("1500.00")),
        ("2511", Decimal("1000.00"), None),
    ]  # the "Итого" row with a formula is a total, skipped


@pytest.mark.parametrize(
    "text, value",
    [
        ("1 234 567,50", "1234567.50"),
        ("1,234,567.50", "1234567.50"),
        ("1.234.567,5", "1234567.50"),
        ("12,5", "12.50"),
        ("1\u00a0000", "1000.00"),
        ("1,000", "1000.00"),
        (1234.5, "1234.50"),
    ],
)
def test_amounts_with_spaces_and_commas(text, value):
    assert workbook.parse_amount(text) == Decimal(value)


def test_ky_headers_recognised():
    guess = workbook.suggest(["Коду", "Аталышы", "Бөлүм", "Бекитилген каражат", "Аткарылганы"])
    assert guess == {"code": 0, "name": 1, "section": 2, "planned": 3, "executed": 4}


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"%PDF-1.4 not a workbook", "not an Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"), "password"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
        (b"PK\x03\x04 truncated", "damaged"),
        (b"PK\x03\x04" + b"\x00" * (5 * 1024 * 1024), "limit is 5 MB"),
    ],
)
def test_files_that_are_not_budgets_are_refused(data, message):
    with pytest.raises(ValidationError) as error:
        workbook.inspect(data)
    assert message in " ".join(error.value.messages)


def test_formula_without_saved_value_is_refused():
    rows = [["Наименование", "Сумма"], ["Детсад", "=1+1"]]
    with pytest.raises(ValidationError) as error:
        workbook.read_lines(xlsx(rows), header_row=1, mapping={"name": 0, "planned": 1})
    assert "B2 holds a formula without a saved value" in error.value.messages[0]


def test_merged_cells_in_the_lines_are_refused_with_their_range():
    rows = [["Наименование", "Сумма"], ["Детсад", 10], [None, 20]]
    with pytest.raises(ValidationError) as error:
        workbook.read_lines(
            xlsx(rows, merge="A2:A3"), header_row=1, mapping={"name": 0, "planned": 1}
        )
    assert "A2:A3" in error.value.messages[0]
    # A merged title above the header is fine.
    ok = [["Бюджет"], ["Наименование", "Сумма"], ["Детсад", 10]]
    assert (
        len(
            workbook.read_lines(
                xlsx(ok, merge="A1:B1"), header_row=2, mapping={"name": 0, "planned": 1}
            )
        )
        == 1
    )


def test_empty_sheet_and_bad_amounts(db):
    with pytest.raises(ValidationError, match="empty"):
        workbook.inspect(xlsx([]))
    rows = [["Наименование", "Сумма"], ["Детсад", "много"], ["Школа", "1 000"]]
    with pytest.raises(ValidationError) as error:
        workbook.read_lines(xlsx(rows), header_row=1, mapping={"name": 0, "planned": 1})
    assert error.value.messages == ["Cell B2: “много” is not an amount."]


def test_import_stores_all_lines_or_none(demo_municipality, demo_user):
    staff = demo_user("staff")
    budget = _import(demo_municipality, staff)
    assert budget.lines.count() == 3
    before = (Budget.objects.count(), BudgetLine.objects.count())
    bad = xlsx([*BUDGET_ROWS[:-1], ["9", "Плохая", "X", "abc", None]])
    with pytest.raises(ValidationError):
        _import(demo_municipality, staff, data=bad)
    assert (Budget.objects.count(), BudgetLine.objects.count()) == before


def test_same_file_twice_is_refused_with_who_and_when(demo_municipality, demo_user):
    staff = demo_user("staff")
    _import(demo_municipality, staff)
    with pytest.raises(ValidationError) as error:
        budget_upload(
            municipality=demo_municipality, data=xlsx(BUDGET_ROWS), file_name="again.xlsx"
        )
    assert "already uploaded" in error.value.messages[0]
    assert (
        staff.username in error.value.messages[0]
        or staff.get_full_name() in error.value.messages[0]
    )
    with pytest.raises(ValidationError):
        _import(demo_municipality, staff)


def test_tags_change_shares_and_keep_history(demo_municipality, demo_user):
    staff = demo_user("staff")
    budget = _import(demo_municipality, staff)
    lines = {line.code: line for line in budget.lines.all()}
    assert budget_shares(budget=budget)["tags"][3]["share"] == Decimal("100.0")
    changed = line_tags_set(
        budget=budget,
        changes=[TagChange(line_id=lines["2511"].pk, tag="targeted", groups=["women"], note="ГОБ")],
        user=staff,
    )
    assert changed == 1
    shares = {t["tag"]: t for t in budget_shares(budget=budget)["tags"]}
    assert shares["targeted"]["planned"] == Decimal("1000.00")
    assert shares["targeted"]["share"] == Decimal("25.0")  # 1000 of 4000.50
    change = LineTagChange.objects.get(line=lines["2511"])
    assert (change.old_tag, change.new_tag, change.changed_by) == (
        "not_assessed",
        "targeted",
        staff,
    )
    latest = lines["2511"].history.first()
    assert (latest.tag, latest.history_user) == ("targeted", staff)
    # An unknown tag changes nothing, even for the valid line given with it.
    with pytest.raises(ValidationError):
        line_tags_set(
            budget=budget,
            changes=[
                TagChange(line_id=lines["2111"].pk, tag="neutral"),
                TagChange(line_id=lines["2311"].pk, tag="bogus"),
            ],
            user=staff,
        )
    assert BudgetLine.objects.get(pk=lines["2111"].pk).tag == "not_assessed"


def test_upload_match_and_import_through_the_pages(client, demo_municipality, demo_user):
    client.force_login(demo_user("staff"))
    code = demo_municipality.code
    upload = SimpleUploadedFile("budget.xlsx", xlsx(BUDGET_ROWS))
    response = client.post(reverse("inclusion:budget_upload", args=[code]), {"file": upload})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Match the columns" in html and 'name="token"' in html
    form = response.context["form"]
    data = {
        "token": form.initial["token"],
        "file_name": "budget.xlsx",
        "header_row": 2,
        "year": 2031,
        "version": "draft",
        "headers": ["Код", "Наименование", "Раздел", "Сумма", "Исполнено"],
        **{f"col_{k}": str(v) for k, v in MAPPING.items()},
    }
    response = client.post(reverse("inclusion:budget_import", args=[code]), data)
    budget = Budget.objects.get(municipality=demo_municipality, year=2031)
    assert response.status_code == 302
    assert response["Location"] == reverse("inclusion:budget_tag", args=[code, budget.pk])
    line = budget.lines.get(code="2311")
    response = client.post(
        reverse("inclusion:budget_tag", args=[code, budget.pk]),
        {f"tag-{line.pk}": "sensitive", f"note-{line.pk}": "Матерям"},
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.tag, line.note) == ("sensitive", "Матерям")
    others = list(budget.lines.exclude(pk=line.pk).values_list("pk", flat=True))
    client.post(
        reverse("inclusion:budget_tag", args=[code, budget.pk]),
        {
            "bulk": "1",
            "select": [str(p) for p in others],
            "bulk_tag": "neutral",
            "bulk_groups": ["youth"],
        },
    )
    assert set(budget.lines.values_list("tag", flat=True)) == {"sensitive", "neutral"}
    page = client.get(reverse("inclusion:budget", args=[code, budget.pk])).content.decode()
    assert "Gender-sensitive" in page and "Recent tag changes" in page


def test_bad_file_on_the_page_says_why(client, demo_municipality, demo_user):
    client.force_login(demo_user("staff"))
    upload = SimpleUploadedFile("budget.xlsx", b"not a workbook at all")
    response = client.post(
        reverse("inclusion:budget_upload", args=[demo_municipality.code]), {"file": upload}
    )
    assert "not an Excel workbook" in response.content.decode()


def test_staff_of_another_municipality_is_refused(
    client, demo_municipality, other_municipality, demo_user
):
    from aimak.accounts.models import Membership, Role
    from tests.factories import UserFactory

    outsider = UserFactory()
    Membership.objects.create(user=outsider, role=Role.STAFF, municipality=other_municipality)
    client.force_login(outsider)
    code = demo_municipality.code
    response = client.get(reverse("inclusion:budget_upload", args=[code]))
    assert response.status_code == 403
    budget = _import(demo_municipality, demo_user("staff"))
    response = client.post(
        reverse("inclusion:budget_tag", args=[code, budget.pk]),
        {f"tag-{budget.lines.first().pk}": "targeted"},
    )
    assert response.status_code == 403
    assert not budget.lines.filter(tag="targeted").exists()
    # A budget is found only under its own municipality.
    response = client.get(reverse("inclusion:budget", args=[other_municipality.code, budget.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "role, allowed",
    [
        ("staff", True),
        ("facilitator", True),
        ("deputy", False),
        ("monitor", False),
        ("programme", False),
    ],
)
def test_who_may_tag(demo_municipality, demo_user, role, allowed):
    from aimak.inclusion.selectors import budget_tagger_municipalities

    user = demo_user(role)
    assert user.has_perm("inclusion.tag_budgets", demo_municipality) is allowed
    assert (
        budget_tagger_municipalities(user=user).filter(pk=demo_municipality.pk).exists() is allowed
    )


def test_municipality_page_shows_policy_budgets_and_hearings(client, demo_municipality, demo_user):
    from .helpers import attendance, event, resolution

    resolution(demo_municipality, "2024-03-01", number="77")
    hearing = event("hearing_budget", "2030-11-10", demo_municipality, title="Угуу 2031")
    attendance(hearing, demo_municipality, 31, 29, 2)
    budget = _import(demo_municipality, demo_user("staff"), hearings=[hearing])
    html = client.get(
        reverse("inclusion:municipality", args=[demo_municipality.code])
    ).content.decode()
    assert "In force, adopted by council resolution № 77" in html or "№ " in html
    assert reverse("inclusion:budget", args=[demo_municipality.code, budget.pk]) in html
    assert "Угуу 2031" in html and ">31<" in html


def test_sample_workbook_is_a_valid_budget(client):
    response = client.get(reverse("inclusion:sample"))
    data = b"".join(response.streaming_content)
    found = workbook.inspect(data)
    assert (
        len(workbook.read_lines(data, header_row=found.header_row, mapping=found.suggestion)) >= 25
    )


def test_forged_mapping_form_saves_nothing(client, demo_municipality, demo_user):
    client.force_login(demo_user("staff"))
    before = Budget.objects.count()
    data = {
        "token": "../../etc/passwd",
        "header_row": 2,
        "year": 2031,
        "version": "draft",
        "headers": ["Наименование", "Сумма"],
        "col_name": "0",
        "col_planned": "1",
    }
    response = client.post(reverse("inclusion:budget_import", args=[demo_municipality.code]), data)
    assert response.status_code == 200
    assert "no longer available" in response.content.decode()
    data["col_planned"] = "7"  # a column the file does not have
    response = client.post(reverse("inclusion:budget_import", args=[demo_municipality.code]), data)
    assert response.status_code == 200
    assert Budget.objects.count() == before


def test_hearing_of_another_municipality_cannot_be_linked(
    demo_municipality, other_municipality, demo_user
):
    from .helpers import event

    elsewhere = event("hearing_budget", "2030-11-10", other_municipality)
    with pytest.raises(ValidationError, match="not held in this municipality"):
        _import(demo_municipality, demo_user("staff"), hearings=[elsewhere])
    assert not Budget.objects.filter(year=2031, municipality=demo_municipality).exists()
