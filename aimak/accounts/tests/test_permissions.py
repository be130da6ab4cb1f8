"""Who may change what: rules predicates, their paired selectors, and forged requests."""

import pytest

from aimak.accounts.models import MUNICIPAL_ROLES, Role
from aimak.accounts.predicates import is_municipal_member
from aimak.accounts.selectors import municipalities_with_role
from aimak.accounts.services import membership_end, membership_grant
from aimak.catalogue.models import ServiceProvision
from aimak.catalogue.selectors import provision_municipalities
from aimak.territories.models import Territory
from tests.factories import DEMO_ROLES, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

DEMO = "41703204804000"
NEIGHBOUR = "41703204806000"
OTHER = "41704210820000"

# Each permission on a municipality, and the selector that must list exactly the
# municipalities where it is granted.
PAIRS = {
    "catalogue.manage_provision": lambda user: provision_municipalities(user=user),
    "territories.set_population": lambda user: municipalities_with_role(
        user=user, roles={Role.STAFF, Role.MONITOR}, national={Role.SYSADMIN}
    ),
}


@pytest.fixture
def sample_municipalities(db):
    """The demo pilots, a municipality far away, the first few of each region and towns."""
    codes = {DEMO, NEIGHBOUR, OTHER}
    qs = Territory.objects.filter(level__in=("aimak", "city"), valid_to__isnull=True)
    codes.update(qs.filter(level="city").values_list("code", flat=True)[:5])
    codes.update(qs.filter(level="aimak").order_by("code").values_list("code", flat=True)[:15])
    return list(Territory.objects.filter(code__in=codes).order_by("code"))


def extra_users(demo_municipality, other_municipality, admin):
    """Users beyond the demo accounts: an ended staffer, one in two places, a bare superuser."""
    ended = MembershipFactory(role=Role.STAFF, municipality=demo_municipality)
    membership_end(membership=ended, ended_by=admin)
    two_places = UserFactory()
    membership_grant(user=two_places, role=Role.STAFF, municipality=demo_municipality)
    membership_grant(user=two_places, role=Role.MONITOR, municipality=other_municipality)
    superuser = UserFactory(is_superuser=True)
    return [ended.user, two_places, superuser, UserFactory()]


@pytest.mark.parametrize("perm", sorted(PAIRS))
def test_predicate_and_selector_agree_for_every_user(
    perm, demo_user, sample_municipalities, demo_municipality, other_municipality
):
    users = [demo_user(r) for r in DEMO_ROLES]
    users += extra_users(demo_municipality, other_municipality, demo_user("admin"))
    for user in users:
        listed = set(PAIRS[perm](user).filter(pk__in=[m.pk for m in sample_municipalities]))
        allowed = {m for m in sample_municipalities if user.has_perm(perm, m)}
        assert listed == allowed, (user.username, perm)


def test_member_predicate_agrees_with_municipalities_with_role(demo_user, sample_municipalities):
    for role in DEMO_ROLES:
        user = demo_user(role)
        listed = set(
            municipalities_with_role(user=user, roles=MUNICIPAL_ROLES).filter(
                pk__in=[m.pk for m in sample_municipalities]
            )
        )
        allowed = {m for m in sample_municipalities if is_municipal_member(user, m)}
        assert listed == allowed, role


@pytest.mark.parametrize(
    "role, expected",
    [
        ("staff", {DEMO}),
        ("monitor", set()),
        ("deputy", set()),
        ("facilitator", set()),
        ("programme", set()),
        ("expert", set()),
    ],
)
def test_who_may_record_providers(demo_user, role, expected):
    codes = {m.code for m in provision_municipalities(user=demo_user(role))}
    assert codes == expected


def test_sysadmin_may_record_providers_in_every_current_municipality(demo_user):
    listed = provision_municipalities(user=demo_user("admin"))
    assert (
        listed.count()
        == Territory.objects.filter(level__in=("aimak", "city"), valid_to__isnull=True).count()
    )


# --- Forged page requests ------------------------------------------------------------------


def provision_post(slug="drinking-water"):
    from aimak.catalogue.models import Service

    return {
        "service": Service.objects.get(slug=slug).pk,
        "provider_type": "private",
        "provider_name": "Forged LLC",
    }


def test_staff_of_a_records_providers_of_a(client, demo_user):
    client.force_login(demo_user("staff"))
    response = client.post(f"/ky/services/municipality/{DEMO}/", provision_post())
    assert response.status_code == 302
    assert ServiceProvision.objects.filter(
        municipality__code=DEMO, ended_at__isnull=True, provider_name="Forged LLC"
    ).exists()


