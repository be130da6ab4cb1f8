"""Collection pages: the interview form for enumerators' phones, paper entry for staff, and
progress against quotas. Thin views over collection.py (storing) and selectors.py (reading).

The phone form is a page shell with the form tree embedded as JSON; static/js/interview.js
renders it one group per screen, keeps answers and an outbox in localStorage, and sends
finished interviews to the interview API (interview_api.py), which stores an id once.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from aimak.accounts.models import Role

from .answers import Problem, form_tree
from .collection import InterviewRefused, interview_submit
from .models import Interview, InterviewSource, Round, RoundStatus
from .selectors import QuotaProgress, QuotaRow, quota_progress, round_members

# Paper questionnaires: the interview id is derived from the round and the number written on
# the paper, so the same paper typed in twice is stored once.
PAPER_NAMESPACE = uuid.UUID("3c7e4d0a-52b1-4f6e-9d2a-8a41f0c6e915")
# Rows offered for each repeated group on the paper-entry page (empty rows are ignored).
PAPER_REPEAT_ROWS = 3
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
SELECT_TYPES = {"select_one", "select_multiple", "rating", "yes_no", "village"}


def _round(pk: int) -> Round:
    round: Round = get_object_or_404(
        Round.objects.select_related("municipality", "version__questionnaire"), pk=pk
    )
    return round


def _language() -> str:
    language = (get_language() or "ru")[:2]
    return language if language in ("ky", "ru", "en") else "ru"


def json_script(value: Any, element_id: str) -> SafeString:
    """Like Django's json_script, but with letters as they are (Cyrillic as UTF-8, not
    \\uXXXX escapes, which would double the form's weight) and no spaces."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return format_html(
        '<script id="{}" type="application/json">{}</script>',
        element_id,
        mark_safe(text.translate(_JSON_SCRIPT_ESCAPES)),  # escaped as json_script escapes
    )


@dataclass
class Totals:
    planned: int
    done: int

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done / self.planned)) if self.planned else 0

    @property
    def left(self) -> int:
        return max(0, self.planned - self.done)


def progress_totals(progress: QuotaProgress, *, mine: bool) -> Totals:
    """Done against planned: the whole plan for a manager; for an enumerator, their routes
    against all the interviews they made."""
    if not mine:
        return Totals(planned=progress.total.planned, done=progress.total.done)
    return Totals(planned=sum(r.planned for r in progress.routes), done=progress.total.done)


# --- The phone form ----------------------------------------------------------------------


@login_required
@require_GET
def collect_form(request: HttpRequest, pk: int) -> HttpResponse:
    round = _round(pk)
    if not request.user.has_perm("surveys.collect", round):
        raise PermissionDenied(_("You may not collect interviews in this round."))
    manager = request.user.has_perm("surveys.manage_rounds", round.municipality)
    collecting = round.status == RoundStatus.COLLECTING
    progress = quota_progress(round=round, enumerator=None if manager else request.user)
    context: dict[str, Any] = {
        "round": round,
        "municipality": round.municipality,
        "collecting": collecting,
        "can_manage": manager,
        "totals": progress_totals(progress, mine=not manager),
    }
    if collecting:
        context["form_json"] = json_script(
            form_tree(round.version.form, _language()), "interview-form"
        )
        context["api_url"] = f"/api/v1/rounds/{round.pk}/interviews"
        context["progress_api_url"] = f"/api/v1/rounds/{round.pk}/progress"
    return render(request, "surveys/collect.html", context)


# --- Paper entry -------------------------------------------------------------------------


@dataclass
class PaperItem:
    """One line of the paper-entry page: a heading (group) or a question's field."""

    kind: str  # "heading" or "field"
    label: str
    key: str = ""  # path of the answer: name, or group/row/name inside a repeat
    html_name: str = ""
    html_id: str = ""
    qtype: str = ""
    choices: list[tuple[int, str, str]] = field(default_factory=list)
    required: bool = False
    value: str = ""
    error: str = ""
    level: int = 2

    @property
    def inputmode(self) -> str:
        if self.qtype == "integer":
            return "numeric"
        if self.qtype == "decimal":
            return "decimal"
        return ""


