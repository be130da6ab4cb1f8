"""Collection pages: the phone form's page, paper entry and progress against quotas."""

import datetime
import json
import re
import uuid

import pytest

from aimak.accounts.models import Role
from aimak.catalogue.models import Service
from aimak.demo.seed import DEMO_ROUND_KEY
from aimak.surveys.collect_views import paper_interview_id
from aimak.surveys.collection import interview_submit
from aimak.surveys.models import Interview, InterviewSource, Questionnaire, Round, RoundStatus
from aimak.surveys.rounds import round_create
from aimak.surveys.selectors import quota_progress
from tests.factories import MembershipFactory

from .test_collection import AK_KORGON_VILLAGE, good_answers

pytestmark = pytest.mark.django_db

DEMO = "41703204804000"


@pytest.fixture
def round(db):
    return Round.objects.select_related("version", "municipality").get(key=DEMO_ROUND_KEY)


@pytest.fixture
def other_round(demo_municipality, demo_user):
    """A second round of the demo municipality, without the demo enumerator."""
    version = Questionnaire.objects.get(key=f"demo:crc:{DEMO}").versions.get(number=1)
    return round_create(
        municipality=demo_municipality,
        version=version,
        services=list(Service.objects.filter(slug="drinking-water")),
        start_date=datetime.date(2026, 9, 1),
        end_date=datetime.date(2026, 9, 30),
        monitors=[demo_user("monitor")],
        enumerators=[],
        user=demo_user("staff"),
    )


def urls(round):
    return {
        "collect": f"/en/surveys/rounds/{round.pk}/collect/",
        "paper": f"/en/surveys/rounds/{round.pk}/collect/paper/",
        "progress": f"/en/surveys/rounds/{round.pk}/progress/",
    }


def embedded(page: str, element_id: str):
    match = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>', page, re.S
    )
    assert match, f"no #{element_id} in the page"
    return json.loads(match.group(1))


# Permissions ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "collect", "paper", "progress"),
    [
        ("enumerator", 200, 403, 200),
        ("monitor", 200, 200, 200),
        ("staff", 200, 200, 200),
        ("deputy", 403, 403, 403),
        ("expert", 403, 403, 403),
    ],
)
def test_pages_by_role(client, demo_user, round, role, collect, paper, progress):
    client.force_login(demo_user(role))
    pages = urls(round)
    assert client.get(pages["collect"]).status_code == collect
    assert client.get(pages["paper"]).status_code == paper
    assert client.get(pages["progress"]).status_code == progress


def test_people_of_another_municipality_are_refused(client, round, other_municipality):
    outsider = MembershipFactory(role=Role.ENUMERATOR, municipality=other_municipality).user
    client.force_login(outsider)
    for url in urls(round).values():
        assert client.get(url).status_code == 403, url


def test_an_enumerator_of_another_round_is_refused(client, demo_user, other_round):
    client.force_login(demo_user("enumerator"))
    assert client.get(urls(other_round)["collect"]).status_code == 403
    assert client.get(urls(other_round)["progress"]).status_code == 403


def test_signing_in_comes_first(client, round):
    response = client.get(urls(round)["collect"])
    assert response.status_code == 302 and "/accounts/login/" in response.url


# The phone form's page ------------------------------------------------------------------


def test_the_form_comes_inside_the_page_in_the_page_language(client, demo_user, round):
    client.force_login(demo_user("enumerator"))
    page = client.get(f"/ky/surveys/rounds/{round.pk}/collect/").content.decode()
    form = embedded(page, "interview-form")
    profile = form[0]
    sex = next(i for i in profile["items"] if i["name"] == "sex")
    assert sex["relevant"] == ["op", "=", ["ref", "consent"], ["lit", "yes"]]
    assert ["female", "Аял"] in sex["choices"]
    assert "Аял" in page  # letters as they are, not \u escapes that double the weight
    strings = embedded(page, "interview-strings")
    assert strings["next"] and strings["save"] and "{n}" in strings["waiting"]
    assert 'data-api="/api/v1/rounds/' in page
    assert "js/interview" in page
    assert "django_htmx" not in page  # the form does not need htmx: a lighter first load


