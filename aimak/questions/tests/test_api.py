import pytest

from aimak.questions.models import Answer, Question
from aimak.questions.services import answer_add, question_route
from tests.factories import api_token

from .conftest import at

pytestmark = pytest.mark.django_db

PATHS = {
    "/api/v1/questions": {"get", "post"},
    "/api/v1/questions/monthly-share": {"get"},
    "/api/v1/questions/{pk}": {"get"},
    "/api/v1/questions/{pk}/answers": {"post"},
    "/api/v1/questions/{pk}/rating": {"post"},
}


def bearer(user):
    _token, raw = api_token(user=user)
    return {"Authorization": f"Bearer {raw}"}


def test_paths_are_in_the_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path, methods in PATHS.items():
        assert path in schema["paths"], path
        for method in methods:
            operation = schema["paths"][path][method]
            assert operation.get("summary") and operation.get("description")


def test_ask_answer_rate_through_the_api(client, asker, admin, expert, other_expert):
    headers = bearer(asker)
    response = client.post(
        "/api/v1/questions",
        {"theme": "pastures", "title": "Как распределяются пастбища между сёлами?",
         "body": "<img src=x onerror=alert(1)>Детали", "visibility": "private"},
        content_type="application/json", headers=headers,
    )  # fmt: skip
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["clock"] == "running" and data["status"] == "new"
    assert "onerror" not in data["body"]
    pk = data["id"]
    question = Question.objects.get(pk=pk)
    question_route(question=question, by=admin, expert=expert)
    # Another expert, and the asker, may not answer.
    for user in (other_expert.user, asker):
        response = client.post(
            f"/api/v1/questions/{pk}/answers", {"body": "Чужой ответ"},
            content_type="application/json", headers=bearer(user),
        )  # fmt: skip
        assert response.status_code in (403, 404)
    assert not Answer.objects.filter(question_id=pk).exists()
    response = client.post(
        f"/api/v1/questions/{pk}/answers", {"body": "Ответ эксперта"},
        content_type="application/json", headers=bearer(expert.user),
    )  # fmt: skip
    assert response.status_code == 201 and response.json()["expert"] == expert.slug
    # Private: anonymous 404, the asker sees it with the answer.
    assert client.get(f"/api/v1/questions/{pk}").status_code == 404
    mine = client.get(f"/api/v1/questions/{pk}", headers=headers).json()
    assert mine["clock"] == "in_time" and mine["answers"][0]["body"] == "<p>Ответ эксперта</p>"
    # Only the asker rates.
    response = client.post(
        f"/api/v1/questions/{pk}/rating", {"rating": 2},
        content_type="application/json", headers=bearer(admin),
    )  # fmt: skip
    assert response.status_code == 403
    response = client.post(
        f"/api/v1/questions/{pk}/rating", {"rating": 5, "comment": "Спасибо"},
        content_type="application/json", headers=headers,
    )  # fmt: skip
    assert response.status_code == 200 and response.json()["rating"] == 5
    bad = client.post(
        f"/api/v1/questions/{pk}/rating", {"rating": 9},
        content_type="application/json", headers=headers,
    )  # fmt: skip
    assert bad.status_code == 422


def test_writes_need_a_token(client):
    response = client.post(
        "/api/v1/questions", {"theme": "pastures", "title": "Вопрос без токена совсем"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 401


def test_ask_rate_limited_429(client, asker, settings):
    settings.AIMAK_RATE_LIMITS = {**settings.AIMAK_RATE_LIMITS, "question": "1/h"}
    headers = bearer(asker)
    body = {"theme": "waste", "title": "Когда вывозят мусор в нашем селе?"}
    first = client.post("/api/v1/questions", body, content_type="application/json", headers=headers)
    second = client.post(
        "/api/v1/questions", body, content_type="application/json", headers=headers
    )
    assert (first.status_code, second.status_code) == (201, 429)
    assert Question.objects.filter(author=asker).count() == 1


def test_list_search_and_monthly_share(client, make_question, admin):
    q = make_question(title="Можно ли платить налог на землю частями?")
    answer_add(question=q, by=admin, body="Да, по графику.")
    found = client.get("/api/v1/questions", {"q": "налог частями"}).json()
    assert [item["id"] for item in found["items"]] == [q.pk]
    unanswered = make_question(title="Вопрос без ответа про налог частями")
    found = client.get("/api/v1/questions", {"q": "налог частями"}).json()
    assert unanswered.pk not in [item["id"] for item in found["items"]]
    make_question(at=at(2019, 1, 5))
    rows = client.get("/api/v1/questions/monthly-share", {"months": 3}).json()
    assert len(rows) == 3 and set(rows[0]) == {"month", "asked", "answered_in_time", "share"}