def _paper_items(tree: list[dict[str, Any]], post: Any) -> list[PaperItem]:
    items: list[PaperItem] = []

    def visit(entries: list[dict[str, Any]], prefix: str, level: int) -> None:
        for entry in entries:
            if entry["kind"] == "group":
                if entry["repeat"]:
                    for row in range(PAPER_REPEAT_ROWS):
                        label = _("%(group)s, row %(row)s") % {
                            "group": entry["label"] or entry["name"],
                            "row": row + 1,
                        }
                        items.append(PaperItem(kind="heading", label=label, level=min(level, 4)))
                        visit(entry["items"], f"{prefix}{entry['name']}/{row}/", level + 1)
                else:
                    label = entry["label"] or entry["name"]
                    items.append(PaperItem(kind="heading", label=label, level=min(level, 4)))
                    visit(entry["items"], prefix, level + 1)
                continue
            key = prefix + entry["name"]
            items.append(
                PaperItem(
                    kind="field",
                    label=entry["label"] or entry["name"],
                    key=key,
                    html_name=f"a/{key}",
                    html_id="p-" + re.sub(r"[^\w-]", "_", key),
                    qtype=entry["type"],
                    choices=[
                        (i, name, label)
                        for i, (name, label) in enumerate(entry.get("choices") or [], start=1)
                    ],
                    required=entry["required"],
                    value=(post.get(f"a/{key}", "") if post is not None else ""),
                )
            )

    visit(tree, "", 2)
    return items


def _paper_value(item: PaperItem, text: str) -> Any:
    """What was typed, with choices given by their number in the list turned into names;
    anything else goes to the checker as typed (it reads labels, numbers and dates)."""
    names = [name for _i, name, _label in item.choices]

    def choice(token: str) -> str | None:
        if token in names:
            return token
        if token.isdigit() and 1 <= int(token) <= len(names):
            return names[int(token) - 1]
        return None

    if item.qtype == "select_multiple":
        tokens = [t for t in re.split(r"[\s,;]+", text) if t]
        chosen = [choice(t) for t in tokens]
        if all(chosen):
            return chosen
        return text
    if item.qtype in SELECT_TYPES:
        return choice(text) or text
    return text


def _paper_answers(items: list[PaperItem]) -> tuple[dict[str, Any], int]:
    """The answers typed, as the checker reads them, and how many fields were filled."""
    answers: dict[str, Any] = {}
    typed = 0
    for item in items:
        if item.kind != "field" or not item.value.strip():
            continue
        typed += 1
        parts = item.key.split("/")
        target = answers
        while len(parts) > 1:  # group/row/... inside repeated groups
            group, row = parts[0], int(parts[1])
            rows = target.setdefault(group, [])
            while len(rows) <= row:
                rows.append({})
            target = rows[row]
            parts = parts[2:]
        target[parts[0]] = _paper_value(item, item.value.strip())
    # Empty repetitions (rows left blank) are not repetitions.
    _drop_empty_rows(answers)
    return answers, typed


def _drop_empty_rows(answers: dict[str, Any]) -> None:
    for name, value in list(answers.items()):
        if isinstance(value, list) and value and all(isinstance(r, dict) for r in value):
            for row in value:
                _drop_empty_rows(row)
            answers[name] = [row for row in value if row]


def _answer_count(answers: dict[str, Any]) -> int:
    count = 0
    for value in answers.values():
        if isinstance(value, list) and value and all(isinstance(r, dict) for r in value):
            count += sum(_answer_count(row) for row in value)
        else:
            count += 1
    return count


def _attach_problems(items: list[PaperItem], problems: list[Problem]) -> list[str]:
    """Put each problem next to its field (in form order for repeated questions); return
    the problems that concern no field."""
    loose: list[str] = []
    for problem in problems:
        target = next(
            (
                item
                for item in items
                if item.kind == "field"
                and item.key.rsplit("/", 1)[-1] == problem.question
                and not item.error
            ),
            None,
        )
        if target is None:
            loose.append(problem.message)
        else:
            target.error = problem.message
    return loose


