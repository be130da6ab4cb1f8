"""Every write to questionnaires and their versions.

A published version is frozen: every function that changes a definition goes through
`_draft_for_update`, which locks the version row and refuses anything but a draft.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aimak.catalogue.models import Service
from aimak.territories.models import Territory

from .definition import (
    OTHER_VILLAGE,
    SELECT_TYPES,
    VILLAGES_LIST,
    YES_NO_LIST,
    Choice,
    ChoiceList,
    Definition,
    Group,
    Question,
    QuestionType,
    Text,
    definition_combine,
    definition_load,
    publish_errors,
    structure_errors,
)
from .models import Questionnaire, QuestionnaireVersion, VersionStatus
from .standard import (
    COMMON_LISTS,
    PROFILE,
    SERVICES,
    TITLE,
    template_definition,
    template_key,
    template_title,
)
from .xlsform import ImportedForm, xlsform_read


def _user(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


def _set_title(questionnaire: Questionnaire, title: Text) -> None:
    questionnaire.title_ky = title.ky
    questionnaire.title_ru = title.ru
    questionnaire.title_en = title.en
    questionnaire.title = title.ru or title.ky or title.en


def _check_structure(definition: Definition) -> None:
    errors = structure_errors(definition)
    if errors:
        raise ValidationError(errors)


def _draft_for_update(version: QuestionnaireVersion) -> QuestionnaireVersion:
    """The version, locked for this transaction; refuses a published (frozen) version."""
    locked = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    if locked.status != VersionStatus.DRAFT:
        raise ValidationError(
            _(
                "Version %(number)s is published and can no longer change; "
                "make a new draft to edit the questionnaire."
            )
            % {"number": locked.number}
        )
    return locked


def _edit(
    version: QuestionnaireVersion, change: Callable[[Definition], None]
) -> QuestionnaireVersion:
    with transaction.atomic():
        locked = _draft_for_update(version)
        definition = definition_load(locked.definition)
        change(definition)
        _check_structure(definition)
        locked.definition = definition.dump()
        locked.save(update_fields=["definition"])
    return locked


# Creating questionnaires ---------------------------------------------------------------


def _questionnaire_create(
    *,
    municipality: Territory | None,
    title: Text,
    definition: Definition,
    user: Any,
    services: Iterable[Service] = (),
    key: str = "",
    note: str = "",
    status: str = VersionStatus.DRAFT,
) -> Questionnaire:
    if municipality is not None and not municipality.is_municipality:
        raise ValidationError(_("%(unit)s is not a municipality.") % {"unit": municipality.name})
    _check_structure(definition)
    questionnaire = Questionnaire(municipality=municipality, key=key, created_by=_user(user))
    _set_title(questionnaire, title)
    questionnaire.save()
    questionnaire.services.set(list(services))
    now = timezone.now()
    published = status == VersionStatus.PUBLISHED
    QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=1,
        status=status,
        definition=definition.dump(),
        note=note,
        created_by=_user(user),
        published_at=now if published else None,
        published_by=_user(user) if published else None,
    )
    return questionnaire


def villages_list(*, municipality: Territory) -> ChoiceList:
    """The municipality's current villages from the registry (by SOATE code), then "other"."""
    villages = Territory.objects.filter(parent=municipality, valid_to__isnull=True).order_by("code")
    other = next(c for c in COMMON_LISTS if c.name == VILLAGES_LIST).choices[-1]
    assert other.name == OTHER_VILLAGE
    # The registry lacks some names in some languages; a place keeps its name then.
    return ChoiceList(
        name=VILLAGES_LIST,
        choices=[
            *(
                Choice(
                    name=v.code,
                    label=Text(
                        ky=v.name_ky or v.name_ru or v.name or "",
                        ru=v.name_ru or v.name_ky or v.name or "",
                        en=v.name_en or v.name_ru or v.name or "",
                    ),
                )
                for v in villages
            ),
            other.model_copy(deep=True),
        ],
    )


def questionnaire_create_from_templates(
    *,
    municipality: Territory,
    services: Iterable[Service],
    user: Any,
    title: Text | None = None,
    key: str = "",
) -> Questionnaire:
    """A draft for `municipality`: the profile once, then each chosen service's section,
    copied from the latest published version of each standard template."""
    chosen = list(services)
    if not chosen:
        raise ValidationError(_("Choose at least one service."))
    definitions = []
    for service in sorted(chosen, key=lambda s: (s.order, s.slug)):
        template = Questionnaire.objects.filter(key=template_key(service.slug)).first()
        version = (
            template.versions.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()
            if template
            else None
        )
        if version is None:
            raise ValidationError(
                _("There is no standard template for %(service)s yet.") % {"service": service.name}
            )
        definitions.append(version.form)
    definition = definition_combine(definitions, profile=PROFILE)
    if definition.list_by_name(VILLAGES_LIST) is not None:
        definition.lists = [
            villages_list(municipality=municipality) if cl.name == VILLAGES_LIST else cl
            for cl in definition.lists
        ]
    year = timezone.localdate().year
    title = title or Text(
        ky=f"{TITLE[0]}, {year}", ru=f"{TITLE[1]}, {year}", en=f"{TITLE[2]}, {year}"
    )
    with transaction.atomic():
        return _questionnaire_create(
            municipality=municipality,
            title=title,
            definition=definition,
            user=user,
            services=chosen,
            key=key,
            note=_("Made from the standard templates."),
        )


