"""Readable names and units for the indicators in the kit's datasets.

>>> measure_label("under5_mortality_2018")
'Under-5 mortality'
>>> unit_for("neonatal_mortality")
'deaths per 1,000 live births'
>>> split_year("under5_mortality_2018")
('under5_mortality', 2018)
"""
from __future__ import annotations

import re

from designkit.i18n import N_, _

#: indicator key -> (label, unit); matched as a prefix of a column or indicator name, longest first.
INDICATORS: dict[str, tuple[str, str]] = {
    "under5_mortality_annual_rate_of_reduction": (N_("Annual rate of reduction in under-5 mortality"), N_("% per year")),
    "under5_reduction": (N_("Annual rate of reduction in under-5 mortality"), N_("% per year")),
    "under5_mortality": (N_("Under-5 mortality"), N_("deaths per 1,000 live births")),
    "infant_mortality": (N_("Infant mortality"), N_("deaths per 1,000 live births")),
    "neonatal_mortality": (N_("Neonatal mortality"), N_("deaths per 1,000 live births")),
    "neonatal_share_of_under5_deaths": (N_("Neonatal share of under-5 deaths"), N_("%")),
    "neonatal_deaths_percent_under5": (N_("Neonatal share of under-5 deaths"), N_("%")),
    "prob_dying_age5to14": (N_("Probability of dying at age 5–14"), N_("deaths per 1,000 children aged 5")),
    "maternal_mortality_ratio": (N_("Maternal mortality ratio"), N_("deaths per 100,000 live births")),
    "under5_deaths": (N_("Under-5 deaths"), N_("thousands")),
    "neonatal_deaths": (N_("Neonatal deaths"), N_("thousands")),
    "age5to14_deaths": (N_("Deaths at age 5–14"), N_("thousands")),
    "life_expectancy": (N_("Life expectancy"), N_("years")),
    "fertility": (N_("Fertility"), N_("children per woman")),
    "population": (N_("Population"), N_("people")),
    "gdp": (N_("GDP"), N_("US dollars")),
}

_YEAR = re.compile(r"_(19|20)(\d\d)(?=_|$)")


def _key(name: str) -> str | None:
    low = name.lower()
    for key in sorted(INDICATORS, key=len, reverse=True):
        if low.startswith(key):
            return key
    return None


def measure_label(name: str) -> str:
    """A readable label for an indicator or column name.

    >>> measure_label("antenatal_care_1")
    'Antenatal care 1'
    >>> measure_label("under5_mortality_rate_female")
    'Under-5 mortality (girls)'
    """
    low = name.lower()
    sex = _(" (girls)") if low.endswith("_female") else _(" (boys)") if low.endswith("_male") else ""
    key = _key(name)
    if key:
        return _(INDICATORS[key][0]) + sex
    base = split_year(name)[0]
    return base.replace("_", " ").strip().capitalize()


def unit_for(name: str, translated: bool = True) -> str:
    """The unit of an indicator (in the course language unless ``translated=False``), or '' when the kit does
    not know it.

    >>> unit_for("something_else")
    ''
    """
    key = _key(name)
    unit = INDICATORS[key][1] if key else ""
    return _(unit) if unit and translated else unit


def split_year(name: str) -> tuple[str, int | None]:
    """Split a trailing year out of a column name such as ``neonatal_mortality_2000``.

    >>> split_year("fertility")
    ('fertility', None)
    """
    m = _YEAR.search(name)
    if not m:
        return name, None
    return name[: m.start()] + name[m.end():], int(m.group(1) + m.group(2))


def with_unit(label: str, unit: str) -> str:
    """An axis label with its unit in brackets.

    >>> with_unit(N_("Under-5 mortality"), N_("deaths per 1,000 live births"))
    'Under-5 mortality (deaths per 1,000 live births)'
    """
    return _("{label} ({unit})", label=label, unit=unit) if unit else label


def join_names(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'.

    >>> join_names(["A", "B", "C"])
    'A, B and C'
    """
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return _("{names} and {last}", names=_(", ").join(names[:-1]), last=names[-1])


def fmt(x: float) -> str:
    """A number as people write it: no needless decimals, thousands separated.

    >>> fmt(25.0), fmt(3.456), fmt(12000)
    ('25', '3.5', '12,000')
    """
    if abs(x - round(x)) < 1e-9:
        return f"{int(round(x)):,}"
    return f"{x:,.1f}"
