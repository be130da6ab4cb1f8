"""Rounds and sample plans: services, permissions, pages and the API."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from aimak.accounts.models import Role
from aimak.catalogue.models import Service
from aimak.surveys.models import (
    PlanVillage,
    Questionnaire,
    Round,
    RoundStatus,
    RouteAssignment,
    SamplePlan,
)
from aimak.surveys.rounds import (
    VillageFigure,
    plan_allocate,
    plan_assign,
    plan_set,
    plan_villages_set,
    round_advance,
    round_create,
)
from aimak.surveys.selectors import (
    plan_villages,
    round_list,
    round_manager_municipalities,
    round_viewer_municipalities,
    round_visible,
)
from tests.factories import DEMO_ROLES as ROLES
from tests.factories import MembershipFactory, api_token

pytestmark = pytest.mark.django_db

DEMO = "41703204804000"
MANAGES = {"staff", "monitor", "admin"}
SEES_LIST = {"staff", "monitor", "enumerator", "admin"}
PLAN_INPUTS = {
    "margin": Decimal("5"),
    "confidence": 95,
    "design_effect": Decimal("1.5"),
    "proportion": Decimal("0.5"),
    "unit": "households",
    "household_size": Decimal("4.5"),
    "men_share": Decimal("49"),
    "sex_source": "",
}


@pytest.fixture
def demo_round():
    return Round.objects.get(key=f"demo:round:{DEMO}")


@pytest.fixture
def version():
    return Questionnaire.objects.get(key=f"demo:crc:{DEMO}").versions.get(number=1)


@pytest.fixture
def water():
    return list(Service.objects.filter(slug="drinking-water"))


@pytest.fixture
def new_round(demo_municipality, demo_user, version, water):
    return round_create(
        municipality=demo_municipality,
        version=version,
        services=water,
        start_date=datetime.date(2026, 9, 1),
        end_date=datetime.date(2026, 9, 30),
        monitors=[demo_user("monitor")],
        enumerators=[demo_user("enumerator")],
        user=demo_user("staff"),
    )


def _figures(plan, value=None, **overrides):
    rows = plan_villages(plan=plan)
    return [
        VillageFigure(
            village_id=row.village_id,
            figure=overrides.get(row.village.code, value),
            year=2025,
            source="test",
            excluded=False,
        )
        for row in rows
    ]


# --- The demo round ----------------------------------------------------------------------


def test_demo_round_is_collecting_with_a_computed_plan(demo_round):
    assert demo_round.status == RoundStatus.COLLECTING
    assert set(demo_round.services.values_list("slug", flat=True)) == {
        "drinking-water",
        "solid-waste",
    }
    plan = demo_round.plan
    # 14,870 persons / 4.5 = 3,304 households; 576.219 / (1 + 575.219 / 3304) = 490.8 → 491
    assert plan.frame_size == 3304
    assert plan.sample_size == 491
    villages = plan_villages(plan=plan)
    assert sum(v.sample for v in villages) == 491
    assert all(v.men + v.women == v.sample for v in villages)
    assert all("DEMO" in v.figure_source for v in villages)
    assert 3200 <= sum(v.figure for v in villages) <= 3400
    assert RouteAssignment.objects.filter(village__plan=plan).count() == len(villages)
    transition = demo_round.transitions.get()
    assert transition.by.username == "demo-monitor"


# --- Services ------------------------------------------------------------------------------


def test_status_moves_only_forward_recording_who_and_when(new_round, demo_user):
    staff, monitor = demo_user("staff"), demo_user("monitor")
    with pytest.raises(ValidationError):
        round_advance(round=new_round, to_status=RoundStatus.CLOSED, user=staff)
    with pytest.raises(ValidationError):
        round_advance(round=new_round, to_status=RoundStatus.PUBLISHED, user=staff)
    round_advance(round=new_round, to_status=RoundStatus.COLLECTING, user=staff)
    with pytest.raises(ValidationError):
        round_advance(round=new_round, to_status=RoundStatus.PLANNING, user=staff)
    round_advance(round=new_round, to_status=RoundStatus.CLOSED, user=monitor)
    round_advance(round=new_round, to_status=RoundStatus.PUBLISHED, user=monitor)
    with pytest.raises(ValidationError):
        round_advance(round=new_round, to_status=RoundStatus.PUBLISHED, user=monitor)
    steps = list(new_round.transitions.values_list("from_status", "to_status", "by__username"))
    assert steps == [
        ("planning", "collecting", "demo-staff"),
        ("collecting", "closed", "demo-monitor"),
        ("closed", "published", "demo-monitor"),
    ]
    assert all(t.at is not None for t in new_round.transitions.all())
    new_round.refresh_from_db()
    assert new_round.status == RoundStatus.PUBLISHED


def test_only_role_holders_of_the_municipality_can_be_assigned(
    demo_municipality, other_municipality, demo_user, version, water
):
    outsider = MembershipFactory(role=Role.ENUMERATOR, municipality=other_municipality).user
    arguments = {
        "municipality": demo_municipality,
        "version": version,
        "services": water,
        "start_date": datetime.date(2026, 9, 1),
        "end_date": datetime.date(2026, 9, 30),
        "user": demo_user("staff"),
    }
    before = Round.objects.count()
    with pytest.raises(ValidationError, match="cannot be assigned"):
        round_create(**arguments, enumerators=[outsider])
    # The demo enumerator is not a monitoring-group member.
    with pytest.raises(ValidationError, match="cannot be assigned"):
        round_create(**arguments, monitors=[demo_user("enumerator")])
    assert Round.objects.count() == before


def test_round_needs_a_published_version_of_the_municipality(
    other_municipality, demo_user, version, water
):
    with pytest.raises(ValidationError):
        round_create(
            municipality=other_municipality,
            version=version,
            services=water,
            start_date=datetime.date(2026, 9, 1),
            end_date=datetime.date(2026, 9, 30),
            user=None,
        )


def test_allocation_refuses_until_every_village_has_a_figure(new_round, demo_user):
    staff = demo_user("staff")
    plan = plan_set(round=new_round, user=staff, **PLAN_INPUTS)
    assert plan.sample_size == 491
    with pytest.raises(ValidationError, match="Missing"):
        plan_allocate(plan=plan, user=staff)
    figures = _figures(plan, value=300)
    missing = figures[0].village_id
    figures[0] = VillageFigure(missing, None, None, "", excluded=False)
    plan_villages_set(plan=plan, figures=figures, user=staff)
    with pytest.raises(ValidationError, match="Missing"):
        plan_allocate(plan=plan, user=staff)
    assert not PlanVillage.objects.filter(plan=plan, sample__isnull=False).exists()
    # Excluded explicitly: the allocation runs over the others.
    figures[0] = VillageFigure(missing, None, None, "", excluded=True)
    plan_villages_set(plan=plan, figures=figures, user=staff)
    plan_allocate(plan=plan, user=staff)
    rows = plan_villages(plan=plan)
    assert sum(v.sample or 0 for v in rows) == 491
    assert next(v for v in rows if v.village_id == missing).sample is None


def test_allocation_is_proportional_and_adds_up_with_sex_quotas(new_round, demo_user):
    staff = demo_user("staff")
    plan = plan_set(round=new_round, user=staff, **PLAN_INPUTS)
    rows = plan_villages(plan=plan)
    figures = {row.village.code: 100 * (i + 1) for i, row in enumerate(rows)}
    plan_villages_set(plan=plan, figures=_figures(plan, **figures), user=staff)
    plan_allocate(plan=plan, user=staff)
    rows = plan_villages(plan=plan)
    total_figure = sum(figures.values())
    assert sum(v.sample for v in rows) == plan.sample_size
    for v in rows:
        exact = plan.sample_size * v.figure / total_figure
        assert abs(v.sample - exact) < 1
        assert v.men + v.women == v.sample
        assert abs(v.men - v.sample * 0.49) <= 1


def test_new_inputs_reallocate_and_keep_the_enumerators(new_round, demo_user):
    staff, enumerator = demo_user("staff"), demo_user("enumerator")
    plan = plan_set(round=new_round, user=staff, **PLAN_INPUTS)
    plan_villages_set(plan=plan, figures=_figures(plan, value=200), user=staff)
    plan_allocate(plan=plan, user=staff)
    rows = plan_villages(plan=plan)
    plan_assign(plan=plan, assignments={row.pk: [enumerator] for row in rows}, user=staff)
    # A new margin: the same figures give the new size, allocated the same way.
    plan = plan_set(round=new_round, user=staff, **{**PLAN_INPUTS, "margin": Decimal("4")})
    assert plan.allocated
    assert plan.sample_size == 708
    shares = RouteAssignment.objects.filter(village__plan=plan)
    assert sum(a.interviews for a in shares) == 708
    assert {a.enumerator for a in shares} == {enumerator}
    # New village figures: the numbers wait for the next allocation, who covers what stays.
    plan_villages_set(plan=plan, figures=_figures(plan, value=100), user=staff)
    plan.refresh_from_db()
    assert not plan.allocated
    assert not PlanVillage.objects.filter(plan=plan, sample__isnull=False).exists()
    from aimak.surveys.selectors import route_sheet

    assert route_sheet(round=new_round, enumerator=enumerator) == []
    plan_allocate(plan=plan, user=staff)
    assert sum(a.interviews for a in route_sheet(round=new_round, enumerator=enumerator)) == 708


def test_villages_split_between_enumerators_add_up(new_round, demo_user):
    staff = demo_user("staff")
    second = MembershipFactory(role=Role.ENUMERATOR, municipality=new_round.municipality).user
    from aimak.surveys.rounds import round_update

    round_update(
        round=new_round,
        version=new_round.version,
        services=list(new_round.services.all()),
        start_date=new_round.start_date,
        end_date=new_round.end_date,
        monitors=[demo_user("monitor")],
        enumerators=[demo_user("enumerator"), second],
        user=staff,
    )
    plan = plan_set(round=new_round, user=staff, **PLAN_INPUTS)
    with pytest.raises(ValidationError):
        plan_assign(plan=plan, assignments={}, user=staff)  # not allocated yet
    plan_villages_set(plan=plan, figures=_figures(plan, value=333), user=staff)
    plan_allocate(plan=plan, user=staff)
    rows = plan_villages(plan=plan)
    plan_assign(
        plan=plan,
        assignments={row.pk: [demo_user("enumerator"), second] for row in rows},
        user=staff,
    )
    for row in plan_villages(plan=plan):
        shares = list(row.assignments.all())
        assert len(shares) == 2
        assert sum(a.interviews for a in shares) == row.sample
        assert sum(a.men for a in shares) == row.men
        assert sum(a.women for a in shares) == row.women
    # Without the second enumerator, the first covers every village in full again.
    round_update(
        round=new_round,
        version=new_round.version,
        services=list(new_round.services.all()),
        start_date=new_round.start_date,
        end_date=new_round.end_date,
        monitors=[demo_user("monitor")],
        enumerators=[demo_user("enumerator")],
        user=staff,
    )
    for row in plan_villages(plan=plan):
        assert [(a.enumerator, a.interviews) for a in row.assignments.all()] == [
            (demo_user("enumerator"), row.sample)
        ]
    # Somebody who is not an enumerator of the round cannot be given a village.
    with pytest.raises(ValidationError):
        plan_assign(plan=plan, assignments={rows[0].pk: [demo_user("monitor")]}, user=staff)


def test_plan_needs_the_municipality_population(other_municipality, demo_user):
    other_municipality.population = None
    other_municipality.save(update_fields=["population"])
    staff = MembershipFactory(role=Role.STAFF, municipality=other_municipality).user
    from aimak.surveys.services import questionnaire_create_from_templates, version_publish

    questionnaire = questionnaire_create_from_templates(
        municipality=other_municipality,
        services=Service.objects.filter(slug="solid-waste"),
        user=staff,
    )
    version = questionnaire.versions.get()
    version_publish(version=version, user=staff)
    version.refresh_from_db()
    round = round_create(
        municipality=other_municipality,
        version=version,
        services=list(questionnaire.services.all()),
        start_date=datetime.date(2026, 9, 1),
        end_date=datetime.date(2026, 9, 30),
        user=staff,
    )
    with pytest.raises(ValidationError, match="population"):
        plan_set(round=round, user=staff, **PLAN_INPUTS)
    assert not SamplePlan.objects.filter(round=round).exists()


# --- Permissions ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_rules_and_selectors_agree(
    role, demo_user, demo_municipality, other_municipality, demo_round
):
    user = demo_user(role)
    for municipality in (demo_municipality, other_municipality):
        assert user.has_perm("surveys.manage_rounds", municipality) == (
            round_manager_municipalities(user=user).filter(pk=municipality.pk).exists()
        )
        assert user.has_perm("surveys.view_rounds", municipality) == (
            round_viewer_municipalities(user=user).filter(pk=municipality.pk).exists()
        )
    assert user.has_perm("surveys.view_round", demo_round) == (
        round_visible(user=user).filter(pk=demo_round.pk).exists()
    )
    assert user.has_perm("surveys.manage_rounds", demo_municipality) == (role in MANAGES)
    assert user.has_perm("surveys.view_rounds", demo_municipality) == (role in SEES_LIST)
    assert user.has_perm("surveys.view_round", demo_round) == (role in SEES_LIST)


def test_enumerator_sees_only_the_rounds_assigned_to_them(new_round, demo_user, demo_round):
    from aimak.surveys.rounds import round_update

    round_update(
        round=new_round,
        version=new_round.version,
        services=list(new_round.services.all()),
        start_date=new_round.start_date,
        end_date=new_round.end_date,
        monitors=[],
        enumerators=[],
        user=None,
    )
    enumerator = demo_user("enumerator")
    listed = set(round_list(user=enumerator, municipality=new_round.municipality))
    assert demo_round in listed and new_round not in listed
    assert not enumerator.has_perm("surveys.view_round", new_round)


@pytest.mark.parametrize("role", ROLES)
def test_pages_by_role(role, client, demo_user, demo_round):
    client.force_login(demo_user(role))
    sees = role in SEES_LIST
    manages = role in MANAGES
    assert client.get(f"/en/surveys/municipality/{DEMO}/rounds/").status_code == (
        200 if sees else 403
    )
    assert client.get(f"/en/surveys/rounds/{demo_round.pk}/").status_code == (200 if sees else 403)
    assert client.get(f"/en/surveys/rounds/{demo_round.pk}/plan/").status_code == (
        200 if sees else 403
    )
    assert client.get(f"/en/surveys/municipality/{DEMO}/rounds/new/").status_code == (
        200 if manages else 403
    )
    assert client.get(f"/en/surveys/rounds/{demo_round.pk}/edit/").status_code == (
        200 if manages else 403
    )
    sheet = client.get(f"/en/surveys/rounds/{demo_round.pk}/route/demo-enumerator/")
    assert sheet.status_code == (200 if sees else 403)


def test_enumerator_sees_only_their_own_route_sheet(client, demo_user, demo_round):
    second = MembershipFactory(role=Role.ENUMERATOR, municipality=demo_round.municipality).user
    demo_round.members.create(user=second, role=Role.ENUMERATOR)
    client.force_login(demo_user("enumerator"))
    own = client.get(f"/ru/surveys/rounds/{demo_round.pk}/route/demo-enumerator/")
    assert own.status_code == 200
    assert "Ак-Коргон" in own.content.decode()
    assert (
        client.get(f"/en/surveys/rounds/{demo_round.pk}/route/{second.username}/").status_code
        == 403
    )
    # …and cannot change the plan or the round.
    assert (
        client.post(f"/en/surveys/rounds/{demo_round.pk}/plan/", {"margin": "3"}).status_code == 403
    )


def test_forged_posts_from_another_municipality_change_nothing(
    client, other_municipality, demo_round, demo_municipality, version
):
    outsider = MembershipFactory(role=Role.STAFF, municipality=other_municipality).user
    client.force_login(outsider)
    plan = demo_round.plan
    before = (plan.sample_size, plan.margin, demo_round.status, Round.objects.count())
    pk = demo_round.pk
    row = plan_villages(plan=plan)[0]
    forged = [
        (
            f"/en/surveys/municipality/{DEMO}/rounds/new/",
            {
                "version": version.pk,
                "services": [1],
                "start_date": "2026-09-01",
                "end_date": "2026-09-30",
            },
        ),
        (f"/en/surveys/rounds/{pk}/edit/", {"start_date": "2026-01-01"}),
        (f"/en/surveys/rounds/{pk}/advance/", {"status": "closed"}),
        (f"/en/surveys/rounds/{pk}/plan/", {**PLAN_INPUTS, "margin": "3"}),
        (
            f"/en/surveys/rounds/{pk}/plan/villages/",
            {f"figure_{row.village_id}": "1", "allocate": "1"},
        ),
        (f"/en/surveys/rounds/{pk}/plan/assign/", {f"assign_{row.pk}": [outsider.pk]}),
    ]
    for url, data in forged:
        assert client.post(url, data).status_code == 403, url
    plan.refresh_from_db()
    demo_round.refresh_from_db()
    assert (plan.sample_size, plan.margin, demo_round.status, Round.objects.count()) == before
    assert PlanVillage.objects.get(pk=row.pk).figure == row.figure
    assert client.get(f"/en/surveys/municipality/{DEMO}/rounds/").status_code == 403


# --- Pages ---------------------------------------------------------------------------------


def test_create_round_page(client, demo_user, version):
    client.force_login(demo_user("monitor"))
    water = Service.objects.get(slug="drinking-water")
    response = client.post(
        f"/en/surveys/municipality/{DEMO}/rounds/new/",
        {
            "version": version.pk,
            "services": [water.pk],
            "start_date": "2026-09-01",
            "end_date": "2026-09-30",
            "monitors": [demo_user("monitor").pk],
            "enumerators": [demo_user("enumerator").pk],
        },
    )
    round = Round.objects.order_by("-pk").first()
    assert response.status_code == 302
    assert response["Location"] == f"/en/surveys/rounds/{round.pk}/"
    assert round.status == RoundStatus.PLANNING
    assert round.created_by == demo_user("monitor")
    # A person who is not a role holder is not offered and a forged choice is refused.
    outsider = MembershipFactory(role=Role.ENUMERATOR).user
    response = client.post(
        f"/en/surveys/municipality/{DEMO}/rounds/new/",
        {
            "version": version.pk,
            "services": [water.pk],
            "start_date": "2026-09-01",
            "end_date": "2026-09-30",
            "enumerators": [outsider.pk],
        },
    )
    assert response.status_code == 200
    assert Round.objects.order_by("-pk").first() == round


def test_advance_page(client, demo_user, new_round):
    client.force_login(demo_user("staff"))
    client.post(f"/en/surveys/rounds/{new_round.pk}/advance/", {"status": "published"})
    new_round.refresh_from_db()
    assert new_round.status == RoundStatus.PLANNING
    response = client.post(
        f"/en/surveys/rounds/{new_round.pk}/advance/", {"status": "collecting"}, follow=True
    )
    new_round.refresh_from_db()
    assert new_round.status == RoundStatus.COLLECTING
    assert "demo-staff" in response.content.decode() or "Токтосунова" in response.content.decode()


def test_plan_page_without_javascript(client, demo_user, demo_round):
    client.force_login(demo_user("monitor"))
    url = f"/ky/surveys/rounds/{demo_round.pk}/plan/"
    page = client.get(url).content.decode()
    assert "491" in page and "n₀" in page
    response = client.post(url, {**PLAN_INPUTS, "margin": "4", "household_size": "4,5"})
    assert response.status_code == 302
    plan = SamplePlan.objects.get(round=demo_round)
    # 1.959964² · .25 / .04² · 1.5 = 900.34; / (1 + 899.34 / 3304) = 707.7 → 708
    assert plan.sample_size == 708
    # Same village figures: allocated again at once, the enumerator keeps the villages.
    assert plan.allocated
    assert sum(v.sample for v in plan_villages(plan=plan)) == 708
    sheet = client.get(f"/ky/surveys/rounds/{demo_round.pk}/route/demo-enumerator/")
    assert sheet.context["total"] == 708
    # The village table posts back its figures and allocates.
    data = {"allocate": "1"}
    for row in plan_villages(plan=plan):
        data[f"figure_{row.village_id}"] = str(row.figure)
        data[f"year_{row.village_id}"] = "2025"
        data[f"source_{row.village_id}"] = row.figure_source
    client.post(f"/ky/surveys/rounds/{demo_round.pk}/plan/villages/", data)
    assert sum(v.sample for v in plan_villages(plan=plan)) == 708


def test_plan_preview_for_htmx(client, demo_user, demo_round):
    client.force_login(demo_user("monitor"))
    response = client.get(
        f"/en/surveys/rounds/{demo_round.pk}/plan/preview/",
        {**PLAN_INPUTS, "margin": "3"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    # 1.959964² · .25 / .03² · 1.5 = 1600.6; / (1 + 1599.6 / 3304) = 1078.4 → 1079
    assert "1,079" in body or "1079" in body
    assert SamplePlan.objects.get(round=demo_round).sample_size == 491  # nothing saved


def test_rounds_list_queries_do_not_grow(
    client, demo_user, demo_municipality, version, water, django_assert_num_queries
):
    client.force_login(demo_user("monitor"))
    url = f"/ky/surveys/municipality/{DEMO}/rounds/"
    # session, user, roles, municipality, rounds (joined), their services, Django
    # permissions (menu) ×2
    with django_assert_num_queries(9):  # + the unread notifications in the header
        small = client.get(url)
    for day in range(1, 6):
        round_create(
            municipality=demo_municipality,
            version=version,
            services=water,
            start_date=datetime.date(2027, 1, day),
            end_date=datetime.date(2027, 2, day),
            user=None,
        )
    with django_assert_num_queries(9):  # + the unread notifications in the header
        large = client.get(url)
    assert len(large.context["rounds"]) == len(small.context["rounds"]) + 5


def test_rounds_linked_from_the_questionnaires_only_for_members(client, demo_user):
    url = f"/en/surveys/municipality/{DEMO}/"
    link = f"/en/surveys/municipality/{DEMO}/rounds/"
    client.force_login(demo_user("enumerator"))
    assert link in client.get(url).content.decode()
    client.force_login(demo_user("deputy"))
    assert link not in client.get(url).content.decode()


# --- API -----------------------------------------------------------------------------------


def bearer(raw):
    return {"Authorization": f"Bearer {raw}"}


def test_api_reads_rounds_with_plan_and_allocation(client, demo_user, demo_round):
    _token, raw = api_token(demo_user("enumerator"))
    listed = client.get(f"/api/v1/municipalities/{DEMO}/rounds", headers=bearer(raw))
    assert listed.status_code == 200
    assert [r["id"] for r in listed.json()] == [demo_round.pk]
    body = client.get(f"/api/v1/rounds/{demo_round.pk}", headers=bearer(raw)).json()
    assert body["status"] == "collecting"
    assert body["plan"]["sample_size"] == 491
    villages = body["plan"]["villages"]
    assert sum(v["interviews"] for v in villages) == 491
    assert villages[0]["enumerators"][0]["enumerator"] == "demo-enumerator"
    assert body["transitions"][0]["by"] == "demo-monitor"
    # Anonymous and other municipalities: refused.
    assert client.get(f"/api/v1/rounds/{demo_round.pk}").status_code == 401


def test_api_creates_and_advances_rounds(client, demo_user, version, other_municipality):
    _token, raw = api_token(demo_user("monitor"))
    data = {
        "questionnaire": version.questionnaire_id,
        "version": version.number,
        "services": ["drinking-water"],
        "start_date": "2026-10-01",
        "end_date": "2026-10-20",
        "monitors": ["demo-monitor"],
        "enumerators": ["demo-enumerator"],
    }
    response = client.post(
        f"/api/v1/municipalities/{DEMO}/rounds",
        data,
        content_type="application/json",
        headers=bearer(raw),
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["status"] == "planning"
    bad = client.post(
        f"/api/v1/rounds/{pk}/status",
        {"status": "closed"},
        content_type="application/json",
        headers=bearer(raw),
    )
    assert bad.status_code == 422
    ok = client.post(
        f"/api/v1/rounds/{pk}/status",
        {"status": "collecting"},
        content_type="application/json",
        headers=bearer(raw),
    )
    assert ok.status_code == 200
    assert ok.json()["transitions"][0]["by"] == "demo-monitor"
    # Assigning somebody without the role is a clear 422.
    wrong = client.post(
        f"/api/v1/municipalities/{DEMO}/rounds",
        {**data, "enumerators": ["demo-deputy"]},
        content_type="application/json",
        headers=bearer(raw),
    )
    assert wrong.status_code == 422
    assert demo_user("deputy").display_name in " ".join(wrong.json()["detail"])
    # Another municipality's staff: 403, nothing changes.
    outsider = MembershipFactory(role=Role.STAFF, municipality=other_municipality).user
    _t, other_raw = api_token(outsider)
    count = Round.objects.count()
    assert (
        client.post(
            f"/api/v1/municipalities/{DEMO}/rounds",
            data,
            content_type="application/json",
            headers=bearer(other_raw),
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/api/v1/rounds/{pk}/status",
            {"status": "closed"},
            content_type="application/json",
            headers=bearer(other_raw),
        ).status_code
        == 403
    )
    assert client.get(f"/api/v1/rounds/{pk}", headers=bearer(other_raw)).status_code == 403
    assert (
        client.get(f"/api/v1/municipalities/{DEMO}/rounds", headers=bearer(other_raw)).status_code
        == 403
    )
    assert Round.objects.count() == count
    assert Round.objects.get(pk=pk).status == "collecting"
