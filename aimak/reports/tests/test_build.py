"""Every kind of report, made for the demo round in Kyrgyz and Russian, opens in the program
a reader would use and says what it should, in the language asked."""

import io

import pytest
from django.utils import translation

from aimak.reports.content import Facts, Scorecard, ScoreRow
from aimak.reports.models import ReportStatus
from aimak.reports.pdf import scorecard_pdf
from aimak.results.compute import Estimate

pytestmark = pytest.mark.django_db

MUNICIPALITY = {"ky": "Ак-Коргон айыл аймагы", "ru": "Ак-Коргонский айылный аймак"}
METHOD = {"ky": "Методика", "ru": "Методика"}
WATER = {"ky": "Ичүүчү суу менен камсыздоо", "ru": "Питьевое водоснабжение"}


def pdf_text(data: bytes) -> tuple[int, str, set[str]]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    return len(reader.pages), text, fonts


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_analytical_pdf_is_in_the_language_with_the_font_embedded(
    make_report, demo_round, language
):
    report = make_report(demo_round, "analytical_pdf", language)
    assert report.status == ReportStatus.DONE, report.get_error_display()
    data = report.file.read()
    assert data.startswith(b"%PDF")
    pages, text, fonts = pdf_text(data)
    assert pages > 5
    assert MUNICIPALITY[language] in text
    assert WATER[language] in text
    assert METHOD[language] in text
    assert "Wilson" in text and "Kish" in text and "Newcombe" in text
    assert any("DejaVuSans" in f for f in fonts), fonts
    assert report.progress == 100 and report.size == len(data)
    assert report.interviews == 120


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_analytical_docx_has_the_headings_and_tables(make_report, demo_round, language):
    import docx

    report = make_report(demo_round, "analytical_docx", language)
    assert report.status == ReportStatus.DONE, report.get_error_display()
    document = docx.Document(io.BytesIO(report.file.read()))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert METHOD[language] in headings
    assert WATER[language] in headings
    assert len(document.tables) > 10
    assert len(document.inline_shapes) == 4  # two charts per service
    assert document.core_properties.language.startswith(language)


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_scorecard_is_one_page(make_report, demo_round, language):
    report = make_report(demo_round, "scorecard_pdf", language)
    assert report.status == ReportStatus.DONE, report.get_error_display()
    pages, text, _fonts = pdf_text(report.file.read())
    assert pages == 1
    assert MUNICIPALITY[language] in text
    assert WATER[language] in text
    assert "%" in text


def test_scorecard_of_eleven_services_still_fits_one_page():
    from django.utils import timezone

    facts = Facts(
        round_id=1,
        municipality="Ак-Коргон айыл аймагы",
        start=timezone.localdate(),
        end=timezone.localdate(),
        status="closed",
        preliminary=False,
        questionnaire="",
        version=1,
        plan=None,
        language="ky",
        previous_start=None,
        previous_end=None,
        generated_at=timezone.now(),
    )
    rows = [
        ScoreRow(
            service=f"Кызмат көрсөтүү {i}: өтө узун аталыш, ң ө ү",
            satisfied=Estimate(55, 45, 65, flags=("small_base",)),
            base=25,
            change=None,
            priority="Жаңы көчөлөрдү жана үйлөрдү суу түтүгүнө туташтыруу " * 2,
            priority_share=22,
        )
        for i in range(11)
    ]
    card = Scorecard("Баа", "Карточка", 400, rows, "", "Методика " * 40, facts)
    with translation.override("ky"):
        pages, text, _fonts = pdf_text(scorecard_pdf(card))
    assert pages == 1
    assert "Кызмат көрсөтүү 10" in text


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_tables_xlsx_has_a_sheet_per_table(make_report, demo_round, language):
    from openpyxl import load_workbook

    from aimak.reports.build import report_data
    from aimak.reports.content import analytical_document
    from aimak.reports.selectors import previous_round

    report = make_report(demo_round, "tables_xlsx", language)
    assert report.status == ReportStatus.DONE, report.get_error_display()
    workbook = load_workbook(io.BytesIO(report.file.read()), read_only=True)
    with translation.override(language):
        data = report_data(
            round=demo_round, previous=previous_round(round=demo_round), language=language
        )
        tables = analytical_document(data.results, data.changes, data.facts).tables
    # About the report, one sheet per table, and every estimate (the open-data table).
    assert len(workbook.sheetnames) == len(tables) + 2
    first = workbook[workbook.sheetnames[1]]
    rows = list(first.iter_rows(values_only=True))
    assert WATER[language] in rows[0][0]
    assert isinstance(rows[2][1], float)  # numbers stay numbers
    estimates = list(workbook[workbook.sheetnames[-1]].iter_rows(values_only=True))
    assert estimates[0][:3] == ("round", "municipality", "service")
    assert len(estimates) > 500
