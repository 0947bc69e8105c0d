"""Indicator charts: a trend with its SDG target, and the gap between two groups.

Both take the kit's data frames (``designkit.data.tidy(...)`` for trends, ``designkit.data.load(...)``
for gaps) and compute their title and alt text from the data they are given.

>>> import pandas as pd
>>> df = pd.DataFrame({"country": ["Bangladesh"] * 2, "year": [1990, 2018],
...                    "indicator": "under5_mortality", "value": [144.0, 30.0]})
>>> fig = trend_with_target(df, indicator="under5_mortality")
>>> finding(fig)
'Under-5 mortality fell 79% in Bangladesh, 1990–2018, still above the SDG 3.2 target (≤ 25)'
"""
from __future__ import annotations

import difflib
from collections.abc import Sequence

import pandas as pd
from matplotlib.figure import Figure

from designkit.i18n import N_, _
from designkit.plots.figure import axes_for, finding, fit, freeze, new_figure, set_alt_text, set_finding
from designkit.plots.label_layout import axes_size_pt
from designkit.plots.labels import fmt, join_names, measure_label, split_year, unit_for, with_unit
from designkit.plots.palette import GRID, NEUTRAL, OKABE_ITO, TARGET, series_colour, text_colour
from designkit.plots.targets import Target, target_for

__all__ = ["trend_with_target", "equity_gap", "finding"]

_LABEL_COLUMNS = ("country", "countries_and_areas", "region", "continent", "iso3")


