import pytest
from django.urls import reverse
from django.utils import translation

from aimak.practices.models import Expert, Practice, PracticeDocument, Status
from aimak.practices.services import (
    practice_publish,
    practice_review_start,
    practice_submit,
    practice_video_add,
)

from .conftest import png_file

pytestmark = pytest.mark.django_db


def url(name, *args):
    with translation.override("en"):
        return reverse(f"practices:{name}", args=args)


def published(make_practice, author, admin, **kwargs):
    practice = make_practice(author, **kwargs)
    practice_submit(practice=practice, by=author)
    practice_review_start(practice=practice, by=admin)
    return practice_publish(practice=practice, by=admin)


def test_library_lists_filters_and_finds(client, author, admin, make_practice, themes):
    local = published(make_practice, author, admin)
    abroad = published(
        make_practice, author, admin, country="EE", country_name="Тарту",
        title={"ky": "Эстония онлайн кызматтар", "ru": "Эстония: электронные услуги"},
        themes=[themes["digital"]],
    )  # fmt: skip
    draft = make_practice(author, title={"ky": "Жашыруун долбоор", "ru": "Секретный черновик"})
    page = client.get(url("library"))
    assert page.status_code == 200
    html = page.content.decode()
    assert True
    assert local.get_absolute_url() in html and abroad.get_absolute_url() in html
    assert draft.get_absolute_url() not in html
    assert "International" in html
    html = client.get(url("library"), {"international": "yes"}).content.decode()
    assert abroad.get_absolute_url() in html and local.get_absolute_url() not in html
    html = client.get(url("library"), {"theme": "digital"}).content.decode()
    assert abroad.get_absolute_url() in html and local.get_absolute_url() not in html
    html = client.get(url("library"), {"q": "водопользователей"}).content.decode()
    assert local.get_absolute_url() in html and abroad.get_absolute_url() not in html
    html = client.get(url("library"), {"q": "Секретный"}).content.decode()
    assert draft.get_absolute_url() not in html


def test_library_page_is_light(client):
    page = client.get(url("library"))
    assert page.status_code == 200 and len(page.content) < 100_000


def test_detail_page_is_cached_and_refreshed_on_publish(client, author, admin, make_practice):
    practice = make_practice(author)
    assert client.get(practice.get_absolute_url()).status_code == 404
    practice_submit(practice=practice, by=author)
    practice_review_start(practice=practice, by=admin)
    practice_publish(practice=practice, by=admin)
    page = client.get(practice.get_absolute_url())
    assert page.status_code == 200
    assert (
        "Создали ассоциацию" in page.content.decode()
        or "Ассоциация түзүлдү" in page.content.decode()
    )


def test_another_users_draft_is_404(client, author, stranger, make_practice):
    practice = make_practice(author)
    client.force_login(stranger)
    assert client.get(practice.get_absolute_url()).status_code == 404
    assert client.get(url("edit", practice.slug)).status_code == 404
    assert client.post(url("submit", practice.slug)).status_code == 404
    client.force_login(author)
    page = client.get(practice.get_absolute_url())
    assert page.status_code == 200 and "Preview" in page.content.decode()


def test_a_video_is_a_link_never_an_embedded_player(client, author, admin, make_practice):
    practice = make_practice(author)
    practice_video_add(practice=practice, by=author, url="https://www.youtube.com/watch?v=abc")
    practice_submit(practice=practice, by=author)
    practice_review_start(practice=practice, by=admin)
    practice_publish(practice=practice, by=admin)
    html = client.get(practice.get_absolute_url()).content.decode()
    assert 'href="https://www.youtube.com/watch?v=abc"' in html
    assert "<iframe" not in html and "youtube.com/embed" not in html


