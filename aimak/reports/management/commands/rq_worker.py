"""Run background jobs from Redis when TASKS uses aimak.reports.rq_backend.RQBackend: the
counterpart of django-tasks-db's `db_worker`. Start as many as the load needs, on any
machine that reaches the Redis and the database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

from aimak.reports.rq_backend import RQBackend, close_connections


class Command(BaseCommand):
    help = (
        "Run django.tasks jobs queued in Redis (TASKS backend aimak.reports.rq_backend.RQBackend)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("queues", nargs="*", help="Queues to take jobs from (default: all)")
        parser.add_argument(
            "--backend", default=DEFAULT_TASK_BACKEND_ALIAS, help="The TASKS alias to serve"
        )
        parser.add_argument("--burst", action="store_true", help="Stop when the queues are empty")
        parser.add_argument(
            "--simple",
            action="store_true",
            help="Run jobs in this process instead of a forked one per job",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from rq import SimpleWorker, Worker

        backend = task_backends[options["backend"]]
        if not isinstance(backend, RQBackend):
            raise CommandError(
                f"TASKS[{options['backend']!r}] is {type(backend).__name__}, not RQBackend."
            )
        names = options["queues"] or sorted(backend.queues)
        queues = [backend.queue(name) for name in names]
        # Each job runs in a forked process; it must not share this one's database sockets
        # (a caller holding a transaction, a test running jobs in-process, keeps its own).
        close_connections()
        worker_class = SimpleWorker if options["simple"] else Worker
        worker = worker_class(queues, connection=backend.connection())
        worker.work(burst=options["burst"], logging_level="INFO")
