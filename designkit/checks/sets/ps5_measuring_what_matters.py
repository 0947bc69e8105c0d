"""Visible checks of ps5-measuring-what-matters (source/ps5-measuring-what-matters): z-scores, rates, metrics.

The checks use what the set-up cell defines (``cohort``, ``births``, ``keyword_run``, ``MAX_KEYWORD_RUN``).

>>> PROBLEM_SET.find("q5-risk-ratio").points
2
"""

from __future__ import annotations

import numbers
import re
from typing import Any

from designkit.i18n import _

from .. import not_vague
from ..parts import Part, ProblemSet, matches

NAME = "ps5-measuring-what-matters"


def zscores(cohort_z: Any, ns: dict[str, Any]) -> str:
    import pandas as pd

    cohort = ns["cohort"]
    assert isinstance(cohort_z, pd.DataFrame), _("cohort_z should be the table zscores() returns, "
                                                 "not {cls}.", cls=type(cohort_z).__name__)
    assert "haz" in cohort_z.columns, _("cohort_z has no 'haz' column: use the table that "
                                        "zscores(cohort, ...) returns.")
    assert len(cohort_z) == len(cohort), (
        _("cohort_z has {n_cohort_z} rows; the cohort has {n_cohort}: keep one row per child.", n_cohort_z=len(cohort_z), n_cohort=len(cohort))
    )
    haz = pd.to_numeric(cohort_z["haz"], errors="coerce")
    assert haz.notna().any(), (
        _("Every haz is missing: zscores found no height. Tell it which column holds the height, "
          "e.g. zscores(cohort, height_cm=\"length_height_cm\", ...).")
    )
    assert haz.abs().max() < 6, (
        _("Some z-scores are implausible (up to {haz_abs_max:.0f} SD): are the ages read as days? "
          "The cohort's ages are in months: age_months is the right column.", haz_abs_max=haz.abs().max())
    )
    assert haz.notna().sum() == len(cohort) - 1, (
        _("{haz_notna_sum} children have a z-score; all but the one aged over 60 months should.", haz_notna_sum=haz.notna().sum())
    )
    return (_("one plausible z-score for every child but the one over 60 months; whether each was "
              "measured the right way (lying or standing), the hidden tests check, child by child."))


def cut_offs(statuses: Any, ns: dict[str, Any]) -> str:
    examples = ns["haz_examples"]
    labels = {"severely stunted", "stunted", "not stunted"}
    assert isinstance(statuses, list | tuple), _("statuses should be a list of labels, not {cls}.", cls=type(statuses).__name__)
    assert len(statuses) == len(examples), (
        _("statuses has {n_statuses} labels; give one for each of the {n_examples} z-scores.", n_statuses=len(statuses), n_examples=len(examples))
    )
    anthro_labels = {s for s in statuses if str(s).upper() in {"MAM", "SAM", "NORMAL"}}
    assert not anthro_labels, (
        _("{items} are anthro's labels: MAM and SAM name wasting (acute malnutrition), not "
          "stunting. Use 'severely stunted' (< -3 SD), 'stunted' (< -2 SD) and 'not stunted'.", items=sorted(anthro_labels))
    )
    unknown = [s for s in statuses if s not in labels]
    assert not unknown, _("{unknown}: use exactly the labels {items}.", unknown=unknown, items=sorted(labels))
    return (_("one of the three labels for each z-score; which label, the hidden tests check "
              "(three labels for five z-scores have too few combinations to check here without giving "
              "them away)."))


def prevalence(stunted_pct: Any, ns: dict[str, Any]) -> str:
    severely_stunted_pct = ns.get("severely_stunted_pct")
    assert severely_stunted_pct is not None, (
        _("severely_stunted_pct is still None: replace the '# YOUR CODE HERE' line with your "
          "answer.")
    )
    for name, value in (("stunted_pct", stunted_pct), ("severely_stunted_pct", severely_stunted_pct)):
        assert isinstance(value, numbers.Real), _("{name} should be one number (a percentage), not "
                                                  "{cls}.", name=name, cls=type(value).__name__)
    assert stunted_pct > 1 or stunted_pct == 0, _("stunted_pct is {stunted_pct:.3f}, a fraction: "
                                                  "multiply by 100 to get a percentage.", stunted_pct=stunted_pct)
    assert 0 <= severely_stunted_pct <= stunted_pct <= 100, (
        _("Percentages run from 0 to 100, and the severely stunted are also stunted: "
          "severely_stunted_pct cannot exceed stunted_pct.")
    )
    return (_("two percentages, the severe share no larger than the whole; the values, the hidden "
              "tests check (twenty children give too few possible percentages to check here without "
              "giving them away)."))


