"""Every write to action plans. Progress is recomputed in the same transaction."""

from __future__ import annotations

import datetime
import logging
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from aimak.accounts.models import Role
from aimak.catalogue.models import Service
from aimak.core.cache import public_content_changed
from aimak.core.uploads import IMAGE_TYPES, file_type
from aimak.events.models import PUBLIC_HEARING_KINDS, Event, EventKind
from aimak.notifications.emails import absolute
from aimak.notifications.services import notify
from aimak.surveys.models import Round
from aimak.territories.models import Territory

from .models import (
    Action,
    ActionStatus,
    Evidence,
    EvidenceKind,
    FollowUp,
    FollowUpAnswer,
    Milestone,
    OverdueAlert,
    Recommendation,
    RecommendationContact,
    Source,
    StatusChange,
    Verdict,
    Verification,
)
from .progress import action_progress, mean_progress
from .selectors import (
    actions_due_follow_up,
    finding_indexes,
    municipal_people,
    overdue_actions,
)

logger = logging.getLogger(__name__)


def evidence_max_bytes() -> int:
    return int(getattr(settings, "PLANS_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024))


def follow_up_days() -> int:
    return int(settings.PLANS_FOLLOW_UP_DAYS)


# --- Progress ----------------------------------------------------------------------------


def _recompute_recommendations(*, ids: set[int]) -> None:
    rows = (
        Action.objects.filter(recommendation_id__in=ids, status__excluded=False)
        .values_list("recommendation_id", "progress", "weight")
        .order_by()
    )
    per: dict[int, list[tuple[Decimal, Decimal | None]]] = {pk: [] for pk in ids}
    for rec_id, progress, weight in rows:
        per[rec_id].append((progress, weight))
    for rec_id, values in per.items():
        Recommendation.objects.filter(pk=rec_id).exclude(progress=mean_progress(values)).update(
            progress=mean_progress(values)
        )


def progress_recompute(*, action_ids: list[int]) -> None:
    """Recompute these actions' progress, then their recommendations'."""
    latest = (
        Milestone.objects.filter(action=OuterRef("pk"))
        .order_by("-date", "-created_at", "-pk")
        .values("progress")[:1]
    )
    recs: set[int] = set()
    for action in (
        Action.objects.filter(pk__in=action_ids)
        .select_related("status")
        .annotate(latest=Subquery(latest))
    ):
        value = action_progress(
            default=action.status.default_progress,
            is_open=action.status.is_open,
            latest_milestone=action.latest,  # type: ignore[attr-defined]
        )
        if value != action.progress:
            Action.objects.filter(pk=action.pk).update(progress=value)
        recs.add(action.recommendation_id)
    _recompute_recommendations(ids=recs)


# --- Recommendations ---------------------------------------------------------------------


@dataclass
class Finding:
    round: Round | None
    service: Service | None
    index: str
    index_label: str


def _check_reference(
    *,
    municipality: Territory,
    source: str,
    round: Round | None,
    service: Service | None,
    index: str,
    event: Event | None,
    reference: str,
) -> str:
    """Refuse a recommendation whose source is not backed by its reference; returns the
    index's label for a report-card finding."""
    if source not in Source.values:
        raise ValidationError(_("Choose where the recommendation comes from."))
    if source == Source.CRC_FINDING:
        if round is None or service is None or not index:
            raise ValidationError(_("A report-card finding needs its round, service and index."))
        if round.municipality_id != municipality.pk:
            raise ValidationError(_("That round belongs to another municipality."))
        labels = {(c.service_slug, c.name): c.label for c in finding_indexes(round=round)}
        if (service.slug, index) not in labels:
            raise ValidationError(
                _("The round has no index “%(index)s” for the service “%(service)s”.")
                % {"index": index, "service": service.name}
            )
        return labels[(service.slug, index)]
    if source in (Source.HEARING, Source.FOCUS_GROUP):
        if event is None:
            raise ValidationError(_("Choose the hearing or focus group it came out of."))
        if not event.municipalities.filter(pk=municipality.pk).exists():
            raise ValidationError(_("That event did not cover this municipality."))
        wanted = PUBLIC_HEARING_KINDS if source == Source.HEARING else (EventKind.FOCUS_GROUP,)
        if event.kind not in wanted:
            raise ValidationError(_("That event is not a public hearing or focus group."))
        return ""
    if not reference.strip():
        raise ValidationError(_("Name the study or programme it comes from."))
    return ""


def _titles(values: dict[str, Any]) -> None:
    if not (values.get("title_ky") or "").strip() and not (values.get("title_ru") or "").strip():
        raise ValidationError(_("Give the title in Kyrgyz or in Russian."))


REC_FIELDS = (
    "title_ky",
    "title_ru",
    "title_en",
    "text_ky",
    "text_ru",
    "text_en",
    "source",
    "round",
    "service",
    "index",
    "finding_value",
    "event",
    "reference",
    "priority",
    "published",
)


def _rec_values(source: str, values: dict[str, Any]) -> dict[str, Any]:
    """Keep only the reference that belongs to the source."""
    if source != Source.CRC_FINDING:
        values.update(round=None, service=None, index="", finding_value="")
    if source not in (Source.HEARING, Source.FOCUS_GROUP):
        values["event"] = None
    if source not in (Source.STUDY, Source.PROGRAMME):
        values["reference"] = ""
    for key in ("title_ky", "title_ru", "title_en", "text_ky", "text_ru", "text_en"):
        values[key] = (values.get(key) or "").strip()
    values["title"] = values["title_ru"] or values["title_ky"]
    values["text"] = values["text_ru"] or values["text_ky"]
    return values


@transaction.atomic
def recommendation_create(
    *,
    municipality: Territory,
    user: Any,
    title_ky: str = "",
    title_ru: str = "",
    title_en: str = "",
    text_ky: str = "",
    text_ru: str = "",
    text_en: str = "",
    source: str,
    round: Round | None = None,
    service: Service | None = None,
    index: str = "",
    finding_value: str = "",
    event: Event | None = None,
    reference: str = "",
    priority: str = "medium",
    published: bool = False,
) -> Recommendation:
    values = {k: v for k, v in locals().items() if k in REC_FIELDS}
    _titles(values)
    values = _rec_values(source, values)
    label = _check_reference(
        municipality=municipality,
        source=source,
        round=values["round"],
        service=values["service"],
        index=values["index"],
        event=values["event"],
        reference=values["reference"],
    )
    rec = Recommendation(municipality=municipality, created_by=user, index_label=label, **values)
    rec.full_clean(exclude=["municipality", "created_by", "round", "service", "event"])
    rec.save()
    if rec.published:
        public_content_changed()
    return rec


@transaction.atomic
def recommendation_update(
    *, recommendation: Recommendation, user: Any, **fields: Any
) -> Recommendation:
    unknown = set(fields) - set(REC_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    rec = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    was_published = rec.published
    values = {k: getattr(rec, k) for k in REC_FIELDS}
    values.update(fields)
    _titles(values)
    values = _rec_values(values["source"], values)
    rec.index_label = _check_reference(
        municipality=rec.municipality,
        source=values["source"],
        round=values["round"],
        service=values["service"],
        index=values["index"],
        event=values["event"],
        reference=values["reference"],
    )
    for key, value in values.items():
        setattr(rec, key, value)
    rec._change_reason = "edit"  # type: ignore[attr-defined]
    rec.full_clean(exclude=["municipality", "created_by", "round", "service", "event"])
    rec.save()
    if was_published or rec.published:
        public_content_changed()
    return rec


@transaction.atomic
def contact_add(
    *, recommendation: Recommendation, user: Any, email: str, name: str = "", consent: bool
) -> RecommendationContact:
    email = email.strip().lower()
    contact = RecommendationContact(
        recommendation=recommendation, email=email, name=name.strip(), consent=consent
    )
    contact.full_clean(exclude=["recommendation"])
    if recommendation.contacts.filter(email=email).exists():
        raise ValidationError(_("This e-mail address is already a contact of the recommendation."))
    contact.save()
    return contact


# --- Actions -----------------------------------------------------------------------------


def _changed(recommendation: Recommendation) -> None:
    if Recommendation.objects.filter(pk=recommendation.pk, published=True).exists():
        public_content_changed()


@transaction.atomic
def action_create(
    *,
    recommendation: Recommendation,
    user: Any,
    title_ky: str = "",
    title_ru: str = "",
    title_en: str = "",
    responsible: str,
    responsible_user: Any = None,
    deadline: datetime.date,
    budget: Decimal | None = None,
    funding_source: str = "",
    status: ActionStatus,
    weight: Decimal | None = None,
    at: datetime.datetime | None = None,
) -> Action:
    _titles({"title_ky": title_ky, "title_ru": title_ru})
    if (
        responsible_user is not None
        and not municipal_people(
            municipality_id=recommendation.municipality_id, roles=(Role.STAFF, Role.DEPUTY)
        )
        .filter(pk=responsible_user.pk)
        .exists()
    ):
        raise ValidationError(
            _("%(name)s is not staff or a deputy of this municipality.")
            % {"name": responsible_user.display_name}
        )
    now = at or timezone.now()
    action = Action(
        recommendation=recommendation,
        title=(title_ru or title_ky).strip(),
        title_ky=title_ky.strip(),
        title_ru=title_ru.strip(),
        title_en=title_en.strip(),
        responsible=responsible.strip(),
        responsible_user=responsible_user,
        deadline=deadline,
        budget=budget,
        funding_source=funding_source.strip(),
        status=status,
        weight=weight,
        status_changed_at=now,
        done_at=now if status.is_done else None,
        order=recommendation.actions.count(),
    )
    action.full_clean(exclude=["recommendation", "status", "responsible_user"])
    action.save()
    StatusChange.objects.create(action=action, from_status=None, to_status=status, by=user, at=now)
    progress_recompute(action_ids=[action.pk])
    _changed(recommendation)
    return action


ACTION_FIELDS = (
    "title_ky",
    "title_ru",
    "title_en",
    "responsible",
    "responsible_user",
    "deadline",
    "budget",
    "funding_source",
    "weight",
)


@transaction.atomic
def action_update(*, action: Action, user: Any, **fields: Any) -> Action:
    """Edit an action's details (its status changes through action_set_status)."""
    unknown = set(fields) - set(ACTION_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    action = Action.objects.select_for_update().select_related("recommendation").get(pk=action.pk)
    values = {k: getattr(action, k) for k in ACTION_FIELDS}
    values.update(fields)
    _titles(values)
    user_ = values["responsible_user"]
    if (
        user_ is not None
        and not municipal_people(
            municipality_id=action.recommendation.municipality_id, roles=(Role.STAFF, Role.DEPUTY)
        )
        .filter(pk=user_.pk)
        .exists()
    ):
        raise ValidationError(
            _("%(name)s is not staff or a deputy of this municipality.")
            % {"name": user_.display_name}
        )
    for key, value in values.items():
        setattr(action, key, value.strip() if isinstance(value, str) else value)
    action.title = action.title_ru or action.title_ky or ""
    action.full_clean(exclude=["recommendation", "status", "responsible_user"])
    action.save()
    progress_recompute(action_ids=[action.pk])
    _changed(action.recommendation)
    return action


@transaction.atomic
def action_set_status(
    *,
    action: Action,
    status: ActionStatus,
    user: Any,
    note: str = "",
    at: datetime.datetime | None = None,
) -> Action:
    """`at` (default now) lets an import or the demo record when it really happened."""
    action = (
        Action.objects.select_for_update()
        .select_related("status", "recommendation")
        .get(pk=action.pk)
    )
    if action.status_id == status.pk:
        raise ValidationError(_("The action is already “%(status)s”.") % {"status": status.name})
    now = at or timezone.now()
    StatusChange.objects.create(
        action=action,
        from_status=action.status,
        to_status=status,
        by=user,
        at=now,
        note=note.strip(),
    )
    action.status = status
    action.status_changed_at = now
    # A new done episode starts when an action becomes done; leaving done ends it.
    if status.is_done:
        action.done_at = now
    else:
        action.done_at = None
    action._change_reason = "status"  # type: ignore[attr-defined]
    action.save()
    progress_recompute(action_ids=[action.pk])
    _changed(action.recommendation)
    return action


# --- Evidence ----------------------------------------------------------------------------


@dataclass
class EvidenceIn:
    """One piece of evidence to attach: a file (photo or PDF) or a link."""

    file: UploadedFile | None = None
    url: str = ""
    title: str = ""


def _evidence_kind(upload: UploadedFile) -> str:
    limit = evidence_max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is too large: files may be at most %(mb)s MB.")
            % {"name": upload.name, "mb": limit // (1024 * 1024)}
        )
    kind = file_type(upload)
    if kind in IMAGE_TYPES:
        return EvidenceKind.PHOTO
    if kind == "pdf":
        return EvidenceKind.DOCUMENT
    raise ValidationError(
        _("“%(name)s” is not a photo (JPEG, PNG, GIF, WebP) or a PDF document.")
        % {"name": upload.name}
    )


def _evidence_rows(items: list[EvidenceIn], user: Any) -> list[Evidence]:
    rows = []
    for item in items:
        if item.file is not None:
            kind = _evidence_kind(item.file)
            rows.append(
                Evidence(kind=kind, file=item.file, title=item.title.strip()[:200], created_by=user)
            )
        elif item.url.strip():
            url = item.url.strip()
            try:
                URLValidator(schemes=["http", "https"])(url)
            except ValidationError:
                raise ValidationError(
                    _("“%(url)s” is not a web address (http:// or https://).") % {"url": url}
                ) from None
            rows.append(
                Evidence(
                    kind=EvidenceKind.LINK, url=url, title=item.title.strip()[:200], created_by=user
                )
            )
    return rows


@transaction.atomic
def milestone_add(
    *,
    action: Action,
    user: Any,
    date: datetime.date,
    progress: int,
    note: str = "",
    evidence: list[EvidenceIn] | None = None,
) -> Milestone:
    if not 0 <= progress <= 100:
        raise ValidationError(_("Progress is a percentage from 0 to 100."))
    if date > timezone.localdate():
        raise ValidationError(
            _("A milestone records what was done: its date cannot be in the future.")
        )
    rows = _evidence_rows(evidence or [], user)  # checked before anything is written
    milestone = Milestone.objects.create(
        action=action, date=date, progress=progress, note=note.strip(), created_by=user
    )
    for row in rows:
        row.milestone = milestone
        row.save()
    progress_recompute(action_ids=[action.pk])
    _changed(action.recommendation)
    return milestone


# --- Verification and follow-ups ---------------------------------------------------------


@transaction.atomic
def verification_add(
    *,
    action: Action,
    user: Any,
    verdict: str,
    comment: str = "",
    evidence: list[EvidenceIn] | None = None,
    at: datetime.datetime | None = None,
) -> Verification:
    action = (
        Action.objects.select_for_update()
        .select_related("status", "recommendation")
        .get(pk=action.pk)
    )
    if verdict not in Verdict.values:
        raise ValidationError(_("Choose verified or disputed."))
    if not action.status.is_done:
        raise ValidationError(_("Only an action reported as done can be verified or disputed."))
    if verdict == Verdict.DISPUTED and not comment.strip():
        raise ValidationError(_("Say what is disputed in the comment."))
    rows = _evidence_rows(evidence or [], user)
    verification = Verification.objects.create(
        action=action, verdict=verdict, comment=comment.strip(), by=user, at=at or timezone.now()
    )
    for row in rows:
        row.verification = verification
        row.save()
    action.verification = verdict
    action._change_reason = "verification"  # type: ignore[attr-defined]
    action.save(update_fields=["verification"])
    _changed(action.recommendation)
    return verification


def follow_up_open(follow_up: FollowUp) -> bool:
    """Answers can change while the action is still in the done episode asked about."""
    action = follow_up.action
    return action.done_at is not None and action.done_at == follow_up.done_at


@transaction.atomic
def follow_up_answer(*, follow_up: FollowUp, answer: str, comment: str = "") -> FollowUp:
    follow_up = (
        FollowUp.objects.select_for_update().select_related("action__status").get(pk=follow_up.pk)
    )
    if answer not in FollowUpAnswer.values:
        raise ValidationError(_("Choose one of the answers."))
    if not follow_up_open(follow_up):
        raise ValidationError(
            _("This question is closed: the action's status has changed since it was asked.")
        )
    follow_up.answer = answer
    follow_up.comment = comment.strip()[:2000]
    follow_up.answered_at = timezone.now()
    follow_up.save()
    return follow_up


def follow_up_path(token: str, language: str) -> str:
    with translation.override(language):
        return reverse("plans:follow_up", kwargs={"token": token})


def _email_contact(follow_up: FollowUp, recommendation: Recommendation) -> None:
    """A contact has no account (no digest): one e-mail in Kyrgyz and Russian."""
    parts = []
    for language in ("ky", "ru"):
        with translation.override(language):
            title = getattr(recommendation, f"title_{language}") or recommendation.title
            action = getattr(follow_up.action, f"title_{language}") or follow_up.action.title
            parts.append(
                _(
                    "You raised “%(recommendation)s”. The municipality reports this action "
                    "as done: “%(action)s”. Is it really done? Answer here (no sign-in "
                    "needed): %(link)s"
                )
                % {
                    "recommendation": title,
                    "action": action,
                    "link": absolute(follow_up_path(follow_up.token, language)),
                }
            )
    with translation.override("ru"):
        subject = _("Is it really done?")
    message = EmailMessage(subject=subject, body="\n\n".join(parts), to=[follow_up.email])
    transaction.on_commit(lambda: _send_quietly(message))


def _send_quietly(message: EmailMessage) -> None:
    """After the commit: a mail server that is down must not fail the caller; the
    question stays recorded (and answerable from the detail page's list)."""
    try:
        message.send()
    except Exception:
        logger.exception("Could not e-mail a follow-up question to %s", message.to)


@transaction.atomic
def follow_ups_ask(*, now: datetime.datetime | None = None, days: int | None = None) -> int:
    """Ask the monitoring group (in the app) and each consenting contact (by e-mail)
    whether actions marked done `days` ago really are done; once per person per done
    episode. Returns how many questions were asked."""
    now = now or timezone.now()
    days = follow_up_days() if days is None else days
    asked = 0
    for action in actions_due_follow_up(now=now, days=days):
        assert action.done_at is not None
        rec = action.recommendation
        existing = FollowUp.objects.filter(action=action, done_at=action.done_at)
        users_done = set(existing.exclude(recipient=None).values_list("recipient_id", flat=True))
        emails_done = set(existing.exclude(email="").values_list("email", flat=True))
        for person in municipal_people(municipality_id=rec.municipality_id, roles=(Role.MONITOR,)):
            if person.pk in users_done:
                continue
            follow_up = FollowUp.objects.create(
                action=action,
                done_at=action.done_at,
                recipient=person,
                token=secrets.token_urlsafe(32),
                asked_at=now,
            )
            notify(
                recipients=[person],
                kind="plans.follow_up",
                message=gettext_noop(
                    "Is it really done? “%(action)s” (%(municipality)s) was reported done; "
                    "please answer."
                ),
                params={"action": action.title, "municipality": rec.municipality.name},
                url=follow_up_path(follow_up.token, person.preferred_language),
                target=action,
            )
            asked += 1
        for contact in rec.contacts.filter(consent=True):
            if contact.email in emails_done:
                continue
            follow_up = FollowUp.objects.create(
                action=action,
                done_at=action.done_at,
                email=contact.email,
                name=contact.name,
                token=secrets.token_urlsafe(32),
                asked_at=now,
            )
            _email_contact(follow_up, rec)
            asked += 1
    return asked


@transaction.atomic
def overdue_alerts_send(*, today: datetime.date | None = None) -> int:
    """Tell the responsible user and the municipality's staff about each action that is
    overdue, once per action and deadline (a new deadline is a new episode)."""
    today = today or timezone.localdate()
    sent = 0
    already = OverdueAlert.objects.filter(action=OuterRef("pk"), deadline=OuterRef("deadline"))
    for action in overdue_actions(today=today).exclude(Exists(already)):
        rec = action.recommendation
        try:
            with transaction.atomic():
                alert = OverdueAlert.objects.create(action=action, deadline=action.deadline)
        except IntegrityError:
            continue
        people = list(municipal_people(municipality_id=rec.municipality_id, roles=(Role.STAFF,)))
        if action.responsible_user is not None:
            people.append(action.responsible_user)
        alert.recipients = notify(
            recipients=people,
            kind="plans.overdue",
            message=gettext_noop(
                "Overdue: “%(action)s” (%(municipality)s) was due on %(deadline)s and is still open."
            ),
            params={
                "action": action.title,
                "municipality": rec.municipality.name,
                "deadline": action.deadline.isoformat(),
            },
            url=reverse("plans:recommendation", kwargs={"pk": rec.pk}),
            target=action,
        )
        alert.save(update_fields=["recipients"])
        sent += 1
    return sent


# --- The national status list ------------------------------------------------------------


@transaction.atomic
def status_save(
    *,
    status: ActionStatus | None,
    user: Any,
    key: str,
    name_ky: str,
    name_ru: str,
    name_en: str = "",
    default_progress: int,
    is_open: bool,
    excluded: bool = False,
    order: int = 0,
) -> ActionStatus:
    """Create or change a status; every action in it gets its progress recomputed."""
    if status is None:
        status = ActionStatus()
    else:
        status = ActionStatus.objects.select_for_update().get(pk=status.pk)
    if excluded and is_open:
        raise ValidationError(_("A status left out of progress must count as closed."))
    status.key = key.strip()
    status.name = (name_ru or name_ky).strip()
    status.name_ky = name_ky.strip()
    status.name_ru = name_ru.strip()
    status.name_en = name_en.strip()
    status.default_progress = default_progress
    status.is_open = is_open
    status.excluded = excluded
    status.order = order
    status.full_clean()
    status.save()
    ids = list(Action.objects.filter(status=status).values_list("pk", flat=True))
    for start in range(0, len(ids), 2000):
        progress_recompute(action_ids=ids[start : start + 2000])
    public_content_changed()
    return status
