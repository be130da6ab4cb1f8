import io

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    """Messages raised outside a request in English; pages use their URL's language."""
    with translation.override("en"):
        yield


def make_xlsx(sheets: dict[str, list[list]]) -> bytes:
    """An .xlsx workbook with the given sheets and rows, made in memory."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def demo_questionnaire(db):
    from aimak.surveys.models import Questionnaire

    return Questionnaire.objects.get(key="demo:crc:41703204804000")


@pytest.fixture
def draft(demo_municipality, demo_user):
    """A fresh draft for the demo municipality on drinking water and solid waste."""
    from aimak.catalogue.models import Service
    from aimak.surveys.services import questionnaire_create_from_templates

    questionnaire = questionnaire_create_from_templates(
        municipality=demo_municipality,
        services=Service.objects.filter(slug__in=["drinking-water", "solid-waste"]),
        user=demo_user("staff"),
    )
    return questionnaire.versions.get(number=1)
