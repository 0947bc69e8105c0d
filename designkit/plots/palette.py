"""The Okabe–Ito colour-blind-safe palette, shared by every figure in the kit.

Okabe, M. & Ito, K. (2008), *Color Universal Design*: eight colours that stay distinct for the
common forms of colour-vision deficiency. Use the named colours for meaning (``TARGET`` for target
lines, ``GOOD``/``BAD`` for strengths/problems) and ``SERIES`` for lines in order.

>>> from designkit.plots.palette import OKABE_ITO, SERIES
>>> OKABE_ITO["blue"]
'#0072B2'
>>> SERIES[0] == OKABE_ITO["blue"]
True
"""
from __future__ import annotations

OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: Order for data series: the strongest contrasts on white first; yellow last (weak on white).
SERIES: list[str] = [
    OKABE_ITO["blue"],
    OKABE_ITO["orange"],
    OKABE_ITO["bluish_green"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["reddish_purple"],
    OKABE_ITO["sky_blue"],
    OKABE_ITO["black"],
    OKABE_ITO["yellow"],
]

#: Meaningful roles (always paired with a second cue: line style, marker or label, never colour alone).
TARGET = OKABE_ITO["black"]
GOOD = OKABE_ITO["bluish_green"]
BAD = OKABE_ITO["vermillion"]
NEUTRAL = "#7F7F7F"  # grey for connectors and guides (not a data colour)
LIGHT = "#F2F2F2"  # quadrant shading


def series_colour(i: int) -> str:
    """The colour of the ``i``-th data series (cycles after eight).

    >>> series_colour(1) == OKABE_ITO["orange"]
    True
    """
    return SERIES[i % len(SERIES)]
