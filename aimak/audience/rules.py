"""Permissions of audience monitoring.

The audience figures are national: the client-base administrator (seed 004) owns the
surveys and the client base (people's names and e-mails); the content administrator and the
programme manager see the per-category figures (no personal data). Any signed-in user
answers surveys meant for their audience category (checked by the service).
"""

from typing import Any

import rules

from aimak.accounts.models import Role
from aimak.accounts.predicates import national_role

is_clientbase_admin = national_role(Role.CLIENTBASE_ADMIN)
is_dashboard_viewer = national_role(
    Role.CLIENTBASE_ADMIN, Role.CONTENT_ADMIN, Role.PROGRAMME_MANAGER
)


@rules.predicate
def is_registered(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


rules.add_perm("audience.answer_survey", is_registered)
rules.add_perm("audience.view_dashboard", is_dashboard_viewer)
rules.add_perm("audience.view_client_base", is_clientbase_admin)
rules.add_perm("audience.manage_surveys", is_clientbase_admin)
