#!/usr/bin/env python
"""Statistics engine benchmark (`make bench-results`, also run by `make bench`).

The full analysis of a pooled national data set: `--rows` interviews (default 1,000,000)
× `--services` services (default 20), each service with three 5-point ratings
(satisfaction, quality, reliability; about 3 % "don't know") asked of its users, and a
yes/no "uses" question; a profile of sex, age group, village (20) and vulnerable group
(multiple choice). The data are generated directly as numpy arrays, *not* read from the
database (reading answers is measured by bench/interviews.py); weights are
post-stratified to a made-up population by sex × age group (aimak.results.stats), computed
once and given to both contenders.

"Full analysis": for every service and question (80 questions) the distribution, mean,
0–100 score, shares satisfied and dissatisfied, net satisfaction, don't-know shares, each
with its 95 % Wilson interval on Kish's effective n, for everyone and for each group of
each single breakdown: sex, age group, village, vulnerable group, users vs non-users.

Contenders, timed in the same run, in turn, `--repeat` times (median reported):
- **engine**: aimak.results.compute.analyse, the code behind the API, dashboards and open
  data, returning its dataclasses;
- **polars**: the same aggregation written directly in Polars: for each question and
  dimension a lazy `group_by([dimension, question]).agg(n, Σw, Σw²)` (the vulnerable
  group via its pattern of ticks, expanded to groups afterwards), all collected at once
  with `pl.collect_all`; then the same indices and Wilson intervals computed with numpy
  on the aggregated counts (aimak.results.stats.wilson, as the engine);
- **polars_joint**: Polars with the engine's trick: per question one group_by over all
  single-valued dimensions at once and one over the vulnerable pattern, each breakdown
  then summed from those small tables with numpy.
All three must agree on every share satisfied (checked before timing); the ratio is
taken against the faster Polars version.

Prints a table and writes bench/results/results_engine.json. Targets: the engine's full
analysis < 3 s, and at least 50 % of the faster Polars version's speed (engine time ≤ 2 ×
Polars time).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
TARGET_SECONDS = 3.0
TARGET_RATIO = 0.5
SEXES = ["female", "male"]
AGES = ["18_29", "30_44", "45_59", "60_plus"]
VULNERABLE = [
    "disability",
    "pensioner",
    "many_children",
    "low_income",
    "single_parent",
    "migrant",
    "none",
]
SCALE = ["1", "2", "3", "4", "5", "dk"]
RATINGS = ["satisfaction", "quality", "reliability"]
DIMENSIONS = ["sex", "age_group", "village", "vulnerable", "users"]


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


# --- Data ----------------------------------------------------------------------------------


def generate(rows: int, services: int, seed: int = 2026) -> dict[str, np.ndarray]:
    """Codes per column, int8; the last code of a column (its number of choices) = no answer."""
    rng = np.random.default_rng(seed)

    def choice(k: int, p, missing: float) -> np.ndarray:
        codes = rng.choice(k, size=rows, p=p).astype(np.int8)
        codes[rng.random(rows) < missing] = k
        return codes

    data: dict[str, np.ndarray] = {
        "sex": choice(2, [0.56, 0.44], 0.01),
        "age_group": choice(4, [0.18, 0.27, 0.28, 0.27], 0.02),
        "village": choice(20, rng.dirichlet(np.full(20, 3.0)), 0.01),
    }
    ticks = rng.random((rows, 6)) < np.array([0.05, 0.2, 0.15, 0.12, 0.05, 0.2])
    ticks = np.hstack([ticks, ~ticks.any(axis=1, keepdims=True)])
    data["vulnerable_ticks"] = ticks
    data["vulnerable_answered"] = rng.random(rows) >= 0.03
    for s in range(services):
        p_use = 0.5 + 0.45 * rng.random()
        uses = choice(2, [p_use, 1 - p_use], 0.01)
        data[f"s{s}_uses"] = uses
        mood = rng.dirichlet(np.array([2, 3, 5, 5, 3.0]))
        for name in RATINGS:
            p = np.append(mood * 0.97, 0.03)
            codes = choice(6, p, 0.0)
            codes[uses != 0] = 6  # asked of users only
            data[f"s{s}_{name}"] = codes
    return data


POPULATION = {  # made up: adults by sex × age group
    ("female", "18_29"): 0.14,
    ("female", "30_44"): 0.14,
    ("female", "45_59"): 0.12,
    ("female", "60_plus"): 0.11,
    ("male", "18_29"): 0.15,
    ("male", "30_44"): 0.14,
    ("male", "45_59"): 0.11,
    ("male", "60_plus"): 0.09,
}


# --- The engine ----------------------------------------------------------------------------


def engine_inputs(data: dict[str, np.ndarray], services: int):
    from aimak.results.compute import DimensionSpec, FormSpec, QuestionSpec, SectionSpec, Weights
    from aimak.results.frame import Column, Frame, multi_column
    from aimak.results.stats import post_stratify

    def single(name: str, categories: list[str], codes: np.ndarray) -> Column:
        k = len(categories)
        members = np.zeros((k + 1, k), dtype=bool)
        members[np.arange(k), np.arange(k)] = True
        return Column(name, False, categories, codes, members)

    villages = [f"v{i:02d}" for i in range(20)]
    columns = [
        single("sex", SEXES, data["sex"]),
        single("age_group", AGES, data["age_group"]),
        single("village", villages, data["village"]),
        multi_column(
            "vulnerable", VULNERABLE, data["vulnerable_ticks"], data["vulnerable_answered"]
        ),
    ]
    sections = []
    points = {str(i): i for i in range(1, 6)}
    for s in range(services):
        columns.append(single(f"s{s}_uses", ["yes", "no"], data[f"s{s}_uses"]))
        questions = [QuestionSpec(f"s{s}_uses", "choice", "uses", {}, {}, {})]
        for name in RATINGS:
            columns.append(single(f"s{s}_{name}", SCALE, data[f"s{s}_{name}"]))
            questions.append(QuestionSpec(f"s{s}_{name}", "rating", "service", {}, {}, points))
        sections.append(SectionSpec(f"service-{s}", {}, f"s{s}_uses", tuple(questions)))
    dims = {
        "sex": DimensionSpec("sex", "sex", False, {}),
        "age_group": DimensionSpec("age_group", "age_group", False, {}),
        "village": DimensionSpec("village", "village", False, {}),
        "vulnerable": DimensionSpec("vulnerable", "vulnerable", True, {}),
    }
    frame = Frame(n=len(data["sex"]), columns={c.name: c for c in columns})
    spec = FormSpec(sections=tuple(sections), dimensions=dims)
    cells = np.where(
        (data["sex"] < 2) & (data["age_group"] < 4),
        data["sex"].astype(np.int64) * 4 + data["age_group"],
        -1,
    )
    population = np.array([POPULATION[(s, a)] for s in SEXES for a in AGES]) * 1_000_000
    started = time.perf_counter()
    post = post_stratify(cells, population)
    weighting_seconds = time.perf_counter() - started
    weights = Weights(classes=post.classes, values=post.class_weights)
    return frame, spec, weights, post.weights, weighting_seconds


def run_engine(frame, spec, weights):
    from aimak.results.compute import analyse

    return analyse(frame, spec, weights=weights, breakdowns=[(d,) for d in DIMENSIONS])


def engine_satisfied(sections) -> dict[tuple[str, str, str], float | None]:
    out = {}
    for section in sections:
        for q in section.questions:
            if q.kind != "rating":
                continue
            for cell in [q.total, *q.groups]:
                key = "|".join(f"{d}={n}" for d, n in cell.group.key.items())
                out[(q.name, key, "sat")] = cell.satisfied.value
    return out


# --- The Polars version --------------------------------------------------------------------


def polars_frame(data: dict[str, np.ndarray], row_weights: np.ndarray, services: int):
    import polars as pl

    columns = {k: v for k, v in data.items() if not k.startswith("vulnerable")}
    bits = (data["vulnerable_ticks"].astype(np.int64) << np.arange(len(VULNERABLE))).sum(axis=1)
    columns["vmask"] = np.where(data["vulnerable_answered"], bits, -1)
    columns["w"] = row_weights
    return pl.DataFrame(columns)


def indices(k: int, N, W, W2) -> dict:
    """The indices and intervals from aggregated counts (groups × answer codes)."""
    from aimak.results import stats

    on = slice(0, 5) if k == 6 else slice(0, 2)
    base_n = N[:, on].sum(axis=1)
    base_w = W[:, on].sum(axis=1)
    neff = stats.neff_from_sums(base_w, W2[:, on].sum(axis=1))
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = W[:, on] / base_w[:, None]
    low, high = stats.wilson(shares, neff[:, None])
    entry = {"base": base_n, "shares": shares, "low": low, "high": high}
    if k == 6:
        answered_w = W[:, :6].sum(axis=1)
        neff_a = stats.neff_from_sums(answered_w, W2[:, :6].sum(axis=1))
        with np.errstate(divide="ignore", invalid="ignore"):
            dk = W[:, 5] / answered_w
        entry["dk"] = (dk, *stats.wilson(dk, neff_a))
        x = np.arange(1, 6, dtype=float)
        mean = (shares * x).sum(axis=1)
        var = (shares * (x - mean[:, None]) ** 2).sum(axis=1)
        entry["score"] = ((mean - 1) / 4 * 100, *stats.normal_interval(mean, var, neff))
        sat = shares[:, 3:5].sum(axis=1)
        dis = shares[:, 0:2].sum(axis=1)
        entry["satisfied"] = (sat, *stats.wilson(sat, neff))
        entry["dissatisfied"] = (dis, *stats.wilson(dis, neff))
        entry["net"] = (
            sat - dis,
            *stats.normal_interval(sat - dis, sat + dis - (sat - dis) ** 2, neff),
        )
    return entry


def run_polars(df, services: int):
    """Aggregate with Polars, then the indices and intervals with numpy on the counts."""
    import polars as pl

    lf = df.lazy()
    aggs = [
        pl.len().alias("n"),
        pl.col("w").sum().alias("sw"),
        (pl.col("w") ** 2).sum().alias("sw2"),
    ]
    queries = []
    keys = []
    for s in range(services):
        uses = f"s{s}_uses"
        for q in [uses, *(f"s{s}_{r}" for r in RATINGS)]:
            base = lf if q == uses else lf.filter(pl.col(uses) == 0)
            queries.append(base.group_by(q).agg(aggs))
            keys.append((q, None))
            for dim in ["sex", "age_group", "village", "users"]:
                column = uses if dim == "users" else dim
                if dim == "users" and q == uses:
                    queries.append(base.group_by(q).agg(aggs))  # its own answer is the group
                elif dim == "users":
                    queries.append(lf.group_by([column, q]).agg(aggs).filter(pl.col(column) == 0))
                else:
                    queries.append(base.group_by([column, q]).agg(aggs))
                keys.append((q, dim))
            queries.append(base.group_by(["vmask", q]).agg(aggs))
            keys.append((q, "vulnerable"))
    frames = pl.collect_all(queries)
    sizes = {"sex": 3, "age_group": 5, "village": 21, "users": 3, "vulnerable": len(VULNERABLE) + 1}
    out = {}
    for (q, dim), table in zip(keys, frames, strict=True):
        k = 2 if q.endswith("_uses") else 6
        answer = table[q].to_numpy().astype(np.int64)
        n, sw, sw2 = (table[c].to_numpy() for c in ("n", "sw", "sw2"))
        groups = 1 if dim is None else sizes[dim]
        N = np.zeros((groups, k + 1))
        W = np.zeros((groups, k + 1))
        W2 = np.zeros((groups, k + 1))
        if dim == "vulnerable":  # a pattern of ticks counts in each group it ticks
            mask = table["vmask"].to_numpy()
            for j in range(len(VULNERABLE) + 1):
                ticked = (mask >= 0) & (((mask >> j) & 1) == 1)
                hit = mask < 0 if j == len(VULNERABLE) else ticked
                np.add.at(N, (j, answer[hit]), n[hit])
                np.add.at(W, (j, answer[hit]), sw[hit])
                np.add.at(W2, (j, answer[hit]), sw2[hit])
        else:
            if dim is None:
                g = np.zeros(len(table), dtype=np.int64)
            else:
                column = f"s{q.split('_')[0][1:]}_uses" if dim == "users" else dim
                g = np.minimum(table[column].to_numpy().astype(np.int64), groups - 1)
            np.add.at(N, (g, answer), n)
            np.add.at(W, (g, answer), sw)
            np.add.at(W2, (g, answer), sw2)
        out[(q, dim)] = indices(k, N, W, W2)
    return out


def run_polars_joint(df, services: int):
    """Polars, smarter: per question one group_by over all single-valued dimensions and one
    over the vulnerable pattern, then each breakdown summed from those small tables."""
    import polars as pl

    lf = df.lazy()
    aggs = [
        pl.len().alias("n"),
        pl.col("w").sum().alias("sw"),
        (pl.col("w") ** 2).sum().alias("sw2"),
    ]
    queries = []
    keys = []
    for s in range(services):
        uses = f"s{s}_uses"
        for q in [uses, *(f"s{s}_{r}" for r in RATINGS)]:
            by = ["sex", "age_group", "village"] + ([] if q == uses else [uses])
            queries.append(lf.group_by([*by, q]).agg(aggs))
            queries.append(lf.group_by(["vmask", *by[3:], q]).agg(aggs))
            keys.append((s, q))
    frames = pl.collect_all(queries)
    sizes = {"sex": 3, "age_group": 5, "village": 21, "users": 3}
    out = {}
    for i, (s, q) in enumerate(keys):
        uses = f"s{s}_uses"
        k = 2 if q == uses else 6
        single, vulnerable = frames[2 * i], frames[2 * i + 1]
        if q != uses:  # service questions: users only
            single = single.filter(pl.col(uses) == 0)
            vulnerable = vulnerable.filter(pl.col(uses) == 0)
        answer = single[q].to_numpy().astype(np.int64)
        n, sw, sw2 = (single[c].to_numpy() for c in ("n", "sw", "sw2"))
        for dim in [None, "sex", "age_group", "village", "users"]:
            groups = 1 if dim is None else sizes[dim]
            if dim is None:
                g = np.zeros(len(single), dtype=np.int64)
            elif dim == "users":
                g = answer if q == uses else np.zeros(len(single), dtype=np.int64)
            else:
                g = single[dim].to_numpy().astype(np.int64)
            arrays = []
            for values in (n, sw, sw2):
                table = np.zeros((groups, k + 1))
                np.add.at(table, (np.minimum(g, groups - 1), answer), values)
                arrays.append(table)
            out[(q, dim)] = indices(k, *arrays)
        answer = vulnerable[q].to_numpy().astype(np.int64)
        mask = vulnerable["vmask"].to_numpy()
        arrays = [np.zeros((len(VULNERABLE) + 1, k + 1)) for _ in range(3)]
        for j in range(len(VULNERABLE) + 1):
            ticked = (mask >= 0) & (((mask >> j) & 1) == 1)
            hit = mask < 0 if j == len(VULNERABLE) else ticked
            for table, c in zip(arrays, ("n", "sw", "sw2"), strict=True):
                np.add.at(table, (j, answer[hit]), vulnerable[c].to_numpy()[hit])
        out[(q, "vulnerable")] = indices(k, *arrays)
    return out


def polars_satisfied(result) -> dict[tuple[str, str, str], float | None]:
    names = {
        "sex": [*SEXES, "not_stated"],
        "age_group": [*AGES, "not_stated"],
        "village": [*(f"v{i:02d}" for i in range(20)), "not_stated"],
        "users": ["users", "non_users", "not_stated"],
        "vulnerable": [*VULNERABLE, "not_stated"],
    }
    out = {}
    for (q, dim), entry in result.items():
        if "satisfied" not in entry:
            continue
        values = entry["satisfied"][0]
        labels = [""] if dim is None else [f"{dim}={n}" for n in names[dim]]
        for label, value in zip(labels, values, strict=True):
            out[(q, label, "sat")] = None if not np.isfinite(value) else float(value) * 100
    return out


# --- Main ----------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--services", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aimak.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import polars as pl

    started = time.perf_counter()
    data = generate(args.rows, args.services)
    log(
        f"generated {args.rows:,} interviews × {args.services} services in {time.perf_counter() - started:.1f} s"
    )
    frame, spec, weights, row_weights, weighting_seconds = engine_inputs(data, args.services)
    df = polars_frame(data, row_weights, args.services)

    # Warm up all three (imports, caches) and check that they agree.
    contenders = {
        "engine": lambda: run_engine(frame, spec, weights),
        "polars": lambda: run_polars(df, args.services),
        "polars_joint": lambda: run_polars_joint(df, args.services),
    }
    engine_result = contenders["engine"]()
    mine = engine_satisfied(engine_result)
    for name in ("polars", "polars_joint"):
        theirs = polars_satisfied(contenders[name]())
        assert set(mine) == set(theirs), f"{name} gives different cells"
        both = [k for k in mine if mine[k] is not None and theirs[k] is not None]
        worst = max(abs(mine[k] - theirs[k]) for k in both)  # type: ignore[operator]
        mismatched = sum(1 for k in mine if (mine[k] is None) != (theirs[k] is None))
        assert worst < 1e-6 and not mismatched, (name, worst, mismatched)
        log(f"{name}: {len(mine):,} shares satisfied agree with the engine (within {worst:.1e})")
    cells = sum(1 + len(q.groups) for s in engine_result for q in s.questions)

    times: dict[str, list[float]] = {name: [] for name in contenders}
    for i in range(args.repeat):
        for name, run in contenders.items():
            t = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - t)
        log(f"run {i + 1}: " + ", ".join(f"{k} {v[-1]:.3f} s" for k, v in times.items()))
    median = {name: statistics.median(values) for name, values in times.items()}
    engine = median["engine"]
    fastest_polars = min(median["polars"], median["polars_joint"])
    ratio = fastest_polars / engine  # the engine's speed as a share of the faster Polars'
    report = {
        "rows": args.rows,
        "services": args.services,
        "questions": args.services * 4,
        "breakdowns": ["total", *DIMENSIONS],
        "cells": cells,
        "repeat": args.repeat,
        "weighting_seconds": round(weighting_seconds, 4),
        "engine_seconds": round(engine, 3),
        "polars_seconds": round(median["polars"], 3),
        "polars_joint_seconds": round(median["polars_joint"], 3),
        "runs": {name: [round(t, 3) for t in values] for name, values in times.items()},
        "speed_vs_polars": round(ratio, 3),
        "targets": {
            "engine_seconds": TARGET_SECONDS,
            "speed_vs_polars": TARGET_RATIO,
            "met": engine < TARGET_SECONDS and ratio >= TARGET_RATIO,
        },
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "numpy": np.__version__,
            "polars": pl.__version__,
            "load_average": [round(x, 2) for x in os.getloadavg()],
        },
        "measured_at": time.strftime("%Y-%m-%d %H:%M"),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "results_engine.json").write_text(json.dumps(report, indent=2) + "\n")
    rows = [
        (
            "interviews × services",
            f"{args.rows:,} × {args.services} ({args.services * 4} questions)",
            "",
        ),
        ("weighting (post-stratification)", f"{weighting_seconds * 1000:.0f} ms", ""),
        ("engine, full analysis (median)", f"{engine:.3f} s", f"< {TARGET_SECONDS:.0f} s"),
        ("Polars, a group_by per dimension (median)", f"{median['polars']:.3f} s", ""),
        ("Polars, one group_by per question (median)", f"{median['polars_joint']:.3f} s", ""),
        ("engine speed / faster Polars speed", f"{ratio:.0%}", f"≥ {TARGET_RATIO:.0%}"),
    ]
    width = max(len(r[0]) for r in rows)
    print()
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:>28}  {target}")
    met = report["targets"]["met"]
    print(f"\ntargets {'met' if met else 'MISSED'}; written to {RESULTS / 'results_engine.json'}")
    return 1 if args.strict and not met else 0


if __name__ == "__main__":
    sys.exit(main())
