"""Every write of aimak.contests: contests and their forms, applications, the jury, voter
verification, votes and their flags, results."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from aimak.accounts.models import Membership, Role
from aimak.core.cache import public_content_changed
from aimak.core.uploads import check_upload
from aimak.notifications.selectors import subscribers_of
from aimak.notifications.services import notify
from aimak.practices.services import clean_rich_text
from aimak.territories.transliteration import latin

from .models import (
    Application,
    ApplicationFile,
    AppStatus,
    ConflictDeclaration,
    Contest,
    ContestField,
    Criterion,
    FieldKind,
    FlaggedVote,
    FlagReason,
    FlagStatus,
    JuryMember,
    Score,
    Stage,
    VerificationCode,
    VerificationMethod,
    Vote,
    VoteFlag,
    VoterVerification,
)
from .rules import is_content_admin, is_municipal_staff

logger = logging.getLogger(__name__)

LANGS = ("ky", "ru", "en")
MAX_REGULATIONS_BYTES = 20 * 2**20
MAX_ATTACHMENT_BYTES = 20 * 2**20
ATTACHMENT_TYPES = ("pdf", "docx", "xlsx", "jpeg", "png")
SHORT_MAX = 300
LONG_MAX = 10_000

# Suspicious patterns (settings may override): (votes, window in minutes).
FLAG_SAME_ADDRESS = getattr(settings, "CONTESTS_FLAG_SAME_ADDRESS", (5, 10))
FLAG_NEW_ACCOUNTS = getattr(settings, "CONTESTS_FLAG_NEW_ACCOUNTS", (5, 60))
FLAG_BURST = getattr(settings, "CONTESTS_FLAG_BURST", (20, 10))
NEW_ACCOUNT_HOURS = 24
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


def _by(obj: Any, by: Any) -> None:
    obj._history_user = by if getattr(by, "is_authenticated", False) else None


def _require_admin(by: Any) -> None:
    if not is_content_admin(by):
        raise PermissionDenied(_("Only the content administrator runs contests."))


def _display_name(user: Any) -> str:
    return getattr(user, "full_name", "") or user.get_username()


# --- contests ---------------------------------------------------------------------------


@dataclass
class ContestData:
    title: dict[str, str]
    description: dict[str, str]
    call_opens: datetime.datetime
    call_closes: datetime.datetime
    voting_opens: datetime.datetime
    voting_closes: datetime.datetime
    theme: Any = None
    announcement_url: str = ""
    regulations: Any = None


def _contest_number(year: int) -> str:
    prefix = f"{year}-"
    taken = set(Contest.objects.filter(number__startswith=prefix).values_list("number", flat=True))
    n = len(taken) + 1
    while f"{prefix}{n:02d}" in taken:
        n += 1
    return f"{prefix}{n:02d}"


def _slug(title: dict[str, str], pk: Any) -> str:
    base = ""
    for lang in ("ru", "ky", "en"):
        base = slugify(latin(title.get(lang) or ""))[:60].strip("-")
        if base:
            break
    base = base or "contest"
    slug, n = base, 1
    while Contest.objects.filter(slug=slug).exclude(pk=pk).exists() or slug in {
        "new",
        "verify",
        "voters",
        "applications",
    }:
        n += 1
        slug = f"{base}-{n}"
    return slug


def contest_save(*, by: Any, data: ContestData, contest: Contest | None = None) -> Contest:
    """Create or change a contest (the content administrator; the creator is its secretary)."""
    _require_admin(by)
    if not any((data.title.get(lang) or "").strip() for lang in LANGS):
        raise ValidationError(_("Give the contest a title."))
    if not (data.call_opens < data.call_closes <= data.voting_opens < data.voting_closes):
        raise ValidationError(
            _(
                "The dates must follow each other: the call opens, the call closes, voting "
                "opens, voting closes."
            )
        )
    with transaction.atomic():
        if contest is None:
            contest = Contest(
                secretary=by, number=_contest_number(timezone.localtime(data.call_opens).year)
            )
        else:
            contest = Contest.objects.select_for_update().get(pk=contest.pk)
        for lang in LANGS:
            setattr(contest, f"title_{lang}", (data.title.get(lang) or "").strip())
            setattr(
                contest, f"description_{lang}", clean_rich_text(data.description.get(lang) or "")
            )
        contest.call_opens = data.call_opens
        contest.call_closes = data.call_closes
        contest.voting_opens = data.voting_opens
        contest.voting_closes = data.voting_closes
        contest.theme = data.theme
        contest.announcement_url = data.announcement_url or ""
        if not contest.slug:
            contest.slug = _slug(data.title, contest.pk)
        if data.regulations:
            kind = check_upload(
                file=data.regulations, allowed=("pdf", "docx"), max_bytes=MAX_REGULATIONS_BYTES
            )
            contest.regulations.save(
                f"{contest.slug[:50]}-regulations.{kind}", data.regulations, save=False
            )
            contest.regulations_kind = kind
        _by(contest, by)
        contest.save()
        if contest.announced_at:
            public_content_changed()
        return contest


def contest_announce(*, contest: Contest, by: Any) -> Contest:
    """Publish the contest and tell municipal staff and the theme's followers."""
    _require_admin(by)
    with transaction.atomic():
        contest = Contest.objects.select_for_update().get(pk=contest.pk)
        if contest.announced_at is not None:
            raise ValidationError(_("The contest has already been announced."))
        if not contest.fields.exists():
            raise ValidationError(_("Add at least one question to the application form first."))
        if not contest.criteria.exists():
            raise ValidationError(_("Add at least one criterion for the jury first."))
        if not contest.regulations:
            raise ValidationError(_("Attach the regulations of the contest first."))
        contest.announced_at = timezone.now()
        _by(contest, by)
        contest.save(update_fields=["announced_at"])
        from django.contrib.auth import get_user_model

        User = get_user_model()
        staff = User.objects.filter(
            is_active=True,
            pk__in=Membership.objects.active().filter(role=Role.STAFF).values("user_id"),
        )
        recipients = list(staff)
        if contest.theme is not None:
            recipients += list(subscribers_of(contest.theme))
        notify(
            recipients=recipients,
            kind="contests.announced",
            message=gettext_noop(
                "A new contest is announced: %(title)s. Applications until %(closes)s."
            ),
            params={
                "title": contest.title,
                "closes": timezone.localtime(contest.call_closes).strftime("%d.%m.%Y %H:%M"),
            },
            url=contest.get_absolute_url(),
            target=contest,
        )
        public_content_changed()
        return contest


