"""The report-card dashboards: a round's results, one service in detail, the change
between two rounds and municipalities side by side. Server-rendered with SVG charts
(charts.py), usable without JavaScript; htmx only swaps the breakdown in place.

Who sees what follows the API exactly (results.view_results, selectors.results_min_cell):
a published round is public, with cells of fewer than 5 respondents blank; its managers
and assigned people see it at any status. Anonymous visitors of a published round get
its cached pages (`cache_public_page`): a published round takes no more interviews, and a
corrected population structure changes the public-content version. The change page is
not cached, since it also shows rounds published later.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from aimak.core.cache import cache_public_page
from aimak.surveys.models import Round, RoundStatus

from .compute import suppress, suppress_changes
from .dashboard_data import (
    INDICATORS,
    SectionChangeView,
    breakdown_from,
    breakdown_label,
    change_sections,
    comparison,
    dimension_choices,
    round_page_questions,
    round_sections,
    service_questions,
    trend,
)
from .selectors import (
    PUBLIC_MIN_CELL,
    available_dimensions,
    comparable_rounds,
    municipality_results_rounds,
    results_min_cell,
    round_change,
    round_results,
)


class _SignIn(Exception):
    """An anonymous visitor asked for results that are not public: offer to sign in."""


def _round(request: HttpRequest, pk: int) -> Round:
    """The round if `request.user` may read its results (results.view_results)."""
    round: Round = get_object_or_404(Round.objects.select_related("municipality", "version"), pk=pk)
    if not request.user.has_perm("results.view_results", round):
        if not request.user.is_authenticated:
            raise _SignIn
        raise PermissionDenied(_("The results of this round are not published."))
    return round


def _signing_in(view: Any) -> Any:
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except _SignIn:
            return redirect_to_login(request.get_full_path())

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _asked_min_cell(request: HttpRequest) -> int | None:
    raw = request.GET.get("min_cell", "")
    return min(int(raw), 1000) if raw.isdigit() else None


def period(round: Round) -> str:
    return f"{date_format(round.start_date, 'SHORT_DATE_FORMAT')} – {date_format(round.end_date, 'SHORT_DATE_FORMAT')}"


def month(round: Round) -> str:
    """A round's start as month.year, short enough for a column heading."""
    return f"{round.start_date:%m.%Y}"


def _common(request: HttpRequest, round: Round, min_cell: int) -> dict[str, Any]:
    """What every dashboard of a round shows around its figures."""
    people = request.user.has_perm("surveys.view_round", round)
    return {
        "round": round,
        "municipality": round.municipality,
        "period": period(round),
        "published": round.status == RoundStatus.PUBLISHED,
        "min_cell": min_cell,
        "public_min_cell": PUBLIC_MIN_CELL,
        "round_people": people,
        "asked_min_cell": _asked_min_cell(request),
        "language": (request.LANGUAGE_CODE or "ru")[:2],
    }


def _breakdown_context(request: HttpRequest, round: Round) -> dict[str, Any]:
    dimensions = available_dimensions(round=round)
    breakdown = breakdown_from(request.GET, dimensions)
    return {
        "breakdown": breakdown,
        "breakdown_label": breakdown_label(breakdown) if breakdown else "",
        "dimensions": dimension_choices(dimensions),
        "by": breakdown[0] if breakdown else "",
        "by2": breakdown[1] if len(breakdown) > 1 else "",
    }


