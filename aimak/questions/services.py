"""Every write of questions and consultations.

The clock: `due_at = asked_at + FIRST_RESPONSE` is stored when the question is asked;
`first_response_at` is stored by `answer_add`/`answer_publish` in the same transaction as
the first published answer (an answer to a private question is published to the asker
only). Text is sanitised with nh3 before it is stored.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from aimak.core.cache import public_content_changed
from aimak.notifications.selectors import subscribers_of
from aimak.notifications.services import notify, subscribe
from aimak.practices.services import clean_rich_text

from .models import (
    FIRST_RESPONSE,
    OPEN_STATUSES,
    Answer,
    AnswerTemplate,
    Language,
    Question,
    Reminder,
    ReminderKind,
    RoutingRule,
    Status,
    Visibility,
)
from .selectors import active_rule_for, content_admins, fold, questions_visible, reminders_due

MAX_TITLE = 300
MAX_BODY = 10_000
MAX_COMMENT = 2_000


def _strip(html: str) -> str:
    import nh3

    return nh3.clean(html or "", tags=set())


def question_index(*, question: Question) -> None:
    """Write the folded search text: title, details and every published answer."""
    parts = [question.title, _strip(question.body)]
    parts += [_strip(a.body) for a in question.answers.filter(published=True)]
    question.search_text = fold(" ".join(parts))
    Question.objects.filter(pk=question.pk).update(search_text=question.search_text)


def _lock(question: Question) -> Question:
    return Question.objects.select_for_update().get(pk=question.pk)


def _routed_recipients(question: Question) -> list[Any]:
    expert = question.routed_to_expert
    return [expert.user] if expert is not None and expert.user is not None else []


def _apply_route(
    question: Question,
    *,
    expert: Any,
    body: Any,
    by: Any,
    rule: RoutingRule | None,
    at: datetime.datetime | None = None,
) -> None:
    question.routed_to_expert = expert
    question.routed_to_body = body
    question.routed_by = by
    question.routed_by_rule = rule
    question.routed_at = at or timezone.now()
    if question.status == Status.NEW:
        question.status = Status.ROUTED


def _notify_routed(question: Question) -> None:
    notify(
        recipients=_routed_recipients(question),
        kind="questions.routed",
        message=gettext_noop("A question was routed to you: “%(title)s”. Answer within 24 hours."),
        params={"title": question.title},
        url=question.get_absolute_url(),
        target=question,
    )


@transaction.atomic
def question_ask(
    *,
    author: Any,
    theme: Any,
    title: str,
    body: str = "",
    municipality: Any = None,
    visibility: str = Visibility.PUBLIC,
    language: str = Language.RU,
    at: datetime.datetime | None = None,
) -> Question:
    """Ask a question; an active routing rule for its theme routes it at once."""
    if not getattr(author, "is_authenticated", False) or not author.is_active:
        raise PermissionDenied(_("Sign in to ask a question."))
    title = (title or "").strip()
    errors = []
    if len(title) < 10:
        errors.append(_("Write the question in at least 10 characters."))
    if len(title) > MAX_TITLE:
        errors.append(_("The question is too long: at most 300 characters."))
    if len(body or "") > MAX_BODY:
        errors.append(_("The details are too long: at most 10,000 characters."))
    if visibility not in Visibility.values:
        errors.append(_("Choose whether the question is public or private."))
    if language not in Language.values:
        errors.append(_("Choose the language of the question."))
    if theme is None:
        errors.append(_("Choose a theme."))
    if errors:
        raise ValidationError(errors)
    asked_at = at or timezone.now()
    question = Question(
        author=author,
        theme=theme,
        municipality=municipality,
        title=title,
        body=clean_rich_text(body or ""),
        visibility=visibility,
        language=language,
        asked_at=asked_at,
        due_at=asked_at + FIRST_RESPONSE,
    )
    rule = active_rule_for(theme=theme)
    if rule is not None:
        _apply_route(question, expert=rule.expert, body=rule.body, by=None, rule=rule, at=asked_at)
    question.save()
    question_index(question=question)
    subscribe(user=author, target=question)
    notify(
        recipients=content_admins(),
        kind="questions.new",
        message=gettext_noop("New question: “%(title)s” (answer due within 24 hours)."),
        params={"title": question.title},
        url=question.get_absolute_url(),
        target=question,
    )
    if rule is not None:
        _notify_routed(question)
    return question


@transaction.atomic
def question_route(
    *,
    question: Question,
    by: Any,
    expert: Any = None,
    body: Any = None,
    at: datetime.datetime | None = None,
) -> Question:
    """Route (or reroute) a question to one expert or one state body."""
    if not by.has_perm("questions.manage"):
        raise PermissionDenied(_("Only the content administrator routes questions."))
    if (expert is None) == (body is None):
        raise ValidationError(_("Choose either an expert or a state body."))
    if expert is not None and not expert.active:
        raise ValidationError(_("This expert is no longer listed in the directory."))
    question = _lock(question)
    if question.status == Status.CLOSED:
        raise ValidationError(_("The question is closed."))
    _apply_route(question, expert=expert, body=body, by=by, rule=None, at=at)
    question.save()
    _notify_routed(question)
    return question


def may_answer(*, user: Any, question: Question) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_perm(
        "questions.answer", question
    )


def _first_response(question: Question, at: datetime.datetime) -> None:
    if question.first_response_at is None:
        question.first_response_at = at
    if question.status in OPEN_STATUSES:
        question.status = Status.ANSWERED


def _notify_answer(question: Question, answer: Answer, by: Any) -> None:
    recipients = [question.author]
    # Followers may not be allowed to see a private question: keep those who may.
    allowed = questions_visible(user=None).filter(pk=question.pk).exists()
    for user in subscribers_of(question):
        if allowed or user.pk == question.author_id or user.has_perm("questions.manage"):
            recipients.append(user)
    notify(
        recipients=[u for u in recipients if u.pk != by.pk],
        kind="questions.answered",
        message=gettext_noop("Your question “%(title)s” has an answer."),
        params={"title": question.title},
        url=answer.get_absolute_url(),
        target=question,
    )


@transaction.atomic
def answer_add(
    *,
    question: Question,
    by: Any,
    body: str,
    published: bool = True,
    at: datetime.datetime | None = None,
) -> Answer:
    """Answer a question: the routed expert (their account), or the content administrator
    (also on behalf of the state body the question is routed to). `published=False` keeps
    a draft that neither the asker nor the clock sees."""
    question = _lock(question)
    if not may_answer(user=by, question=question):
        if question.status == Status.CLOSED:
            raise PermissionDenied(_("The question is closed."))
        raise PermissionDenied(
            _("This question is routed to another expert; only they or the content "
              "administrator may answer it.")
        )  # fmt: skip
    text = clean_rich_text(body or "")
    if len(_strip(text).strip()) < 2:
        raise ValidationError(_("Write the answer."))
    if len(body) > MAX_BODY:
        raise ValidationError(_("The answer is too long: at most 10,000 characters."))
    at = at or timezone.now()
    expert = question.routed_to_expert
    answers_as_expert = expert is not None and expert.user_id == by.pk
    answer = Answer.objects.create(
        question=question,
        author=by,
        expert=expert if answers_as_expert else None,
        body_of=question.routed_to_body if not answers_as_expert else None,
        body=text,
        published=published,
        created_at=at,
        published_at=at if published else None,
    )
    if published:
        _first_response(question, at)
        question.save()
        question_index(question=question)
        if question.is_public:
            public_content_changed()
        _notify_answer(question, answer, by)
    return answer


@transaction.atomic
def answer_publish(*, answer: Answer, by: Any, at: datetime.datetime | None = None) -> Answer:
    """Publish a draft answer; the first published answer stops the clock."""
    question = _lock(answer.question)
    if not may_answer(user=by, question=question):
        raise PermissionDenied(_("You may not publish answers to this question."))
    answer = Answer.objects.select_for_update().get(pk=answer.pk)
    if answer.published:
        return answer
    at = at or timezone.now()
    answer.published = True
    answer.published_at = at
    answer.save()
    _first_response(question, at)
    question.save()
    question_index(question=question)
    if question.is_public:
        public_content_changed()
    _notify_answer(question, answer, by)
    return answer


@transaction.atomic
def question_rate(*, question: Question, by: Any, rating: int, comment: str = "") -> Question:
    """The asker rates the answers (1–5) with an optional comment; they may change it."""
    question = _lock(question)
    if not by.has_perm("questions.rate", question):
        if question.author_id != getattr(by, "pk", None):
            raise PermissionDenied(_("Only the person who asked may rate the answer."))
        raise PermissionDenied(_("The question has no answer to rate yet."))
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise ValidationError(_("The rating must be from 1 to 5."))
    if len(comment or "") > MAX_COMMENT:
        raise ValidationError(_("The comment is too long: at most 2,000 characters."))
    question.rating = rating
    question.rating_comment = _strip(comment or "").strip()
    question.rated_at = timezone.now()
    question.save()
    if question.is_public:
        public_content_changed()
    return question


@transaction.atomic
def question_close(*, question: Question, by: Any) -> Question:
    question = _lock(question)
    if not by.has_perm("questions.close", question):
        raise PermissionDenied(_("Only the asker or the content administrator may close it."))
    question.status = Status.CLOSED
    question.closed_at = timezone.now()
    question.save()
    return question


# --- rules and templates ------------------------------------------------------------------


def _manager(by: Any) -> None:
    if not by.has_perm("questions.manage"):
        raise PermissionDenied(_("This is for the content administrator."))


@transaction.atomic
def rule_save(
    *, by: Any, theme: Any, expert: Any = None, body: Any = None, rule: RoutingRule | None = None
) -> RoutingRule:
    """Add a rule for a theme (ending the theme's active rule) or change one."""
    _manager(by)
    if (expert is None) == (body is None):
        raise ValidationError(_("Choose either an expert or a state body."))
    if theme is None:
        raise ValidationError(_("Choose a theme."))
    others = RoutingRule.objects.select_for_update().filter(theme=theme, active=True)
    if rule is not None:
        others = others.exclude(pk=rule.pk)
    for other in others:
        other.active = False
        other.save()
    rule = rule or RoutingRule(created_by=by)
    rule.theme, rule.expert, rule.body, rule.active = theme, expert, body, True
    rule.save()
    return rule


@transaction.atomic
def rule_set_active(*, by: Any, rule: RoutingRule, active: bool) -> RoutingRule:
    _manager(by)
    rule = RoutingRule.objects.select_for_update().get(pk=rule.pk)
    if active:
        RoutingRule.objects.filter(theme=rule.theme_id, active=True).exclude(pk=rule.pk).update(
            active=False
        )
    rule.active = active
    rule.save()
    return rule


@transaction.atomic
def template_save(
    *,
    by: Any,
    title: dict[str, str],
    body: dict[str, str],
    theme: Any = None,
    active: bool = True,
    template: AnswerTemplate | None = None,
) -> AnswerTemplate:
    _manager(by)
    if not any((title.get(lang) or "").strip() for lang in Language.values):
        raise ValidationError(_("Give the template a title in at least one language."))
    if not any((body.get(lang) or "").strip() for lang in Language.values):
        raise ValidationError(_("Write the template's text in at least one language."))
    template = template or AnswerTemplate()
    for lang in Language.values:
        setattr(template, f"title_{lang}", (title.get(lang) or "").strip())
        setattr(template, f"body_{lang}", (body.get(lang) or "").strip())
    template.title = template.title_ru or template.title_ky or template.title_en or ""
    template.theme = theme
    template.active = active
    template.save()
    return template


def template_text(*, template: AnswerTemplate, language: str) -> str:
    """The template's text in `language`, else in Russian, Kyrgyz or English."""
    for lang in (language, "ru", "ky", "en"):
        text = getattr(template, f"body_{lang}", "") or ""
        if text.strip():
            return text
    return ""


# --- reminders ----------------------------------------------------------------------------


def _claim(question: Question, kind: str, now: datetime.datetime) -> Reminder | None:
    try:
        with transaction.atomic():
            return Reminder.objects.create(question=question, kind=kind, sent_at=now)
    except IntegrityError:
        return None  # already sent (or being sent by another run)


def questions_send_reminders(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Remind the routed expert and the content administrators once when four hours or less
    are left, and once when the 24 hours have run out; returns how many of each were sent.
    A question found already past due gets only the breach reminder."""
    now = now or timezone.now()
    sent = {ReminderKind.DUE_SOON.value: 0, ReminderKind.BREACHED.value: 0}
    admins = list(content_admins())
    for question in reminders_due(now=now):
        kind = ReminderKind.BREACHED if question.due_at <= now else ReminderKind.DUE_SOON
        with transaction.atomic():
            reminder = _claim(question, kind, now)
            if reminder is None:
                continue
            if kind == ReminderKind.BREACHED:
                message = gettext_noop(
                    "The 24 hours for the question “%(title)s” have run out without an answer."
                )
            else:
                message = gettext_noop(
                    "Less than four hours are left to answer the question “%(title)s”."
                )
            reminder.recipients = notify(
                recipients=_routed_recipients(question) + admins,
                kind=f"questions.{kind}",
                message=message,
                params={"title": question.title},
                url=question.get_absolute_url(),
                target=question,
            )
            reminder.save(update_fields=["recipients"])
            sent[kind] += 1
    return sent
