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
        raise ValueError(
            f"{what} needs columns {list(columns)}; this table lacks {missing} "
            f"(it has {list(df.columns)}). Use designkit.data.tidy(name) for trends."
        )


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
        raise ValueError(
            "No data for " + "; ".join(f"{c!r} (did you mean {h}?)" if h else repr(c) for c, h in hints.items())
            + ". Use the names in the table's 'country' column or ISO3 codes."
        )
    keep = df["country"].isin(countries)
    if codes:
        keep |= df["iso3"].isin(countries)
    out = df[keep]
    order = {c: i for i, c in enumerate(countries)}
    key = out["country"].map(order)
    if codes:
        key = key.fillna(out["iso3"].map(order))
    return out.assign(_order=key).sort_values(["_order", "year"]).drop(columns="_order")


def _change_words(first: float, last: float) -> tuple[str, str]:
    if first == 0:
        return ("stayed at 0", "") if last == 0 else ("rose from 0", "")
    pct = (last - first) / first * 100
    if abs(pct) < 0.5:
        return "was unchanged", ""
    return ("fell" if pct < 0 else "rose"), f"{abs(pct):.0f}%"


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
                raise ValueError(f"This table holds several indicators {present}: pass indicator=one of them.")
            indicator = present[0]
        elif indicator not in present:
            close = difflib.get_close_matches(indicator, present, n=3)
            raise ValueError(f"No indicator {indicator!r} in this table (did you mean {close or present}?).")
        data = data[data["indicator"] == indicator]
    indicator = indicator or "value"
    data = _pick_countries(data, countries)
    if years is not None:
        data = data[(data["year"] >= years[0]) & (data["year"] <= years[1])]
    data = data.dropna(subset=["value"])
    if data.empty:
        raise ValueError(f"No {indicator} values for {countries or 'any country'} in years {years or 'all'}.")

    if unit is None:
        units = data["unit"].dropna().unique() if "unit" in data.columns else []
        unit = str(units[0]) if len(units) == 1 else unit_for(indicator)
    if isinstance(target, str):
        if target != "auto":
            raise ValueError("target must be 'auto', a designkit.plots.Target, a number or None.")
        target = target_for(indicator)
    elif isinstance(target, (int, float)):
        target = Target("Target", float(target), int(data["year"].max()), unit, "")
    label = measure_label(indicator)

    fig, ax, fresh = axes_for(fig, ("trend_with_target", label, unit, target))
    if fresh:
        ax.set_xlabel("Year")
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
        country, first, last, _, _ = c = changes[0]
        verb, pct = _change_words(first, last)
        text = f"{label} {verb}{' ' + pct if pct else ''} in {country}, {span(c)}"
        if target is not None:
            where = "now at or below" if last <= target.value else "still above"
            text += f", {where} the {target.name} (≤ {fmt(target.value)})"
        return text
    fell = [c for c in changes if c[2] < c[1]]
    n = len(changes)
    spans = {span(c) for c in changes}
    period = spans.pop() if len(spans) == 1 else "over the years shown"
    count = ("both" if n == 2 else f"all {n}") if len(fell) == n else f"{len(fell)} of {n}"
    text = f"{label} fell in {count} countries, {period}"
    if fell:
        best = max(fell, key=lambda c: (c[1] - c[2]) / c[1] if c[1] else 0)
        text += f", most in {best[0]} (−{(best[1] - best[2]) / best[1] * 100:.0f}%)"
    if target is not None:
        met = sum(c[2] <= target.value for c in changes)
        text += f"; {met} of {n} at or below the {target.name} (≤ {fmt(target.value)})"
    return text


def _snapshot_finding(label: str, changes, target: Target | None) -> str:
    years = sorted({c[4] for c in changes})
    when = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
    if len(changes) == 1:
        country, _, value, _, _ = changes[0]
        text = f"{label} in {country}, {when}: {fmt(value)}"
    else:
        hi = max(changes, key=lambda c: c[2])
        lo = min(changes, key=lambda c: c[2])
        text = f"{label}, {when}: highest in {hi[0]} ({fmt(hi[2])}), lowest in {lo[0]} ({fmt(lo[2])})"
    if target is not None:
        met = sum(c[2] <= target.value for c in changes)
        if len(changes) == 1:
            text += f", {'at or below' if met else 'above'} the {target.name} (≤ {fmt(target.value)})"
        else:
            text += f"; {met} of {len(changes)} at or below the {target.name} (≤ {fmt(target.value)})"
    return text