def questionnaire_import_xlsform(
    *, municipality: Territory, data: bytes, user: Any, language: str, file_name: str = ""
) -> tuple[Questionnaire, ImportedForm]:
    """A new draft questionnaire from an XLSForm; raises XLSFormError naming each problem."""
    imported = xlsform_read(data, default_language=language)
    title = imported.title or imported.form_id or file_name or _("Imported questionnaire")
    with transaction.atomic():
        questionnaire = _questionnaire_create(
            municipality=municipality,
            title=Text(**{language: title}),
            definition=imported.definition,
            user=user,
            note=_("Imported from the XLSForm %(file)s.") % {"file": file_name or "—"},
        )
    return questionnaire, imported


def questionnaire_title_set(*, questionnaire: Questionnaire, title: Text) -> Questionnaire:
    if title.is_empty():
        raise ValidationError(_("The questionnaire needs a title."))
    _set_title(questionnaire, title)
    questionnaire.save(update_fields=["title", "title_ky", "title_ru", "title_en"])
    return questionnaire


# Templates -----------------------------------------------------------------------------


def questionnaire_templates_load() -> tuple[int, int]:
    """Create or update the standard templates; returns (added, new versions). Idempotent:
    a template whose latest published version already says the same is left alone."""
    added = updated = 0
    with transaction.atomic():
        for spec in SERVICES:
            definition = template_definition(spec.slug)
            title = template_title(spec.slug)
            service = Service.objects.filter(slug=spec.slug).first()
            existing = Questionnaire.objects.filter(key=template_key(spec.slug)).first()
            if existing is None:
                _questionnaire_create(
                    municipality=None,
                    title=title,
                    definition=definition,
                    user=None,
                    services=[service] if service else [],
                    key=template_key(spec.slug),
                    status=VersionStatus.PUBLISHED,
                    note="Aimak standard template",
                )
                added += 1
                continue
            if (existing.title_ky, existing.title_ru, existing.title_en) != (
                title.ky,
                title.ru,
                title.en,
            ):
                questionnaire_title_set(questionnaire=existing, title=title)
            latest = existing.versions.order_by("-number").first()
            if latest is not None and latest.definition == definition.dump():
                continue
            QuestionnaireVersion.objects.filter(
                questionnaire=existing, status=VersionStatus.DRAFT
            ).delete()
            QuestionnaireVersion.objects.create(
                questionnaire=existing,
                number=(latest.number + 1) if latest else 1,
                status=VersionStatus.PUBLISHED,
                definition=definition.dump(),
                note="Aimak standard template",
                published_at=timezone.now(),
            )
            updated += 1
    return added, updated


# Versions ------------------------------------------------------------------------------


def version_publish(*, version: QuestionnaireVersion, user: Any) -> QuestionnaireVersion:
    """Freeze a draft: from now on answers can point to it and it never changes."""
    with transaction.atomic():
        locked = _draft_for_update(version)
        errors = publish_errors(definition_load(locked.definition))
        if errors:
            raise ValidationError(errors)
        locked.status = VersionStatus.PUBLISHED
        locked.published_at = timezone.now()
        locked.published_by = _user(user)
        locked.save(update_fields=["status", "published_at", "published_by"])
    return locked


def version_draft_create(*, questionnaire: Questionnaire, user: Any) -> QuestionnaireVersion:
    """A new draft copied from the latest version; the existing draft if there is one."""
    with transaction.atomic():
        Questionnaire.objects.select_for_update().filter(pk=questionnaire.pk).first()
        draft = questionnaire.versions.filter(status=VersionStatus.DRAFT).first()
        if draft is not None:
            return draft
        latest = questionnaire.versions.order_by("-number").first()
        if latest is None:
            raise ValidationError(_("This questionnaire has no version to copy."))
        return QuestionnaireVersion.objects.create(
            questionnaire=questionnaire,
            number=latest.number + 1,
            status=VersionStatus.DRAFT,
            definition=latest.definition,
            note=_("Copied from version %(number)s.") % {"number": latest.number},
            created_by=_user(user),
        )


