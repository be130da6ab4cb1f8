from django.urls import path

from . import collect_urls, import_urls, round_views, views

app_name = "surveys"
urlpatterns = [
    path("", views.index, name="index"),
    path("municipality/<str:code>/", views.municipality_list, name="municipality"),
    path("municipality/<str:code>/new/", views.create_from_templates, name="create"),
    path("municipality/<str:code>/import/", views.import_xlsform, name="import"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/draft/", views.new_draft, name="new_draft"),
    path("<int:pk>/v<int:number>/", views.preview, name="preview"),
    path("<int:pk>/v<int:number>/xlsform/", views.export, name="export"),
    path("<int:pk>/v<int:number>/edit/", views.edit, name="edit"),
    path("<int:pk>/v<int:number>/edit/title/", views.title_update, name="title"),
    path("<int:pk>/v<int:number>/edit/item/<str:name>/", views.item_update, name="item_update"),
    path(
        "<int:pk>/v<int:number>/edit/item/<str:name>/move/", views.item_move_view, name="item_move"
    ),
    path(
        "<int:pk>/v<int:number>/edit/item/<str:name>/remove/",
        views.item_remove_view,
        name="item_remove",
    ),
    path("<int:pk>/v<int:number>/edit/question/", views.question_add_view, name="question_add"),
    path("<int:pk>/v<int:number>/edit/group/", views.group_add_view, name="group_add"),
    path(
        "<int:pk>/v<int:number>/edit/list/<str:list_name>/", views.list_update, name="list_update"
    ),
    path("<int:pk>/v<int:number>/publish/", views.publish, name="publish"),
]

urlpatterns += [
    path("municipality/<str:code>/rounds/", round_views.round_list_view, name="rounds"),
    path(
        "municipality/<str:code>/rounds/new/",
        round_views.round_create_view,
        name="round_create",
    ),
    path("rounds/<int:pk>/", round_views.round_detail, name="round"),
    path("rounds/<int:pk>/edit/", round_views.round_edit_view, name="round_edit"),
    path("rounds/<int:pk>/advance/", round_views.round_advance_view, name="round_advance"),
    path("rounds/<int:pk>/plan/", round_views.plan_view, name="plan"),
    path("rounds/<int:pk>/plan/preview/", round_views.plan_preview, name="plan_preview"),
    path("rounds/<int:pk>/plan/villages/", round_views.plan_villages_view, name="plan_villages"),
    path("rounds/<int:pk>/plan/assign/", round_views.plan_assign_view, name="plan_assign"),
    path(
        "rounds/<int:pk>/route/<str:username>/",
        round_views.route_sheet_view,
        name="route_sheet",
    ),
]

urlpatterns += collect_urls.urlpatterns + import_urls.urlpatterns
