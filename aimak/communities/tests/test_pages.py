import pytest
from django.urls import reverse

from aimak.communities.models import Post, PostReport, PostStatus, Thread
from aimak.communities.services import post_create, post_report, thread_moderate

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode()


def test_list_and_community_pages_are_public(client, community, thread):
    response = client.get(reverse("communities:list"))
    # No English name: falls back to Russian; the Kyrgyz page shows the Kyrgyz one.
    assert response.status_code == 200 and "Пастбища тест" in _text(response)
    assert "Жайыттар тест" in _text(client.get("/ky/communities/"))
    response = client.get(community.get_absolute_url())
    assert response.status_code == 200
    assert thread.title in _text(response)


def test_messenger_link_from_the_community_or_the_default(client, community, settings):
    settings.COMMUNITIES_MESSENGER_URL = "https://t.me/union_lsg"
    assert 'href="https://t.me/union_lsg"' in _text(client.get(community.get_absolute_url()))
    community.messenger_url = "https://t.me/pastures"
    community.save()
    body = _text(client.get(community.get_absolute_url()))
    assert 'href="https://t.me/pastures"' in body and "union_lsg" not in body


def test_reply_with_mention_links_to_the_member(client, thread, people):
    client.force_login(people["bob"])
    response = client.post(
        thread.get_absolute_url(), {"body": "Спросите @carol, и <script>alert(1)</script>"}
    )
    assert response.status_code == 302
    page = _text(client.get(thread.get_absolute_url()))
    assert f'href="{reverse("communities:member", args=["carol"])}">@carol</a>' in page
    assert "<script>alert(1)" not in page


def test_anonymous_cannot_reply(client, thread):
    response = client.post(thread.get_absolute_url(), {"body": "Привет"})
    assert response.status_code == 403
    assert thread.posts.count() == 1


def test_members_only_thread_refused_with_message(client, closed_community, moderator, people):
    from aimak.communities.services import thread_create

    thread = thread_create(author=moderator, community=closed_community, title="Секрет", body="x")
    client.force_login(people["bob"])
    response = client.get(thread.get_absolute_url())
    assert response.status_code == 403
    assert "Ask to join" in _text(response)
    response = client.post(thread.get_absolute_url(), {"body": "Вторжение"})
    assert response.status_code == 403
    assert thread.posts.count() == 1
    response = client.post(reverse("communities:thread_new", args=[closed_community.slug]),
                           {"title": "Чужая тема", "body": "x"})  # fmt: skip
    assert response.status_code == 403
    assert not Thread.objects.filter(title="Чужая тема").exists()


def test_locked_thread_refuses_posts(client, thread, moderator, people):
    thread_moderate(moderator=moderator, thread=thread, action="lock")
    client.force_login(people["bob"])
    response = client.post(thread.get_absolute_url(), {"body": "Поздно"})
    assert response.status_code == 403
    assert "closed for replies" in _text(response)
    assert thread.posts.count() == 1


def test_editing_someone_elses_post_is_refused(client, thread, people):
    post = thread.posts.get()
    client.force_login(people["bob"])
    url = reverse("communities:post_edit", args=[post.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"body": "Захват"})
    assert response.status_code == 403
    assert "only edit your own" in _text(response)
    post.refresh_from_db()
    assert "Захват" not in post.body


def test_author_edits_own_post(client, thread, people):
    post = thread.posts.get()
    client.force_login(people["alice"])
    url = reverse("communities:post_edit", args=[post.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"body": "Исправлено"}).status_code == 302
    page = _text(client.get(thread.get_absolute_url()))
    assert "Исправлено" in page and "edited" in page


def test_moderating_without_the_role_is_refused(client, thread, people):
    post = thread.posts.get()
    client.force_login(people["bob"])
    url = reverse("communities:moderate", args=[post.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"action": "remove"})
    assert response.status_code == 403
    assert "moderators" in _text(response)
    post.refresh_from_db()
    assert post.status == PostStatus.VISIBLE
    assert client.get(reverse("communities:queue")).status_code == 403


def test_report_twice_is_refused_and_saves_nothing(client, thread, people):
    post = thread.posts.get()
    client.force_login(people["bob"])
    url = reverse("communities:report", args=[post.pk])
    assert client.post(url, {"reason": "spam"}).status_code == 302
    response = client.post(url, {"reason": "abuse"})
    assert response.status_code == 403
    assert "already reported" in _text(response)
    assert PostReport.objects.filter(post=post).count() == 1


