"""Load, tidy and describe the catalogue's datasets (all offline).

>>> from designkit.data import load
>>> load("sowc_child_mortality").shape[0]
195
"""
from __future__ import annotations

from functools import cache

import pandas as pd

from designkit.i18n import _

from .countries import iso3
from .errors import UnknownDatasetError
from .registry import DATASETS, Dataset, close_matches

CATALOGUE_COLUMNS = ["name", "title", "measures", "units", "years", "countries", "source", "url", "edition",
                     "licence", "illustrative", "loader"]


def entry(name: str) -> Dataset:
    """The registry entry for `name`; UnknownDatasetError (naming close matches) when there is none."""
    try:
        return DATASETS[name]
    except (KeyError, TypeError):
        hint = close_matches(str(name))
        did_you_mean = _(" Did you mean {names}?", names=', '.join(repr(h) for h in hint)) if hint else ""
        raise UnknownDatasetError(
            _("no dataset called {name!r} in the catalogue.{did_you_mean} Known datasets: {items} "
              "(see designkit.data.catalogue()).", name=name, did_you_mean=did_you_mean, items=', '.join(sorted(DATASETS)))
        ) from None


class Catalogue(pd.DataFrame):
    """The catalogue table. Printed in a terminal it lists every dataset with its source, address and licence
    (a plain DataFrame would elide those columns); in a notebook it shows as a normal table."""

    @property
    def _constructor(self):
        return Catalogue

    def __repr__(self) -> str:
        if not {"name", "title", "source", "licence", "edition", "url"} <= set(self.columns):
            return pd.DataFrame(self).__repr__()
        blocks = [f"{len(self)} datasets in the designkit catalogue (all load offline)"]
        for row in self.itertuples(index=False):
            blocks.append(
                f"\n{row.name}: {row.title}\n  source:  {row.source} (edition {row.edition})\n"
                f"  address: {row.url}\n  licence: {row.licence}"
            )
        return "\n".join(blocks)

    __str__ = __repr__


def catalogue() -> pd.DataFrame:
    """The table of datasets: one row each, with provenance and licence.

    >>> "gapminder" in set(catalogue()["name"])
    True
    """
    rows = []
    for d in DATASETS.values():
        row = {c: getattr(d, c) for c in CATALOGUE_COLUMNS if c != "loader"}
        row["loader"] = d.loader.__name__
        rows.append(row)
    return Catalogue(rows, columns=CATALOGUE_COLUMNS)


@cache
def _load_cached(name: str) -> pd.DataFrame:
    d = entry(name)
    frame = d.loader()
    for column in d.columns:
        if column in frame.columns:
            frame[column] = pd.to_numeric(frame[column], errors="coerce")
    if d.country_column:
        frame.insert(1, "iso3", iso3(frame[d.country_column].astype(str)))
    return frame


def load(name: str) -> pd.DataFrame:
    """The dataset as published, plus an ``iso3`` column where rows are countries. Returns a fresh copy.

    >>> bool(load("birthwt")["bwt"].min() > 0)
    True
    """
    return _load_cached(entry(name).name).copy()


def tidy(name: str) -> pd.DataFrame:
    """The dataset in one long form: ``iso3, country, year, indicator, value, unit, source``.

    >>> t = tidy("sowc_child_mortality")
    >>> sorted(t.columns)
    ['country', 'indicator', 'iso3', 'source', 'unit', 'value', 'year']
    """
    d = entry(name)
    if not d.country_column or not d.columns:
        raise ValueError(
            _("{name!r} is not a country indicator table, so it has no tidy long form; use "
              "load({name!r}) instead", name=name)
        )
    wide = load(name)
    parts = []
    for column, spec in d.columns.items():
        part = pd.DataFrame({
            "iso3": wide["iso3"],
            "country": wide[d.country_column],
            "year": wide[d.year_column] if spec.year is None else spec.year,
            "indicator": spec.indicator,
            "value": wide[column],
            "unit": spec.unit,
        })
        parts.append(part.dropna(subset=["value"]))
    long = pd.concat(parts, ignore_index=True)
    long["year"] = long["year"].astype(int)
    long["source"] = f"{d.source} ({d.edition})"
    return long[["iso3", "country", "year", "indicator", "value", "unit", "source"]]


def describe(name: str) -> str:
    """A dataset's provenance as readable text.

    >>> print(describe("birthwt").splitlines()[0])
    birthwt: Risk factors associated with low infant birth weight (Baystate Medical Center, 1986)
    """
    d = entry(name)
    lines = [
        f"{d.name}: {d.title}",
        f"  measures:  {d.measures}",
        f"  units:     {d.units}",
        f"  years:     {d.years}",
        f"  countries: {d.countries}",
        f"  source:    {d.source}",
        f"  address:   {d.url}",
        f"  edition:   {d.edition}",
        f"  licence:   {d.licence}",
        f"  load with: designkit.data.load({d.name!r})",
    ]
    return "\n".join(lines)
