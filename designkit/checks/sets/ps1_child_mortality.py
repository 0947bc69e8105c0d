"""Visible checks of ps1-child-mortality (source/ps1-child-mortality): readings of mortality data and a chart.

>>> [p.points for p in PROBLEM_SET.parts]
[2, 2, 2, 2, 2, 2]
"""

from __future__ import annotations

import math
import numbers
from typing import Any

from designkit.i18n import _

from ..parts import Part, ProblemSet, matches

NAME = "ps1-child-mortality"


def top5_share(share: Any, ns: dict[str, Any]) -> str:
    sowc = ns["sowc"]
    deaths = sowc["under5_deaths_2018"]
    by_rate = sowc.nlargest(5, "under5_mortality_2018")["under5_deaths_2018"].sum()
    assert isinstance(share, numbers.Real), _("top5_share_pct should be one number, not {cls}.", cls=type(share).__name__)
    assert not math.isclose(share, 100 * by_rate / deaths.sum(), abs_tol=0.05), (
        _("{share:.1f}% is the share of the five countries with the highest *rates*: the question "
          "asks for the most deaths (a count).", share=share)
    )
    assert not math.isclose(share, deaths.nlargest(5).sum()), (
        _("{share:g} is the number of deaths (in thousands) in those countries, not their share of "
          "all deaths: divide by the total.", share=share)
    )
    assert not math.isclose(share, deaths.nlargest(5).sum() / deaths.sum(), abs_tol=0.005), (
        _("{share:.3f} is a fraction (0 to 1): multiply by 100 to get a percentage.", share=share)
    )
    assert 0 <= share <= 100, _("{share:g} is not a percentage between 0 and 100.", share=share)
    assert matches(share, ["2bee1baa7cd5901db114", "6ddc37697fdf2a76626b"], decimals=1, salt=f"{NAME}-q1-top5-share"), (
        _("{share:.1f}% is not the share (checked against a coded form of the answer, rounded to "
          "0.1): the deaths of the five countries with the most deaths, divided by all deaths, times "
          "100.", share=share)
    )
    return _("the value is right (compared, rounded to 0.1, with a coded form of the answer).")


def widest_sex_gap(name: Any, ns: dict[str, Any]) -> str:
    table = ns["sowc"].set_index("countries_and_areas")
    boys, girls = table["under5_mortality_2018_male"], table["under5_mortality_2018_female"]
    assert isinstance(name, str), _("widest_sex_gap should be a country's name (text), not {cls}.", cls=type(name).__name__)
    assert name in table.index, _("{name!r} is not in sowc['countries_and_areas']: copy the name "
                                  "exactly.", name=name)
    assert name != (girls - boys).idxmax(), (
        _("{name} has the largest gap the other way round (girls minus boys): the question asks "
          "for boys minus girls.", name=name)
    )
    assert name != (boys / girls).idxmax(), (
        _("{name} has the largest *ratio* of boys' to girls' rates: the question asks for the "
          "difference, in deaths per 1,000.", name=name)
    )
    assert boys[name] > girls[name], _("in {name}, boys' 2018 rate is not above girls': its "
                                       "boys-minus-girls gap is not positive.", name=name)
    return (_("a country of the table where boys' rate is above girls', and not the reversed gap "
              "or the ratio; whether its gap is the widest, the hidden tests check (a name has too few "
              "possible values to check it here without giving it away)."))


