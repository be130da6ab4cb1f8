from django.urls import path

from . import views

app_name = "audience"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("indicators/", views.indicators, name="indicators"),
    path("export.<str:kind>", views.dashboard_export, name="dashboard_export"),
    path("clients/", views.clients, name="clients"),
    path("clients/export.<str:kind>", views.clients_export, name="clients_export"),
    path("surveys/", views.surveys, name="surveys"),
    path("surveys/manage/", views.survey_admin, name="survey_admin"),
    path("surveys/new/", views.survey_edit, name="survey_new"),
    path("surveys/<int:pk>/", views.survey, name="survey"),
    path("surveys/<int:pk>/edit/", views.survey_edit, name="survey_edit"),
    path("surveys/<int:pk>/results/", views.survey_report, name="survey_results"),
    path("surveys/<int:pk>/questions/", views.question_new, name="question_new"),
    path(
        "surveys/<int:pk>/questions/<int:question_pk>/remove/",
        views.question_delete,
        name="question_delete",
    ),
]
