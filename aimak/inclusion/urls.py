from django.urls import path

from . import views

app_name = "inclusion"
urlpatterns = [
    path("indicators/", views.indicators_view, name="indicators"),
    path("indicators/export.xlsx", views.indicators_export_view, name="indicators_export"),
    path("indicators/<slug:kind>/", views.drilldown_view, name="drilldown"),
    path("budget-sample.xlsx", views.sample_view, name="sample"),
    path("<str:code>/", views.municipality_view, name="municipality"),
    path("<str:code>/budgets/upload/", views.budget_upload_view, name="budget_upload"),
    path("<str:code>/budgets/import/", views.budget_import_view, name="budget_import"),
    path("<str:code>/budgets/<int:pk>/", views.budget_view, name="budget"),
    path("<str:code>/budgets/<int:pk>/tags/", views.budget_tag_view, name="budget_tag"),
    path("<str:code>/budgets/<int:pk>/links/", views.budget_links_view, name="budget_links"),
]
