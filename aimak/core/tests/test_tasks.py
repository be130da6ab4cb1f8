"""Background jobs: django.tasks with django-tasks-db's database backend by default."""

import pytest
from django.core.management import call_command
from django.tasks import task, task_backends
from django.test import override_settings

from aimak.settings import base

DB_BACKEND = "django_tasks_db.DatabaseBackend"


@task
def add(a: int, b: int) -> int:
    return a + b


def test_database_backend_is_the_default():
    assert base.TASKS["default"]["BACKEND"] == DB_BACKEND
    assert "django_tasks_db" in base.INSTALLED_APPS


@pytest.mark.django_db
def test_enqueued_task_is_a_row_the_worker_can_claim():
    from django_tasks_db.models import DBTaskResult

    with override_settings(TASKS={"default": {"BACKEND": DB_BACKEND}}):
        call_command("check", "django_tasks_database", verbosity=0)
        result = add.enqueue(2, 3)
        assert type(task_backends["default"]).__name__ == "DatabaseBackend"
        row = DBTaskResult.objects.get(id=result.id)
        assert row.status == "READY"
        assert DBTaskResult.objects.ready().get_locked() == row
