"""The import pages as the round's managers, and others, see them."""

import datetime
import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aimak.accounts.models import Role
from aimak.demo.seed import DEMO_ROUND_KEY
from aimak.surveys.models import Interview, InterviewImport, Round
from tests.factories import MembershipFactory

from .test_importing import answer_sets, csv_bytes, kobo_csv, plain_rows, russian_label_rows, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def round(db):
    return Round.objects.select_related("version", "municipality").get(key=DEMO_ROUND_KEY)


@pytest.fixture
def staff(client, demo_user):
    client.force_login(demo_user("staff"))
    return client


def page(response):
    return response.content.decode()


def post_file(client, round, data, name="interviews.csv"):
    return client.post(
        f"/en/surveys/rounds/{round.pk}/imports/new/",
        {"file": SimpleUploadedFile(name, data)},
    )


def test_upload_match_check_and_import_from_the_round_page(staff, round):
    round_page = page(staff.get(f"/en/surveys/rounds/{round.pk}/"))
    upload_url = f"/en/surveys/rounds/{round.pk}/imports/new/"
    assert f'href="{upload_url}"' in round_page and "Import interviews from a file" in round_page
    assert "up to 50 MB" in page(staff.get(upload_url))

    answers = answer_sets(round, 3, seed=30)
    data = kobo_csv(round, answers, [uuid.uuid4() for _ in answers])
    data = data.replace(b"\r\n", b";Comments\r\n", 1).replace(b"\r\n", b";ok\r\n")
    data = data.replace(b";Comments;ok\r\n", b";Comments\r\n", 1)
    response = post_file(staff, round, data, "kobo.csv")
    batch = InterviewImport.objects.get(round=round)
    detail = f"/en/surveys/rounds/{round.pk}/imports/{batch.pk}/"
    assert response.status_code == 302 and response.url == detail

    html = page(staff.get(detail))
    assert "CSV text in utf-8, values separated by semicolons" in html
    assert "Columns and questions" in html
    # The unmatched column is flagged and gets a select; matched ones say how.
    comments = batch.layout["headers"].index("Comments")
    assert re.search(rf'<tr id="col-{comments}" class="flagged">', html)
    assert f'name="col-{comments}" id="id_col-{comments}"' in html
    assert "(matched by group/name)" in html and "(KoboToolbox or ODK field)" in html
    assert re.search(r'<option value="_uuid" selected>_uuid</option>', html)
    assert "Check of the whole file" not in html

    response = staff.post(detail, {f"col-{comments}": "", "action": "check"})
    assert response.status_code == 302
    html = page(staff.get(detail))
    assert "The file is checked: 3 new interviews (skipped as already in the round: 0)." in html
    assert "Import 3 interviews" in html
    assert "The first rows as they will be stored" in html
    assert answers[0]["sex"] in html

    before = Interview.objects.count()
    response = staff.post(f"{detail}run/", follow=True)
    assert "3 interviews imported" in page(response)
    assert Interview.objects.count() == before + 3
    round_page = page(staff.get(f"/en/surveys/rounds/{round.pk}/"))
    assert "kobo.csv" in round_page and "Imported" in round_page

    # The same file again, from the page.
    response = post_file(staff, round, data, "kobo-again.csv")
    assert response.status_code == 422
    assert "0 new interviews" in page(response)
    assert "See the earlier import of this file" in page(response)


