from django.urls import path

from . import views

app_name = "territories"
urlpatterns = [
    path("", views.browse, name="browse"),
    path("search/", views.search, name="search"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/population/", views.population_edit, name="population"),
]
