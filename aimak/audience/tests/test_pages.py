import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from aimak.audience.models import FeedbackResponse, FeedbackSurvey
from tests.factories import UserFactory

from .conftest import answers_for, make_survey

pytestmark = pytest.mark.django_db


def url(name, *args):
    with translation.override("en"):
        return reverse(f"audience:{name}", args=args)


def post_data(survey, **kwargs):
    return {f"q{k}": v for k, v in answers_for(survey, **kwargs).items()}


def test_answer_the_survey_once(client, survey):
    person = UserFactory(audience_category="university")
    client.force_login(person)
    page = client.get(url("survey", survey.pk))
    assert page.status_code == 200
    assert "How satisfied?" in page.content.decode() and "Trainings" in page.content.decode()
    page = client.post(url("survey", survey.pk), post_data(survey), follow=True)
    assert "Thank you! Your answers are saved." in page.content.decode()
    response = FeedbackResponse.objects.get(survey=survey, user=person)
    assert response.category == "university" and response.language == "en"
    again = client.post(url("survey", survey.pk), post_data(survey, rating=1), follow=True)
    assert "You answered this survey on" in again.content.decode()
    assert FeedbackResponse.objects.filter(survey=survey, user=person).count() == 1
    assert FeedbackResponse.objects.get(survey=survey, user=person).answers == response.answers


def test_missing_and_forged_answers_show_errors_and_save_nothing(client, survey):
    person = UserFactory()
    client.force_login(person)
    data = post_data(survey)
    rating_field = next(iter(data))
    page = client.post(url("survey", survey.pk), {**data, rating_field: ""})
    assert page.status_code == 200 and "Answer this question." in page.content.decode()
    page = client.post(url("survey", survey.pk), {**data, rating_field: "9"})
    assert page.status_code == 200 and "Select a valid choice" in page.content.decode()
    assert not FeedbackResponse.objects.filter(user=person).exists()


def test_a_survey_for_other_categories_is_refused(client, clientbase):
    survey = make_survey(clientbase, for_all=False, categories=["lsg"])
    client.force_login(UserFactory(audience_category="citizen"))
    page = client.get(url("survey", survey.pk))
    assert "meant for other audience categories" in page.content.decode()
    page = client.post(url("survey", survey.pk), post_data(survey))
    assert page.status_code == 403
    assert "This survey is meant for other audience categories." in page.content.decode()
    assert not survey.responses.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, survey):
    page = client.post(url("survey", survey.pk), post_data(survey))
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]
    assert not survey.responses.exists()


def test_rate_limit(client, settings, clientbase):
    settings.AIMAK_RATE_LIMITS = {**settings.AIMAK_RATE_LIMITS, "feedback": "2/h"}
    surveys = [make_survey(clientbase, title=f"С{i}") for i in range(3)]
    client.force_login(UserFactory())
    for survey in surveys[:2]:
        assert client.post(url("survey", survey.pk), post_data(survey)).status_code == 302
    page = client.post(url("survey", surveys[2].pk), post_data(surveys[2]))
    assert page.status_code == 429
    assert "Too many attempts" in page.content.decode()
    assert not surveys[2].responses.exists()


def test_the_prompt_links_to_the_unanswered_survey(client, survey):
    FeedbackSurvey.objects.exclude(pk=survey.pk).update(active=False)
    person = UserFactory()
    client.force_login(person)
    html = client.get(url("surveys")).content.decode()
    assert url("survey", survey.pk) in html
    from django.template import Context, Template
    from django.test import RequestFactory

    request = RequestFactory().get("/en/")
    request.user = person
    template = Template("{% load audience %}{% survey_prompt %}")
    assert survey.get_absolute_url() in template.render(Context({"request": request}))
    client.post(url("survey", survey.pk), post_data(survey))
    assert "survey-prompt" not in template.render(Context({"request": request}))
    request.user = type("Anon", (), {"is_authenticated": False})()
    assert template.render(Context({"request": request})).strip() == ""


