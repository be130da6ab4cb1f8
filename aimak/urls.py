from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from aimak.api import api
from aimak.core import views as core_views
from aimak.news.sitemaps import sitemaps

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": sitemaps},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("api/v1/", api.urls),
    path("i18n/<str:code>/", core_views.switch_language, name="switch_language"),
    path("admin/", admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", include("aimak.core.urls")),
    path("territories/", include("aimak.territories.urls")),
    path("services/", include("aimak.catalogue.urls")),
    path("accounts/", include("aimak.accounts.urls")),
    path("surveys/", include("aimak.surveys.urls")),
    path("results/", include("aimak.results.urls")),
    path("reports/", include("aimak.reports.urls")),
    path("legal-acts/", include("aimak.legal.urls")),
    path("notifications/", include("aimak.notifications.urls")),
    path("events/", include("aimak.events.urls")),
    path("council/", include("aimak.council.urls")),
    path("plans/", include("aimak.plans.urls")),
    path("inclusion/", include("aimak.inclusion.urls")),
    path("news/", include("aimak.news.urls")),
    path("practices/", include("aimak.practices.urls")),
    path("questions/", include("aimak.questions.urls")),
    path("contests/", include("aimak.contests.urls")),
    path("learning/", include("aimak.learning.urls")),
    path("mentoring/", include("aimak.mentoring.urls")),
    path("communities/", include("aimak.communities.urls")),
    path("audience/", include("aimak.audience.urls")),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
