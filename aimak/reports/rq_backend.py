"""A Redis-backed backend for Django's own `django.tasks`, on RQ: the thinnest adapter.

Why our own: the RQ backend of the django.tasks author, django-tasks-rq 0.12, is built on
the `django_tasks` backport. Configured under Django 6.1 it works, but through the
backport's classes: `django.tasks.task` then makes backport `Task` objects (the backend's
`task_class`), results are backport `TaskResult`s, Django's own task signals are not sent,
and it brings django-rq, rq-scheduler, freezegun and the backport itself. This module
subclasses Django's `BaseTaskBackend`, so tasks stay `django.tasks.Task`, and needs only
`rq` (docs/reports.md).

Settings: TASKS = {"default": {"BACKEND": "aimak.reports.rq_backend.RQBackend",
"OPTIONS": {"REDIS_URL": "redis://127.0.0.1:6379/0"}}} (TASKS_BACKEND and TASKS_REDIS_URL in
the environment). Workers: `manage.py rq_worker` (any number, on any machine that reaches
the Redis and the database).
"""

from __future__ import annotations

from datetime import UTC, datetime
from traceback import format_exception
from typing import Any

from django.db import connections
from django.tasks import task_backends
from django.tasks.backends.base import BaseTaskBackend
from django.tasks.base import Task, TaskContext, TaskError, TaskResult, TaskResultStatus
from django.tasks.exceptions import TaskResultDoesNotExist
from django.tasks.signals import task_enqueued, task_finished, task_started
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string

RUN = "aimak.reports.rq_backend.run_task"
DEFAULT_URL = "redis://127.0.0.1:6379/0"
RESULT_TTL = 7 * 24 * 3600  # keep finished jobs' results a week
JOB_TIMEOUT = 30 * 60

STATUSES = {
    "queued": TaskResultStatus.READY,
    "deferred": TaskResultStatus.READY,
    "scheduled": TaskResultStatus.READY,
    "created": TaskResultStatus.READY,
    "started": TaskResultStatus.RUNNING,
    "finished": TaskResultStatus.SUCCESSFUL,
    "failed": TaskResultStatus.FAILED,
    "stopped": TaskResultStatus.FAILED,
    "canceled": TaskResultStatus.FAILED,
}


def _aware(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


class RQBackend(BaseTaskBackend):
    supports_defer = False
    supports_async_task = False
    supports_get_result = True
    supports_priority = False

    def __init__(self, alias: str, params: dict[str, Any]) -> None:
        super().__init__(alias, params)
        self.url = self.options.get("REDIS_URL", DEFAULT_URL)
        self._redis: Any = None

    def connection(self) -> Any:
        """The Redis connection, made on first use (never at import or start-up)."""
        if self._redis is None:
            from redis import Redis

            self._redis = Redis.from_url(self.url)
        return self._redis

    def queue(self, name: str) -> Any:
        from rq import Queue

        return Queue(name, connection=self.connection())

    def enqueue(self, task: Task, args: Any, kwargs: Any) -> TaskResult:
        self.validate_task(task)
        result: TaskResult = TaskResult(
            task=task,
            id=get_random_string(32),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=list(args),
            kwargs=dict(kwargs),
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        queue = self.queue(task.queue_name)
        job = queue.create_job(
            RUN,
            args=(task.module_path, self.alias, list(args), dict(kwargs)),
            job_id=result.id,
            result_ttl=RESULT_TTL,
            failure_ttl=RESULT_TTL,
            timeout=JOB_TIMEOUT,
            description=task.module_path,
        )
        job = queue.enqueue_job(job)
        object.__setattr__(result, "enqueued_at", _aware(job.enqueued_at))
        task_enqueued.send(type(self), task_result=result)
        return result

    def get_result(self, result_id: str) -> TaskResult:
        from rq.exceptions import NoSuchJobError
        from rq.job import Job

        try:
            job = Job.fetch(result_id, connection=self.connection())
        except NoSuchJobError as exc:
            raise TaskResultDoesNotExist(result_id) from exc
        module_path, _alias, args, kwargs = job.args
        task = import_string(module_path)
        raw = job.get_status(refresh=False)
        status = STATUSES.get(str(getattr(raw, "value", raw) or "queued"), TaskResultStatus.READY)
        errors = []
        latest = job.latest_result()
        if status == TaskResultStatus.FAILED and latest is not None:
            errors.append(
                TaskError(exception_class_path="", traceback=str(latest.exc_string or ""))
            )
        result: TaskResult = TaskResult(
            task=task,
            id=job.id,
            status=status,
            enqueued_at=_aware(job.enqueued_at),
            started_at=_aware(job.started_at),
            last_attempted_at=_aware(job.started_at),
            finished_at=_aware(job.ended_at),
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=errors,
            worker_ids=[job.worker_name] if job.worker_name else [],
        )
        if status == TaskResultStatus.SUCCESSFUL:
            object.__setattr__(result, "_return_value", job.return_value())
        return result


def close_connections() -> None:
    """Close the job's database connections (a forked work horse exits after the job);
    not inside a transaction, where the caller (a test running jobs in-process) owns them."""
    if not any(c.in_atomic_block for c in connections.all(initialized_only=True)):
        connections.close_all()


def run_task(module_path: str, alias: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """The RQ job: run the django.tasks Task at `module_path` with Django's signals."""
    from rq import get_current_job

    task: Task = import_string(module_path)
    job = get_current_job()
    now = datetime.now(UTC)
    result: TaskResult = TaskResult(
        task=task,
        id=job.id if job else get_random_string(32),
        status=TaskResultStatus.RUNNING,
        enqueued_at=_aware(job.enqueued_at) if job else None,
        started_at=now,
        last_attempted_at=now,
        finished_at=None,
        args=args,
        kwargs=kwargs,
        backend=alias,
        errors=[],
        worker_ids=[job.worker_name] if job and job.worker_name else [],
    )
    sender = type(task_backends[alias])
    task_started.send(sender, task_result=result)
    try:
        if task.takes_context:
            value = task.call(TaskContext(task_result=result), *args, **kwargs)
        else:
            value = task.call(*args, **kwargs)
    except BaseException as exc:
        object.__setattr__(result, "status", TaskResultStatus.FAILED)
        object.__setattr__(result, "finished_at", datetime.now(UTC))
        result.errors.append(
            TaskError(
                exception_class_path=f"{type(exc).__module__}.{type(exc).__qualname__}",
                traceback="".join(format_exception(exc)),
            )
        )
        task_finished.send(sender, task_result=result)
        raise
    finally:
        close_connections()
    object.__setattr__(result, "status", TaskResultStatus.SUCCESSFUL)
    object.__setattr__(result, "finished_at", datetime.now(UTC))
    task_finished.send(sender, task_result=result)
    return value
