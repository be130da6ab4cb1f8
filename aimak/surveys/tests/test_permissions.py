"""Who may see and edit questionnaires; forged posts change nothing."""

import pytest

from aimak.accounts.models import Role
from aimak.surveys.models import Questionnaire, QuestionnaireVersion
from aimak.surveys.selectors import (
    draft_viewer_municipalities,
    editor_municipalities,
    questionnaire_list,
)
from tests.factories import DEMO_ROLES as ROLES
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

DEMO = "41703204804000"
SEES_DRAFTS = {"staff", "deputy", "monitor", "enumerator", "facilitator", "programme", "admin"}
EDITS = {"staff", "monitor", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_rules_and_selectors_agree(role, demo_user, demo_municipality, other_municipality):
    user = demo_user(role)
    for municipality in (demo_municipality, other_municipality):
        assert user.has_perm("surveys.edit_questionnaires", municipality) == (
            editor_municipalities(user=user).filter(pk=municipality.pk).exists()
        )
        assert user.has_perm("surveys.view_drafts", municipality) == (
            draft_viewer_municipalities(user=user).filter(pk=municipality.pk).exists()
        )
    assert user.has_perm("surveys.edit_questionnaires", demo_municipality) == (role in EDITS)
    assert user.has_perm("surveys.view_drafts", demo_municipality) == (role in SEES_DRAFTS)


@pytest.mark.parametrize("role", ROLES)
def test_drafts_only_for_members_and_national_managers(
    role, client, demo_user, draft, demo_municipality
):
    client.force_login(demo_user(role))
    pk = draft.questionnaire.pk
    visible = role in SEES_DRAFTS
    assert client.get(f"/en/surveys/{pk}/").status_code == (200 if visible else 404)
    assert client.get(f"/en/surveys/{pk}/v1/").status_code == (200 if visible else 404)
    assert client.get(f"/en/surveys/{pk}/v1/xlsform/").status_code == (200 if visible else 404)
    listed = questionnaire_list(user=demo_user(role), municipality=demo_municipality)
    assert listed.filter(pk=pk).exists() == visible
    page = client.get(f"/en/surveys/municipality/{DEMO}/")
    assert (draft.questionnaire in page.context["questionnaires"]) == visible
    # The published demo questionnaire is for everyone signed in.
    demo = Questionnaire.objects.get(key=f"demo:crc:{DEMO}")
    assert client.get(f"/en/surveys/{demo.pk}/v1/").status_code == 200


@pytest.mark.parametrize("role", ["deputy", "enumerator", "facilitator", "programme", "expert"])
def test_members_who_do_not_edit_cannot_edit(role, client, demo_user, draft):
    client.force_login(demo_user(role))
    assert client.get(f"/en/surveys/{draft.questionnaire.pk}/v1/edit/").status_code == 403
    assert client.get(f"/en/surveys/municipality/{DEMO}/new/").status_code == 403
    assert client.post(f"/en/surveys/{draft.questionnaire.pk}/v1/publish/").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, draft):
    for url in (
        "/en/surveys/",
        f"/en/surveys/municipality/{DEMO}/",
        f"/en/surveys/{draft.questionnaire.pk}/v1/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_forged_posts_from_another_municipality_change_nothing(client, draft, other_municipality):
    outsider = MembershipFactory(role=Role.STAFF, municipality=other_municipality).user
    client.force_login(outsider)
    pk = draft.questionnaire.pk
    before = QuestionnaireVersion.objects.get(pk=draft.pk).definition
    count = Questionnaire.objects.count()
    posts = {
        f"/en/surveys/municipality/{DEMO}/new/": {"services": ["1"]},
        f"/en/surveys/municipality/{DEMO}/import/": {},
        f"/en/surveys/{pk}/draft/": {},
        f"/en/surveys/{pk}/v1/edit/title/": {"title_en": "Hacked"},
        f"/en/surveys/{pk}/v1/edit/item/sex/": {"label_en": "Hacked"},
        f"/en/surveys/{pk}/v1/edit/item/sex/move/": {"direction": "down"},
        f"/en/surveys/{pk}/v1/edit/item/sex/remove/": {},
        f"/en/surveys/{pk}/v1/edit/question/": {
            "question_type": "text",
            "name": "x",
            "label_en": "x",
        },
        f"/en/surveys/{pk}/v1/edit/group/": {"name": "g", "label_en": "g"},
        f"/en/surveys/{pk}/v1/edit/list/sex/": {"rows": "1", "choice-0-name": "x"},
        f"/en/surveys/{pk}/v1/publish/": {},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 403, url
    version = QuestionnaireVersion.objects.get(pk=draft.pk)
    assert version.definition == before and version.is_draft
    assert Questionnaire.objects.get(pk=pk).title_en == draft.questionnaire.title_en
    assert Questionnaire.objects.count() == count
    assert draft.questionnaire.versions.count() == 1
