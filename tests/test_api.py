"""The REST API at /api/v1/: public reads, token-authenticated writes, JSON errors."""

import datetime

import pytest

from aimak.accounts.models import Role
from aimak.accounts.services import api_token_revoke, membership_grant
from aimak.catalogue.models import ServiceProvision
from aimak.territories.models import Territory
from tests.factories import UserFactory, api_token

pytestmark = pytest.mark.django_db

DEMO = "41703204804000"  # Ак-Коргон
OTHER = "41704210820000"  # Кош-Дөбө
ENDED = "41703204827000"  # Көк-Серек, merged into Ак-Коргон (demo reform)
RAYON = "41703204000000"  # Ала-Бука району


def bearer(raw):
    return {"Authorization": f"Bearer {raw}"}


def token_for(username):
    from aimak.accounts.models import User

    return api_token(User.objects.get(username=username))[1]


def codes(response):
    return [item["code"] for item in response.json()["items"]]


# --- Territories ---------------------------------------------------------------------------


def test_territory_list_is_paginated_and_public(client):
    response = client.get("/api/v1/territories?limit=10")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == Territory.objects.count()
    assert len(body["items"]) == 10
    assert codes(response) == sorted(codes(response))


def test_filter_by_level_and_parent(client):
    response = client.get(f"/api/v1/territories?parent={RAYON}&level=aimak&limit=500")
    expected = set(
        Territory.objects.filter(parent__code=RAYON, level="aimak").values_list("code", flat=True)
    )
    assert set(codes(response)) == expected
    assert DEMO in expected and ENDED in expected
    assert all(item["parent_code"] == RAYON for item in response.json()["items"])

    oblasts = client.get("/api/v1/territories?level=oblast").json()
    assert oblasts["count"] == 7
    assert {item["level"] for item in oblasts["items"]} == {"oblast"}


@pytest.mark.parametrize(
    "query",
    [
        "Кош-Дөбө",
        "кош дөбө",
        "Кош-Добо",
        "Кош-Дебенский",
        "kosh-dobo",
        "Kosh Dobo",
        "KOSHDOBO",
        "41704210820000",
        "04210820",
    ],
)
def test_search_finds_a_unit_by_any_spelling_or_code(client, query):
    response = client.get("/api/v1/territories", {"q": query})
    assert response.status_code == 200
    assert OTHER in codes(response)[:3], (query, codes(response))


def test_search_respects_level_and_parent(client):
    villages = client.get("/api/v1/territories", {"q": "ak-korgon", "level": "village"})
    assert codes(villages) and {i["level"] for i in villages.json()["items"]} == {"village"}

    everywhere = codes(client.get("/api/v1/territories", {"q": "ak", "limit": 500}))
    within = client.get("/api/v1/territories", {"q": "ak", "parent": RAYON, "limit": 500})
    assert codes(within)
    assert len(codes(within)) < len(everywhere)
    assert {i["parent_code"] for i in within.json()["items"]} == {RAYON}


def test_search_with_nothing_found_is_an_empty_page(client):
    assert client.get("/api/v1/territories?q=zzzqqq").json() == {"items": [], "count": 0}


def test_territory_detail_fields(client):
    response = client.get(f"/api/v1/territories/{ENDED}")
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {
        "code",
        "level",
        "kind",
        "parent_code",
        "name_ky",
        "name_ru",
        "name_en",
        "name_en_derived",
        "population",
        "population_year",
        "population_source",
        "valid_from",
        "valid_to",
        "successor_code",
    }
    assert body["code"] == ENDED
    assert body["level"] == "aimak"
    assert body["name_ky"] == "Көк-Серек айыл аймагы"
    assert body["name_ru"] == "Кек-Серекский айылный аймак"
    assert body["name_en"] == "Kok-Serek ayil aimak"
    assert body["name_en_derived"] is True
    assert body["valid_to"] == "2025-06-01"
    assert body["successor_code"] == DEMO
    assert body["parent_code"] == RAYON

    current = client.get(f"/api/v1/territories/{DEMO}").json()
    assert current["valid_to"] is None and current["successor_code"] is None
    assert current["population"] == Territory.objects.get(code=DEMO).population


