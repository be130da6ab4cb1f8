from django.urls import path

from . import dashboard_urls, views

app_name = "results"
urlpatterns = [
    path(
        "municipality/<str:code>/population/",
        views.population_structure,
        name="population",
    ),
]

urlpatterns += dashboard_urls.urlpatterns
