from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("", views.event_list_view, name="list"),
    path("new/", views.event_create_view, name="create"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/edit/", views.event_edit_view, name="edit"),
    path("<int:pk>/register/", views.register_view, name="register"),
    path("<int:pk>/check-in/", views.check_in_view, name="check_in"),
    path("<int:pk>/participants/", views.participants_view, name="participants"),
    path("<int:pk>/attendance/", views.attendance_view, name="attendance"),
    path("<int:pk>/materials/", views.materials_view, name="materials"),
    path(
        "<int:pk>/materials/<int:material_pk>/remove/",
        views.material_remove_view,
        name="material_remove",
    ),
]
