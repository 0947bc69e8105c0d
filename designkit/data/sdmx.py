"""Live loader for UNICEF's SDMX data warehouse, with an on-disk cache and an offline mode.

The warehouse serves every indicator UNICEF publishes (e.g. ``CME_MRY0T4`` under-5 mortality in the ``CME``
dataflow, ``NT_ANT_HAZ_NE2`` stunting in ``NUTRITION``, ``PT_CHLD_Y0T4_REG`` birth registration in ``PT``) as
CSV. Each answer is cached on disk, so a class can fetch once and work offline afterwards; with
``offline=True`` (or ``DESIGNKIT_OFFLINE=1``) only the cache is read.

>>> url = query_url("CME", "CME_MRY0T4", countries=["BGD", "NPL"], start=2000, end=2020)
>>> url.split("/rest/")[1]
'data/UNICEF,CME,1.0/BGD+NPL.CME_MRY0T4.?format=csv&labels=id&startPeriod=2000&endPeriod=2020'
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import time
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from designkit.i18n import _

from .errors import CacheError, DataError, OfflineError

BASE_URL = "https://sdmx.data.unicef.org/ws/public/sdmxapi/rest"
AGENCY = "UNICEF"
VERSION = "1.0"
SOURCE = "UNICEF Data Warehouse (SDMX)"

# Dataflows for the indicators the course uses; any other indicator can be fetched by naming its dataflow.
KNOWN_INDICATORS = {
    "CME_MRY0T4": ("CME", "under-5 mortality rate", "deaths per 1,000 live births"),
    "CME_MRM0": ("CME", "neonatal mortality rate", "deaths per 1,000 live births"),
    "CME_MRY0": ("CME", "infant mortality rate", "deaths per 1,000 live births"),
    "NT_ANT_HAZ_NE2": ("NUTRITION", "stunting prevalence (height-for-age < -2 SD)", "%"),
    "PT_CHLD_Y0T4_REG": ("PT", "birth registration of children under 5", "%"),
}


def cache_dir() -> Path:
    """Where answers are cached: ``$DESIGNKIT_CACHE`` or ``~/.cache/designkit/sdmx``."""
    root = os.environ.get("DESIGNKIT_CACHE")
    return Path(root) if root else Path.home() / ".cache" / "designkit" / "sdmx"


def query_url(dataflow: str, indicator: str, countries: Iterable[str] | None = None,
              start: int | None = None, end: int | None = None, base_url: str = BASE_URL,
              key: str | None = None) -> str:
    """The REST address of one query (``key`` overrides the default ``AREAS.INDICATOR.`` series key)."""
    areas = "+".join(countries) if countries else ""
    series = key if key is not None else f"{areas}.{indicator}."
    params = "format=csv&labels=id"
    if start is not None:
        params += f"&startPeriod={int(start)}"
    if end is not None:
        params += f"&endPeriod={int(end)}"
    return f"{base_url.rstrip('/')}/data/{AGENCY},{dataflow},{VERSION}/{series}?{params}"


def _cache_file(url: str, directory: Path) -> Path:
    return directory / (hashlib.sha1(url.encode()).hexdigest()[:20] + ".csv")


def _read_csv(text: str, origin: str) -> pd.DataFrame:
    try:
        frame = pd.read_csv(io.StringIO(text), dtype={"TIME_PERIOD": str})
    except Exception as exc:  # pandas raises several types for garbage
        raise CacheError(_("{origin} is not a readable SDMX CSV ({cls}: {exc})", origin=origin, cls=exc.__class__.__name__, exc=exc)) from None
    needed = {"REF_AREA", "INDICATOR", "TIME_PERIOD", "OBS_VALUE"}
    if not needed <= set(frame.columns):
        raise CacheError(
            _("{origin} lacks the SDMX columns {items}: it is not an answer of the UNICEF "
              "warehouse (format=csv&labels=id)", origin=origin, items=', '.join(sorted(needed - set(frame.columns))))
        )
    return frame


def fetch(indicator: str, countries: Iterable[str] | None = None, start: int | None = None,
          end: int | None = None, dataflow: str | None = None, *, offline: bool | None = None,
          refresh: bool = False, base_url: str = BASE_URL, timeout: float = 30.0,
          directory: Path | None = None) -> pd.DataFrame:
    """One indicator in the kit's tidy long form: ``iso3, country, year, indicator, value, unit, source``.

    Reads the cache first (unless ``refresh``); otherwise downloads and caches. Offline and not cached ->
    OfflineError; a corrupt cache file -> CacheError naming the file (delete it or pass ``refresh=True``).
    """
    if dataflow is None:
        if indicator not in KNOWN_INDICATORS:
            raise DataError(
                _("unknown dataflow for indicator {indicator!r}: pass dataflow=... (e.g. 'CME', "
                  "'NUTRITION', 'PT'); known indicators: {items}", indicator=indicator, items=', '.join(KNOWN_INDICATORS))
            )
        dataflow = KNOWN_INDICATORS[indicator][0]
    if offline is None:
        offline = os.environ.get("DESIGNKIT_OFFLINE", "") not in ("", "0", "false")
    countries = list(countries) if countries else None
    url = query_url(dataflow, indicator, countries, start, end, base_url)
    directory = directory or cache_dir()
    path = _cache_file(url, directory)

    if path.exists() and not refresh:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise CacheError(_("cache file {path} is corrupt (not UTF-8): delete it or fetch with "
                               "refresh=True", path=path)) from None
        try:
            raw = _read_csv(text, f"cache file {path}")
        except CacheError as exc:
            raise CacheError(_("{exc}; delete the file or fetch with refresh=True", exc=exc)) from None
        return to_tidy(raw)
    if offline:
        raise OfflineError(
            _("{indicator} ({dataflow}) is not in the cache {directory} and the loader is offline: "
              "fetch it once with a network connection, or use an offline catalogue dataset "
              "(designkit.data.catalogue())", indicator=indicator, dataflow=dataflow, directory=directory)
        )
    import requests

    try:
        response = requests.get(url, timeout=timeout, headers={"Accept": "text/csv"})
    except requests.RequestException as exc:
        raise DataError(_("could not reach the UNICEF warehouse at {base_url} ({cls}); check the "
                          "connection or work offline with the catalogue datasets", base_url=base_url, cls=exc.__class__.__name__)) from None
    if response.status_code != 200:
        raise DataError(_("the UNICEF warehouse answered {status_code} for {url}: check the "
                          "indicator, dataflow and country codes", status_code=response.status_code, url=url))
    raw = _read_csv(response.text, f"the answer from {url}")
    directory.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(response.text, encoding="utf-8")
    tmp.replace(path)  # atomic: a half-written file never becomes the cache
    path.with_suffix(".json").write_text(json.dumps({"url": url, "fetched": time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                                                                             time.gmtime())}))
    return to_tidy(raw)


def to_tidy(raw: pd.DataFrame) -> pd.DataFrame:
    """Turn an SDMX CSV answer (labels=id) into the kit's long form."""
    from .countries import _converter

    frame = raw.copy()
    year = frame["TIME_PERIOD"].astype(str).str.slice(0, 4)
    names = _converter().convert(list(frame["REF_AREA"].astype(str)), src="ISO3", to="name_short",
                                 not_found=None)
    if isinstance(names, str):
        names = [names]
    unit = frame["UNIT_MEASURE"] if "UNIT_MEASURE" in frame.columns else frame["INDICATOR"].map(
        lambda i: KNOWN_INDICATORS.get(i, ("", "", ""))[2])
    tidy = pd.DataFrame({
        "iso3": frame["REF_AREA"].astype(str),
        "country": [n if isinstance(n, str) else a for n, a in zip(names, frame["REF_AREA"].astype(str))],
        "year": pd.to_numeric(year, errors="coerce").astype("Int64"),
        "indicator": frame["INDICATOR"].astype(str),
        "value": pd.to_numeric(frame["OBS_VALUE"], errors="coerce"),
        "unit": unit.astype(str),
        "source": SOURCE,
    })
    for extra in ("SEX", "WEALTH_QUINTILE", "RESIDENCE"):
        if extra in frame.columns:
            tidy[extra.lower()] = frame[extra].astype(str)
    return tidy.dropna(subset=["value"]).reset_index(drop=True)
