from django.urls import path

from . import views

app_name = "catalogue"
urlpatterns = [
    path("", views.service_catalogue, name="list"),
    path("municipality/<str:code>/", views.municipality_services, name="municipality"),
    path("municipality/<str:code>/<int:pk>/end/", views.provision_end_view, name="end"),
]