def question_update(
    *,
    version: QuestionnaireVersion,
    name: str,
    label: Text,
    hint: Text,
    required: bool,
    relevant: str,
    constraint: str,
    constraint_message: Text,
    list_name: str | None = None,
) -> QuestionnaireVersion:
    def change(definition: Definition) -> None:
        found = definition.find(name)
        if found is None:
            raise ValidationError(_("There is no question called “%(name)s”.") % {"name": name})
        item = found[0]
        item.label = label
        item.relevant = relevant.strip()
        if isinstance(item, Question):
            item.hint = hint
            item.required = required
            item.constraint = constraint.strip()
            item.constraint_message = constraint_message
            if list_name is not None and item.type in (
                QuestionType.SELECT_ONE,
                QuestionType.SELECT_MULTIPLE,
                QuestionType.RATING,
            ):
                item.list_name = list_name

    return _edit(version, change)


def question_add(
    *,
    version: QuestionnaireVersion,
    name: str,
    question_type: str,
    label: Text,
    group: str = "",
    list_name: str = "",
) -> QuestionnaireVersion:
    """Add a question at the end of `group` (top level when empty). A new choice list is
    made, empty, when a choice question names one that does not exist yet."""
    qtype = QuestionType(question_type)

    def change(definition: Definition) -> None:
        container = _container(definition, group)
        fixed = {QuestionType.YES_NO: YES_NO_LIST, QuestionType.VILLAGE: VILLAGES_LIST}
        chosen_list = fixed.get(qtype, list_name.strip()) if qtype in SELECT_TYPES else ""
        if qtype in SELECT_TYPES and not chosen_list:
            raise ValidationError(_("A choice question needs a choice list."))
        if chosen_list and definition.list_by_name(chosen_list) is None:
            definition.lists.append(_new_list(chosen_list, version))
        container.append(
            Question(name=name.strip(), type=qtype, label=label, list_name=chosen_list)
        )

    return _edit(version, change)


def _new_list(name: str, version: QuestionnaireVersion) -> ChoiceList:
    if name == YES_NO_LIST:
        return next(c for c in COMMON_LISTS if c.name == YES_NO_LIST).model_copy(deep=True)
    if name == VILLAGES_LIST:
        municipality = version.questionnaire.municipality
        if municipality is not None:
            return villages_list(municipality=municipality)
        return next(c for c in COMMON_LISTS if c.name == VILLAGES_LIST).model_copy(deep=True)
    return ChoiceList(name=name)


def _container(definition: Definition, group: str) -> list[Question | Group]:
    if not group:
        return definition.items
    found = definition.find(group)
    if found is None or not isinstance(found[0], Group):
        raise ValidationError(_("There is no group called “%(name)s”.") % {"name": group})
    return found[0].items


def group_add(
    *, version: QuestionnaireVersion, name: str, label: Text, parent: str = "", repeat: bool = False
) -> QuestionnaireVersion:
    def change(definition: Definition) -> None:
        _container(definition, parent).append(Group(name=name.strip(), label=label, repeat=repeat))

    return _edit(version, change)


def item_move(*, version: QuestionnaireVersion, name: str, offset: int) -> QuestionnaireVersion:
    """Move a question or group up (offset -1) or down (+1) among its siblings."""

    def change(definition: Definition) -> None:
        found = definition.find(name)
        if found is None:
            raise ValidationError(_("There is no question called “%(name)s”.") % {"name": name})
        item, siblings = found
        index = siblings.index(item)
        target = max(0, min(len(siblings) - 1, index + offset))
        siblings.insert(target, siblings.pop(index))

    return _edit(version, change)


def item_remove(*, version: QuestionnaireVersion, name: str) -> QuestionnaireVersion:
    """Remove a question, or a group with everything in it. Lists no one uses go too."""

    def change(definition: Definition) -> None:
        found = definition.find(name)
        if found is None:
            raise ValidationError(_("There is no question called “%(name)s”.") % {"name": name})
        item, siblings = found
        siblings.remove(item)
        used = {q.list_name for q in definition.questions() if q.list_name}
        definition.lists = [cl for cl in definition.lists if cl.name in used]

    return _edit(version, change)


def choice_list_set(
    *, version: QuestionnaireVersion, list_name: str, choices: list[Choice]
) -> QuestionnaireVersion:
    """Replace the choices of a list (labels edited, choices added or removed, in order)."""

    def change(definition: Definition) -> None:
        choice_list = definition.list_by_name(list_name)
        if choice_list is None:
            raise ValidationError(
                _("There is no choice list called “%(name)s”.") % {"name": list_name}
            )
        choice_list.choices = choices

    return _edit(version, change)
