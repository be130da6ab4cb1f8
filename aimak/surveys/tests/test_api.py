"""The questionnaire API: reads for signed-in users and tokens, XLSForm import and export."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aimak.accounts.models import Role
from aimak.surveys.models import Questionnaire
from aimak.surveys.standard import template_definition, template_key
from aimak.surveys.xlsform import xlsform_read
from tests.factories import MembershipFactory, api_token

from .conftest import make_xlsx

pytestmark = pytest.mark.django_db

DEMO = "41703204804000"


def bearer(raw: str) -> dict:
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def staff_token(demo_user):
    return api_token(demo_user("staff"))[1]


def test_reading_needs_an_account(client):
    assert client.get("/api/v1/questionnaires").status_code == 401


def test_templates_and_a_version_with_its_definition(client, staff_token):
    templates = client.get("/api/v1/questionnaires", headers=bearer(staff_token)).json()
    assert len(templates) == 11
    water = next(t for t in templates if t["key"] == template_key("drinking-water"))
    assert water["municipality"] is None and water["services"] == ["drinking-water"]
    detail = client.get(f"/api/v1/questionnaires/{water['id']}", headers=bearer(staff_token)).json()
    assert [v["number"] for v in detail["versions"]] == [1]
    version = client.get(
        f"/api/v1/questionnaires/{water['id']}/versions/1", headers=bearer(staff_token)
    ).json()
    assert version["status"] == "published"
    assert version["definition"] == template_definition("drinking-water").dump()


def test_session_users_read_too_and_drafts_stay_private(
    client, demo_user, draft, other_municipality
):
    client.force_login(demo_user("monitor"))
    listed = client.get(f"/api/v1/questionnaires?municipality={DEMO}").json()
    assert draft.questionnaire.pk in [q["id"] for q in listed]
    outsider = MembershipFactory(role=Role.STAFF, municipality=other_municipality).user
    client.force_login(outsider)
    listed = client.get(f"/api/v1/questionnaires?municipality={DEMO}").json()
    assert draft.questionnaire.pk not in [q["id"] for q in listed]
    assert len(listed) == 1  # the published demo questionnaire
    assert client.get(f"/api/v1/questionnaires/{draft.questionnaire.pk}").status_code == 404


def test_export_imports_back(client, staff_token, demo_questionnaire):
    response = client.get(
        f"/api/v1/questionnaires/{demo_questionnaire.pk}/versions/1/xlsform",
        headers=bearer(staff_token),
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert xlsform_read(response.content).definition.dump() == (
        demo_questionnaire.versions.get().definition
    )


def test_import_by_token(client, staff_token, demo_municipality):
    data = make_xlsx(
        {
            "survey": [
                ["type", "name", "label::ky", "label::ru", "label::en"],
                ["integer", "age", "Жашыңыз", "Возраст", "Age"],
            ],
            "settings": [["form_title"], ["Kobo survey"]],
        }
    )
    response = client.post(
        f"/api/v1/municipalities/{DEMO}/questionnaires/xlsform",
        {"file": SimpleUploadedFile("f.xlsx", data)},
        headers=bearer(staff_token),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["municipality"] == DEMO
    questionnaire = Questionnaire.objects.get(pk=body["id"])
    assert questionnaire.versions.get().is_draft
    assert questionnaire.versions.get().form.questions()[0].label.ky == "Жашыңыз"


def test_import_errors_name_sheet_and_row(client, staff_token):
    data = make_xlsx({"survey": [["type", "name", "label", "wat"], ["text", "a", "A", "x"]]})
    response = client.post(
        f"/api/v1/municipalities/{DEMO}/questionnaires/xlsform",
        {"file": SimpleUploadedFile("f.xlsx", data)},
        headers={**bearer(staff_token), "Accept-Language": "en"},
    )
    assert response.status_code == 422
    problem = response.json()["problems"][0]
    assert (problem["sheet"], problem["row"]) == ("survey", 1)
    assert "“wat” is not an XLSForm column" in problem["message"]


def test_import_into_another_municipality_is_refused(client, staff_token, other_municipality):
    count = Questionnaire.objects.count()
    data = make_xlsx({"survey": [["type", "name", "label"], ["text", "a", "A"]]})
    response = client.post(
        f"/api/v1/municipalities/{other_municipality.code}/questionnaires/xlsform",
        {"file": SimpleUploadedFile("f.xlsx", data)},
        headers=bearer(staff_token),
    )
    assert response.status_code == 403
    assert Questionnaire.objects.count() == count


def test_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/questionnaires",
        "/api/v1/questionnaires/{pk}",
        "/api/v1/questionnaires/{pk}/versions/{number}",
        "/api/v1/questionnaires/{pk}/versions/{number}/xlsform",
        "/api/v1/municipalities/{code}/questionnaires/xlsform",
    ):
        assert path in paths, path
