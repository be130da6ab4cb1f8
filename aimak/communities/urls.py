from django.urls import path

from . import views

app_name = "communities"
urlpatterns = [
    path("", views.index, name="list"),
    path("new/", views.community_edit, name="community_new"),
    path("moderation/", views.queue, name="queue"),
    path("members/<str:username>/", views.member, name="member"),
    path("threads/<int:pk>/", views.thread, name="thread"),
    path("threads/<int:pk>/moderate/", views.thread_moderation, name="thread_moderate"),
    path("posts/<int:pk>/edit/", views.post_edit_view, name="post_edit"),
    path("posts/<int:pk>/report/", views.report, name="report"),
    path("posts/<int:pk>/moderate/", views.moderate, name="moderate"),
    path("<slug:slug>/", views.community, name="community"),
    path("<slug:slug>/edit/", views.community_edit, name="community_edit"),
    path("<slug:slug>/join/", views.join, name="join"),
    path("<slug:slug>/leave/", views.leave, name="leave"),
    path("<slug:slug>/members/<int:pk>/approve/", views.approve, name="approve"),
    path("<slug:slug>/new/", views.thread_new, name="thread_new"),
]
