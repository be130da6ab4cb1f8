"""Requesting and making reports: once per kind, language and data; progress as the job
goes; failures reported in words with nothing left to download; outdated reports known."""

import datetime
import logging
import random
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from aimak.catalogue.models import Service
from aimak.demo.answers import demo_answers
from aimak.reports import build
from aimak.reports.models import Report, ReportError, ReportStatus
from aimak.reports.selectors import report_data_state
from aimak.reports.services import report_build, report_request
from aimak.surveys.collection import interview_submit, version_checker
from aimak.surveys.models import RoundStatus
from aimak.surveys.rounds import round_advance, round_create

pytestmark = pytest.mark.django_db

VILLAGE = "41703204804010"


def add_interview(round, user, seed=1):
    checker = version_checker(round.version)
    rng = random.Random(seed)
    while True:
        answers = demo_answers(checker, rng, villages=[VILLAGE])
        if answers.get("consent") == "yes":
            break
    interview_submit(round=round, interview_id=uuid.uuid4(), answers=answers, user=user)


def test_the_same_report_on_the_same_data_is_made_once(make_report, demo_round, demo_user):
    first = make_report(demo_round, "scorecard_pdf", "ky")
    assert first.status == ReportStatus.DONE
    again, created = report_request(
        round=demo_round, kind="scorecard_pdf", language="ky", user=demo_user("monitor")
    )
    assert not created and again.pk == first.pk
    # Another language is another report.
    other, created = report_request(
        round=demo_round, kind="scorecard_pdf", language="ru", user=demo_user("monitor")
    )
    assert created and other.pk != first.pk
    assert Report.objects.filter(round=demo_round).count() == 2


def test_a_report_being_made_is_not_requested_twice(demo_round, demo_user):
    # Without running the on-commit hook the report stays queued, as with a busy worker.
    first, created = report_request(
        round=demo_round, kind="analytical_pdf", language="ru", user=demo_user("staff")
    )
    assert created and first.status == ReportStatus.QUEUED
    again, created = report_request(
        round=demo_round, kind="analytical_pdf", language="ru", user=demo_user("staff")
    )
    assert not created and again.pk == first.pk


def test_a_job_whose_worker_died_does_not_block_a_new_request(demo_round, demo_user):
    first, _ = report_request(
        round=demo_round, kind="analytical_pdf", language="ru", user=demo_user("staff")
    )
    Report.objects.filter(pk=first.pk).update(
        status=ReportStatus.RUNNING, started_at=timezone.now() - datetime.timedelta(hours=2)
    )
    again, created = report_request(
        round=demo_round, kind="analytical_pdf", language="ru", user=demo_user("staff")
    )
    assert created and again.pk != first.pk


def test_new_interviews_make_a_report_outdated(make_report, demo_round, demo_user):
    report = make_report(demo_round, "scorecard_pdf", "en")
    assert report.interviews == 120
    add_interview(demo_round, demo_user("enumerator"))
    state = report_data_state(round=demo_round)
    assert state.interviews == 121 and state.key != report.data_key
    newer = make_report(demo_round, "scorecard_pdf", "en")
    assert newer.pk != report.pk and newer.interviews == 121


def test_progress_is_written_as_the_job_goes(
    demo_round, demo_user, monkeypatch, django_capture_on_commit_callbacks
):
    seen = []

    def slow_builder(data, progress):
        progress(50, "writing")
        row = Report.objects.get(round=demo_round)
        seen.append((row.status, row.progress, row.step, row.get_step_display()))
        return b"%PDF-1.4 made"

    monkeypatch.setitem(build.BUILDERS, "analytical_pdf", slow_builder)
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        report, _ = report_request(
            round=demo_round, kind="analytical_pdf", language="en", user=demo_user("staff")
        )
    report.refresh_from_db()
    assert seen == [("running", 50, "writing", "Writing the document")]
    assert report.status == ReportStatus.DONE and report.progress == 100
    assert report.file.read() == b"%PDF-1.4 made"
    assert report.finished_at is not None and report.seconds is not None


def test_a_failing_build_is_reported_and_leaves_no_file(
    demo_round, demo_user, monkeypatch, media_root, caplog, django_capture_on_commit_callbacks
):
    def broken(data, progress):
        progress(60, "writing")
        raise RuntimeError("the chart library exploded")

    monkeypatch.setitem(build.BUILDERS, "tables_xlsx", broken)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        report, _ = report_request(
            round=demo_round, kind="tables_xlsx", language="ru", user=demo_user("staff")
        )
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert report.error == ReportError.UNEXPECTED
    assert not report.file
    assert not list(media_root.rglob("*.xlsx"))
    with translation.override("ru"):
        assert "непредвиденной ошибки" in report.get_error_display()
    assert "the chart library exploded" in caplog.text  # the traceback is in the log only
    # A failed report does not block asking again.
    monkeypatch.undo()
    _again, created = report_request(
        round=demo_round, kind="tables_xlsx", language="ru", user=demo_user("staff")
    )
    assert created


def test_a_file_saved_before_the_failure_is_removed(
    demo_round, demo_user, monkeypatch, media_root, django_capture_on_commit_callbacks
):
    from aimak.reports import services

    real_update = services.Report.objects.filter

    def failing_filter(*args, **kwargs):
        query = real_update(*args, **kwargs)
        original = query.update

        def update(**values):
            if values.get("status") == ReportStatus.DONE:
                raise RuntimeError("database went away")
            return original(**values)

        query.update = update
        return query

    monkeypatch.setattr(services.Report.objects, "filter", failing_filter)
    with django_capture_on_commit_callbacks(execute=True):
        report, _ = report_request(
            round=demo_round, kind="scorecard_pdf", language="ky", user=demo_user("staff")
        )
    monkeypatch.undo()
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert not list(media_root.rglob("*.pdf"))


def test_the_job_is_idempotent(make_report, demo_round):
    report = make_report(demo_round, "scorecard_pdf", "ky")
    finished = report.finished_at
    report_build(report_id=report.pk)  # a second delivery of the same job
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and report.finished_at == finished
    report_build(report_id=999999)  # a report deleted meanwhile


def test_a_round_without_interviews_is_refused_in_words(demo_round, demo_user):
    monitor = demo_user("monitor")
    empty = round_create(
        municipality=demo_round.municipality,
        version=demo_round.version,
        services=list(Service.objects.filter(slug__in=["drinking-water"])),
        start_date=datetime.date(2027, 5, 3),
        end_date=datetime.date(2027, 5, 28),
        monitors=[monitor],
        enumerators=[demo_user("enumerator")],
        user=monitor,
    )
    round_advance(round=empty, to_status=RoundStatus.COLLECTING, user=monitor)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        report_request(round=empty, kind="analytical_pdf", language="ky", user=monitor)
    assert "no interviews" in refused.value.messages[0]


def test_unknown_kind_or_language_is_refused(demo_round, demo_user):
    with pytest.raises(ValidationError):
        report_request(round=demo_round, kind="poster", language="ky", user=demo_user("staff"))
    with pytest.raises(ValidationError):
        report_request(
            round=demo_round, kind="scorecard_pdf", language="de", user=demo_user("staff")
        )


def test_a_report_compares_with_the_earlier_round(make_report, demo_round):
    state = report_data_state(round=demo_round)
    assert state.previous is not None and state.previous.start_date < demo_round.start_date
    report = make_report(demo_round, "analytical_docx", "en")
    import io

    import docx

    document = docx.Document(io.BytesIO(report.file.read()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "than in the round of" in text or "the same as in the round of" in text
