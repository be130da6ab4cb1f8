from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list_view, name="list"),
    path("read-all/", views.mark_all_read, name="read_all"),
    path("settings/", views.settings_view, name="settings"),
    path("follow/", views.follow, name="follow"),
    path("<int:pk>/read/", views.mark_read, name="read"),
    path("<int:pk>/open/", views.open_notification, name="open"),
]
