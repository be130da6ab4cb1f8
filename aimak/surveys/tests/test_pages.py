"""The questionnaire pages, as staff and others see them."""

import re

import pytest

from aimak.surveys.models import Questionnaire, QuestionnaireVersion, VersionStatus
from aimak.surveys.standard import template_key
from tests.factories import MembershipFactory

from .conftest import make_xlsx

pytestmark = pytest.mark.django_db

DEMO = "41703204804000"


@pytest.fixture
def staff(client, demo_user):
    client.force_login(demo_user("staff"))
    return client


def test_signed_in_members_find_the_questionnaires(staff, client):
    home = staff.get("/ky/").content.decode()
    assert 'href="/ky/surveys/"' in home
    territory = staff.get(f"/ru/territories/{DEMO}/").content.decode()
    assert f'href="/ru/surveys/municipality/{DEMO}/"' in territory
    services = staff.get(f"/ru/services/municipality/{DEMO}/").content.decode()
    assert f'href="/ru/surveys/municipality/{DEMO}/"' in services
    client.logout()
    assert (
        f"/surveys/municipality/{DEMO}/"
        not in client.get(f"/ru/territories/{DEMO}/").content.decode()
    )
    assert 'href="/ky/surveys/"' not in client.get("/ky/").content.decode()


def test_index_lists_the_templates(staff):
    response = staff.get("/en/surveys/")
    page = response.content.decode()
    assert "Citizen report card: drinking water supply" in page
    assert len(response.context["templates"]) == 11
    assert f"/en/surveys/municipality/{DEMO}/" in page


