"""Writes of the events app: events, registration, check-in, attendance, materials,
reminders. Attendance rows are written here and nowhere else."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from aimak.accounts.models import Membership, Role
from aimak.core.cache import public_content_changed
from aimak.core.uploads import check_upload
from aimak.notifications.services import notify
from aimak.territories.models import MUNICIPAL_LEVELS, Territory

from .models import (
    VULNERABLE_FIELDS,
    AgeGroup,
    Attendance,
    AttendanceSource,
    Event,
    EventKind,
    EventMaterial,
    MaterialKind,
    Participant,
    Sex,
)

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024

SEX_FIELDS = {Sex.FEMALE: "women", Sex.MALE: "men", Sex.NOT_STATED: "sex_not_stated"}
AGE_FIELDS = {
    AgeGroup.UNDER_18: "age_under_18",
    AgeGroup.AGE_18_29: "age_18_29",
    AgeGroup.AGE_30_59: "age_30_59",
    AgeGroup.AGE_60_PLUS: "age_60_plus",
    AgeGroup.NOT_STATED: "age_not_stated",
}
TOTAL_FIELDS = (*SEX_FIELDS.values(), *AGE_FIELDS.values(), *VULNERABLE_FIELDS)

MSG_REGISTERED = gettext_noop("%(name)s registered for “%(event)s”.")
MSG_REMINDER = gettext_noop("Reminder: “%(event)s” is tomorrow, %(when)s, at %(place)s.")


# --- Files -------------------------------------------------------------------------------


# --- Events ------------------------------------------------------------------------------


def _check_event(
    *,
    title_ky: str,
    title_ru: str,
    kind: str,
    municipalities: list[Territory],
    starts_at: datetime.datetime,
    ends_at: datetime.datetime | None,
    place: str,
    online_url: str,
    attendance_source: str,
) -> None:
    errors: dict[str, list[str]] = {}
    if not (title_ky.strip() or title_ru.strip()):
        errors.setdefault("title_ky", []).append(_("Give the title in Kyrgyz or Russian."))
    if kind not in EventKind.values:
        errors.setdefault("kind", []).append(_("Unknown kind of event."))
    if not municipalities:
        errors.setdefault("municipalities", []).append(_("Choose at least one municipality."))
    elif any(m.level not in MUNICIPAL_LEVELS for m in municipalities):
        errors.setdefault("municipalities", []).append(_("Only municipalities can be chosen."))
    if ends_at is not None and ends_at < starts_at:
        errors.setdefault("ends_at", []).append(_("The event cannot end before it starts."))
    if not (place.strip() or online_url.strip()):
        errors.setdefault("place", []).append(_("Give the place or an online link."))
    if attendance_source not in AttendanceSource.values:
        errors.setdefault("attendance_source", []).append(_("Unknown attendance source."))
    if errors:
        raise ValidationError(errors)


def _normalise_code(code: str) -> str:
    return re.sub(r"\s+", "", code or "").upper()


def event_create(
    *,
    title_ky: str = "",
    title_ru: str = "",
    title_en: str = "",
    kind: str,
    municipalities: list[Territory],
    starts_at: datetime.datetime,
    ends_at: datetime.datetime | None = None,
    place: str = "",
    online_url: str = "",
    agenda_ky: str = "",
    agenda_ru: str = "",
    agenda_en: str = "",
    check_in_code: str = "",
    registration_open: bool = True,
    attendance_source: str = AttendanceSource.PARTICIPANTS,
    minutes: str = "",
    user: Any,
    key: str = "",
) -> Event:
    _check_event(
        title_ky=title_ky,
        title_ru=title_ru,
        kind=kind,
        municipalities=municipalities,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        online_url=online_url,
        attendance_source=attendance_source,
    )
    with transaction.atomic():
        event = Event(
            key=key,
            title_ky=title_ky.strip(),
            title_ru=title_ru.strip(),
            title_en=title_en.strip(),
            kind=kind,
            starts_at=starts_at,
            ends_at=ends_at,
            place=place.strip(),
            online_url=online_url.strip(),
            agenda_ky=agenda_ky.strip(),
            agenda_ru=agenda_ru.strip(),
            agenda_en=agenda_en.strip(),
            check_in_code=_normalise_code(check_in_code),
            registration_open=registration_open,
            attendance_source=attendance_source,
            minutes=minutes.strip(),
            created_by=user,
        )
        event._history_user = user  # type: ignore[attr-defined]
        event.save()
        event.municipalities.set(municipalities)
        public_content_changed()
    return event


EDITABLE = (
    "title_ky",
    "title_ru",
    "title_en",
    "kind",
    "starts_at",
    "ends_at",
    "place",
    "online_url",
    "agenda_ky",
    "agenda_ru",
    "agenda_en",
    "check_in_code",
    "registration_open",
    "attendance_source",
    "minutes",
)


def event_update(
    *, event: Event, user: Any, municipalities: list[Territory] | None = None, **fields: Any
) -> Event:
    """Change an event; switching attendance back to participants recounts it."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"event_update: unknown fields {sorted(unknown)}")
    values = {f: getattr(event, f) for f in EDITABLE} | fields
    for f in ("title_ky", "title_ru", "title_en", "agenda_ky", "agenda_ru", "agenda_en"):
        values[f] = (values[f] or "").strip()
    values["check_in_code"] = _normalise_code(values["check_in_code"])
    chosen = (
        list(municipalities) if municipalities is not None else list(event.municipalities.all())
    )
    _check_event(
        title_ky=values["title_ky"],
        title_ru=values["title_ru"],
        kind=values["kind"],
        municipalities=chosen,
        starts_at=values["starts_at"],
        ends_at=values["ends_at"],
        place=values["place"] or "",
        online_url=values["online_url"] or "",
        attendance_source=values["attendance_source"],
    )
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        for f, v in values.items():
            setattr(event, f, v)
        event._history_user = user  # type: ignore[attr-defined]
        event.save()
        if municipalities is not None:
            event.municipalities.set(chosen)
            Attendance.objects.filter(event=event).exclude(municipality__in=chosen).delete()
        if event.attendance_source == AttendanceSource.PARTICIPANTS:
            _recount(event=event, user=user)
        public_content_changed()
    return event


