"""DEMO: made-up but plausible answers to a questionnaire, for the demo round, the tests and
the benchmarks. Every interview made here satisfies the form's skip conditions and
constraints, because it is built question by question with the form's own checker."""

from __future__ import annotations

import random
from typing import Any

from aimak.surveys.answers import CompiledGroup, CompiledQuestion, FormChecker
from aimak.surveys.definition import QuestionType
from aimak.surveys.expressions import is_true

# DEMO remarks people might give, in Kyrgyz and Russian.
REMARKS = [
    "Суу түнкүсүн гана келет, күндүз жок.",
    "Таштанды унаасы айына бир гана жолу келет.",
    "Кран суусу лай, кайнатып ичебиз.",
    "Вода идёт по графику, утром два часа.",
    "Мусор вывозят нерегулярно, контейнеров не хватает.",
    "Жалобу приняли, но ответа так и не было.",
    "Баары жакшы, рахмат.",
    "Всё устраивает.",
]
# Answers lean to the middle and upper points of a scale, as in real report cards.
SCALE_WEIGHTS = [0.12, 0.18, 0.3, 0.28, 0.12]


def _scale_choice(rng: random.Random, names: list[str]) -> str:
    points = [n for n in names if n.lstrip("-").isdigit()]
    if not points or rng.random() < 0.04:
        return rng.choice(names)
    weights = SCALE_WEIGHTS if len(points) == 5 else [1] * len(points)
    return rng.choices(points, weights=weights)[0]


def _candidate(rng: random.Random, compiled: CompiledQuestion, villages: list[str]) -> Any:
    question = compiled.question
    names = list(dict.fromkeys(compiled.choices.values()))
    qtype = question.type
    if qtype == QuestionType.YES_NO:
        return "yes" if rng.random() < (0.97 if question.name == "consent" else 0.6) else "no"
    if qtype == QuestionType.VILLAGE:
        return rng.choice(villages) if villages else (names[0] if names else None)
    if qtype == QuestionType.RATING:
        return _scale_choice(rng, names)
    if qtype == QuestionType.SELECT_ONE:
        return rng.choice(names) if names else None
    if qtype == QuestionType.SELECT_MULTIPLE:
        if not names:
            return None
        ordinary = [n for n in names if n != "none"]
        if "none" in names and rng.random() < 0.35:
            return ["none"]
        return rng.sample(ordinary, k=min(len(ordinary), rng.choice([1, 1, 2, 3])))
    if qtype == QuestionType.INTEGER:
        if "household" in question.name:
            return rng.choice([2, 3, 4, 4, 5, 5, 6, 7, 8])
        return rng.choice([0, 2, 4, 6, 8, 12, 16, 24, 50, 100, 150, 200, 300, 500])
    if qtype == QuestionType.DECIMAL:
        return round(rng.uniform(0, 500), 1)
    if qtype == QuestionType.DATE:
        return f"2026-05-{rng.randint(4, 29):02d}"
    return rng.choice(REMARKS) if rng.random() < 0.5 else None


def demo_answers(
    checker: FormChecker, rng: random.Random, *, villages: list[str] | None = None
) -> dict[str, Any]:
    """One interview's answers: relevant questions answered, constraints kept."""
    answers: dict[str, Any] = {}
    villages = villages or []

    def fill(items: list[CompiledQuestion | CompiledGroup], shown: bool) -> None:
        for item in items:
            if isinstance(item, CompiledGroup):
                fill(item.items, shown and is_true(item.relevant, answers))
                continue
            if not shown or not is_true(item.relevant, answers):
                continue
            for _attempt in range(30):
                value = _candidate(rng, item, villages)
                if value is None:
                    break
                if item.constraint is None or is_true(item.constraint, answers, value):
                    answers[item.question.name] = value
                    break

    fill([i for i in checker.items if not (isinstance(i, CompiledGroup) and i.group.repeat)], True)
    return answers