def test_create_from_two_services_then_edit_preview_publish_export(staff, demo_municipality):
    page = staff.get(f"/en/surveys/municipality/{DEMO}/new/").content.decode()
    water = re.search(r'value="(\d+)"[^>]*>\s*<label[^>]*>Drinking water supply', page)
    assert water, page
    from aimak.catalogue.models import Service

    ids = list(
        Service.objects.filter(slug__in=["drinking-water", "local-roads"]).values_list(
            "pk", flat=True
        )
    )
    response = staff.post(f"/en/surveys/municipality/{DEMO}/new/", {"services": ids})
    questionnaire = Questionnaire.objects.filter(municipality=demo_municipality).latest("pk")
    assert response.url == f"/en/surveys/{questionnaire.pk}/v1/edit/"
    edit = staff.get(response.url)
    assert edit.status_code == 200
    assert 'lang="ky"' in edit.content.decode()
    # Edit a Kyrgyz label (htmx swaps the question alone).
    post = {
        "label_ky": "Жынысы",
        "label_ru": "Пол",
        "label_en": "Sex",
        "required": "on",
        "relevant": "${consent} = 'yes'",
    }
    url = f"/en/surveys/{questionnaire.pk}/v1/edit/item/sex/"
    partial = staff.post(url, post, headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert partial.content.decode().lstrip().startswith('<details class="q-item" id="item-sex"')
    version = questionnaire.versions.get()
    assert version.form.find("sex")[0].label.ky == "Жынысы"
    preview = staff.get(f"/en/surveys/{questionnaire.pk}/v1/?lang=ky").content.decode()
    assert "Жынысы" in preview and "Жергиликтүү жолдор" in preview
    response = staff.post(f"/en/surveys/{questionnaire.pk}/v1/publish/")
    assert response.url == f"/en/surveys/{questionnaire.pk}/"
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED
    # A published version is not editable: the edit page sends to the history.
    assert staff.get(f"/en/surveys/{questionnaire.pk}/v1/edit/").url == (
        f"/en/surveys/{questionnaire.pk}/"
    )
    export = staff.get(f"/en/surveys/{questionnaire.pk}/v1/xlsform/")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert export.content[:2] == b"PK"
    # Editing again makes version 2.
    staff.post(f"/en/surveys/{questionnaire.pk}/draft/")
    assert list(questionnaire.versions.values_list("number", "status")) == [
        (2, "draft"),
        (1, "published"),
    ]


def test_edit_actions_without_javascript(staff, draft):
    base = f"/en/surveys/{draft.questionnaire.pk}/v1/edit/"
    staff.post(base + "item/sex/move/", {"direction": "down"})
    assert draft.__class__.objects.get(pk=draft.pk).form.items[0].items[2].name == "sex"
    staff.post(
        base + "question/",
        {
            "question_type": "text",
            "name": "comment",
            "group": "",
            "label_en": "Comments",
            "label_ky": "Пикир",
        },
    )
    staff.post(base + "group/", {"name": "extra", "parent": "", "label_en": "Extra"})
    staff.post(
        base + "list/sex/",
        {
            "rows": "4",
            "choice-0-name": "female",
            "choice-0-label_en": "Woman",
            "choice-1-name": "male",
            "choice-1-remove": "1",
            "choice-2-name": "other",
            "choice-2-label_en": "Other",
        },
    )
    staff.post(
        base + "title/", {"title_ky": "Сурамжылоо", "title_ru": "Опрос", "title_en": "Survey"}
    )
    staff.post(base + "item/waste/remove/")
    version = QuestionnaireVersion.objects.get(pk=draft.pk)
    assert version.form.items[-1].name == "extra"
    assert version.form.find("comment")[0].label.ky == "Пикир"
    assert [(c.name, c.label.en) for c in version.form.list_by_name("sex").choices] == [
        ("female", "Woman"),
        ("other", "Other"),
    ]
    assert version.form.find("waste") is None
    assert Questionnaire.objects.get(pk=draft.questionnaire.pk).title_ky == "Сурамжылоо"
    # A duplicate name is refused with a message, nothing changes.
    response = staff.post(
        base + "question/",
        {"question_type": "text", "name": "sex", "label_en": "Again"},
        follow=True,
    )
    assert "used twice" in response.content.decode()


def test_version_history_and_preview_in_each_language(staff, demo_questionnaire):
    page = staff.get(f"/ru/surveys/{demo_questionnaire.pk}/").content.decode()
    assert "Айгүл Токтосунова" in page  # who published version 1
    for lang, text in (
        ("ky", "Респонденттин жынысы"),
        ("ru", "Пол респондента"),
        ("en", "Respondent&#x27;s sex"),
    ):
        preview = staff.get(f"/ru/surveys/{demo_questionnaire.pk}/v1/?lang={lang}")
        assert text in preview.content.decode()


def test_import_page(staff, demo_municipality):
    data = make_xlsx(
        {
            "survey": [
                ["type", "name", "label::Russian (ru)"],
                ["text", "q", "Вопрос"],
                ["text", "q", "Ещё"],
            ]
        }
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = staff.post(
        f"/ru/surveys/municipality/{DEMO}/import/", {"file": SimpleUploadedFile("form.xlsx", data)}
    )
    assert response.status_code == 422
    assert response.context["problems"][0].startswith("Лист «survey», строка 3") or (
        "survey" in response.context["problems"][0] and "3" in response.context["problems"][0]
    )
    good = make_xlsx(
        {
            "survey": [["type", "name", "label::Russian (ru)"], ["text", "q", "В"]],
            "settings": [["form_title"], ["Из Kobo"]],
        }
    )
    response = staff.post(
        f"/ru/surveys/municipality/{DEMO}/import/", {"file": SimpleUploadedFile("form.xlsx", good)}
    )
    questionnaire = Questionnaire.objects.filter(municipality=demo_municipality).latest("pk")
    assert response.url == f"/ru/surveys/{questionnaire.pk}/v1/edit/"
    assert questionnaire.title_ru == "Из Kobo"


def test_upload_limit(staff, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    big = SimpleUploadedFile("big.xlsx", b"PK" + b"0" * (5 * 1024 * 1024))
    response = staff.post(f"/en/surveys/municipality/{DEMO}/import/", {"file": big})
    assert "larger than 5 MB" in response.content.decode()


def test_list_page_queries_do_not_grow(
    client, demo_user, demo_municipality, draft, django_assert_num_queries
):
    client.force_login(demo_user("staff"))
    url = f"/ky/surveys/municipality/{DEMO}/"
    # session, user, roles, municipality, questionnaires (with status), their services,
    # Django permissions (menu) ×2
    with django_assert_num_queries(9):  # + the unread notifications in the header
        small = client.get(url)
    from aimak.catalogue.models import Service
    from aimak.surveys.services import questionnaire_create_from_templates

    for _ in range(5):
        questionnaire_create_from_templates(
            municipality=demo_municipality, services=Service.objects.all()[:3], user=None
        )
    with django_assert_num_queries(9):  # + the unread notifications in the header
        large = client.get(url)
    assert len(large.context["questionnaires"]) == len(small.context["questionnaires"]) + 5


def test_template_detail_for_any_signed_in_user(client):
    user = MembershipFactory().user
    client.force_login(user)
    template = Questionnaire.objects.get(key=template_key("culture"))
    assert client.get(f"/en/surveys/{template.pk}/").status_code == 200
    assert client.get(f"/en/surveys/{template.pk}/v1/xlsform/").status_code == 200
