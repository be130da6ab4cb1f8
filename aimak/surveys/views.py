"""Questionnaire pages: thin views over selectors and services."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aimak.core.http import HtmxHttpRequest
from aimak.territories.models import MUNICIPAL_LEVELS, Territory

from .definition import LANGUAGES, publish_errors
from .forms import (
    LANGUAGE_NAMES,
    TYPE_LABELS,
    FromTemplatesForm,
    GroupAddForm,
    ItemForm,
    QuestionAddForm,
    TitleForm,
    XLSFormUploadForm,
    choices_from_post,
)
from .models import Questionnaire, QuestionnaireVersion
from .selectors import (
    draft_viewer_municipalities,
    questionnaire_list,
    services_with_templates,
    template_list,
    version_list,
)
from .services import (
    choice_list_set,
    group_add,
    item_move,
    item_remove,
    question_add,
    question_update,
    questionnaire_create_from_templates,
    questionnaire_import_xlsform,
    questionnaire_title_set,
    version_draft_create,
    version_publish,
)
from .xlsform import XLSFormError, xlsform_write

EXTRA_CHOICE_ROWS = 3


def _municipality(code: str) -> Territory:
    return get_object_or_404(
        Territory.objects.select_related("parent"), code=code, level__in=MUNICIPAL_LEVELS
    )


def _can_edit(request: HttpRequest, questionnaire: Questionnaire) -> bool:
    return questionnaire.municipality_id is not None and request.user.has_perm(
        "surveys.edit_questionnaires", questionnaire.municipality
    )


def _check_edit(request: HttpRequest, municipality: Territory | None) -> None:
    if municipality is None or not request.user.has_perm(
        "surveys.edit_questionnaires", municipality
    ):
        raise PermissionDenied(_("You may not change the questionnaires of this municipality."))


def _questionnaire(request: HttpRequest, pk: int) -> tuple[Questionnaire, bool]:
    """The questionnaire if the user may see it, and whether they may see its drafts."""
    questionnaire: Questionnaire = get_object_or_404(
        Questionnaire.objects.select_related("municipality"), pk=pk
    )
    sees_drafts = request.user.has_perm("surveys.view_drafts", questionnaire.municipality)
    if not sees_drafts and not questionnaire.versions.filter(status="published").exists():
        raise Http404(_("No such questionnaire."))
    return questionnaire, sees_drafts


def _version(
    request: HttpRequest, pk: int, number: int
) -> tuple[Questionnaire, QuestionnaireVersion, bool]:
    questionnaire, sees_drafts = _questionnaire(request, pk)
    version = get_object_or_404(QuestionnaireVersion, questionnaire=questionnaire, number=number)
    if version.is_draft and not sees_drafts:
        raise Http404(_("No such version."))
    return questionnaire, version, sees_drafts


def _editable(
    request: HttpRequest, pk: int, number: int
) -> tuple[Questionnaire, QuestionnaireVersion]:
    questionnaire: Questionnaire = get_object_or_404(
        Questionnaire.objects.select_related("municipality"), pk=pk
    )
    _check_edit(request, questionnaire.municipality)
    version = get_object_or_404(QuestionnaireVersion, questionnaire=questionnaire, number=number)
    return questionnaire, version


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "surveys/index.html",
        {
            "templates": template_list(),
            "municipalities": draft_viewer_municipalities(user=request.user)[:50],
        },
    )


@login_required
@require_GET
def municipality_list(request: HttpRequest, code: str) -> HttpResponse:
    municipality = _municipality(code)
    return render(
        request,
        "surveys/municipality.html",
        {
            "municipality": municipality,
            "questionnaires": questionnaire_list(user=request.user, municipality=municipality),
            "can_edit": request.user.has_perm("surveys.edit_questionnaires", municipality),
            "can_view_rounds": request.user.has_perm("surveys.view_rounds", municipality),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def create_from_templates(request: HttpRequest, code: str) -> HttpResponse:
    municipality = _municipality(code)
    _check_edit(request, municipality)
    form = FromTemplatesForm(request.POST or None, services=services_with_templates())
    if request.method == "POST" and form.is_valid():
        title = form.text("title")
        try:
            questionnaire = questionnaire_create_from_templates(
                municipality=municipality,
                services=form.cleaned_data["services"],
                user=request.user,
                title=None if title.is_empty() else title,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("The questionnaire was made as a draft; edit it, then publish it.")
            )
            return redirect("surveys:edit", pk=questionnaire.pk, number=1)
    return render(request, "surveys/create.html", {"municipality": municipality, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def import_xlsform(request: HttpRequest, code: str) -> HttpResponse:
    municipality = _municipality(code)
    _check_edit(request, municipality)
    form = XLSFormUploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            questionnaire, imported = questionnaire_import_xlsform(
                municipality=municipality,
                data=upload.read(),
                user=request.user,
                language=get_language() or "ky",
                file_name=upload.name,
            )
        except XLSFormError as exc:
            problems = [str(p) for p in exc.problems]
        else:
            for warning in imported.warnings:
                messages.warning(request, warning)
            messages.success(request, _("The form was imported as a draft."))
            return redirect("surveys:edit", pk=questionnaire.pk, number=1)
    return render(
        request,
        "surveys/import.html",
        {
            "municipality": municipality,
            "form": form,
            "problems": problems,
        },
        status=422 if problems else 200,
    )


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire, sees_drafts = _questionnaire(request, pk)
    versions = list(version_list(questionnaire=questionnaire, include_drafts=sees_drafts))
    return render(
        request,
        "surveys/detail.html",
        {
            "questionnaire": questionnaire,
            "versions": versions,
            "has_draft": any(v.is_draft for v in versions),
            "can_edit": _can_edit(request, questionnaire),
            "services": questionnaire.services.order_by("order"),
        },
    )


@login_required
@require_POST
def new_draft(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    _check_edit(request, questionnaire.municipality)
    draft = version_draft_create(questionnaire=questionnaire, user=request.user)
    messages.success(
        request,
        _("Version %(number)s is a new draft; the published versions stay as they were.")
        % {"number": draft.number},
    )
    return redirect("surveys:edit", pk=questionnaire.pk, number=draft.number)


@login_required
@require_GET
def preview(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    questionnaire, version, _sees = _version(request, pk, number)
    language = request.GET.get("lang") or get_language() or "ky"
    if language not in LANGUAGES:
        language = "ky"
    form = version.form
    return render(
        request,
        "surveys/preview.html",
        {
            "questionnaire": questionnaire,
            "version": version,
            "form": form,
            "lists": {cl.name: cl for cl in form.lists},
            "form_language": language,
            "languages": LANGUAGE_NAMES,
        },
    )


@login_required
@require_GET
def export(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    questionnaire, version, _sees = _version(request, pk, number)
    form_id = slugify(questionnaire.key or f"aimak-{questionnaire.pk}").replace("-", "_")
    data = xlsform_write(
        definition=version.form,
        title=questionnaire.title,
        form_id=form_id,
        version=str(version.number),
    )
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{form_id}_v{version.number}.xlsx"'
    return response


def _edit_context(questionnaire: Questionnaire, version: QuestionnaireVersion) -> dict:
    form = version.form
    groups = [(g.name, g.label.get(get_language() or "ky") or g.name) for g in form.groups()]
    return {
        "questionnaire": questionnaire,
        "version": version,
        "form": form,
        "lists": {cl.name: cl for cl in form.lists},
        "list_names": [cl.name for cl in form.lists],
        "problems": publish_errors(form),
        "title_form": TitleForm(
            initial={f"title_{c}": getattr(questionnaire, f"title_{c}") for c in LANGUAGES}
        ),
        "question_form": QuestionAddForm(groups=groups, auto_id="add_q_%s"),
        "group_form": GroupAddForm(groups=groups, auto_id="add_g_%s"),
        "languages": LANGUAGE_NAMES,
        "type_labels": TYPE_LABELS,
        "choice_rows": [
            (
                cl,
                [
                    *enumerate(cl.choices),
                    *((len(cl.choices) + i, None) for i in range(EXTRA_CHOICE_ROWS)),
                ],
                len(cl.choices) + EXTRA_CHOICE_ROWS,
            )
            for cl in form.lists
        ],
    }


@login_required
@require_GET
def edit(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    questionnaire, version = _editable(request, pk, number)
    if not version.is_draft:
        messages.info(
            request,
            _("A published version cannot change. Make a new draft to edit the questionnaire."),
        )
        return redirect("surveys:detail", pk=questionnaire.pk)
    return render(request, "surveys/edit.html", _edit_context(questionnaire, version))


def _back(
    questionnaire: Questionnaire, version: QuestionnaireVersion, anchor: str = ""
) -> HttpResponse:
    url = reverse("surveys:edit", kwargs={"pk": questionnaire.pk, "number": version.number})
    return redirect(f"{url}#{anchor}" if anchor else url)


def _refuse(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
@require_POST
def title_update(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    questionnaire, version = _editable(request, pk, number)
    form = TitleForm(request.POST)
    if form.is_valid():
        questionnaire_title_set(questionnaire=questionnaire, title=form.text("title"))
        messages.success(request, _("Saved."))
    else:
        for error in form.non_field_errors():
            messages.error(request, str(error))
    return _back(questionnaire, version)


@login_required
@require_POST
def item_update(request: HtmxHttpRequest, pk: int, number: int, name: str) -> HttpResponse:
    questionnaire, version = _editable(request, pk, number)
    form = ItemForm(request.POST)
    error = ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            version = question_update(
                version=version,
                name=name,
                label=form.text("label"),
                hint=form.text("hint"),
                required=data["required"],
                relevant=data["relevant"],
                constraint=data["constraint"],
                constraint_message=form.text("constraint_message"),
                list_name=data["list_name"] or None,
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = _("Please correct the form.")
    if request.htmx:
        found = version.form.find(name)
        if found is None:
            raise Http404(_("No such question."))
        context = _edit_context(questionnaire, version)
        context.update({"item": found[0], "saved": not error, "error": error, "open": True})
        return render(request, "surveys/_item.html", context, status=422 if error else 200)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Saved."))
    return _back(questionnaire, version, f"item-{name}")


@login_required
@require_POST
def item_move_view(request: HttpRequest, pk: int, number: int, name: str) -> HttpResponse:
    questionnaire, version = _editable(request, pk, number)
    offset = -1 if request.POST.get("direction") == "up" else 1
    try:
        item_move(version=version, name=name, offset=offset)
    except ValidationError as exc:
        _refuse(request, exc)
    return _back(questionnaire, version, f"item-{name}")


@login_required
@require_POST
def item_remove_view(request: HttpRequest, pk: int, number: int, name: str) -> HttpResponse:
    questionnaire, version = _editable(request, pk, number)
    try:
        item_remove(version=version, name=name)
    except ValidationError as exc:
        _refuse(request, exc)
    else:
        messages.success(request, _("“%(name)s” was removed.") % {"name": name})
    return _back(questionnaire, version)


def _form_errors_as_messages(request: HttpRequest, form: forms.Form) -> None:
    """Show a form's errors as messages on the page it came from, field by field."""
    for field, errors in form.errors.items():
        for error in errors:
            label = form.fields[field].label if field in form.fields else None
            messages.error(request, f"{label}: {error}" if label else str(error))


