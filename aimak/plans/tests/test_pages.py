"""Pages: who may do what, the whole loop by forms, the public page and its query count."""

import datetime

import pytest
from django.urls import reverse

from aimak.accounts.models import Role
from aimak.plans.models import Action, FollowUp, Recommendation, Source, Verification
from aimak.plans.services import (
    EvidenceIn,
    action_set_status,
    contact_add,
    follow_ups_ask,
    milestone_add,
)


def url(name, **kwargs):
    return reverse(f"plans:{name}", kwargs=kwargs)


@pytest.mark.django_db
def test_public_page_shows_published_only_with_progress_and_verdicts(
    client, demo_municipality, make_rec, make_action
):
    make_rec(demo_municipality, title="Секретная рекомендация", published=False)
    response = client.get("/ru" + url("public", code=demo_municipality.code)[3:])
    html = response.content.decode()
    assert response.status_code == 200
    assert "Бесперебойная подача питьевой воды (демо)" in html
    assert "Секретная рекомендация" not in html
    assert "Подтверждено группой мониторинга" in html
    assert "выполнено на 100 %" in html  # progress in words beside the bar
    assert len(response.content) < 100_000


@pytest.mark.django_db
def test_public_page_languages(client, demo_municipality):
    for lang, word in (("ky", "Ичүүчү сууну"), ("ru", "Бесперебойная"), ("en", "Action plan")):
        response = client.get(f"/{lang}/plans/{demo_municipality.code}/")
        assert word in response.content.decode(), lang


@pytest.mark.django_db
def test_public_page_is_cached_and_refreshed_by_a_change(
    client, demo_municipality, make_rec, demo_user
):
    path = f"/ru/plans/{demo_municipality.code}/"
    client.get(path)
    make_rec(demo_municipality, title="Новая опубликованная")
    assert "Новая опубликованная" in client.get(path).content.decode()


@pytest.mark.django_db
def test_public_page_overdue_in_words(client, demo_municipality):
    html = client.get(f"/en/plans/{demo_municipality.code}/").content.decode()
    assert 'class="overdue">Overdue' in html


@pytest.mark.django_db
def test_public_page_query_count_does_not_grow(
    client, other_municipality, make_rec, make_action, demo_user, django_assert_num_queries
):
    staff = demo_user("staff")

    def grow(n):
        for i in range(n):
            rec = make_rec(other_municipality, title=f"R{i}")
            for j in range(3):
                a = make_action(rec, title=f"A{j}")
                milestone_add(
                    action=a,
                    user=staff,
                    date=datetime.date.today(),
                    progress=10,
                    evidence=[EvidenceIn(url=f"https://example.org/{i}/{j}")],
                )

    path = f"/en/plans/{other_municipality.code}/"
    grow(2)
    client.get(path)  # warm up the URL resolver, templates
    from django.core.cache import cache

    cache.clear()
    # content version (cache key), municipality, two totals, recommendations, actions,
    # evidence
    with django_assert_num_queries(7):
        assert client.get(path).status_code == 200
    grow(23)
    cache.clear()
    with django_assert_num_queries(7):
        html = client.get(path).content.decode()
    assert html.count("<article") == 20  # one page of 20
    assert ">25</span>" in html  # the totals cover all 25
    cache.clear()
    with django_assert_num_queries(7):
        html = client.get(path + "?page=2").content.decode()
    assert html.count("<article") == 5


@pytest.mark.django_db
def test_anonymous_cannot_manage(client, demo_municipality):
    response = client.get(url("list", code=demo_municipality.code))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role,view,create",
    [
        ("staff", 200, 200),
        ("deputy", 200, 403),
        ("monitor", 200, 403),
        ("facilitator", 200, 403),
        ("programme", 200, 403),
        ("expert", 200, 403),
        ("content", 403, 403),
    ],
)
def test_who_sees_and_who_edits(client, demo_user, demo_municipality, role, view, create):
    client.force_login(demo_user(role))
    assert client.get(url("list", code=demo_municipality.code)).status_code == view
    assert (
        client.get(url("recommendation_create", code=demo_municipality.code)).status_code == create
    )