def test_a_column_is_matched_by_hand(staff, round):
    answers = answer_sets(round, 2, seed=31)
    names, rows = plain_rows(round, answers)
    names[names.index("household_size")] = "People at home"
    post_file(staff, round, csv_bytes(names, rows))
    batch = InterviewImport.objects.get(round=round)
    detail = f"/en/surveys/rounds/{round.pk}/imports/{batch.pk}/"
    column = batch.layout["headers"].index("People at home")
    html = page(staff.get(detail))
    assert "1 required question (household_size)" in html
    staff.post(detail, {f"col-{column}": "household_size", "action": "save"})
    batch.refresh_from_db()
    assert batch.mapping["People at home"] == "household_size"
    # A matched column is shown as text with a "change" button that opens its select.
    sex = batch.layout["headers"].index("sex")
    html = page(staff.get(detail))
    assert f'name="col-{sex}" value="sex"' in html
    response = staff.post(detail, {"change": str(sex)})
    assert response.url == f"{detail}?change={sex}#col-{sex}"
    assert f'<select name="col-{sex}"' in page(staff.get(response.url))
    # Two columns for one question are refused with a message; nothing is saved.
    response = staff.post(detail, {f"col-{sex}": "household_size", "action": "check"})
    assert response.status_code == 422
    assert "are both matched to “household_size”" in page(response)
    batch.refresh_from_db()
    assert batch.mapping["sex"] == "sex" and not batch.checked


def test_the_encoding_can_be_changed_on_the_page(staff, round):
    header, rows = russian_label_rows(round, answer_sets(round, 2, seed=32))
    post_file(staff, round, csv_bytes(header, rows, delimiter=";", encoding="cp1251"))
    batch = InterviewImport.objects.get(round=round)
    detail = f"/en/surveys/rounds/{round.pk}/imports/{batch.pk}/"
    html = page(staff.get(detail))
    assert "CSV text in cp1251" in html and "(encoding detected)" in html
    assert "Пол респондента" in html
    response = staff.post(detail, {"encoding": "cp1252"}, follow=True)
    assert "The file was read again" in page(response)
    batch.refresh_from_db()
    assert batch.layout["encoding"] == "cp1252"


def test_problems_are_listed_and_block_the_import(staff, round):
    answers = answer_sets(round, 3, seed=33)
    names, rows = plain_rows(round, answers)
    rows[1][names.index("sex")] = "=1+2"
    post_file(staff, round, csv_bytes(names, rows))
    batch = InterviewImport.objects.get(round=round)
    detail = f"/en/surveys/rounds/{round.pk}/imports/{batch.pk}/"
    staff.post(detail, {"action": "check"})
    html = page(staff.get(detail))
    assert "The file is checked: 1 problem must be corrected" in html
    assert '<td class="num">3</td><td>sex</td><td>=1+2</td>' in html
    assert "Import 3 interviews" not in html and "Nothing can be imported" in html
    report = staff.get(f"{detail}problems.csv")
    text = b"".join(report.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0] == "Row,Column,Value,Problem"
    assert "3,sex,'=1+2," in text
    # Even a forged request does not import a file with problems.
    before = Interview.objects.count()
    response = staff.post(f"{detail}run/", follow=True)
    assert "Check the whole file first" in page(response)
    assert Interview.objects.count() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"consent,sex\r\n", "no rows of answers"),
        (b"PK\x03\x04\x14\x00broken", "damaged or incomplete"),
    ],
)
def test_bad_files_are_refused_with_a_message(staff, round, data, message):
    before = (Interview.objects.count(), InterviewImport.objects.count())
    response = post_file(staff, round, data, "bad.xlsx")
    assert response.status_code == 422
    assert message in page(response)
    assert (Interview.objects.count(), InterviewImport.objects.count()) == before


def test_the_size_limit_is_stated(staff, round, settings):
    settings.CRC_IMPORT_MAX_BYTES = 1024 * 1024
    response = post_file(staff, round, b"consent\r\n" + b"yes\r\n" * 220_000)
    assert response.status_code == 422
    assert "larger than the limit of 1 MB" in page(response)
    assert InterviewImport.objects.count() == 0