def _editable_form(contest: Contest) -> None:
    if contest.stage not in (Stage.DRAFT, Stage.ANNOUNCED):
        raise ValidationError(
            _("The application form can no longer change: the call for applications has opened.")
        )


def field_add(
    *,
    contest: Contest,
    by: Any,
    label: dict[str, str],
    kind: str,
    required: bool = True,
    choices: list[str] | None = None,
    help: dict[str, str] | None = None,
    position: int | None = None,
) -> ContestField:
    _require_admin(by)
    with transaction.atomic():
        contest = Contest.objects.select_for_update().get(pk=contest.pk)
        _editable_form(contest)
        if kind not in FieldKind.values:
            raise ValidationError(_("Choose the kind of the question."))
        if not any((label.get(lang) or "").strip() for lang in LANGS):
            raise ValidationError(_("Give the question a label."))
        choices = [c.strip() for c in (choices or []) if c.strip()]
        if kind == FieldKind.CHOICE and len(choices) < 2:
            raise ValidationError(_("A choice question needs at least two options."))
        if kind != FieldKind.CHOICE:
            choices = []
        if position is None:
            position = (contest.fields.aggregate(m=Max("position"))["m"] or 0) + 1
        item = ContestField(contest=contest, kind=kind, required=required, choices=choices,
                            position=position)  # fmt: skip
        for lang in LANGS:
            setattr(item, f"label_{lang}", (label.get(lang) or "").strip()[:300])
            setattr(item, f"help_{lang}", ((help or {}).get(lang) or "").strip()[:500])
        _by(item, by)
        item.save()
        return item


def field_remove(*, item: ContestField, by: Any) -> None:
    _require_admin(by)
    with transaction.atomic():
        _editable_form(item.contest)
        item.delete()