def test_submit_edit_and_moderate_through_the_pages(client, author, admin, themes):
    client.force_login(author)
    form = {
        "title_ky": "Көчө жарыгы", "title_ru": "Уличное освещение",
        "problem_ky": "Караңгы", "problem_ru": "Темно <script>alert(1)</script>",
        "solution_ky": "Чырактар", "solution_ru": "Фонари",
        "themes": ["communal-services"], "country": "KG", "cost_currency": "KGS",
    }  # fmt: skip
    response = client.post(url("submit_new"), form)
    practice = Practice.objects.get(author=author)
    assert response.status_code == 302 and response["Location"] == url("edit", practice.slug)
    assert "<script" not in practice.problem_ru
    # Attach a photo and a document; a forged document is refused and nothing remains.
    client.post(url("attach", practice.slug, "photo"), {"alt": "Фонарь", "file": png_file()})
    assert practice.photos.count() == 1
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(
        url("attach", practice.slug, "document"),
        {"file": SimpleUploadedFile("a.pdf", b"<html>not a pdf</html>")},
    )
    assert not PracticeDocument.objects.filter(practice=practice).exists()
    client.post(url("submit", practice.slug))
    practice.refresh_from_db()
    assert practice.status == Status.SUBMITTED
    # The author cannot moderate nor edit now.
    assert client.post(url("moderate", practice.slug), {"action": "review"}).status_code == 403
    assert client.get(url("edit", practice.slug)).status_code == 403
    client.force_login(admin)
    assert practice.title_ru in client.get(url("queue")).content.decode()
    client.post(url("moderate", practice.slug), {"action": "review"})
    client.post(url("moderate", practice.slug), {"action": "return", "comment": "Фото?"})
    practice.refresh_from_db()
    assert practice.status == Status.RETURNED
    client.force_login(author)
    page = client.get(url("edit", practice.slug)).content.decode()
    assert "Фото?" in page
    client.post(url("submit", practice.slug))
    client.force_login(admin)
    client.post(url("moderate", practice.slug), {"action": "review"})
    client.post(url("moderate", practice.slug), {"action": "publish"})
    practice.refresh_from_db()
    assert practice.status == Status.PUBLISHED
    client.logout()
    html = client.get(practice.get_absolute_url()).content.decode()
    assert "srcset=" in html and 'alt="Фонарь"' in html


def test_admin_pages_refuse_other_users(client, stranger, demo_user):
    for name in ("queue", "target", "themes", "expert_admin", "expert_new", "theme_new"):
        client.force_login(stranger)
        assert client.get(url(name)).status_code == 403, name
        client.force_login(demo_user("staff"))
        assert client.get(url(name)).status_code == 403, name
        client.force_login(demo_user("content"))
        assert client.get(url(name)).status_code == 200, name
    client.logout()
    assert client.get(url("queue")).status_code == 302  # to the sign-in page


def test_target_page_for_the_programme_manager(client, demo_user):
    client.force_login(demo_user("programme"))
    page = client.get(url("target"))
    assert page.status_code == 200 and page.content.decode().count("<tr>") == 13


def test_history_page_shows_who_changed_what(client, author, admin, make_practice, stranger):
    practice = make_practice(author)
    client.force_login(author)
    assert client.get(url("history", practice.slug)).status_code == 200
    client.force_login(admin)
    page = client.get(url("history", practice.slug))
    assert page.status_code == 200 and author.display_name in page.content.decode()


def test_expert_directory_and_contacts_as_allowed(client, demo_user):
    page = client.get(url("experts"))
    assert page.status_code == 200 and "DEMO" in page.content.decode()
    hidden = Expert.objects.filter(show_phone=False).first()
    html = client.get(hidden.get_absolute_url()).content.decode()
    assert hidden.phone not in html
    assert hidden.email in html  # the demo experts allow their e-mail
    html = client.get(url("experts"), {"language": "en"}).content.decode()
    assert all(
        e.get_absolute_url() in html for e in Expert.objects.filter(languages__icontains='"en"')
    )
    assert "Бакыт" not in html
    html = client.get(url("experts"), {"q": "ПСЭР"}).content.decode()
    assert "Марат" in html


def test_expert_edit_by_the_content_admin(client, demo_user, themes):
    client.force_login(demo_user("content"))
    response = client.post(
        url("expert_new"),
        {"name": "Test Expert", "organisation_ky": "Уюм", "organisation_ru": "Организация",
         "bio_ru": "<p>Био</p><script>x</script>", "themes": ["waste"], "languages": ["ky", "ru"],
         "email": "t@example.kg", "active": "on", "username": "demo-staff",
         "photo": png_file()},
    )  # fmt: skip
    assert response.status_code == 302
    expert = Expert.objects.get(name="Test Expert")
    assert "<script" not in expert.bio_ru and expert.photo_small
    assert expert.user.username == "demo-staff"
    assert client.get(url("expert_changes", expert.slug)).status_code == 200
    client.force_login(demo_user("expert"))
    assert client.post(url("expert_edit", expert.slug), {"name": "x"}).status_code == 403
    expert.refresh_from_db()
    assert expert.name == "Test Expert"