def _trend_alt(label: str, unit: str, changes, target: Target | None, y0: int, y1: int) -> str:
    names = [c[0] for c in changes]
    what = f"{label.lower()}" + (f" ({unit})" if unit else "")
    if len(changes) <= 5:
        detail = "; ".join(f"{c[0]} from {fmt(c[1])} in {c[3]} to {fmt(c[2])} in {c[4]}" if c[3] != c[4]
                           else f"{c[0]} {fmt(c[2])} in {c[4]}" for c in changes)
        text = f"Line chart of {what} in {join_names(names)}, {y0}–{y1}: {detail}"
    else:
        lo = min(changes, key=lambda c: c[2])
        hi = max(changes, key=lambda c: c[2])
        text = (f"Line chart of {what} in {len(changes)} countries, {y0}–{y1}; in the last year shown "
                f"the lowest is {lo[0]} ({fmt(lo[2])}) and the highest {hi[0]} ({fmt(hi[2])})")
    if target is not None:
        text += f"; a dashed line marks the {target.name} of {fmt(target.value)} by {target.year}"
    return text + "."


def _guess_label_column(df: pd.DataFrame) -> str:
    for c in _LABEL_COLUMNS:
        if c in df.columns:
            return c
    raise ValueError(f"Pass label= the column that names the rows (this table has {list(df.columns)}).")


def _group_name(column: str, prefix: str) -> str:
    rest = column[len(prefix):].strip("_") or column
    return {"male": "Boys", "female": "Girls"}.get(rest.lower(), rest.replace("_", " ").capitalize())


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
        raise ValueError(f"No column {label!r} to name the rows (this table has {list(df.columns)}).")
    prefix = ""
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        prefix += x
    measure_col, year = split_year(prefix.rstrip("_") or a)
    measure = measure_label(measure_col)
    unit = unit if unit is not None else unit_for(measure_col)
    names = names or (_group_name(a, prefix), _group_name(b, prefix))

    data = df[[c for c in {label, a, b, by} if c]].dropna(subset=[a, b])
    what = "countries"
    if by is not None:
        if by not in df.columns:
            raise ValueError(f"No column {by!r} to group by (this table has {list(df.columns)}).")
        data = data.groupby(by, as_index=False)[[a, b]].mean()
        label, what = by, {"region": "regions", "continent": "continents"}.get(by, f"{by} groups")
    if data.empty:
        raise ValueError(f"No rows with both {a} and {b}.")
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
    ax.set_ylabel({"countries_and_areas": "Country or area"}.get(label, label.replace("_", " ").capitalize()))
    ax.grid(axis="x", color=GRID, lw=0.6)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=8, frameon=False, loc="lower right")

    n = len(data)
    higher = int((data["_gap"] > 0).sum())
    widest = data.iloc[0]
    when = f" ({year})" if year else ""
    short_unit = " per 1,000" if "per 1,000" in unit else (f" {unit}" if unit else "")
    if widest["_gap"] == 0:
        text = f"{measure} is the same for {names[0].lower()} and {names[1].lower()} in all {n} {what}{when}"
    else:
        text = (f"{measure} is higher for {names[0].lower()} than {names[1].lower()} in {higher} of {n} "
                f"{what}{when}; widest gap: {widest[label]}, {fmt(abs(widest['_gap']))}{short_unit}")
    set_finding(fig, text)
    set_alt_text(fig, (
        f"Dot plot of {measure.lower()}{' (' + unit + ')' if unit else ''} for {names[0].lower()} and "
        f"{names[1].lower()} in the {len(shown)} {what} with the widest gaps{when}; {names[0].lower()}' "
        f"rate is higher in {higher} of {n}, and the widest gap is in {widest[label]} "
        f"({names[0].lower()} {fmt(widest[a])}, {names[1].lower()} {fmt(widest[b])})."
    ))
    longest = max(len(str(s)) for s in shown[label])
    fit(fig, left=0.45 + 0.062 * longest)
    return fig
