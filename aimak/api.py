"""The REST API under /api/v1/: anonymous reads of public data, token-authenticated writes."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI

from aimak.audience.api import router as audience_router
from aimak.catalogue.api import router as catalogue_router
from aimak.communities.api import router as communities_router
from aimak.contests.api import router as contests_router
from aimak.core.ratelimit import RateLimited
from aimak.council.api import router as council_router
from aimak.events.api import router as events_router
from aimak.inclusion.api import router as inclusion_router
from aimak.learning.api import router as learning_router
from aimak.legal.api import router as legal_router
from aimak.mentoring.api import router as mentoring_router
from aimak.news.api import router as news_router
from aimak.notifications.api import router as notifications_router
from aimak.plans.api import router as plans_router
from aimak.practices.api import router as practices_router
from aimak.questions.api import router as questions_router
from aimak.reports.api import router as reports_router
from aimak.results.api import router as results_router
from aimak.surveys.api import router as surveys_router
from aimak.surveys.import_api import router as imports_router
from aimak.surveys.interview_api import router as interviews_router
from aimak.surveys.round_api import router as rounds_router
from aimak.territories.api import router as territories_router

api = NinjaAPI(
    title="Aimak API",
    version="1",
    description=(
        "Public data of Aimak: the territorial registry of the Kyrgyz Republic, the municipal "
        "services catalogue and who provides each service, and the legal acts on local "
        "self-government with full-text search. Reading needs no account; writing "
        "needs `Authorization: Bearer <token>` with a token made on your profile page."
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
api.add_router("/territories", territories_router)
api.add_router("/", catalogue_router)
api.add_router("/", surveys_router)
api.add_router("/", legal_router)
api.add_router("/", rounds_router)
api.add_router("/", interviews_router)
api.add_router("/", imports_router)
api.add_router("/", results_router)
api.add_router("/", reports_router)
api.add_router("/", notifications_router)
api.add_router("/", events_router)
api.add_router("/", council_router)
api.add_router("/", plans_router)
api.add_router("/", inclusion_router)
api.add_router("/", news_router)
api.add_router("/", practices_router)
api.add_router("/", questions_router)
api.add_router("/", contests_router)
api.add_router("/", learning_router)
api.add_router("/", mentoring_router)
api.add_router("/", communities_router)
api.add_router("/", audience_router)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    return api.create_response(request, {"detail": exc.messages}, status=422)


@api.exception_handler(RateLimited)
def rate_limited(request, exc: RateLimited):
    response = api.create_response(request, {"detail": str(exc)}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc: PermissionDenied):
    return api.create_response(request, {"detail": str(exc) or _("Permission denied.")}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc: Http404):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)
