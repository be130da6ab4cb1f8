from django.urls import path

from . import views

app_name = "council"
urlpatterns = [
    path("municipality/<str:code>/", views.municipality_list, name="list"),
    path("municipality/<str:code>/new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/links/", views.link_add, name="link_add"),
    path("<int:pk>/links/<int:link_pk>/remove/", views.link_remove, name="link_remove"),
]
