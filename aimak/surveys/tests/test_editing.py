"""Staff copy the templates, edit the draft, publish it; a published version is frozen."""

import pytest
from django.core.exceptions import ValidationError

from aimak.surveys.definition import Choice, QuestionType, Text
from aimak.surveys.models import QuestionnaireVersion, VersionStatus
from aimak.surveys.services import (
    choice_list_set,
    group_add,
    item_move,
    item_remove,
    question_add,
    question_update,
    version_draft_create,
    version_publish,
)
from aimak.territories.models import Territory

pytestmark = pytest.mark.django_db


def test_copy_combines_the_profile_once_and_each_service(draft, demo_municipality):
    form = draft.form
    assert draft.status == VersionStatus.DRAFT
    assert [g.name for g in form.items] == ["profile", "water", "waste"]
    profile = [q.name for q in form.items[0].items]
    assert profile.count("sex") == 1
    assert profile[-2:] == ["water_uses", "waste_uses"]
    villages = form.list_by_name("villages")
    registry = Territory.objects.filter(parent=demo_municipality, valid_to__isnull=True)
    assert {c.name for c in villages.choices} == {*registry.values_list("code", flat=True), "other"}
    assert villages.choices[0].label.ky  # names from the registry, in Kyrgyz too
    assert sorted(draft.questionnaire.services.values_list("slug", flat=True)) == [
        "drinking-water",
        "solid-waste",
    ]


def test_edit_labels_required_relevant_and_constraint(draft):
    version = question_update(
        version=draft,
        name="water_availability",
        label=Text(
            ky="Суу канча саат берилет?",
            ru="Сколько часов есть вода?",
            en="How many hours is there water?",
        ),
        hint=Text(),
        required=False,
        relevant="${water_uses} = 'yes'",
        constraint=". <= 24",
        constraint_message=Text(en="At most 24"),
    )
    question = version.form.find("water_availability")[0]
    assert question.label.ky == "Суу канча саат берилет?"
    assert question.required is False
    assert question.constraint == ". <= 24"
    assert question.constraint_message.en == "At most 24"


def test_add_move_remove_questions_groups_and_choices(draft):
    version = group_add(version=draft, name="extra", label=Text(en="Extra", ky="Кошумча"))
    version = question_add(
        version=version,
        group="extra",
        name="comments",
        question_type="text",
        label=Text(en="Anything else?"),
    )
    version = question_add(
        version=version,
        group="extra",
        name="rating_bus",
        question_type="rating",
        label=Text(en="The bus"),
        list_name="bus5",
    )
    assert version.form.list_by_name("bus5").choices == []
    version = choice_list_set(
        version=version,
        list_name="bus5",
        choices=[Choice(name=str(i), label=Text(en=f"Point {i}")) for i in range(1, 8)],
    )
    assert len(version.form.list_by_name("bus5").choices) == 7
    version = item_move(version=version, name="rating_bus", offset=-1)
    assert [q.name for q in version.form.find("extra")[0].items] == ["rating_bus", "comments"]
    version = item_move(version=version, name="extra", offset=-1)
    assert [i.name for i in version.form.items] == ["profile", "water", "extra", "waste"]
    version = item_remove(version=version, name="rating_bus")
    assert version.form.find("rating_bus") is None
    assert version.form.list_by_name("bus5") is None  # nobody uses it any more
    version = item_remove(version=version, name="waste")
    assert "waste_satisfaction" not in version.form.names()


def test_names_stay_unique_and_lists_exist(draft):
    with pytest.raises(ValidationError, match="used twice"):
        question_add(version=draft, name="sex", question_type="text", label=Text(en="x"))
    with pytest.raises(ValidationError, match="needs a choice list"):
        question_add(version=draft, name="new_q", question_type="select_one", label=Text(en="x"))
    with pytest.raises(ValidationError, match="appears twice"):
        choice_list_set(
            version=draft, list_name="sex", choices=[Choice(name="a"), Choice(name="a")]
        )
    draft.refresh_from_db()
    assert "new_q" not in draft.form.names()


def test_yes_no_and_village_questions_use_their_own_lists(draft):
    version = question_add(
        version=draft, name="has_car", question_type="yes_no", label=Text(en="Do you have a car?")
    )
    question = version.form.find("has_car")[0]
    assert question.type == QuestionType.YES_NO and question.list_name == "yes_no"


def test_publish_freezes_the_version(draft, demo_user):
    before = dict(draft.definition)
    published = version_publish(version=draft, user=demo_user("monitor"))
    assert published.status == VersionStatus.PUBLISHED
    assert published.published_by == demo_user("monitor")
    assert published.published_at is not None
    edits = [
        lambda: question_update(
            version=draft,
            name="sex",
            label=Text(en="Changed"),
            hint=Text(),
            required=True,
            relevant="",
            constraint="",
            constraint_message=Text(),
        ),
        lambda: question_add(version=draft, name="x", question_type="text", label=Text(en="x")),
        lambda: group_add(version=draft, name="g", label=Text(en="g")),
        lambda: item_move(version=draft, name="sex", offset=1),
        lambda: item_remove(version=draft, name="sex"),
        lambda: choice_list_set(version=draft, list_name="sex", choices=[]),
        lambda: version_publish(version=draft, user=None),
    ]
    for edit in edits:
        with pytest.raises(ValidationError, match="published and can no longer change"):
            edit()
    assert QuestionnaireVersion.objects.get(pk=draft.pk).definition == before


def test_editing_a_published_questionnaire_makes_a_new_draft(draft, demo_user):
    version_publish(version=draft, user=demo_user("staff"))
    questionnaire = draft.questionnaire
    new = version_draft_create(questionnaire=questionnaire, user=demo_user("staff"))
    assert (new.number, new.status) == (2, VersionStatus.DRAFT)
    assert new.definition == QuestionnaireVersion.objects.get(pk=draft.pk).definition
    # Asking again gives the same draft, not a third version.
    assert version_draft_create(questionnaire=questionnaire, user=None) == new
    question_update(
        version=new,
        name="sex",
        label=Text(en="Sex", ky="Жынысы", ru="Пол"),
        hint=Text(),
        required=True,
        relevant="${consent} = 'yes'",
        constraint="",
        constraint_message=Text(),
    )
    assert QuestionnaireVersion.objects.get(pk=draft.pk).form.find("sex")[0].label.en == (
        "Respondent's sex"
    )
    version_publish(version=new, user=None)
    assert list(questionnaire.versions.values_list("number", "status")) == [
        (2, "published"),
        (1, "published"),
    ]


def test_publishing_a_broken_draft_is_refused(draft):
    version = question_update(
        version=draft,
        name="sex",
        label=Text(),
        hint=Text(),
        required=True,
        relevant="${nobody} = 'yes'",
        constraint="",
        constraint_message=Text(),
    )
    version = question_add(
        version=version,
        name="rate_it",
        question_type="rating",
        label=Text(en="Rate it"),
        list_name="empty_scale",
    )
    with pytest.raises(ValidationError) as caught:
        version_publish(version=version, user=None)
    text = " ".join(caught.value.messages)
    assert "“sex” has no label" in text
    assert "there is no question called “nobody”" in text
    assert "“empty_scale” has no choices" in text
    assert QuestionnaireVersion.objects.get(pk=draft.pk).status == VersionStatus.DRAFT