def criterion_add(
    *, contest: Contest, by: Any, name: dict[str, str], max_score: int, weight: Decimal
) -> Criterion:
    _require_admin(by)
    with transaction.atomic():
        contest = Contest.objects.select_for_update().get(pk=contest.pk)
        if Score.objects.filter(criterion__contest=contest).exists():
            raise ValidationError(
                _("The jury has started scoring: the criteria can no longer change.")
            )
        if not any((name.get(lang) or "").strip() for lang in LANGS):
            raise ValidationError(_("Give the criterion a name."))
        if not 1 <= int(max_score) <= 100:
            raise ValidationError(_("The maximum score must be between 1 and 100."))
        if not Decimal("0") < Decimal(weight) <= Decimal("100"):
            raise ValidationError(_("The weight must be above 0 and at most 100."))
        position = (contest.criteria.aggregate(m=Max("position"))["m"] or 0) + 1
        item = Criterion(contest=contest, max_score=int(max_score), weight=Decimal(weight),
                         position=position)  # fmt: skip
        for lang in LANGS:
            setattr(item, f"name_{lang}", (name.get(lang) or "").strip()[:300])
        _by(item, by)
        item.save()
        return item


def criterion_remove(*, item: Criterion, by: Any) -> None:
    _require_admin(by)
    with transaction.atomic():
        if item.scores.exists():
            raise ValidationError(
                _("The jury has started scoring: the criteria can no longer change.")
            )
        item.delete()


# --- applications -----------------------------------------------------------------------


