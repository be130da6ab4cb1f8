"""Roles: who may hold which role where, and the membership pages of national administrators."""

import pytest
from django.core.exceptions import ValidationError

from aimak.accounts.models import Membership, Role
from aimak.accounts.selectors import municipalities_with_role, user_memberships
from aimak.accounts.services import membership_end, membership_grant
from aimak.territories.models import Territory
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

RAYON = "41703204000000"  # Ала-Бука району: not a municipality
VILLAGE = "41703204804010"  # Ак-Коргон village: not a municipality
ENDED = "41703204827000"  # Көк-Серек: merged into Ак-Коргон (demo reform)
NEIGHBOUR = "41703204806000"  # Ак-Там, the facilitator's second municipality
MEMBERSHIPS_URL = "/en/accounts/memberships/"  # English pages: the text asserted


def unit(code):
    return Territory.objects.get(code=code)


# --- membership_grant / membership_end -----------------------------------------------------


@pytest.mark.parametrize(
    "role", [Role.STAFF, Role.DEPUTY, Role.MONITOR, Role.ENUMERATOR, Role.FACILITATOR]
)
def test_municipal_role_is_granted_in_an_ayil_aimak(role, demo_municipality):
    user = UserFactory()
    membership = membership_grant(user=user, role=role, municipality=demo_municipality)
    assert membership.is_active
    assert list(municipalities_with_role(user=user, roles={role})) == [demo_municipality]


def test_municipal_role_is_granted_in_a_town():
    town = Territory.objects.filter(
        level="city", valid_to__isnull=True, parent__isnull=False
    ).first()
    membership = membership_grant(user=UserFactory(), role=Role.STAFF, municipality=town)
    assert membership.municipality == town


@pytest.mark.parametrize(
    "code, message",
    [
        (RAYON, "is not a municipality (ayil aimak or town)"),
        (VILLAGE, "is not a municipality (ayil aimak or town)"),
        (ENDED, "no longer exists; choose its successor"),
    ],
)
def test_municipal_role_refuses_units_that_are_not_current_municipalities(code, message):
    user = UserFactory()
    with pytest.raises(ValidationError) as exc:
        membership_grant(user=user, role=Role.STAFF, municipality=unit(code))
    assert message in exc.value.messages[0]
    assert unit(code).name in exc.value.messages[0]
    assert not Membership.objects.filter(user=user).exists()


def test_municipal_role_needs_a_municipality():
    with pytest.raises(ValidationError, match="belongs to a municipality"):
        membership_grant(user=UserFactory(), role=Role.MONITOR, municipality=None)


@pytest.mark.parametrize(
    "role",
    [Role.PROGRAMME_MANAGER, Role.CONTENT_ADMIN, Role.CLIENTBASE_ADMIN, Role.EXPERT, Role.SYSADMIN],
)
def test_national_role_refuses_a_municipality(role, demo_municipality):
    user = UserFactory()
    with pytest.raises(ValidationError, match="national role"):
        membership_grant(user=user, role=role, municipality=demo_municipality)
    assert membership_grant(user=user, role=role, municipality=None).municipality is None


def test_the_same_active_role_twice_is_refused(demo_municipality):
    user = UserFactory()
    membership_grant(user=user, role=Role.STAFF, municipality=demo_municipality)
    with pytest.raises(ValidationError, match="already has this role here"):
        membership_grant(user=user, role=Role.STAFF, municipality=demo_municipality)
    membership_grant(user=user, role=Role.EXPERT, municipality=None)
    with pytest.raises(ValidationError, match="already has this role here"):
        membership_grant(user=user, role=Role.EXPERT, municipality=None)
    assert Membership.objects.filter(user=user).count() == 2


