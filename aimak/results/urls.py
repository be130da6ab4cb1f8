from django.urls import path

from . import views

app_name = "results"
urlpatterns = [
    path(
        "municipality/<str:code>/population/",
        views.population_structure,
        name="population",
    ),
]
