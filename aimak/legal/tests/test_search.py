"""The one search selector, on whichever database the suite runs (SQLite or PostgreSQL)."""

import datetime

import pytest
from django.db import connection

from aimak.legal.models import ActStatus, ActType, IssuingBody, LegalAct
from aimak.legal.selectors import (
    LegalActFilters,
    highlight,
    legal_act_hits,
    legal_act_search,
    legal_act_years,
)
from aimak.legal.services import legal_act_save

pytestmark = pytest.mark.django_db


def keys(query, **filters):
    return [a.key for a in legal_act_search(query=query, filters=LegalActFilters(**filters))]


def test_russian_morphology_finds_other_word_forms():
    found = keys("бюджета")
    assert "kr-budget-code-2016-59" in found  # «Бюджетный кодекс», text «бюджет»
    assert "kr-minfin-order-2009-40p" in found  # «слушаний по бюджету»
    assert "kr-law-2011-101" in keys("самоуправлению")


def test_kyrgyz_with_and_without_special_letters():
    with_letters = keys("жергиликтүү өз алдынча башкаруу")
    without = keys("жергиликтуу оз алдынча башкаруу")
    assert "kr-law-2013-127" in with_letters
    assert set(with_letters) == set(without)
    # Found apart at 100,000 acts before Kyrgyz titles were folded in the Russian vector too.
    assert set(keys("мыйзамына өзгөртүүлөрдү")) == set(keys("мыйзамына озгортуулорду"))
    assert "kg-local-bashkayindy-2019-5-3" in keys("Баш-Кайынды")
    # a Kyrgyz word with an ending finds the act that has another form of it
    assert "kr-law-2007-67" in keys("кайрылуулар")


def test_every_word_must_match():
    assert keys("бюджет пастбищезавр") == []


def test_filters_narrow_the_results():
    assert set(keys("закон", act_type=ActType.CODE)) <= {"kr-budget-code-2016-59"}
    body = IssuingBody.objects.get(slug="min-bulak-ayil-kenesh")
    assert set(keys("", body=body)) == {
        "kg-local-minbulak-2019-2-1",
        "kg-local-minbulak-2023-23-83",
    }
    assert keys("", year=2016, act_type=ActType.CODE) == ["kr-budget-code-2016-59"]
    lapsed = keys("", status=ActStatus.LAPSED)
    assert "kr-law-2011-101" in lapsed
    assert all(LegalAct.objects.get(key=k).status == ActStatus.LAPSED for k in lapsed)


def test_no_words_lists_every_act_newest_first():
    acts = list(legal_act_search(query="  ,, "))
    assert len(acts) == 39
    assert acts[0].date >= acts[-1].date


def _act(key, title, text):
    act = LegalAct(
        key=key,
        act_type=ActType.LAW,
        number=key,
        date=datetime.date(2025, 1, 1),
        body=IssuingBody.objects.get(slug="jogorku-kenesh"),
        title_ru=title,
        text_ru=text,
    )
    return legal_act_save(act=act)


def test_a_title_match_ranks_above_a_text_match():
    _act("in-text", "О порядке", "Статья 1. Настоящий закон регулирует водопользование в селах.")
    _act("in-title", "О водопользовании", "Статья 1. Общие положения.")
    found = keys("водопользование")
    assert found.index("in-title") < found.index("in-text")
    hits = legal_act_hits(
        acts=list(legal_act_search(query="водопользование")), query="водопользование"
    )
    by_key = {h.act.key: h for h in hits}
    assert by_key["in-title"].matched_in_title and not by_key["in-text"].matched_in_title


def test_highlight_marks_matched_words_and_escapes_everything_else():
    text = 'О бюджете <script>alert("x")</script> & бюджетах'
    snippet = highlight(text, "бюджет")
    assert "<mark>бюджете</mark>" in snippet and "<mark>бюджетах</mark>" in snippet
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet and "&amp;" in snippet


def test_search_snippets_are_escaped_on_this_database():
    _act("xss", "Тест", "<b>водопользование</b> & <img src=x onerror=alert(1)>")
    [hit] = legal_act_hits(
        acts=[a for a in legal_act_search(query="водопользование") if a.key == "xss"],
        query="водопользование",
    )
    assert "<mark>водопользование</mark>" in hit.snippet
    assert "<img" not in hit.snippet and "<b>" not in hit.snippet


