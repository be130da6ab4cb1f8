"""Importing interviews from files: formats, encodings, matching, duplicates, bad input,
the command and the API. Files are made in the tests from realistic demo answers."""

import csv
import io
import random
import uuid
import zipfile

import pytest
from django.core.files import File
from django.core.management import CommandError, call_command

from aimak.accounts.models import Role
from aimak.demo.answers import demo_answers
from aimak.demo.seed import DEMO_ROUND_KEY
from aimak.surveys import importing
from aimak.surveys.collection import version_checker
from aimak.surveys.definition import Text
from aimak.surveys.importing import (
    AlreadyImported,
    FileRefused,
    RowChecker,
    escape_cell,
    import_check,
    import_settings_set,
    import_start,
    import_upload,
)
from aimak.surveys.models import Interview, InterviewImport, Round
from tests.factories import MembershipFactory, api_token

from .conftest import make_xlsx

pytestmark = pytest.mark.django_db

VILLAGE = "41703204804010"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded files go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def round(db):
    return Round.objects.select_related("version", "municipality").get(key=DEMO_ROUND_KEY)


@pytest.fixture
def staff(demo_user):
    return demo_user("staff")


def answer_sets(round, count, seed=1):
    """`count` interviews' clean answers (the respondent agreed), made with the form's own
    checker."""
    checker = version_checker(round.version)
    rng = random.Random(seed)
    made = []
    while len(made) < count:
        answers = demo_answers(checker, rng, villages=[VILLAGE])
        if answers.get("consent") == "yes":
            clean, problems = checker.clean(answers)
            assert not problems
            made.append(clean)
    return made


def question_names(round):
    checker = version_checker(round.version)
    return [c.question.name for c, _groups in importing._importable(checker)]


def cell(value):
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(value)
    return str(value)


def csv_bytes(header, rows, *, delimiter=",", encoding="utf-8"):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


KOBO_GROUPS = {"profile", "water", "waste"}


def kobo_csv(round, answers, ids, *, delimiter=";"):
    """A KoboToolbox export: group/question headers, metadata columns, one 0/1 column per
    option of the multiple choice questions, semicolons."""
    checker = version_checker(round.version)
    header = ["start", "end", "today", "deviceid"]
    columns = []
    for compiled, groups in importing._importable(checker):
        path = "/".join(g.group.name for g in groups)
        name = compiled.question.name
        header.append(f"{path}/{name}")
        columns.append((name, None))
        if compiled.question.type == "select_multiple":
            for option in dict.fromkeys(compiled.choices.values()):
                header.append(f"{path}/{name}/{option}")
                columns.append((name, option))
    header += [
        "meta/instanceID",
        "_id",
        "_uuid",
        "_submission_time",
        "_validation_status",
        "_notes",
        "_status",
        "_submitted_by",
        "__version__",
        "_tags",
        "_index",
    ]
    rows = []
    for index, (answer, key) in enumerate(zip(answers, ids, strict=True)):
        row = [
            "2026-05-06T09:10:00.000+06:00",
            "2026-05-06T09:31:12.000+06:00",
            "2026-05-06",
            "collect:abc",
        ]
        for name, option in columns:
            value = answer.get(name)
            if option is None:
                row.append(cell(value))
            else:
                row.append("" if value is None else ("1" if option in value else "0"))
        row += [
            f"uuid:{key}",
            str(1000 + index),
            str(key),
            "2026-05-06T03:31:40",
            "",
            "",
            "submitted_via_web",
            "aibek",
            "vXyZ",
            "",
            str(index + 1),
        ]
        rows.append(row)
    return csv_bytes(header, rows, delimiter=delimiter)


def upload(round, data, user, name="interviews.csv", **kwargs):
    return import_upload(round=round, file=File(io.BytesIO(data), name=name), user=user, **kwargs)


def imported(round, data, user, name="interviews.csv"):
    batch = upload(round, data, user, name)
    return import_start(batch=batch, user=user, background=False)


# Formats, encodings, matching -------------------------------------------------------------