@pytest.mark.django_db
def test_staff_of_another_municipality_is_refused_with_a_message(
    client, other_staff, demo_municipality
):
    client.force_login(other_staff)
    rec = Recommendation.objects.filter(municipality=demo_municipality).first()
    response = client.get(url("recommendation_create", code=demo_municipality.code))
    assert response.status_code == 403  # the message shows once a 403.html exists
    action = rec.actions.first()
    response = client.post(url("action_status", pk=action.pk), {"status": action.status_id})
    assert response.status_code == 403
    response = client.post(
        url("recommendation_edit", pk=rec.pk),
        {"title_ru": "Взлом", "source": "study", "reference": "x"},
    )
    assert response.status_code == 403
    rec.refresh_from_db()
    assert rec.title_ru != "Взлом"


@pytest.mark.django_db
def test_the_loop_by_forms(client, demo_user, demo_municipality, statuses):
    """Finding → recommendation → action → milestone → done → verified → public page."""
    staff = demo_user("staff")
    client.force_login(staff)
    round_pk = (
        __import__("aimak.surveys.models", fromlist=["Round"])
        .Round.objects.get(key="demo:round:41703204804000:2025")
        .pk
    )
    new = url("recommendation_create", code=demo_municipality.code)
    page = client.get(
        f"{new}?round={round_pk}&service=solid-waste&index=waste_quality&value=33+%25"
    )
    html = page.content.decode()
    assert f'value="{round_pk}:solid-waste:waste_quality" selected' in html
    assert 'value="crc_finding" id="id_source_0" required checked' in html or "checked" in html
    response = client.post(
        new,
        {
            "title_ru": "Чище площадки (тест)",
            "title_ky": "Таза аянтчалар (тест)",
            "source": "crc_finding",
            "finding": f"{round_pk}:solid-waste:waste_quality",
            "finding_value": "33 %",
            "priority": "high",
            "published": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    rec = Recommendation.objects.get(title_ru="Чище площадки (тест)")
    assert rec.index == "waste_quality" and rec.service.slug == "solid-waste"
    response = client.post(
        url("action_create", pk=rec.pk),
        {
            "title_ru": "Убрать площадки",
            "responsible": "Тазалык",
            "deadline": "2027-06-01",
            "budget": "15000",
            "status": statuses["planned"].pk,
        },
    )
    assert response.status_code == 302
    action = rec.actions.get()
    response = client.post(
        url("milestone_add", pk=action.pk),
        {
            "date": datetime.date.today().isoformat(),
            "progress": "70",
            "note": "Половина",
            "evidence_url": "https://example.org/photo-report",
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.progress == 70
    client.post(url("action_status", pk=action.pk), {"status": statuses["done"].pk})
    action.refresh_from_db()
    assert action.status.key == "done" and action.progress == 100
    # A forged status (unknown id) is refused.
    response = client.post(url("action_status", pk=action.pk), {"status": "999999"}, follow=True)
    assert "Choose a status" in response.content.decode()

    client.force_login(demo_user("monitor"))
    response = client.post(url("verify", pk=action.pk), {"verdict": "verified", "comment": "Ок"})
    assert response.status_code == 302
    assert Verification.objects.filter(action=action, by=demo_user("monitor")).exists()
    client.logout()
    html = client.get(f"/en/plans/{demo_municipality.code}/").content.decode()
    assert "Чище площадки (тест)" in html or "Таза аянтчалар" in html
    assert "Verified by the monitoring group" in html
    detail = client.get(url("recommendation", pk=rec.pk)).content.decode()
    assert "Half" in detail or "Половина" in detail


@pytest.mark.django_db
def test_only_monitors_verify(
    client, demo_user, demo_municipality, make_rec, make_action, statuses
):
    action = make_action(make_rec(demo_municipality), status="done")
    client.force_login(demo_user("staff"))
    assert client.post(url("verify", pk=action.pk), {"verdict": "verified"}).status_code == 403
    assert not action.verifications.exists()


@pytest.mark.django_db
def test_bad_file_on_the_milestone_form(
    client, demo_user, demo_municipality, make_rec, make_action
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    action = make_action(make_rec(demo_municipality))
    client.force_login(demo_user("staff"))
    response = client.post(
        url("milestone_add", pk=action.pk),
        {
            "date": datetime.date.today().isoformat(),
            "progress": "50",
            "evidence_file": SimpleUploadedFile("x.pdf", b"<html>not a pdf</html>"),
        },
    )
    assert response.status_code == 200
    assert "is not a photo" in response.content.decode()
    assert not action.milestones.exists()


@pytest.mark.django_db
def test_unpublished_recommendation_is_hidden(client, demo_user, demo_municipality, make_rec):
    rec = make_rec(demo_municipality, published=False)
    assert client.get(url("recommendation", pk=rec.pk)).status_code == 404
    client.force_login(demo_user("content"))
    assert client.get(url("recommendation", pk=rec.pk)).status_code == 403
    client.force_login(demo_user("deputy"))
    assert client.get(url("recommendation", pk=rec.pk)).status_code == 200


@pytest.mark.django_db
def test_follow_up_page_by_token(
    client, demo_user, demo_municipality, make_rec, make_action, statuses
):
    from django.utils import timezone

    FollowUp.objects.all().delete()
    staff = demo_user("staff")
    rec = make_rec(demo_municipality)
    contact_add(recommendation=rec, user=staff, email="res@example.org", consent=True)
    action = make_action(rec)
    Action.objects.update(done_at=None)
    action_set_status(
        action=action,
        status=statuses["done"],
        user=staff,
        at=timezone.now() - datetime.timedelta(days=30),
    )
    follow_ups_ask()
    token = FollowUp.objects.get(email="res@example.org").token
    path = url("follow_up", token=token)
    assert client.get(path).status_code == 200
    response = client.post(path, {"answer": "not_done", "comment": "Ничего не сделано"})
    assert response.status_code == 302
    client.post(path, {"answer": "partly"})
    assert FollowUp.objects.get(token=token).answer == "partly"
    assert client.get(url("follow_up", token="forged")).status_code == 404
    client.force_login(staff)
    detail = client.get(url("recommendation", pk=rec.pk)).content.decode()
    assert "Partly done" in detail or "Частично" in detail


@pytest.mark.django_db
def test_status_list_page(client, demo_user, statuses):
    client.force_login(demo_user("staff"))
    assert client.get(url("statuses")).status_code == 403
    client.force_login(demo_user("admin"))
    s = statuses["delayed"]
    response = client.post(
        url("statuses") + f"?edit={s.pk}",
        {
            "key": "delayed",
            "name_ky": s.name_ky,
            "name_ru": s.name_ru,
            "name_en": "Late",
            "default_progress": "20",
            "is_open": "on",
            "order": "30",
        },
    )
    assert response.status_code == 302
    s.refresh_from_db()
    assert s.default_progress == 20 and s.name_en == "Late"


@pytest.mark.django_db
def test_filters(client, demo_user, demo_municipality):
    client.force_login(demo_user("deputy"))
    base = url("list", code=demo_municipality.code)
    html = client.get(base + "?overdue=on").content.decode()
    assert "Регулярная проверка качества воды" in html or "Суунун сапатын" in html
    assert "Бесперебойная" not in html and "Ичүүчү сууну үзгүлтүксүз" not in html
    html = client.get(base + "?source=programme").content.decode()
    assert "Включить водопровод" in html or "Суу түтүгүн өнүгүү" in html
    assert "Контейнерные" not in html
    html = client.get(base + "?service=solid-waste").content.decode()
    assert "График вывоза" in html or "Таштанды ташуунун" in html


@pytest.mark.django_db
def test_selectors_agree_with_permissions(demo_user, demo_municipality):
    from aimak.plans.selectors import (
        plan_editor_municipalities,
        plan_verifier_municipalities,
        plan_viewer_municipalities,
    )
    from tests.factories import DEMO_ROLES

    for role in DEMO_ROLES:
        user = demo_user(role)
        for perm, selector in (
            ("plans.view_plan", plan_viewer_municipalities),
            ("plans.edit_plan", plan_editor_municipalities),
            ("plans.verify", plan_verifier_municipalities),
        ):
            listed = selector(user=user).filter(pk=demo_municipality.pk).exists()
            assert listed == user.has_perm(perm, demo_municipality), (role, perm)
    assert Role.MONITOR
    assert Source.STUDY
