"""Pages to import interviews from files: upload, match columns, check, import, progress,
the problem report, the original file, and the export of a round's interviews. Thin: the
work is in importing.py. Only the round's managers (surveys.manage_rounds on its
municipality) see these pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .collection import version_checker
from .importing import (
    COMPLETED,
    ENCODINGS,
    ENUMERATOR,
    STARTED,
    FileRefused,
    Layout,
    check_is_current,
    import_check,
    import_settings_set,
    import_start,
    import_upload,
    interview_export_lines,
    mapping_notes,
    mapping_suggest,
    mapping_targets,
    max_bytes,
    problem_report_lines,
    size_refusal,
)
from .models import InterviewImport, Round, RoundStatus

RUNNING = (InterviewImport.Status.QUEUED, InterviewImport.Status.RUNNING)
PROBLEMS_SHOWN = 100


def _managed_round(request: HttpRequest, pk: int) -> Round:
    round: Round = get_object_or_404(
        Round.objects.select_related("municipality", "version__questionnaire"), pk=pk
    )
    if not request.user.has_perm("surveys.manage_rounds", round.municipality):
        raise PermissionDenied(_("You may not import interviews into this round."))
    return round


def _batch(round: Round, import_id: int) -> InterviewImport:
    """The import, only from this round (an id of another round's import is not found)."""
    batch: InterviewImport = get_object_or_404(
        InterviewImport.objects.select_related("created_by"), pk=import_id, round=round
    )
    batch.round = round
    return batch


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File with the interviews"),
        allow_empty_file=True,  # refused by importing.py, with its own message
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,.xlsx"}),
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_upload_view(request: HttpRequest, pk: int) -> HttpResponse:
    round = _managed_round(request, pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    earlier = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        refusal = size_refusal(upload.size or 0)
        if refusal:
            problems = [refusal]
        else:
            try:
                batch = import_upload(
                    round=round, file=upload, user=request.user, filename=upload.name or ""
                )
            except FileRefused as refused:
                problems = refused.messages
                earlier = getattr(refused, "earlier", None)
            except ValidationError as refused:
                problems = refused.messages
            else:
                return redirect("surveys:import_detail", round.pk, batch.pk)
    return render(
        request,
        "surveys/import_upload.html",
        {
            "round": round,
            "municipality": round.municipality,
            "form": form,
            "problems": problems,
            "earlier": earlier,
            "limit_mb": max_bytes() // (1024 * 1024),
            "collecting": round.status == RoundStatus.COLLECTING,
        },
        status=422 if problems else 200,
    )


DELIMITERS = {
    ",": gettext_lazy("commas"),
    ";": gettext_lazy("semicolons"),
    "\t": gettext_lazy("tabs"),
}
HOW_LABELS = {
    "name": gettext_lazy("matched by name"),
    "group": gettext_lazy("matched by group/name"),
    "label": gettext_lazy("matched by label"),
    "meta": gettext_lazy("KoboToolbox or ODK field"),
    "key": gettext_lazy("identifies the interview"),
    "option": gettext_lazy("one option of a multiple choice question, given by its own column"),
}


def _columns(
    batch: InterviewImport,
    layout: Layout,
    mapping: dict[str, str],
    targets: dict[str, str],
    how: dict[str, str],
    editing: set[int],
) -> list[dict[str, Any]]:
    columns = []
    for index, (key, label) in enumerate(zip(layout.headers, layout.labels, strict=False)):
        samples = [row[index] for row in layout.samples if index < len(row) and row[index]][:3]
        target = mapping.get(key, "")
        columns.append(
            {
                "index": index,
                "key": key,
                "label": label or key,
                "samples": samples,
                "target": target,
                "target_label": targets.get(target, target),
                "how": HOW_LABELS.get(how.get(key, ""), "") if target or how.get(key) else "",
                "editing": index in editing or (not target and not how.get(key)),
            }
        )
    return columns


def _detail_context(
    request: HttpRequest,
    round: Round,
    batch: InterviewImport,
    *,
    mapping: dict[str, str] | None = None,
    key_column: str | None = None,
    errors: list[str] | None = None,
    editing: set[int] | None = None,
) -> dict[str, Any]:
    language = (get_language() or "ky")[:2]
    layout = Layout.from_json(batch.layout)
    checker = version_checker(round.version)
    target_list = mapping_targets(checker, language)
    targets = {
        t.name: f"{t.label} ({t.name})" if not t.name.startswith("@") else t.label
        for t in target_list
    }
    groups: dict[str, list[tuple[str, str]]] = {}
    for t in target_list:
        short = t.label if len(t.label) <= 60 else t.label[:57] + "…"
        groups.setdefault(t.group or _("Questions"), []).append(
            (t.name, short if t.name.startswith("@") else f"{t.name} · {short}")
        )
    mapping = batch.mapping if mapping is None else mapping
    suggestion = mapping_suggest(layout, checker)
    how = dict(suggestion.how)
    for key, target in mapping.items():
        if target != suggestion.mapping.get(key, "") and how.get(key) != "key":
            how[key] = ""
    editable = batch.status in (InterviewImport.Status.MAPPING, InterviewImport.Status.FAILED)
    current = check_is_current(batch) and not errors
    checked = batch.checked if current else {}
    problems = batch.problems[:PROBLEMS_SHOWN] if current or not editable else []
    preview_names = [
        t.name
        for t in target_list
        if not t.name.startswith("@") and t.name in set(mapping.values())
    ]
    return {
        "round": round,
        "municipality": round.municipality,
        "batch": batch,
        "layout": layout,
        "delimiter_name": DELIMITERS.get(layout.delimiter, layout.delimiter),
        "columns": _columns(batch, layout, mapping, targets, how, editing or set()),
        "target_groups": groups,
        "key_column": batch.key_column if key_column is None else key_column,
        "encodings": ENCODINGS,
        "errors": errors or [],
        "notes": mapping_notes(mapping=mapping, checker=checker),
        "editable": editable and round.status == RoundStatus.COLLECTING,
        "running": batch.status in RUNNING,
        "checked": checked,
        "current": current,
        "problems": problems,
        "more_problems": max(batch.problem_count - len(problems), 0),
        "preview_names": preview_names,
        "preview": [
            {**row, "cells": [_display(row["answers"].get(name)) for name in preview_names]}
            for row in (checked.get("preview") or [])
        ],
        "specials": {STARTED, COMPLETED, ENUMERATOR},
    }


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return str(value)


@login_required
@require_http_methods(["GET", "POST"])
def import_detail(request: HttpRequest, pk: int, import_id: int) -> HttpResponse:
    round = _managed_round(request, pk)
    batch = _batch(round, import_id)
    if request.method == "GET":
        editing = set()
        change = request.GET.get("change", "")
        if change.isdigit():
            editing.add(int(change))
        return render(
            request,
            "surveys/import_detail.html",
            _detail_context(request, round, batch, editing=editing),
        )

    layout = Layout.from_json(batch.layout)
    mapping = {
        key: request.POST.get(f"col-{index}", batch.mapping.get(key, "")).strip()
        for index, key in enumerate(layout.headers)
    }
    key_column = request.POST.get("key_column", batch.key_column).strip()
    encoding = request.POST.get("encoding") or None
    sheet = request.POST.get("sheet") or None
    reread = (layout.format == "csv" and encoding and encoding != layout.encoding) or (
        layout.format == "xlsx" and sheet and sheet != layout.sheet
    )
    try:
        import_settings_set(
            batch=batch,
            mapping=mapping,
            key_column=key_column,
            encoding=encoding if layout.format == "csv" else None,
            sheet=sheet if layout.format == "xlsx" else None,
            user=request.user,
        )
        if reread:
            messages.info(request, _("The file was read again; check how its columns are matched."))
        elif request.POST.get("action") == "check":
            batch = import_check(batch=batch, user=request.user)
            if batch.status in RUNNING:
                messages.info(request, _("The file is being checked; this page shows progress."))
    except ValidationError as refused:
        context = _detail_context(
            request, round, batch, mapping=mapping, key_column=key_column, errors=refused.messages
        )
        return render(request, "surveys/import_detail.html", context, status=422)
    url = reverse("surveys:import_detail", args=[round.pk, batch.pk])
    change = request.POST.get("change", "")
    if change.isdigit():
        return redirect(f"{url}?change={change}#col-{change}")
    return redirect(url)


@login_required
@require_POST
def import_run(request: HttpRequest, pk: int, import_id: int) -> HttpResponse:
    round = _managed_round(request, pk)
    batch = _batch(round, import_id)
    if not check_is_current(batch) or batch.problem_count:
        messages.error(request, _("Check the whole file first; it must have no problems."))
        return redirect("surveys:import_detail", round.pk, batch.pk)
    try:
        batch = import_start(batch=batch, user=request.user)
    except ValidationError as refused:
        for message in refused.messages:
            messages.error(request, message)
        return redirect("surveys:import_detail", round.pk, batch.pk)
    if batch.status == InterviewImport.Status.DONE:
        messages.success(request, batch.message)
    elif batch.status == InterviewImport.Status.FAILED:
        messages.error(request, batch.message)
    return redirect("surveys:import_detail", round.pk, batch.pk)


@login_required
@require_GET
def import_progress(request: HttpRequest, pk: int, import_id: int) -> HttpResponse:
    """The progress bar, polled every 2 s by htmx; once the job ends, the page reloads."""
    round = _managed_round(request, pk)
    batch = _batch(round, import_id)
    response = render(request, "surveys/import_progress.html", {"round": round, "batch": batch})
    if batch.status not in RUNNING:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_GET
def import_problems(request: HttpRequest, pk: int, import_id: int) -> StreamingHttpResponse:
    round = _managed_round(request, pk)
    batch = _batch(round, import_id)
    response = StreamingHttpResponse(
        problem_report_lines(batch), content_type="text/csv; charset=utf-8"
    )
    name = slugify(batch.filename.rsplit(".", 1)[0]) or "import"
    response["Content-Disposition"] = f'attachment; filename="{name}-problems.csv"'
    return response


@login_required
@require_GET
def import_file(request: HttpRequest, pk: int, import_id: int) -> FileResponse:
    """The original file as uploaded (kept with the round)."""
    round = _managed_round(request, pk)
    batch = _batch(round, import_id)
    return FileResponse(
        batch.file.storage.open(batch.file.name or "", "rb"),
        as_attachment=True,
        filename=batch.filename,
    )


@login_required
@require_GET
def interview_export(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    round = _managed_round(request, pk)
    response = StreamingHttpResponse(
        interview_export_lines(round=round), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="round-{round.pk}-interviews.csv"'
    return response