def test_kobo_export_is_matched_and_imported_once(round, staff):
    answers = answer_sets(round, 6)
    ids = [uuid.uuid4() for _ in answers]
    data = kobo_csv(round, answers, ids)
    before = Interview.objects.count()

    batch = upload(round, data, staff)
    layout = batch.layout
    assert (layout["encoding"], layout["delimiter"], batch.rows_total) == ("utf-8", ";", 6)
    assert batch.key_column == "_uuid"
    assert batch.mapping["profile/sex"] == "sex"
    assert batch.mapping["water/water_quality"] == "water_quality"
    assert batch.mapping["end"] == "@completed" and batch.mapping["start"] == "@started"
    # Metadata and the 0/1 option columns are left out.
    assert batch.mapping["profile/vulnerable/none"] == ""
    assert batch.mapping["_submission_time"] == "" and batch.mapping["deviceid"] == ""

    batch = import_check(batch=batch, user=staff, background=False)
    assert batch.problem_count == 0, batch.problems
    assert batch.checked["new"] == 6 and len(batch.checked["preview"]) == 6
    assert Interview.objects.count() == before  # checking writes nothing

    batch = import_start(batch=batch, user=staff, background=False)
    assert (batch.status, batch.added, batch.duplicates) == ("done", 6, 0)
    stored = Interview.objects.get(round=round, uuid=ids[0])
    assert stored.answers == answers[0]
    assert stored.source == "import" and stored.batch == batch and stored.received_by == staff
    assert stored.village.code == VILLAGE and stored.sex == answers[0]["sex"]
    assert stored.completed_at.isoformat() == "2026-05-06T03:31:12+00:00"
    assert stored.enumerator is None

    # The same file again: a clear message, nothing added, nothing kept.
    with pytest.raises(AlreadyImported, match=r"already imported on .*: 0 new interviews"):
        upload(round, data, staff)
    assert Interview.objects.count() == before + 6
    assert InterviewImport.objects.filter(round=round).count() == 1


def test_an_overlapping_file_adds_only_the_new_interviews(round, staff):
    answers = answer_sets(round, 9, seed=2)
    ids = [uuid.uuid4() for _ in answers]
    imported(round, kobo_csv(round, answers[:6], ids[:6]), staff)
    before = Interview.objects.count()
    second = imported(round, kobo_csv(round, answers[3:], ids[3:], delimiter=","), staff, "b.csv")
    assert (second.added, second.duplicates) == (3, 3)
    assert Interview.objects.count() == before + 3
    assert second.message == "3 interviews imported (skipped as already in the round: 3)."


def test_an_interview_sent_from_a_phone_is_not_imported_again(round, staff):
    from aimak.surveys.collection import interview_submit

    answers = answer_sets(round, 2, seed=3)
    ids = [uuid.uuid4(), uuid.uuid4()]
    interview_submit(round=round, interview_id=ids[0], answers=answers[0], user=staff)
    batch = imported(round, kobo_csv(round, answers, ids), staff)
    assert (batch.added, batch.duplicates) == (1, 1)


def plain_rows(round, answers, *, labels=None):
    names = question_names(round)
    return names, [[cell(a.get(n)) for n in names] for a in answers]


def test_utf8_with_bom_semicolons_stray_spaces_and_decimal_commas(round, staff):
    answers = answer_sets(round, 8, seed=4)
    payer = next(a for a in answers if a.get("water_paid_amount") is not None)
    payer["water_paid_amount"] = 12.5
    names, rows = plain_rows(round, answers)
    rows = [[f"  {v} " if v else v for v in row] for row in rows]
    amount = names.index("water_paid_amount")
    for row in rows:
        if row[amount].strip() == "12.5":
            row[amount] = " 12,5 "
    data = b"\xef\xbb\xbf" + csv_bytes([f" {n} " for n in names], rows, delimiter=";")
    batch = imported(round, data, staff)
    assert batch.status == "done", batch.problems
    assert batch.layout["encoding"] == "utf-8" and batch.layout["delimiter"] == ";"
    assert batch.mapping[names[0]] == names[0]  # the header's spaces are ignored
    amounts = Interview.objects.filter(batch=batch).values_list(
        "answers__water_paid_amount", flat=True
    )
    assert 12.5 in list(amounts)