def lbw_by_smoking(lbw_pct_smokers: Any, ns: dict[str, Any]) -> str:
    lbw_pct_nonsmokers = ns.get("lbw_pct_nonsmokers")
    assert lbw_pct_nonsmokers is not None, (
        _("lbw_pct_nonsmokers is still None: replace the '# YOUR CODE HERE' line with your answer.")
    )
    for name, value in (("lbw_pct_smokers", lbw_pct_smokers), ("lbw_pct_nonsmokers", lbw_pct_nonsmokers)):
        assert isinstance(value, numbers.Real), _("{name} should be one number (a percentage), not "
                                                  "{cls}.", name=name, cls=type(value).__name__)
        assert value > 1, _("{name} is {value:.3f}, a fraction: multiply by 100 to get a "
                            "percentage.", name=name, value=value)
        assert value <= 100, _("{name} is {value:g}: a percentage cannot exceed 100.", name=name, value=value)
    births = ns["births"]
    smokers, others = births[births["smoke"] == 1], births[births["smoke"] == 0]
    assert abs(lbw_pct_smokers - 100 * smokers["low"].sum() / len(births)) > 0.05, (
        _("{lbw_pct_smokers:.1f}% divides by all {n_births} births: a rate within a group divides "
          "by that group's births ({n_smokers} babies of mothers who smoked).", lbw_pct_smokers=lbw_pct_smokers, n_births=len(births), n_smokers=len(smokers))
    )
    assert abs(lbw_pct_smokers - 100 * others["low"].mean()) > 0.05, (
        _("The two groups are swapped: smoke == 1 marks the mothers who smoked.")
    )
    off = [name for name, value, coded in (
        ("lbw_pct_smokers", lbw_pct_smokers, ["40e132ad5485a40ec1c6", "647b265fe7e111768cbd"]),
        ("lbw_pct_nonsmokers", lbw_pct_nonsmokers, ["aab919e83088e91e785f", "d1b3a7d0f6a23b65b02d"]),
    ) if not matches(value, coded, decimals=1, salt=f"{NAME}-q4-lbw-by-smoking-{name.split('_')[-1]}")]
    assert not off, (
        _("{name} is not the share of low-birth-weight babies within the group (checked "
          "against a coded form of the answer, rounded to 0.1): the group's low babies / the group's "
          "births x 100.", name=off[0]) if len(off) == 1 else
        _("{name} and {name2} are not the share of low-birth-weight babies within the group (checked "
          "against a coded form of the answer, rounded to 0.1): the group's low babies / the group's "
          "births x 100.", name=off[0], name2=off[1])
    )
    return _("both values are right (compared, rounded to 0.1, with a coded form of the answer).")


def risk_ratio(value: Any, ns: dict[str, Any]) -> str:
    assert isinstance(value, numbers.Real), _("risk_ratio should be one number, not {cls}.", cls=type(value).__name__)
    assert value > 0, _("risk_ratio is {value:g}: a ratio of two risks is positive.", value=value)
    births = ns["births"]
    p1 = births.loc[births["smoke"] == 1, "low"].mean()
    p0 = births.loc[births["smoke"] == 0, "low"].mean()
    assert abs(value - p0 / p1) > 0.005, (
        _("{value:.2f} is upside down: divide the smokers' risk by the non-smokers' risk, not the "
          "other way round.", value=value)
    )
    assert abs(value - (p1 - p0)) > 0.005 and abs(value - 100 * (p1 - p0)) > 0.05, (
        _("{value:.3g} is the difference between the two risks (a risk difference), not their "
          "ratio: divide them.", value=value)
    )
    odds_ratio = (p1 / (1 - p1)) / (p0 / (1 - p0))
    assert abs(value - odds_ratio) > 0.005, (
        _("{value:.2f} is the odds ratio (odds = p / (1 - p)): the risk ratio divides the risks "
          "themselves.", value=value)
    )
    assert matches(value, ["4b04234f3f6361be36c2", "7413a330c00fdff1ec2e"], decimals=2, salt=f"{NAME}-q5-risk-ratio"), (
        _("{value:.2f} is not the risk ratio (checked against a coded form of the answer, rounded "
          "to 0.01): the smokers' risk of low birth weight divided by the non-smokers'.", value=value)
    )
    return _("the value is right (compared, rounded to 0.01, with a coded form of the answer).")


