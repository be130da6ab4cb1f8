"""Small builders for the inclusion tests (events, attendance, resolutions, rounds, files)."""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.utils import timezone

from aimak.council.models import Decision, DecisionKind, Resolution
from aimak.events.models import Attendance, Event
from aimak.surveys.models import Round, RoundStatus, RoundTransition
from aimak.territories.models import Territory


def unit(code: str) -> Territory:
    return Territory.objects.get(code=code)


def at(day: str, hour: int = 10) -> datetime.datetime:
    d = datetime.date.fromisoformat(day)
    return timezone.make_aware(datetime.datetime(d.year, d.month, d.day, hour))


def event(
    kind: str, day: str, *municipalities: Territory, hour: int = 10, title: str = ""
) -> Event:
    e = Event.objects.create(title=title or f"{kind} {day}", kind=kind, starts_at=at(day, hour))
    e.municipalities.set(municipalities)
    return e


def attendance(
    e: Event, municipality: Territory, women: int = 0, men: int = 0, ns: int = 0
) -> Attendance:
    return Attendance.objects.create(
        event=e, municipality=municipality, women=women, men=men, sex_not_stated=ns, source="sheet"
    )


def resolution(
    municipality: Territory,
    day: str,
    kind: str = DecisionKind.GENDER_POLICY,
    repealed_on: str | None = None,
    number: str = "1",
) -> Resolution:
    r = Resolution.objects.create(
        municipality=municipality,
        number=number,
        date=datetime.date.fromisoformat(day),
        title=f"Resolution {number}",
        repealed_on=datetime.date.fromisoformat(repealed_on) if repealed_on else None,
    )
    Decision.objects.create(resolution=r, kind=kind)
    return r


def round_(
    municipality: Territory, start: str, end: str, status: str, published: str | None = None
) -> Round:
    template = Round.objects.order_by("pk").first()
    assert template is not None, "the demo has report-card rounds"
    r = Round.objects.create(
        municipality=municipality,
        version=template.version,
        start_date=datetime.date.fromisoformat(start),
        end_date=datetime.date.fromisoformat(end),
        status=status,
    )
    if published:
        t = RoundTransition.objects.create(
            round=r, from_status=RoundStatus.CLOSED, to_status=RoundStatus.PUBLISHED
        )
        RoundTransition.objects.filter(pk=t.pk).update(at=at(published))
    return r


def xlsx(rows: list[list[Any]], merge: str = "") -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    if merge:
        ws.merge_cells(merge)
    # Fixed properties: the same rows give the same bytes (openpyxl stamps the time).
    wb.properties.created = wb.properties.modified = datetime.datetime(2031, 1, 1)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


BUDGET_ROWS: list[list[Any]] = [
    ["Бюджет 2031"],
    ["Код", "Наименование", "Раздел", "Сумма", "Исполнено"],
    ["2111", "Оплата труда", "Общие услуги", 1000, None],
    ["2311", "Детский сад", "Образование", "2 000,50", "1 500"],
    ["2511", "Курсы для женщин", "Соцзащита", "1,000.00", None],
    [None, "Итого", None, "=SUM(D3:D5)", None],
]