def test_oblast_english_name_comes_from_a_source(client):
    body = client.get("/api/v1/territories/41702000000000").json()
    assert body["name_en"] == "Issyk-Kul"
    assert body["name_en_derived"] is False
    assert body["parent_code"] is None


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/territories/41799999999999",
        "/api/v1/territories?parent=41799999999999",
        "/api/v1/municipalities/41799999999999/services",
        f"/api/v1/municipalities/{RAYON}/services",
    ],
)
def test_unknown_things_are_404_with_a_json_detail(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


def test_bad_query_parameter_is_422_with_a_json_detail(client):
    response = client.get("/api/v1/territories?level=planet")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "level"]


# --- Services ------------------------------------------------------------------------------


def test_services_catalogue(client):
    body = client.get("/api/v1/services").json()
    slugs = [s["slug"] for s in body]
    assert "drinking-water" in slugs and len(slugs) == len(set(slugs))
    water = next(s for s in body if s["slug"] == "drinking-water")
    assert all(water[f"name_{lang}"] for lang in ("ky", "ru", "en"))


def test_municipality_services(client):
    body = client.get(f"/api/v1/municipalities/{DEMO}/services").json()
    water = next(p for p in body if p["service"] == "drinking-water")
    assert water["provider_type"] == "community"
    assert water["provider_name"] == "СООПВ «Ак-Коргон Суу» (демо)"
    assert water["ended_at"] is None
    assert client.get(f"/api/v1/municipalities/{OTHER}/services").json() == []


# --- Writes --------------------------------------------------------------------------------

PUT_WATER = f"/api/v1/municipalities/{DEMO}/services/drinking-water"
NEW_PROVIDER = {"provider_type": "municipal_enterprise", "provider_name": "МП «Суу»"}


def put(client, url, data, raw=None):
    headers = bearer(raw) if raw else {}
    return client.put(url, data, content_type="application/json", headers=headers)


def test_write_without_token_is_401(client):
    response = put(client, PUT_WATER, NEW_PROVIDER)
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}
    assert client.delete(PUT_WATER).status_code == 401


@pytest.mark.parametrize("header", ["Bearer aimak_not-a-real-token", "Token abc", "Bearer "])
def test_write_with_a_bad_token_is_401(client, header):
    response = client.put(
        PUT_WATER, NEW_PROVIDER, content_type="application/json", headers={"Authorization": header}
    )
    assert response.status_code == 401


def test_write_with_a_revoked_token_is_401(client, demo_user):
    token, raw = api_token(demo_user("staff"))
    assert put(client, PUT_WATER, NEW_PROVIDER, raw).status_code == 200
    api_token_revoke(token=token)
    response = put(client, PUT_WATER, {"provider_type": "lsg"}, raw)
    assert response.status_code == 401
    assert response.json()["detail"]


def test_write_with_the_token_of_a_deactivated_user_is_401(client):
    user = UserFactory()
    membership_grant(user=user, role=Role.STAFF, municipality=Territory.objects.get(code=DEMO))
    _token, raw = api_token(user)
    user.is_active = False
    user.save()
    assert put(client, PUT_WATER, NEW_PROVIDER, raw).status_code == 401


def test_write_for_another_municipality_is_403_and_changes_nothing(client):
    before = ServiceProvision.objects.count()
    raw = token_for("demo-staff")
    response = put(
        client, f"/api/v1/municipalities/{OTHER}/services/drinking-water", NEW_PROVIDER, raw
    )
    assert response.status_code == 403
    assert "Кош-Д" in response.json()["detail"]
    assert ServiceProvision.objects.count() == before


@pytest.mark.parametrize("who", ["deputy", "monitor", "facilitator", "programme"])
def test_other_roles_may_not_write_providers(client, who):
    response = put(client, PUT_WATER, NEW_PROVIDER, token_for(f"demo-{who}"))
    assert response.status_code == 403
    assert response.json()["detail"]


