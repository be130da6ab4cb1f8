"""Small made-up data sets for the engine's tests: a form spec and a frame, no database."""

from __future__ import annotations

import numpy as np

from aimak.results.compute import DimensionSpec, FormSpec, QuestionSpec, SectionSpec
from aimak.results.frame import Frame, multi_column, single_column

SEXES = ["female", "male"]
AGES = ["18_29", "30_44", "45_59", "60_plus"]
VILLAGES = ["v1", "v2", "v3"]
VULNERABLE = ["pensioner", "low_income", "none"]
SCALE = ["1", "2", "3", "4", "5", "dk"]
INFORMAL = ["yes", "no", "refuse"]
PROBLEMS = ["leaks", "smell", "none"]


def _labels(names):
    return {n: {"en": n.title()} for n in names}


def spec() -> FormSpec:
    def q(name, kind, role, names, points=None):
        return QuestionSpec(
            name=name,
            kind=kind,
            role=role,
            labels={"en": name, "ru": name + " (ru)"},
            category_labels=_labels(names),
            points=points or {},
        )

    water = SectionSpec(
        slug="drinking-water",
        labels={"en": "Drinking water"},
        uses="water_uses",
        questions=(
            q("water_uses", "choice", "uses", ["yes", "no"]),
            q("water_satisfaction", "rating", "service", SCALE, {str(i): i for i in range(1, 6)}),
            q("water_informal", "choice", "service", INFORMAL),
            q("water_problems", "multi", "service", PROBLEMS),
        ),
    )
    dims = {
        "sex": DimensionSpec("sex", "sex", False, _labels(SEXES)),
        "age_group": DimensionSpec("age_group", "age_group", False, _labels(AGES)),
        "village": DimensionSpec("village", "village", False, _labels(VILLAGES)),
        "vulnerable": DimensionSpec("vulnerable", "vulnerable", True, _labels(VULNERABLE)),
    }
    return FormSpec(sections=(water,), dimensions=dims)


def frame(seed: int, n: int, *, missing: float = 0.05) -> Frame:
    """n made-up interviews; about `missing` of each profile answer left out."""
    rng = np.random.default_rng(seed)

    def pick(k, p=None):
        codes = rng.choice(k, size=n, p=p)
        codes[rng.random(n) < missing] = -1
        return codes

    uses = rng.choice(2, size=n, p=[0.7, 0.3])
    uses[rng.random(n) < missing] = -1
    users = uses == 0
    satisfaction = rng.choice(6, size=n, p=[0.1, 0.15, 0.25, 0.3, 0.15, 0.05])
    satisfaction[~users] = -1
    informal = rng.choice(3, size=n, p=[0.1, 0.8, 0.1])
    informal[~users] = -1
    problems = rng.random((n, 2)) < 0.3
    problems = np.hstack([problems, ~problems.any(axis=1, keepdims=True)])
    vulnerable = rng.random((n, 2)) < 0.25
    vulnerable = np.hstack([vulnerable, ~vulnerable.any(axis=1, keepdims=True)])
    answered_vulnerable = rng.random(n) >= missing
    columns = [
        single_column("sex", SEXES, pick(2)),
        single_column("age_group", AGES, pick(4)),
        single_column("village", VILLAGES, pick(3, [0.5, 0.3, 0.2])),
        multi_column("vulnerable", VULNERABLE, vulnerable, answered_vulnerable),
        single_column("water_uses", ["yes", "no"], uses),
        single_column("water_satisfaction", SCALE, satisfaction),
        single_column("water_informal", INFORMAL, informal),
        multi_column("water_problems", PROBLEMS, problems, users),
    ]
    return Frame(n=n, columns={c.name: c for c in columns})