@login_required
@require_POST
def question_add_view(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    questionnaire, version = _editable(request, pk, number)
    groups = [(g.name, g.name) for g in version.form.groups()]
    form = QuestionAddForm(request.POST, groups=groups)
    if form.is_valid():
        data = form.cleaned_data
        try:
            question_add(
                version=version,
                name=data["name"],
                question_type=data["question_type"],
                label=form.text("label"),
                group=data["group"],
                list_name=data["list_name"],
            )
        except ValidationError as exc:
            _refuse(request, exc)
        else:
            messages.success(request, _("The question was added."))
            return _back(questionnaire, version, f"item-{data['name']}")
    else:
        _form_errors_as_messages(request, form)
    return _back(questionnaire, version, "add-question")


@login_required
@require_POST
def group_add_view(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    questionnaire, version = _editable(request, pk, number)
    groups = [(g.name, g.name) for g in version.form.groups()]
    form = GroupAddForm(request.POST, groups=groups)
    if form.is_valid():
        data = form.cleaned_data
        try:
            group_add(
                version=version,
                name=data["name"],
                label=form.text("label"),
                parent=data["parent"],
                repeat=data["repeat"],
            )
        except ValidationError as exc:
            _refuse(request, exc)
        else:
            messages.success(request, _("The group was added."))
            return _back(questionnaire, version, f"item-{data['name']}")
    else:
        _form_errors_as_messages(request, form)
    return _back(questionnaire, version, "add-group")


@login_required
@require_POST
def list_update(request: HttpRequest, pk: int, number: int, list_name: str) -> HttpResponse:
    questionnaire, version = _editable(request, pk, number)
    try:
        rows = min(int(request.POST.get("rows", "0")), 2000)
    except ValueError:
        rows = 0
    try:
        choice_list_set(
            version=version, list_name=list_name, choices=choices_from_post(request.POST, rows=rows)
        )
    except ValidationError as exc:
        _refuse(request, exc)
    else:
        messages.success(request, _("Saved."))
    return _back(questionnaire, version, f"list-{list_name}")


@login_required
@require_POST
def publish(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    questionnaire, version = _editable(request, pk, number)
    try:
        version_publish(version=version, user=request.user)
    except ValidationError as exc:
        _refuse(request, exc)
        return _back(questionnaire, version)
    messages.success(
        request,
        _("Version %(number)s is published and can no longer change.") % {"number": version.number},
    )
    return redirect("surveys:detail", pk=questionnaire.pk)