def test_a_round_not_collecting_shows_a_message_instead_of_the_form(client, demo_user, round):
    Round.objects.filter(pk=round.pk).update(status=RoundStatus.CLOSED)
    client.force_login(demo_user("enumerator"))
    page = client.get(urls(round)["collect"]).content.decode()
    assert "This round is not collecting interviews" in page
    assert 'id="interview-form"' not in page
    client.force_login(demo_user("staff"))
    page = client.get(urls(round)["paper"]).content.decode()
    assert "This round is not collecting interviews" in page
    assert 'id="paper-form"' not in page


# Paper entry ----------------------------------------------------------------------------


def paper_post(round, number, **answers):
    data = {"paper_number": number}
    data.update({f"a/{name}": value for name, value in answers.items()})
    return data


def full_paper(round, seed=3, **overrides):
    """A whole paper questionnaire as a typist enters it (choices by their names)."""
    answers = good_answers(round, seed=seed)
    typed = {}
    for name, value in answers.items():
        typed[name] = " ".join(value) if isinstance(value, list) else str(value)
    typed.update(overrides)
    return typed


def test_paper_entry_saves_choices_typed_by_their_number(client, demo_user, round):
    staff = demo_user("staff")
    client.force_login(staff)
    before = Interview.objects.filter(round=round).count()
    response = client.post(
        urls(round)["paper"],
        paper_post(
            round,
            "A-17",
            **full_paper(round, consent="1", sex="2", village="1", household_size=" 5 "),
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Interview.objects.filter(round=round).count() == before + 1
    interview = Interview.objects.get(round=round, uuid=paper_interview_id(round, "A-17"))
    assert interview.source == InterviewSource.PAPER
    assert interview.answers["consent"] == "yes"
    assert interview.answers["sex"] == "male"  # the second choice of the list
    assert interview.answers["household_size"] == 5
    assert interview.received_by == staff
    page = client.get(response.url).content.decode()
    assert "Questionnaire № A-17 is saved." in page
    assert 'id="paper-number" name="paper_number" value=""' in page  # a blank form again
    assert re.search(r'id="paper-number"[^>]*autofocus', page)


def test_the_same_paper_typed_twice_is_stored_once(client, demo_user, round):
    client.force_login(demo_user("monitor"))
    data = paper_post(round, "0042", **full_paper(round))
    first = client.post(urls(round)["paper"], data)
    assert first.status_code == 302
    count = Interview.objects.filter(round=round).count()
    # Typed again, with spaces and another answer: the same paper, stored once.
    again = client.post(urls(round)["paper"], {**data, "paper_number": " 00 42", "a/sex": "1"})
    assert again.status_code == 200
    page = again.content.decode()
    assert "is already entered" in page
    assert Interview.objects.filter(round=round).count() == count
    assert 'value=" 00 42"' not in page and 'value="00 42"' in page  # what was typed stays


def test_wrong_values_show_errors_next_to_their_fields_and_save_nothing(client, demo_user, round):
    client.force_login(demo_user("staff"))
    before = Interview.objects.count()
    data = paper_post(round, "77", **full_paper(round, household_size="45", sex="robot"))
    response = client.post(urls(round)["paper"], data)
    assert response.status_code == 200
    assert Interview.objects.count() == before
    page = response.content.decode()
    household = re.search(
        r'<div class="pq invalid">.*?id="p-household_size".*?</div>\s*</div>', page, re.S
    )
    assert household and "from 1 to 30" in household.group(0)
    assert 'value="45"' in household.group(0)  # the value is kept
    assert 'aria-invalid="true"' in household.group(0)
    assert "“robot” is not one of the choices" in page
    assert 'value="77"' in page
    assert re.search(r'id="p-sex"[^>]*autofocus', page)  # the first wrong field


def test_a_paper_without_its_number_is_not_saved(client, demo_user, round):
    client.force_login(demo_user("staff"))
    before = Interview.objects.count()
    response = client.post(urls(round)["paper"], paper_post(round, "  ", **full_paper(round)))
    assert response.status_code == 200
    assert "Write the questionnaire&#x27;s number" in response.content.decode()
    assert Interview.objects.count() == before


def test_answers_to_skipped_questions_are_left_out(client, demo_user, round):
    client.force_login(demo_user("staff"))
    response = client.post(
        urls(round)["paper"], paper_post(round, "S-1", consent="2", sex="1", age_group="2")
    )
    assert response.status_code == 302
    interview = Interview.objects.get(round=round, uuid=paper_interview_id(round, "S-1"))
    assert interview.answers == {"consent": "no"}
    page = client.get(response.url).content.decode()
    assert "Answers left out because their questions are skipped: 2." in page


def test_paper_entry_records_the_enumerator_who_filled_it_in(client, demo_user, round):
    staff, enumerator = demo_user("staff"), demo_user("enumerator")
    client.force_login(staff)
    data = {**paper_post(round, "E-5", **full_paper(round)), "enumerator": str(enumerator.pk)}
    response = client.post(urls(round)["paper"], data)
    assert response.status_code == 302
    assert response.url.endswith(f"?enumerator={enumerator.pk}")  # kept for the next paper
    interview = Interview.objects.get(round=round, uuid=paper_interview_id(round, "E-5"))
    assert (interview.enumerator, interview.received_by) == (enumerator, staff)
    page = client.get(response.url).content.decode()
    assert f'<option value="{enumerator.pk}" selected>' in page


def test_paper_page_lists_choices_with_their_numbers(client, demo_user, round):
    client.force_login(demo_user("staff"))
    page = client.get(f"/ru/surveys/rounds/{round.pk}/collect/paper/").content.decode()
    consent = re.search(r'id="p-consent-opts">(.*?)</div>', page).group(1)
    assert consent == "<b>1</b> Да · <b>2</b> Нет"
    # The first submit button is disabled: Enter in a field does not send the form early.
    first_button = re.search(r"<button[^>]*>", page.split('id="paper-form"')[1]).group(0)
    assert "disabled" in first_button


# Progress -------------------------------------------------------------------------------


def test_progress_shows_done_against_the_quotas(client, demo_user, round):
    monitor = demo_user("monitor")
    interview_submit(
        round=round,
        interview_id=uuid.uuid4(),
        answers=good_answers(round, sex="female", village=AK_KORGON_VILLAGE),
        user=demo_user("enumerator"),
    )
    expected = quota_progress(round=round)
    village = next(r for r in expected.villages if r.village.code == AK_KORGON_VILLAGE)
    client.force_login(monitor)
    page = client.get(urls(round)["progress"]).content.decode()
    assert f'<dd id="total-done">{expected.total.done}</dd>' in page
    assert f'<dd id="total-planned">{expected.total.planned}</dd>' in page
    row = re.search(rf"<tr><th scope=\"row\">{village.village.name_en}</th>(.*?)</tr>", page)
    assert row, page
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))
    assert cells[0] == str(village.planned)
    assert cells[1] == str(village.done)
    assert cells[3] == f"{village.done_women} / {village.planned_women}"
    assert f"{village.percent} %" in cells[4]
    assert cells[5] == str(village.left)
    assert "By enumerator" in page
    assert "Interviews without a planned village" in page


def test_an_enumerator_sees_only_their_own_route(client, demo_user, round):
    enumerator = demo_user("enumerator")
    client.force_login(enumerator)
    page = client.get(urls(round)["progress"]).content.decode()
    mine = quota_progress(round=round, enumerator=enumerator)
    assert "Your route" in page and "By village" not in page
    assert f'<dd id="total-done">{mine.total.done}</dd>' in page
    planned = sum(r.planned for r in mine.routes)
    assert f'<dd id="total-planned">{planned}</dd>' in page


def test_the_round_page_links_the_collection_pages(client, demo_user, round):
    client.force_login(demo_user("monitor"))
    page = client.get(f"/en/surveys/rounds/{round.pk}/").content.decode()
    section = page.split('id="collection-heading"')[1].split("</section>")[0]
    pages = urls(round)
    for url in pages.values():
        assert f'href="{url}"' in section
    assert "Interviews stored:" in section
    client.force_login(demo_user("enumerator"))
    section = (
        client.get(f"/en/surveys/rounds/{round.pk}/")
        .content.decode()
        .split('id="collection-heading"')[1]
        .split("</section>")[0]
    )
    assert f'href="{pages["collect"]}"' in section
    assert f'href="{pages["paper"]}"' not in section
