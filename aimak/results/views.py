"""Pages of the results app: the population structure that weights a municipality's rounds."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from aimak.territories.models import MUNICIPAL_LEVELS, Territory

from .forms import PopulationStructureForm
from .selectors import population_structure_list
from .services import population_structure_set


@login_required
@require_http_methods(["GET", "POST"])
def population_structure(request: HttpRequest, code: str) -> HttpResponse:
    municipality = get_object_or_404(Territory, code=code, level__in=MUNICIPAL_LEVELS)
    if not request.user.has_perm("surveys.manage_rounds", municipality):
        raise PermissionDenied(_("You may not change the population of this municipality."))
    structures = list(population_structure_list(municipality=municipality))
    shown = structures[0] if structures else None
    year = request.GET.get("year", "")
    if year.isdigit():
        shown = next((s for s in structures if s.year == int(year)), shown)
    form = PopulationStructureForm(
        request.POST or None, initial=PopulationStructureForm.initial_from(shown)
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = population_structure_set(
                municipality=municipality,
                year=form.cleaned_data["year"],
                source=form.cleaned_data["source"],
                cells=form.cells(),
                user=request.user,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("Population by sex and age group for %(year)s saved.") % {"year": saved.year},
            )
            return redirect("results:population", code=municipality.code)
    return render(
        request,
        "results/population.html",
        {
            "municipality": municipality,
            "form": form,
            "structures": structures,
            "shown": shown,
            "latest": structures[0] if structures else None,
        },
    )