def test_a_large_file_shows_progress_then_the_result(
    staff, round, settings, django_capture_on_commit_callbacks
):
    settings.CRC_IMPORT_BACKGROUND_ROWS = 5
    answers = answer_sets(round, 8, seed=34)
    names, rows = plain_rows(round, answers)
    post_file(staff, round, csv_bytes(names, rows))
    batch = InterviewImport.objects.get(round=round)
    detail = f"/en/surveys/rounds/{round.pk}/imports/{batch.pk}/"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        staff.post(detail, {"action": "check"})
    assert len(callbacks) == 1
    html = page(staff.get(detail))
    progress_url = f"{detail}progress/"
    assert f'hx-get="{progress_url}" hx-trigger="every 2s"' in html
    assert "<progress" in html and "Checking the whole file" in html
    assert 'http-equiv="refresh"' in html  # without JavaScript, the page reloads
    assert "HX-Refresh" not in staff.get(progress_url, headers={"HX-Request": "true"})
    callbacks[0]()  # the worker runs the job
    response = staff.get(progress_url, headers={"HX-Request": "true"})
    assert response["HX-Refresh"] == "true"
    assert "The file is checked: 8 new interviews" in page(staff.get(detail))


def test_the_original_file_and_the_export_can_be_downloaded(staff, round):
    answers = answer_sets(round, 2, seed=35)
    data = csv_bytes(*plain_rows(round, answers))
    post_file(staff, round, data, "Анкеты май.csv")
    batch = InterviewImport.objects.get(round=round)
    assert batch.filename == "Анкеты май.csv"
    response = staff.get(f"/en/surveys/rounds/{round.pk}/imports/{batch.pk}/file/")
    assert b"".join(response.streaming_content) == data
    export = staff.get(f"/en/surveys/rounds/{round.pk}/interviews.csv")
    lines = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("consent,sex,age_group,village,")
    assert len(lines) == 1 + Interview.objects.filter(round=round).count()


@pytest.fixture
def other_round(round):
    """Another round (of the same municipality) with an import of its own."""
    other = Round.objects.create(
        municipality=round.municipality,
        version=round.version,
        start_date=datetime.date(2026, 9, 1),
        end_date=datetime.date(2026, 9, 30),
    )
    batch = InterviewImport.objects.create(
        round=other, file="imports/x.csv", filename="x.csv", size=1, sha256="0" * 64
    )
    return other, batch


def test_an_import_of_another_round_is_not_found(staff, round, other_round):
    _other, batch = other_round
    base = f"/en/surveys/rounds/{round.pk}/imports/{batch.pk}/"
    assert staff.post(f"{base}run/").status_code == 404
    assert staff.post(base, {"action": "check"}).status_code == 404
    assert staff.get(base).status_code == 404
    assert staff.get(f"{base}problems.csv").status_code == 404


def test_only_the_round_managers_see_the_import_pages(client, round, demo_user, other_municipality):
    batch = upload(round, csv_bytes(*plain_rows(round, answer_sets(round, 1))), demo_user("staff"))
    base = f"/en/surveys/rounds/{round.pk}"
    urls = [
        f"{base}/imports/new/",
        f"{base}/imports/{batch.pk}/",
        f"{base}/imports/{batch.pk}/progress/",
        f"{base}/imports/{batch.pk}/problems.csv",
        f"{base}/imports/{batch.pk}/file/",
        f"{base}/interviews.csv",
    ]
    posts = [
        f"{base}/imports/new/",
        f"{base}/imports/{batch.pk}/",
        f"{base}/imports/{batch.pk}/run/",
    ]
    outsider = MembershipFactory(role=Role.STAFF, municipality=other_municipality).user
    for user in (outsider, demo_user("enumerator")):
        client.force_login(user)
        assert [client.get(u).status_code for u in urls] == [403] * len(urls), user
        assert [client.post(u, {"action": "check"}).status_code for u in posts] == [403] * 3
    client.force_login(demo_user("enumerator"))
    assert "Import interviews from a file" not in page(client.get(f"{base}/"))
    client.logout()
    assert client.get(urls[0]).status_code == 302
    assert InterviewImport.objects.get(pk=batch.pk).status == "mapping"