def russian_label_rows(round, answers):
    """Headers and choices as Russian labels (a Kobo export with labels, saved by Excel in
    Windows Cyrillic)."""
    checker = version_checker(round.version)
    importable = importing._importable(checker)
    header = [c.question.label.ru for c, _groups in importable]
    lists = {cl.name: cl for cl in round.version.form.lists}

    def label(compiled, name):
        choices = lists[compiled.question.list_name].choices
        return next(c.label.ru for c in choices if c.name == name)

    rows = []
    for answer in answers:
        row = []
        for compiled, _groups in importable:
            value = answer.get(compiled.question.name)
            if value is None:
                row.append("")
            elif compiled.question.type == "select_multiple":
                row.append("; ".join(label(compiled, v) for v in value))
            elif compiled.question.is_select:
                row.append(label(compiled, value))
            else:
                row.append(cell(value))
        rows.append(row)
    return header, rows


def test_cp1251_file_with_russian_labels(round, staff):
    answers = answer_sets(round, 5, seed=5)
    header, rows = russian_label_rows(round, answers)
    data = csv_bytes(header, rows, delimiter=";", encoding="cp1251")
    batch = upload(round, data, staff, "excel.csv")
    assert batch.layout["encoding"] == "cp1251" and batch.layout["encoding_auto"]
    assert batch.mapping["Пол респондента"] == "sex"
    # Two questions share a label in different sections: matched in form order.
    matched = [v for v in batch.mapping.values() if v.endswith("_access")]
    assert matched == ["water_access", "waste_access"]
    batch = import_start(batch=batch, user=staff, background=False)
    assert batch.status == "done", batch.problems[:5]
    stored = [i.answers for i in batch.interviews.order_by("pk")]
    assert stored == answers


def test_cp1252_file(round, staff):
    answers = answer_sets(round, 3, seed=6)
    names, rows = plain_rows(round, answers)
    header = [*names, "Remarque"]
    rows = [[*row, "Très bien, café chaud"] for row in rows]
    data = csv_bytes(header, rows, encoding="cp1252")
    batch = upload(round, data, staff)
    assert batch.layout["encoding"] == "cp1252"
    assert batch.layout["samples"][0][-1] == "Très bien, café chaud"
    assert batch.mapping["Remarque"] == ""  # not a question: left out


def test_the_user_can_override_the_encoding(round, staff):
    answers = answer_sets(round, 2, seed=7)
    header, rows = russian_label_rows(round, answers)
    batch = upload(round, csv_bytes(header, rows, encoding="cp1251"), staff)
    batch = import_settings_set(
        batch=batch, mapping=batch.mapping, key_column="", encoding="cp1252", user=staff
    )
    assert batch.layout["encoding"] == "cp1252" and not batch.layout["encoding_auto"]
    assert "sex" not in batch.mapping.values()  # mojibake headers match nothing
    # UTF-8 chosen for a file that is not UTF-8: a clear refusal, the import as it was.
    with pytest.raises(FileRefused, match="cannot be read as utf-8 text"):
        import_settings_set(
            batch=batch, mapping=batch.mapping, key_column="", encoding="utf-8", user=staff
        )
    batch.refresh_from_db()
    assert batch.layout["encoding"] == "cp1252"


def test_xlsx_with_date_cells_and_several_sheets(round, staff):
    import datetime

    answers = answer_sets(round, 4, seed=8)
    names, rows = plain_rows(round, answers)
    rows = [[*row, datetime.datetime(2026, 5, 7, 14, 30)] for row in rows]
    data = make_xlsx(
        {
            "Notes": [["made by hand"]],
            "Answers": [[*names, "end"], *rows],
            "Old": [names, rows[0][:-1]],
        }
    )
    # The first sheet with rows of answers is read.
    batch = upload(round, data, staff, "answers.xlsx")
    assert batch.layout["format"] == "xlsx" and batch.layout["sheet"] == "Answers"
    assert batch.layout["sheets"] == ["Notes", "Answers", "Old"]
    assert batch.mapping["sex"] == "sex" and batch.mapping["end"] == "@completed"
    with pytest.raises(FileRefused, match="no rows of answers"):
        import_settings_set(batch=batch, mapping=batch.mapping, key_column="", sheet="Notes")
    old = import_settings_set(batch=batch, mapping=batch.mapping, key_column="", sheet="Old")
    assert old.rows_total == 1
    batch = import_settings_set(batch=old, mapping={}, key_column="", sheet="Answers")
    batch = import_start(batch=batch, user=staff, background=False)
    assert (batch.status, batch.added) == ("done", 4), batch.problems
    stored = batch.interviews.order_by("pk").first()
    assert stored.answers == answers[0]
    assert stored.completed_at.isoformat() == "2026-05-07T08:30:00+00:00"  # Bishkek time


