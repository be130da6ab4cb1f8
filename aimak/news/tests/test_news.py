"""News, articles and the magazine: sanitising, covers, scheduling, pages, search, feeds,
sitemaps, the content administration and the API."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone
from PIL import Image

from aimak.core.cache import public_content_version
from aimak.demo.news import seed_news
from aimak.news.models import Article, Category, MagazineIssue, Status
from aimak.news.services import ArticleData, article_save, sanitize_html
from tests.factories import UserFactory, api_token

pytestmark = pytest.mark.django_db

NASTY = [
    "<script>alert(1)</script><p>ok</p>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<p onclick="alert(1)" style="x">p</p>',
    "<svg onload=alert(1)><circle/></svg>",
    '<iframe src="https://evil.example"></iframe>',
    '<img src="data:image/png;base64,AAAA" alt="d">',
    '<img src="https://evil.example/x.png" alt="e">',
    '<img src="/media/../../etc/passwd" alt="p">',
    '<a href="data:text/html,<script>alert(1)</script>">d</a>',
    '<object data="x"></object><embed src="x">',
    '<form action="/x"><input name=a></form>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<scr<script>ipt>alert(1)</script>",
    "<!-- <script>alert(1)</script> --><p>c</p>",
    "<style>body{display:none}</style><p>s</p>",
]


def png(width: int = 1200, height: int = 600, fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "#336699").save(buffer, fmt)
    return buffer.getvalue()


def data(**overrides) -> ArticleData:
    values = {
        "title": {"ky": "Суу жаңылыгы", "ru": "Новость о воде"},
        "lead": {"ky": "Кыска", "ru": "Кратко"},
        "body": {"ky": "<p>Текст</p>", "ru": "<p>Водопровод отремонтирован в селе</p>"},
        "status": Status.PUBLISHED,
    }
    values.update(overrides)
    return ArticleData(**values)


@pytest.fixture
def admin(demo_user):
    return demo_user("content")


# --- sanitising ------------------------------------------------------------------------


@pytest.mark.parametrize("payload", NASTY)
def test_no_script_ever_survives(payload):
    cleaned = sanitize_html(payload).lower()
    for bad in ("<script", "javascript:", "onerror", "onclick", "onload", "<iframe", "<svg",
                "data:", "<object", "<embed", "<form", "<style", "evil.example", "xlink",
                "..", "style="):  # fmt: skip
        assert bad not in cleaned, (payload, cleaned)


def test_allowed_markup_is_kept():
    html = (
        '<h2>Г</h2><p><strong>b</strong> <em>i</em> <a href="https://x.kg/a">l</a> '
        '<a href="mailto:a@x.kg">m</a></p><ul><li>1</li></ul><blockquote>q</blockquote>'
        '<img src="/media/news/covers/a.jpg" alt="a"><table><tr><th scope="col">h</th></tr></table>'
    )
    cleaned = sanitize_html(html)
    assert '<a href="https://x.kg/a" rel="noopener">l</a>' in cleaned
    assert 'href="mailto:a@x.kg"' in cleaned
    assert '<img src="/media/news/covers/a.jpg" alt="a">' in cleaned
    assert "<h2>" in cleaned and "<blockquote>" in cleaned and '<th scope="col">' in cleaned


def test_the_service_sanitises_every_language(admin):
    article = article_save(
        data=data(body={"ky": NASTY[0], "ru": NASTY[2], "en": NASTY[1]},
                  title={"ky": "a", "ru": "b", "en": "c"}),
        user=admin,
    )  # fmt: skip
    article.refresh_from_db()
    assert "script" not in article.body_ky and "javascript" not in article.body_ru
    assert "onerror" not in (article.body_en or "")


# --- writing ---------------------------------------------------------------------------


def test_kyrgyz_and_russian_titles_are_required_and_nothing_is_half_written(admin):
    before = Article.objects.count()
    with pytest.raises(ValidationError) as exc:
        article_save(data=data(title={"ru": "Только русский"}), user=admin, cover=png())
    assert "title_ky" in exc.value.message_dict
    assert Article.objects.count() == before


def test_a_cover_needs_alt_text_and_is_made_in_phone_sizes(admin):
    with pytest.raises(ValidationError) as exc:
        article_save(data=data(), user=admin, cover=png())
    assert "cover_alt_ky" in exc.value.message_dict
    article = article_save(
        data=data(cover_alt={"ky": "Сүрөт", "ru": "Фото"}), user=admin, cover=png()
    )
    widths = sorted({(v["width"], v["format"]) for v in article.cover_sizes})
    assert widths == [(480, "jpg"), (480, "webp"), (960, "jpg"), (960, "webp")]


def test_a_file_that_is_not_an_image_is_refused(admin):
    before = Article.objects.count()
    with pytest.raises(ValidationError):
        article_save(
            data=data(cover_alt={"ky": "a", "ru": "b"}), user=admin, cover=b"<?php echo 1; ?>"
        )
    assert Article.objects.count() == before


def test_history_keeps_who_changed_what(admin, client):
    article = article_save(data=data(status=Status.DRAFT), user=admin)
    article_save(data=data(title={"ky": "Жаңы", "ru": "Новый"}), user=admin, article=article)
    history = list(article.history.order_by("history_date"))
    assert [h.history_user for h in history] == [admin, admin]
    assert history[-1].title_ru == "Новый"
    client.force_login(admin)
    page = client.get(f"/en/news/manage/{article.pk}/history/").content.decode()
    assert admin.display_name in page and "title_ru" in page


# --- scheduling and the page cache ------------------------------------------------------


def test_a_scheduled_item_appears_at_its_time_even_on_a_cached_page(admin, client):
    soon = timezone.now() + datetime.timedelta(minutes=5)
    article = article_save(
        data=data(status=Status.SCHEDULED, publish_at=soon, title={"ky": "Кийин", "ru": "Позже"}),
        user=admin,
    )
    assert article.slug == "pozzhe"  # a readable Latin address from the Russian title
    assert "Позже" not in client.get("/ru/news/").content.decode()  # now cached without it
    assert client.get(f"/ru/news/{article.slug}/").status_code == 404
    Article.objects.filter(pk=article.pk).update(
        publish_at=timezone.now() - datetime.timedelta(seconds=1)
    )  # time passes (the cached next-due time is what the page checks)
    from django.core.cache import cache

    from aimak.news.services import NEXT_DUE_KEY

    cache.set(NEXT_DUE_KEY, timezone.now().timestamp() - 1, 60)
    version = public_content_version()
    assert "Позже" in client.get("/ru/news/").content.decode()
    assert public_content_version() > version
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert article.history.first().history_change_reason == "Published at the scheduled time"


def test_scheduling_in_the_past_is_refused(admin):
    with pytest.raises(ValidationError) as exc:
        article_save(data=data(status=Status.SCHEDULED, publish_at=timezone.now()), user=admin)
    assert "publish_at" in exc.value.message_dict


def test_editing_invalidates_the_cached_public_page(admin, client):
    article = article_save(data=data(), user=admin)
    assert "Новость о воде" in client.get("/ru/news/").content.decode()
    article_save(data=data(title={"ky": "Ж", "ru": "Исправлено"}), user=admin, article=article)
    assert "Исправлено" in client.get("/ru/news/").content.decode()


# --- public pages -----------------------------------------------------------------------


def test_demo_news_and_magazine_pages(client):
    page = client.get("/ru/news/").content.decode()
    assert "(демо)" in page and 'loading="lazy"' in page and "srcset=" in page
    assert "Начинается гражданская оценка 2026" not in page  # scheduled, not due
    detail = client.get("/ru/news/demo-budget-hearing-2026/").content.decode()
    assert 'property="og:title"' in detail and 'property="og:image"' in detail
    assert 'rel="canonical"' in detail and 'hreflang="en"' in detail and 'hreflang="ky"' in detail
    assert client.get("/ky/news/category/water/").status_code == 200
    assert client.get("/ky/news/tag/ak-korgon/").status_code == 200
    assert client.get("/ky/news/category/nope/").status_code == 404
    magazine = client.get("/ru/news/magazine/").content.decode()
    assert "Бюджет участия" in magazine and ".pdf" in magazine
    issue = client.get("/ru/news/magazine/1/").content.decode()
    assert "Группа мониторинга: первый год" in issue
    assert client.get("/ru/news/magazine/99/").status_code == 404
    assert client.get("/ru/news/demo-mag-2-pastures/").status_code == 200


def test_public_pages_are_light_and_cached(client, django_assert_max_num_queries):
    for path in ("/ru/", "/ru/news/", "/ru/news/magazine/", "/ru/news/demo-budget-hearing-2026/"):
        response = client.get(path)
        assert response.status_code == 200
        assert len(response.content) < 100_000, path
    with django_assert_max_num_queries(2):
        client.get("/ru/news/")


def test_news_files_are_served_and_nothing_else(client):
    article = Article.objects.get(slug="demo-budget-hearing-2026")
    name = article.cover_sizes[0]["name"]
    response = client.get(f"/ru/news/files/{name}")
    assert response.status_code == 200 and response["Content-Type"].startswith("image/")
    assert client.get("/ru/news/files/legal/secret.pdf").status_code == 404
    assert client.get("/ru/news/files/news/../../settings.py").status_code == 404


def test_home_shows_news_the_current_issue_and_one_search_box(client):
    page = client.get("/ky/").content.decode()
    assert "Ак-Коргондо жарандык баалоонун жыйынтыгы" in page
    assert "/ky/news/magazine/2/" in page
    assert 'action="/ky/search/"' in page
    assert "/ky/territories/" in page and "/ky/legal-acts/" in page


def test_site_search_groups_news_magazine_and_legal_acts(client):
    page = client.get("/ru/search/?q=бюджета").content.decode()
    assert "Прошли общественные слушания по бюджету" in page
    assert "Бюджет участия" in page
    assert "/ru/legal-acts/" in page
    assert client.get("/ru/search/?q=").status_code == 200
    kyrgyz = client.get("/ky/search/?q=бюджетти").content.decode()
    assert "Жергиликтүү бюджет жөнөкөй тил менен" in kyrgyz


def test_search_on_the_news_list(client):
    page = client.get("/ru/news/?q=водопровода").content.decode()
    assert "Отремонтирован водопровод" in page
    assert "Новый график вывоза отходов" not in page


def test_feeds_per_language(client):
    rss = client.get("/ru/news/feed/rss/")
    assert rss.status_code == 200 and "<rss" in rss.content.decode()
    assert "Прошли общественные слушания" in rss.content.decode()
    atom = client.get("/ky/news/feed/atom/").content.decode()
    assert "<feed" in atom and "коомдук угуу" in atom


def test_sitemaps_list_news_and_magazine_in_every_language(rf):
    from django.contrib.sitemaps.views import sitemap

    from aimak.news.sitemaps import sitemaps

    request = rf.get("/sitemap.xml")
    response = sitemap(request, sitemaps=sitemaps)
    response.render()
    xml = response.content.decode()
    assert "/ky/news/demo-budget-hearing-2026/" in xml and "/ru/news/magazine/1/" in xml
    assert "/en/legal-acts/" in xml and 'hreflang="ru"' in xml
    assert "demo-report-card-round-2026" not in xml


# --- content administration -------------------------------------------------------------


def test_only_content_admins_manage(client, demo_user):
    for role in ("staff", "programme", "expert"):
        client.force_login(demo_user(role))
        response = client.get("/en/news/manage/")
        assert response.status_code == 403
        assert b"Only the content administrator" in response.content
    client.logout()
    assert client.get("/en/news/manage/").status_code == 302
    client.force_login(demo_user("admin"))
    assert client.get("/en/news/manage/").status_code == 200


def test_admin_writes_a_draft_side_by_side_previews_and_publishes(client, admin):
    client.force_login(admin)
    form = client.get("/en/news/manage/new/").content.decode()
    assert form.count('class="side-by-side"') == 1 and 'lang="ky"' in form and 'lang="en"' in form
    post = {
        "kind": "news", "status": "draft", "position": 0,
        "title_ky": "Жаңы долбоор", "title_ru": "Новый проект", "title_en": "New project",
        "body_ky": "<p>Текст</p><script>alert(1)</script>", "body_ru": "<p>Текст</p>",
        "cover": SimpleUploadedFile("c.png", png(), content_type="image/png"),
        "cover_alt_ky": "сүрөт", "cover_alt_ru": "фото",
    }  # fmt: skip
    response = client.post("/en/news/manage/new/", post)
    assert response.status_code == 302
    article = Article.objects.get(title_ru="Новый проект")
    assert article.status == Status.DRAFT and article.cover_sizes and article.author == admin
    assert article.slug == "new-project"
    assert client.get(f"/en/news/{article.slug}/").status_code == 404  # a draft is not public
    preview = client.get(f"/ru/news/manage/{article.pk}/preview/").content.decode()
    assert "Новый проект" in preview and "alert(1)" not in preview
    client.post(f"/en/news/manage/{article.pk}/status/", {"action": "publish"})
    client.logout()
    assert "Новый проект" in client.get(f"/ru/news/{article.slug}/").content.decode()


def test_preview_is_for_content_admins_only(client, admin, demo_user):
    article = article_save(data=data(status=Status.DRAFT), user=admin)
    client.force_login(demo_user("staff"))
    assert client.get(f"/ru/news/manage/{article.pk}/preview/").status_code == 403


def test_a_forged_form_changes_nothing(client, admin):
    client.force_login(admin)
    before = Article.objects.count()
    response = client.post(
        "/en/news/manage/new/",
        {"kind": "magazine", "status": "published", "position": 0,
         "title_ky": "a", "title_ru": "b", "issue": 999999},
    )  # fmt: skip
    assert response.status_code == 200 and Article.objects.count() == before
    response = client.post(
        "/en/news/manage/new/",
        {"kind": "news", "status": "bogus", "position": 0, "title_ky": "a", "title_ru": "b"},
    )
    assert response.status_code == 200 and Article.objects.count() == before
    bad_image = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    response = client.post(
        "/en/news/manage/new/",
        {"kind": "news", "status": "draft", "position": 0, "title_ky": "a", "title_ru": "b",
         "cover": bad_image, "cover_alt_ky": "a", "cover_alt_ru": "b"},
    )  # fmt: skip
    assert response.status_code == 200 and "not an image" in response.content.decode()
    assert Article.objects.count() == before


def test_the_change_log_lists_news_and_issues(client, admin):
    client.force_login(admin)
    page = client.get("/en/news/manage/log/").content.decode()
    assert "Demo seed" in page and "Magazine issue" in page


# --- API --------------------------------------------------------------------------------


def test_api_reads(client):
    items = client.get("/api/v1/news?language=en").json()["items"]
    assert items and all(i["title"]["en"] for i in items)
    found = client.get("/api/v1/news", {"q": "водопровод"}).json()["items"]
    assert [i["slug"] for i in found][:1] == ["demo-water-pipe-repair"]
    assert client.get("/api/v1/news?category=water").json()["count"] >= 2
    assert client.get("/api/v1/news?category=nope").status_code == 404
    one = client.get("/api/v1/news/demo-budget-hearing-2026").json()
    assert one["body"]["ru"].startswith("<p>") and one["cover"]
    assert client.get("/api/v1/news/demo-report-card-round-2026").status_code == 404
    issues = client.get("/api/v1/magazine/issues").json()["items"]
    assert [i["number"] for i in issues] == [2, 1] and issues[0]["pdf"].endswith(".pdf")
    issue = client.get("/api/v1/magazine/issues/1").json()
    assert len(issue["sections"]) == 3


def test_api_writes_need_a_content_admin_token(client, admin, demo_user):
    payload = {"title": {"ky": "API жаңылык", "ru": "Новость из API"},
               "body": {"ky": "<p>x</p>", "ru": "<p onclick='x()'>y</p><script>1</script>"},
               "status": "published", "category": "water", "tags": ["demo"]}  # fmt: skip
    body = json.dumps(payload)
    assert client.post("/api/v1/news", body, content_type="application/json").status_code == 401
    staff_raw = api_token(demo_user("staff"))[1]
    response = client.post("/api/v1/news", body, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {staff_raw}")  # fmt: skip
    assert response.status_code == 403
    raw = api_token(admin)[1]
    response = client.post("/api/v1/news", body, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {raw}")  # fmt: skip
    assert response.status_code == 201, response.content
    created = response.json()
    assert "onclick" not in created["body"]["ru"] and "script" not in created["body"]["ru"]
    payload["title"] = {"ky": "Оңдолду", "ru": "Исправлено"}
    response = client.put(f"/api/v1/news/{created['slug']}", json.dumps(payload),
                          content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")  # fmt: skip
    assert response.status_code == 200 and response.json()["title"]["ru"] == "Исправлено"
    payload["title"] = {"ru": "без киргизского"}
    response = client.put(f"/api/v1/news/{created['slug']}", json.dumps(payload),
                          content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")  # fmt: skip
    assert response.status_code == 422
    assert Article.objects.get(pk=created["id"]).title_ru == "Исправлено"


def test_api_paths_are_in_the_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/news", "/api/v1/news/{slug}",
                 "/api/v1/magazine/issues", "/api/v1/magazine/issues/{number}"):  # fmt: skip
        assert path in paths, path
        for operation in paths[path].values():
            assert operation.get("summary") and operation.get("description")


# --- demo -------------------------------------------------------------------------------


def test_the_demo_seed_is_idempotent(demo_municipality):
    counts = (Article.objects.count(), MagazineIssue.objects.count(), Category.objects.count())
    version = public_content_version()
    seed_news(demo_municipality)
    assert (Article.objects.count(), MagazineIssue.objects.count(),
            Category.objects.count()) == counts  # fmt: skip
    assert public_content_version() == version
    assert Article.objects.filter(status=Status.SCHEDULED).count() == 1
    assert all("демо" in a.title_ru for a in Article.objects.filter(slug__startswith="demo-"))


@override_settings(LANGUAGE_CODE="en")
def test_user_factory_is_not_an_admin():
    user = UserFactory()
    assert not user.has_perm("news.manage_content")


def test_admin_makes_an_issue_with_sections_and_a_pdf(client, admin, demo_user):
    post = {
        "number": 7, "overall_number": 107, "date": "2026-03-01",
        "title_ky": "Жаңы сан", "title_ru": "Новый номер",
        "sections": "Тажрыйба | Практика\nМыйзам | Закон",
        "cover": SimpleUploadedFile("c.png", png(600, 800), content_type="image/png"),
        "cover_alt": "Мукаба", "pdf": SimpleUploadedFile("n.pdf", b"%PDF-1.4 demo"),
        "published": "on",
    }  # fmt: skip
    client.force_login(demo_user("staff"))
    assert client.post("/en/news/manage/issues/new/", post).status_code == 403
    client.force_login(admin)
    bad = {**post, "pdf": SimpleUploadedFile("n.pdf", b"MZ not a pdf")}
    bad["cover"] = SimpleUploadedFile("c.png", png(600, 800), content_type="image/png")
    response = client.post("/en/news/manage/issues/new/", bad)
    assert response.status_code == 200 and "not a PDF" in response.content.decode()
    assert not MagazineIssue.objects.filter(number=7).exists()
    post["cover"] = SimpleUploadedFile("c.png", png(600, 800), content_type="image/png")
    post["pdf"] = SimpleUploadedFile("n.pdf", b"%PDF-1.4 demo")
    response = client.post("/en/news/manage/issues/new/", post)
    assert response.status_code == 302, response.content.decode()[:3000]
    issue = MagazineIssue.objects.get(number=7)
    assert [s.title_ru for s in issue.sections.order_by("position")] == ["Практика", "Закон"]
    assert issue.pdf.name.endswith(".pdf") and issue.cover_sizes
    client.logout()
    assert "Новый номер" in client.get("/ru/news/magazine/").content.decode()
    dup = {**post, "cover": None, "pdf": None}
    dup = {k: v for k, v in dup.items() if v is not None}
    client.force_login(admin)
    response = client.post("/en/news/manage/issues/new/", dup)
    assert response.status_code == 200 and "already exists" in response.content.decode()


def test_site_search_finds_answered_public_questions_but_never_private_ones(client):
    page = client.get("/ru/search/?q=аукцион").content.decode()
    assert "Нужен ли аукцион при сдаче в аренду муниципального помещения?" in page
    assert 'id="group-questions"' in page
    private = client.get("/ky/search/?q=бюджеттин долбоорун").content.decode()
    assert "Айылдык бюджеттин долбоорун кайдан көрсө болот?" not in private
