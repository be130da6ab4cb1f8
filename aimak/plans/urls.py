from django.urls import path, re_path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.index, name="index"),
    path("statuses/", views.statuses_view, name="statuses"),
    path("follow-up/<str:token>/", views.follow_up_view, name="follow_up"),
    path("recommendations/<int:pk>/", views.recommendation_detail, name="recommendation"),
    path(
        "recommendations/<int:pk>/edit/",
        views.recommendation_edit_view,
        name="recommendation_edit",
    ),
    path("recommendations/<int:pk>/actions/new/", views.action_create_view, name="action_create"),
    path("recommendations/<int:pk>/contacts/", views.contact_add_view, name="contact_add"),
    path("actions/<int:pk>/edit/", views.action_edit_view, name="action_edit"),
    path("actions/<int:pk>/status/", views.action_status_view, name="action_status"),
    path("actions/<int:pk>/milestones/new/", views.milestone_add_view, name="milestone_add"),
    path("actions/<int:pk>/verify/", views.verify_view, name="verify"),
    re_path(r"^(?P<code>\d{14})/$", views.public_plan, name="public"),
    re_path(r"^(?P<code>\d{14})/manage/$", views.plan_list, name="list"),
    re_path(
        r"^(?P<code>\d{14})/new/$", views.recommendation_create_view, name="recommendation_create"
    ),
]
