import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    """Labels and messages made outside a request in English; pages use their URL's language."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def unweighted(request):
    """The engine's tests start unweighted: the demo seed enters a made-up population
    structure (for its published 2025 round), which tests that need weights enter anew."""
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("db")
    from aimak.results.models import PopulationStructure

    PopulationStructure.objects.all().delete()