# --- Registration and check-in -------------------------------------------------------------


def contact_key(contact: str) -> str:
    """Phones by their digits (the last 9: +996 555 12-34-56 = 0555123456), e-mails lower-cased."""
    contact = (contact or "").strip()
    if not contact:
        return ""
    if "@" in contact:
        return contact.lower()
    digits = re.sub(r"\D", "", contact)
    return digits[-9:] if len(digits) >= 9 else digits


def _organisers(event: Event) -> list[Any]:
    people = list(
        Membership.objects.active()
        .filter(
            municipality__in=event.municipalities.all(),
            role__in=(Role.STAFF, Role.FACILITATOR),
        )
        .select_related("user")
    )
    users = [m.user for m in people]
    if event.created_by is not None:
        users.insert(0, event.created_by)
    return users


def participant_register(
    *,
    event: Event,
    user: Any = None,
    name: str,
    contact: str = "",
    municipality: Territory | None = None,
    sex: str = Sex.NOT_STATED,
    age_group: str = AgeGroup.NOT_STATED,
    disability: bool = False,
    youth: bool = False,
    elderly: bool = False,
    minority: bool = False,
    low_income: bool = False,
    notify_organisers: bool = True,
) -> Participant:
    """Register someone for an event (signed in, or anonymous with a name and contact)."""
    if not getattr(user, "is_authenticated", False):
        user = None
    if not event.registration_open:
        raise ValidationError(_("Registration for this event is closed."))
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Give your name.")]
    key = contact_key(contact)
    if user is None and not key:
        errors["contact"] = [_("Give a phone number or e-mail so the organiser can reach you.")]
    if sex not in Sex.values:
        errors["sex"] = [_("Choose an answer.")]
    if age_group not in AgeGroup.values:
        errors["age_group"] = [_("Choose an answer.")]
    if errors:
        raise ValidationError(errors)
    event_municipalities = list(event.municipalities.all())
    if municipality is not None and municipality not in event_municipalities:
        municipality = None
    if municipality is None and len(event_municipalities) == 1:
        municipality = event_municipalities[0]
    duplicate = _("You are already registered for this event.")
    if user is not None and event.participants.filter(user=user).exists():
        raise ValidationError(duplicate)
    if key and event.participants.filter(contact_key=key).exists():
        raise ValidationError(
            _("Someone is already registered for this event with this phone number or e-mail.")
        )
    try:
        with transaction.atomic():
            participant = Participant.objects.create(
                event=event,
                user=user,
                name=name,
                contact=(contact or "").strip(),
                contact_key=key,
                municipality=municipality,
                sex=sex,
                age_group=age_group,
                disability=disability,
                youth=youth,
                elderly=elderly,
                minority=minority,
                low_income=low_income,
            )
            if notify_organisers:
                notify(
                    recipients=_organisers(event),
                    kind="events.registered",
                    message=MSG_REGISTERED,
                    params={"name": name, "event": event.title},
                    url=reverse("events:participants", args=[event.pk]),
                    target=event,
                )
    except IntegrityError as exc:  # two identical requests at once
        raise ValidationError(duplicate) from exc
    return participant


