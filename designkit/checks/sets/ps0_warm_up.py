"""Visible checks of ps0-warm-up (source/ps0-warm-up): four numbers read from the SOWC table.

>>> PROBLEM_SET.find("q4-at-target").points
2
"""

from __future__ import annotations

import math
import numbers
from typing import Any

from designkit.i18n import _

from ..parts import Part, ProblemSet, matches

NAME = "ps0-warm-up"


def highest_rate(value: Any, ns: dict[str, Any]) -> str:
    names = ns["sowc"].set_index("countries_and_areas")
    assert isinstance(value, str), (
        _("highest_country should be a country's name (text), not {cls}: take the name from the "
          "countries_and_areas column.", cls=type(value).__name__)
    )
    assert value in names.index, (
        _("{value!r} is not in sowc['countries_and_areas']: copy the name exactly as the table "
          "writes it.", value=value)
    )
    assert value != names["under5_deaths_2018"].idxmax(), (
        _("{value} has the most under-5 deaths (a count), not the highest rate per 1,000 live "
          "births.", value=value)
    )
    assert value != names["under5_mortality_1990"].idxmax(), _("{value} had the highest rate in "
                                                               "1990; the question asks about 2018.", value=value)
    assert names.loc[value, "under5_mortality_2018"] != names["under5_mortality_2018"].min(), (
        _("{value} has the lowest rate in 2018, not the highest: use idxmax(), not idxmin().", value=value)
    )
    return (_("a country of the table, and not the one with the most deaths, the 1990 highest or "
              "the lowest rate; which country it is, the hidden tests check (a name has too few "
              "possible values to check it here without giving it away)."))


def median_rate(value: Any, ns: dict[str, Any]) -> str:
    sowc = ns["sowc"]
    rates = sowc["under5_mortality_2018"]
    assert isinstance(value, numbers.Real), (
        _("median_rate_2018 should be one number, not {cls}: use .median() on the 2018 column, "
          "which gives a single value.", cls=type(value).__name__)
    )
    assert not math.isclose(value, rates.mean()), (
        _("{value:.1f} is the mean (the average), which a few very high rates pull up: use "
          ".median().", value=value)
    )
    assert not math.isclose(value, sowc["under5_mortality_1990"].median()), (
        _("{value:g} is the median of 1990: use the 2018 column.", value=value)
    )
    assert rates.min() <= value <= rates.max(), (
        _("{value:g} is outside the range of 2018 rates ({rates_min} to {rates_max} deaths per "
          "1,000).", value=value, rates_min=rates.min(), rates_max=rates.max())
    )
    assert matches(value, ["998a669fb10c0a605fcf"], decimals=1, salt=f"{NAME}-q2-median-rate"), (
        _("{value:g} is not the median of the 2018 rates (checked against a coded form of the "
          "answer, rounded to 0.1): sowc['under5_mortality_2018'].median().", value=value)
    )
    return _("the value is right (compared, rounded to 0.1, with a coded form of the answer).")


def malawi_reduction(value: Any, ns: dict[str, Any]) -> str:
    row = ns["sowc"].set_index("countries_and_areas").loc["Malawi"]
    then, now = row["under5_mortality_1990"], row["under5_mortality_2018"]
    assert isinstance(value, numbers.Real), _("malawi_reduction_pct should be one number, not "
                                              "{cls}.", cls=type(value).__name__)
    assert not math.isclose(value, (then - now) / then, abs_tol=0.005), (
        _("{value:.3f} is a fraction (0 to 1): multiply by 100 to get a percentage.", value=value)
    )
    assert not math.isclose(value, then - now), (
        _("{value:g} is the fall in deaths per 1,000 live births, not a percentage of the 1990 "
          "rate.", value=value)
    )
    assert not math.isclose(value, 100 * (then - now) / now, abs_tol=0.5), (
        _("{value:.0f}% divides by the 2018 rate: a reduction is measured against where you "
          "started (1990).", value=value)
    )
    assert 0 <= value <= 100, _("{value:g} is not a percentage between 0 and 100: (1990 rate - "
                                "2018 rate) / 1990 rate x 100.", value=value)
    assert matches(value, ["18735a4dcd460fccdbf3", "33716f8bef6e20103a9d", "cbf85340039531ee41f3"], decimals=1,
                   salt=f"{NAME}-q3-malawi-reduction"), (
        _("{value:.1f}% is not Malawi's fall (checked against a coded form of the answer, rounded "
          "to 0.1): (1990 rate - 2018 rate) / 1990 rate x 100, with Malawi's row.", value=value)
    )
    return _("the value is right (compared, rounded to 0.1, with a coded form of the answer).")


def at_target(value: Any, ns: dict[str, Any]) -> str:
    sowc = ns["sowc"]
    rate = sowc["under5_mortality_2018"]
    n = value
    assert isinstance(n, int) or (isinstance(n, float) and n.is_integer()) or hasattr(n, "__index__"), (
        _("countries_at_target should be a whole number of countries, not {n!r}: count with "
          "(condition).sum().", n=n)
    )
    assert n != (rate < 25).sum(), (
        _("{n} misses the countries at exactly 25: the target is *at most* 25, so use <= 25, not < "
          "25.", n=n)
    )
    assert n != (rate > 25).sum(), _("{n} counts the countries above the target (still to reach "
                                     "it), not those at or below it.", n=n)
    assert n != (sowc["under5_mortality_1990"] <= 25).sum(), _("{n} counts the 1990 rates: use the "
                                                               "2018 column.", n=n)
    assert 0 <= n <= len(sowc), _("{n} is not a number of countries between 0 and {n_sowc}.", n=n, n_sowc=len(sowc))
    return (_("a whole number of countries, and not the count of < 25, of > 25 or of 1990; the "
              "exact count, the hidden tests check (a count has too few possible values to check it "
              "here without giving it away)."))


PROBLEM_SET = ProblemSet(
    NAME,
    (
        Part("q1-highest-rate", 2, "highest_country", highest_rate),
        Part("q2-median-rate", 2, "median_rate_2018", median_rate),
        Part("q3-malawi-reduction", 2, "malawi_reduction_pct", malawi_reduction),
        Part("q4-at-target", 2, "countries_at_target", at_target),
    ),
    rubric={"q5": 2},
)