def _render(request: HttpRequest, page: str, part: str, context: dict[str, Any]) -> HttpResponse:
    """The whole page, or only its figures when htmx asks (the breakdown switched)."""
    response = render(request, part if getattr(request, "htmx", False) else page, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_GET
@cache_public_page
@_signing_in
def round_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    """A round's results: per service the headline indices with intervals and warnings,
    the distribution, and a breakdown with unweighted counts beside weighted shares."""
    round = _round(request, pk)
    min_cell = results_min_cell(user=request.user, round=round, asked=_asked_min_cell(request))
    context = {**_common(request, round, min_cell), **_breakdown_context(request, round)}
    breakdown = context["breakdown"]
    computed = round_results(round=round, breakdowns=[breakdown] if breakdown else [])
    results = suppress(round_page_questions(computed), min_cell)
    context.update(
        {
            "results": results,
            "sections": round_sections(results, breakdown),
            "can_compare": round.status == RoundStatus.PUBLISHED
            and request.user.has_perm("results.compare"),
        }
    )
    return _render(
        request, "results/dashboard_round.html", "results/_dashboard_sections.html", context
    )


@require_GET
@cache_public_page
@_signing_in
def service_dashboard(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """One service of a round in detail: every question's distribution, don't know and
    refused, intervals, and the breakdown."""
    round = _round(request, pk)
    min_cell = results_min_cell(user=request.user, round=round, asked=_asked_min_cell(request))
    context = {**_common(request, round, min_cell), **_breakdown_context(request, round)}
    breakdown = context["breakdown"]
    results = suppress(
        round_results(round=round, breakdowns=[breakdown] if breakdown else []), min_cell
    )
    section = next((s for s in results.sections if s.slug == slug), None)
    if section is None:
        raise Http404(_("This round has no results for that service."))
    context.update(
        {
            "results": results,
            "section": section,
            "respondents": section.sizes[0].respondents if section.sizes else None,
            "questions": service_questions(section),
            # A finding becomes a recommendation of the municipality's action plan.
            "can_recommend": request.user.has_perm("plans.edit_plan", round.municipality),
        }
    )
    return _render(
        request, "results/dashboard_service.html", "results/_dashboard_questions.html", context
    )


@require_GET
@_signing_in
def change_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    """What changed since an earlier round of the same municipality, with Newcombe's
    intervals and whether each change is significant, and the trend over every round."""
    round = _round(request, pk)
    rounds = list(
        municipality_results_rounds(user=request.user, municipality=round.municipality_id)
    )
    earlier = [r for r in rounds if r.pk != round.pk and r.start_date <= round.start_date]
    earlier.reverse()  # the latest first: the default comparison
    chosen = None
    raw = request.GET.get("from", "")
    if raw.isdigit():
        chosen = next((r for r in earlier if r.pk == int(raw)), None)
        if chosen is None:
            raise Http404(_("That round cannot be compared with this one."))
    elif earlier:
        chosen = earlier[0]
    min_cell = results_min_cell(user=request.user, round=round, asked=_asked_min_cell(request))
    context = _common(request, round, min_cell)
    sections: list[SectionChangeView] = []
    if chosen is not None:
        threshold = max(
            min_cell,
            results_min_cell(user=request.user, round=chosen, asked=_asked_min_cell(request)),
        )
        changes = suppress_changes(round_change(round=round, previous=chosen), threshold)
        sections = change_sections(changes)
    # The trend of each service's satisfaction over every round the reader may see.
    over_time = [
        (
            period(r),
            suppress(
                round_results(round=r),
                results_min_cell(user=request.user, round=r, asked=_asked_min_cell(request)),
            ),
        )
        for r in rounds
    ]
    for view in sections:
        view.trend, view.trend_rows = trend(view.slug, view.label, over_time)
    if chosen is None and len(rounds) > 1:
        # Nothing earlier to compare with: each service's trend still helps.
        current = next(res for r, (_p, res) in zip(rounds, over_time, strict=True) if r == round)
        for s in current.sections:
            view = SectionChangeView(slug=s.slug, label=s.label, questions=[])
            view.trend, view.trend_rows = trend(s.slug, s.label, over_time)
            sections.append(view)
    context.update(
        {
            "chosen": chosen,
            "chosen_month": month(chosen) if chosen else "",
            "month": month(round),
            "choices": [(r.pk, period(r)) for r in earlier],
            "sections": sections,
            "rounds_count": len(rounds),
        }
    )
    return render(request, "results/dashboard_change.html", context)


@require_GET
@_signing_in
def compare_dashboard(request: HttpRequest) -> HttpResponse:
    """One index of one service side by side for every municipality's latest published
    round, with intervals, in alphabetical order (or by estimate, never as a ranking)."""
    if not request.user.is_authenticated:
        raise _SignIn
    if not request.user.has_perm("results.compare"):
        raise PermissionDenied(_("Comparing municipalities is for programme staff."))
    rounds = comparable_rounds(user=request.user)
    entries = [
        (
            r,
            period(r),
            suppress(round_results(round=r), results_min_cell(user=request.user, round=r)),
        )
        for r in rounds
    ]
    services: dict[str, str] = {}
    for _r, _p, results in entries:
        for s in results.sections:
            services.setdefault(s.slug, s.label)
    slug = request.GET.get("service", "")
    if slug not in services:
        slug = next(iter(services), "")
    indicator = request.GET.get("indicator", "satisfied")
    if indicator not in INDICATORS:
        indicator = "satisfied"
    by_estimate = request.GET.get("sort") == "estimate"
    context = {
        "services": sorted(services.items(), key=lambda item: item[1]),
        "service": slug,
        "service_label": services.get(slug, ""),
        "indicators": [(key, str(value[0])) for key, value in INDICATORS.items()],
        "indicator": indicator,
        "indicator_label": str(INDICATORS[indicator][0]),
        "by_estimate": by_estimate,
        "comparison": comparison(entries, slug=slug, indicator=indicator, by_estimate=by_estimate)
        if slug
        else None,
        "min_cell": PUBLIC_MIN_CELL,
    }
    return render(request, "results/dashboard_compare.html", context)
