"""The one search selector, on whichever database the suite runs (SQLite or PostgreSQL)."""

import datetime

import pytest

from aimak.legal.models import ActStatus, ActType, IssuingBody, LegalAct
from aimak.legal.selectors import (
    LegalActFilters,
    highlight,
    legal_act_hits,
    legal_act_search,
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