def test_who_sees_the_dashboard_and_the_client_base(client, citizen, content_admin, clientbase):
    client.force_login(citizen)
    for name, args in [("dashboard", ()), ("clients", ()), ("clients_export", ("csv",)),
                       ("dashboard_export", ("xlsx",)), ("survey_admin", ())]:  # fmt: skip
        page = client.get(url(name, *args))
        assert page.status_code == 403, name
        assert "client-base administrator" in page.content.decode()
    assert client.post(url("survey_new"), {"title_ky": "А", "title_ru": "Б",
                                           "opens_on": "2026-01-01"}).status_code == 403  # fmt: skip
    client.force_login(content_admin)
    page = client.get(url("dashboard"))
    assert page.status_code == 200 and "Local self-government bodies" in page.content.decode()
    assert url("clients_export", "csv") not in page.content.decode()
    assert client.get(url("clients")).status_code == 403
    assert client.get(url("clients_export", "csv")).status_code == 403
    client.force_login(clientbase)
    page = client.get(url("dashboard"), {"since": "2026-01-01", "until": "2026-12-31"})
    html = page.content.decode()
    assert page.status_code == 200 and "Survey responses" in html and "Needs" in html
    assert client.get(url("clients")).status_code == 200


def test_exports_open_and_escape_formulas(client, clientbase, survey):
    UserFactory(full_name="=HYPERLINK(\"http://evil\")", organisation="+996 555", email="x@e.kg",
                audience_category="business")  # fmt: skip
    client.force_login(clientbase)
    page = client.get(url("clients_export", "csv"), {"category": "business"})
    assert page.status_code == 200 and page["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(page.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Name", "E-mail", "Audience category"]
    evil = next(r for r in rows if "HYPERLINK" in r[0])
    assert evil[0] == '\'=HYPERLINK("http://evil")' and evil[3] == "'+996 555"
    assert evil[1] == "x@e.kg" and evil[2] == "Business"

    page = client.get(url("clients_export", "xlsx"))
    book = load_workbook(io.BytesIO(page.content), read_only=True)
    values = list(book.active.iter_rows(values_only=True))
    assert values[0][0] == "Name"
    assert any(v[0] == '\'=HYPERLINK("http://evil")' for v in values)

    response_submit_user = UserFactory(audience_category="donor")
    client.force_login(response_submit_user)
    client.post(url("survey", survey.pk), post_data(survey, rating=5))
    client.force_login(clientbase)
    page = client.get(url("dashboard_export", "xlsx"))
    book = load_workbook(io.BytesIO(page.content))
    assert book.sheetnames == ["Categories", "Needs"]
    table = list(book["Categories"].iter_rows(values_only=True))
    header = next(r for r in table if r and r[0] == "Audience category")
    donors = next(r for r in table if r and r[0] == "Donors and development projects")
    mean = donors[header.index("Satisfaction, mean (1–5)")]
    assert mean is not None and 1 <= mean <= 5
    assert table[-1][0] == "All categories"
    page = client.get(url("dashboard_export", "csv"))
    rows = list(csv.reader(io.StringIO(page.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Audience category" and len(rows) == 10


def test_the_indicators_page_is_public_and_says_met_in_words(client):
    page = client.get(url("indicators"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Best practices published per month" in html
    assert "Daily news updates" in html and "Articles per magazine issue" in html
    assert "not met" in html
    assert "at least 4 a month" in html


def test_manage_a_survey(client, clientbase):
    client.force_login(clientbase)
    page = client.post(url("survey_new"), {
        "title_ky": "Жаңы сурамжылоо", "title_ru": "Новый опрос", "opens_on": "2026-01-01",
        "for_all": "on", "active": "on",
    })  # fmt: skip
    survey = FeedbackSurvey.objects.get(title_ru="Новый опрос")
    assert page.status_code == 302
    page = client.post(url("question_new", survey.pk), {
        "kind": "multiple", "role": "needs", "label_ky": "Эмне керек?", "label_ru": "Что нужно?",
        "choices": "Окуулар | Обучение | Trainings\nҮлгүлөр | Шаблоны | Templates", "required": "on",
    }, follow=True)  # fmt: skip
    assert "The question is added." in page.content.decode()
    question = survey.questions.get()
    assert question.choice_keys() == ["trainings", "templates"]
    page = client.post(url("question_new", survey.pk), {
        "kind": "choice", "role": "other", "label_ky": "С", "label_ru": "В", "choices": "",
    }, follow=True)  # fmt: skip
    assert "Give at least two choices." in page.content.decode()
    assert survey.questions.count() == 1
    page = client.get(url("survey_admin"))
    assert "Новый опрос" in page.content.decode() or "Жаңы сурамжылоо" in page.content.decode()
