from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status
from ninja.security import django_auth

from aimak.accounts.api_auth import TokenAuth
from aimak.territories.models import MUNICIPAL_LEVELS, Territory

from .models import Questionnaire, QuestionnaireVersion
from .selectors import questionnaire_visible, version_list
from .services import questionnaire_import_xlsform
from .xlsform import MAX_UPLOAD_BYTES, XLSFormError, xlsform_write

router = Router(tags=["questionnaires"])
READ_AUTH = [TokenAuth(), django_auth]


class VersionSummary(Schema):
    number: int
    status: str
    created_at: datetime.datetime
    published_at: datetime.datetime | None


class QuestionnaireOut(Schema):
    id: int
    municipality: str | None = Field(None, description="SOATE code; empty for a template")
    key: str
    title_ky: str | None
    title_ru: str | None
    title_en: str | None
    services: list[str] = Field(description="Service slugs")

    @staticmethod
    def resolve_municipality(obj: Questionnaire) -> str | None:
        return obj.municipality.code if obj.municipality else None

    @staticmethod
    def resolve_services(obj: Questionnaire) -> list[str]:
        return [s.slug for s in obj.services.all()]


class QuestionnaireDetailOut(QuestionnaireOut):
    versions: list[VersionSummary]

    @staticmethod
    def resolve_versions(obj: Questionnaire) -> list[QuestionnaireVersion]:
        return obj.visible_versions  # type: ignore[attr-defined]


class VersionOut(VersionSummary):
    questionnaire: int = Field(alias="questionnaire_id")
    definition: dict[str, Any] = Field(
        description="The form: groups and questions (items) and choice lists, every label "
        "in ky, ru and en"
    )


class FormProblemOut(Schema):
    sheet: str
    row: int | None
    message: str


class ImportErrorOut(Schema):
    detail: list[str]
    problems: list[FormProblemOut]


def _visible(request, pk: int) -> tuple[Questionnaire, bool]:
    questionnaire = get_object_or_404(questionnaire_visible(user=request.user), pk=pk)
    return questionnaire, request.user.has_perm("surveys.view_drafts", questionnaire.municipality)


@router.get(
    "/questionnaires",
    response=list[QuestionnaireOut],
    auth=READ_AUTH,
    summary="Questionnaires you may see (templates when no municipality is given)",
)
def list_questionnaires(request, municipality: str | None = None):
    qs = questionnaire_visible(user=request.user)
    if municipality:
        qs = qs.filter(municipality__code=municipality)
    else:
        qs = qs.filter(municipality__isnull=True)
    return qs.order_by("pk")


@router.get(
    "/questionnaires/{pk}",
    response=QuestionnaireDetailOut,
    auth=READ_AUTH,
    summary="A questionnaire with its versions",
)
def get_questionnaire(request, pk: int):
    questionnaire, sees_drafts = _visible(request, pk)
    questionnaire.visible_versions = list(  # type: ignore[attr-defined]
        version_list(questionnaire=questionnaire, include_drafts=sees_drafts)
    )
    return questionnaire


def _version(request, pk: int, number: int) -> tuple[Questionnaire, QuestionnaireVersion]:
    questionnaire, sees_drafts = _visible(request, pk)
    version = get_object_or_404(
        version_list(questionnaire=questionnaire, include_drafts=sees_drafts), number=number
    )
    return questionnaire, version


@router.get(
    "/questionnaires/{pk}/versions/{number}",
    response=VersionOut,
    auth=READ_AUTH,
    summary="One version with its form definition",
)
def get_version(request, pk: int, number: int):
    return _version(request, pk, number)[1]


@router.get(
    "/questionnaires/{pk}/versions/{number}/xlsform",
    auth=READ_AUTH,
    summary="One version as an XLSForm workbook (.xlsx)",
    openapi_extra={
        "responses": {
            200: {
                "description": "XLSForm workbook",
                "content": {
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}
                },
            }
        }
    },
)
def export_version(request, pk: int, number: int):
    questionnaire, version = _version(request, pk, number)
    form_id = slugify(questionnaire.key or f"aimak-{questionnaire.pk}").replace("-", "_")
    response = HttpResponse(
        xlsform_write(
            definition=version.form,
            title=questionnaire.title,
            form_id=form_id,
            version=str(version.number),
        ),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{form_id}_v{number}.xlsx"'
    return response


@router.post(
    "/municipalities/{code}/questionnaires/xlsform",
    auth=TokenAuth(),
    response={201: QuestionnaireOut, 422: ImportErrorOut},
    summary="Import an XLSForm as a new draft questionnaire (staff and monitoring "
    "group of that municipality)",
)
def import_questionnaire(request, code: str, file: UploadedFile = File(...)):  # noqa: B008
    municipality = get_object_or_404(Territory, code=code, level__in=MUNICIPAL_LEVELS)
    if not request.user.has_perm("surveys.edit_questionnaires", municipality):
        raise PermissionDenied(
            _("You may not change the questionnaires of %(unit)s.") % {"unit": municipality.name}
        )
    if file.size and file.size > MAX_UPLOAD_BYTES:
        message = _("The file is larger than %(limit)s MB; an XLSForm is usually much smaller.") % {
            "limit": MAX_UPLOAD_BYTES // (1024 * 1024)
        }
        return Status(
            422, {"detail": [message], "problems": [{"sheet": "", "row": None, "message": message}]}
        )
    try:
        questionnaire, _imported = questionnaire_import_xlsform(
            municipality=municipality,
            data=file.read(),
            user=request.user,
            language=get_language() or "ky",
            file_name=file.name or "",
        )
    except XLSFormError as exc:
        return Status(
            422,
            {
                "detail": [str(p) for p in exc.problems],
                "problems": [
                    {"sheet": p.sheet, "row": p.row, "message": p.message} for p in exc.problems
                ],
            },
        )
    return Status(201, questionnaire)