def test_hidden_post_shows_a_notice_to_others_and_its_text_to_the_author(
    client, thread, people, moderator
):
    post = thread.posts.get()
    for name in ("bob", "carol", "dave"):
        post_report(reporter=people[name], post=post, reason="spam")
    text = "Расскажите, как вы считаете тариф."
    page = _text(client.get(thread.get_absolute_url()))
    assert "hidden pending moderation" in page and text not in page
    client.force_login(people["alice"])
    page = _text(client.get(thread.get_absolute_url()))
    assert "hidden pending moderation" in page and text in page
    client.force_login(moderator)
    queue = _text(client.get(reverse("communities:queue")))
    assert thread.title in queue
    response = client.post(reverse("communities:moderate", args=[post.pk]), {"action": "restore"})
    assert response.status_code == 302
    client.logout()
    page = _text(client.get(thread.get_absolute_url()))
    assert text in page and "hidden pending moderation" not in page


def test_moderator_edit_shows_label_and_original(client, thread, moderator, people):
    post = thread.posts.get()
    client.force_login(moderator)
    response = client.post(
        reverse("communities:moderate", args=[post.pk]),
        {"action": "edit", "note": "Убран телефон", "body": "Текст без телефона"},
    )
    assert response.status_code == 302
    client.force_login(people["bob"])
    page = _text(client.get(thread.get_absolute_url()))
    assert "edited by moderator" in page and "Текст без телефона" in page
    assert "Расскажите, как вы считаете тариф." not in page
    client.force_login(moderator)
    page = _text(client.get(reverse("communities:moderate", args=[post.pk])))
    assert "Расскажите, как вы считаете тариф." in page and "Убран телефон" in page


def test_rate_limit_on_replies(client, thread, people, settings):
    settings.AIMAK_RATE_LIMITS = {**settings.AIMAK_RATE_LIMITS, "post": "2/h"}
    client.force_login(people["bob"])
    for i in range(2):
        assert client.post(thread.get_absolute_url(), {"body": f"Ответ {i}"}).status_code == 302
    response = client.post(thread.get_absolute_url(), {"body": "Третий"})
    assert response.status_code == 429
    assert "Too many attempts" in _text(response)
    assert not Post.objects.filter(body__contains="Третий").exists()


def test_rate_limit_on_reports(client, community, thread, people, settings):
    settings.AIMAK_RATE_LIMITS = {**settings.AIMAK_RATE_LIMITS, "report": "1/h"}
    second = post_create(author=people["carol"], thread=thread, body="Второй")
    client.force_login(people["bob"])
    first = thread.posts.order_by("pk").first()
    assert (
        client.post(reverse("communities:report", args=[first.pk]), {"reason": "spam"}).status_code
        == 302
    )
    response = client.post(reverse("communities:report", args=[second.pk]), {"reason": "spam"})
    assert response.status_code == 429
    assert not PostReport.objects.filter(post=second).exists()


def test_new_thread_page(client, community, people):
    client.force_login(people["bob"])
    url = reverse("communities:thread_new", args=[community.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "Новая тема о воде", "body": "Текст"})
    thread = Thread.objects.get(title="Новая тема о воде")
    assert response.status_code == 302 and response["Location"] == thread.get_absolute_url()


def test_join_and_leave(client, community, people):
    client.force_login(people["bob"])
    client.post(reverse("communities:join", args=[community.slug]))
    assert "Leave the community" in _text(client.get(community.get_absolute_url()))
    client.post(reverse("communities:leave", args=[community.slug]))
    assert "Join the community" in _text(client.get(community.get_absolute_url()))


def test_member_posts_page(client, thread, people):
    response = client.get(reverse("communities:member", args=["alice"]))
    assert response.status_code == 200 and thread.title in _text(response)
    assert client.get(reverse("communities:member", args=["nobody-here"])).status_code == 404


def test_content_admin_creates_community(client, admin):
    client.force_login(admin)
    response = client.post(
        reverse("communities:community_new"),
        {"name_ru": "Вода", "name_ky": "Суу", "access": "open",
         "messenger_url": "https://t.me/water", "moderators": "nobody-x"},
    )  # fmt: skip
    assert response.status_code == 200 and "nobody-x" in _text(response)
    response = client.post(
        reverse("communities:community_new"),
        {"name_ru": "Вода", "name_ky": "Суу", "access": "open",
         "messenger_url": "https://t.me/water", "moderators": "content1"},
    )  # fmt: skip
    assert response.status_code == 302


def test_ordinary_user_cannot_create_community(client, people):
    client.force_login(people["bob"])
    assert client.get(reverse("communities:community_new")).status_code == 403