def test_the_row_checker_agrees_with_the_form_checker(round):
    checker = version_checker(round.version)
    names = question_names(round)
    row_checker = RowChecker(checker, {n: i for i, n in enumerate(names)})
    answers = answer_sets(round, 40, seed=9)
    answers[0]["household_size"] = 45  # a constraint
    answers[1]["sex"] = "robot"  # not a choice
    answers[2]["consent"] = "no"  # everything else skipped
    answers[3].pop("age_group")  # required
    for answer in answers:
        cells = [cell(answer.get(n)) for n in names]
        clean, problems = checker.clean({n: c for n, c in zip(names, cells, strict=True) if c})
        mine, my_problems = row_checker.check(cells)
        assert mine == clean
        assert [(p[0], p[1]) for p in my_problems] == [(p.question, p.message) for p in problems]


# Keys and duplicates ----------------------------------------------------------------------


def test_a_key_column_identifies_paper_forms(round, staff):
    answers = answer_sets(round, 4, seed=10)
    names, rows = plain_rows(round, answers)
    header = ["Form No.", *names]
    first = csv_bytes(header, [[f"A-{i}", *row] for i, row in enumerate(rows[:3])])
    batch = upload(round, first, staff)
    assert batch.key_column == ""
    batch = import_settings_set(
        batch=batch, mapping=batch.mapping, key_column="Form No.", user=staff
    )
    batch = import_start(batch=batch, user=staff, background=False)
    assert batch.added == 3
    # A later file with form A-2 again (typed in again, even differently) and A-3.
    rows[2][names.index("household_size")] = "7"
    second = csv_bytes(header, [["A-2", *rows[2]], ["A-3", *rows[3]]])
    again = upload(round, second, staff, "more.csv")
    again = import_settings_set(
        batch=again, mapping=again.mapping, key_column="Form No.", user=staff
    )
    again = import_start(batch=again, user=staff, background=False)
    assert (again.added, again.duplicates) == (1, 1)


def test_identical_rows_count_as_one_interview(round, staff):
    answers = answer_sets(round, 2, seed=11)
    names, rows = plain_rows(round, answers)
    batch = imported(round, csv_bytes(names, [rows[0], rows[1], rows[0]]), staff)
    assert (batch.added, batch.duplicates) == (2, 1)


def test_an_enumerator_column_and_times(round, staff, demo_user):
    answers = answer_sets(round, 2, seed=12)
    names, rows = plain_rows(round, answers)
    header = [*names, "enumerator", "start", "end"]
    rows = [
        [*rows[0], "demo-enumerator", "06.05.2026 09:10", "06.05.2026 09:40"],
        [*rows[1], "nobody-here", "2026-05-06 10:00", "yesterday"],
    ]
    batch = upload(round, csv_bytes(header, rows), staff)
    assert batch.mapping["enumerator"] == "@enumerator"
    batch = import_check(batch=batch, user=staff, background=False)
    found = {(p[0], p[1]) for p in batch.problems}
    assert found == {(3, "enumerator"), (3, "end")}
    rows[1][-3:] = ["demo-enumerator", "", ""]
    batch = imported(round, csv_bytes(header, rows), staff, "fixed.csv")
    stored = batch.interviews.order_by("pk").first()
    assert stored.enumerator == demo_user("enumerator")
    assert stored.started_at.isoformat() == "2026-05-06T03:10:00+00:00"


# Bad input: a clear message, and the data as it was --------------------------------------