def test_staff_records_a_provider_and_it_is_visible_afterwards(client, demo_user):
    raw = token_for("demo-staff")
    response = put(client, PUT_WATER, NEW_PROVIDER, raw)
    assert response.status_code == 200
    assert response.json()["provider_name"] == "МП «Суу»"
    assert response.json()["service"] == "drinking-water"

    listed = client.get(f"/api/v1/municipalities/{DEMO}/services").json()
    water = next(p for p in listed if p["service"] == "drinking-water")
    assert water["provider_name"] == "МП «Суу»"
    # The old record is ended, not deleted, and the change is attributed to the staffer.
    everything = client.get(f"/api/v1/municipalities/{DEMO}/services?include_ended=true").json()
    old = [p for p in everything if p["service"] == "drinking-water" and p["ended_at"]]
    assert [p["provider_name"] for p in old] == ["СООПВ «Ак-Коргон Суу» (демо)"]
    new = ServiceProvision.objects.get(
        municipality__code=DEMO, service__slug="drinking-water", ended_at__isnull=True
    )
    assert new.created_by == demo_user("staff")
    assert new.history.get().history_user == demo_user("staff")


def test_staff_ends_a_provision_and_it_is_kept(client):
    raw = token_for("demo-staff")
    response = client.delete(PUT_WATER, headers=bearer(raw))
    assert response.status_code == 200
    assert response.json()["ended_at"]
    listed = client.get(f"/api/v1/municipalities/{DEMO}/services").json()
    assert "drinking-water" not in [p["service"] for p in listed]
    assert ServiceProvision.objects.filter(
        municipality__code=DEMO, service__slug="drinking-water"
    ).exists()
    # Nothing left to end.
    assert client.delete(PUT_WATER, headers=bearer(raw)).status_code == 404


def test_invalid_body_is_422_and_changes_nothing(client):
    before = ServiceProvision.objects.count()
    response = put(client, PUT_WATER, {"provider_type": "alien"}, token_for("demo-staff"))
    assert response.status_code == 422
    assert response.json()["detail"]
    assert ServiceProvision.objects.count() == before


def test_unknown_service_is_404(client):
    response = put(
        client,
        f"/api/v1/municipalities/{DEMO}/services/space-travel",
        NEW_PROVIDER,
        token_for("demo-staff"),
    )
    assert response.status_code == 404


# --- Population through the API ------------------------------------------------------------

POPULATION = {"population": 15_250, "year": 2025, "source": "Household register 2025"}


def test_monitor_sets_population_of_own_municipality(client):
    response = put(
        client, f"/api/v1/territories/{DEMO}/population", POPULATION, token_for("demo-monitor")
    )
    assert response.status_code == 200
    assert response.json()["population"] == 15_250
    body = client.get(f"/api/v1/territories/{DEMO}").json()
    assert (body["population"], body["population_year"], body["population_source"]) == (
        15_250,
        2025,
        "Household register 2025",
    )


@pytest.mark.parametrize(
    "who, code", [("monitor", OTHER), ("staff", OTHER), ("deputy", DEMO), ("expert", DEMO)]
)
def test_population_of_others_is_403(client, who, code):
    before = Territory.objects.get(code=code).population
    response = put(
        client, f"/api/v1/territories/{code}/population", POPULATION, token_for(f"demo-{who}")
    )
    assert response.status_code == 403
    assert response.json()["detail"]
    assert Territory.objects.get(code=code).population == before


@pytest.mark.parametrize(
    "change",
    [
        {"population": -5},
        {"population": 50_000_000},
        {"year": 1900},
        {"source": ""},
        {"year": "next"},
    ],
)
def test_population_rejects_bad_values(client, change):
    data = {**POPULATION, **change}
    response = put(
        client, f"/api/v1/territories/{DEMO}/population", data, token_for("demo-monitor")
    )
    assert response.status_code == 422
    assert response.json()["detail"]


