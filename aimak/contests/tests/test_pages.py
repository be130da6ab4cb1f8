import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from aimak.accounts.services import api_token_create
from aimak.contests import services
from aimak.contests.models import Application, AppStatus, Contest, Score, Stage, Vote
from tests.factories import UserFactory

from .conftest import DAY, verified

pytestmark = pytest.mark.django_db


def url(name, *args):
    with translation.override("en"):
        return reverse(f"contests:{name}", args=args)


def test_public_pages_show_the_contest_and_counts(client, make_contest, registered, voter):
    contest = make_contest("voting")
    a, _b = registered(contest)
    services.vote_cast(contest=contest, application=a, voter=voter)
    page = client.get(url("index")).content.decode()
    assert "Тестовый конкурс" in page or "Test" in page
    page = client.get(url("detail", contest.slug)).content.decode()
    assert "Проект 1" in page and f'data-votes="{a.pk}">1<' in page
    assert "Sign in to vote" in page


def test_a_verified_user_votes_once_through_the_page(client, make_contest, registered, voter):
    contest = make_contest("voting")
    a, b = registered(contest)
    client.force_login(voter)
    response = client.post(url("vote", contest.slug), {"application": a.pk}, follow=True)
    assert "your vote is counted" in response.content.decode()
    response = client.post(url("vote", contest.slug), {"application": b.pk}, follow=True)
    assert "already voted" in response.content.decode()
    assert Vote.objects.filter(contest=contest, voter=voter).count() == 1


def test_vote_rate_limit(client, settings, make_contest, registered, voter):
    settings.AIMAK_RATE_LIMITS = {**settings.AIMAK_RATE_LIMITS, "vote": "2/h"}
    contest = make_contest("voting")
    a, b = registered(contest)
    other = make_contest("voting", slug="other")
    c, _d = registered(other)
    client.force_login(voter)
    client.post(url("vote", contest.slug), {"application": a.pk})
    client.post(url("vote", contest.slug), {"application": b.pk})
    response = client.post(url("vote", other.slug), {"application": c.pk})
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert not Vote.objects.filter(contest=other).exists()


def test_forged_requests_are_refused(
    client, make_contest, registered, jury, expert, staff, other_staff, demo_municipality
):
    # Another municipality's draft: not visible, not editable, nothing written.
    call = make_contest("call", slug="call")
    draft = services.application_create(
        contest=call, municipality=demo_municipality, by=staff, title="Черновик"
    )
    client.force_login(other_staff)
    response = client.get(url("application", draft.pk))
    assert (
        response.status_code == 403 and "draft of another municipality" in response.content.decode()
    )
    response = client.post(url("application_edit", draft.pk), {"title": "Взлом"})
    assert response.status_code == 403
    response = client.post(url("application_submit", draft.pk))
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.title == "Черновик" and draft.status == AppStatus.DRAFT
    client.logout()
    assert client.get(url("application", draft.pk)).status_code in (302, 403)
    # A score for an application with a declared conflict.
    review = make_contest("review", slug="review")
    app, _other = registered(review)
    member, _m2 = jury(review)
    services.conflict_declare(member=member, application=app, by=expert, has_conflict=True)
    client.force_login(expert)
    data = {"step": "score", **{f"c{c.pk}": 3 for c in review.criteria.all()}}
    response = client.post(url("score", app.pk), data)
    assert response.status_code == 403 and "conflict of interest" in response.content.decode()
    assert not Score.objects.filter(application=app).exists()
    # Not on the jury at all.
    client.force_login(staff)
    assert client.post(url("score", app.pk), data).status_code == 403
    # Votes on a closed contest.
    closed = make_contest("closed", slug="closed")
    c_app, _x = registered(closed)
    client.force_login(verified(UserFactory(username="late-voter")))
    response = client.post(url("vote", closed.slug), {"application": c_app.pk}, follow=True)
    assert "Voting in this contest is not open" in response.content.decode()
    assert not Vote.objects.filter(contest=closed).exists()
    # Secretary pages for a non-secretary.
    client.force_login(staff)
    assert client.get(url("jury", review.slug)).status_code == 403
    assert client.post(url("winners", closed.slug), {f"place_{c_app.pk}": "1"}).status_code == 403


def test_staff_apply_fill_submit_and_secretary_registers(client, make_contest, staff, admin):
    contest = make_contest("call")
    client.force_login(staff)
    response = client.post(
        url("apply", contest.slug),
        {"municipality": staff.memberships.first().municipality_id, "title": "Колодец"},
    )
    app = Application.objects.get(contest=contest)
    assert response.status_code == 302
    short, number, choice, attachment = contest.fields.all()
    from .conftest import pdf_file

    response = client.post(url("application_edit", app.pk), {
        "title": "Колодец", f"f{short.pk}": "Новый колодец", f"f{number.pk}": "abc",
    })  # fmt: skip
    assert "write a number" in response.content.decode()
    client.post(url("application_edit", app.pk), {
        "title": "Колодец", f"f{short.pk}": "Новый колодец", f"f{number.pk}": "500000",
        f"f{choice.pk}": "Вода", f"f{attachment.pk}": pdf_file("smeta.pdf"),
    })  # fmt: skip
    response = client.post(url("application_submit", app.pk), follow=True)
    assert "submitted to the secretary" in response.content.decode()
    client.force_login(admin)
    response = client.post(url("application_decide", app.pk), {"decision": "register"}, follow=True)
    assert f"{contest.number}/001" in response.content.decode()
    stored = app.files.get()
    assert client.get(url("file", app.pk, stored.pk)).status_code == 200
    client.logout()
    assert client.get(url("application", app.pk)).status_code == 200  # registered: public
    assert client.get(url("file", app.pk, stored.pk)).status_code == 403


