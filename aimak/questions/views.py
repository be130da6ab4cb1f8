"""Pages of questions and consultations (thin views)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aimak.core.cache import cache_public_page
from aimak.core.ratelimit import rate_limited

from .forms import AnswerForm, AskForm, RatingForm, RouteForm, RuleForm, SearchForm, TemplateForm
from .models import Answer, AnswerTemplate, Question, RoutingRule
from .selectors import (
    admin_queue,
    answer_templates,
    breaches,
    expert_queue,
    my_questions,
    public_questions,
    question_answers,
    question_clock,
    question_get,
    response_share_by_month,
    routing_rules,
)
from .services import (
    answer_add,
    answer_publish,
    may_answer,
    question_ask,
    question_close,
    question_rate,
    question_route,
    rule_save,
    rule_set_active,
    template_save,
    template_text,
)

PAGE_SIZE = 20


def _refuse(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _question(request: HttpRequest, pk: int) -> Question:
    """The question if the user may see it; 404 otherwise (a private one stays invisible)."""
    try:
        return question_get(pk=pk, user=request.user)
    except Question.DoesNotExist as exc:
        raise Http404(_("There is no such question, or it is not public.")) from exc


def _require(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied(_("This page is for the content administrator."))


def _with_clocks(questions: Any) -> list[Question]:
    now = timezone.now()
    rows = list(questions)
    for q in rows:
        q.clock = question_clock(q, now=now)  # type: ignore[attr-defined]
    return rows


# --- public -------------------------------------------------------------------------------


@require_GET
@cache_public_page
def index(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    query, theme = "", None
    if form.is_valid():
        query, theme = form.cleaned_data["q"] or "", form.cleaned_data["theme"]
    page = Paginator(public_questions(query=query, theme=theme), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "questions/index.html",
        {"form": form, "query": query, "page": page, "params": params.urlencode()},
    )


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    user = request.user
    answerer = may_answer(user=user, question=question)
    manager = user.has_perm("questions.manage")
    answer_form = None
    templates: list[AnswerTemplate] = []
    if answerer:
        initial: dict[str, Any] = {}
        templates = list(answer_templates())
        chosen = request.GET.get("template", "")
        if chosen.isdigit():
            template = next((t for t in templates if t.pk == int(chosen)), None)
            if template is not None:
                initial["body"] = template_text(template=template, language=question.language)
        answer_form = AnswerForm(initial={"publish": True, **initial})
    rating_form = None
    if user.has_perm("questions.rate", question):
        rating_form = RatingForm(
            initial={"rating": question.rating, "comment": question.rating_comment}
        )
    return render(
        request,
        "questions/detail.html",
        {
            "question": question,
            "clock": question_clock(question),
            "answers": list(question_answers(question=question, include_drafts=answerer)),
            "answer_form": answer_form,
            "templates": templates,
            "rating_form": rating_form,
            "route_form": RouteForm() if manager and question.status != "closed" else None,
            "may_close": user.has_perm("questions.close", question) and question.status != "closed",
            "manager": manager,
            "is_asker": question.author_id == user.pk,
        },
    )


# --- asking -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@rate_limited("question")
def ask(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("questions.ask"):
        raise PermissionDenied(_("Sign in to ask a question."))
    language = getattr(request, "LANGUAGE_CODE", "ru")
    form = AskForm(request.POST or None, initial={"language": language})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            question = question_ask(
                author=request.user,
                theme=data["theme"],
                title=data["title"],
                body=data["body"],
                municipality=data["municipality"],
                visibility=data["visibility"],
                language=data["language"],
            )
        except ValidationError as exc:
            _refuse(request, exc)
        else:
            messages.success(
                request,
                _("Your question is received. The first answer is due within 24 hours."),
            )
            return redirect(question.get_absolute_url())
    return render(request, "questions/ask.html", {"form": form})


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    return render(
        request, "questions/mine.html", {"questions": _with_clocks(my_questions(user=request.user))}
    )


# --- answering, rating, routing -----------------------------------------------------------


@login_required
@require_POST
@rate_limited("answer")
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    if not may_answer(user=request.user, question=question):
        raise PermissionDenied(
            _("This question is routed to another expert; only they or the content "
              "administrator may answer it.")
        )  # fmt: skip
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            answer_add(
                question=question,
                by=request.user,
                body=form.cleaned_data["body"],
                published=form.cleaned_data["publish"],
            )
        except ValidationError as exc:
            _refuse(request, exc)
        else:
            if form.cleaned_data["publish"]:
                messages.success(request, _("The answer is published."))
            else:
                messages.success(request, _("The draft answer is saved."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect(question.get_absolute_url())


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    answer_obj = Answer.objects.select_related("question").filter(pk=pk).first()
    if answer_obj is None:
        raise Http404(_("There is no such answer."))
    question = _question(request, answer_obj.question_id)
    answer_publish(answer=answer_obj, by=request.user)
    messages.success(request, _("The answer is published."))
    return redirect(question.get_absolute_url())


@login_required
@require_POST
@rate_limited("vote")
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    if question.author_id != request.user.pk:
        raise PermissionDenied(_("Only the person who asked may rate the answer."))
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            question_rate(
                question=question,
                by=request.user,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            _refuse(request, exc)
        else:
            messages.success(request, _("Thank you: your rating is saved."))
    else:
        messages.error(request, _("Choose a rating from 1 to 5."))
    return redirect(question.get_absolute_url())


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    question_close(question=question, by=request.user)
    messages.success(request, _("The question is closed."))
    return redirect(question.get_absolute_url())


@login_required
@require_POST
def route(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "questions.manage")
    question = _question(request, pk)
    form = RouteForm(request.POST)
    if form.is_valid():
        expert, body = form.cleaned_data["target"]
        try:
            question_route(question=question, by=request.user, expert=expert, body=body)
        except ValidationError as exc:
            _refuse(request, exc)
        else:
            messages.success(request, _("The question is routed."))
    else:
        messages.error(request, _("Choose an expert or a state body from the list."))
    return redirect(question.get_absolute_url())


# --- queues and reports -------------------------------------------------------------------


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    _require(request, "questions.manage")
    groups = admin_queue()
    now = timezone.now()
    for rows in groups.values():
        for q in rows:
            q.clock = question_clock(q, now=now)  # type: ignore[attr-defined]
    return render(request, "questions/queue.html", {"groups": groups})


@login_required
@require_GET
def expert(request: HttpRequest) -> HttpResponse:
    questions = _with_clocks(expert_queue(user=request.user))
    return render(
        request,
        "questions/expert.html",
        {"questions": questions, "is_expert": hasattr(request.user, "expert_profile")},
    )


@login_required
@require_GET
def breaches_page(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("questions.view_report"):
        raise PermissionDenied(_("This page is for the content administrator."))
    page = Paginator(breaches(), 50).get_page(request.GET.get("page"))
    page.object_list = _with_clocks(page.object_list)  # type: ignore[assignment]
    return render(request, "questions/breaches.html", {"page": page})


@login_required
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("questions.view_report"):
        raise PermissionDenied(_("This page is for the content administrator."))
    return render(request, "questions/report.html", {"months": response_share_by_month()})


# --- rules and templates ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def rules(request: HttpRequest) -> HttpResponse:
    _require(request, "questions.manage")
    form = RuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        expert_obj, body = form.cleaned_data["target"]
        try:
            rule_save(
                by=request.user, theme=form.cleaned_data["theme"], expert=expert_obj, body=body
            )
        except ValidationError as exc:
            _refuse(request, exc)
        else:
            messages.success(request, _("The routing rule is saved."))
            return redirect("questions:rules")
    return render(request, "questions/rules.html", {"form": form, "rules": list(routing_rules())})


@login_required
@require_POST
def rule_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "questions.manage")
    rule = RoutingRule.objects.filter(pk=pk).first()
    if rule is None:
        raise Http404(_("There is no such rule."))
    rule_set_active(by=request.user, rule=rule, active=not rule.active)
    messages.success(request, _("The routing rule is saved."))
    return redirect("questions:rules")


@login_required
@require_GET
def templates(request: HttpRequest) -> HttpResponse:
    _require(request, "questions.manage")
    return render(
        request,
        "questions/templates.html",
        {"templates": list(answer_templates(active_only=False))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require(request, "questions.manage")
    template = None
    if pk is not None:
        template = AnswerTemplate.objects.filter(pk=pk).first()
        if template is None:
            raise Http404(_("There is no such template."))
    if request.method == "POST":
        form = TemplateForm(request.POST)
        if form.is_valid():
            try:
                template_save(
                    by=request.user,
                    title=form.texts("title"),
                    body=form.texts("body"),
                    theme=form.cleaned_data["theme"],
                    active=form.cleaned_data["active"],
                    template=template,
                )
            except ValidationError as exc:
                _refuse(request, exc)
            else:
                messages.success(request, _("The answer template is saved."))
                return redirect("questions:templates")
    else:
        initial: dict[str, Any] = {"active": True}
        if template is not None:
            initial = {"theme": template.theme, "active": template.active}
            for lang in ("ky", "ru", "en"):
                initial[f"title_{lang}"] = getattr(template, f"title_{lang}") or ""
                initial[f"body_{lang}"] = getattr(template, f"body_{lang}") or ""
        form = TemplateForm(initial=initial)
    return render(request, "questions/template_form.html", {"form": form, "template": template})
