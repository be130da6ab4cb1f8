"""Database queries per list page, pinned: a page must not cost one query per row.

Where a list can grow, the count is compared at two sizes. If a number here changes,
look at the queries (`-s` with django_assert_num_queries prints them) before updating it.
"""

import pytest
from django.db.models import Count

from aimak.accounts.models import Membership
from aimak.catalogue.models import ServiceProvision
from aimak.territories.models import Territory
from tests.factories import MembershipFactory, ServiceProvisionFactory

pytestmark = pytest.mark.django_db

DEMO = "41703204804000"


def get_ok(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def rayons_by_size():
    rayons = (
        Territory.objects.filter(level="rayon")
        .annotate(n=Count("children"))
        .filter(n__gt=0)
        .order_by("n", "code")
    )
    return rayons.first(), rayons.last()


def test_registry_browse(client, django_assert_num_queries):
    # the public-content version (page cache key), the units with their child counts
    with django_assert_num_queries(2):
        response = get_ok(client, "/ky/territories/")
    assert len(response.context["units"]) >= 9


def test_rayon_detail_costs_the_same_with_few_or_many_children(client, django_assert_num_queries):
    small, large = rayons_by_size()
    assert large.n > 3 * small.n
    # content version, unit (with parent), child count, children page, predecessors,
    # registry changes
    for rayon in (small, large):
        with django_assert_num_queries(6):
            response = get_ok(client, f"/ky/territories/{rayon.code}/")
        assert response.context["children"].paginator.count == rayon.n


def test_search_page(client, django_assert_num_queries):
    with django_assert_num_queries(2):  # content version, results with their parents
        response = get_ok(client, "/ky/territories/search/?q=ak")
    assert len(response.context["results"]) == 50
    # Each row shows its parent's name: fetched with the results.
    assert "Ала-Бука" in response.content.decode()


def test_services_list(client, demo_user, django_assert_num_queries):
    with django_assert_num_queries(2):  # content version, services
        get_ok(client, "/ky/services/")
    client.force_login(demo_user("facilitator"))
    # session, user, the user's roles, the user's and groups' Django permissions (menu),
    # services ("your municipalities" come from the roles already read)
    with django_assert_num_queries(7):  # + the unread notifications in the header
        get_ok(client, "/ky/services/")


def test_municipality_services_page_does_not_grow_with_records(
    client, demo_user, demo_municipality, django_assert_num_queries
):
    client.force_login(demo_user("staff"))
    url = f"/ky/services/municipality/{DEMO}/"
    # unit, session, user, roles, 2 × Django permissions, current, services (form), ended
    with django_assert_num_queries(10):  # + the unread notifications in the header
        get_ok(client, url)
    # Change every provider three times: three times as many ended records.
    for round_ in range(3):
        for provision in ServiceProvision.objects.filter(
            municipality=demo_municipality, ended_at__isnull=True
        ):
            provision.ended_at = provision.started_at
            provision.save()
            ServiceProvisionFactory(
                municipality=demo_municipality,
                service=provision.service,
                provider_name=f"round {round_}",
            )
    with django_assert_num_queries(10):  # + the unread notifications in the header
        response = get_ok(client, url)
    assert len(response.context["ended"]) >= 24


def test_memberships_list_does_not_grow_with_rows(client, demo_user, django_assert_num_queries):
    client.force_login(demo_user("admin"))
    MembershipFactory.create_batch(5, granted_by=demo_user("programme"))
    # session, user, page count, page rows (with person, municipality and granter)
    with django_assert_num_queries(5):  # + the unread notifications in the header
        small = get_ok(client, "/ky/accounts/memberships/")
    MembershipFactory.create_batch(30, granted_by=demo_user("programme"))
    with django_assert_num_queries(5):  # + the unread notifications in the header
        large = get_ok(client, "/ky/accounts/memberships/")
    assert len(large.context["page"]) == len(small.context["page"]) + 30
    assert Membership.objects.active().count() >= 45


# session, user, unread notifications (header), history rows (with who), earlier rows, newer rows, then one query per
# foreign key of the tracked model, for the labels of the rows; plus one per foreign key
# that the shown changes touch (a territory's parent and successor), to name the units.
@pytest.mark.parametrize(
    "what, queries",
    [("membership", 9), ("provision", 9), ("territory", 10), ("service", 6), ("user", 6)],
)
def test_audit_page(client, demo_user, django_assert_num_queries, what, queries):
    client.force_login(demo_user("admin"))
    with django_assert_num_queries(queries):
        response = get_ok(client, f"/ky/accounts/audit/?what={what}")
    assert response.context["entries"], what


def test_audit_page_does_not_grow_with_rows(client, demo_user, django_assert_num_queries):
    client.force_login(demo_user("admin"))
    with django_assert_num_queries(9):  # + the unread notifications in the header
        small = get_ok(client, "/ky/accounts/audit/?what=membership")
    MembershipFactory.create_batch(40, granted_by=demo_user("programme"))
    with django_assert_num_queries(9):  # + the unread notifications in the header
        large = get_ok(client, "/ky/accounts/audit/?what=membership")
    assert len(large.context["entries"]) == len(small.context["entries"]) + 40


@pytest.mark.parametrize(
    "url", ["/api/v1/territories?limit=10", "/api/v1/territories?level=aimak&limit=500"]
)
def test_api_territories_list(client, url, django_assert_num_queries):
    with django_assert_num_queries(2):  # count, page (with parents and successors)
        response = get_ok(client, url)
    assert response.json()["items"]


def test_api_territory_search_and_services(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert get_ok(client, "/api/v1/territories?q=ak&limit=200").json()["count"] > 50
    with django_assert_num_queries(2):  # municipality, provisions with their services
        assert len(get_ok(client, f"/api/v1/municipalities/{DEMO}/services").json()) == 8


def test_round_results_page_does_not_grow_with_interviews(
    client, demo_user, django_assert_num_queries
):
    """The report-card dashboard of the demo's rounds of 120 and 300 interviews."""
    from aimak.surveys.models import Round

    client.force_login(demo_user("staff"))
    rounds = Round.objects.filter(key__startswith="demo:round:").order_by("pk")
    assert [r.interviews.count() for r in rounds] == [120, 300]
    for round in rounds:
        url = f"/ky/results/rounds/{round.pk}/?by=village"
        # round, session, user, roles, population structure, count and highest id of the
        # interviews (the results' cache key), the interviews in one streaming query,
        # 2 × Django permissions (menu)
        with django_assert_num_queries(10):  # + the unread notifications in the header
            get_ok(client, url)
        with django_assert_num_queries(9):  # the same, the results now read from the cache
            get_ok(client, url)
    client.logout()
    published = rounds.get(status="published")
    get_ok(client, f"/ky/results/rounds/{published.pk}/")
    with django_assert_num_queries(1):  # anonymous: the cached page (content version)
        get_ok(client, f"/ky/results/rounds/{published.pk}/")
