"""Pages to import interviews from files (import_views.py), under /<lang>/surveys/."""

from django.urls import URLPattern, path

from . import import_views

urlpatterns: list[URLPattern] = [
    path("rounds/<int:pk>/imports/new/", import_views.import_upload_view, name="import_upload"),
    path(
        "rounds/<int:pk>/imports/<int:import_id>/",
        import_views.import_detail,
        name="import_detail",
    ),
    path(
        "rounds/<int:pk>/imports/<int:import_id>/run/",
        import_views.import_run,
        name="import_run",
    ),
    path(
        "rounds/<int:pk>/imports/<int:import_id>/progress/",
        import_views.import_progress,
        name="import_progress",
    ),
    path(
        "rounds/<int:pk>/imports/<int:import_id>/problems.csv",
        import_views.import_problems,
        name="import_problems",
    ),
    path(
        "rounds/<int:pk>/imports/<int:import_id>/file/",
        import_views.import_file,
        name="import_file",
    ),
    path(
        "rounds/<int:pk>/interviews.csv",
        import_views.interview_export,
        name="interview_export",
    ),
]
