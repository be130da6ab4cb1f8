from django.urls import path

from . import views

app_name = "learning"
urlpatterns = [
    path("", views.course_list_view, name="list"),
    path("mine/", views.mine, name="mine"),
    path("manage/", views.manage, name="manage"),
    path("new/", views.course_edit, name="course_new"),
    path("certificates/<str:code>/", views.verify, name="verify"),
    path("materials/<int:pk>/", views.material_download, name="material"),
    path("materials/<int:pk>/remove/", views.material_delete, name="material_remove"),
    path("<slug:slug>/", views.course_detail, name="course"),
    path("<slug:slug>/enroll/", views.enroll_view, name="enroll"),
    path("<slug:slug>/edit/", views.course_edit, name="course_edit"),
    path("<slug:slug>/learners/", views.learners, name="learners"),
    path("<slug:slug>/learners.csv", views.learners_csv, name="learners_csv"),
    path("<slug:slug>/certificate.pdf", views.certificate_download, name="certificate"),
    path("<slug:slug>/lessons/new/", views.lesson_edit, name="lesson_new"),
    path("<slug:slug>/lessons/<int:position>/", views.lesson_detail, name="lesson"),
    path("<slug:slug>/lessons/<int:position>/complete/", views.complete, name="complete"),
    path("<slug:slug>/lessons/<int:position>/edit/", views.lesson_edit, name="lesson_edit"),
    path("<slug:slug>/lessons/<int:position>/materials/", views.material_new, name="material_add"),
]
