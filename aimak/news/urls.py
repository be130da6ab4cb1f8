from django.urls import path

from . import views
from .feeds import NewsAtomFeed, NewsRssFeed

app_name = "news"
urlpatterns = [
    path("", views.index, name="index"),
    path("feed/rss/", NewsRssFeed(), name="rss"),
    path("feed/atom/", NewsAtomFeed(), name="atom"),
    path("category/<slug:slug>/", views.category, name="category"),
    path("tag/<slug:slug>/", views.tag, name="tag"),
    path("magazine/", views.magazine, name="magazine"),
    path("magazine/<int:number>/", views.issue, name="issue"),
    path("files/<path:name>", views.file, name="file"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.article_new, name="new"),
    path("manage/log/", views.log, name="log"),
    path("manage/issues/new/", views.issue_new, name="issue_new"),
    path("manage/issues/<int:pk>/", views.issue_edit, name="issue_edit"),
    path("manage/<int:pk>/", views.article_edit, name="edit"),
    path("manage/<int:pk>/status/", views.article_status, name="status"),
    path("manage/<int:pk>/preview/", views.article_preview, name="preview"),
    path("manage/<int:pk>/history/", views.article_history, name="history"),
    path("<slug:slug>/", views.detail, name="detail"),
]
