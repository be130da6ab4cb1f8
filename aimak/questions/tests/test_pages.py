import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from aimak.questions.models import Answer, AnswerTemplate, Question, RoutingRule, Status
from aimak.questions.services import answer_add, question_route, template_save

pytestmark = pytest.mark.django_db


def url(name, *args):
    with translation.override("en"):
        return reverse(f"questions:{name}", args=args)


def ask_data(themes, **kw):
    data = {
        "theme": themes["participation"].pk,
        "title": "Кто утверждает план мероприятий айыл окмоту?",
        "body": "Подробности <script>alert(1)</script>вопроса",
        "visibility": "public",
        "language": "ru",
    }
    data.update(kw)
    return data


def test_ask_needs_sign_in(client):
    response = client.get(url("ask"))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_ask_shows_the_clock_and_sanitises(client, asker, themes):
    client.force_login(asker)
    response = client.post(url("ask"), ask_data(themes), follow=True)
    question = Question.objects.get(author=asker)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == question.get_absolute_url()
    assert "23 h 59 min left" in html or "24 h 0 min left" in html
    assert "<script>" not in question.body and "alert(1)" not in question.body
    mine = client.get(url("mine")).content.decode()
    assert question.title in mine


def test_ask_refuses_a_short_question(client, asker, themes):
    client.force_login(asker)
    response = client.post(url("ask"), ask_data(themes, title="Почему?"))
    assert response.status_code == 200 and not Question.objects.filter(author=asker).exists()
    assert "at least 10 characters" in response.content.decode()


def test_ask_rate_limited_429_and_nothing_saved(client, asker, themes, settings):
    settings.AIMAK_RATE_LIMITS = {**settings.AIMAK_RATE_LIMITS, "question": "2/h"}
    client.force_login(asker)
    for n in range(2):
        client.post(url("ask"), ask_data(themes, title=f"Вопрос номер {n} о бюджете села"))
    response = client.post(url("ask"), ask_data(themes, title="Третий вопрос о бюджете села"))
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert Question.objects.filter(author=asker).count() == 2


def test_answer_rate_limited(client, admin, make_question, settings):
    settings.AIMAK_RATE_LIMITS = {**settings.AIMAK_RATE_LIMITS, "answer": "1/h"}
    q = make_question()
    client.force_login(admin)
    client.post(url("answer", q.pk), {"body": "Первый ответ", "publish": "on"})
    response = client.post(url("answer", q.pk), {"body": "Второй ответ", "publish": "on"})
    assert response.status_code == 429 and q.answers.count() == 1


def test_private_question_is_404_for_others(client, make_question, stranger, asker):
    q = make_question(visibility="private")
    client.force_login(stranger)
    assert client.get(url("detail", q.pk)).status_code == 404
    assert Client().get(url("detail", q.pk)).status_code == 404
    client.force_login(asker)
    page = client.get(url("detail", q.pk))
    assert page.status_code == 200 and "Private question" in page.content.decode()


def test_public_question_appears_only_once_answered(client, make_question, admin):
    q = make_question(title="Сколько стоит вывоз мусора в селе Кызыл?")
    anon = Client()
    assert anon.get(url("detail", q.pk)).status_code == 404
    assert q.title not in anon.get(url("index")).content.decode()
    answer_add(question=q, by=admin, body="Тариф утверждает кенеш.")
    assert anon.get(url("detail", q.pk)).status_code == 200
    listing = anon.get(url("index"), {"q": "тариф КЕНЕШ"}).content.decode()
    assert q.get_absolute_url() in listing
    listing = anon.get(url("index"), {"q": "бассейн"}).content.decode()
    assert q.get_absolute_url() not in listing


def test_rating_by_someone_else_refused_and_nothing_saved(
    client, make_question, admin, stranger, asker
):
    q = make_question()
    answer_add(question=q, by=admin, body="Ответ")
    client.force_login(stranger)
    # The public answered question is visible, but the rating is the asker's.
    response = client.post(url("rate", q.pk), {"rating": "1"})
    assert response.status_code == 403
    assert "Only the person who asked" in response.content.decode()
    q.refresh_from_db()
    assert q.rating is None
    client.force_login(asker)
    page = client.get(url("detail", q.pk)).content.decode()
    assert "Rate the answer" in page
    client.post(url("rate", q.pk), {"rating": "4", "comment": "Полезно"})
    q.refresh_from_db()
    assert q.rating == 4
    assert "Rated 4 of 5" in Client().get(url("detail", q.pk)).content.decode()


