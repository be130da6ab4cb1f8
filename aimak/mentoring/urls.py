from django.urls import path

from . import views

app_name = "mentoring"
urlpatterns = [
    path("", views.index, name="index"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<int:pk>/withdraw/", views.request_withdraw_view, name="request_withdraw"),
    path("requests/<int:pk>/pair/", views.pair, name="pair"),
    path("offers/new/", views.offer_new, name="offer_new"),
    path("offers/<int:pk>/withdraw/", views.offer_withdraw_view, name="offer_withdraw"),
    path("pairings/", views.follow, name="follow"),
    path("pairings/<int:pk>/", views.pairing_detail, name="pairing"),
    path("pairings/<int:pk>/notes/", views.note_add, name="note_add"),
    path("pairings/<int:pk>/end/", views.pairing_end_view, name="pairing_end"),
]