def participant_find(*, event: Event, user: Any = None, contact: str = "") -> Participant:
    participant = None
    if getattr(user, "is_authenticated", False):
        participant = event.participants.filter(user=user).first()
    if participant is None and contact_key(contact):
        participant = event.participants.filter(contact_key=contact_key(contact)).first()
    if participant is None:
        raise ValidationError(
            _("No registration found. Register first, or check the phone number or e-mail.")
        )
    return participant


def participant_check_in(*, event: Event, participant: Participant, code: str) -> Participant:
    """A participant types the code the organiser shows; counted at once."""
    if participant.event_id != event.pk:
        raise ValidationError(_("This registration is for another event."))
    if not event.check_in_code:
        raise ValidationError(_("This event has no check-in code: the organiser marks who came."))
    if _normalise_code(code) != event.check_in_code:
        raise ValidationError(_("The check-in code is not right. Ask the organiser."))
    today = timezone.localdate()
    start = timezone.localtime(event.starts_at).date()
    end = timezone.localtime(event.ends_at).date() if event.ends_at else start
    if not start <= today <= end:
        raise ValidationError(_("Check-in is possible only on the day of the event."))
    with transaction.atomic():
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        if participant.checked_in_at is None:
            participant.checked_in_at = timezone.now()
            participant.save(update_fields=["checked_in_at"])
            if event.attendance_source == AttendanceSource.PARTICIPANTS:
                _recount(event=event, user=participant.user)
            public_content_changed()
    return participant


def participants_mark(*, event: Event, present: Iterable[int], user: Any) -> int:
    """The organiser ticks who came; returns how many attend now."""
    wanted = {int(p) for p in present}
    now = timezone.now()
    with transaction.atomic():
        participants = list(Participant.objects.select_for_update().filter(event=event))
        unknown = wanted - {p.pk for p in participants}
        if unknown:
            raise ValidationError(_("Some of the ticked people are not registered for this event."))
        for p in participants:
            attending = p.pk in wanted
            if attending != (p.checked_in_at is not None):
                p.checked_in_at = now if attending else None
                p._history_user = user  # type: ignore[attr-defined]
                p.save(update_fields=["checked_in_at"])
        if event.attendance_source == AttendanceSource.PARTICIPANTS:
            _recount(event=event, user=user)
        public_content_changed()
    return len(wanted)


