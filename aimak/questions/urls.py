from django.urls import path

from . import views

app_name = "questions"
urlpatterns = [
    path("", views.index, name="index"),
    path("ask/", views.ask, name="ask"),
    path("mine/", views.mine, name="mine"),
    path("queue/", views.queue, name="queue"),
    path("expert/", views.expert, name="expert"),
    path("breaches/", views.breaches_page, name="breaches"),
    path("report/", views.report, name="report"),
    path("rules/", views.rules, name="rules"),
    path("rules/<int:pk>/toggle/", views.rule_toggle, name="rule_toggle"),
    path("templates/", views.templates, name="templates"),
    path("templates/new/", views.template_edit, name="template_new"),
    path("templates/<int:pk>/", views.template_edit, name="template_edit"),
    path("answers/<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/rate/", views.rate, name="rate"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/route/", views.route, name="route"),
]
