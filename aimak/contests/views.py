"""Pages of contests (thin: parse, check, call a service or selector, render)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aimak.core.ratelimit import rate_limited

from . import selectors, services
from .forms import (
    ApplicationForm,
    CodeForm,
    ContestForm,
    CriterionForm,
    DeclarationForm,
    FieldForm,
    FlagDecisionForm,
    IssueCodesForm,
    NewApplicationForm,
    RejectForm,
    ScoreForm,
    VerifyUserForm,
)
from .models import Application, AppStatus, Contest, ContestField, Criterion, Stage, VoteFlag
from .protocol import protocol_xlsx

LANGS = ("ky", "ru", "en")


def _refuse(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _contest(request: HttpRequest, slug: str) -> Contest:
    try:
        return selectors.contest_get(slug=slug, user=request.user)
    except Contest.DoesNotExist as exc:
        raise Http404(_("There is no such contest.")) from exc


def _admin(request: HttpRequest) -> None:
    if not request.user.has_perm("contests.manage"):
        raise PermissionDenied(_("This page is for the content administrator."))


def _application(request: HttpRequest, pk: int) -> Application:
    application = get_object_or_404(
        Application.objects.select_related("contest", "municipality", "submitted_by"), pk=pk
    )
    if not request.user.has_perm("contests.view_application", application):
        raise PermissionDenied(
            _("This application is a draft of another municipality; only its staff can see it.")
        )
    return application


def _ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")


# --- public ------------------------------------------------------------------------------


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    contests = list(selectors.contests_visible(user=request.user))
    return render(request, "contests/index.html", {"contests": contests})


@require_GET
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    contest = _contest(request, slug)
    stage = contest.stage
    applications = list(selectors.registered_applications(contest=contest))
    counts = selectors.vote_counts(contest=contest)
    for application in applications:
        application.vote_count = counts.get(application.pk, 0)  # type: ignore[attr-defined]
    user = request.user
    context = {
        "contest": contest,
        "stage": stage,
        "applications": applications,
        "total_votes": sum(counts.values()),
        "my_vote": selectors.user_vote(contest=contest, user=user),
        "verified": selectors.is_verified(user=user),
        "mine": list(selectors.my_applications(contest=contest, user=user)),
        "may_apply": stage == Stage.CALL
        and bool(selectors.municipalities_for_application(user=user)),
        "member": selectors.jury_member(contest=contest, user=user),
        "is_admin": user.has_perm("contests.manage"),
        "fields": list(contest.fields.all()),
        "criteria": list(contest.criteria.all()),
    }
    return render(request, "contests/detail.html", context)


@require_GET
def regulations(request: HttpRequest, slug: str) -> FileResponse:
    contest = _contest(request, slug)
    if not contest.regulations:
        raise Http404(_("There is no such contest."))
    return FileResponse(
        contest.regulations.open("rb"),
        as_attachment=False,
        filename=f"{contest.slug}-regulations.{contest.regulations_kind}",
    )


@require_POST
@login_required
@rate_limited("vote")
def vote(request: HttpRequest, slug: str) -> HttpResponse:
    contest = _contest(request, slug)
    try:
        application = contest.applications.get(pk=int(request.POST.get("application", "0")))
    except (Application.DoesNotExist, ValueError):
        messages.error(
            request, _("You can vote only for a registered application of this contest.")
        )
        return redirect(contest.get_absolute_url())
    try:
        services.vote_cast(
            contest=contest, application=application, voter=request.user, ip=_ip(request)
        )
    except ValidationError as exc:
        _refuse(request, exc)
    else:
        messages.success(request, _("Thank you, your vote is counted."))
    return redirect(contest.get_absolute_url() + "#applications")


@require_http_methods(["GET", "POST"])
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.verification_redeem(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc)
        else:
            messages.success(request, _("You are verified and can vote in contests."))
            target = request.GET.get("next") or ""
            if target.startswith("/") and not target.startswith("//"):
                return redirect(target)
            return redirect("contests:index")
    return render(
        request,
        "contests/verify.html",
        {"form": form, "verified": selectors.is_verified(user=request.user)},
    )


@require_GET
def results(request: HttpRequest, slug: str) -> HttpResponse:
    contest = _contest(request, slug)
    is_admin = request.user.has_perm("contests.manage")
    if contest.stage != Stage.RESULTS and not is_admin:
        raise Http404(_("The results of this contest are not published yet."))
    criteria, rows = selectors.contest_results(contest=contest)
    return render(
        request,
        "contests/results.html",
        {"contest": contest, "criteria": criteria, "rows": rows, "is_admin": is_admin,
         "stage": contest.stage, "annulled": selectors.annulled_votes(contest=contest),
         "jury": list(contest.jury.select_related("user"))},
    )  # fmt: skip


@require_GET
def protocol(request: HttpRequest, slug: str) -> HttpResponse:
    contest = _contest(request, slug)
    if contest.stage != Stage.RESULTS and not request.user.has_perm("contests.manage"):
        raise Http404(_("The results of this contest are not published yet."))
    response = HttpResponse(
        protocol_xlsx(contest=contest),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{contest.slug}-protocol.xlsx"'
    return response


# --- applications ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
@rate_limited("application")
def apply(request: HttpRequest, slug: str) -> HttpResponse:
    contest = _contest(request, slug)
    municipalities = selectors.municipalities_for_application(user=request.user)
    if not municipalities:
        raise PermissionDenied(_("Only the municipality's staff may apply on its behalf."))
    form = NewApplicationForm(request.POST or None, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(
                contest=contest, municipality=form.cleaned_data["municipality"],
                by=request.user, title=form.cleaned_data["title"],
            )  # fmt: skip
        except ValidationError as exc:
            _refuse(request, exc)
        else:
            messages.success(request, _("The draft is saved. Fill in the form and submit it."))
            return redirect("contests:application_edit", application.pk)
    return render(request, "contests/apply.html", {"contest": contest, "form": form})


@require_GET
def application(request: HttpRequest, pk: int) -> HttpResponse:
    app = _application(request, pk)
    contest = app.contest
    files = {f.field_id: f for f in app.files.all()}
    answers = [
        (item, app.answers.get(str(item.pk)), files.get(item.pk)) for item in contest.fields.all()
    ]
    may_edit = (
        app.status == AppStatus.DRAFT
        and contest.stage == Stage.CALL
        and request.user.has_perm("contests.apply", app.municipality)
    )
    return render(
        request,
        "contests/application.html",
        {"application": app, "contest": contest, "answers": answers, "may_edit": may_edit,
         "may_open_files": _may_open_files(request, app),
         "is_admin": request.user.has_perm("contests.manage"),
         "missing": services.missing_answers(app) if may_edit else [],
         "reject_form": RejectForm()},
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@login_required
@rate_limited("application")
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    app = _application(request, pk)
    if not request.user.has_perm("contests.apply", app.municipality):
        raise PermissionDenied(
            _("Only the staff of the applicant municipality may change this application.")
        )
    form = ApplicationForm(request.POST or None, request.FILES or None, application=app)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_update(
                application=app, by=request.user, title=form.cleaned_data["title"],
                answers=form.answers(), files=form.uploads(),
            )  # fmt: skip
        except ValidationError as exc:
            _refuse(request, exc)
        else:
            messages.success(request, _("The application is saved."))
            return redirect(app.get_absolute_url())
    return render(request, "contests/application_form.html", {"application": app, "form": form})


@require_POST
@login_required
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    app = _application(request, pk)
    try:
        services.application_submit(application=app, by=request.user)
    except ValidationError as exc:
        _refuse(request, exc)
    else:
        messages.success(request, _("The application is submitted to the secretary."))
    return redirect(app.get_absolute_url())


def _may_open_files(request: HttpRequest, app: Application) -> bool:
    user = request.user
    return bool(
        user.has_perm("contests.manage")
        or user.has_perm("contests.apply", app.municipality)
        or selectors.jury_member(contest=app.contest, user=user)
    )


@require_GET
def application_file(request: HttpRequest, pk: int, file_id: int) -> FileResponse:
    app = _application(request, pk)
    if not _may_open_files(request, app):
        raise PermissionDenied(
            _("Attachments are open to the municipality, the secretary and the jury.")
        )
    stored = get_object_or_404(app.files, pk=file_id)
    return FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.name)


# --- the secretary -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def contest_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    _admin(request)
    contest = _contest(request, slug) if slug else None
    initial = ContestForm.initial_for(contest) if contest else None
    form = ContestForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contest = services.contest_save(
                by=request.user,
                contest=contest,
                data=services.ContestData(
                    title={lang: data[f"title_{lang}"] for lang in LANGS},
                    description={lang: data[f"description_{lang}"] for lang in LANGS},
                    call_opens=data["call_opens"], call_closes=data["call_closes"],
                    voting_opens=data["voting_opens"], voting_closes=data["voting_closes"],
                    theme=data["theme"], announcement_url=data["announcement_url"],
                    regulations=data["regulations"],
                ),
            )  # fmt: skip
        except ValidationError as exc:
            _refuse(request, exc)
        else:
            messages.success(request, _("The contest is saved."))
            return redirect("contests:form", contest.slug)
    return render(request, "contests/contest_form.html", {"contest": contest, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def form_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """The application form's questions and the jury's criteria."""
    _admin(request)
    contest = _contest(request, slug)
    field_form = FieldForm(request.POST if request.POST.get("add") == "field" else None)
    criterion_form = CriterionForm(request.POST if request.POST.get("add") == "criterion" else None)
    if request.method == "POST":
        try:
            if request.POST.get("remove_field"):
                item = get_object_or_404(
                    ContestField, contest=contest, pk=request.POST["remove_field"]
                )
                services.field_remove(item=item, by=request.user)
                return redirect("contests:form", slug)
            if request.POST.get("remove_criterion"):
                crit = get_object_or_404(
                    Criterion, contest=contest, pk=request.POST["remove_criterion"]
                )
                services.criterion_remove(item=crit, by=request.user)
                return redirect("contests:form", slug)
            if request.POST.get("add") == "field" and field_form.is_valid():
                d = field_form.cleaned_data
                services.field_add(
                    contest=contest, by=request.user,
                    label={lang: d[f"label_{lang}"] for lang in LANGS}, kind=d["kind"],
                    required=d["required"], choices=d["choices"].splitlines(),
                    help={lang: d[f"help_{lang}"] for lang in LANGS},
                )  # fmt: skip
                messages.success(request, _("The question is added."))
                return redirect("contests:form", slug)
            if request.POST.get("add") == "criterion" and criterion_form.is_valid():
                d = criterion_form.cleaned_data
                services.criterion_add(
                    contest=contest, by=request.user,
                    name={lang: d[f"name_{lang}"] for lang in LANGS},
                    max_score=d["max_score"], weight=d["weight"],
                )  # fmt: skip
                messages.success(request, _("The criterion is added."))
                return redirect("contests:form", slug)
        except ValidationError as exc:
            _refuse(request, exc)
    return render(
        request,
        "contests/form_edit.html",
        {"contest": contest, "fields": list(contest.fields.all()),
         "criteria": list(contest.criteria.all()), "field_form": field_form,
         "criterion_form": criterion_form},
    )  # fmt: skip


@require_POST
@login_required
def announce(request: HttpRequest, slug: str) -> HttpResponse:
    _admin(request)
    contest = _contest(request, slug)
    try:
        services.contest_announce(contest=contest, by=request.user)
    except ValidationError as exc:
        _refuse(request, exc)
        return redirect("contests:form", slug)
    messages.success(request, _("The contest is announced; municipalities have been told."))
    return redirect(contest.get_absolute_url())


@require_GET
@login_required
def applications(request: HttpRequest, slug: str) -> HttpResponse:
    _admin(request)
    contest = _contest(request, slug)
    items = contest.applications.exclude(status=AppStatus.DRAFT).select_related(
        "municipality", "submitted_by"
    )
    drafts = contest.applications.filter(status=AppStatus.DRAFT).count()
    return render(
        request,
        "contests/applications.html",
        {"contest": contest, "items": items, "drafts": drafts},
    )


@require_POST
@login_required
def application_decide(request: HttpRequest, pk: int) -> HttpResponse:
    _admin(request)
    app = _application(request, pk)
    try:
        if request.POST.get("decision") == "register":
            app = services.application_register(application=app, by=request.user)
            messages.success(
                request,
                _("Registered under number %(number)s.") % {"number": app.registration_number},
            )
        else:
            services.application_reject(
                application=app, by=request.user, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("The application is rejected."))
    except ValidationError as exc:
        _refuse(request, exc)
    return redirect(app.get_absolute_url())


@require_http_methods(["GET", "POST"])
@login_required
def jury(request: HttpRequest, slug: str) -> HttpResponse:
    _admin(request)
    contest = _contest(request, slug)
    if request.method == "POST":
        try:
            if request.POST.get("remove"):
                member = get_object_or_404(contest.jury, pk=request.POST["remove"])
                services.jury_remove(member=member, by=request.user)
            else:
                user = get_object_or_404(get_user_model(), pk=request.POST.get("user") or 0)
                services.jury_add(contest=contest, user=user, by=request.user)
                messages.success(request, _("The expert is on the jury."))
        except ValidationError as exc:
            _refuse(request, exc)
        return redirect("contests:jury", slug)
    apps, progress = selectors.jury_progress(contest=contest)
    sitting = {p.member.user_id for p in progress}
    candidates = [u for u in selectors.jury_candidates() if u.pk not in sitting]
    return render(
        request,
        "contests/jury.html",
        {"contest": contest, "apps": apps, "progress": progress, "candidates": candidates},
    )


@require_http_methods(["GET", "POST"])
@login_required
def voters(request: HttpRequest) -> HttpResponse:
    """Verify voters by hand, or issue one-time codes to print for an event."""
    _admin(request)
    codes: list[str] = []
    verify_form = VerifyUserForm(request.POST if request.POST.get("action") == "verify" else None)
    codes_form = IssueCodesForm(request.POST if request.POST.get("action") == "codes" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "verify" and verify_form.is_valid():
                who = verify_form.cleaned_data["who"].strip()
                user = (
                    get_user_model()
                    .objects.filter(Q(username__iexact=who) | Q(email__iexact=who))
                    .first()
                )
                if user is None:
                    verify_form.add_error("who", _("There is no user with this name or e-mail."))
                else:
                    services.verification_grant(user=user, by=request.user)
                    messages.success(
                        request,
                        _("%(name)s can vote now.") % {"name": user.full_name or user.username},
                    )
                    return redirect("contests:voters")
            if request.POST.get("action") == "codes" and codes_form.is_valid():
                codes = services.verification_codes_issue(
                    by=request.user,
                    count=codes_form.cleaned_data["count"],
                    label=codes_form.cleaned_data["label"],
                )
        except ValidationError as exc:
            _refuse(request, exc)
    from .models import VerificationCode, VoterVerification

    return render(
        request,
        "contests/voters.html",
        {"verify_form": verify_form, "codes_form": codes_form, "codes": codes,
         "label": codes_form.cleaned_data.get("label", "") if codes else "",
         "verified": VoterVerification.objects.count(),
         "unused": VerificationCode.objects.filter(used_by__isnull=True).count()},
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@login_required
def flags(request: HttpRequest, slug: str) -> HttpResponse:
    _admin(request)
    contest = _contest(request, slug)
    if request.method == "POST":
        flag = get_object_or_404(VoteFlag, contest=contest, pk=request.POST.get("flag") or 0)
        form = FlagDecisionForm(request.POST)
        if form.is_valid():
            try:
                services.flag_decide(flag=flag, by=request.user,
                                     annul=form.cleaned_data["decision"] == "annul",
                                     note=form.cleaned_data["note"])  # fmt: skip
                messages.success(request, _("The decision is recorded."))
            except ValidationError as exc:
                _refuse(request, exc)
        else:
            messages.error(request, _("Choose whether to annul or keep the votes."))
        return redirect("contests:flags", slug)
    return render(
        request,
        "contests/flags.html",
        {
            "contest": contest,
            "flags": [
                (f, FlagDecisionForm(auto_id=f"id_flag{f.pk}_%s"))
                for f in selectors.flag_list(contest=contest)
            ],
        },
    )


@require_POST
@login_required
def winners(request: HttpRequest, slug: str) -> HttpResponse:
    _admin(request)
    contest = _contest(request, slug)
    awards = []
    for application in selectors.registered_applications(contest=contest):
        place = request.POST.get(f"place_{application.pk}") or ""
        mention = request.POST.get(f"mention_{application.pk}") == "on"
        if place or mention:
            try:
                number = int(place) if place else None
            except ValueError:
                number = 0
            awards.append(
                services.Award(application_id=application.pk, place=number, mention=mention)
            )
    try:
        services.winners_set(contest=contest, by=request.user, awards=awards)
        if request.POST.get("publish"):
            services.results_publish(contest=contest, by=request.user)
            messages.success(request, _("The results are published."))
        else:
            messages.success(request, _("The winners are saved."))
    except ValidationError as exc:
        _refuse(request, exc)
    return redirect("contests:results", slug)


# --- the jury ----------------------------------------------------------------------------


def _member(request: HttpRequest, contest: Contest) -> Any:
    member = selectors.jury_member(contest=contest, user=request.user)
    if member is None:
        raise PermissionDenied(_("This page is for the contest's jury."))
    return member


@require_GET
@login_required
def judge(request: HttpRequest, slug: str) -> HttpResponse:
    contest = _contest(request, slug)
    member = _member(request, contest)
    apps, progress = selectors.jury_progress(contest=contest)
    mine = next(p for p in progress if p.member.pk == member.pk)
    return render(
        request,
        "contests/judge.html",
        {"contest": contest, "rows": list(zip(apps, mine.cells, strict=True)), "progress": mine},
    )


@require_http_methods(["GET", "POST"])
@login_required
def score(request: HttpRequest, pk: int) -> HttpResponse:
    app = _application(request, pk)
    contest = app.contest
    member = _member(request, contest)
    declaration = member.declarations.filter(application=app).first()
    criteria = list(contest.criteria.all())
    scores = {s.criterion_id: s for s in member.scores.filter(application=app)}
    declaration_form = DeclarationForm(
        request.POST if request.POST.get("step") == "declare" else None
    )
    score_form = ScoreForm(
        request.POST if request.POST.get("step") == "score" else None,
        criteria=criteria,
        scores=scores,
    )
    if request.method == "POST":
        try:
            if request.POST.get("step") == "declare" and declaration_form.is_valid():
                services.conflict_declare(
                    member=member, application=app, by=request.user,
                    has_conflict=declaration_form.cleaned_data["has_conflict"],
                    note=declaration_form.cleaned_data["note"],
                )  # fmt: skip
                messages.success(request, _("Your declaration is recorded."))
                return redirect("contests:score", app.pk)
            if request.POST.get("step") == "score" and score_form.is_valid():
                services.scores_save(
                    member=member, application=app, by=request.user,
                    values=score_form.values(), comments=score_form.comments(),
                )  # fmt: skip
                messages.success(request, _("Your scores are saved."))
                return redirect("contests:judge", contest.slug)
        except ValidationError as exc:
            _refuse(request, exc)
    files = {f.field_id: f for f in app.files.all()}
    answers = [
        (item, app.answers.get(str(item.pk)), files.get(item.pk)) for item in contest.fields.all()
    ]
    return render(
        request,
        "contests/score.html",
        {"application": app, "contest": contest, "declaration": declaration,
         "declaration_form": declaration_form, "score_form": score_form, "answers": answers},
    )  # fmt: skip