def paper_interview_id(round: Round, number: str) -> uuid.UUID:
    """The interview id of paper questionnaire `number` in `round` (spaces and case left
    out, so «A 12» and «a12» are the same paper)."""
    key = re.sub(r"\s+", "", number).casefold()
    return uuid.uuid5(PAPER_NAMESPACE, f"{round.pk}:{key}")


@login_required
@require_http_methods(["GET", "POST"])
def paper_entry(request: HttpRequest, pk: int) -> HttpResponse:
    round = _round(pk)
    if not request.user.has_perm("surveys.manage_rounds", round.municipality):
        raise PermissionDenied(_("Only the round's managers enter paper questionnaires."))
    collecting = round.status == RoundStatus.COLLECTING
    context: dict[str, Any] = {
        "round": round,
        "municipality": round.municipality,
        "collecting": collecting,
    }
    if not collecting:
        return render(request, "surveys/collect_paper.html", context)
    tree = form_tree(round.version.form, _language())
    post = request.POST if request.method == "POST" else None
    items = _paper_items(tree, post)
    number = (post.get("paper_number", "") if post is not None else "").strip()
    enumerators = [m.user for m in round_members(round=round) if m.role == Role.ENUMERATOR]
    chosen = (post if post is not None else request.GET).get("enumerator", "")
    enumerator = next((u for u in enumerators if str(u.pk) == chosen), None)
    number_error = ""
    errors: list[str] = []
    if post is not None:
        answers, typed = _paper_answers(items)
        if not number:
            number_error = _("Write the questionnaire's number, as it is on the paper.")
        else:
            try:
                result = interview_submit(
                    round=round,
                    interview_id=paper_interview_id(round, number),
                    answers=answers,
                    user=request.user,
                    source=InterviewSource.PAPER,
                    enumerator=enumerator,
                )
            except InterviewRefused as refused:
                errors = [refused.messages[0], *_attach_problems(items, refused.problems)]
            else:
                if result.created:
                    dropped = typed - _answer_count(result.interview.answers)
                    text = _("Questionnaire № %(number)s is saved.") % {"number": number}
                    if dropped > 0:
                        text += " " + _(
                            "Answers left out because their questions are skipped: %(count)s."
                        ) % {"count": dropped}
                    messages.success(request, text)
                    # The next paper is most likely the same enumerator's.
                    url = reverse("surveys:collect_paper", args=[round.pk])
                    return redirect(f"{url}?enumerator={enumerator.pk}" if enumerator else url)
                number_error = _already_entered(number, result.interview)
    first_error = next((i.html_id for i in items if i.error), "")
    context.update(
        {
            "items": items,
            "form_json": json_script(tree, "interview-form"),
            "number": number,
            "number_error": number_error,
            "enumerators": enumerators,
            "enumerator": enumerator,
            "errors": errors,
            "autofocus": first_error or "paper-number",
            "fields_with_errors": [i for i in items if i.error],
        }
    )
    return render(request, "surveys/collect_paper.html", context)


def _already_entered(number: str, interview: Interview) -> str:
    who = interview.received_by.display_name if interview.received_by else "—"
    return _(
        "Questionnaire № %(number)s is already entered (%(when)s, %(who)s); nothing was saved "
        "again. If this is another questionnaire, check its number."
    ) % {
        "number": number,
        "when": date_format(interview.received_at, "SHORT_DATE_FORMAT"),
        "who": who,
    }


# --- Progress ----------------------------------------------------------------------------


@login_required
@require_GET
def progress_view(request: HttpRequest, pk: int) -> HttpResponse:
    round = _round(pk)
    if not request.user.has_perm("surveys.view_round", round):
        raise PermissionDenied(_("You may not see this round."))
    manager = request.user.has_perm("surveys.manage_rounds", round.municipality)
    progress = quota_progress(round=round, enumerator=None if manager else request.user)
    routes: list[QuotaRow] = progress.routes
    return render(
        request,
        "surveys/collect_progress.html",
        {
            "round": round,
            "municipality": round.municipality,
            "progress": progress,
            "villages": progress.villages if manager else [],
            "routes": routes,
            "totals": progress_totals(progress, mine=not manager),
            "can_manage": manager,
            "can_collect": round.status == RoundStatus.COLLECTING
            and request.user.has_perm("surveys.collect", round),
        },
    )