# --- Attendance ---------------------------------------------------------------------------


def _save_attendance(
    *,
    event: Event,
    municipality: Territory,
    values: dict[str, int],
    source: str,
    user: Any,
    note: str = "",
) -> Attendance:
    row = Attendance.objects.filter(event=event, municipality=municipality).first()
    if row is None:
        row = Attendance(event=event, municipality=municipality)
    elif (
        row.source == source
        and row.note == note
        and all(getattr(row, f) == values.get(f, 0) for f in TOTAL_FIELDS)
    ):
        return row  # unchanged: no history row
    for f in TOTAL_FIELDS:
        setattr(row, f, values.get(f, 0))
    row.source = source
    row.note = note
    row._history_user = user  # type: ignore[attr-defined]
    row.save()
    return row


def _recount(*, event: Event, user: Any) -> None:
    """Recompute the event's attendance from its attending participants."""
    municipalities = sorted(event.municipalities.all(), key=lambda m: m.code)
    if not municipalities:
        return
    counts: dict[int, dict[str, int]] = {
        m.pk: dict.fromkeys(TOTAL_FIELDS, 0) for m in municipalities
    }
    first = municipalities[0].pk
    for p in event.participants.filter(checked_in_at__isnull=False):
        bucket = counts.get(p.municipality_id or first) or counts[first]
        bucket[SEX_FIELDS[Sex(p.sex)]] += 1
        bucket[AGE_FIELDS[AgeGroup(p.age_group)]] += 1
        for f in VULNERABLE_FIELDS:
            bucket[f] += int(getattr(p, f))
    for m in municipalities:
        if (
            counts[m.pk] == dict.fromkeys(TOTAL_FIELDS, 0)
            and not Attendance.objects.filter(event=event, municipality=m).exists()
        ):
            continue
        _save_attendance(
            event=event,
            municipality=m,
            values=counts[m.pk],
            source=AttendanceSource.PARTICIPANTS,
            user=user,
        )


def attendance_recount(*, event: Event, user: Any) -> None:
    with transaction.atomic():
        _recount(event=event, user=user)
        public_content_changed()


def attendance_errors(values: dict[str, int]) -> list[str]:
    """What does not add up in a sign-in sheet's totals (empty when it is consistent)."""
    problems: list[str] = []
    if any(v < 0 for v in values.values()):
        problems.append(_("Counts cannot be negative."))
    by_sex = sum(values.get(f, 0) for f in SEX_FIELDS.values())
    by_age = sum(values.get(f, 0) for f in AGE_FIELDS.values())
    if by_sex != by_age:
        problems.append(
            _(
                "The totals do not add up: %(sex)s people by sex (women, men, not stated) but "
                "%(age)s by age group. Both must count the same people."
            )
            % {"sex": by_sex, "age": by_age}
        )
    for f in VULNERABLE_FIELDS:
        if values.get(f, 0) > by_sex:
            label = getattr(Attendance._meta.get_field(f), "verbose_name", f)
            problems.append(
                _("%(group)s: %(n)s is more than the %(total)s people who attended.")
                % {"group": str(label).capitalize(), "n": values[f], "total": by_sex}
            )
    return problems


