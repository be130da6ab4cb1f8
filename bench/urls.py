"""The product's URLs plus /bench/ok, the floor a Django page cannot go below."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from aimak.urls import urlpatterns as product_urlpatterns


def ok(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/ok", ok), *product_urlpatterns]
