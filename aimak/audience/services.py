"""Writes of audience monitoring: surveys, their questions, and users' responses."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from aimak.accounts.models import AudienceCategory

from .models import (
    RATING_MAX,
    RATING_MIN,
    FeedbackAnswer,
    FeedbackQuestion,
    FeedbackResponse,
    FeedbackSurvey,
    QuestionKind,
    QuestionRole,
)

LANGS = ("ky", "ru", "en")
TEXT_MAX = 2000
MAX_CHOICES = 20
CHOICE_KINDS = (QuestionKind.CHOICE, QuestionKind.MULTIPLE)


@dataclass
class SurveyData:
    title: dict[str, str]
    intro: dict[str, str] = field(default_factory=dict)
    opens_on: datetime.date | None = None
    closes_on: datetime.date | None = None
    for_all: bool = True
    categories: list[str] = field(default_factory=list)
    active: bool = False


def _require(user: Any, perm: str, message: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied(message)


def _check_survey(data: SurveyData) -> None:
    errors = []
    if not (data.title.get("ky") or "").strip() or not (data.title.get("ru") or "").strip():
        errors.append(_("Give the title in Kyrgyz and in Russian."))
    if data.opens_on is None:
        errors.append(_("Give the date the survey opens."))
    elif data.closes_on is not None and data.closes_on < data.opens_on:
        errors.append(_("The survey cannot close before it opens."))
    unknown = [c for c in data.categories if c not in AudienceCategory.values]
    if unknown:
        errors.append(_("Unknown audience category: %(c)s.") % {"c": ", ".join(unknown)})
    if not data.for_all and not data.categories:
        errors.append(_("Choose the audience categories, or open the survey to everyone."))
    if errors:
        raise ValidationError(errors)


def survey_save(
    *, by: Any, data: SurveyData, survey: FeedbackSurvey | None = None
) -> FeedbackSurvey:
    """Create a survey, or change one (its texts, dates, audience, and whether it is active)."""
    _require(
        by, "audience.manage_surveys", _("Only the client-base administrator manages surveys.")
    )
    _check_survey(data)
    with transaction.atomic():
        if survey is None:
            survey = FeedbackSurvey(created_by=by)
        else:
            survey = FeedbackSurvey.objects.select_for_update().get(pk=survey.pk)
        for lang in LANGS:
            setattr(survey, f"title_{lang}", (data.title.get(lang) or "").strip())
            setattr(survey, f"intro_{lang}", (data.intro.get(lang) or "").strip())
        survey.opens_on = data.opens_on  # type: ignore[assignment]
        survey.closes_on = data.closes_on
        survey.for_all = data.for_all
        survey.categories = [] if data.for_all else sorted(set(data.categories))
        survey.active = data.active
        survey.save()
        return survey


_CHOICE_LINE = re.compile(r"^\s*(?:([a-z0-9][a-z0-9_-]{0,59})\s*=\s*)?(.+)$")


def parse_choices(text: str) -> list[dict[str, str]]:
    """Choices typed one per line as `Кыргызча | Русский | English`, optionally preceded
    by a key (`trainings = Тренингдер | Тренинги | Trainings`). Without a key, the key is
    made from the English (else Russian) label."""
    choices = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = _CHOICE_LINE.match(line)
        assert match is not None  # the pattern matches any non-empty line
        key, labels = match.group(1), [p.strip() for p in match.group(2).split("|")]
        labels += [""] * (3 - len(labels))
        if len(labels) > 3:
            raise ValidationError(
                _("Line %(n)s: give at most three labels (Kyrgyz | Russian | English).")
                % {"n": number}
            )
        ky, ru, en = labels
        if not ky or not ru:
            raise ValidationError(
                _("Line %(n)s: give the choice in Kyrgyz and in Russian.") % {"n": number}
            )
        key = key or slugify(en)[:60] or slugify(ru, allow_unicode=True)[:60] or f"c{number}"
        choices.append({"key": key, "ky": ky, "ru": ru, "en": en})
    return choices


def _check_question(
    survey: FeedbackSurvey, kind: str, role: str, label: Mapping[str, str], choices: list[dict]
) -> None:
    errors = []
    if kind not in QuestionKind.values:
        errors.append(_("Unknown kind of question."))
    if role not in QuestionRole.values:
        errors.append(_("Unknown measure."))
    if not (label.get("ky") or "").strip() or not (label.get("ru") or "").strip():
        errors.append(_("Give the question in Kyrgyz and in Russian."))
    if kind in CHOICE_KINDS:
        keys = [c["key"] for c in choices]
        if len(choices) < 2:
            errors.append(_("Give at least two choices."))
        if len(choices) > MAX_CHOICES:
            errors.append(_("Give at most %(n)s choices.") % {"n": MAX_CHOICES})
        if len(set(keys)) != len(keys):
            errors.append(_("Two choices have the same key; give each its own."))
    elif choices:
        errors.append(_("Only choice questions have choices."))
    if role == QuestionRole.SATISFACTION and kind != QuestionKind.RATING:
        errors.append(_("Overall satisfaction is measured by a rating question."))
    if role == QuestionRole.NEEDS and kind not in CHOICE_KINDS:
        errors.append(_("Needs are measured by a choice question."))
    if (
        role in (QuestionRole.SATISFACTION, QuestionRole.NEEDS)
        and survey.questions.filter(role=role).exists()
    ):
        errors.append(_("This survey already has a question measuring that."))
    if errors:
        raise ValidationError(errors)


def _unfrozen(survey: FeedbackSurvey) -> None:
    if survey.responses.exists():
        raise ValidationError(
            _("People have already answered this survey: its questions can no longer change.")
        )


def question_add(
    *,
    survey: FeedbackSurvey,
    by: Any,
    kind: str,
    label: Mapping[str, str],
    role: str = QuestionRole.OTHER,
    choices: list[dict[str, str]] | None = None,
    required: bool = True,
) -> FeedbackQuestion:
    """Add a question at the end of the survey (only before anyone has answered)."""
    _require(
        by, "audience.manage_surveys", _("Only the client-base administrator manages surveys.")
    )
    choices = choices or []
    with transaction.atomic():
        survey = FeedbackSurvey.objects.select_for_update().get(pk=survey.pk)
        _unfrozen(survey)
        _check_question(survey, kind, role, label, choices)
        last = survey.questions.aggregate(m=Max("position"))["m"]
        question = FeedbackQuestion(
            survey=survey,
            position=(last or 0) + 1,
            kind=kind,
            role=role,
            choices=[
                {"key": c["key"], **{lang: (c.get(lang) or "").strip() for lang in LANGS}}
                for c in choices
            ],
            required=required,
        )
        for lang in LANGS:
            setattr(question, f"label_{lang}", (label.get(lang) or "").strip())
        question.save()
        return question


def question_remove(*, question: FeedbackQuestion, by: Any) -> None:
    _require(
        by, "audience.manage_surveys", _("Only the client-base administrator manages surveys.")
    )
    with transaction.atomic():
        survey = FeedbackSurvey.objects.select_for_update().get(pk=question.survey_id)
        _unfrozen(survey)
        question.delete()


# --- answering ----------------------------------------------------------------------------


def _answer_error(question: FeedbackQuestion, message: str) -> dict[str, list[str]]:
    return {question.field_name: [message]}


def clean_answers(*, survey: FeedbackSurvey, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers checked against the survey's questions, keyed by question id (a string).

    Raises ValidationError with one message per question (keyed `q<id>`) for a missing
    required answer, a rating outside 1–5, a choice the question does not offer, or a text
    too long; and for an answer to a question that is not in this survey."""
    questions = {str(q.pk): q for q in survey.questions.all()}
    errors: dict[str, list[str]] = {}
    unknown = [k for k in answers if str(k) not in questions]
    if unknown:
        errors["__all__"] = [_("An answer was sent to a question that is not in this survey.")]
    cleaned: dict[str, Any] = {}
    for key, question in questions.items():
        value = answers.get(key, answers.get(question.field_name))
        if isinstance(value, str):
            value = value.strip()
        empty = value is None or value == "" or value == []
        if empty:
            if question.required:
                errors.update(_answer_error(question, _("Answer this question.")))
            continue
        if question.kind == QuestionKind.RATING:
            try:
                rating = int(value)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                rating = 0
            if isinstance(value, bool) or not RATING_MIN <= rating <= RATING_MAX:
                errors.update(
                    _answer_error(
                        question,
                        _("Choose a mark from %(lo)s to %(hi)s.")
                        % {"lo": RATING_MIN, "hi": RATING_MAX},
                    )
                )
                continue
            cleaned[key] = rating
        elif question.kind == QuestionKind.CHOICE:
            if not isinstance(value, str) or value not in question.choice_keys():
                errors.update(_answer_error(question, _("Choose one of the options given.")))
                continue
            cleaned[key] = value
        elif question.kind == QuestionKind.MULTIPLE:
            values = [value] if isinstance(value, str) else value
            if not isinstance(values, list | tuple) or not all(
                isinstance(v, str) and v in question.choice_keys() for v in values
            ):
                errors.update(_answer_error(question, _("Choose among the options given.")))
                continue
            cleaned[key] = list(dict.fromkeys(values))
        else:
            if not isinstance(value, str):
                errors.update(_answer_error(question, _("Write your answer as text.")))
                continue
            if len(value) > TEXT_MAX:
                errors.update(
                    _answer_error(
                        question,
                        _("Write at most %(n)s characters.") % {"n": TEXT_MAX},
                    )
                )
                continue
            cleaned[key] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