@pytest.mark.parametrize("who", ["staff", "deputy", "monitor", "facilitator", "programme"])
def test_forged_post_to_another_municipality_is_refused_and_nothing_saved(client, demo_user, who):
    client.force_login(demo_user(who))
    before = ServiceProvision.objects.count()
    target = DEMO if who != "staff" else OTHER

    page = client.get(f"/ky/services/municipality/{target}/")
    assert page.status_code == 200
    assert page.context["can_edit"] is False
    assert "Forged" not in page.content.decode()

    response = client.post(f"/ky/services/municipality/{target}/", provision_post())
    assert response.status_code == 403
    assert ServiceProvision.objects.count() == before
    assert not ServiceProvision.objects.filter(provider_name="Forged LLC").exists()


def test_forged_end_of_another_municipalitys_provision_is_refused(client, demo_user):
    provision = ServiceProvision.objects.filter(
        municipality__code=DEMO, ended_at__isnull=True
    ).first()
    # Staff of another municipality, forging the end of a provision of the demo one.
    outsider = UserFactory()
    membership_grant(user=outsider, role=Role.STAFF, municipality=Territory.objects.get(code=OTHER))
    client.force_login(outsider)
    assert client.post(f"/ky/services/municipality/{DEMO}/{provision.pk}/end/").status_code == 403
    # Through its own municipality's URL the provision is not found.
    assert client.post(f"/ky/services/municipality/{OTHER}/{provision.pk}/end/").status_code == 404
    provision.refresh_from_db()
    assert provision.ended_at is None


def test_anonymous_post_is_refused(client):
    before = ServiceProvision.objects.count()
    assert client.post(f"/ky/services/municipality/{DEMO}/", provision_post()).status_code == 403
    assert ServiceProvision.objects.count() == before


# --- Population form -----------------------------------------------------------------------


def population_post(population=15_001):
    return {"population": population, "year": 2025, "source": "Household register"}


@pytest.mark.parametrize("role", ["monitor", "staff", "admin"])
def test_monitor_staff_and_sysadmin_set_population_of_own_municipality(client, demo_user, role):
    client.force_login(demo_user(role))
    detail = client.get(f"/ky/territories/{DEMO}/")
    assert f'href="/ky/territories/{DEMO}/population/"' in detail.content.decode()

    response = client.post(f"/ky/territories/{DEMO}/population/", population_post())

    assert response.status_code == 302
    assert response["Location"] == f"/ky/territories/{DEMO}/"
    unit = Territory.objects.get(code=DEMO)
    assert (unit.population, unit.population_year, unit.population_source) == (
        15_001,
        2025,
        "Household register",
    )
    latest = unit.history.first()
    assert latest.population == 15_001
    assert latest.history_user == demo_user(role)


@pytest.mark.parametrize(
    "role, code",
    [
        ("monitor", OTHER),
        ("monitor", NEIGHBOUR),
        ("staff", OTHER),
        ("deputy", DEMO),
        ("enumerator", DEMO),
        ("facilitator", DEMO),
        ("programme", DEMO),
    ],
)
def test_others_may_not_set_population(client, demo_user, role, code):
    client.force_login(demo_user(role))
    before = Territory.objects.get(code=code).population
    detail = client.get(f"/ky/territories/{code}/")
    assert "/population/" not in detail.content.decode()
    assert client.get(f"/ky/territories/{code}/population/").status_code == 403
    assert client.post(f"/ky/territories/{code}/population/", population_post()).status_code == 403
    assert Territory.objects.get(code=code).population == before


def test_population_form_rejects_bad_values(client, demo_user):
    import datetime

    client.force_login(demo_user("monitor"))
    before = Territory.objects.get(code=DEMO).population
    next_year = datetime.date.today().year + 1
    for data in (
        {"population": -1, "year": 2025, "source": "x"},
        {"population": 100, "year": next_year, "source": "register"},
        {"population": 100, "year": 2025, "source": ""},
    ):
        response = client.post(f"/ky/territories/{DEMO}/population/", data)
        assert response.status_code == 200
        assert response.context["form"].errors
    assert Territory.objects.get(code=DEMO).population == before


def test_population_of_unknown_code_is_404(client, demo_user):
    client.force_login(demo_user("admin"))
    assert client.get("/ky/territories/41799999999999/population/").status_code == 404
