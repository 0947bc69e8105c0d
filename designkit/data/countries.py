"""ISO3 codes for country names, through country_converter (which resolves every name in the SOWC and
gapminder tables, where pycountry fails on names such as "Congo, Dem. Rep.").

>>> iso3(["Viet Nam", "Bolivia (Plurinational State of)"])
['VNM', 'BOL']
"""
from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from designkit.i18n import _

from .errors import CountryNotFoundError

_NOT_FOUND = "\x00not found"


@lru_cache(maxsize=1)
def _converter():
    import logging

    import country_converter as coco

    logging.getLogger("country_converter").setLevel(logging.ERROR)  # we raise our own, clearer error
    return coco.CountryConverter()


@lru_cache(maxsize=4096)
def _one(name: str) -> str | None:
    code = _converter().convert(name, to="ISO3", not_found=_NOT_FOUND)
    return code if isinstance(code, str) and code != _NOT_FOUND else None  # a list means several matches


def iso3(names: str | Iterable[str]) -> list[str]:
    """ISO 3166-1 alpha-3 codes for country names, in order.

    Raises CountryNotFoundError naming every name that cannot be matched.

    >>> iso3("Congo, Dem. Rep.")
    ['COD']
    """
    if isinstance(names, str):
        names = [names]
    names = list(names)
    codes = [_one(str(n).strip()) for n in names]
    missing = [n for n, c in zip(names, codes) if c is None]
    if missing:
        raise CountryNotFoundError(
            _("cannot match {items} to a country: check the spelling, or use the country's English "
              "short name or its ISO3 code (e.g. 'Viet Nam' or 'VNM')", items=', '.join(repr(m) for m in missing))
        )
    return codes  # type: ignore[return-value]