def girls_higher(found: Any, ns: dict[str, Any]) -> str:
    sowc = ns["sowc"]
    boys, girls = sowc["under5_mortality_2018_male"], sowc["under5_mortality_2018_female"]
    names = sowc["countries_and_areas"]
    assert isinstance(found, set | frozenset | list | tuple), (
        _("girls_higher should be a set of country names, not {cls}: wrap your names in set(...).", cls=type(found).__name__)
    )
    found = set(found)
    unknown = sorted(str(n) for n in found - set(names))
    assert not unknown, _("{unknown} are not names in sowc['countries_and_areas'].", unknown=unknown)
    assert found != set(names[girls >= boys]), (
        _("your {n_found} countries include those where girls' and boys' rates are equal: use >, "
          "not >=.", n_found=len(found))
    )
    assert found != set(names[boys > girls]), (
        _("those are the countries where boys' rate is higher: the question asks where girls' rate "
          "is higher.")
    )
    table = sowc.set_index("countries_and_areas")
    wrong = sorted(n for n in found if not table.loc[n, "under5_mortality_2018_female"]
                   > table.loc[n, "under5_mortality_2018_male"])
    assert not wrong, (
        _("in {items}, girls' 2018 rate is not above boys': keep only the rows where the female "
          "column is greater than the male column.", items=', '.join(wrong))
    )
    assert found, _("girls_higher is empty: some countries have a higher rate for girls than for "
                    "boys.")
    return (_("every country you name has a higher rate for girls than for boys; whether you found "
              "all of them, the hidden tests check (a handful of names has too few possible values to "
              "check here without giving it away)."))


CONTINENT_DIGESTS = {
    "Africa": ["95edda063ea421acbdcf"], "Americas": ["5b2655feccb720838348"], "Asia": ["643a4f1cea5f1612a55b"],
    "Europe": ["72f7430f3d54cce264f8"], "Oceania": ["f54f35aee543a39e0746"],
}


def continent_median(result: Any, ns: dict[str, Any]) -> str:
    import pandas as pd

    gapminder = ns["gapminder"]

    def by_continent(frame: Any, how: str = "median") -> Any:
        return frame.groupby("continent")["infant_mortality"].agg(how)

    assert isinstance(result, pd.Series), (
        _("continent_median_2015 should be a pandas Series (one value per continent), not {cls}.", cls=type(result).__name__)
    )
    continents = sorted(gapminder["continent"].unique())
    assert set(result.index) == set(continents), (
        _("the index should be the continents {continents}, not {items}.", continents=continents, items=sorted(map(str, result.index)))
    )
    assert result.notna().all(), _("some medians are missing (NaN): the series has no infant "
                                   "mortality values for 2016; use 2015.")
    result = result.astype(float).sort_index()

    def same(other: Any) -> bool:
        return bool(((result - other.sort_index()).abs() < 0.01).all())

    assert not same(by_continent(gapminder[gapminder["year"] == 2015], "mean")), (
        _("those are the means; a few countries with very high rates pull a mean up: use .median().")
    )
    assert not same(by_continent(gapminder)), _("those are medians over every year from 1960 on: "
                                                "keep only the rows of 2015 first.")
    off = [c for c in continents if not matches(result[c], CONTINENT_DIGESTS[c], decimals=1,
                                                salt=f"{NAME}-q4-continent-median-{c}")]
    assert not off, (
        _("the values for {items} are not the 2015 medians (checked against coded forms of the "
          "answers, rounded to 0.1): filter year == 2015, then group by continent and take the median.", items=', '.join(off))
    )
    return _("every continent's value is right (compared, rounded to 0.1, with coded forms of the "
             "answers).")


