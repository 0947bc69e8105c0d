"""Targets drawn on indicator charts, defined once with their source key.

SDG target 3.2: by 2030, end preventable deaths of newborns and children under 5, with every
country aiming to reduce neonatal mortality to at least as low as 12 per 1,000 live births and
under-5 mortality to at least as low as 25 per 1,000 live births. Source key ``igme_lancetgh_sdg32`` (UN IGME,
in ``course/references.yml``).

>>> SDG32_UNDER5.value, SDG32_NEONATAL.value
(25.0, 12.0)
>>> target_for("under5_mortality") is SDG32_UNDER5
True
>>> target_for("infant_mortality") is None
True
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from designkit.i18n import N_, _


@dataclass(frozen=True)
class Target:
    """A ceiling an indicator should reach by a year (lower is better)."""

    name: str
    value: float
    year: int
    unit: str
    source_key: str

    @property
    def label(self) -> str:
        """Short legend text, e.g. ``'SDG 3.2 target: ≤ 25 by 2030'`` (in the course language)."""
        return _("{name}: ≤ {value:g} by {year}", name=_(self.name), value=self.value, year=self.year)


SDG32_UNDER5 = Target(N_("SDG 3.2 target"), 25.0, 2030, N_("deaths per 1,000 live births"), "igme_lancetgh_sdg32")
SDG32_NEONATAL = Target(N_("SDG 3.2 target"), 12.0, 2030, N_("deaths per 1,000 live births"), "igme_lancetgh_sdg32")


def target_for(indicator: str) -> Target | None:
    """The SDG 3.2 target that applies to an indicator name, or None.

    Matches under-5 and neonatal mortality *rates* (names such as ``under5_mortality``,
    ``under5_mortality_2018_female`` or ``neonatal_mortality``), not death counts.

    >>> target_for("neonatal_mortality_2018").value
    12.0
    >>> target_for("under5_deaths_2018") is None
    True
    >>> target_for("under5_mortality_annual_rate_of_reduction_2000_2018") is None
    True
    """
    key = re.sub(r"_(19|20)\d\d(?=_|$)", "", indicator.lower().replace("-", "").replace(" ", "_"))
    key = re.sub(r"_(male|female)$", "", key)
    if key in _UNDER5:
        return SDG32_UNDER5
    if key in _NEONATAL:
        return SDG32_NEONATAL
    return None


_UNDER5 = {"under5_mortality", "under5_mortality_rate", "under_5_mortality_rate", "u5mr"}
_NEONATAL = {"neonatal_mortality", "neonatal_mortality_rate", "nmr"}
