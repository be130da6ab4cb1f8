"""Permissions of learning.

Courses are national: the content administrator makes and edits them (pages of this app,
not the Django admin). The course's author and the content administrator see each
learner's progress; every registered user may enrol.
"""

from typing import Any

import rules

from aimak.accounts.models import Role
from aimak.accounts.predicates import national_role

is_content_admin = national_role(Role.CONTENT_ADMIN)


@rules.predicate
def is_registered(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


@rules.predicate
def is_course_author(user: Any, course: Any) -> bool:
    return course is not None and course.author_id == getattr(user, "pk", None)


@rules.predicate
def is_published(user: Any, course: Any) -> bool:
    return course is not None and course.published


rules.add_perm("learning.manage_courses", is_content_admin)
rules.add_perm("learning.enroll", is_registered)
# Object: the course. Paired selector: selectors.courses_visible.
rules.add_perm("learning.view_course", is_published | is_course_author | is_content_admin)
rules.add_perm("learning.view_learners", is_course_author | is_content_admin)
