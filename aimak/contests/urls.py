from django.urls import path

from . import views

app_name = "contests"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.contest_edit, name="new"),
    path("verify/", views.verify, name="verify"),
    path("voters/", views.voters, name="voters"),
    path("applications/<int:pk>/", views.application, name="application"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path("applications/<int:pk>/submit/", views.application_submit, name="application_submit"),
    path("applications/<int:pk>/decide/", views.application_decide, name="application_decide"),
    path("applications/<int:pk>/score/", views.score, name="score"),
    path("applications/<int:pk>/files/<int:file_id>/", views.application_file, name="file"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/edit/", views.contest_edit, name="edit"),
    path("<slug:slug>/form/", views.form_edit, name="form"),
    path("<slug:slug>/announce/", views.announce, name="announce"),
    path("<slug:slug>/regulations/", views.regulations, name="regulations"),
    path("<slug:slug>/apply/", views.apply, name="apply"),
    path("<slug:slug>/applications/", views.applications, name="applications"),
    path("<slug:slug>/jury/", views.jury, name="jury"),
    path("<slug:slug>/judge/", views.judge, name="judge"),
    path("<slug:slug>/vote/", views.vote, name="vote"),
    path("<slug:slug>/flags/", views.flags, name="flags"),
    path("<slug:slug>/results/", views.results, name="results"),
    path("<slug:slug>/results/winners/", views.winners, name="winners"),
    path("<slug:slug>/results/protocol.xlsx", views.protocol, name="protocol"),
]