def test_answering_a_question_routed_to_another_expert_refused(
    client, make_question, admin, expert, other_expert
):
    q = make_question()
    question_route(question=q, by=admin, expert=expert)
    client.force_login(other_expert.user)
    assert client.get(url("detail", q.pk)).status_code == 404  # not theirs, not public yet
    response = client.post(url("answer", q.pk), {"body": "Чужой ответ", "publish": "on"})
    assert response.status_code == 404 and not Answer.objects.filter(question=q).exists()
    answer_add(question=q, by=expert.user, body="Ответ эксперта")
    response = client.post(url("answer", q.pk), {"body": "Чужой ответ", "publish": "on"})
    assert response.status_code == 403
    assert "routed to another expert" in response.content.decode()
    assert q.answers.count() == 1


def test_expert_sees_queue_and_answers(client, make_question, admin, expert, asker):
    q = make_question()
    question_route(question=q, by=admin, expert=expert)
    client.force_login(expert.user)
    assert q.title in client.get(url("expert")).content.decode()
    page = client.get(url("detail", q.pk)).content.decode()
    assert "Answer the question" in page and "left" in page
    client.post(url("answer", q.pk), {"body": "Ответ эксперта", "publish": "on"})
    q.refresh_from_db()
    assert q.status == Status.ANSWERED and q.first_response_at is not None
    client.force_login(asker)
    assert "Ответ эксперта" in client.get(url("detail", q.pk)).content.decode()


def test_draft_answer_hidden_from_asker(client, make_question, admin, asker):
    q = make_question()
    client.force_login(admin)
    client.post(url("answer", q.pk), {"body": "Черновик ответа"})
    client.force_login(asker)
    assert "Черновик ответа" not in client.get(url("detail", q.pk)).content.decode()
    q.refresh_from_db()
    assert q.first_response_at is None


def test_admin_pages_refused_to_others(client, stranger):
    client.force_login(stranger)
    for name in ("queue", "rules", "templates", "template_new", "breaches", "report"):
        response = client.get(url(name))
        assert response.status_code == 403, name
        assert "content administrator" in response.content.decode()


def test_admin_routes_by_hand_and_manages_rules(client, admin, make_question, expert, themes):
    q = make_question()
    client.force_login(admin)
    queue = client.get(url("queue")).content.decode()
    assert q.title in queue and "Not routed yet" in queue
    client.post(url("route", q.pk), {"target": f"expert:{expert.pk}"})
    q.refresh_from_db()
    assert q.routed_to_expert == expert and q.routed_by == admin
    client.post(url("route", q.pk), {"target": "expert:999999"})
    q.refresh_from_db()
    assert q.routed_to_expert == expert
    client.post(url("rules"), {"theme": themes["waste"].pk, "target": f"expert:{expert.pk}"})
    rule = RoutingRule.objects.get(theme=themes["waste"], active=True)
    assert rule.expert == expert
    client.post(url("rule_toggle", rule.pk))
    rule.refresh_from_db()
    assert not rule.active


def test_template_prefills_the_answer(client, admin, make_question):
    template = template_save(
        by=admin,
        title={"ru": "Шаблон тест", "ky": "Үлгү тест"},
        body={"ru": "Текст шаблона по-русски", "ky": "Үлгүнүн тексти"},
    )
    q = make_question(language="ky")
    client.force_login(admin)
    page = client.get(url("detail", q.pk), {"template": template.pk}).content.decode()
    assert "Үлгүнүн тексти" in page
    client.post(
        url("template_edit", template.pk),
        {"title_ru": "Шаблон новый", "body_ru": "Новый текст", "active": "on"},
    )
    template.refresh_from_db()
    assert template.title_ru == "Шаблон новый" and template.body_ru == "Новый текст"
    assert AnswerTemplate.objects.filter(pk=template.pk, body_ky="").exists()


def test_breaches_and_report_pages(client, admin, make_question):
    from .conftest import at

    q = make_question(at=at(2025, 3, 1, 10))
    answer_add(question=q, by=admin, body="Поздний ответ", at=at(2025, 3, 3, 10))
    client.force_login(admin)
    page = client.get(url("breaches")).content.decode()
    assert q.title in page and "answered late" in page
    report = client.get(url("report")).content.decode()
    assert "Answered within 24 hours" in report


def test_forged_post_without_csrf_token_refused(asker, themes):
    client = Client(enforce_csrf_checks=True)
    client.force_login(asker)
    response = client.post(url("ask"), ask_data(themes))
    assert response.status_code == 403
    assert not Question.objects.filter(author=asker).exists()


def test_list_queries_do_not_grow_with_questions(client, make_question, admin):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert Client().get(url("index")).status_code == 200
        return len(ctx.captured_queries)

    for n in range(2):
        answer_add(
            question=make_question(title=f"Первый вопрос номер {n} про воду"),
            by=admin,
            body="Ответ",
        )
    few = count()
    for n in range(8):
        answer_add(
            question=make_question(title=f"Второй вопрос номер {n} про воду"),
            by=admin,
            body="Ответ",
        )
    assert count() == few