def test_population_year_cannot_be_in_the_future(client):
    next_year = datetime.date.today().year + 1
    before = Territory.objects.get(code=DEMO).population_year
    response = put(
        client,
        f"/api/v1/territories/{DEMO}/population",
        {**POPULATION, "year": next_year},
        token_for("demo-monitor"),
    )
    assert response.status_code == 422
    assert Territory.objects.get(code=DEMO).population_year == before


# --- The OpenAPI document ------------------------------------------------------------------


def test_openapi_lists_every_path_and_the_bearer_scheme(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert set(spec["paths"]) == {
        "/api/v1/territories",
        "/api/v1/territories/{code}",
        "/api/v1/territories/{code}/population",
        "/api/v1/services",
        "/api/v1/municipalities/{code}/services",
        "/api/v1/municipalities/{code}/services/{slug}",
        "/api/v1/questionnaires",
        "/api/v1/questionnaires/{pk}",
        "/api/v1/questionnaires/{pk}/versions/{number}",
        "/api/v1/questionnaires/{pk}/versions/{number}/xlsform",
        "/api/v1/municipalities/{code}/questionnaires/xlsform",
        "/api/v1/municipalities/{code}/rounds",
        "/api/v1/rounds/{pk}",
        "/api/v1/rounds/{pk}/status",
        "/api/v1/rounds/{pk}/form",
        "/api/v1/rounds/{pk}/interviews",
        "/api/v1/rounds/{pk}/progress",
        "/api/v1/rounds/{pk}/results",
        "/api/v1/rounds/{pk}/change",
        "/api/v1/rounds/{pk}/open-data.csv",
        "/api/v1/rounds/{pk}/open-data.xlsx",
        "/api/v1/municipalities/{code}/population-structure",
        "/api/v1/rounds/{pk}/imports",
        "/api/v1/rounds/{pk}/imports/{import_id}",
        "/api/v1/rounds/{pk}/imports/{import_id}/mapping",
        "/api/v1/rounds/{pk}/imports/{import_id}/check",
        "/api/v1/rounds/{pk}/imports/{import_id}/run",
        "/api/v1/rounds/{pk}/imports/{import_id}/problems",
        "/api/v1/rounds/{pk}/imports/{import_id}/problems.csv",
        "/api/v1/rounds/{pk}/interviews.csv",
        "/api/v1/rounds/{pk}/reports",
        "/api/v1/reports/{pk}",
        "/api/v1/reports/{pk}/file",
        "/api/v1/legal-acts",
        "/api/v1/legal-acts/{key}",
        "/api/v1/action-statuses",
        "/api/v1/action-statuses/{key}",
        "/api/v1/actions/{pk}/milestones",
        "/api/v1/actions/{pk}/status",
        "/api/v1/actions/{pk}/verifications",
        "/api/v1/events",
        "/api/v1/events/{pk}",
        "/api/v1/events/{pk}/attendance/{code}",
        "/api/v1/events/{pk}/check-in",
        "/api/v1/events/{pk}/registrations",
        "/api/v1/experts",
        "/api/v1/experts/{slug}",
        "/api/v1/inclusion/indicators",
        "/api/v1/inclusion/indicators/hearings",
        "/api/v1/inclusion/indicators/mobilisation",
        "/api/v1/inclusion/indicators/policies",
        "/api/v1/magazine/issues",
        "/api/v1/magazine/issues/{number}",
        "/api/v1/municipalities/{code}/budgets",
        "/api/v1/municipalities/{code}/budgets/{pk}",
        "/api/v1/municipalities/{code}/budgets/{pk}/tags",
        "/api/v1/municipalities/{code}/inclusion",
        "/api/v1/municipalities/{code}/recommendations",
        "/api/v1/municipalities/{code}/resolutions",
        "/api/v1/news",
        "/api/v1/news/{slug}",
        "/api/v1/notifications",
        "/api/v1/notifications/read-all",
        "/api/v1/notifications/settings",
        "/api/v1/notifications/{notification_id}/read",
        "/api/v1/practice-themes",
        "/api/v1/practices",
        "/api/v1/practices/{slug}",
        "/api/v1/recommendations/{pk}",
        "/api/v1/recommendations/{pk}/actions",
        "/api/v1/resolutions",
        "/api/v1/resolutions/{pk}",
        "/api/v1/audience/categories",
        "/api/v1/audience/indicators",
        "/api/v1/audience/surveys",
        "/api/v1/audience/surveys/{survey_id}/responses",
        "/api/v1/communities",
        "/api/v1/communities/posts/{pk}/reports",
        "/api/v1/communities/threads/{pk}/posts",
        "/api/v1/communities/{slug}/threads",
        "/api/v1/contests",
        "/api/v1/contests/{slug}",
        "/api/v1/contests/{slug}/my-application",
        "/api/v1/contests/{slug}/results",
        "/api/v1/contests/{slug}/vote",
        "/api/v1/learning/certificates/{code}",
        "/api/v1/learning/courses",
        "/api/v1/learning/courses/{slug}",
        "/api/v1/learning/courses/{slug}/enroll",
        "/api/v1/learning/courses/{slug}/lessons/{position}/complete",
        "/api/v1/learning/progress",
        "/api/v1/mentoring/offers",
        "/api/v1/mentoring/pairings",
        "/api/v1/mentoring/requests",
        "/api/v1/questions",
        "/api/v1/questions/monthly-share",
        "/api/v1/questions/{pk}",
        "/api/v1/questions/{pk}/answers",
        "/api/v1/questions/{pk}/rating",
    }
    schemes = spec["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"} in schemes.values()
    scheme_name = next(iter(schemes))
    writes = [
        spec["paths"]["/api/v1/territories/{code}/population"]["put"],
        spec["paths"]["/api/v1/municipalities/{code}/services/{slug}"]["put"],
        spec["paths"]["/api/v1/municipalities/{code}/services/{slug}"]["delete"],
        spec["paths"]["/api/v1/municipalities/{code}/rounds"]["post"],
        spec["paths"]["/api/v1/rounds/{pk}/status"]["post"],
        spec["paths"]["/api/v1/questions"]["post"],
        spec["paths"]["/api/v1/contests/{slug}/vote"]["post"],
        spec["paths"]["/api/v1/communities/threads/{pk}/posts"]["post"],
        spec["paths"]["/api/v1/learning/courses/{slug}/enroll"]["post"],
        spec["paths"]["/api/v1/mentoring/requests"]["post"],
        spec["paths"]["/api/v1/audience/surveys/{survey_id}/responses"]["post"],
    ]
    for operation in writes:
        assert operation["security"] == [{scheme_name: []}]
    reads = spec["paths"]["/api/v1/territories"]["get"]
    assert "security" not in reads
    assert client.get("/api/v1/docs").status_code == 200


# --- Tokens made on the profile page -------------------------------------------------------


def test_token_from_the_profile_page_works_until_revoked(client, demo_user):
    from aimak.accounts.models import ApiToken

    staff = demo_user("staff")
    client.force_login(staff)
    response = client.post("/ky/accounts/profile/tokens/", {"name": "import script"}, follow=True)
    raw = response.context["new_token"]
    assert raw.startswith("aimak_") and raw in response.content.decode()
    # Shown once: the next visit no longer shows it, and only its hash is stored.
    assert raw not in client.get("/ky/accounts/profile/").content.decode()
    token = ApiToken.objects.get(user=staff, name="import script")
    assert token.digest != raw and raw not in token.digest

    assert put(client, PUT_WATER, NEW_PROVIDER, raw).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None

    # Someone else cannot revoke it.
    client.force_login(demo_user("monitor"))
    assert client.post(f"/ky/accounts/profile/tokens/{token.pk}/revoke/").status_code == 404
    assert put(client, PUT_WATER, {"provider_type": "lsg"}, raw).status_code == 200

    client.force_login(staff)
    client.post(f"/ky/accounts/profile/tokens/{token.pk}/revoke/")
    assert put(client, PUT_WATER, {"provider_type": "private"}, raw).status_code == 401
