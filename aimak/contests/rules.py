"""Permissions of contests.

Contests are national: the content administrator (the secretary of a contest) runs them.
Applications belong to a municipality: its staff draft and submit them. Reading an
application takes the application as its object; its paired selector is
`selectors.applications_visible`.
"""

from typing import Any

import rules

from aimak.accounts.models import Role
from aimak.accounts.predicates import municipal_role, national_role

is_content_admin = national_role(Role.CONTENT_ADMIN)
is_municipal_staff = municipal_role(Role.STAFF)


@rules.predicate
def is_staff_of_applicant(user: Any, application: Any) -> bool:
    return application is not None and is_municipal_staff(user, application.municipality_id)


@rules.predicate
def is_registered_application(user: Any, application: Any) -> bool:
    return application is not None and application.status == "registered"


@rules.predicate
def is_jury_member(user: Any, contest: Any) -> bool:
    if contest is None or not getattr(user, "is_authenticated", False):
        return False
    return contest.jury.filter(user=user).exists()


rules.add_perm("contests.manage", is_content_admin)
# Object: the municipality.
rules.add_perm("contests.apply", is_municipal_staff)
# Object: the application. Paired selector: selectors.applications_visible.
rules.add_perm(
    "contests.view_application",
    is_registered_application | is_staff_of_applicant | is_content_admin,
)
# Object: the contest.
rules.add_perm("contests.judge", is_jury_member)
