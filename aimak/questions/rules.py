"""Permissions of questions and consultations.

Managing the service (routing, rules, templates) is the content administrator's, a national
role; the breaches and the monthly report are also open to the programme manager. Object
rules take the question; their paired selector is `selectors.questions_visible`.
"""

from typing import Any

import rules

from aimak.accounts.models import Role
from aimak.accounts.predicates import national_role

from .models import Status, Visibility

is_content_admin = national_role(Role.CONTENT_ADMIN)
is_report_viewer = national_role(Role.CONTENT_ADMIN, Role.PROGRAMME_MANAGER)


@rules.predicate
def is_registered(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


@rules.predicate
def is_asker(user: Any, question: Any) -> bool:
    return question is not None and question.author_id == getattr(user, "pk", None)


@rules.predicate
def is_routed_expert(user: Any, question: Any) -> bool:
    """The user is the account of the expert the question is routed to."""
    if question is None or question.routed_to_expert_id is None:
        return False
    if not getattr(user, "is_authenticated", False):
        return False
    return question.routed_to_expert.user_id == user.pk


@rules.predicate
def is_published_answered(user: Any, question: Any) -> bool:
    return (
        question is not None
        and question.visibility == Visibility.PUBLIC
        and question.first_response_at is not None
    )


@rules.predicate
def is_answerable(user: Any, question: Any) -> bool:
    return question is not None and question.status != Status.CLOSED


@rules.predicate
def has_answer(user: Any, question: Any) -> bool:
    return question is not None and question.first_response_at is not None


rules.add_perm("questions.ask", is_registered)
rules.add_perm("questions.manage", is_content_admin)
rules.add_perm("questions.view_report", is_report_viewer)
rules.add_perm("questions.expert_queue", is_registered)
# Object: the question. Paired selector: selectors.questions_visible.
rules.add_perm(
    "questions.view_question",
    is_published_answered | is_asker | is_content_admin | is_routed_expert,
)
rules.add_perm("questions.answer", is_answerable & (is_content_admin | is_routed_expert))
rules.add_perm("questions.rate", is_asker & has_answer)
rules.add_perm("questions.close", has_answer & (is_asker | is_content_admin))