def _require(df: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(_(
            "{what} needs columns {columns}; this table lacks {missing} "
            "(it has {have}). Use designkit.data.tidy(name) for trends.", what=what, columns=list(columns),
            missing=missing, have=list(df.columns)))


def _pick_countries(df: pd.DataFrame, countries: Sequence[str] | str | None) -> pd.DataFrame:
    if countries is None:
        return df
    if isinstance(countries, str):
        countries = [countries]
    known = set(df["country"].astype(str))
    codes = set(df["iso3"].astype(str)) if "iso3" in df.columns else set()
    unknown = [c for c in countries if c not in known and c not in codes]
    if unknown:
        hints = {c: difflib.get_close_matches(c, sorted(known), n=3) for c in unknown}
        names = "; ".join(_("{name} (did you mean {hints}?)", name=repr(c), hints=h) if h else repr(c)
                          for c, h in hints.items())
        raise ValueError(_("No data for {names}. Use the names in the table's 'country' column or ISO3 codes.",
                           names=names))
    keep = df["country"].isin(countries)
    if codes:
        keep |= df["iso3"].isin(countries)
    out = df[keep]
    order = {c: i for i, c in enumerate(countries)}
    key = out["country"].map(order)
    if codes:
        key = key.fillna(out["iso3"].map(order))
    return out.assign(_order=key).sort_values(["_order", "year"]).drop(columns="_order")


def _change_sentence(label: str, country: str, span: str, first: float, last: float) -> str:
    if first == 0:
        if last == 0:
            return _("{label} stayed at 0 in {country}, {span}", label=label, country=country, span=span)
        return _("{label} rose from 0 in {country}, {span}", label=label, country=country, span=span)
    pct = (last - first) / first * 100
    if abs(pct) < 0.5:
        return _("{label} was unchanged in {country}, {span}", label=label, country=country, span=span)
    if pct < 0:
        return _("{label} fell {pct:.0f}% in {country}, {span}", label=label, pct=abs(pct), country=country, span=span)
    return _("{label} rose {pct:.0f}% in {country}, {span}", label=label, pct=abs(pct), country=country, span=span)


def trend_with_target(
    df: pd.DataFrame,
    indicator: str | None = None,
    countries: Sequence[str] | str | None = None,
    *,
    target: Target | float | str | None = "auto",
    years: tuple[int, int] | None = None,
    unit: str | None = None,
    fig: Figure | None = None,
) -> Figure:
    """Line chart of an indicator over the years, one line per country, with its target line.

    ``df`` is long form (``designkit.data.tidy``): columns ``country, year, value`` and, when it
    holds several indicators, ``indicator``. ``target="auto"`` draws the SDG 3.2 target where one
    applies (under-5 and neonatal mortality); pass a :class:`Target`, a number, or None.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"country": ["Nepal", "Nepal", "Peru", "Peru"], "year": [1990, 2018] * 2,
    ...                    "value": [141.0, 32.0, 80.0, 14.0]})
    >>> finding(trend_with_target(df, indicator="under5_mortality"))  # doctest: +NORMALIZE_WHITESPACE
    'Under-5 mortality fell in both countries, 1990–2018, most in Peru (−82%);
     1 of 2 at or below the SDG 3.2 target (≤ 25)'
    """
    _require(df, ["country", "year", "value"], "trend_with_target")
    data = df
    if "indicator" in data.columns:
        present = sorted(data["indicator"].dropna().unique())
        if indicator is None:
            if len(present) != 1:
                raise ValueError(_("This table holds several indicators {present}: pass indicator=one of them.",
                                   present=present))
            indicator = present[0]
        elif indicator not in present:
            close = difflib.get_close_matches(indicator, present, n=3)
            raise ValueError(_("No indicator {indicator} in this table (did you mean {close}?).",
                               indicator=repr(indicator), close=close or present))
        data = data[data["indicator"] == indicator]
    indicator = indicator or "value"
    data = _pick_countries(data, countries)
    if years is not None:
        data = data[(data["year"] >= years[0]) & (data["year"] <= years[1])]
    data = data.dropna(subset=["value"])
    if data.empty:
        raise ValueError(_("No {indicator} values for {countries} in years {years}.", indicator=indicator,
                           countries=countries or _("any country"), years=years or _("all")))

    if unit is None:
        units = data["unit"].dropna().unique() if "unit" in data.columns else []
        unit = str(units[0]) if len(units) == 1 else unit_for(indicator)
    if isinstance(target, str):
        if target != "auto":
            raise ValueError("target must be 'auto', a designkit.plots.Target, a number or None.")
        target = target_for(indicator)
    elif isinstance(target, (int, float)):
        target = Target(N_("Target"), float(target), int(data["year"].max()), unit, "")
    label = measure_label(indicator)

    fig, ax, fresh = axes_for(fig, ("trend_with_target", label, unit, target))
    if fresh:
        ax.set_xlabel(_("Year"))
        ax.set_ylabel(with_unit(label, unit))
        ax.grid(axis="y", color=GRID, lw=0.6)
        ax.spines[["top", "right"]].set_visible(False)
        if target is not None:
            ax.axhline(target.value, color=TARGET, ls="--", lw=1.2, label=target.label)
            ax.text(0.01, target.value, f" {target.label}", transform=ax.get_yaxis_transform(), va="bottom",
                    ha="left", fontsize=8, color=TARGET)
            ax.plot([target.year], [target.value], marker="X", ms=7, color=TARGET, ls="none")
        freeze(ax)
    changes: list[tuple[str, float, float, int, int]] = []
    ends: list[tuple[float, float, str, str]] = []
    for i, (country, rows) in enumerate(data.groupby("country", sort=False)):
        rows = rows.sort_values("year")
        colour = series_colour(i)
        ax.plot(rows["year"], rows["value"], marker="o", ms=4, lw=2, color=colour, label=country)
        first, last = rows.iloc[0], rows.iloc[-1]
        changes.append((country, float(first["value"]), float(last["value"]), int(first["year"]), int(last["year"])))
        ends.append((float(last["year"]), float(last["value"]), f"{country} {fmt(last['value'])}", colour))
    y0, y1 = int(data["year"].min()), int(data["year"].max())
    right = max(y1, target.year) if target is not None else y1
    pad = max(1.0, (right - y0) * 0.04)
    ax.set_xlim(y0 - pad, right + pad)
    top = max(float(data["value"].max()), target.value if target is not None else 0.0)
    ax.set_ylim(0, top * 1.1 if top > 0 else 1)

    set_finding(fig, _trend_finding(label, changes, target))
    set_alt_text(fig, _trend_alt(label, unit, changes, target, y0, y1))
    # lines are named at their ends (no legend to look up): leave room on the right for the names
    fit(fig, left=0.85)
    room_pt = (ax.get_xlim()[1] - max(e[0] for e in ends)) * axes_size_pt(ax)[0] / (ax.get_xlim()[1] - ax.get_xlim()[0])
    need_pt = 10 + 0.6 * 8 * max(len(e[2]) for e in ends)
    if need_pt > room_pt:
        fit(fig, left=0.85, right=0.25 + (need_pt - room_pt) / 72 * 1.1)
    _label_line_ends(ax, ends)
    return fig


def _label_line_ends(ax, ends: list[tuple[float, float, str, str]], gap_pt: float = 9.0) -> None:
    """Write each line's name and last value at its end, nudged apart so that close values stay readable."""
    lo, hi = ax.get_ylim()
    height = axes_size_pt(ax)[1]
    scale = height / ((hi - lo) or 1)
    placed: list[float] = []
    for x, y, text, colour in sorted(ends, key=lambda e: e[1]):
        want = (y - lo) * scale
        at = max(want, placed[-1] + gap_pt) if placed else want
        placed.append(at)
        ax.annotate(text, (x, y), xytext=(4, at - want), textcoords="offset points", va="center", fontsize=8,
                    color=text_colour(colour))


def _trend_finding(label: str, changes, target: Target | None) -> str:
    span = lambda c: f"{c[3]}–{c[4]}" if c[3] != c[4] else f"{c[3]}"  # noqa: E731
    if all(c[3] == c[4] for c in changes):  # one year per country: a snapshot, not a change
        return _snapshot_finding(label, changes, target)
    if len(changes) == 1:
        c = changes[0]
        country, first, last = c[0], c[1], c[2]
        text = _change_sentence(label, country, span(c), first, last)
        if target is not None:
            if last <= target.value:
                text += _(", now at or below the {target} (≤ {value})", target=_(target.name), value=fmt(target.value))
            else:
                text += _(", still above the {target} (≤ {value})", target=_(target.name), value=fmt(target.value))
        return text
    fell = [c for c in changes if c[2] < c[1]]
    n = len(changes)
    spans = {span(c) for c in changes}
    period = spans.pop() if len(spans) == 1 else _("over the years shown")
    if len(fell) == n:
        text = (_("{label} fell in both countries, {period}", label=label, period=period) if n == 2 else
                _("{label} fell in all {n} countries, {period}", label=label, n=n, period=period))
    else:
        text = _("{label} fell in {k} of {n} countries, {period}", label=label, k=len(fell), n=n, period=period)
    if fell:
        best = max(fell, key=lambda c: (c[1] - c[2]) / c[1] if c[1] else 0)
        text += _(", most in {country} (−{pct:.0f}%)", country=best[0], pct=(best[1] - best[2]) / best[1] * 100)
    if target is not None:
        met = sum(c[2] <= target.value for c in changes)
        text += _("; {met} of {n} at or below the {target} (≤ {value})", met=met, n=n, target=_(target.name),
                  value=fmt(target.value))
    return text


def _snapshot_finding(label: str, changes, target: Target | None) -> str:
    years = sorted({c[4] for c in changes})
    when = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
    if len(changes) == 1:
        country, value = changes[0][0], changes[0][2]
        text = _("{label} in {country}, {when}: {value}", label=label, country=country, when=when, value=fmt(value))
    else:
        hi = max(changes, key=lambda c: c[2])
        lo = min(changes, key=lambda c: c[2])
        text = _("{label}, {when}: highest in {hi} ({hi_value}), lowest in {lo} ({lo_value})", label=label, when=when,
                 hi=hi[0], hi_value=fmt(hi[2]), lo=lo[0], lo_value=fmt(lo[2]))
    if target is not None:
        met = sum(c[2] <= target.value for c in changes)
        name, value = _(target.name), fmt(target.value)
        if len(changes) == 1:
            text += (_(", at or below the {target} (≤ {value})", target=name, value=value) if met else
                     _(", above the {target} (≤ {value})", target=name, value=value))
        else:
            text += _("; {met} of {n} at or below the {target} (≤ {value})", met=met, n=len(changes), target=name,
                      value=value)
    return text


def _trend_alt(label: str, unit: str, changes, target: Target | None, y0: int, y1: int) -> str:
    names = [c[0] for c in changes]
    what = f"{label.lower()}" + (f" ({unit})" if unit else "")
    if len(changes) <= 5:
        detail = _("; ").join(
            _("{country} from {first} in {y0} to {last} in {y1}", country=c[0], first=fmt(c[1]), y0=c[3],
              last=fmt(c[2]), y1=c[4]) if c[3] != c[4]
            else _("{country} {value} in {year}", country=c[0], value=fmt(c[2]), year=c[4]) for c in changes)
        text = _("Line chart of {what} in {names}, {y0}–{y1}: {detail}", what=what, names=join_names(names), y0=y0,
                 y1=y1, detail=detail)
    else:
        lo = min(changes, key=lambda c: c[2])
        hi = max(changes, key=lambda c: c[2])
        text = _("Line chart of {what} in {n} countries, {y0}–{y1}; in the last year shown "
                 "the lowest is {lo} ({lo_value}) and the highest {hi} ({hi_value})", what=what, n=len(changes),
                 y0=y0, y1=y1, lo=lo[0], lo_value=fmt(lo[2]), hi=hi[0], hi_value=fmt(hi[2]))
    if target is not None:
        text += _("; a dashed line marks the {target} of {value} by {year}", target=_(target.name),
                  value=fmt(target.value), year=target.year)
    return text + _(".")


def _guess_label_column(df: pd.DataFrame) -> str:
    for c in _LABEL_COLUMNS:
        if c in df.columns:
            return c
    raise ValueError(_("Pass label= the column that names the rows (this table has {columns}).",
                       columns=list(df.columns)))


def _group_name(column: str, prefix: str) -> str:
    rest = column[len(prefix):].strip("_") or column
    if rest.lower() == "male":
        return _("Boys")
    if rest.lower() == "female":
        return _("Girls")
    return rest.replace("_", " ").capitalize()


def equity_gap(
    df: pd.DataFrame,
    a: str,
    b: str,
    *,
    label: str | None = None,
    names: tuple[str, str] | None = None,
    by: str | None = None,
    top: int = 15,
    unit: str | None = None,
    fig: Figure | None = None,
) -> Figure:
    """Dot plot of the gap between two groups (columns ``a`` and ``b``) for each row.

    Rows are countries, or the means of countries grouped ``by`` a column such as ``region``;
    the ``top`` rows with the widest gaps are drawn, and the title counts every row.
    Columns ending in ``_male``/``_female`` are named Boys/Girls unless ``names`` says otherwise.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"country": ["A", "B", "C"], "under5_mortality_2018_male": [60, 20, 9],
    ...                    "under5_mortality_2018_female": [50, 19, 9]})
    >>> finding(equity_gap(df, "under5_mortality_2018_male", "under5_mortality_2018_female"))
    'Under-5 mortality is higher for boys than girls in 2 of 3 countries (2018); widest gap: A, 10 per 1,000'
    """
    _require(df, [a, b], "equity_gap")
    label = label or _guess_label_column(df)
    if label not in df.columns and label != by:
        raise ValueError(_("No column {label} to name the rows (this table has {columns}).", label=repr(label),
                           columns=list(df.columns)))
    prefix = ""
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        prefix += x
    measure_col, year = split_year(prefix.rstrip("_") or a)
    measure = measure_label(measure_col)
    unit_en = unit if unit is not None else unit_for(measure_col, translated=False)
    unit = unit if unit is not None else unit_for(measure_col)
    names = names or (_group_name(a, prefix), _group_name(b, prefix))

    data = df[[c for c in {label, a, b, by} if c]].dropna(subset=[a, b])
    what = _("countries")
    if by is not None:
        if by not in df.columns:
            raise ValueError(_("No column {by} to group by (this table has {columns}).", by=repr(by),
                               columns=list(df.columns)))
        data = data.groupby(by, as_index=False)[[a, b]].mean()
        label = by
        what = (_("regions") if by == "region" else _("continents") if by == "continent"
                else _("{by} groups", by=by))
    if data.empty:
        raise ValueError(_("No rows with both {a} and {b}.", a=a, b=b))
    gap = data[a] - data[b]
    data = data.assign(_gap=gap, _abs=gap.abs()).sort_values("_abs", ascending=False)
    shown = data.head(top).iloc[::-1]

    fig = new_figure(fig, figsize=(7.5, max(3.2, 0.28 * len(shown) + 1.6)))
    ax = fig.add_subplot()
    ys = range(len(shown))
    ax.hlines(list(ys), shown[[a, b]].min(axis=1), shown[[a, b]].max(axis=1), color=NEUTRAL, lw=1.5)
    ax.plot(shown[a], ys, "o", color=OKABE_ITO["blue"], label=names[0], ms=6)
    ax.plot(shown[b], ys, "D", color=OKABE_ITO["orange"], label=names[1], ms=5)
    ax.set_yticks(list(ys), [str(s) for s in shown[label]], fontsize=8)
    ax.set_xlabel(with_unit(measure, unit))
    ax.set_ylabel(_("Country or area") if label == "countries_and_areas" else label.replace("_", " ").capitalize())
    ax.grid(axis="x", color=GRID, lw=0.6)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=8, frameon=False, loc="lower right")

    n = len(data)
    higher = int((data["_gap"] > 0).sum())
    widest = data.iloc[0]
    when = f" ({year})" if year else ""
    short_unit = _(" per 1,000") if "per 1,000" in unit_en else (f" {unit}" if unit else "")
    first, second = names[0].lower(), names[1].lower()
    if widest["_gap"] == 0:
        text = _("{measure} is the same for {a} and {b} in all {n} {what}{when}", measure=measure, a=first, b=second,
                 n=n, what=what, when=when)
    else:
        text = _("{measure} is higher for {a} than {b} in {higher} of {n} {what}{when}; widest gap: {row}, "
                 "{gap}{unit}", measure=measure, a=first, b=second, higher=higher, n=n, what=what, when=when,
                 row=widest[label], gap=fmt(abs(widest["_gap"])), unit=short_unit)
    set_finding(fig, text)
    set_alt_text(fig, _(
        "Dot plot of {measure}{unit} for {a} and {b} in the {shown} {what} with the widest gaps{when}; {a}' "
        "rate is higher in {higher} of {n}, and the widest gap is in {row} ({a} {a_value}, {b} {b_value}).",
        measure=measure.lower(), unit=" (" + unit + ")" if unit else "", a=first, b=second, shown=len(shown),
        what=what, when=when, higher=higher, n=n, row=widest[label], a_value=fmt(widest[a]),
        b_value=fmt(widest[b])))
    longest = max(len(str(s)) for s in shown[label])
    fit(fig, left=0.45 + 0.062 * longest)
    return fig
