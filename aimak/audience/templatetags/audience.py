"""`{% survey_prompt %}`: a small link to the survey a signed-in user has not answered.

For base.html: ``{% load audience %}{% survey_prompt %}``. Anonymous visitors cost no
query (so cached public pages do not vary); a signed-in user costs one query per page.
"""

from __future__ import annotations

from typing import Any

from django import template

from ..selectors import survey_pending_for

register = template.Library()


@register.inclusion_tag("audience/_prompt.html", takes_context=True)
def survey_prompt(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    survey = None
    if user is not None and user.is_authenticated:
        path = getattr(request, "path", "")
        survey = survey_pending_for(user=user)
        if survey is not None and path == survey.get_absolute_url():
            survey = None  # already on the survey page
    return {"survey": survey}
