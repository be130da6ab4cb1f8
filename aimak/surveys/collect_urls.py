"""URLs of the collection pages (collect_views): the phone form, paper entry, progress."""

from django.urls import URLPattern, path

from . import collect_views

urlpatterns: list[URLPattern] = [
    path("rounds/<int:pk>/collect/", collect_views.collect_form, name="collect"),
    path("rounds/<int:pk>/collect/paper/", collect_views.paper_entry, name="collect_paper"),
    path("rounds/<int:pk>/progress/", collect_views.progress_view, name="progress"),
]
