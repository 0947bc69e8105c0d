"""Figures for the course: each states its finding in the title and carries one-sentence alt text.

Every function returns a :class:`matplotlib.figure.Figure` (made without pyplot, so old figures are
freed) and accepts ``fig=`` to redraw into an existing one. Colours come from the shared Okabe–Ito
palette (:mod:`designkit.plots.palette`); targets are defined once in :mod:`designkit.plots.targets`.

>>> import designkit.plots as dp
>>> sorted(n for n in dp.__all__ if not n[0].isupper())[:4]
['alt_text', 'equity_gap', 'figure_html', 'finding']
"""
from __future__ import annotations

from designkit.plots.figure import alt_text, figure_html, finding, show, to_png, to_svg
from designkit.plots.framing_figures import journey_map, priority_matrix, problem_tree, stakeholder_grid
from designkit.plots.indicators import equity_gap, trend_with_target
from designkit.plots.palette import OKABE_ITO
from designkit.plots.studio_figures import success_across_versions, theme_support
from designkit.plots.style import apply as _apply_style
from designkit.plots.targets import SDG32_NEONATAL, SDG32_UNDER5, Target, target_for

_apply_style()  # CJK fallback fonts after DejaVu Sans, so Chinese titles render (designkit.plots.style)

__all__ = [
    "alt_text",
    "finding",
    "show",
    "to_png",
    "to_svg",
    "figure_html",
    "problem_tree",
    "stakeholder_grid",
    "journey_map",
    "priority_matrix",
    "success_across_versions",
    "theme_support",
    "trend_with_target",
    "equity_gap",
    "OKABE_ITO",
    "SDG32_UNDER5",
    "SDG32_NEONATAL",
    "Target",
    "target_for",
]
