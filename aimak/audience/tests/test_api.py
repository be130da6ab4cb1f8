import pytest

from aimak.accounts.models import Membership, Role
from aimak.audience.models import FeedbackResponse, FeedbackSurvey
from tests.factories import api_token

from .conftest import answers_for

pytestmark = pytest.mark.django_db


def bearer(raw):
    return {"Authorization": f"Bearer {raw}", "Accept-Language": "en"}


def test_paths_are_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ["/api/v1/audience/indicators", "/api/v1/audience/categories",
                 "/api/v1/audience/surveys", "/api/v1/audience/surveys/{survey_id}/responses"]:  # fmt: skip
        assert path in paths


def test_indicators_are_public(client):
    data = client.get("/api/v1/audience/indicators").json()
    assert data["practices_target"] == 4 and data["issue_articles_target"] == 2
    assert len(data["practices"]) == 12 and len(data["news"]) == 12


def test_category_figures_need_a_dashboard_role(client):
    assert client.get("/api/v1/audience/categories").status_code == 401
    _token, raw = api_token(audience_category="citizen")
    page = client.get("/api/v1/audience/categories", headers=bearer(raw))
    assert page.status_code == 403
    assert page.json()["detail"] == "This page is for the client-base administrator."
    token, raw = api_token()
    Membership.objects.create(user=token.user, role=Role.CLIENTBASE_ADMIN, municipality=None)
    page = client.get(
        "/api/v1/audience/categories", {"since": "2026-01-01", "until": "2026-12-31"},
        headers=bearer(raw),
    )  # fmt: skip
    data = page.json()
    assert page.status_code == 200 and len(data["categories"]) == 8
    assert data["total"]["registered"] == sum(c["registered"] for c in data["categories"])
    bad = client.get("/api/v1/audience/categories", {"since": "2026-02-01", "until": "2026-01-01"},
                     headers=bearer(raw))  # fmt: skip
    assert bad.status_code == 422


def test_list_and_answer_surveys(client, survey, settings):
    FeedbackSurvey.objects.exclude(pk=survey.pk).update(active=False)
    _token, raw = api_token(audience_category="lsg")
    listed = client.get("/api/v1/audience/surveys", headers=bearer(raw)).json()
    assert [s["id"] for s in listed] == [survey.pk] and listed[0]["answered"] is False
    assert [q["kind"] for q in listed[0]["questions"]] == ["rating", "multiple", "choice", "text"]
    path = f"/api/v1/audience/surveys/{survey.pk}/responses"
    forged = client.post(path, {"answers": {**answers_for(survey), "999999": 3}},
                         content_type="application/json", headers=bearer(raw))  # fmt: skip
    assert forged.status_code == 422 and not survey.responses.exists()
    done = client.post(path, {"answers": answers_for(survey)}, content_type="application/json",
                       headers=bearer(raw))  # fmt: skip
    assert done.status_code == 201
    assert FeedbackResponse.objects.get(pk=done.json()["id"]).category == "lsg"
    again = client.post(path, {"answers": answers_for(survey)}, content_type="application/json",
                        headers=bearer(raw))  # fmt: skip
    assert again.status_code == 422
    assert again.json()["detail"] == ["You have already answered this survey. Thank you!"]
    listed = client.get("/api/v1/audience/surveys", headers=bearer(raw)).json()
    assert listed[0]["answered"] is True


def test_api_rate_limit(client, survey, settings):
    settings.AIMAK_RATE_LIMITS = {**settings.AIMAK_RATE_LIMITS, "feedback": "1/h"}
    _token, raw = api_token()
    path = f"/api/v1/audience/surveys/{survey.pk}/responses"
    first = client.post(path, {"answers": {"1": "x"}}, content_type="application/json",
                        headers=bearer(raw))  # fmt: skip
    assert first.status_code == 422
    second = client.post(path, {"answers": answers_for(survey)}, content_type="application/json",
                         headers=bearer(raw))  # fmt: skip
    assert second.status_code == 429 and "Too many attempts" in second.json()["detail"]
    assert not FeedbackResponse.objects.filter(survey=survey).exists()