def test_highlight_in_kyrgyz_without_special_letters():
    snippet = highlight("Жергиликтүү өз алдынча башкаруу органдары", "жергиликтуу оз")
    assert "<mark>Жергиликтүү</mark>" in snippet and "<mark>өз</mark>" in snippet


def test_saving_an_act_keeps_its_search_fields_current():
    act = _act("fresh", "О тюльпанах", "")
    assert keys("тюльпана") == ["fresh"]
    act.title_ru = "Об орхидеях"
    legal_act_save(act=act)
    assert keys("тюльпана") == []
    assert keys("орхидеи") == ["fresh"]


def _all_pages(results, size):
    pages, offset = [], 0
    while offset < results.count():
        pages.extend(a.key for a in results[offset : offset + size])
        offset += size
    return pages


def test_pages_follow_one_order_title_matches_first():
    _act("t-old", "О бюджете села", "Текст.")
    _act("x-text", "О порядке", "Статья 1. О бюджете.")
    results = legal_act_search(query="бюджета")
    everything = [a.key for a in results]
    assert len(everything) == len(set(everything)) == results.count() >= 5
    for size in (1, 2, 3, 7):  # any page size cuts the same order, tiers included
        assert _all_pages(legal_act_search(query="бюджета"), size) == everything
    hits = legal_act_hits(acts=list(results), query="бюджета")
    in_title = [h.matched_in_title for h in hits]
    assert in_title == sorted(in_title, reverse=True)  # no title match after a text match
    assert everything.index("t-old") < everything.index("x-text")
    ranks = [h.rank for h in hits]
    assert ranks == sorted(ranks, reverse=True)


def test_the_count_stops_at_the_cap_and_says_there_are_more(monkeypatch):
    monkeypatch.setattr("aimak.legal.selectors.COUNT_CAP", 3)
    results = legal_act_search(query="закон")
    assert results.count() == 4 and results.more  # the cap + 1: "more than 3"
    assert len(list(results[0:20])) == 4  # the pages stop where the count stops
    few = legal_act_search(query="Баш-Кайынды")
    assert few.count() <= 3 and not few.more
    listing = legal_act_search(query="")
    assert listing.count() == 39 and not listing.more  # a plain listing counts exactly


def test_saving_an_act_moves_it_between_filters():
    act = _act("moving", "О тюльпанах", "")
    assert keys("тюльпаны", status=ActStatus.UNKNOWN) == ["moving"]
    act.status = ActStatus.LAPSED
    act.date = datetime.date(1999, 5, 5)
    legal_act_save(act=act)
    assert keys("тюльпаны", status=ActStatus.UNKNOWN) == []
    assert keys("тюльпаны", status=ActStatus.LAPSED, year=1999) == ["moving"]
    assert keys("тюльпаны", year=2025) == []


def test_years_are_the_years_that_have_acts_newest_first():
    years = legal_act_years()
    assert years == sorted({a.date.year for a in LegalAct.objects.all()}, reverse=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm on PostgreSQL only")
def test_postgres_finds_a_misspelt_title_word_after_every_exact_match():
    _act("spelt", "О водопользовании в селах", "")
    found = keys("водопользованеи")  # misspelt: no exact match, similar to the title
    assert found == ["spelt"]
    assert legal_act_search(query="водопользованеи").count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm on PostgreSQL only")
def test_postgres_corrects_a_misspelt_word_and_says_so_on_the_page_and_in_the_api(client):
    _act("spelt", "О водопользовании в селах", "Правила о водопользовании в селах.")
    results = legal_act_search(query="вадопользовании")
    assert results.count() == 1
    assert results.corrected == "водопользовании"
    assert [a.rank for a in results[0:1]] == [0.1]  # ranked as a similar spelling
    page = client.get("/ru/legal-acts/", {"q": "вадопользовании"}).content.decode()
    assert "водопользовании" in page.split('id="spelling"')[1].split("</p>")[0]
    assert "<mark>водопользовании</mark>" in page  # highlighted as corrected
    data = client.get("/api/v1/legal-acts", {"q": "вадопользовании"}).json()
    assert data["corrected"] == "водопользовании"
    assert [i["key"] for i in data["items"]] == ["spelt"]
    # A word as typed is never "corrected", and nothing similar enough means no results.
    assert legal_act_search(query="водопользовании").corrected == ""
    nothing = legal_act_search(query="водопользованеи пастбищезавр")
    assert nothing.count() == 0 and nothing.corrected == ""
