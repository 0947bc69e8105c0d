"""IndicatorExplorer: pick a dataset, an indicator, countries and years -> a trend chart (with the
SDG 3.2 target line where it applies) and the table behind it.

>>> ex = IndicatorExplorer(dataset="sowc_child_mortality", indicator="under5_mortality_rate",
...                        countries=["Zambia", "Malawi"])
>>> sorted(ex.table.index)
['Malawi', 'Zambia']
>>> ex.select(indicator="neonatal_mortality_rate", countries=["Zambia"])
>>> ex.finding
'Neonatal mortality fell 38% in Zambia, 1990–2018, still above the SDG 3.2 target (≤ 12)'
"""
from __future__ import annotations

import html
from collections.abc import Sequence

import ipywidgets as W
import pandas as pd

from designkit import data as kit_data
from designkit.i18n import _
from designkit.plots.palette import BAD_TEXT, GRID, MUTED
from designkit.widgets.editor import STYLE

#: Datasets with countries over years (``tidy`` gives ``country, year, indicator, value``).
DATASETS = ("sowc_child_mortality", "gapminder", "sowc_maternal_newborn")
DEFAULT_COUNTRIES = ("Zambia", "Malawi", "Uganda")


class IndicatorExplorer:
    """Explore an indicator across countries and years; ``.figure``, ``.table`` and ``.data`` follow
    the controls, and ``select(...)`` sets them from code."""

    def __init__(self, dataset: str = "sowc_child_mortality", indicator: str | None = None,
                 countries: Sequence[str] = DEFAULT_COUNTRIES, years: tuple[int, int] | None = None) -> None:
        self._fig = None
        self._frames: dict[str, pd.DataFrame] = {}
        self._updating = False
        self.figure = None
        self.data = pd.DataFrame()
        self.table = pd.DataFrame()
        self.error: str | None = None
        names = [n for n in DATASETS if n in set(kit_data.catalogue()["name"])]
        self.dataset = W.Dropdown(options=[(f"{n} — {self._title(n)}", n) for n in names], description=_("Dataset"),
                                  layout=W.Layout(width="100%"))
        self.indicator = W.Dropdown(description=_("Indicator"), layout=W.Layout(width="100%"))
        self.countries = W.TagsInput(allow_duplicates=False, layout=W.Layout(width="100%"),
                                     placeholder=_("Add a country: type its name, then Enter"))
        # The range lives in ``years`` (set it from code); the page shows two labelled drop-downs instead of a
        # range slider, whose handles have no accessible name in ipywidgets.
        self.years = W.IntRangeSlider(description=_("Years"), continuous_update=False,
                                      layout=W.Layout(width="100%", display="none"))
        self.year_from = W.Dropdown(description=_("From year"), style={"description_width": "initial"},
                                    layout=W.Layout(width="48%"))
        self.year_to = W.Dropdown(description=_("To year"), style={"description_width": "initial"},
                                  layout=W.Layout(width="48%"))
        self._syncing = False
        self.message = W.HTML()
        self.figure_view = W.HTML()
        self.table_view = W.HTML()
        self.source_view = W.HTML()
        controls = W.VBox([self.dataset, self.indicator, W.HTML(_("<b>Countries</b> (type a name; Enter adds it)")),
                           self.countries, self.years, W.HBox([self.year_from, self.year_to]), self.message],
                          layout=W.Layout(width="36%"))
        right = W.VBox([self.figure_view, self.source_view, self.table_view], layout=W.Layout(width="64%"))
        self.widget = W.VBox([STYLE, W.HTML("<h3 style='margin:0 0 4px 0'>" + html.escape(_("Indicator explorer")) + "</h3>"),
                              W.HBox([controls, right])], layout=W.Layout(border=f"1px solid {GRID}", padding="8px"))
        self.widget.add_class("designkit-editor")
        self.dataset.observe(self._dataset_changed, names="value")
        for w in (self.indicator, self.countries, self.years):
            w.observe(self._changed, names="value")
        self.years.observe(self._show_years, names=["value", "min", "max"])
        for w in (self.year_from, self.year_to):
            w.observe(self._pick_years, names="value")
        self.select(dataset=dataset if dataset in names else names[0], indicator=indicator,
                    countries=countries, years=years)

    @staticmethod
    def _title(name: str) -> str:
        cat = kit_data.catalogue().set_index("name")
        return str(cat.loc[name, "title"]) if name in cat.index else name

    def _frame(self, name: str) -> pd.DataFrame:
        if name not in self._frames:
            self._frames[name] = kit_data.tidy(name).dropna(subset=["country", "year", "value"])
        return self._frames[name]

    # ---- selection --------------------------------------------------------------------------------
    @property
    def selection(self) -> dict:
        """The current choice: dataset, indicator, countries, years."""
        return {"dataset": self.dataset.value, "indicator": self.indicator.value,
                "countries": list(self.countries.value), "years": tuple(self.years.value)}

    def select(self, dataset: str | None = None, indicator: str | None = None,
               countries: Sequence[str] | None = None, years: tuple[int, int] | None = None) -> None:
        """Set any of the controls from code (unknown names raise ValueError naming close matches)."""
        self._updating = True
        try:
            if dataset is not None and dataset != self.dataset.value:
                if dataset not in dict(self.dataset.options).values():
                    raise ValueError(_("No dataset {dataset} in the explorer: choose one of {names}.",
                                       dataset=repr(dataset), names=list(DATASETS)))
                self.dataset.value = dataset
                self._fill_options()
            elif not self.indicator.options:
                self._fill_options()
            if indicator is not None:
                allowed = [v for _label, v in self.indicator.options]
                if indicator not in allowed:
                    raise ValueError(_("No indicator {indicator} in {dataset}: choose one of {allowed}.",
                                       indicator=repr(indicator), dataset=self.dataset.value, allowed=allowed))
                self.indicator.value = indicator
            if countries is not None:
                known = set(self.countries.allowed_tags)
                missing = [c for c in countries if c not in known]
                if missing:
                    import difflib

                    hints = {c: difflib.get_close_matches(c, sorted(known), n=3) for c in missing}
                    names = ", ".join(_("{name} (did you mean {hints}?)", name=repr(c), hints=h) for c, h in hints.items())
                    raise ValueError(_("No country named {names} in {dataset}.", names=names, dataset=self.dataset.value))
                self.countries.value = list(countries)
            self._fit_years(years)
        finally:
            self._updating = False
        self._redraw()

    def _fill_options(self) -> None:
        from designkit.plots.labels import measure_label

        frame = self._frame(self.dataset.value)
        units = frame.groupby("indicator")["unit"].first()
        self.indicator.options = [(f"{measure_label(i)} — {i} ({units[i]})", i) for i in sorted(units.index)]
        preferred = [i for i in ("under5_mortality_rate", "infant_mortality_rate") if i in units.index]
        self.indicator.value = preferred[0] if preferred else sorted(units.index)[0]
        self.countries.allowed_tags = sorted(frame["country"].unique())
        self.countries.value = [c for c in self.countries.value if c in set(self.countries.allowed_tags)]
        self._fit_years(None)

    def _fit_years(self, years: tuple[int, int] | None) -> None:
        frame = self._frame(self.dataset.value)
        rows = frame[frame["indicator"] == self.indicator.value]
        lo, hi = int(rows["year"].min()), int(rows["year"].max())
        self.years.min, self.years.max = min(lo, self.years.min), max(hi, self.years.max)
        self.years.max, self.years.min = hi, lo
        self.years.value = (max(lo, years[0]), min(hi, years[1])) if years else (lo, hi)

    def _show_years(self, _change=None) -> None:
        """Mirror the range (``years``) in the two drop-downs."""
        self._syncing = True
        try:
            options = list(range(self.years.min, self.years.max + 1))
            for box, year in ((self.year_from, self.years.value[0]), (self.year_to, self.years.value[1])):
                if list(box.options) != options:
                    box.options = options
                box.value = year
        finally:
            self._syncing = False

    def _pick_years(self, _change=None) -> None:
        """A year picked in a drop-down sets the range (in order, whichever box was changed)."""
        if self._syncing or self.year_from.value is None or self.year_to.value is None:
            return
        self.years.value = tuple(sorted((self.year_from.value, self.year_to.value)))

    def _dataset_changed(self, _change=None) -> None:
        if self._updating:
            return
        self._updating = True
        try:
            self._fill_options()
        finally:
            self._updating = False
        self._redraw()

    def _changed(self, change=None) -> None:
        if self._updating:
            return
        if change is not None and change["owner"] is self.indicator:
            self._updating = True
            try:
                self._fit_years(None)
            finally:
                self._updating = False
        self._redraw()

    # ---- output -----------------------------------------------------------------------------------
    @property
    def finding(self) -> str:
        """The chart's title (what it shows)."""
        from designkit.plots import finding

        return finding(self.figure) if self.figure is not None else ""

    def _redraw(self) -> None:
        from designkit.plots import alt_text, to_svg, trend_with_target

        sel = self.selection
        frame = self._frame(sel["dataset"])
        rows = frame[(frame["indicator"] == sel["indicator"]) & frame["country"].isin(sel["countries"])
                     & frame["year"].between(*sel["years"])]
        self.data = rows.reset_index(drop=True)
        self.table = (rows.pivot_table(index="country", columns="year", values="value", aggfunc="first")
                      .reindex([c for c in sel["countries"] if c in set(rows["country"])]))
        if rows.empty:
            self.error = _("Choose at least one country with data for this indicator and these years.")
            self.message.value = f"<span role='status' style='color:{BAD_TEXT}'>{self.error}</span>"
            self.figure_view.value = self.table_view.value = ""
            return
        self.error = None
        self.message.value = ""
        self.figure = self._fig = trend_with_target(rows, indicator=sel["indicator"], countries=sel["countries"],
                                                    fig=self._fig)
        alt_label, source_label = html.escape(_("Alt text:")), html.escape(_("Source:"))
        self.figure_view.value = (f"<figure style='margin:0'>{to_svg(self.figure)}<figcaption style='font-size:11px;"
                                  f"color:{MUTED}'>{alt_label} {html.escape(alt_text(self.figure))}</figcaption></figure>")
        sources = "; ".join(sorted(rows["source"].dropna().unique()))
        self.source_view.value = f"<div style='font-size:11px;color:{MUTED}'>{source_label} {html.escape(sources)}</div>"
        unit = rows["unit"].iloc[0]
        # the country column is a named column (no empty corner cell in the header row)
        shown = self.table.rename_axis(index=None, columns=None).rename_axis(_("Country")).reset_index()
        table_label = html.escape(_("Table: {indicator} by country and year", indicator=sel["indicator"]))
        self.table_view.value = (f"<div style='font-size:12px'><b>{html.escape(sel['indicator'])}</b> "
                                 f"({html.escape(str(unit))})<div class='designkit-table' tabindex='0' role='region' "
                                 f"aria-label='{table_label}'>"
                                 + shown.to_html(index=False, na_rep="–", float_format="{:g}".format) + "</div></div>")

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        return f"<IndicatorExplorer {self.selection}>"
