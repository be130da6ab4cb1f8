"""A round's interviews as columns of small integers, one column per select question.

Analysis reads a whole round at once, so the answers (one JSON document per interview)
are read in one streaming query and turned into numpy arrays: a single-choice answer
becomes the index of its choice in the question's list, a multiple-choice answer the
index of its *pattern* (the set of choices ticked; `members` says which choices each
pattern holds). The last code of every column means "no answer". Choice names that the
version's list lacks (an import from another version) get codes after the list's own, so
nothing read is dropped. Numbers, dates and text are not read: no index uses them yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from aimak.surveys.definition import Definition, Group, QuestionType

SINGLE_TYPES = frozenset(
    {QuestionType.SELECT_ONE, QuestionType.RATING, QuestionType.YES_NO, QuestionType.VILLAGE}
)
CHUNK = 2000  # interviews per database round trip


@dataclass
class Column:
    """One select question over all interviews of a round.

    codes[i] is interview i's pattern; pattern p holds the categories members[p]. For a
    single-choice question pattern k is category k; the last pattern is "no answer".
    """

    name: str
    multi: bool
    categories: list[str]
    codes: NDArray[np.integer[Any]]  # the smallest integer type that holds the patterns
    members: NDArray[np.bool_]  # (patterns, categories)

    @property
    def missing(self) -> int:
        """The code of "no answer" (the last pattern)."""
        return len(self.members) - 1

    @property
    def patterns(self) -> int:
        return len(self.members)


@dataclass
class Frame:
    n: int
    columns: dict[str, Column]


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    multi: bool
    categories: tuple[str, ...]


def _small(codes: NDArray[np.integer[Any]], patterns: int) -> NDArray[np.integer[Any]]:
    dtype = np.int8 if patterns < 2**7 else np.int16 if patterns < 2**15 else np.int32
    return codes.astype(dtype)


def single_column(name: str, categories: Sequence[str], codes: Sequence[int] | Any) -> Column:
    """A single-choice column from category indexes, −1 (or len(categories)) for none."""
    k = len(categories)
    raw = np.asarray(codes, dtype=np.int64)
    fixed = np.where((raw < 0) | (raw >= k), k, raw)
    members = np.zeros((k + 1, k), dtype=bool)
    members[np.arange(k), np.arange(k)] = True
    return Column(name, False, list(categories), _small(fixed, k + 1), members)


def multi_column(
    name: str, categories: Sequence[str], chosen: Any, answered: Any | None = None
) -> Column:
    """A multiple-choice column from a (respondents × categories) boolean matrix; rows
    not `answered` (default: nothing ticked) have no answer."""
    ticks = np.asarray(chosen, dtype=bool)
    n, k = ticks.shape
    done = ticks.any(axis=1) if answered is None else np.asarray(answered, dtype=bool)
    if n == 0:
        return Column(name, True, list(categories), np.zeros(0, np.int64), np.zeros((1, k), bool))
    unique, inverse = np.unique(ticks[done], axis=0, return_inverse=True)
    codes = np.full(n, len(unique), dtype=np.int64)
    codes[done] = inverse.reshape(-1)
    members = np.vstack([unique.reshape(-1, k), np.zeros((1, k), dtype=bool)])
    return Column(name, True, list(categories), _small(codes, len(members)), members)


def frame_columns(definition: Definition) -> list[ColumnSpec]:
    """The select questions of a form (outside repeated groups) as columns to read."""
    specs: list[ColumnSpec] = []

    def visit(items: list[Any]) -> None:
        for item in items:
            if isinstance(item, Group):
                if not item.repeat:
                    visit(item.items)
                continue
            if item.type in SINGLE_TYPES or item.type == QuestionType.SELECT_MULTIPLE:
                choice_list = definition.list_by_name(item.list_name)
                names = tuple(c.name for c in choice_list.choices) if choice_list else ()
                specs.append(
                    ColumnSpec(item.name, item.type == QuestionType.SELECT_MULTIPLE, names)
                )

    visit(definition.items)
    return specs


def frame_from_answers(answers: Iterable[dict[str, Any]], specs: Sequence[ColumnSpec]) -> Frame:
    """Read answer documents (question name -> value, see aimak/surveys/answers.py)."""
    index = [{name: i for i, name in enumerate(spec.categories)} for spec in specs]
    categories = [list(spec.categories) for spec in specs]
    singles: list[list[int]] = [[] for _ in specs]
    ticked: list[list[tuple[int, ...] | None]] = [[] for _ in specs]
    names = [spec.name for spec in specs]
    multi = [spec.multi for spec in specs]
    n = 0

    def code_of(j: int, value: Any) -> int:
        key = value if isinstance(value, str) else str(value)
        code = index[j].get(key)
        if code is None:  # a name the list lacks: keep it as a category of its own
            code = index[j][key] = len(categories[j])
            categories[j].append(key)
        return code

    for row in answers:
        n += 1
        for j, name in enumerate(names):
            value = row.get(name)
            if multi[j]:
                if value is None or value == "":
                    ticked[j].append(None)
                else:
                    values = value if isinstance(value, list) else str(value).split()
                    ticked[j].append(tuple(code_of(j, v) for v in values))
            elif value is None or value == "" or isinstance(value, list | dict):
                singles[j].append(-1)
            else:
                singles[j].append(code_of(j, value))
    columns: dict[str, Column] = {}
    for j, spec in enumerate(specs):
        if spec.multi:
            k = len(categories[j])
            chosen = np.zeros((n, k), dtype=bool)
            answered = np.zeros(n, dtype=bool)
            for i, picks in enumerate(ticked[j]):
                if picks is not None:
                    answered[i] = True
                    chosen[i, list(picks)] = True
            columns[spec.name] = multi_column(spec.name, categories[j], chosen, answered)
        else:
            columns[spec.name] = single_column(spec.name, categories[j], singles[j])
    return Frame(n=n, columns=columns)


def round_frame(round: Any, specs: Sequence[ColumnSpec]) -> Frame:
    """All interviews of `round` in one streaming query, oldest first."""
    from aimak.surveys.models import Interview

    rows = (
        Interview.objects.filter(round=round)
        .order_by("pk")
        .values_list("answers", flat=True)
        .iterator(chunk_size=CHUNK)
    )
    return frame_from_answers(rows, specs)
