"""XLSForm in and out: errors name the sheet, row and problem; export imports back the same."""

import pytest
from django.utils import translation

from aimak.surveys import xlsform
from aimak.surveys.definition import QuestionType
from aimak.surveys.standard import SERVICES, template_definition
from aimak.surveys.xlsform import MAX_UPLOAD_BYTES, XLSFormError, xlsform_read, xlsform_write

from .conftest import make_xlsx

HEADER = ["type", "name", "label::Kyrgyz (ky)", "label::Russian (ru)", "label::English (en)"]


def problems_of(data: bytes, **kwargs) -> list:
    with pytest.raises(XLSFormError) as caught:
        xlsform_read(data, **kwargs)
    return caught.value.problems


def only(problems):
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


# One broken form per kind of problem ---------------------------------------------------


def test_duplicate_names():
    data = make_xlsx(
        {
            "survey": [
                HEADER,
                ["text", "village", "Айыл", "Село", "Village"],
                ["integer", "village", "Жаш", "Возраст", "Age"],
            ]
        }
    )
    problem = only(problems_of(data))
    assert (problem.sheet, problem.row) == ("survey", 3)
    assert "“village” is already used on row 2" in problem.message
    assert str(problem).startswith("Sheet “survey”, row 3: ")


def test_duplicate_names_in_different_groups_are_refused_too():
    # pyxform allows this; answers are stored by name, so Aimak does not.
    data = make_xlsx(
        {
            "survey": [
                HEADER,
                ["begin group", "a", "A", "A", "A"],
                ["text", "q", "Q", "Q", "Q"],
                ["end group"],
                ["begin group", "b", "B", "B", "B"],
                ["text", "q", "Q", "Q", "Q"],
                ["end group"],
            ]
        }
    )
    assert only(problems_of(data)).row == 6


def test_unknown_column():
    data = make_xlsx({"survey": [[*HEADER, "colour "], ["text", "a", "A", "A", "A", "red"]]})
    problem = only(problems_of(data))
    assert (problem.sheet, problem.row) == ("survey", 1)
    assert "“colour” is not an XLSForm column" in problem.message


def test_unsupported_column_is_accepted_only_while_empty():
    ok = make_xlsx(
        {"survey": [[*HEADER, "calculation", "$kuid"], ["text", "a", "A", "A", "A", "", "x1y2"]]}
    )
    assert xlsform_read(ok).definition.names() == ["a"]
    used = make_xlsx({"survey": [[*HEADER, "calculation"], ["text", "a", "A", "A", "A", "1 + 1"]]})
    assert "“calculation” is not supported" in only(problems_of(used)).message


def test_missing_choices_list():
    data = make_xlsx(
        {
            "survey": [HEADER, ["select_one colours", "colour", "Түс", "Цвет", "Colour"]],
            "choices": [["list_name", "name", "label"], ["sizes", "s", "S"]],
        }
    )
    problem = only(problems_of(data))
    assert (problem.sheet, problem.row) == ("survey", 2)
    assert "“colours” is not on the choices sheet" in problem.message


def test_missing_choices_sheet():
    data = make_xlsx({"survey": [HEADER, ["select_one yes_no", "ok", "Ок", "Ок", "OK"]]})
    assert only(problems_of(data)).row == 2


@pytest.mark.parametrize(
    "relevant, expected",
    [
        ("${a} = 'yes", "quotation mark (') is not closed"),
        ("(${a} = 'yes'", "bracket “(” is not closed"),
        ("${a} = 'yes')", "closing bracket “)” has no opening one"),
        ("${a = 'yes'", "reference “${” is not closed"),
        ("${b} = 'yes'", "there is no question called “b”"),
    ],
)
def test_bad_relevant(relevant, expected):
    data = make_xlsx(
        {
            "survey": [
                [*HEADER, "relevant"],
                ["text", "a", "A", "A", "A", ""],
                ["text", "c", "C", "C", "C", relevant],
            ]
        }
    )
    problem = only(problems_of(data))
    assert (problem.sheet, problem.row) == ("survey", 3)
    assert expected in problem.message
    assert "relevant of “c”" in problem.message


def test_not_an_xlsx():
    assert "not an Excel workbook" in only(problems_of(b"type,name\ntext,a\n")).message
    zipped = make_xlsx({"survey": [HEADER]})[:200]  # a truncated workbook
    assert "not an Excel workbook" in only(problems_of(zipped)).message
    assert "old Excel file (.xls)" in only(problems_of(b"\xd0\xcf\x11\xe0" + b"0" * 600)).message


def test_empty_file_and_empty_form():
    assert only(problems_of(b"")).message == "The file is empty."
    problem = only(problems_of(make_xlsx({"survey": [HEADER]})))
    assert problem.sheet == "survey" and "the sheet is empty" in problem.message
    assert "no “survey” sheet" in only(problems_of(make_xlsx({"other": [["x"]]}))).message


def test_too_large():
    problem = only(problems_of(b"PK" + b"0" * MAX_UPLOAD_BYTES))
    assert "larger than 5 MB" in problem.message


