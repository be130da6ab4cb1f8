from django.urls import path

from . import views

app_name = "practices"
urlpatterns = [
    path("", views.library, name="library"),
    path("submit/", views.submit_new, name="submit_new"),
    path("mine/", views.mine, name="mine"),
    path("moderation/", views.queue, name="queue"),
    path("target/", views.target, name="target"),
    path("themes/", views.themes, name="themes"),
    path("themes/new/", views.theme_edit, name="theme_new"),
    path("themes/<slug:slug>/", views.theme_edit, name="theme_edit"),
    path("experts/", views.experts, name="experts"),
    path("experts/manage/", views.expert_admin, name="expert_admin"),
    path("experts/new/", views.expert_edit, name="expert_new"),
    path("experts/<slug:slug>/", views.expert_detail, name="expert_detail"),
    path("experts/<slug:slug>/edit/", views.expert_edit, name="expert_edit"),
    path("experts/<slug:slug>/changes/", views.expert_changes, name="expert_changes"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/submit/", views.submit, name="submit"),
    path("<slug:slug>/moderate/", views.moderate, name="moderate"),
    path("<slug:slug>/feature/", views.feature, name="feature"),
    path("<slug:slug>/changes/", views.history, name="history"),
    path("<slug:slug>/attach/<str:kind>/", views.attach, name="attach"),
    path("<slug:slug>/remove/<str:kind>/<int:pk>/", views.detach, name="detach"),
]
