from django.conf import settings


def site(request):
    return {"AIMAK_DEMO": settings.AIMAK_DEMO}