def test_secretary_marks_winners_publishes_and_downloads_the_protocol(
    client, make_contest, registered, admin, voter
):
    contest = make_contest("closed")
    a, b = registered(contest)
    assert client.get(url("results", contest.slug)).status_code == 404
    client.force_login(admin)
    client.post(
        url("winners", contest.slug),
        {f"place_{a.pk}": "1", f"mention_{b.pk}": "on", "publish": "1"},
    )
    contest.refresh_from_db()
    assert contest.stage == Stage.RESULTS
    client.logout()
    page = client.get(url("results", contest.slug)).content.decode()
    assert "Place 1" in page and "Проект 1" in page
    response = client.get(url("protocol", contest.slug))
    book = load_workbook(io.BytesIO(response.content))
    values = [c for row in book.active.iter_rows(values_only=True) for c in row]
    assert f"{contest.number}/001" in values and "Проект 2" in values


def test_api(client, make_contest, registered, voter):
    contest = make_contest("voting")
    a, b = registered(contest)
    listing = client.get("/api/v1/contests").json()
    assert contest.slug in [c["slug"] for c in listing]
    detail = client.get(f"/api/v1/contests/{contest.slug}").json()
    assert [x["id"] for x in detail["applications"]] == [a.pk, b.pk] and detail["stage"] == "voting"
    _token, raw = api_token_create(user=voter, name="test")
    headers = {"Authorization": f"Bearer {raw}"}
    assert (
        client.post(
            f"/api/v1/contests/{contest.slug}/vote",
            {"application": a.pk},
            content_type="application/json",
        ).status_code
        == 401
    )
    response = client.post(
        f"/api/v1/contests/{contest.slug}/vote",
        {"application": a.pk},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 201 and response.json()["votes"] == 1
    response = client.post(
        f"/api/v1/contests/{contest.slug}/vote",
        {"application": b.pk},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 422 and response.json()["detail"][0]
    assert Vote.objects.filter(contest=contest, voter=voter).count() == 1
    assert client.get(f"/api/v1/contests/{contest.slug}/results").status_code == 404
    assert (
        client.get(f"/api/v1/contests/{contest.slug}/my-application", headers=headers).json() == []
    )
    Contest.objects.filter(pk=contest.pk).update(voting_closes=contest.voting_opens + DAY / 2)
    contest.refresh_from_db()
    services.winners_set(
        contest=contest, by=contest.secretary, awards=[services.Award(application_id=a.pk, place=1)]
    )
    services.results_publish(contest=contest, by=contest.secretary)
    results = client.get(f"/api/v1/contests/{contest.slug}/results").json()
    assert results["results"][0]["application"]["votes"] in (0, 1)
    assert {r["application"]["id"]: r["place"] for r in results["results"]}[a.pk] == 1


def test_api_vote_not_verified_is_forbidden(client, make_contest, registered):
    contest = make_contest("voting")
    a, _b = registered(contest)
    _token, raw = api_token_create(user=UserFactory(username="nv"), name="t")
    response = client.post(f"/api/v1/contests/{contest.slug}/vote", {"application": a.pk},
                           content_type="application/json", headers={"Authorization": f"Bearer {raw}"})  # fmt: skip
    assert response.status_code == 403 and response.json()["detail"]
    assert not Vote.objects.filter(contest=contest).exists()


def test_secretary_and_jury_pages_render(
    client, make_contest, registered, jury, expert, admin, voter
):
    contest = make_contest("voting")
    a, _b = registered(contest)
    member, _m2 = jury(contest)
    for n in range(5):
        services.vote_cast(
            contest=contest,
            application=a,
            voter=verified(UserFactory(username=f"f{n}")),
            ip="192.0.2.1",
        )
    client.force_login(admin)
    for name in ("edit", "form", "applications", "jury", "flags", "results"):
        response = client.get(url(name, contest.slug))
        assert response.status_code == 200, name
    assert "Many votes from one address" in client.get(url("flags", contest.slug)).content.decode()
    page = client.get(url("jury", contest.slug)).content.decode()
    assert expert.full_name in page
    response = client.post(url("voters"), {"action": "codes", "count": 3, "label": "Сход"})
    assert response.content.decode().count("<code>") == 3
    assert client.get(url("new")).status_code == 200
    client.force_login(expert)
    assert client.get(url("judge", contest.slug)).status_code == 200
    response = client.post(
        url("score", a.pk), {"step": "declare", "has_conflict": "no"}, follow=True
    )
    assert "declaration is recorded" in response.content.decode()
    data = {"step": "score", **{f"c{c.pk}": 4 for c in contest.criteria.all()}}
    client.post(url("score", a.pk), data)
    assert member.scores.filter(application=a).count() == contest.criteria.count()