def median_fall(value: Any, ns: dict[str, Any]) -> str:
    rates = ns["gapminder"].pivot(index="country", columns="year", values="infant_mortality")
    both = rates[[1960, 2015]].dropna()
    then, now = both[1960].median(), both[2015].median()
    all_then, all_now = rates[1960].median(), rates[2015].median()
    assert isinstance(value, numbers.Real), _("median_fall_pct should be one number, not {cls}.", cls=type(value).__name__)
    assert not math.isclose(value, 100 * (all_then - all_now) / all_then, abs_tol=0.05), (
        _("{value:.1f}% compares different groups of countries: keep only the countries with a "
          "value in both years.", value=value)
    )
    assert not math.isclose(value, (then - now) / then, abs_tol=0.005), (
        _("{value:.3f} is a fraction (0 to 1): multiply by 100 to get a percentage.", value=value)
    )
    assert not math.isclose(value, then - now, abs_tol=0.05), (
        _("{value:g} is the fall in deaths per 1,000 live births, not a percentage of the 1960 "
          "median.", value=value)
    )
    assert 0 <= value <= 100, _("{value:g} is not a percentage between 0 and 100.", value=value)
    assert matches(value, ["79ed6247ec1856565692", "ebe63dba7070fe142250"], decimals=1,
                   salt=f"{NAME}-q5-median-fall"), (
        _("{value:.1f}% is not the fall (checked against a coded form of the answer, rounded to "
          "0.1): the medians of 1960 and 2015 over the countries with a value in both years, (1960 - "
          "2015) / 1960 x 100.", value=value)
    )
    return _("the value is right (compared, rounded to 0.1, with a coded form of the answer).")


def chart_with_target(fig: Any, ns: dict[str, Any]) -> str:
    import matplotlib.figure
    import numpy as np

    from designkit.plots import alt_text

    assert isinstance(fig, matplotlib.figure.Figure), (
        _("fig should be a matplotlib Figure (fig, ax = plt.subplots()), not {cls}.", cls=type(fig).__name__)
    )
    assert fig.axes, _("the figure has no axes: draw on ax from fig, ax = plt.subplots().")
    ax = fig.axes[0]
    lines = [np.asarray(line.get_ydata(), dtype=float) for line in ax.get_lines()]
    flat = {round(float(y[0]), 6) for y in lines if len(y) and np.allclose(y, y[0])}
    assert 25 in flat, (
        _("12 is the SDG 3.2 target for *neonatal* mortality; the under-5 target is 25: "
           "ax.axhline(25, ...).") if 12 in flat else _("draw the SDG 3.2 target as a horizontal line at 25: ax.axhline(25, ...).")
    )
    table = ns["sowc"].set_index("countries_and_areas")
    plotted = [list(y) for y in lines if len(y) == 3]
    missing = [
        c for c in ("Malawi", "Zambia", "Uganda")
        if [float(table.loc[c, f"under5_mortality_{y}"]) for y in (1990, 2000, 2018)] not in plotted
    ]
    assert not missing, (
        _("no line shows the under-5 mortality *rates* of {items} in 1990, 2000 and 2018 (columns "
          "under5_mortality_1990, _2000 and _2018), one line per country.", items=', '.join(missing))
    )
    label = ax.get_ylabel()
    assert label and ("1,000" in label or "1000" in label), (
        _("label the y axis with its unit (deaths per 1,000 live births), not {label!r}: "
          "ax.set_ylabel(...).", label=label)
    )
    assert ax.get_title() or (fig._suptitle is not None and fig._suptitle.get_text()), (
        _("give the chart a title that states what it shows: ax.set_title(...).")
    )
    try:
        description = alt_text(fig)
    except ValueError:
        description = ""
    assert len(description.split()) >= 8, (
        _("give the chart alt text, one sentence saying what it shows for readers who cannot see "
          "it: set_alt_text(fig, \"Line chart of ...\").")
    )
    return (_("all of it checked: the three countries' rates, the target line at 25, the y-axis "
              "unit, a title and alt text (whether the title and alt text say the right thing, read "
              "them yourself)."))


PROBLEM_SET = ProblemSet(
    NAME,
    (
        Part("q1-top5-share", 2, "top5_share_pct", top5_share),
        Part("q2-widest-sex-gap", 2, "widest_sex_gap", widest_sex_gap),
        Part("q3-girls-higher", 2, "girls_higher", girls_higher),
        Part("q4-continent-median", 2, "continent_median_2015", continent_median),
        Part("q5-median-fall", 2, "median_fall_pct", median_fall),
        Part("q6-chart-with-target", 2, "fig", chart_with_target),
    ),
    rubric={"q7": 3},
)