def refused(round, staff, data, name="bad.csv"):
    before = (Interview.objects.count(), InterviewImport.objects.count())
    with pytest.raises(FileRefused) as error:
        upload(round, data, staff, name)
    assert (Interview.objects.count(), InterviewImport.objects.count()) == before
    return " ".join(error.value.messages)


def test_an_empty_file(round, staff):
    assert "The file is empty" in refused(round, staff, b"")
    assert "empty" in refused(round, staff, b"\r\n\r\n;;;\r\n")


def test_a_header_without_rows(round, staff):
    assert "no rows of answers" in refused(round, staff, b"consent,sex\r\n")


def test_a_file_without_a_header(round, staff):
    answers = answer_sets(round, 2, seed=13)
    _names, rows = plain_rows(round, answers)
    data = csv_bytes([str(uuid.uuid4()), *rows[0][1:]], [rows[1]])
    assert "must hold the column names" in refused(round, staff, data)


def test_a_file_over_the_size_limit(round, staff, settings):
    settings.CRC_IMPORT_MAX_BYTES = 1024 * 1024
    data = b"consent\r\n" + b"yes\r\n" * 220_000
    assert "larger than the limit of 1 MB" in refused(round, staff, data)


def test_not_an_answer_file(round, staff):
    assert "not a CSV file or an Excel workbook" in refused(round, staff, b"%PDF-1.7\n\x00\x01")


