import pytest

from tests.factories import api_token

pytestmark = pytest.mark.django_db

PATHS = {
    "/api/v1/learning/courses": {"get"},
    "/api/v1/learning/courses/{slug}": {"get"},
    "/api/v1/learning/courses/{slug}/enroll": {"post"},
    "/api/v1/learning/courses/{slug}/lessons/{position}/complete": {"post"},
    "/api/v1/learning/progress": {"get"},
    "/api/v1/learning/certificates/{code}": {"get"},
}


def test_paths_are_documented(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path, methods in PATHS.items():
        for method in methods:
            operation = schema["paths"][path][method]
            assert operation.get("summary") and operation.get("description")


def test_courses_and_detail(client, course):
    slugs = [c["slug"] for c in client.get("/api/v1/learning/courses").json()]
    assert course.slug in slugs
    detail = client.get(f"/api/v1/learning/courses/{course.slug}").json()
    assert [lesson["position"] for lesson in detail["lessons"]] == [1, 2]
    assert detail["lessons"][0]["video_url"].startswith("https://www.youtube.com/")
    assert client.get("/api/v1/learning/courses/nope").status_code == 404


def test_enrol_complete_progress_and_verify(client, course, learner):
    _token, raw = api_token(user=learner)
    auth = {"Authorization": f"Bearer {raw}"}
    assert client.post(f"/api/v1/learning/courses/{course.slug}/enroll").status_code == 401
    enrolled = client.post(f"/api/v1/learning/courses/{course.slug}/enroll", headers=auth)
    assert enrolled.status_code == 200 and enrolled.json()["percent"] == 0
    one = client.post(
        f"/api/v1/learning/courses/{course.slug}/lessons/1/complete", headers=auth
    ).json()
    assert one["lessons_done"] == 1 and not one["course_completed"]
    two = client.post(
        f"/api/v1/learning/courses/{course.slug}/lessons/2/complete", headers=auth
    ).json()
    assert two["course_completed"] and two["certificate_number"]
    progress = client.get("/api/v1/learning/progress", headers=auth).json()
    assert progress[0]["percent"] == 100
    code = two["certificate_url"].rstrip("/").rsplit("/", 1)[-1]
    check = client.get(f"/api/v1/learning/certificates/{code}", {"lang": "ky"}).json()
    assert check["valid"] and check["course"] == "Сынак курсу"
    assert client.get("/api/v1/learning/certificates/wrong").status_code == 404