def test_ended_membership_is_kept_and_the_role_can_be_given_again(demo_municipality, demo_user):
    user = UserFactory()
    admin = demo_user("admin")
    first = membership_grant(user=user, role=Role.STAFF, municipality=demo_municipality)
    membership_end(membership=first, ended_by=admin)
    assert not user.has_perm("catalogue.manage_provision", demo_municipality)

    second = membership_grant(user=user, role=Role.STAFF, municipality=demo_municipality)

    first.refresh_from_db()
    assert first.ended_at is not None and first.ended_by == admin
    assert list(user_memberships(user=user, include_ended=False)) == [second]
    assert set(user_memberships(user=user, include_ended=True)) == {first, second}


def test_facilitator_holds_two_municipalities(demo_user, demo_municipality):
    facilitator = demo_user("facilitator")
    both = {demo_municipality, unit(NEIGHBOUR)}
    assert set(municipalities_with_role(user=facilitator, roles={Role.FACILITATOR})) == both
    for municipality in both:
        assert facilitator.has_perm("accounts.view_audit") is False
        from aimak.accounts.predicates import is_municipal_member

        assert is_municipal_member(facilitator, municipality)


# --- The membership page -------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(MEMBERSHIPS_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/?next=")


@pytest.mark.parametrize("role", ["staff", "deputy", "facilitator", "content", "expert"])
def test_other_roles_get_403(client, demo_user, role):
    client.force_login(demo_user(role))
    assert client.get(MEMBERSHIPS_URL).status_code == 403
    response = client.post(
        MEMBERSHIPS_URL,
        {"user": "demo-expert", "role": Role.STAFF, "municipality": "41703204804000"},
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(user__username="demo-expert", role=Role.STAFF).exists()
    audit = client.get("/en/accounts/audit/?what=membership")
    assert audit.status_code == 403


@pytest.mark.parametrize("role", ["admin", "programme"])
def test_sysadmin_and_programme_manager_see_the_page_and_the_menu_link(client, demo_user, role):
    client.force_login(demo_user(role))
    response = client.get(MEMBERSHIPS_URL)
    assert response.status_code == 200
    assert f'href="{MEMBERSHIPS_URL}"' in response.content.decode()
    assert "demo-facilitator" in response.content.decode()


@pytest.mark.parametrize("identifier", ["new-staffer", "New.Staffer@Example.kg"])
def test_grant_by_username_or_email(client, demo_user, identifier):
    person = UserFactory(username="new-staffer", email="new.staffer@example.kg")
    client.force_login(demo_user("programme"))

    response = client.post(
        MEMBERSHIPS_URL,
        {"user": identifier, "role": Role.MONITOR, "municipality": "41704210820000", "note": "x"},
    )

    assert response.status_code == 302
    membership = Membership.objects.get(user=person)
    assert membership.role == Role.MONITOR
    assert membership.municipality.code == "41704210820000"
    assert membership.granted_by == demo_user("programme")
    listed = client.get(response["Location"]).content.decode()
    assert "new-staffer" in listed
    assert "granted" in listed  # the confirmation message


@pytest.mark.parametrize(
    "data, error",
    [
        (
            {"municipality": "41799999999999"},
            "No current municipality has the name or code “41799999999999”.",
        ),
        ({"municipality": RAYON}, f"No current municipality has the name or code “{RAYON}”."),
        ({"municipality": "Ак-Суу"}, "Several municipalities match “Ак-Суу”"),
        ({"municipality": ENDED}, "no longer exists; choose its successor."),
        ({"municipality": ""}, "This role belongs to a municipality: choose one."),
        ({"user": "nobody-at-all"}, "No user has this name or e-mail address."),
        ({"role": Role.EXPERT}, "This is a national role: it has no municipality."),
    ],
)
def test_grant_errors_are_shown_and_nothing_is_saved(client, demo_user, data, error):
    UserFactory(username="new-staffer")
    client.force_login(demo_user("admin"))
    before = Membership.objects.count()
    post = {"user": "new-staffer", "role": Role.STAFF, "municipality": "41703204804000"}
    post.update(data)

    response = client.post(MEMBERSHIPS_URL, post)

    assert response.status_code == 200
    assert error in response.content.decode()
    assert Membership.objects.count() == before


def test_grant_twice_shows_the_duplicate_error(client, demo_user):
    client.force_login(demo_user("admin"))
    response = client.post(
        MEMBERSHIPS_URL,
        {"user": "demo-staff", "role": Role.STAFF, "municipality": "41703204804000"},
    )
    assert response.status_code == 200
    assert "already has this role here" in response.content.decode()


def test_end_keeps_the_membership_listed_with_include_ended(client, demo_user):
    admin = demo_user("admin")
    membership = MembershipFactory(user__username="leaving-staffer", role=Role.STAFF)
    client.force_login(admin)

    response = client.post(f"/en/accounts/memberships/{membership.pk}/end/")
    assert response.status_code == 302

    membership.refresh_from_db()
    assert membership.ended_at is not None and membership.ended_by == admin
    assert "leaving-staffer" not in client.get(MEMBERSHIPS_URL).content.decode()
    page = client.get(MEMBERSHIPS_URL + "?include_ended=on&q=leaving").content.decode()
    assert "leaving-staffer" in page
    assert 'class="badge ended"' in page
    # The person lost the rights of the role at once.
    assert not membership.user.has_perm("catalogue.manage_provision", membership.municipality)


def test_ending_needs_post_and_the_right(client, demo_user):
    membership = Membership.objects.get(user__username="demo-staff")
    client.force_login(demo_user("admin"))
    assert client.get(f"/en/accounts/memberships/{membership.pk}/end/").status_code == 405
    client.force_login(demo_user("staff"))
    assert client.post(f"/en/accounts/memberships/{membership.pk}/end/").status_code == 403
    membership.refresh_from_db()
    assert membership.is_active


def test_filters_by_role_and_person(client, demo_user):
    client.force_login(demo_user("admin"))
    page = client.get(MEMBERSHIPS_URL + "?role=facilitator").context["page"]
    assert {m.user.username for m in page} == {"demo-facilitator"}
    assert len(page) == 2
    page = client.get(MEMBERSHIPS_URL + "?q=demo-monitor").context["page"]
    assert [m.user.username for m in page] == ["demo-monitor"]


def test_audit_shows_who_granted_and_the_end_before_and_after(client, demo_user):
    programme = demo_user("programme")
    admin = demo_user("admin")
    person = UserFactory(username="audited-person", full_name="Нурлан Аудитов")

    client.force_login(programme)
    client.post(
        MEMBERSHIPS_URL,
        {"user": "audited-person", "role": Role.ENUMERATOR, "municipality": "41703204804000"},
    )
    membership = Membership.objects.get(user=person)
    client.force_login(admin)
    client.post(f"/en/accounts/memberships/{membership.pk}/end/")

    membership.refresh_from_db()
    response = client.get("/en/accounts/audit/?what=membership")
    assert response.status_code == 200
    entries = [e for e in response.context["entries"] if "Нурлан Аудитов" in e.object_label]
    assert [e.action for e in entries] == ["changed", "created"]
    ended, granted = entries
    assert granted.who == programme
    assert ended.who == admin
    changes = {name: (before, after) for name, before, after in ended.changes}
    # Fields by their names, people by theirs, not by column names and row numbers.
    assert changes["ended"][0] == ""
    assert changes["ended"][1].startswith(str(membership.ended_at.year))
    assert changes["ended by"] == ("", str(admin))
    page = response.content.decode()
    assert programme.display_name in page and admin.display_name in page
    assert "ended: — →" in page


@pytest.mark.parametrize(
    "typed",
    [
        "Ак-Коргон айыл аймагы",
        "ak-korgon ayil aimak",
        "Ак-Коргонский айылный аймак",
        "41703204804000",
    ],
)
def test_a_municipality_can_be_given_by_any_of_its_names(client, demo_user, typed):
    person = UserFactory()
    client.force_login(demo_user("admin"))
    client.post(
        MEMBERSHIPS_URL, {"user": person.username, "role": Role.MONITOR, "municipality": typed}
    )
    membership = Membership.objects.get(user=person)
    assert membership.municipality.code == "41703204804000"
