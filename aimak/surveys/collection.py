"""Storing interviews: one at a time from the phone form, the paper-entry form and the API.

Every interview carries an id made where it was filled in (the phone makes a UUID before
the first answer). `interview_submit` stores an id once per round: sending the same
interview again, after a dropped connection or a double tap, returns the stored one and
changes nothing. Answers are checked on the server with the same checker the import uses
(answers.py), whatever the phone already checked.
"""

from __future__ import annotations

import datetime
import uuid as uuid_module
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from aimak.territories.models import Territory

from .answers import FormChecker, Problem
from .models import (
    Interview,
    InterviewSource,
    QuestionnaireVersion,
    Round,
    RoundStatus,
    VersionStatus,
)

_CHECKERS: dict[tuple[int, Any], FormChecker] = {}


def version_checker(version: QuestionnaireVersion) -> FormChecker:
    """The compiled checker of a version, kept per process for published versions (which
    are frozen: a version's id and publication time are enough to know its form)."""
    if version.status != VersionStatus.PUBLISHED:
        return FormChecker(version.form)
    key = (version.pk, version.published_at)
    checker = _CHECKERS.get(key)
    if checker is None:
        if len(_CHECKERS) > 256:
            _CHECKERS.clear()
        checker = _CHECKERS[key] = FormChecker(version.form)
    return checker


def village_ids(round: Round) -> dict[str, int]:
    """SOATE code -> id of the round's municipality's villages (ended ones included, since
    a published version may list a village the registry has since merged)."""
    return dict(Territory.objects.filter(parent_id=round.municipality_id).values_list("code", "pk"))


class InterviewRefused(ValidationError):
    """The interview was not stored; `problems` says why, question by question."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


def round_check_collecting(round: Round) -> None:
    if round.status != RoundStatus.COLLECTING:
        raise InterviewRefused(
            _(
                "This round is not collecting interviews (its status is “%(status)s”); "
                "interviews are accepted only while a round is collecting."
            )
            % {"status": round.get_status_display()}
        )


@dataclass
class Submitted:
    interview: Interview
    created: bool


def _parse_uuid(value: Any) -> uuid_module.UUID:
    try:
        return uuid_module.UUID(str(value).strip().removeprefix("uuid:"))
    except (ValueError, AttributeError):
        raise InterviewRefused(
            _("“%(value)s” is not a valid interview id (a UUID is expected).") % {"value": value}
        ) from None


def interview_submit(
    *,
    round: Round,
    interview_id: Any,
    answers: dict[str, Any],
    user: Any,
    source: str = InterviewSource.PHONE,
    started_at: datetime.datetime | None = None,
    completed_at: datetime.datetime | None = None,
    enumerator: Any = None,
) -> Submitted:
    """Store one interview once. Raises InterviewRefused (nothing stored) when the round is
    not collecting or an answer is wrong; the same id again returns the stored interview.
    `enumerator` is who made the interview when that is not `user`, who enters it (a paper
    questionnaire typed in by staff)."""
    key = _parse_uuid(interview_id)
    existing = Interview.objects.filter(round=round, uuid=key).first()
    if existing is not None:
        return Submitted(existing, False)
    round_check_collecting(round)
    version = round.version
    checker = version_checker(version)
    clean, problems = checker.clean(answers)
    if problems:
        raise InterviewRefused(
            ngettext(
                "The interview was not saved: %(count)s answer needs correcting.",
                "The interview was not saved: %(count)s answers need correcting.",
                len(problems),
            )
            % {"count": len(problems)},
            problems,
        )
    village_code, sex = checker.quota_values(clean)
    villages = village_ids(round) if village_code else {}
    interview = Interview(
        round=round,
        version=version,
        uuid=key,
        source=source,
        enumerator=enumerator or (user if getattr(user, "pk", None) else None),
        received_by=user if getattr(user, "pk", None) else None,
        village_id=villages.get(village_code) if village_code else None,
        sex=sex,
        answers=clean,
        started_at=started_at,
        completed_at=completed_at,
    )
    try:
        with transaction.atomic():
            interview.save()
    except IntegrityError:
        # The same id arrived twice at once: the other request stored it.
        existing = Interview.objects.filter(round=round, uuid=key).first()
        if existing is None:
            raise
        return Submitted(existing, False)
    return Submitted(interview, True)
