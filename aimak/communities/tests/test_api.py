import pytest

from aimak.communities.models import Post, PostReport, PostStatus, Thread
from aimak.communities.services import post_report
from tests.factories import api_token

pytestmark = pytest.mark.django_db


def _auth(user):
    _token, raw = api_token(user=user)
    return {"Authorization": f"Bearer {raw}"}


def test_list_and_read(client, community, closed_community, thread, people):
    slugs = [c["slug"] for c in client.get("/api/v1/communities").json()]
    assert community.slug in slugs and closed_community.slug not in slugs
    threads = client.get(f"/api/v1/communities/{community.slug}/threads").json()
    assert threads["items"][0]["title"] == thread.title
    assert client.get(f"/api/v1/communities/{closed_community.slug}/threads").status_code == 403


def test_posts_are_visible_only(client, thread, people):
    post = thread.posts.get()
    for name in ("bob", "carol", "dave"):
        post_report(reporter=people[name], post=post, reason="spam")
    items = client.get(f"/api/v1/communities/threads/{thread.pk}/posts").json()["items"]
    assert items == []


def test_create_thread_and_post_with_token(client, community, people):
    headers = _auth(people["bob"])
    response = client.post(
        f"/api/v1/communities/{community.slug}/threads",
        {"title": "Тема через API", "body": "<b>Привет</b><script>x</script>"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 201, response.content
    thread = Thread.objects.get(pk=response.json()["id"])
    response = client.post(
        f"/api/v1/communities/threads/{thread.pk}/posts",
        {"body": "Ответ @alice"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 201
    assert "script" not in thread.posts.first().body
    assert response.json()["author_username"] == "bob"


def test_writes_need_a_token(client, community):
    response = client.post(
        f"/api/v1/communities/{community.slug}/threads",
        {"title": "Без токена", "body": "x"},
        content_type="application/json",
    )
    assert response.status_code == 401


def test_closed_thread_and_members_only_refused(
    client, thread, closed_community, people, moderator
):
    from aimak.communities.services import thread_moderate

    thread_moderate(moderator=moderator, thread=thread, action="lock")
    headers = _auth(people["bob"])
    response = client.post(
        f"/api/v1/communities/threads/{thread.pk}/posts",
        {"body": "Поздно"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 403
    response = client.post(
        f"/api/v1/communities/{closed_community.slug}/threads",
        {"title": "Чужая тема", "body": "x"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 403
    assert not Thread.objects.filter(title="Чужая тема").exists()


def test_report_via_api_hides_at_threshold_and_refuses_twice(client, thread, people):
    post = thread.posts.get()
    results = []
    for name in ("bob", "carol", "dave"):
        response = client.post(
            f"/api/v1/communities/posts/{post.pk}/reports",
            {"reason": "spam"},
            content_type="application/json",
            headers=_auth(people[name]),
        )
        assert response.status_code == 201
        results.append(response.json()["hidden"])
    assert results == [False, False, True]
    response = client.post(
        f"/api/v1/communities/posts/{post.pk}/reports",
        {"reason": "spam"},
        content_type="application/json",
        headers=_auth(people["bob"]),
    )
    assert response.status_code == 403
    assert PostReport.objects.filter(post=post).count() == 3
    post.refresh_from_db()
    assert post.status == PostStatus.HIDDEN_BY_REPORTS


def test_api_rate_limit(client, thread, people, settings):
    settings.AIMAK_RATE_LIMITS = {**settings.AIMAK_RATE_LIMITS, "post": "1/h"}
    headers = _auth(people["bob"])
    url = f"/api/v1/communities/threads/{thread.pk}/posts"
    assert client.post(url, {"body": "Один"}, content_type="application/json",
                       headers=headers).status_code == 201  # fmt: skip
    response = client.post(url, {"body": "Два"}, content_type="application/json", headers=headers)
    assert response.status_code == 429
    assert not Post.objects.filter(body__contains="Два").exists()
