from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from aimak.core.cache import cache_public_page
from aimak.core.http import HtmxHttpRequest

from .forms import PopulationForm
from .models import Level, Territory
from .selectors import (
    territory_ancestors,
    territory_changes,
    territory_children,
    territory_get,
    territory_search,
)
from .services import territory_population_set


@require_GET
@cache_public_page
def browse(request: HttpRequest) -> HttpResponse:
    """The country: regions and cities of republican status."""
    return render(
        request,
        "territories/browse.html",
        {
            "units": territory_children(parent=None),
            "levels": Level.choices,
        },
    )


def _unit_or_404(code: str) -> Territory:
    try:
        return territory_get(code=code)
    except Territory.DoesNotExist as exc:
        raise Http404(_("No territorial unit has the code %(code)s.") % {"code": code}) from exc


@require_GET
@cache_public_page
def detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = _unit_or_404(code)
    children = Paginator(territory_children(parent=unit), 200).get_page(request.GET.get("page"))
    return render(
        request,
        "territories/detail.html",
        {
            "unit": unit,
            "ancestors": territory_ancestors(territory=unit),
            "children": children,
            "predecessors": unit.predecessors.order_by("code"),
            "changes": territory_changes(territory=unit)[:50],
            "can_set_population": request.user.has_perm("territories.set_population", unit),
        },
    )


@require_GET
@cache_public_page
def search(request: HtmxHttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    level = request.GET.get("level") or None
    if level not in Level.values:
        level = None
    results = territory_search(query=query, level=level) if query else []
    # htmx asks for the results alone, except when it restores a page from its history.
    partial = request.htmx and not request.htmx.history_restore_request
    template = "territories/_results.html" if partial else "territories/search.html"
    response = render(
        request,
        template,
        {
            "query": query,
            "level": level,
            "levels": Level.choices,
            "results": results,
        },
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_http_methods(["GET", "POST"])
def population_edit(request: HttpRequest, code: str) -> HttpResponse:
    unit = _unit_or_404(code)
    if not request.user.has_perm("territories.set_population", unit):
        raise PermissionDenied(_("You may not change the population of this unit."))
    initial = {
        "population": unit.population,
        "year": unit.population_year,
        "source": unit.population_source,
    }
    form = PopulationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        territory_population_set(
            territory=unit,
            population=form.cleaned_data["population"],
            year=form.cleaned_data["year"],
            source=form.cleaned_data["source"],
        )
        messages.success(request, _("Population saved."))
        return redirect("territories:detail", code=unit.code)
    return render(request, "territories/population_form.html", {"unit": unit, "form": form})
