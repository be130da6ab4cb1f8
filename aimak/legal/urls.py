from django.urls import path

from . import views

app_name = "legal"
urlpatterns = [
    path("", views.search, name="search"),
    path("<slug:key>/", views.detail, name="detail"),
]
