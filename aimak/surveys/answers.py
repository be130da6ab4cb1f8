"""Reading and checking one interview's answers against its frozen questionnaire version.

Answers are one JSON object per interview, keyed by question name (names are unique across
a form). Values by question type:

    select_one, rating, yes_no, village  the choice's name ("2", "yes", SOATE code, "other")
    select_multiple                      a list of choice names, in list order
    integer                              a whole number
    decimal                              a number
    text                                 a string
    date                                 "YYYY-MM-DD"
    a repeated group                     a list of objects, one per repetition

`FormChecker.clean` takes what a phone, the API or an import sent (values as JSON or as
text from a spreadsheet), applies skip conditions in form order (answers to questions that
are not relevant are dropped, as ODK does), checks required answers, choice lists and
constraints, and returns the clean answers and every problem with the question it concerns.
The same checker serves the interview form's server-side check, the API and imports.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from .definition import Definition, Group, Question, QuestionType
from .expressions import ExpressionError, Node, expression_compile, expression_references, is_true

# Spreadsheet cells that would run as formulas in Excel or LibreOffice start with these.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d", "%d.%m.%y")
_INT_RE = re.compile(r"^[+-]?\d+$")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
SEX_QUESTION = "sex"  # or any question using the list "sex"
TRUE_WORDS = {"yes", "да", "ооба", "1", "true"}
FALSE_WORDS = {"no", "нет", "жок", "0", "false"}


@dataclass
class Problem:
    question: str
    message: str
    value: str = ""


MEMO_LIMIT = 20_000  # remembered results per question or condition (imports repeat a lot)


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


class Condition:
    """A compiled skip condition or constraint that remembers its results by the values it
    reads: an import of 100,000 rows asks the same few questions over and over."""

    __slots__ = ("memo", "node", "refs", "single", "uses_self")

    def __init__(self, node: Node | None) -> None:
        self.node = node
        self.refs = tuple(sorted(expression_references(node)))
        self.single = self.refs[0] if len(self.refs) == 1 else None
        self.uses_self = _uses(node, "self")
        # today() changes; anything else depends only on the values read.
        self.memo: dict[Any, bool] | None = None if _uses(node, "today") else {}

    def holds(self, scope: dict[str, Any], current: Any = None) -> bool:
        if self.node is None:
            return True
        memo = self.memo
        if memo is None:
            return is_true(self.node, scope, current)
        if self.single is not None:
            key: Any = scope.get(self.single)
            if key.__class__ is list:
                key = tuple(key)
        else:
            key = tuple(_hashable(scope.get(r)) for r in self.refs)
        if self.uses_self:
            key = (*key, _hashable(current))
        try:
            return memo[key]
        except KeyError:
            result = is_true(self.node, scope, current)
            if len(memo) < MEMO_LIMIT:
                memo[key] = result
            return result
        except TypeError:  # an unhashable value (a repeat's rows)
            return is_true(self.node, scope, current)


def _uses(node: Node | None, what: str) -> bool:
    if node is None:
        return False
    if node[0] == what or (node[0] == "fn" and node[1] == what):
        return True
    return any(isinstance(part, list) and _uses(part, what) for part in node[1:])


@dataclass
class CompiledQuestion:
    question: Question
    relevant: Node | None
    constraint: Node | None
    choices: dict[str, str] = field(default_factory=dict)  # name -> name, also by label
    labels: dict[str, str] = field(default_factory=dict)  # folded label -> choice name
    when: Condition = field(init=False)
    allowed: Condition = field(init=False)
    memo: dict[str, Any] = field(default_factory=dict)  # spreadsheet text -> (value, None)

    def __post_init__(self) -> None:
        self.when = Condition(self.relevant)
        self.allowed = Condition(self.constraint)


@dataclass
class CompiledGroup:
    group: Group
    relevant: Node | None
    items: list[CompiledQuestion | CompiledGroup]
    when: Condition = field(init=False)

    def __post_init__(self) -> None:
        self.when = Condition(self.relevant)


def _fold(text: str) -> str:
    return _SPACES.sub(" ", text).strip().casefold()


def parse_date(raw: str) -> datetime.date | None:
    raw = raw.strip()
    if "T" in raw:  # 2026-05-03T10:00:00.000+06:00 (Kobo's date-times)
        raw = raw.split("T", 1)[0]
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    return None


def parse_number(raw: str) -> Decimal | None:
    """A number as people type it: decimal comma or point, spaces between thousands."""
    text = _SPACES.sub("", raw)
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


class FormChecker:
    """Everything needed to check answers to one version, compiled once."""

    def __init__(self, definition: Definition) -> None:
        self.definition = definition
        self.errors: list[str] = []
        self.items = [self._compile(item) for item in definition.items]
        self.questions: dict[str, CompiledQuestion] = {}
        self.repeats: dict[str, CompiledGroup] = {}
        self._index(self.items)
        # The questions that give an interview's village and sex (quotas, filters), if any.
        self.village_question = next(
            (n for n, c in self.questions.items() if c.question.type == QuestionType.VILLAGE),
            None,
        )
        self.sex_question = next(
            (
                n
                for n, c in self.questions.items()
                if n == SEX_QUESTION or c.question.list_name == SEX_QUESTION
            ),
            None,
        )

    def quota_values(self, clean: dict[str, Any]) -> tuple[str | None, str]:
        """The village code (None when not answered) and sex ("" when not) of clean answers."""
        village = clean.get(self.village_question) if self.village_question else None
        sex = clean.get(self.sex_question) if self.sex_question else None
        return (str(village) if village else None), str(sex or "")

    def _node(self, name: str, text: str) -> Node | None:
        try:
            return expression_compile(text)
        except ExpressionError as error:
            self.errors.append(f"{name}: {error}")
            return None

    def _compile(self, item: Question | Group) -> CompiledQuestion | CompiledGroup:
        if isinstance(item, Group):
            return CompiledGroup(
                group=item,
                relevant=self._node(item.name, item.relevant),
                items=[self._compile(sub) for sub in item.items],
            )
        compiled = CompiledQuestion(
            question=item,
            relevant=self._node(item.name, item.relevant),
            constraint=self._node(item.name, item.constraint),
        )
        if item.is_select:
            choice_list = self.definition.list_by_name(item.list_name)
            for choice in choice_list.choices if choice_list else []:
                compiled.choices[choice.name] = choice.name
                compiled.choices[choice.name.casefold()] = choice.name
                for language in ("ky", "ru", "en"):
                    label = getattr(choice.label, language)
                    if label:
                        compiled.labels.setdefault(_fold(label), choice.name)
        return compiled

    def _index(self, items: list[CompiledQuestion | CompiledGroup]) -> None:
        for item in items:
            if isinstance(item, CompiledGroup):
                if item.group.repeat:
                    self.repeats[item.group.name] = item
                self._index(item.items)
            else:
                self.questions[item.question.name] = item

    # Values --------------------------------------------------------------------------

    def value(self, compiled: CompiledQuestion, raw: Any) -> Any:
        """The stored value for `raw` (JSON value or spreadsheet text), None when empty.

        Raises ValueError with a message in the user's language when it cannot be read.
        """
        if raw is None:
            return None
        if isinstance(raw, str) and compiled.question.type != QuestionType.TEXT:
            memo = compiled.memo
            found = memo.get(raw)
            if found is None:
                # Only readings are remembered: a refusal is worded again in the language
                # of whoever asks (the checker is shared by everyone in this process).
                found = (self._value(compiled, raw), None)
                if len(memo) < MEMO_LIMIT:
                    memo[raw] = found
            value = found[0]
            return list(value) if isinstance(value, list) else value
        return self._value(compiled, raw)

    def _value(self, compiled: CompiledQuestion, raw: Any) -> Any:
        question = compiled.question
        qtype = question.type
        if isinstance(raw, str):
            text = raw.strip()
            if not text:
                return None
        else:
            text = ""
        if qtype == QuestionType.SELECT_MULTIPLE:
            if isinstance(raw, list):
                parts = [str(p).strip() for p in raw if str(p).strip()]
            elif isinstance(raw, str):
                parts = text.split()
                if any(p not in compiled.choices for p in parts):
                    label = compiled.labels.get(_fold(text))
                    parts = [label] if label else [p for p in re.split(r"[;,]", text) if p.strip()]
            else:
                raise ValueError(_("a list of choices was expected"))
            chosen: set[str] = set()
            for part in parts:
                name = compiled.choices.get(part.strip()) or compiled.choices.get(
                    part.strip().casefold()
                )
                name = name or compiled.labels.get(_fold(part))
                if name is None:
                    raise ValueError(
                        _("“%(value)s” is not one of the choices of this question")
                        % {"value": part.strip()}
                    )
                chosen.add(name)
            if not chosen:
                return None
            order = list(dict.fromkeys(compiled.choices.values()))
            return [name for name in order if name in chosen]
        if question.is_select:
            if isinstance(raw, bool) and qtype == QuestionType.YES_NO:
                return "yes" if raw else "no"
            if isinstance(raw, int | float) and not isinstance(raw, bool):
                text = str(int(raw)) if float(raw).is_integer() else str(raw)
            elif not isinstance(raw, str):
                raise ValueError(_("one choice was expected"))
            name = compiled.choices.get(text) or compiled.choices.get(text.casefold())
            name = name or compiled.labels.get(_fold(text))
            if name is None and qtype == QuestionType.YES_NO:
                word = text.casefold()
                name = "yes" if word in TRUE_WORDS else "no" if word in FALSE_WORDS else None
            if name is None and qtype == QuestionType.RATING and parse_number(text) is not None:
                number = parse_number(text)
                if number is not None and number == number.to_integral_value():
                    name = compiled.choices.get(str(int(number)))
            if name is None:
                raise ValueError(
                    _("“%(value)s” is not one of the choices of this question") % {"value": text}
                )
            return name
        if qtype == QuestionType.INTEGER:
            if isinstance(raw, bool):
                raise ValueError(_("a whole number was expected"))
            if isinstance(raw, int):
                return raw
            if isinstance(raw, float) and raw.is_integer():
                return int(raw)
            number = parse_number(text) if isinstance(raw, str) else None
            if number is None or number != number.to_integral_value():
                raise ValueError(_("“%(value)s” is not a whole number") % {"value": raw})
            return int(number)
        if qtype == QuestionType.DECIMAL:
            if isinstance(raw, bool):
                raise ValueError(_("a number was expected"))
            if isinstance(raw, int | float):
                return raw
            number = parse_number(text) if isinstance(raw, str) else None
            if number is None:
                raise ValueError(_("“%(value)s” is not a number") % {"value": raw})
            return int(number) if number == number.to_integral_value() else float(number)
        if qtype == QuestionType.DATE:
            date = parse_date(text) if isinstance(raw, str) else None
            if date is None:
                raise ValueError(
                    _("“%(value)s” is not a date (write it as 2026-05-31 or 31.05.2026)")
                    % {"value": raw}
                )
            return date.isoformat()
        # text
        if not isinstance(raw, str):
            raw = str(raw)
        return raw.strip()

    # Whole interviews ----------------------------------------------------------------

    def clean(self, answers: dict[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
        """Clean answers and problems; an interview with problems must not be stored."""
        problems: list[Problem] = []
        if not isinstance(answers, dict):
            return {}, [Problem("", _("The answers must be an object of name: value."))]
        known = set(self.questions) | set(self.repeats)
        for name in answers:
            if name not in known:
                problems.append(
                    Problem(name, _("There is no question called “%(name)s”.") % {"name": name})
                )
        clean: dict[str, Any] = {}
        self._clean_items(self.items, answers, clean, clean, problems, relevant=True)
        return clean, problems

    def _clean_items(
        self,
        items: list[CompiledQuestion | CompiledGroup],
        raw: dict[str, Any],
        out: dict[str, Any],
        scope: dict[str, Any],
        problems: list[Problem],
        *,
        relevant: bool,
    ) -> None:
        for item in items:
            if item.__class__ is CompiledGroup:
                assert isinstance(item, CompiledGroup)
                shown = relevant and item.when.holds(scope)
                if item.group.repeat:
                    rows = raw.get(item.group.name)
                    if not shown or rows in (None, ""):
                        continue
                    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
                        problems.append(
                            Problem(item.group.name, _("A list of repetitions was expected."))
                        )
                        continue
                    cleaned_rows = []
                    for row in rows:
                        row_out: dict[str, Any] = {}
                        self._clean_items(
                            item.items, row, row_out, {**scope, **row_out}, problems, relevant=True
                        )
                        # Later questions of a repetition see its earlier answers.
                        cleaned_rows.append(row_out)
                    out[item.group.name] = cleaned_rows
                    continue
                self._clean_items(item.items, raw, out, scope, problems, relevant=shown)
                continue
            assert isinstance(item, CompiledQuestion)
            question = item.question
            name = question.name
            if not relevant or not item.when.holds(scope):
                continue
            given = raw.get(name)
            found = item.memo.get(given) if given.__class__ is str else None
            if found is not None:  # text read before (only readings are remembered)
                value = found[0]
                if value.__class__ is list:
                    value = list(value)
            else:
                try:
                    value = self.value(item, given)
                except ValueError as error:
                    problems.append(Problem(name, str(error), _shown(given)))
                    continue
            if value is None:
                if question.required:
                    problems.append(Problem(name, _("An answer is required.")))
                continue
            if item.constraint is not None and not item.allowed.holds(scope, value):
                message = question.constraint_message.get(_current_language())
                problems.append(
                    Problem(name, message or _("The answer is not allowed."), _shown(value))
                )
                continue
            out[name] = value
            if scope is not out:
                scope[name] = value


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _current_language() -> str:
    from django.utils.translation import get_language

    return (get_language() or "ru")[:2]


def form_tree(definition: Definition, language: str) -> list[dict[str, Any]]:
    """The form as the phone form reads it: items with labels in one language and compiled
    expressions. Labels fall back to another language when one is missing."""

    lists = {cl.name: cl for cl in definition.lists}

    def item(entry: Question | Group) -> dict[str, Any]:
        if isinstance(entry, Group):
            return {
                "kind": "group",
                "name": entry.name,
                "label": entry.label.get(language),
                "relevant": expression_compile(entry.relevant),
                "repeat": entry.repeat,
                "items": [item(sub) for sub in entry.items],
            }
        data: dict[str, Any] = {
            "kind": "question",
            "name": entry.name,
            "type": str(entry.type),
            "label": entry.label.get(language),
            "hint": entry.hint.get(language),
            "required": entry.required,
            "relevant": expression_compile(entry.relevant),
            "constraint": expression_compile(entry.constraint),
            "constraint_message": entry.constraint_message.get(language),
        }
        if entry.is_select and entry.list_name in lists:
            data["choices"] = [
                [c.name, c.label.get(language)] for c in lists[entry.list_name].choices
            ]
        return data

    return [item(entry) for entry in definition.items]
