from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("rounds/<int:pk>/", views.round_reports, name="round"),
    path("rounds/<int:pk>/list/", views.round_reports_rows, name="round_rows"),
    path("rounds/<int:pk>/request/", views.report_request_view, name="request"),
    path("<int:pk>/download/", views.report_download, name="download"),
]
