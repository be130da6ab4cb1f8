import pytest
from django.db import connection

from aimak.legal.models import LegalAct

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/ky/legal-acts/",
        "/ru/legal-acts/?q=бюджета",
        "/en/legal-acts/?q=жергиликтуу&type=law&status=in_force&year=2013",
        "/ru/legal-acts/?type=nonsense&year=abc&body=nobody",  # bad filters are ignored
        "/ru/legal-acts/?page=2",
    ],
)
def test_search_page_opens(client, url):
    response = client.get(url)
    assert response.status_code == 200


def test_search_page_highlights_and_counts(client):
    response = client.get("/ru/legal-acts/", {"q": "бюджета"})
    html = response.content.decode()
    assert "<mark>" in html and "Бюджетный кодекс" in html
    assert response.context["page"].paginator.count >= 2


def test_the_query_is_escaped_on_the_page(client):
    response = client.get("/ru/legal-acts/", {"q": "<script>бюджет</script>"})
    html = response.content.decode()
    assert "<script>бюджет" not in html and "&lt;script&gt;" in html


def test_search_page_query_count(client, django_assert_num_queries, django_assert_max_num_queries):
    # content version, bodies (form), years (form), count, the page of acts with bodies;
    # on PostgreSQL the page is read tier by tier (title, text, similar: at most three
    # queries of ids, docs/legal-search.md), then the page's acts in one query.
    if connection.vendor == "postgresql":
        with django_assert_max_num_queries(8):
            client.get("/ru/legal-acts/", {"q": "бюджета", "year": "2016"})
    else:
        with django_assert_num_queries(5):
            client.get("/ru/legal-acts/", {"q": "бюджета", "year": "2016"})
    with django_assert_num_queries(5):
        client.get("/ky/legal-acts/")


def test_act_page_in_page_language_or_the_other_one_marked(client):
    code = LegalAct.objects.get(key="kr-budget-code-2016-59")
    ky = client.get(f"/ky/legal-acts/{code.key}/").content.decode()
    assert 'class="act-text" lang="ky"' in ky
    ru = client.get(f"/ru/legal-acts/{code.key}/").content.decode()
    assert 'class="act-text" lang="ru"' in ru
    ky_only = LegalAct.objects.get(key="kr-law-2008-65")
    response = client.get(f"/ru/legal-acts/{ky_only.key}/")
    assert 'class="act-text" lang="ky"' in response.content.decode()
    assert response.context["text_in_other_language"]


def test_act_page_partial_notice_links_and_status(client):
    old = LegalAct.objects.get(key="kr-law-2011-101")
    response = client.get(f"/en/legal-acts/{old.key}/")
    html = response.content.decode()
    assert "Partial text" in html and old.source_url in html
    assert "status-lapsed" in html
    new = LegalAct.objects.get(key="kr-law-2021-123")
    assert f"/en/legal-acts/{new.key}/" in html  # replaced by
    amending = LegalAct.objects.get(key="kr-law-2012-149")
    assert f"/en/legal-acts/{amending.key}/" in html  # amended by (the other direction)
    back = client.get(f"/en/legal-acts/{new.key}/").content.decode()
    assert f"/en/legal-acts/{old.key}/" in back


def test_act_page_query_count(client, django_assert_num_queries):
    act = LegalAct.objects.get(key="kr-law-2011-101")
    # content version, act with body, links out, links in, attachments
    with django_assert_num_queries(5):
        client.get(f"/ru/legal-acts/{act.key}/")


def test_unknown_act_is_404(client):
    assert client.get("/ru/legal-acts/no-such-act/").status_code == 404


def test_pages_are_cached_for_anonymous_visitors(client, django_assert_num_queries):
    client.get("/ru/legal-acts/?q=закон")
    with django_assert_num_queries(1):  # the content version only
        client.get("/ru/legal-acts/?q=закон")


def test_main_nav_links_to_legal_acts(client):
    assert 'href="/ky/legal-acts/"' in client.get("/ky/").content.decode()


def test_a_capped_count_asks_to_narrow_the_search(client, monkeypatch):
    monkeypatch.setattr("aimak.legal.selectors.COUNT_CAP", 3)
    response = client.get("/en/legal-acts/", {"q": "закон"})
    html = response.content.decode()
    assert "More than 3 acts found" in html and "add a word or a filter" in html
    assert len(response.context["hits"]) == 4
    assert response.context["more"]