def test_a_truncated_xlsx(round, staff):
    data = make_xlsx({"Answers": [["consent", "sex"], ["yes", "female"]]})
    assert "damaged or incomplete" in refused(round, staff, data[: len(data) // 2], "a.xlsx")


def test_a_zip_that_is_not_a_workbook(round, staff):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("content.xml", "<office:document/>")
    assert "not an Excel workbook" in refused(round, staff, buffer.getvalue(), "a.ods")


def ole2(*stream_names):
    """The start of an OLE2 compound file (as an encrypted .xlsx or an old .xls is), with
    the given stream names in its directory."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    directory = b"".join(
        name.encode("utf-16-le").ljust(64, b"\x00") + b"\x00" * 64
        for name in ("Root Entry", *stream_names)
    )
    return header + b"\x00" * 70_000 + directory


def test_a_password_protected_xlsx(round, staff):
    message = refused(round, staff, ole2("EncryptionInfo", "EncryptedPackage"), "secret.xlsx")
    assert "protected with a password" in message and "without the password" in message
    assert "old Excel workbook (.xls)" in refused(round, staff, ole2("Workbook"), "old.xls")


def checked(round, staff, data, name="bad.csv"):
    """Upload and check: returns the problems; nothing is imported."""
    before = Interview.objects.count()
    batch = upload(round, data, staff, name)
    batch = import_check(batch=batch, user=staff, background=False)
    assert batch.problem_count
    batch = import_start(batch=batch, user=staff, background=False)
    assert batch.status == "failed" and "Nothing was imported" in batch.message
    assert Interview.objects.count() == before
    return batch.problems


def test_merged_cells(round, staff):
    import openpyxl

    answers = answer_sets(round, 3, seed=14)
    names, rows = plain_rows(round, answers)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(names)
    for row in rows:
        sheet.append(row)
    sheet.merge_cells("B3:B4")
    buffer = io.BytesIO()
    workbook.save(buffer)
    problems = checked(round, staff, buffer.getvalue(), "merged.xlsx")
    assert problems[0][:3] == [3, "sex", "B3:B4"]
    assert "Merged cells B3:B4" in problems[0][3]


def test_formula_cells(round, staff):
    answers = answer_sets(round, 2, seed=15)
    names, rows = plain_rows(round, answers)
    size = names.index("household_size")
    rows[1][size] = "=2+2"
    data = make_xlsx({"Answers": [names, *rows]})
    problems = checked(round, staff, data, "formula.xlsx")
    letter = importing.column_letter(size)
    assert any(p[0] == 3 and f"Formula cell at {letter}3: type the value" in p[3] for p in problems)


def test_a_row_with_one_field_more_than_the_header(round, staff):
    answers = answer_sets(round, 3, seed=16)
    names, rows = plain_rows(round, answers)
    rows[1] = [*rows[1], "5"]  # an unquoted decimal comma: 12,5
    rows[2] = [*rows[2], ""]  # a trailing comma only: harmless
    problems = checked(round, staff, csv_bytes(names, rows))
    assert [p[0] for p in problems] == [3]
    assert "has 41 values but the header has 40 columns" in problems[0][3]


def test_values_outside_a_choice_list_and_unreadable_numbers_and_dates(round, staff):
    answers = answer_sets(round, 3, seed=17)
    names, rows = plain_rows(round, answers)
    rows[0][names.index("sex")] = "Robot"
    rows[2][names.index("household_size")] = "4,5"
    problems = checked(round, staff, csv_bytes(names, rows))
    assert [2, "sex", "Robot", "“Robot” is not one of the choices of this question"] in problems
    assert [4, "household_size", "4,5", "“4,5” is not a whole number"] in problems


# Formula-looking text ---------------------------------------------------------------------


@pytest.fixture
def remarks_round(round, staff):
    """The demo round on a new version of its questionnaire with a text and a date question."""
    from aimak.surveys.services import question_add, version_draft_create, version_publish

    draft = version_draft_create(questionnaire=round.version.questionnaire, user=staff)
    question_add(
        version=draft,
        name="remarks",
        question_type="text",
        label=Text(ky="Пикирлер", ru="Замечания", en="Remarks"),
    )
    question_add(
        version=draft,
        name="visit_date",
        question_type="date",
        label=Text(ky="Маектин күнү", ru="Дата интервью", en="Date of the interview"),
    )
    draft.refresh_from_db()
    published = version_publish(version=draft, user=staff)
    Round.objects.filter(pk=round.pk).update(version=published)
    return Round.objects.select_related("version", "municipality").get(pk=round.pk)


def test_formula_looking_text_is_stored_as_typed_and_escaped_in_exports(remarks_round, staff):
    round = remarks_round
    answers = answer_sets(round, 4, seed=18)
    texts = ['=HYPERLINK("http://x")', "+7 700 123", "-не знаю", "@all"]
    for answer, text in zip(answers, texts, strict=True):
        answer["remarks"] = text
    names, rows = plain_rows(round, answers)
    batch = imported(round, csv_bytes(names, rows), staff)
    assert batch.status == "done", batch.problems
    stored = sorted(i.answers["remarks"] for i in batch.interviews.all())
    assert stored == sorted(texts)

    export = "".join(importing.interview_export_lines(round=round))
    assert "'=HYPERLINK" in export and "'+7 700 123" in export and "'-не знаю" in export
    assert "'@all" in export
    assert escape_cell("=1+1") == "'=1+1" and escape_cell("1+1") == "1+1"

    # In a problem report too.
    rows[0][names.index("household_size")] = "=A1*2"
    report_batch = upload(round, csv_bytes(names, rows), staff, "again.csv")
    report_batch = import_check(batch=report_batch, user=staff, background=False)
    report = "".join(importing.problem_report_lines(report_batch))
    assert "'=A1*2" in report and ",=A1*2" not in report


def test_dates_in_several_formats(remarks_round, staff):
    import datetime

    round = remarks_round
    answers = answer_sets(round, 6, seed=22)
    names, rows = plain_rows(round, answers)
    column = names.index("visit_date")
    written = [
        "2026-05-31",
        "31.05.2026",
        "31/05/2026",
        "31-05-2026",
        " 2026/05/31 ",
        "2026-05-31T10:15:00.000+06:00",
    ]
    for row, text in zip(rows, written, strict=True):
        row[column] = text
    batch = imported(round, csv_bytes(names, rows), staff)
    assert batch.status == "done", batch.problems
    assert {i.answers["visit_date"] for i in batch.interviews.all()} == {"2026-05-31"}

    # A date cell of a workbook is a date too; a month-first date is refused.
    rows = [row[:] for row in rows[:2]]
    rows[0][column] = datetime.datetime(2026, 5, 30)
    rows[1][column] = "05/30/2026"
    rows[1][names.index("household_size")] = "9"
    problems = checked(round, staff, make_xlsx({"Answers": [names, *rows]}), "dates.xlsx")
    assert [p[:3] for p in problems] == [[3, "visit_date", "05/30/2026"]]


# Background jobs --------------------------------------------------------------------------


def test_a_large_file_is_checked_and_imported_in_the_background(
    round, staff, settings, django_capture_on_commit_callbacks
):
    settings.CRC_IMPORT_BACKGROUND_ROWS = 50
    answers = answer_sets(round, 12, seed=19)
    names, rows = plain_rows(round, answers)
    rows = [[*row, f"P-{i}"] for i, row in enumerate(rows * 5)]  # 60 rows, 60 forms
    batch = upload(round, csv_bytes([*names, "form"], rows), staff)
    batch = import_settings_set(batch=batch, mapping=batch.mapping, key_column="form", user=staff)
    with django_capture_on_commit_callbacks(execute=True):
        batch = import_check(batch=batch, user=staff)
        assert batch.status == "queued" and batch.job == "check"
    batch.refresh_from_db()
    assert (batch.status, batch.rows_done, batch.checked["new"]) == ("mapping", 60, 60)
    with django_capture_on_commit_callbacks(execute=True):
        batch = import_start(batch=batch, user=staff)
        assert batch.status == "queued"
    batch.refresh_from_db()
    assert (batch.status, batch.added) == ("done", 60)
    assert batch.interviews.first().received_by == staff


# The command ------------------------------------------------------------------------------


def test_crc_import_command(round, staff, tmp_path):
    answers = answer_sets(round, 3, seed=20)
    names, rows = plain_rows(round, answers)
    path = tmp_path / "paper.csv"
    path.write_bytes(
        csv_bytes(["No", "Remark", *names], [[f"N{i}", "x", *r] for i, r in enumerate(rows)])
    )
    out = io.StringIO()
    before = Interview.objects.count()
    call_command("crc_import", str(round.pk), str(path), "--key", "No", "--dry-run", stdout=out)
    assert "Dry run: 3 new interviews" in out.getvalue()
    assert Interview.objects.count() == before

    call_command(
        "crc_import",
        str(round.pk),
        str(path),
        "--key",
        "No",
        "--map",
        "Remark=",
        "--user",
        "demo-staff",
        stdout=out,
    )
    assert "3 interviews imported" in out.getvalue()
    assert Interview.objects.count() == before + 3
    out = io.StringIO()
    call_command("crc_import", str(round.pk), str(path), stdout=out)
    assert "0 new interviews" in out.getvalue()

    rows[0][names.index("sex")] = "robot"
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(names, rows))
    out = io.StringIO()
    with pytest.raises(CommandError, match="Problems: 1;"):
        call_command("crc_import", str(round.pk), str(bad), "--dry-run", stdout=out)
    assert "2\tsex\trobot\t" in out.getvalue()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("crc_import", str(round.pk), str(bad), stdout=io.StringIO())
    assert Interview.objects.count() == before + 3


# The API ----------------------------------------------------------------------------------


def bearer(raw):
    """A token, and English messages (the API answers in the Accept-Language)."""
    return {"Authorization": f"Bearer {raw}", "Accept-Language": "en"}


def test_api_upload_map_check_run_and_export(client, round, staff):
    _token, raw = api_token(staff)
    answers = answer_sets(round, 3, seed=21)
    names, rows = plain_rows(round, answers)
    header = ["Номер анкеты", *names[:-1], "Что улучшить"]
    rows = [[f"{i}", *row] for i, row in enumerate(rows)]
    rows[0][-1] = "=cmd|' /C calc'!A0"  # not a choice of waste_priority
    data = csv_bytes(header, rows)
    base = f"/api/v1/rounds/{round.pk}/imports"

    response = client.post(
        base, {"file": File(io.BytesIO(data), name="paper.csv")}, headers=bearer(raw)
    )
    assert response.status_code == 201, response.content
    body = response.json()
    columns = {c["key"]: c for c in body["columns"]}
    assert columns["sex"]["question"] == "sex" and columns["sex"]["matched"] == "name"
    assert columns["Что улучшить"]["question"] == ""
    url = f"{base}/{body['id']}"

    response = client.put(
        f"{url}/mapping",
        {"mapping": {"Что улучшить": "waste_priority"}, "key_column": "Номер анкеты"},
        content_type="application/json",
        headers=bearer(raw),
    )
    assert response.status_code == 200 and response.json()["key_column"] == "Номер анкеты"
    wrong = client.put(
        f"{url}/mapping",
        {"mapping": {"Что улучшить": "no_such_question"}},
        content_type="application/json",
        headers=bearer(raw),
    )
    assert wrong.status_code == 422 and "no_such_question" in wrong.json()["detail"][0]

    checked = client.post(f"{url}/check", headers=bearer(raw))
    assert checked.status_code == 200 and checked.json()["problem_count"] == 1
    refused = client.post(f"{url}/run", headers=bearer(raw))
    assert refused.status_code == 422
    assert refused.json()["problems"][0]["row"] == 2
    problems = client.get(f"{url}/problems", headers=bearer(raw)).json()
    assert problems["count"] == 1 and problems["items"][0]["column"] == "Что улучшить"
    report = client.get(f"{url}/problems.csv", headers=bearer(raw))
    text = b"".join(report.streaming_content).decode("utf-8-sig")
    assert "'=cmd|" in text

    assert client.get(url, headers=bearer(raw)).json()["status"] == "failed"

    # The corrected file, uploaded again and imported without a separate check.
    rows[0][-1] = cell(answers[0].get("waste_priority"))
    data = csv_bytes(header, rows)
    fixed = client.post(
        base, {"file": File(io.BytesIO(data), name="paper.csv")}, headers=bearer(raw)
    ).json()
    url = f"{base}/{fixed['id']}"
    client.put(
        f"{url}/mapping",
        {"mapping": {"Что улучшить": "waste_priority"}, "key_column": "Номер анкеты"},
        content_type="application/json",
        headers=bearer(raw),
    )
    done = client.post(f"{url}/run", headers=bearer(raw))
    assert done.status_code == 200 and done.json()["added"] == 3
    assert client.get(url, headers=bearer(raw)).json()["status"] == "done"
    listed = client.get(base, headers=bearer(raw)).json()
    assert [i["id"] for i in listed] == [fixed["id"], body["id"]]

    again = client.post(
        base, {"file": File(io.BytesIO(data), name="paper.csv")}, headers=bearer(raw)
    )
    assert again.status_code == 409 and again.json()["earlier"] == fixed["id"]
    assert "0 new interviews" in again.json()["detail"][0]

    export = client.get(f"/api/v1/rounds/{round.pk}/interviews.csv", headers=bearer(raw))
    lines = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("consent,sex,") and len(lines) > 3


def test_api_refuses_everyone_but_the_round_managers(
    client, round, staff, demo_user, other_municipality
):
    data = csv_bytes(*plain_rows(round, answer_sets(round, 1)))
    batch = upload(round, data, staff)
    outsider = MembershipFactory(role=Role.STAFF, municipality=other_municipality).user
    base = f"/api/v1/rounds/{round.pk}"
    for user in (outsider, demo_user("enumerator")):
        _token, raw = api_token(user)
        calls = [
            client.get(f"{base}/imports", headers=bearer(raw)),
            client.post(
                f"{base}/imports",
                {"file": File(io.BytesIO(data), name="a.csv")},
                headers=bearer(raw),
            ),
            client.get(f"{base}/imports/{batch.pk}", headers=bearer(raw)),
            client.put(
                f"{base}/imports/{batch.pk}/mapping",
                {"mapping": {}},
                content_type="application/json",
                headers=bearer(raw),
            ),
            client.post(f"{base}/imports/{batch.pk}/check", headers=bearer(raw)),
            client.post(f"{base}/imports/{batch.pk}/run", headers=bearer(raw)),
            client.get(f"{base}/imports/{batch.pk}/problems", headers=bearer(raw)),
            client.get(f"{base}/imports/{batch.pk}/problems.csv", headers=bearer(raw)),
            client.get(f"{base}/interviews.csv", headers=bearer(raw)),
        ]
        assert [r.status_code for r in calls] == [403] * len(calls), user
    assert InterviewImport.objects.get(pk=batch.pk).status == "mapping"
    assert InterviewImport.objects.count() == 1
