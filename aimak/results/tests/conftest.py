import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    """Labels and messages made outside a request in English; pages use their URL's language."""
    with translation.override("en"):
        yield
