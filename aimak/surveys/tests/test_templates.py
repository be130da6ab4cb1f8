"""The standard report cards: one per service, complete in Kyrgyz, Russian and English."""

import re

import pytest
from django.core.management import call_command

from aimak.catalogue.models import Service
from aimak.surveys.definition import QuestionType, publish_errors
from aimak.surveys.models import Questionnaire, QuestionnaireVersion, VersionStatus
from aimak.surveys.standard import SERVICES, template_definition, template_key

pytestmark = pytest.mark.django_db

KYRGYZ_LETTERS = re.compile("[ңөүҢӨҮ]")
CYRILLIC = re.compile("[а-яА-ЯёЁ]")


def test_one_published_template_per_catalogue_service():
    slugs = set(Service.objects.values_list("slug", flat=True))
    assert {spec.slug for spec in SERVICES} == slugs
    for spec in SERVICES:
        template = Questionnaire.objects.get(key=template_key(spec.slug))
        assert template.municipality is None
        assert list(template.services.values_list("slug", flat=True)) == [spec.slug]
        version = template.versions.get(status=VersionStatus.PUBLISHED)
        assert version.definition == template_definition(spec.slug).dump()
        assert template.title_ky and template.title_ru and template.title_en


@pytest.mark.parametrize("slug", [spec.slug for spec in SERVICES])
def test_every_text_is_in_three_languages(slug):
    definition = template_definition(slug)
    texts = [item.label for item, _parent in definition.walk()]
    texts += [q.hint for q in definition.questions() if not q.hint.is_empty()]
    texts += [q.constraint_message for q in definition.questions() if q.constraint]
    texts += [c.label for cl in definition.lists for c in cl.choices]
    for text in texts:
        assert text.ky and text.ru and text.en, text
        assert CYRILLIC.search(text.ru), text.ru
        assert not CYRILLIC.search(text.en), text.en
    questions = [q.label for q in definition.questions()]
    # Kyrgyz is Kyrgyz, not Russian copied over: its own letters, different wording.
    assert sum(bool(KYRGYZ_LETTERS.search(t.ky)) for t in questions) > len(questions) / 2
    assert all(t.ky != t.ru for t in questions)
    assert publish_errors(definition) == []


@pytest.mark.parametrize("slug", [spec.slug for spec in SERVICES])
def test_template_follows_the_report_card_method(slug):
    definition = template_definition(slug)
    spec = next(s for s in SERVICES if s.slug == slug)
    profile, section = definition.items
    assert profile.name == "profile"
    assert [q.name for q in profile.items] == [
        "consent",
        "sex",
        "age_group",
        "village",
        "household_size",
        "vulnerable",
        f"{spec.prefix}_uses",
    ]
    names = [q.name for q in section.items]
    p = spec.prefix
    for part in (
        "access",
        "availability",
        "quality",
        "reliability",
        "problems",
        "complained",
        "complaint_to",
        "response",
        "response_satisfaction",
        "no_complaint",
        "informal",
        "trend",
        "satisfaction",
        "priority",
    ):
        assert f"{p}_{part}" in names
    assert (f"{p}_pays" in names) == spec.paid
    # The section is asked of users of the service; the follow-ups only after a complaint.
    assert section.relevant == f"${{{p}_uses}} = 'yes'"
    response = next(q for q in section.items if q.name == f"{p}_response")
    assert response.relevant == f"${{{p}_complained}} = 'yes'"
    satisfaction = next(q for q in section.items if q.name == f"{p}_satisfaction")
    assert satisfaction.type == QuestionType.RATING and satisfaction.required
    scale = definition.list_by_name(satisfaction.list_name)
    assert [c.scale_value for c in scale.choices] == [1, 2, 3, 4, 5, None]
    village = next(q for q in profile.items if q.name == "village")
    assert village.type == QuestionType.VILLAGE


def test_loading_the_templates_again_changes_nothing():
    before = QuestionnaireVersion.objects.count()
    call_command("load_questionnaire_templates", verbosity=0)
    call_command("load_questionnaire_templates", verbosity=0)
    assert QuestionnaireVersion.objects.count() == before


def test_a_changed_template_gets_a_new_version_and_keeps_the_old(monkeypatch):
    from aimak.surveys import services

    template = Questionnaire.objects.get(key=template_key("sport"))
    old = template.versions.get()

    def changed(slug):
        definition = template_definition(slug)
        definition.items[1].items[0].label.en = "Changed"
        return definition

    monkeypatch.setattr(services, "template_definition", changed)
    assert services.questionnaire_templates_load() == (0, len(SERVICES))
    versions = list(template.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].definition == old.definition
    assert versions[1].form.items[1].items[0].label.en == "Changed"


def test_demo_has_a_published_questionnaire_on_water_and_waste(
    demo_questionnaire, demo_municipality
):
    assert demo_questionnaire.municipality == demo_municipality
    assert demo_questionnaire.title_en.startswith("DEMO")
    assert sorted(demo_questionnaire.services.values_list("slug", flat=True)) == [
        "drinking-water",
        "solid-waste",
    ]
    version = demo_questionnaire.versions.get()
    assert version.status == VersionStatus.PUBLISHED
    assert [g.name for g in version.form.items] == ["profile", "water", "waste"]
    from aimak.demo.seed import demo_seed

    demo_seed()
    assert demo_questionnaire.versions.count() == 1
    assert Questionnaire.objects.filter(municipality=demo_municipality).count() == 1