def attendance_set_totals(
    *,
    event: Event,
    municipality: Territory,
    user: Any,
    women: int = 0,
    men: int = 0,
    sex_not_stated: int = 0,
    age_under_18: int = 0,
    age_18_29: int = 0,
    age_30_59: int = 0,
    age_60_plus: int = 0,
    age_not_stated: int = 0,
    disability: int = 0,
    youth: int = 0,
    elderly: int = 0,
    minority: int = 0,
    low_income: int = 0,
    note: str = "",
) -> Attendance:
    """Type the totals of a paper sign-in sheet for one municipality of the event.

    The event's attendance is then counted from sheets (participants' check-ins no longer
    change it); every correction is kept in the history."""
    values = {
        "women": women,
        "men": men,
        "sex_not_stated": sex_not_stated,
        "age_under_18": age_under_18,
        "age_18_29": age_18_29,
        "age_30_59": age_30_59,
        "age_60_plus": age_60_plus,
        "age_not_stated": age_not_stated,
        "disability": disability,
        "youth": youth,
        "elderly": elderly,
        "minority": minority,
        "low_income": low_income,
    }
    if not event.municipalities.filter(pk=municipality.pk).exists():
        raise ValidationError(_("This municipality does not take part in the event."))
    problems = attendance_errors(values)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        if event.attendance_source != AttendanceSource.SHEET:
            Event.objects.filter(pk=event.pk).update(attendance_source=AttendanceSource.SHEET)
            event.attendance_source = AttendanceSource.SHEET
            # Rows counted from participants elsewhere in the event become sheet rows too.
        row = _save_attendance(
            event=event,
            municipality=municipality,
            values=values,
            source=AttendanceSource.SHEET,
            user=user,
            note=note.strip(),
        )
        public_content_changed()
    return row


# --- Materials ----------------------------------------------------------------------------

PHOTO_TYPES = ("jpeg", "png", "webp")
DOCUMENT_TYPES = ("pdf", "docx", "xlsx")


def material_add(
    *,
    event: Event,
    kind: str,
    title: str,
    user: Any,
    file: UploadedFile | None = None,
    url: str = "",
) -> EventMaterial:
    title = (title or "").strip()
    if kind not in MaterialKind.values:
        raise ValidationError({"kind": [_("Unknown kind of material.")]})
    if not title:
        raise ValidationError({"title": [_("Give a title.")]})
    if kind == MaterialKind.LINK:
        if not url.strip():
            raise ValidationError({"url": [_("Give the link.")]})
        file = None
    else:
        if file is None:
            raise ValidationError({"file": [_("Choose a file.")]})
        if kind == MaterialKind.PHOTO:
            check_upload(file=file, allowed=PHOTO_TYPES, max_bytes=MAX_PHOTO_BYTES)
        else:
            check_upload(file=file, allowed=DOCUMENT_TYPES, max_bytes=MAX_DOCUMENT_BYTES)
        url = ""
    with transaction.atomic():
        material = EventMaterial(
            event=event, kind=kind, title=title, url=url.strip(), created_by=user
        )
        if file is not None:
            name = re.sub(r"[^\w.\-]+", "_", file.name or "file")[-80:]
            material.file.save(name, file, save=False)
        material.save()
        public_content_changed()
    return material


def material_remove(*, material: EventMaterial, user: Any) -> None:
    with transaction.atomic():
        file = material.file
        name = file.name or ""
        material.delete()
        public_content_changed()
        if name:
            transaction.on_commit(lambda: file.storage.delete(name))


# --- Reminders ----------------------------------------------------------------------------


def events_send_reminders(*, today: datetime.date | None = None) -> int:
    """Notify the registrants (with an account) of tomorrow's events; each event once."""
    today = today or timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    sent = 0
    with transaction.atomic():
        events = list(
            Event.objects.select_for_update()
            .filter(starts_at__date=tomorrow)
            .exclude(reminders_sent_on__isnull=False)
        )
        for event in events:
            users = [
                p.user for p in event.participants.select_related("user") if p.user is not None
            ]
            when = timezone.localtime(event.starts_at).strftime("%H:%M")
            sent += notify(
                recipients=users,
                kind="events.reminder",
                message=MSG_REMINDER,
                params={
                    "event": event.title,
                    "when": when,
                    "place": event.place or event.online_url,
                },
                url=reverse("events:detail", args=[event.pk]),
                target=event,
            )
            Event.objects.filter(pk=event.pk).update(reminders_sent_on=today)
    return sent
