"""The kit's colours, in one place: every figure, editor and feedback view takes its colours from here.

Two kinds of colour, because a line and a word need different things:

- **Marks** (lines, markers, bars, borders): the Okabe–Ito palette (Okabe, M. & Ito, K. (2008), *Color
  Universal Design*), eight colours chosen to stay distinct for the common forms of colour-vision
  deficiency. ``SERIES`` gives them in order for data series; ``GOOD``/``BAD``/``TARGET`` give meaning.
- **Text**: ``TEXT`` holds a darker variant of each Okabe–Ito colour, the same hue with its OKLCh
  lightness lowered until it reaches WCAG 2.1 AA contrast for text (4.5:1) on every background in
  ``TEXT_BACKGROUNDS``; ``text_colour()`` maps a mark colour to its text variant. The originals are
  too light for words on white: vermillion 3.87:1, bluish green 3.42:1, orange 2.25:1.

Colour is never the only cue: every coloured word comes with an icon or a heading, every series with
a marker, a line style or a label. tests/test_plots.py checks the contrasts, and that the series stay
apart (a minimum CIEDE2000 distance) under simulated protanopia, deuteranopia and tritanopia.

>>> from designkit.plots.palette import OKABE_ITO, SERIES, text_colour
>>> OKABE_ITO["blue"], SERIES[0] == OKABE_ITO["blue"]
('#0072B2', True)
>>> text_colour(OKABE_ITO["vermillion"])
'#AF4C00'
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

#: The text variant of each Okabe–Ito colour (same OKLCh hue, darker): at least 4.5:1 on every
#: background in ``TEXT_BACKGROUNDS`` (about 5.4:1 on white).
TEXT: dict[str, str] = {
    "black": "#000000",
    "orange": "#8E6100",
    "sky_blue": "#0071A1",
    "bluish_green": "#007958",
    "yellow": "#736C00",
    "blue": "#006EAD",
    "vermillion": "#AF4C00",
    "reddish_purple": "#9E4F7C",
}

#: Order for data series: the strongest marks first, black last (it is also the colour of target lines,
#: drawn dashed); yellow is left out (1.3:1 on white, a line that all but vanishes). The seven stay apart
#: under the three colour-vision deficiencies (tests/test_plots.py).
SERIES: list[str] = [
    OKABE_ITO["blue"],
    OKABE_ITO["orange"],
    OKABE_ITO["bluish_green"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["reddish_purple"],
    OKABE_ITO["sky_blue"],
    OKABE_ITO["black"],
]

#: Meaningful roles for marks (always paired with a second cue: line style, marker or label, never colour alone).
TARGET = OKABE_ITO["black"]
GOOD = OKABE_ITO["bluish_green"]
BAD = OKABE_ITO["vermillion"]
NEUTRAL = "#7F7F7F"  # grey for connectors and guides (not a data colour)

#: The same roles for words (headings such as "Must fix", status lines, labels drawn in a figure).
GOOD_TEXT = TEXT["bluish_green"]
BAD_TEXT = TEXT["vermillion"]
INFO_TEXT = TEXT["blue"]
INK = "#333333"  # body text that should be a little softer than black (12.6:1 on white)
MUTED = "#555555"  # secondary text: captions, help, "where" notes (7.5:1 on white)

#: Backgrounds and fills.
WHITE = "#FFFFFF"
LIGHT = "#F2F2F2"  # quadrant shading
PAIN_BAND = "#FBE9E0"  # the journey map's band below neutral, where pain points are written
NOTE = "#FFF7D6"  # a sticky note (affinity map chips)
NOTE_EDGE = "#E6D58A"
CORE_FILL = "#F9DCCB"  # problem-tree boxes: core problem, causes, effects (black text on them)
CAUSE_FILL = "#DCEBF7"
EFFECT_FILL = "#FBEBD0"
GRID = "#DDDDDD"  # grid lines in charts; borders and rules in the editors (decoration, not information)

#: Every background coloured text (``TEXT``, ``INK``, ``MUTED``) is drawn on.
TEXT_BACKGROUNDS: dict[str, str] = {"white": WHITE, "light": LIGHT, "pain band": PAIN_BAND, "note": NOTE}
#: Fills that carry black text only (the problem tree's boxes).
FILLS: dict[str, str] = {"core": CORE_FILL, "cause": CAUSE_FILL, "effect": EFFECT_FILL}

_TEXT_OF = {OKABE_ITO[name]: TEXT[name] for name in OKABE_ITO}


def series_colour(i: int) -> str:
    """The colour of the ``i``-th data series (cycles after seven).

    >>> series_colour(1) == OKABE_ITO["orange"]
    True
    """
    return SERIES[i % len(SERIES)]


def text_colour(colour: str) -> str:
    """The colour to write text in for a mark drawn in ``colour`` (an Okabe–Ito colour or ``NEUTRAL``).

    >>> text_colour(series_colour(1))
    '#8E6100'
    >>> text_colour(NEUTRAL) == MUTED
    True
    """
    if colour.upper() == NEUTRAL:
        return MUTED
    try:
        return _TEXT_OF[colour.upper()]
    except KeyError:
        raise ValueError(f"{colour!r} is not a colour of designkit.plots.palette: use OKABE_ITO, SERIES or "
                         "NEUTRAL for marks, then text_colour() gives the text variant.") from None
