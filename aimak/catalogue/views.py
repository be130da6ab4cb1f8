from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aimak.core.cache import cache_public_page
from aimak.territories.models import MUNICIPAL_LEVELS, Territory

from .forms import ProvisionForm
from .models import ServiceProvision
from .selectors import provision_list, provision_municipalities, service_list
from .services import provision_end, provision_set


@require_GET
@cache_public_page
def service_catalogue(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "catalogue/list.html",
        {
            "services": service_list(),
            "my_municipalities": provision_municipalities(user=request.user)[:20]
            if request.user.is_authenticated
            else [],
        },
    )


def _municipality(code: str) -> Territory:
    return get_object_or_404(
        Territory.objects.select_related("parent"), code=code, level__in=MUNICIPAL_LEVELS
    )


@require_http_methods(["GET", "POST"])
@cache_public_page
def municipality_services(request: HttpRequest, code: str) -> HttpResponse:
    municipality = _municipality(code)
    can_edit = request.user.has_perm("catalogue.manage_provision", municipality)
    form = ProvisionForm(request.POST or None, services=service_list())
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("You may not change the services of this municipality."))
        if form.is_valid():
            try:
                provision_set(
                    municipality=municipality,
                    service=form.cleaned_data["service"],
                    provider_type=form.cleaned_data["provider_type"],
                    provider_name=form.cleaned_data["provider_name"],
                    note=form.cleaned_data["note"],
                    user=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("catalogue:municipality", code=municipality.code)
    return render(
        request,
        "catalogue/municipality.html",
        {
            "municipality": municipality,
            "provisions": provision_list(municipality=municipality),
            "ended": provision_list(municipality=municipality, include_ended=True).filter(
                ended_at__isnull=False
            )[:50],
            "can_edit": can_edit,
            "form": form,
        },
    )


@require_POST
def provision_end_view(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    municipality = _municipality(code)
    if not request.user.has_perm("catalogue.manage_provision", municipality):
        raise PermissionDenied(_("You may not change the services of this municipality."))
    provision = get_object_or_404(ServiceProvision, pk=pk, municipality=municipality)
    provision_end(provision=provision)
    messages.success(request, _("The record was ended; it stays in the history."))
    return redirect("catalogue:municipality", code=municipality.code)
