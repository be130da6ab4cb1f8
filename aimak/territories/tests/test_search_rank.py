"""Search ranks over every match in the database, not only over the first rows by code."""

import pytest

from aimak.territories.models import Territory
from aimak.territories.selectors import LEVEL_ORDER, territory_search
from aimak.territories.transliteration import skeleton


def _rank(unit, key):
    keys = unit.search_key
    closeness = 0 if f"|{key}|" in keys else 1 if f"|{key}" in keys else 2
    return (closeness, LEVEL_ORDER.get(unit.level, 9), unit.code)


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["kara-suu", "Ак", "ош", "tal"])
def test_search_returns_the_best_ranked_units(query):
    key = skeleton(query)
    everything = sorted(
        Territory.objects.filter(search_key__contains=key), key=lambda u: _rank(u, key)
    )
    assert len(everything) > 5
    found = territory_search(query=query, limit=5)
    assert [u.code for u in found] == [u.code for u in everything[:5]]
