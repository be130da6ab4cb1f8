"""The form definition of a questionnaire version: one JSON document, checked by pydantic.

A definition is a tree of groups (optionally repeated) and questions, plus the choice
lists the select questions use. Every label is a `Text` in ky, ru and en. Names are unique
across the whole form (stricter than XLSForm, which only wants them unique per group),
because answers will point to a frozen version and a question name.

Question types and their XLSForm spelling (see xlsform.py):

    select_one, select_multiple  ->  select_one <list>, select_multiple <list>
    rating                       ->  select_one <list> with appearance "likert"; the list's
                                     choices named by whole numbers are the scale points,
                                     in order, and any other choice ("dk") is off the scale
    yes_no                       ->  select_one yes_no (list `yes_no` with yes, no)
    village                      ->  select_one villages (the municipality's villages from
                                     the registry, named by SOATE code, plus "other")
    integer, decimal, text, date ->  the same
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from enum import StrEnum
from typing import Annotated, Any, Literal

from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field

from .expressions import ExpressionError, expression_compile

LANGUAGES = ("ky", "ru", "en")
YES_NO_LIST = "yes_no"
VILLAGES_LIST = "villages"
OTHER_VILLAGE = "other"
NAME_RE = re.compile(r"^[^\W\d][\w.-]*$")


class QuestionType(StrEnum):
    SELECT_ONE = "select_one"
    SELECT_MULTIPLE = "select_multiple"
    RATING = "rating"
    YES_NO = "yes_no"
    INTEGER = "integer"
    DECIMAL = "decimal"
    TEXT = "text"
    DATE = "date"
    VILLAGE = "village"


SELECT_TYPES = frozenset(
    {
        QuestionType.SELECT_ONE,
        QuestionType.SELECT_MULTIPLE,
        QuestionType.RATING,
        QuestionType.YES_NO,
        QuestionType.VILLAGE,
    }
)
# Lists that belong to one question type and are named by convention.
FIXED_LISTS = {QuestionType.YES_NO: YES_NO_LIST, QuestionType.VILLAGE: VILLAGES_LIST}


class Text(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ky: str = ""
    ru: str = ""
    en: str = ""

    def get(self, language: str) -> str:
        """The text in `language`, else in ru, ky, en (the project's fallback order)."""
        for code in (language, "ru", "ky", "en"):
            value = getattr(self, code, "")
            if value:
                return value
        return ""

    def is_empty(self) -> bool:
        return not (self.ky or self.ru or self.en)


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["question"] = "question"
    name: str
    type: QuestionType
    label: Text = Field(default_factory=Text)
    hint: Text = Field(default_factory=Text)
    required: bool = False
    constraint: str = ""
    constraint_message: Text = Field(default_factory=Text)
    relevant: str = ""
    appearance: str = ""
    list_name: str = ""

    @property
    def is_select(self) -> bool:
        return self.type in SELECT_TYPES


class Group(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["group"] = "group"
    name: str
    label: Text = Field(default_factory=Text)
    relevant: str = ""
    appearance: str = ""
    repeat: bool = False
    items: list[Item] = Field(default_factory=list)


Item = Annotated[Question | Group, Field(discriminator="kind")]


class Choice(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    label: Text = Field(default_factory=Text)

    @property
    def scale_value(self) -> int | None:
        """The point on a rating scale this choice stands for (None: off the scale)."""
        return int(self.name) if re.fullmatch(r"-?\d+", self.name) else None


class ChoiceList(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    choices: list[Choice] = Field(default_factory=list)


class Definition(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[Item] = Field(default_factory=list)
    lists: list[ChoiceList] = Field(default_factory=list)

    # Reading helpers -----------------------------------------------------------------

    def walk(self) -> Iterator[tuple[Question | Group, Group | None]]:
        """Every group and question, depth first, with the group it sits in."""

        def visit(items: list[Question | Group], parent: Group | None):
            for item in items:
                yield item, parent
                if isinstance(item, Group):
                    yield from visit(item.items, item)

        return visit(self.items, None)

    def questions(self) -> list[Question]:
        return [item for item, _parent in self.walk() if isinstance(item, Question)]

    def groups(self) -> list[Group]:
        return [item for item, _parent in self.walk() if isinstance(item, Group)]

    def names(self) -> list[str]:
        return [item.name for item, _parent in self.walk()]

    def find(self, name: str) -> tuple[Question | Group, list[Question | Group]] | None:
        """The item called `name` and the list that holds it (to move or remove it)."""

        def search(items: list[Question | Group]):
            for item in items:
                if item.name == name:
                    return item, items
                if isinstance(item, Group):
                    found = search(item.items)
                    if found:
                        return found
            return None

        return search(self.items)

    def list_by_name(self, name: str) -> ChoiceList | None:
        return next((cl for cl in self.lists if cl.name == name), None)

    def dump(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


Group.model_rebuild()
Definition.model_rebuild()


def definition_load(data: dict[str, Any] | None) -> Definition:
    return Definition.model_validate(data or {})


# Checking --------------------------------------------------------------------------------

_TOKEN_RE = re.compile(r"""'[^']*'|"[^"]*"|\$\{([^}]*)\}|['"]|\$\{|[()\[\]]|[^'"$()\[\]]+|\$""")


def expression_problems(expression: str, *, known_names: Iterable[str]) -> list[str]:
    """Syntax problems of a relevant/constraint expression, and references to unknown names.

    Checks what breaks forms in practice: unclosed quotes, unbalanced brackets, malformed
    or dangling ${name} references. The full XPath check is left to the form engines.
    """
    problems: list[str] = []
    if not expression.strip():
        return problems
    known = set(known_names)
    depth: list[str] = []
    pairs = {")": "(", "]": "["}
    for match in _TOKEN_RE.finditer(expression):
        piece = match.group(0)
        if piece in ("'", '"'):
            problems.append(_("a quotation mark (%(mark)s) is not closed") % {"mark": piece})
        elif piece == "${":
            problems.append(_("a reference “${” is not closed with “}”"))
        elif piece.startswith("${"):
            ref = match.group(1).strip()
            if not NAME_RE.match(ref):
                problems.append(_("“%(ref)s” is not a valid question name") % {"ref": piece})
            elif ref not in known:
                problems.append(_("there is no question called “%(name)s”") % {"name": ref})
        elif piece in ("(", "["):
            depth.append(piece)
        elif piece in (")", "]"):
            if not depth or depth.pop() != pairs[piece]:
                problems.append(_("a closing bracket “%(b)s” has no opening one") % {"b": piece})
        elif piece == "$":
            problems.append(_("a “$” must start a reference like ${name}"))
    if depth:
        problems.append(_("a bracket “%(b)s” is not closed") % {"b": depth[-1]})
    return problems


def structure_errors(definition: Definition) -> list[str]:
    """Problems no saved definition may have, draft or not."""
    errors: list[str] = []
    seen: set[str] = set()
    for item, _parent in definition.walk():
        if not NAME_RE.match(item.name):
            errors.append(
                _(
                    "“%(name)s” is not a valid name: use letters, digits and _, "
                    "starting with a letter."
                )
                % {"name": item.name}
            )
        if item.name in seen:
            errors.append(
                _("The name “%(name)s” is used twice; every question and group needs its own name.")
                % {"name": item.name}
            )
        seen.add(item.name)
    list_names: set[str] = set()
    for choice_list in definition.lists:
        if not NAME_RE.match(choice_list.name):
            errors.append(_("“%(name)s” is not a valid list name.") % {"name": choice_list.name})
        if choice_list.name in list_names:
            errors.append(
                _("The choice list “%(name)s” is defined twice.") % {"name": choice_list.name}
            )
        list_names.add(choice_list.name)
        choice_names: set[str] = set()
        for choice in choice_list.choices:
            if not choice.name.strip() or any(c.isspace() for c in choice.name):
                errors.append(
                    _(
                        "Choice “%(choice)s” of list “%(list)s”: a choice's value "
                        "cannot be empty or contain spaces."
                    )
                    % {"choice": choice.name, "list": choice_list.name}
                )
            if choice.name in choice_names:
                errors.append(
                    _("The choice “%(choice)s” appears twice in list “%(list)s”.")
                    % {"choice": choice.name, "list": choice_list.name}
                )
            choice_names.add(choice.name)
    for question in definition.questions():
        if question.is_select:
            fixed = FIXED_LISTS.get(question.type)
            if fixed and question.list_name != fixed:
                errors.append(
                    _("Question “%(name)s” must use the list “%(list)s”.")
                    % {"name": question.name, "list": fixed}
                )
            elif not question.list_name or question.list_name not in list_names:
                errors.append(
                    _("Question “%(name)s” uses the choice list “%(list)s”, which does not exist.")
                    % {"name": question.name, "list": question.list_name}
                )
            elif not fixed and question.list_name in FIXED_LISTS.values():
                errors.append(
                    _(
                        "The list “%(list)s” is kept for its own question type; "
                        "question “%(name)s” cannot use it."
                    )
                    % {"name": question.name, "list": question.list_name}
                )
        elif question.list_name:
            errors.append(
                _("Question “%(name)s” is not a choice question and cannot have a choice list.")
                % {"name": question.name}
            )
    return errors


def publish_errors(definition: Definition) -> list[str]:
    """Everything that must be right before a version is frozen and used for interviews."""
    errors = structure_errors(definition)
    if not definition.questions():
        errors.append(_("The questionnaire has no questions."))
    names = definition.names()
    for item, _parent in definition.walk():
        if item.label.is_empty():
            errors.append(_("“%(name)s” has no label in any language.") % {"name": item.name})
        expressions = [(_("relevant"), item.relevant)]
        if isinstance(item, Question):
            expressions.append((_("constraint"), item.constraint))
        for column, expression in expressions:
            problems = expression_problems(expression, known_names=names)
            if not problems:
                try:
                    expression_compile(expression)
                except ExpressionError as error:
                    problems = [str(error)]
            for problem in problems:
                errors.append(
                    _("“%(name)s”, %(column)s: %(problem)s.")
                    % {"name": item.name, "column": column, "problem": problem}
                )
    used = {q.list_name for q in definition.questions() if q.is_select}
    for choice_list in definition.lists:
        if choice_list.name in used and not choice_list.choices:
            errors.append(
                _("The choice list “%(list)s” has no choices.") % {"list": choice_list.name}
            )
        for choice in choice_list.choices:
            if choice.label.is_empty():
                errors.append(
                    _("Choice “%(choice)s” of list “%(list)s” has no label.")
                    % {"choice": choice.name, "list": choice_list.name}
                )
    for question in definition.questions():
        if question.type == QuestionType.RATING:
            scale = definition.list_by_name(question.list_name)
            points = (
                [c.scale_value for c in scale.choices if c.scale_value is not None] if scale else []
            )
            if len(points) < 2 or points != sorted(points):
                errors.append(
                    _(
                        "Rating question “%(name)s”: its list needs at least two "
                        "points named by whole numbers in increasing order "
                        "(1, 2, 3 …)."
                    )
                    % {"name": question.name}
                )
        if question.type == QuestionType.YES_NO:
            yes_no = definition.list_by_name(YES_NO_LIST)
            if yes_no and [c.name for c in yes_no.choices] != ["yes", "no"]:
                errors.append(_("The list “yes_no” must have exactly the choices yes and no."))
    return errors


def definition_combine(definitions: list[Definition], *, profile: str) -> Definition:
    """One form from several: the group `profile` once (with every definition's profile
    questions, each once), then every other top-level item; lists merged by name."""
    combined = Definition()
    profile_group: Group | None = None
    seen: set[str] = set()
    for definition in definitions:
        for item in definition.items:
            if isinstance(item, Group) and item.name == profile:
                if profile_group is None:
                    profile_group = item.model_copy(deep=True)
                    combined.items.append(profile_group)
                    seen.update(i.name for i in profile_group.items)
                else:
                    for sub in item.items:
                        if sub.name not in seen:
                            profile_group.items.append(sub.model_copy(deep=True))
                            seen.add(sub.name)
            elif item.name not in {i.name for i in combined.items}:
                combined.items.append(item.model_copy(deep=True))
        for choice_list in definition.lists:
            existing = combined.list_by_name(choice_list.name)
            if existing is None:
                combined.lists.append(choice_list.model_copy(deep=True))
            elif existing != choice_list:
                raise ValueError(f"choice list {choice_list.name} differs between templates")
    return combined
