"""Permissions of the news app (autodiscovered by rules.apps.AutodiscoverRulesConfig).

News and the magazine are national content: the content administrator and the system
administrator write them. No municipality object; the paired selector is
`selectors.article_admin_list` (everything, for those who pass this check).
"""

import rules

from aimak.accounts.models import Role
from aimak.accounts.predicates import national_role

is_content_admin = national_role(Role.CONTENT_ADMIN, Role.SYSADMIN)

rules.add_perm("news.manage_content", is_content_admin)
