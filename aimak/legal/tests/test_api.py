import pytest

from aimak.legal.models import LegalAct

pytestmark = pytest.mark.django_db


def test_search_with_q_is_ranked_with_snippets(client):
    data = client.get("/api/v1/legal-acts", {"q": "бюджета"}).json()
    assert data["count"] >= 2
    keys = [item["key"] for item in data["items"]]
    assert "kr-budget-code-2016-59" in keys
    item = data["items"][0]
    assert "<mark>" in item["snippet"]
    ranks = [i["rank"] for i in data["items"]]
    assert ranks == sorted(ranks, reverse=True)


def test_filters_and_paging(client):
    data = client.get(
        "/api/v1/legal-acts", {"type": "council_resolution", "limit": 2, "offset": 0}
    ).json()
    assert data["count"] == 4 and len(data["items"]) == 2
    assert all(i["act_type"] == "council_resolution" for i in data["items"])
    data = client.get("/api/v1/legal-acts", {"body": "min-bulak-ayil-kenesh", "year": 2019}).json()
    assert [i["key"] for i in data["items"]] == ["kg-local-minbulak-2019-2-1"]
    kyrgyz = client.get("/api/v1/legal-acts", {"q": "жергиликтуу оз алдынча"}).json()
    assert kyrgyz["count"] >= 5


def test_bad_filters_are_rejected(client):
    assert client.get("/api/v1/legal-acts", {"type": "letter"}).status_code == 422
    assert client.get("/api/v1/legal-acts", {"body": "nobody"}).status_code == 404


def test_one_act_with_links_in_both_directions(client):
    act = LegalAct.objects.get(key="kr-law-2011-101")
    data = client.get(f"/api/v1/legal-acts/{act.key}").json()
    assert data["partial"] is True and data["source_url"]
    assert data["text_ru"] and data["status"] == "lapsed"
    kinds = {(link["kind"], link["direction"]) for link in data["links"]}
    assert ("replaced_by", "out") in kinds and ("amends", "in") in kinds
    assert data["body"]["slug"] == "jogorku-kenesh"
    assert client.get("/api/v1/legal-acts/no-such-act").status_code == 404


def test_in_the_openapi_schema(client):
    spec = client.get("/api/v1/openapi.json").json()
    params = {p["name"] for p in spec["paths"]["/api/v1/legal-acts"]["get"]["parameters"]}
    assert {"q", "type", "body", "year", "status", "limit", "offset"} <= params


def test_a_capped_count_says_there_are_more(client, monkeypatch):
    monkeypatch.setattr("aimak.legal.selectors.COUNT_CAP", 3)
    data = client.get("/api/v1/legal-acts", {"q": "закон", "limit": 2}).json()
    assert data["count"] == 4 and data["more"] is True and len(data["items"]) == 2
    data = client.get("/api/v1/legal-acts", {"q": "закон", "limit": 2, "offset": 2}).json()
    assert len(data["items"]) == 2
    listing = client.get("/api/v1/legal-acts").json()
    assert listing["count"] == 39 and listing["more"] is False


def test_the_capped_count_is_in_the_openapi_schema(client):
    spec = client.get("/api/v1/openapi.json").json()
    ok = spec["paths"]["/api/v1/legal-acts"]["get"]["responses"]["200"]
    ref = ok["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    properties = spec["components"]["schemas"][ref]["properties"]
    assert {"items", "count", "more"} <= set(properties)
    assert spec["paths"]["/api/v1/legal-acts/{key}"]["get"]["summary"]