def response_submit(
    *,
    survey: FeedbackSurvey,
    user: Any,
    answers: Mapping[str, Any],
    language: str = "",
    now: datetime.datetime | None = None,
) -> FeedbackResponse:
    """Record a signed-in user's answers to an open survey meant for their audience
    category; one response per user and survey."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to answer the survey."))
    now = now or timezone.now()
    if not survey.is_open(timezone.localdate(now)):
        raise PermissionDenied(_("This survey is not open."))
    if not survey.is_for(user.audience_category):
        raise PermissionDenied(_("This survey is meant for other audience categories."))
    if FeedbackResponse.objects.filter(survey=survey, user=user).exists():
        raise ValidationError(_("You have already answered this survey. Thank you!"))
    cleaned = clean_answers(survey=survey, answers=answers)
    if not cleaned:
        raise ValidationError(_("Answer at least one question."))
    questions = {str(q.pk): q for q in survey.questions.all()}
    try:
        with transaction.atomic():
            response = FeedbackResponse.objects.create(
                survey=survey,
                user=user,
                category=user.audience_category,
                language=(language or "")[:2],
                answers=cleaned,
                created_at=now,
            )
            rows = []
            for key, value in cleaned.items():
                question = questions[key]
                if question.kind == QuestionKind.RATING:
                    rows.append(FeedbackAnswer(response=response, question=question, rating=value))
                elif question.kind == QuestionKind.CHOICE:
                    rows.append(FeedbackAnswer(response=response, question=question, choice=value))
                elif question.kind == QuestionKind.MULTIPLE:
                    rows += [
                        FeedbackAnswer(response=response, question=question, choice=v)
                        for v in value
                    ]
                else:
                    rows.append(FeedbackAnswer(response=response, question=question, text=value))
            FeedbackAnswer.objects.bulk_create(rows)
    except IntegrityError as exc:  # the same user answering twice at the same moment
        raise ValidationError(_("You have already answered this survey. Thank you!")) from exc
    return response
