"""The report-card dashboards (dashboard_views.py), under /<lang>/results/."""

from django.urls import path

from . import dashboard_views

urlpatterns = [
    path("rounds/<int:pk>/", dashboard_views.round_dashboard, name="round"),
    path(
        "rounds/<int:pk>/services/<slug:slug>/",
        dashboard_views.service_dashboard,
        name="service",
    ),
    path("rounds/<int:pk>/change/", dashboard_views.change_dashboard, name="change"),
    path("compare/", dashboard_views.compare_dashboard, name="compare"),
]