def visits_table(table: Any, ns: dict[str, Any]) -> str:
    import pandas as pd

    births = ns["births"]
    assert isinstance(table, pd.DataFrame), _("lbw_by_visits should be a DataFrame, not {cls}.", cls=type(table).__name__)
    missing = [c for c in ("births", "low_birth_weight", "pct") if c not in table.columns]
    assert not missing, _("lbw_by_visits lacks the column(s) {missing}: it needs births, "
                          "low_birth_weight and pct.", missing=missing)
    assert len(table) == 2, (
        _("lbw_by_visits has {n_table} rows: group the mothers in two, 'none' (ftv == 0) and 'one "
          "or more' (ftv >= 1), not one row per number of visits.", n_table=len(table))
    )
    assert list(table.index) == ["none", "one or more"], (
        _("The rows are {items}: index them 'none' and 'one or more', in that order.", items=list(table.index))
    )
    assert table["births"].sum() == len(births), (
        _("The groups hold {births_sum} births; every one of the {n_births} births belongs to one "
          "group.", births_sum=table['births'].sum(), n_births=len(births))
    )
    return (_("the two groups hold every birth, with the three columns; the counts and "
              "percentages, the hidden tests check."))


def metrics_form(success_metrics: Any, ns: dict[str, Any]) -> str:
    keys = ["name", "kind", "numerator", "denominator", "source", "frequency", "target", "by_year"]
    assert isinstance(success_metrics, list | tuple), (
        _("success_metrics should be a list of two dicts, not {cls}.", cls=type(success_metrics).__name__)
    )
    assert len(success_metrics) == 2, _("success_metrics holds {n_success_metrics} metric(s): "
                                        "define exactly two.", n_success_metrics=len(success_metrics))
    periods = ("day", "daily", "week", "weekly", "month", "monthly", "quarter", "quarterly", "year", "yearly",
               "annual", "annually", "every", "each", "twice", "once")
    for i, m in enumerate(success_metrics):
        assert isinstance(m, dict), _("success_metrics[{i}] should be a dict with the keys {keys}.", i=i, keys=keys)
        missing = [k for k in keys if k not in m]
        assert not missing, _("success_metrics[{i}] lacks {missing}: every metric needs {keys}.", i=i, missing=missing, keys=keys)
        assert isinstance(m["denominator"], str) and m["denominator"].strip(), (
            _("success_metrics[{i}] has no denominator: a metric without a denominator is a count, "
              "not a rate. Out of whom is the numerator counted?", i=i)
        )
        for k in ("name", "numerator", "source", "frequency"):
            assert isinstance(m[k], str) and m[k].strip(), _("success_metrics[{i}][{k!r}] should "
                                                             "be a non-empty text.", i=i, k=k)
        assert m["kind"] in ("process", "outcome", "equity"), (
            _("success_metrics[{i}]['kind'] is {kind!r}: use 'process', 'outcome' or 'equity'.", i=i, kind=m['kind'])
        )
        assert isinstance(m["target"], numbers.Real) and not isinstance(m["target"], bool), (
            _("success_metrics[{i}]['target'] is {target!r}: a target must be a number you can "
              "check, not words.", i=i, target=m['target'])
        )
        assert 0 <= m["target"] <= 100, (
            _("success_metrics[{i}]['target'] is {target!r}: a metric with a denominator is a "
              "rate; give the target as a percentage from 0 to 100.", i=i, target=m['target'])
        )
        assert isinstance(m["by_year"], numbers.Integral) and 2025 <= m["by_year"] <= 2050, (
            _("success_metrics[{i}]['by_year'] is {by_year!r}: give the year as a whole number "
              "(2025-2050).", i=i, by_year=m['by_year'])
        )
        assert m["denominator"].strip().lower() != m["numerator"].strip().lower(), (
            _("success_metrics[{i}]: the denominator repeats the numerator; out of whom are they "
              "counted?", i=i)
        )
        assert any(w in re.findall(r"[a-z]+", m["frequency"].lower()) for w in periods), (
            _("success_metrics[{i}]['frequency'] is {frequency!r}: say how often it is measured "
              "(every month, each year...).", i=i, frequency=m['frequency'])
        )
        for k in ("name", "numerator", "denominator", "source", "frequency"):
            not_vague(m[k], name=f"success_metrics[{i}][{k!r}]")
            assert ns["keyword_run"](m[k]) <= ns["MAX_KEYWORD_RUN"], (
                _("success_metrics[{i}][{k!r}] reads as a list of keywords ({m!r}): say who or "
                  "what is counted, with words that link (children aged ... with ..., in ...).", i=i, k=k, m=m[k])
            )
    return (_("two complete metrics, each with a denominator, a period, a percentage target and a "
              "year, not vague; whether one is an outcome that measures stunting among children, the "
              "hidden tests check. Whether the numerators fit their denominators and the targets can "
              "be met is for a person to judge: rubric rows q7-r1 and q7-r2."))


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
