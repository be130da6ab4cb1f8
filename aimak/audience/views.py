"""Pages of audience monitoring and the portal indicators (thin views)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aimak.core.cache import cache_public_page
from aimak.core.ratelimit import rate_limited

from . import exports
from .forms import AnswerForm, ClientFilterForm, PeriodForm, QuestionForm, SurveyForm
from .models import FeedbackSurvey
from .selectors import (
    answered_survey_ids,
    audience_report,
    client_base,
    portal_indicators,
    question_in_survey,
    response_of,
    survey_admin_list,
    survey_get,
    survey_questions,
    survey_results,
    surveys_open_for,
)
from .services import question_add, question_remove, response_submit, survey_save

PAGE_SIZE = 50


def _require(request: HttpRequest, perm: str, message: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied(message)


def _dashboard_viewer(request: HttpRequest) -> None:
    _require(
        request,
        "audience.view_dashboard",
        _("This page is for the client-base administrator, the content administrator and "
          "programme managers."),
    )  # fmt: skip


def _clientbase_admin(request: HttpRequest) -> None:
    _require(
        request, "audience.view_client_base", _("This page is for the client-base administrator.")
    )


def _survey(pk: int) -> FeedbackSurvey:
    try:
        return survey_get(pk=pk)
    except FeedbackSurvey.DoesNotExist as exc:
        raise Http404(_("There is no such survey.")) from exc


def _refuse(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# --- portal indicators (public) -----------------------------------------------------------


@require_GET
@cache_public_page
def indicators(request: HttpRequest) -> HttpResponse:
    return render(request, "audience/indicators.html", {"data": portal_indicators()})


# --- surveys for users --------------------------------------------------------------------


@login_required
@require_GET
def surveys(request: HttpRequest) -> HttpResponse:
    open_surveys = list(surveys_open_for(user=request.user))
    answered = answered_survey_ids(user=request.user, surveys=open_surveys)
    return render(
        request,
        "audience/surveys.html",
        {"surveys": [(s, s.pk in answered) for s in open_surveys]},
    )


@login_required
@require_http_methods(["GET", "POST"])
@rate_limited("feedback")
def survey(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(pk)
    user: Any = request.user
    if not survey.is_open() and not user.has_perm("audience.manage_surveys"):
        raise Http404(_("There is no such survey, or it is not open."))
    questions = survey_questions(survey=survey)
    existing = response_of(survey=survey, user=user)
    form = AnswerForm(request.POST or None, questions=questions)
    if request.method == "POST":
        if not survey.is_for(user.audience_category):
            raise PermissionDenied(_("This survey is meant for other audience categories."))
        if form.is_valid():
            try:
                response_submit(
                    survey=survey, user=user, answers=form.answers(), language=get_language()
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("Thank you! Your answers are saved."))
                return redirect("audience:survey", pk=survey.pk)
    return render(
        request,
        "audience/survey.html",
        {
            "survey": survey,
            "form": form,
            "existing": existing,
            "meant_for_user": survey.is_for(user.audience_category),
        },
    )


# --- dashboard and client base ------------------------------------------------------------


def _period_form(request: HttpRequest) -> PeriodForm:
    form = PeriodForm(request.GET or None)
    form.is_valid()
    return form


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    _dashboard_viewer(request)
    form = _period_form(request)
    report = audience_report(period=form.period())
    return render(
        request,
        "audience/dashboard.html",
        {
            "form": form,
            "report": report,
            "query": request.GET.urlencode(),
            "may_export": request.user.has_perm("audience.view_client_base"),
        },
    )


def _download(content: str | bytes, filename: str, kind: str) -> HttpResponse:
    if kind == "csv":
        # A byte-order mark so that spreadsheets read the Cyrillic text as UTF-8.
        response = HttpResponse("\ufeff" + str(content), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{kind}"'
    return response


def _stamp() -> str:
    return timezone.localdate().isoformat()


@login_required
@require_GET
def dashboard_export(request: HttpRequest, kind: str) -> HttpResponse:
    _clientbase_admin(request)
    report = audience_report(period=_period_form(request).period())
    name = f"aimak-audience-{report.period.since}-{report.period.until}"
    if kind == "csv":
        rows = list(exports.category_rows(report))
        return _download(exports.to_csv(exports.category_header(report), rows), name, "csv")
    if kind == "xlsx":
        content = exports.to_xlsx(
            [
                (_("Categories"), exports.category_header(report), exports.category_rows(report)),
                (_("Needs"), exports.needs_header(), exports.needs_rows(report)),
            ],
            title=exports.period_title(report),
        )
        return _download(content, name, "xlsx")
    raise Http404


@login_required
@require_GET
def clients(request: HttpRequest) -> HttpResponse:
    _clientbase_admin(request)
    form = ClientFilterForm(request.GET or None)
    category, query = form.values()
    users = client_base(category=category, query=query)
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "audience/clients.html",
        {"form": form, "page": page, "params": params.urlencode()},
    )


@login_required
@require_GET
def clients_export(request: HttpRequest, kind: str) -> HttpResponse:
    _clientbase_admin(request)
    category, query = ClientFilterForm(request.GET or None).values()
    users = client_base(category=category, query=query)
    with_email = request.user.has_perm("audience.view_client_base")
    header = exports.client_header(with_email=with_email)
    name = f"aimak-clients-{_stamp()}"
    if kind == "csv":
        return _download(
            exports.to_csv(header, exports.client_rows(users, with_email=with_email)), name, "csv"
        )
    if kind == "xlsx":
        content = exports.to_xlsx(
            [(_("Client base"), header, exports.client_rows(users, with_email=with_email))]
        )
        return _download(content, name, "xlsx")
    raise Http404


# --- managing surveys ---------------------------------------------------------------------


def _manager(request: HttpRequest) -> None:
    _require(
        request, "audience.manage_surveys", _("Only the client-base administrator manages surveys.")
    )


@login_required
@require_GET
def survey_admin(request: HttpRequest) -> HttpResponse:
    _manager(request)
    return render(request, "audience/survey_admin.html", {"surveys": list(survey_admin_list())})


@login_required
@require_http_methods(["GET", "POST"])
def survey_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _manager(request)
    survey = _survey(pk) if pk is not None else None
    form = SurveyForm(request.POST or None, initial=SurveyForm.initial_for(survey))
    if request.method == "POST" and form.is_valid():
        try:
            saved = survey_save(by=request.user, data=form.to_data(), survey=survey)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The survey is saved."))
            return redirect("audience:survey_edit", pk=saved.pk)
    return render(
        request,
        "audience/survey_form.html",
        {
            "form": form,
            "survey": survey,
            "questions": survey_questions(survey=survey) if survey else [],
            "question_form": QuestionForm() if survey else None,
            "frozen": bool(survey and survey.responses.exists()),
        },
    )


@login_required
@require_POST
def question_new(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    survey = _survey(pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            question_add(
                survey=survey,
                by=request.user,
                kind=form.cleaned_data["kind"],
                role=form.cleaned_data["role"],
                label=form.labels(),
                choices=form.cleaned_data["choices"],
                required=form.cleaned_data["required"],
            )
        except ValidationError as exc:
            _refuse(request, exc)
        else:
            messages.success(request, _("The question is added."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("audience:survey_edit", pk=survey.pk)


@login_required
@require_POST
def question_delete(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    _manager(request)
    survey = _survey(pk)
    question = question_in_survey(survey=survey, pk=question_pk)
    if question is None:
        raise Http404(_("There is no such question in this survey."))
    try:
        question_remove(question=question, by=request.user)
    except ValidationError as exc:
        _refuse(request, exc)
    else:
        messages.success(request, _("The question is removed."))
    return redirect("audience:survey_edit", pk=survey.pk)


@login_required
@require_GET
def survey_report(request: HttpRequest, pk: int) -> HttpResponse:
    _dashboard_viewer(request)
    survey = _survey(pk)
    return render(
        request,
        "audience/survey_results.html",
        {"survey": survey, "results": survey_results(survey=survey)},
    )