def test_expert_page_lists_the_events_of_the_experts_account(client, demo_user):
    from aimak.events.models import Event, Participant

    expert = Expert.objects.get(user=demo_user("expert"))
    event = Event.objects.order_by("pk").first()
    assert event is not None, "the demo seeds events"
    Participant.objects.create(event=event, user=expert.user, name=expert.name)
    html = client.get(expert.get_absolute_url()).content.decode()
    assert event.get_absolute_url() in html and event.title in html
    other = Expert.objects.filter(user__isnull=True).first()
    assert event.get_absolute_url() not in client.get(other.get_absolute_url()).content.decode()


def test_library_filters_by_municipality(client, demo_municipality):
    html = client.get(url("library"), {"municipality": demo_municipality.code}).content.decode()
    expected = Practice.objects.filter(status="published", municipality=demo_municipality)
    others = Practice.objects.filter(status="published").exclude(municipality=demo_municipality)
    assert expected.exists() and others.exists()
    assert all(p.get_absolute_url() in html for p in expected)
    assert not any(p.get_absolute_url() in html for p in others)


def test_content_admin_edits_a_theme_and_the_library_shows_it(client, demo_user):
    from aimak.practices.models import Theme

    client.force_login(demo_user("content"))
    response = client.post(
        url("theme_edit", "waste"),
        {
            "slug": "waste",
            "position": 7,
            "name_ky": "Таштанды",
            "name_ru": "Мусор",
            "name_en": "Waste",
        },
    )
    assert response.status_code == 302
    theme = Theme.objects.get(slug="waste")
    assert (theme.name_ky, theme.name_ru, theme.history.first().history_user) == (
        "Таштанды", "Мусор", demo_user("content"),
    )  # fmt: skip
    # Kyrgyz and Russian names are required: nothing changes without them.
    client.post(
        url("theme_edit", "waste"), {"slug": "waste", "position": 7, "name_ky": "", "name_ru": "X"}
    )
    assert Theme.objects.get(slug="waste").name_ru == "Мусор"
    client.logout()
    with translation.override("ru"):
        page = client.get(reverse("practices:library"))
    assert "Мусор" in page.content.decode()


def test_an_unlisted_expert_is_hidden_from_the_public(client, demo_user):
    from aimak.practices.services import ExpertData, expert_save

    expert = Expert.objects.order_by("pk").first()
    expert_save(
        by=demo_user("content"), expert=expert, data=ExpertData(name=expert.name, active=False)
    )
    assert client.get(expert.get_absolute_url()).status_code == 404
    assert expert.get_absolute_url() not in client.get(url("experts")).content.decode()
    client.force_login(demo_user("content"))
    assert client.get(expert.get_absolute_url()).status_code == 200


def test_an_experts_page_lists_their_published_answers_and_contest_juries(client):
    from aimak.contests.models import JuryMember
    from aimak.practices.models import Expert
    from aimak.questions.models import Answer, Question, Visibility

    answer = (
        Answer.objects.filter(
            published=True, expert__isnull=False, question__visibility=Visibility.PUBLIC
        )
        .select_related("expert", "question")
        .first()
    )
    assert answer is not None, "the demo has an expert's published answer"
    page = client.get(f"/ru/practices/experts/{answer.expert.slug}/").content.decode()
    assert 'id="h-answers"' in page and answer.question.title in page
    for private in Question.objects.filter(visibility=Visibility.PRIVATE):
        assert private.title not in page
    expert = Expert.objects.get(user__username="demo-expert")
    contests = [j.contest for j in JuryMember.objects.filter(user=expert.user)]
    assert contests, "the demo's expert sits on a jury"
    page = client.get(f"/ky/practices/experts/{expert.slug}/").content.decode()
    assert 'id="h-juries"' in page
    assert all(contest.title_ky in page for contest in contests)