def _clean_value(item: ContestField, value: Any) -> Any:
    """One answer checked against its question; None for an empty answer."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    label = item.label
    if item.kind in (FieldKind.SHORT, FieldKind.LONG):
        if not isinstance(value, str):
            raise ValidationError(_("«%(label)s»: write text.") % {"label": label})
        limit = SHORT_MAX if item.kind == FieldKind.SHORT else LONG_MAX
        if len(value) > limit:
            raise ValidationError(
                _("«%(label)s»: at most %(n)s characters.") % {"label": label, "n": limit}
            )
        return value.strip()
    if item.kind == FieldKind.NUMBER:
        try:
            number = Decimal(str(value).replace(",", ".").replace("\u00a0", "").replace(" ", ""))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise ValidationError(_("«%(label)s»: write a number.") % {"label": label})
        return str(number)
    if item.kind == FieldKind.CHOICE:
        if value not in item.choices:
            raise ValidationError(_("«%(label)s»: choose one of the options.") % {"label": label})
        return value
    raise ValidationError(_("«%(label)s»: attach the file instead.") % {"label": label})


def answers_clean(*, contest: Contest, raw: dict[str, Any]) -> dict[str, Any]:
    """Answers keyed by field id, checked against the contest's form; unknown keys refused.
    Required answers are checked on submission (a draft may be incomplete)."""
    fields = {str(f.pk): f for f in contest.fields.all()}
    unknown = [key for key in raw if key not in fields]
    if unknown:
        raise ValidationError(
            _("The form does not have these questions: %(keys)s.") % {"keys": ", ".join(unknown)}
        )
    clean: dict[str, Any] = {}
    errors: list[ValidationError] = []
    for key, value in raw.items():
        item = fields[key]
        if item.kind == FieldKind.FILE:
            continue
        try:
            cleaned = _clean_value(item, value)
        except ValidationError as exc:
            errors.append(exc)
            continue
        if cleaned is not None:
            clean[key] = cleaned
    if errors:
        raise ValidationError(errors)
    return clean


def missing_answers(application: Application) -> list[str]:
    """Labels of the required questions the application has not answered."""
    with_files = set(application.files.values_list("field_id", flat=True))
    missing = []
    for item in application.contest.fields.all():
        if not item.required:
            continue
        if item.kind == FieldKind.FILE:
            if item.pk not in with_files:
                missing.append(item.label)
        elif str(item.pk) not in application.answers:
            missing.append(item.label)
    return missing


def _call_open(contest: Contest) -> None:
    if contest.stage != Stage.CALL:
        raise ValidationError(_("The call for applications is not open."))


def _may_edit(application: Application, by: Any) -> None:
    if not is_municipal_staff(by, application.municipality):
        raise PermissionDenied(
            _("Only the staff of the applicant municipality may change this application.")
        )
    if application.status != AppStatus.DRAFT:
        raise ValidationError(_("The application has been submitted and can no longer change."))
    _call_open(application.contest)


def application_create(*, contest: Contest, municipality: Any, by: Any, title: str) -> Application:
    if not is_municipal_staff(by, municipality):
        raise PermissionDenied(_("Only the municipality's staff may apply on its behalf."))
    _call_open(contest)
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Give the project a title."))
    with transaction.atomic():
        if Application.objects.filter(contest=contest, municipality=municipality).exists():
            raise ValidationError(
                _("This municipality already has an application to this contest.")
            )
        application = Application(
            contest=contest, municipality=municipality, submitted_by=by, title=title[:300]
        )
        _by(application, by)
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError as exc:
            raise ValidationError(
                _("This municipality already has an application to this contest.")
            ) from exc
        return application


def application_update(
    *,
    application: Application,
    by: Any,
    title: str | None = None,
    answers: dict[str, Any] | None = None,
    files: dict[str, Any] | None = None,
) -> Application:
    """Change a draft: the title, answers (merged; an empty answer clears it) and files."""
    with transaction.atomic():
        application = (
            Application.objects.select_for_update()
            .select_related("contest", "municipality")
            .get(pk=application.pk)
        )
        _may_edit(application, by)
        contest = application.contest
        if title is not None:
            if not title.strip():
                raise ValidationError(_("Give the project a title."))
            application.title = title.strip()[:300]
        if answers is not None:
            clean = answers_clean(contest=contest, raw=answers)
            merged = {k: v for k, v in application.answers.items() if k not in answers}
            merged.update(clean)
            application.answers = merged
        fields = {str(f.pk): f for f in contest.fields.all()}
        for key, upload in (files or {}).items():
            item = fields.get(key)
            if item is None or item.kind != FieldKind.FILE:
                raise ValidationError(
                    _("The form does not have these questions: %(keys)s.") % {"keys": key}
                )
            try:
                kind = check_upload(
                    file=upload, allowed=ATTACHMENT_TYPES, max_bytes=MAX_ATTACHMENT_BYTES
                )
            except ValidationError as exc:
                raise ValidationError(f"«{item.label}»: {' '.join(exc.messages)}") from exc
            application.files.filter(field=item).delete()
            original = (getattr(upload, "name", "") or "file").rsplit("/", 1)[-1]
            stem = original.rsplit(".", 1)[0]
            stored = ApplicationFile(application=application, field=item, name=original[:200],
                                     kind=kind, size=upload.size)  # fmt: skip
            stored.file.save(f"{slugify(latin(stem))[:50] or 'file'}.{kind}", upload, save=False)
            stored.save()
        _by(application, by)
        application.save()
        return application


def application_submit(*, application: Application, by: Any) -> Application:
    with transaction.atomic():
        application = (
            Application.objects.select_for_update()
            .select_related("contest", "municipality")
            .get(pk=application.pk)
        )
        _may_edit(application, by)
        missing = missing_answers(application)
        if missing:
            raise ValidationError(
                _("Answer the required questions first: %(labels)s.")
                % {"labels": "; ".join(missing)}
            )
        application.status = AppStatus.SUBMITTED
        application.submitted_at = timezone.now()
        _by(application, by)
        application.save()
        contest = application.contest
        notify(
            recipients=[contest.secretary],
            kind="contests.submitted",
            message=gettext_noop(
                "%(municipality)s submitted an application to the contest %(title)s."
            ),
            params={"municipality": application.municipality.name, "title": contest.title},
            url=application.get_absolute_url(),
            target=application,
        )
        return application


def _secretary_check(application: Application, by: Any) -> Application:
    _require_admin(by)
    application = (
        Application.objects.select_for_update()
        .select_related("contest", "municipality")
        .get(pk=application.pk)
    )
    if application.status != AppStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted application can be registered or rejected."))
    return application


def application_register(*, application: Application, by: Any) -> Application:
    """Register a submitted application with the next number: "<contest number>/NNN"."""
    with transaction.atomic():
        application = _secretary_check(application, by)
        contest = Contest.objects.select_for_update().get(pk=application.contest_id)
        seq = (contest.applications.aggregate(m=Max("registration_seq"))["m"] or 0) + 1
        application.registration_seq = seq
        application.registration_number = f"{contest.number}/{seq:03d}"
        application.status = AppStatus.REGISTERED
        application.registered_at = timezone.now()
        application.registered_by = by
        _by(application, by)
        application.save()
        notify(
            recipients=[application.submitted_by],
            kind="contests.registered",
            message=gettext_noop(
                "Your application %(title)s is registered under number %(number)s."
            ),
            params={"title": application.title, "number": application.registration_number},
            url=application.get_absolute_url(),
            target=application,
        )
        public_content_changed()
        return application


def application_reject(*, application: Application, by: Any, reason: str) -> Application:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for rejecting the application."))
    with transaction.atomic():
        application = _secretary_check(application, by)
        application.status = AppStatus.REJECTED
        application.rejection_reason = reason[:2000]
        _by(application, by)
        application.save()
        notify(
            recipients=[application.submitted_by],
            kind="contests.rejected",
            message=gettext_noop("Your application %(title)s was rejected: %(reason)s"),
            params={"title": application.title, "reason": application.rejection_reason},
            url=application.get_absolute_url(),
            target=application,
        )
        return application


# --- the jury ---------------------------------------------------------------------------


def jury_add(*, contest: Contest, user: Any, by: Any) -> JuryMember:
    _require_admin(by)
    from .selectors import jury_candidates

    if not jury_candidates().filter(pk=user.pk).exists():
        raise ValidationError(_("Only experts can sit on the jury."))
    with transaction.atomic():
        member, created = JuryMember.objects.get_or_create(contest=contest, user=user)
        if created:
            notify(
                recipients=[user],
                kind="contests.jury",
                message=gettext_noop("You are on the jury of the contest %(title)s."),
                params={"title": contest.title},
                url=contest.get_absolute_url(),
                target=contest,
            )
        return member


def jury_remove(*, member: JuryMember, by: Any) -> None:
    _require_admin(by)
    with transaction.atomic():
        if member.scores.exists():
            raise ValidationError(_("This jury member has already scored; they stay on the jury."))
        member.delete()


def _judging(member: JuryMember, application: Application, by: Any) -> None:
    if member.user_id != getattr(by, "pk", None):
        raise PermissionDenied(_("Only the jury member can declare or score for themselves."))
    if application.contest_id != member.contest_id or application.status != AppStatus.REGISTERED:
        raise PermissionDenied(_("The jury scores only registered applications of its contest."))
    stage = member.contest.stage
    if stage in (Stage.DRAFT, Stage.ANNOUNCED, Stage.CALL):
        raise ValidationError(_("The jury works after the call for applications closes."))
    if stage == Stage.RESULTS:
        raise ValidationError(_("The results are published; scores can no longer change."))


def conflict_declare(
    *, member: JuryMember, application: Application, by: Any, has_conflict: bool, note: str = ""
) -> ConflictDeclaration:
    """Declare a conflict of interest (or none) once, before scoring."""
    with transaction.atomic():
        _judging(member, application, by)
        if ConflictDeclaration.objects.filter(member=member, application=application).exists():
            raise ValidationError(_("You have already made your declaration for this application."))
        declaration = ConflictDeclaration(member=member, application=application,
                                          has_conflict=bool(has_conflict), note=(note or "")[:500])  # fmt: skip
        _by(declaration, by)
        try:
            with transaction.atomic():
                declaration.save()
        except IntegrityError as exc:
            raise ValidationError(
                _("You have already made your declaration for this application.")
            ) from exc
        return declaration


def scores_save(
    *,
    member: JuryMember,
    application: Application,
    by: Any,
    values: dict[int, int],
    comments: dict[int, str] | None = None,
) -> list[Score]:
    """Score an application by every criterion (0..max); needs a declaration of no conflict."""
    comments = comments or {}
    with transaction.atomic():
        _judging(member, application, by)
        declaration = ConflictDeclaration.objects.filter(
            member=member, application=application
        ).first()
        if declaration is None:
            raise ValidationError(_("Declare first whether you have a conflict of interest."))
        if declaration.has_conflict:
            raise PermissionDenied(
                _(
                    "You declared a conflict of interest with this application, so you cannot score it."
                )
            )
        criteria = {c.pk: c for c in member.contest.criteria.all()}
        if set(values) != set(criteria):
            raise ValidationError(_("Score the application by every criterion."))
        saved = []
        for pk, value in values.items():
            criterion = criteria[pk]
            if value is None or not 0 <= int(value) <= criterion.max_score:
                raise ValidationError(
                    _("«%(name)s»: the score must be between 0 and %(max)s.")
                    % {"name": criterion.name, "max": criterion.max_score}
                )
            score = Score.objects.filter(
                member=member, application=application, criterion=criterion
            ).first()
            if score is None:
                score = Score(member=member, application=application, criterion=criterion)
            score.value = int(value)
            score.comment = (comments.get(pk) or "")[:2000]
            _by(score, by)
            score.save()
            saved.append(score)
        return saved


# --- voters -----------------------------------------------------------------------------


def _code_hash(code: str) -> str:
    key = (settings.SECRET_KEY or "aimak").encode()
    normal = "".join(code.upper().split()).replace("-", "")
    return hmac.new(key, f"contests-code:{normal}".encode(), hashlib.sha256).hexdigest()


def verification_grant(*, user: Any, by: Any) -> VoterVerification:
    _require_admin(by)
    with transaction.atomic():
        existing = VoterVerification.objects.filter(user=user).first()
        if existing is not None:
            return existing
        verification = VoterVerification(user=user, method=VerificationMethod.ADMIN, verified_by=by)
        _by(verification, by)
        verification.save()
        return verification


def verification_codes_issue(*, by: Any, count: int, label: str = "") -> list[str]:
    """Make `count` one-time codes; returns them in clear (shown once, to print)."""
    _require_admin(by)
    if not 1 <= int(count) <= 500:
        raise ValidationError(_("Issue between 1 and 500 codes at a time."))
    codes = []
    with transaction.atomic():
        for _n in range(int(count)):
            raw = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
            code = f"{raw[:5]}-{raw[5:]}"
            VerificationCode.objects.create(
                code_hash=_code_hash(code), label=label[:200], issued_by=by
            )
            codes.append(code)
    return codes


def verification_redeem(*, user: Any, code: str) -> VoterVerification:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Sign in first."))
    with transaction.atomic():
        existing = VoterVerification.objects.filter(user=user).first()
        if existing is not None:
            return existing
        item = (
            VerificationCode.objects.select_for_update()
            .filter(code_hash=_code_hash(code or ""))
            .first()
        )
        if item is None or item.used_by_id is not None:
            raise ValidationError(_("This code is not valid or has already been used."))
        item.used_by = user
        item.used_at = timezone.now()
        item.save(update_fields=["used_by", "used_at"])
        verification = VoterVerification(user=user, method=VerificationMethod.CODE, code=item)
        _by(verification, user)
        verification.save()
        return verification


# --- votes ------------------------------------------------------------------------------


def address_hash(ip: str) -> str:
    if not ip:
        return ""
    key = (getattr(settings, "CONTESTS_VOTE_SALT", "") or settings.SECRET_KEY or "aimak").encode()
    return hmac.new(key, f"contests-ip:{ip}".encode(), hashlib.sha256).hexdigest()


def vote_cast(*, contest: Contest, application: Application, voter: Any, ip: str = "") -> Vote:
    """One vote of a verified user for a registered application during the voting window.

    A second vote (even one racing the first) is refused by the unique constraint on
    (contest, voter) and reported as such."""
    if not getattr(voter, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to vote."))
    if contest.stage != Stage.VOTING:
        raise ValidationError(_("Voting in this contest is not open."))
    if application.contest_id != contest.pk or application.status != AppStatus.REGISTERED:
        raise ValidationError(_("You can vote only for a registered application of this contest."))
    if not VoterVerification.objects.filter(user=voter).exists():
        raise PermissionDenied(
            _(
                "Only verified users can vote. Enter the code you were given, or ask the administrator."
            )
        )
    already = _("You have already voted in this contest; each person has one vote.")
    if Vote.objects.filter(contest=contest, voter=voter).exists():
        raise ValidationError(already)
    with transaction.atomic():
        vote = Vote(contest=contest, application=application, voter=voter, ip_hash=address_hash(ip))
        try:
            with transaction.atomic():
                vote.save()
        except IntegrityError as exc:
            raise ValidationError(already) from exc
        try:
            with transaction.atomic():
                _flag_patterns(vote)
        except Exception:  # a failed check must never lose a vote
            logger.exception("contests: checking vote %s for patterns failed", vote.pk)
        return vote


def _flag(vote: Vote, reason: str, key: str, votes: Any) -> None:
    flag, _created = VoteFlag.objects.get_or_create(
        contest_id=vote.contest_id, reason=reason, key=key, status=FlagStatus.PENDING
    )
    FlaggedVote.objects.bulk_create(
        [FlaggedVote(flag=flag, vote_id=pk) for pk in votes.values_list("pk", flat=True)],
        ignore_conflicts=True,
    )


def _flag_patterns(vote: Vote) -> None:
    now = vote.created_at
    live = Vote.objects.filter(contest_id=vote.contest_id, annulled_at__isnull=True)
    if vote.ip_hash:
        limit, minutes = FLAG_SAME_ADDRESS
        same = live.filter(
            ip_hash=vote.ip_hash, created_at__gte=now - datetime.timedelta(minutes=minutes)
        )
        if same.count() >= limit:
            _flag(vote, FlagReason.SAME_ADDRESS, vote.ip_hash, same)
    limit, minutes = FLAG_NEW_ACCOUNTS
    fresh = live.filter(
        application_id=vote.application_id,
        created_at__gte=now - datetime.timedelta(minutes=minutes),
        voter__date_joined__gte=F("created_at") - datetime.timedelta(hours=NEW_ACCOUNT_HOURS),
    )
    if fresh.count() >= limit:
        _flag(vote, FlagReason.NEW_ACCOUNTS, str(vote.application_id), fresh)
    limit, minutes = FLAG_BURST
    burst = live.filter(
        application_id=vote.application_id,
        created_at__gte=now - datetime.timedelta(minutes=minutes),
    )
    if burst.count() >= limit:
        _flag(vote, FlagReason.BURST, str(vote.application_id), burst)


def flag_decide(*, flag: VoteFlag, by: Any, annul: bool, note: str = "") -> VoteFlag:
    """Annul the flagged votes (kept, left out of counts) or keep them."""
    _require_admin(by)
    with transaction.atomic():
        flag = VoteFlag.objects.select_for_update().get(pk=flag.pk)
        if flag.status != FlagStatus.PENDING:
            raise ValidationError(_("A decision on this flag has already been made."))
        if flag.contest.stage == Stage.RESULTS:
            raise ValidationError(_("The results are published; votes can no longer change."))
        now = timezone.now()
        flag.status = FlagStatus.ANNULLED if annul else FlagStatus.KEPT
        flag.decided_at = now
        flag.decided_by = by
        flag.note = (note or "")[:500]
        flag.save()
        if annul:
            Vote.objects.filter(flagged__flag=flag, annulled_at__isnull=True).update(
                annulled_at=now, annulled_by=by
            )
        public_content_changed()
        return flag


# --- results ----------------------------------------------------------------------------


@dataclass
class Award:
    application_id: int
    place: int | None = None
    mention: bool = False


def winners_set(*, contest: Contest, by: Any, awards: list[Award]) -> None:
    """The secretary marks places 1–3 and special mentions (before publishing)."""
    _require_admin(by)
    with transaction.atomic():
        contest = Contest.objects.select_for_update().get(pk=contest.pk)
        if contest.stage != Stage.CLOSED:
            raise ValidationError(
                _("Winners are marked after voting closes and before the results are published.")
            )
        apps = {a.pk: a for a in contest.applications.filter(status=AppStatus.REGISTERED)}
        for award in awards:
            if award.application_id not in apps:
                raise ValidationError(_("Only registered applications of this contest can win."))
            if award.place is not None and not 1 <= award.place <= 3:
                raise ValidationError(_("A place is 1, 2 or 3."))
        for application in apps.values():
            application.place = None
            application.mention = False
        for award in awards:
            application = apps[award.application_id]
            application.place = award.place
            application.mention = bool(award.mention)
        for application in apps.values():
            _by(application, by)
            application.save(update_fields=["place", "mention", "updated_at"])


def results_publish(*, contest: Contest, by: Any) -> Contest:
    _require_admin(by)
    with transaction.atomic():
        contest = Contest.objects.select_for_update().get(pk=contest.pk)
        if contest.stage != Stage.CLOSED:
            raise ValidationError(_("Results are published after voting closes, once."))
        if not contest.applications.filter(place__isnull=False).exists():
            raise ValidationError(_("Mark at least one winner first."))
        contest.results_published_at = timezone.now()
        _by(contest, by)
        contest.save(update_fields=["results_published_at"])
        recipients = list(subscribers_of(contest)) + [
            a.submitted_by
            for a in contest.applications.select_related("submitted_by")
            if a.status == AppStatus.REGISTERED
        ]
        notify(
            recipients=recipients,
            kind="contests.results",
            message=gettext_noop("The results of the contest %(title)s are published."),
            params={"title": contest.title},
            url=contest.get_absolute_url(),
            target=contest,
        )
        public_content_changed()
        return contest