def test_group_not_closed_unsupported_type_and_missing_name_all_reported():
    data = make_xlsx(
        {
            "survey": [
                HEADER,
                ["begin group", "g", "G", "G", "G"],
                ["note", "n", "N", "N", "N"],
                ["text", "", "T", "T", "T"],
                ["geopoint", "where", "W", "W", "W"],
            ]
        }
    )
    problems = sorted(problems_of(data), key=lambda p: p.row)
    assert [p.row for p in problems] == [2, 3, 4, 5]
    assert "never closed with “end group”" in problems[0].message
    assert "type “note” is not supported" in problems[1].message
    assert "name is missing" in problems[2].message
    closing = make_xlsx({"survey": [HEADER, ["text", "a", "A", "A", "A"], ["end repeat"]]})
    assert "has no matching “begin” row" in only(problems_of(closing)).message


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_problems_are_written_in_the_users_language(monkeypatch, language):
    """Every message goes through gettext when it is made, so it is in the language of the
    request (the translator fills locale/*.po)."""
    monkeypatch.setattr(xlsform, "_", lambda s: f"[{translation.get_language()}] {s}")
    data = make_xlsx(
        {"survey": [HEADER, ["text", "a", "A", "A", "A"], ["text", "a", "B", "B", "B"]]}
    )
    with translation.override(language):
        problem = only(problems_of(data))
        text = str(problem)
    assert problem.message.startswith(f"[{language}] the name “a” is already used")
    assert text.startswith(f"[{language}] Sheet “survey”, row 3: [{language}]")


# Reading what Kobo and ODK write -------------------------------------------------------


def test_language_columns_by_code_or_by_kobo_name_and_default_language():
    data = make_xlsx(
        {
            "survey": [
                ["type", "name", "label::ky", "label::Russian (ru)", "label", "hint::en"],
                ["select_one yes_no", "ok", "Макулсузбу?", "Согласны?", "Agree?", "Say"],
            ],
            "choices": [
                ["list_name", "name", "label::Кыргызча", "label::ru", "label::English"],
                ["yes_no", "yes", "Ооба", "Да", "Yes"],
                ["yes_no", "no", "Жок", "Нет", "No"],
            ],
            "settings": [
                ["form_title", "form_id", "default_language"],
                ["Kobo form", "kobo_form", "English (en)"],
            ],
        }
    )
    imported = xlsform_read(data)
    question = imported.definition.questions()[0]
    assert (question.label.ky, question.label.ru, question.label.en) == (
        "Макулсузбу?",
        "Согласны?",
        "Agree?",
    )
    assert question.hint.en == "Say"
    assert question.type == QuestionType.YES_NO
    assert imported.definition.list_by_name("yes_no").choices[1].label.ky == "Жок"
    assert imported.title == "Kobo form"


def test_unknown_language_column_with_text_is_refused():
    data = make_xlsx({"survey": [["type", "name", "label::Uzbek (uz)"], ["text", "a", "Savol"]]})
    assert "language Aimak does not keep" in only(problems_of(data)).message


def test_kobo_exports_with_metadata_trailing_cells_and_their_own_yes_no():
    data = make_xlsx(
        {
            "survey": [
                ["type", "name ", "label::English (en)", "required", "appearance"],
                ["start", "start"],
                ["end", "end"],
                ["begin_repeat", "member", "Member", "", ""],
                ["select_one yes_no", "works", "Works?", "TRUE", "minimal", ""],
                ["select_one sat", "happy", "Happy?", "", "likert"],
                ["end_repeat", "", "", "", "", ""],
            ],
            "choices": [
                ["list name", "name", "label::English (en)"],
                ["yes_no", "1", "Yes"],
                ["yes_no", "0", "No"],
                ["sat", "1", "Bad"],
                ["sat", "2", "So-so"],
                ["sat", "3", "Good"],
            ],
        }
    )
    imported = xlsform_read(data)
    assert len(imported.warnings) == 2  # start and end were left out, and said so
    group = imported.definition.items[0]
    assert group.repeat and group.name == "member"
    works, happy = group.items
    assert works.type == QuestionType.SELECT_ONE and works.required
    assert works.list_name == "yes_no_list" and works.appearance == "minimal"
    assert happy.type == QuestionType.RATING and happy.appearance == ""


def test_pyxform_has_the_last_word():
    # A form our own checks let through but pyxform refuses: its message is passed on.
    data = make_xlsx({"survey": [HEADER, ["text", "b", "B"], ["text", "a"]]})
    problem = only(problems_of(data))
    assert "pyxform" in problem.message and "'a' has no label" in problem.message
    assert (problem.sheet, problem.row) == ("survey", 3)


# Out and back in -----------------------------------------------------------------------


@pytest.mark.parametrize("slug", [spec.slug for spec in SERVICES])
def test_every_template_round_trips(slug):
    definition = template_definition(slug)
    data = xlsform_write(definition=definition, title="Report card", form_id="crc", version="1")
    imported = xlsform_read(data)
    assert imported.definition.dump() == definition.dump()
    assert imported.title == "Report card"


@pytest.mark.django_db
def test_the_demo_questionnaire_round_trips(demo_questionnaire):
    version = demo_questionnaire.versions.get()
    data = xlsform_write(definition=version.form, title="x", form_id="x", version="1")
    assert xlsform_read(data).definition.dump() == version.definition


def test_export_uses_kobo_language_columns():
    import io

    import openpyxl

    data = xlsform_write(
        definition=template_definition("solid-waste"), title="T", form_id="t", version="3"
    )
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["survey", "choices", "settings"]
    header = [c.value for c in workbook["survey"][1]]
    assert header[:5] == HEADER
    assert "hint::Russian (ru)" in header and "constraint_message::English (en)" in header
    rows = list(workbook["survey"].iter_rows(min_row=2, values_only=True))
    rating = next(r for r in rows if r[1] == "waste_satisfaction")
    assert rating[0] == "select_one sat5" and rating[-1] == "likert"
    assert [c.value for c in workbook["settings"][2]] == ["T", "t", "3", "Kyrgyz (ky)"]
