"""Pages of the practice library, its moderation and the expert directory (thin views)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aimak.contests.selectors import expert_evaluations
from aimak.core.cache import cache_public_page
from aimak.questions.selectors import expert_answers

from .forms import (
    DocumentForm,
    ExpertFilterForm,
    ExpertForm,
    ModerationForm,
    PhotoForm,
    PracticeFilterForm,
    PracticeForm,
    ThemeForm,
    VideoForm,
)
from .models import Expert, Practice, Status, Theme
from .selectors import (
    MONTHLY_INTERNATIONAL_TARGET,
    MONTHLY_TARGET,
    expert_all,
    expert_events,
    expert_get,
    expert_history,
    expert_list,
    expert_regions,
    moderation_queue,
    monthly_target,
    my_practices,
    practice_get,
    practice_history,
    practice_list,
    practice_regions,
    practice_transitions,
    practice_years,
    regions_all,
    theme_list,
)
from .services import (
    can_edit,
    expert_save,
    practice_attachment_remove,
    practice_create,
    practice_document_add,
    practice_feature,
    practice_photo_add,
    practice_publish,
    practice_return,
    practice_review_start,
    practice_submit,
    practice_update,
    practice_video_add,
    publish_problems,
    theme_save,
)

PAGE_SIZE = 20


def _refuse(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _params(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _practice(request: HttpRequest, slug: str) -> Practice:
    """The practice if the user may see it; 404 otherwise (a draft stays invisible)."""
    try:
        return practice_get(slug=slug, user=request.user)
    except Practice.DoesNotExist as exc:
        raise Http404(_("There is no such practice, or it is not published.")) from exc


def _require(request: HttpRequest, perm: str, obj: Any = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied(_("This page is for the content administrator."))


# --- the library --------------------------------------------------------------------------


@require_GET
@cache_public_page
def library(request: HttpRequest) -> HttpResponse:
    themes = list(theme_list())
    form = PracticeFilterForm(
        request.GET, themes=themes, regions=practice_regions(), years=practice_years()
    )
    query = form.query()
    page = Paginator(practice_list(query=query, filters=form.filters()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "practices/library.html",
        {"form": form, "query": query, "page": page, "params": _params(request),
         "themes": themes},
    )  # fmt: skip


@require_GET
@cache_public_page
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _practice(request, slug)
    user = request.user
    may_history = user.has_perm("practices.view_practice_history", practice)
    moderator = user.has_perm("practices.moderate")
    return render(
        request,
        "practices/detail.html",
        {
            "practice": practice,
            "themes": list(practice.themes.all()),
            "documents": list(practice.documents.all()),
            "photos": list(practice.photos.all()),
            "videos": list(practice.videos.all()),
            "transitions": list(practice_transitions(practice=practice)) if may_history else [],
            "may_history": may_history,
            "may_edit": user.is_authenticated and can_edit(user=user, practice=practice),
            "may_submit": practice.author_id == user.pk and practice.editable_by_author,
            "moderator": moderator,
            "moderation_form": ModerationForm() if moderator else None,
            "publish_problems": publish_problems(practice)
            if moderator and practice.status == Status.UNDER_REVIEW
            else [],
        },
    )


# --- submitting and editing ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def submit_new(request: HttpRequest) -> HttpResponse:
    _require(request, "practices.submit_practice")
    form = PracticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            practice = practice_create(author=request.user, data=form.to_data())
        except ValidationError as exc:
            _refuse(request, exc)
        else:
            messages.success(
                request,
                _("The draft is saved. Add documents and photos, then submit it for moderation."),
            )
            return redirect("practices:edit", slug=practice.slug)
    return render(request, "practices/form.html", {"form": form, "practice": None})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _practice(request, slug)
    if not request.user.has_perm("practices.edit_practice", practice):
        raise PermissionDenied(_("You cannot edit this practice now."))
    if request.method == "POST":
        form = PracticeForm(request.POST)
        if form.is_valid():
            try:
                practice_update(practice=practice, by=request.user, data=form.to_data())
            except ValidationError as exc:
                _refuse(request, exc)
            else:
                messages.success(request, _("The practice is saved."))
                return redirect("practices:edit", slug=practice.slug)
    else:
        form = PracticeForm(initial=PracticeForm.initial_for(practice))
    return render(
        request,
        "practices/form.html",
        {
            "form": form,
            "practice": practice,
            "document_form": DocumentForm(),
            "photo_form": PhotoForm(),
            "video_form": VideoForm(),
            "documents": list(practice.documents.all()),
            "photos": list(practice.photos.all()),
            "videos": list(practice.videos.all()),
            "transitions": list(practice_transitions(practice=practice)),
            "may_submit": practice.author_id == request.user.pk and practice.editable_by_author,
        },
    )


@login_required
@require_POST
def attach(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    practice = _practice(request, slug)
    if not request.user.has_perm("practices.edit_practice", practice):
        raise PermissionDenied(_("You cannot edit this practice now."))
    try:
        if kind == "document":
            document_form = DocumentForm(request.POST, request.FILES)
            if not document_form.is_valid():
                raise ValidationError(_("Choose a file to attach."))
            practice_document_add(
                practice=practice,
                by=request.user,
                name=document_form.cleaned_data["name"],
                file=document_form.cleaned_data["file"],
            )
        elif kind == "photo":
            photo_form = PhotoForm(request.POST, request.FILES)
            if not photo_form.is_valid():
                raise ValidationError(
                    _("Choose a photo and describe it for people who cannot see it.")
                )
            practice_photo_add(
                practice=practice,
                by=request.user,
                alt=photo_form.cleaned_data["alt"],
                file=photo_form.cleaned_data["file"],
            )
        elif kind == "video":
            video_form = VideoForm(request.POST)
            if not video_form.is_valid():
                raise ValidationError(_("Give the address of the video (http or https)."))
            practice_video_add(
                practice=practice,
                by=request.user,
                url=video_form.cleaned_data["url"],
                title=video_form.cleaned_data["title"],
            )
        else:
            raise Http404
    except ValidationError as exc:
        _refuse(request, exc)
    else:
        messages.success(request, _("Added."))
    return redirect("practices:edit", slug=practice.slug)


@login_required
@require_POST
def detach(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    practice = _practice(request, slug)
    try:
        practice_attachment_remove(practice=practice, by=request.user, kind=kind, pk=pk)
    except ValidationError as exc:
        _refuse(request, exc)
    else:
        messages.success(request, _("Removed."))
    return redirect("practices:edit", slug=practice.slug)


@login_required
@require_POST
def submit(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _practice(request, slug)
    try:
        practice_submit(practice=practice, by=request.user)
    except ValidationError as exc:
        _refuse(request, exc)
        return redirect("practices:edit", slug=practice.slug)
    messages.success(
        request, _("The practice is submitted. The content administrator will review it.")
    )
    return redirect("practices:mine")


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    return render(
        request, "practices/mine.html", {"practices": list(my_practices(user=request.user))}
    )


# --- moderation ---------------------------------------------------------------------------


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    _require(request, "practices.moderate")
    return render(request, "practices/queue.html", {"practices": list(moderation_queue())})


@login_required
@require_POST
def moderate(request: HttpRequest, slug: str) -> HttpResponse:
    _require(request, "practices.moderate")
    practice = _practice(request, slug)
    form = ModerationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to do with the practice."))
        return redirect("practices:detail", slug=practice.slug)
    action, comment = form.cleaned_data["action"], form.cleaned_data["comment"]
    try:
        if action == "review":
            practice_review_start(practice=practice, by=request.user)
            messages.success(request, _("You are reviewing this practice."))
        elif action == "return":
            practice_return(practice=practice, by=request.user, comment=comment)
            messages.success(request, _("The practice is returned to its author."))
        else:
            practice_publish(practice=practice, by=request.user, comment=comment)
            messages.success(request, _("The practice is published."))
    except ValidationError as exc:
        _refuse(request, exc)
    return redirect("practices:detail", slug=practice.slug)


@login_required
@require_POST
def feature(request: HttpRequest, slug: str) -> HttpResponse:
    _require(request, "practices.moderate")
    practice = _practice(request, slug)
    practice_feature(practice=practice, by=request.user, featured=not practice.featured)
    return redirect("practices:detail", slug=practice.slug)


@login_required
@require_GET
def history(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _practice(request, slug)
    if not request.user.has_perm("practices.view_practice_history", practice):
        raise PermissionDenied(_("Only the author and the content administrator see the changes."))
    return render(
        request,
        "practices/history.html",
        {"object": practice, "records": _diffs(practice_history(practice=practice)[:100]),
         "back": practice.get_absolute_url()},
    )  # fmt: skip


def _diffs(records: Any) -> list[dict[str, Any]]:
    """Each history record with the fields it changed against the one before it."""
    records = list(records)
    out = []
    for i, record in enumerate(records):
        older = records[i + 1] if i + 1 < len(records) else None
        changed: list[str] = []
        if older is not None:
            try:
                changed = [c.field for c in record.diff_against(older).changes]
            except Exception:
                changed = []
        out.append({"record": record, "changed": changed})
    return out


@login_required
@require_GET
def target(request: HttpRequest) -> HttpResponse:
    _require(request, "practices.view_target")
    return render(
        request,
        "practices/target.html",
        {
            "months": monthly_target(months=12),
            "target": MONTHLY_TARGET,
            "international_target": MONTHLY_INTERNATIONAL_TARGET,
        },
    )


# --- themes -------------------------------------------------------------------------------


@login_required
@require_GET
def themes(request: HttpRequest) -> HttpResponse:
    _require(request, "practices.manage_themes")
    return render(request, "practices/themes.html", {"themes": list(theme_list())})


@login_required
@require_http_methods(["GET", "POST"])
def theme_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    _require(request, "practices.manage_themes")
    theme = Theme.objects.filter(slug=slug).first() if slug else None
    if slug and theme is None:
        raise Http404(_("There is no such theme."))
    if request.method == "POST":
        form = ThemeForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                theme_save(
                    theme=theme,
                    slug=d["slug"],
                    position=d["position"],
                    names={"ky": d["name_ky"], "ru": d["name_ru"], "en": d["name_en"]},
                )
            except ValidationError as exc:
                _refuse(request, exc)
            else:
                messages.success(request, _("The theme is saved."))
                return redirect("practices:themes")
    else:
        form = (
            ThemeForm(
                initial={
                    "slug": theme.slug,
                    "position": theme.position,
                    "name_ky": theme.name_ky,
                    "name_ru": theme.name_ru,
                    "name_en": theme.name_en,
                }
            )
            if theme
            else ThemeForm()
        )
    return render(request, "practices/theme_form.html", {"form": form, "theme": theme})


# --- experts ------------------------------------------------------------------------------


@require_GET
@cache_public_page
def experts(request: HttpRequest) -> HttpResponse:
    form = ExpertFilterForm(request.GET, themes=list(theme_list()), regions=expert_regions())
    query = form.query()
    page = Paginator(expert_list(query=query, filters=form.filters()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "practices/experts.html",
        {"form": form, "query": query, "page": page, "params": _params(request),
         "manager": request.user.has_perm("practices.manage_experts")},
    )  # fmt: skip


def _expert(request: HttpRequest, slug: str) -> Expert:
    manager = request.user.has_perm("practices.manage_experts")
    try:
        return expert_get(slug=slug, include_unlisted=manager)
    except Expert.DoesNotExist as exc:
        raise Http404(_("There is no such expert.")) from exc


EXPERT_ANSWERS = 10  # the newest answers on an expert's page


@require_GET
@cache_public_page
def expert_detail(request: HttpRequest, slug: str) -> HttpResponse:
    expert = _expert(request, slug)
    return render(
        request,
        "practices/expert_detail.html",
        {
            "expert": expert,
            "events": expert_events(expert=expert),
            "answers": list(expert_answers(expert=expert)[:EXPERT_ANSWERS]),
            "answer_count": expert_answers(expert=expert).count(),
            "juries": list(expert_evaluations(user=expert.user)) if expert.user_id else [],
            "manager": request.user.has_perm("practices.manage_experts"),
        },
    )


@login_required
@require_GET
def expert_admin(request: HttpRequest) -> HttpResponse:
    _require(request, "practices.manage_experts")
    return render(request, "practices/expert_admin.html", {"experts": list(expert_all())})


@login_required
@require_http_methods(["GET", "POST"])
def expert_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    _require(request, "practices.manage_experts")
    expert = _expert(request, slug) if slug else None
    regions = regions_all()
    if request.method == "POST":
        form = ExpertForm(request.POST, request.FILES, regions=regions)
        if form.is_valid():
            try:
                expert = expert_save(
                    by=request.user,
                    expert=expert,
                    data=form.to_data(slug=expert.slug if expert else ""),
                    photo=form.cleaned_data.get("photo"),
                )
            except ValidationError as exc:
                _refuse(request, exc)
            else:
                messages.success(request, _("The expert's profile is saved."))
                return redirect("practices:expert_detail", slug=expert.slug)
    else:
        initial = ExpertForm.initial_for(expert) if expert else {"active": True}
        form = ExpertForm(initial=initial, regions=regions)
    return render(request, "practices/expert_form.html", {"form": form, "expert": expert})


@login_required
@require_GET
def expert_changes(request: HttpRequest, slug: str) -> HttpResponse:
    _require(request, "practices.manage_experts")
    expert = _expert(request, slug)
    return render(
        request,
        "practices/history.html",
        {"object": expert, "records": _diffs(expert_history(expert=expert)[:100]),
         "back": expert.get_absolute_url()},
    )  # fmt: skip
