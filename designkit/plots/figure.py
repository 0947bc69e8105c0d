"""What every kit figure shares: a fresh (or reused) Figure, a finding title, alt text, and ``show``.

Figures are plain :class:`matplotlib.figure.Figure` objects, created without pyplot, so they are
freed when no longer referenced (no global figure manager, no memory growth in an editor that
redraws many times) and can be redrawn in place by passing ``fig=``.

>>> fig = new_figure()
>>> set_finding(fig, "A finding")
>>> set_alt_text(fig, "A sentence describing the chart.")
>>> alt_text(fig)
'A sentence describing the chart.'
"""
from __future__ import annotations

import base64
import html
import io
import re
import textwrap
import unicodedata

from matplotlib.figure import Figure

from designkit.i18n import _
from designkit.plots.palette import INK
from designkit.plots.style import check_cjk

_ALT = "_designkit_alt_text"
_FINDING = "_designkit_finding"

#: Default size in inches and resolution for images shown in notebooks and editors.
FIGSIZE = (7.5, 4.6)
DPI = 80


def new_figure(fig: Figure | None = None, figsize: tuple[float, float] = FIGSIZE) -> Figure:
    """A blank Figure: ``fig`` cleared for reuse, or a new one (not registered with pyplot).

    >>> f = new_figure()
    >>> new_figure(f) is f
    True
    """
    check_cjk()
    if fig is None:
        return Figure(figsize=figsize, dpi=DPI)
    fig.clear()
    if tuple(fig.get_size_inches()) != tuple(figsize):
        fig.set_size_inches(figsize)
    return fig


def axes_for(fig: Figure | None, key: tuple, figsize: tuple[float, float] = FIGSIZE):
    """A Figure with one Axes for a figure of kind ``key``, and whether it is fresh.

    When ``fig`` was last drawn with the same ``key`` and size, its Axes is kept and only the
    artists added after :func:`freeze` are removed: redrawing skips rebuilding axes, spines and
    ticks (the slow part of a small figure). Otherwise the figure is cleared and a new Axes made.

    >>> f, ax, fresh = axes_for(None, ("demo",)); freeze(ax); _ = ax.plot([1, 2])
    >>> f2, ax2, fresh2 = axes_for(f, ("demo",))
    >>> (f2 is f, ax2 is ax, fresh, fresh2, len(ax2.lines))
    (True, True, True, False, 0)
    """
    if (fig is not None and getattr(fig, "_designkit_key", None) == key and len(fig.axes) == 1
            and tuple(fig.get_size_inches()) == tuple(figsize) and hasattr(fig.axes[0], "_designkit_static")):
        ax = fig.axes[0]
        static = ax._designkit_static
        for artist in ax.get_children():
            if not any(artist is s for s in static):
                artist.remove()
        if ax.get_legend() is not None:
            ax.get_legend().remove()
        return fig, ax, False
    fig = new_figure(fig, figsize)
    ax = fig.add_subplot()
    fig._designkit_key = key
    return fig, ax, True


def freeze(ax) -> None:
    """Mark everything on ``ax`` now as the static part kept by :func:`axes_for` on a redraw."""
    ax._designkit_static = list(ax.get_children())


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def wrap(text: str, width: int = 72) -> str:
    """Wrap a title onto lines of at most ``width`` columns (a Chinese character takes two).

    >>> wrap("a b c", width=3)
    'a b\\nc'
    >>> wrap("五岁以下儿童死亡率下降了", width=12)
    '五岁以下儿童\\n死亡率下降了'
    """
    if not any(_wide(ch) for ch in text):
        return "\n".join(textwrap.wrap(text, width=width)) or text
    lines, line, cols = [], "", 0
    for token in re.findall(r"[\x21-\x7e]+|.", text):  # Latin words and numbers stay whole
        w = sum(2 if _wide(ch) else 1 for ch in token)
        if cols + w > width and line.strip():
            lines.append(line.rstrip())
            line, cols = "", 0
            if token == " ":
                continue
        line += token
        cols += w
    lines.append(line.rstrip())
    return "\n".join(x for x in lines if x)


def set_finding(fig: Figure, finding: str) -> None:
    """Put the finding as the figure's title (wrapped, left-aligned) and remember it unwrapped."""
    fig.suptitle(wrap(finding), x=0.015, y=1 - 0.1 / fig.get_size_inches()[1], ha="left", va="top",
                 fontsize=11.5, fontweight="bold")
    setattr(fig, _FINDING, finding)


def fit(fig: Figure, left: float = 0.8, bottom: float = 0.55, right: float = 0.25, top: float = 0.2) -> None:
    """Set the margins in inches, leaving room above for the title's lines (fast: no layout engine).

    >>> f = new_figure(); ax = f.add_subplot(); set_finding(f, "One line"); fit(f)
    """
    w, h = fig.get_size_inches()
    lines = fig.get_suptitle().count("\n") + 1 if fig.get_suptitle() else 0
    top_in = top + 0.1 + 0.22 * lines
    fig.subplots_adjust(left=min(0.6, left / w), right=1 - right / w, bottom=bottom / h,
                        top=max(0.3, 1 - top_in / h))


def finding(fig: Figure) -> str:
    """The title that states the figure's finding (one line, unwrapped).

    >>> f = new_figure(); set_finding(f, "Rates fell")
    >>> finding(f)
    'Rates fell'
    """
    text = getattr(fig, _FINDING, "")
    if not text:
        raise ValueError(_("This figure was not made by designkit.plots, so it has no finding title."))
    return text


def set_alt_text(fig: Figure, text: str) -> None:
    """Store the one-sentence alt text on the figure (read it back with :func:`alt_text`)."""
    if not text.strip():
        raise ValueError(_("Alt text must be a non-empty sentence."))
    setattr(fig, _ALT, text.strip())


def alt_text(fig: Figure) -> str:
    """The figure's alt text: one sentence that says what the chart shows, for screen readers.

    >>> f = new_figure(); set_alt_text(f, "Line chart of x.")
    >>> alt_text(f)
    'Line chart of x.'
    """
    text = getattr(fig, _ALT, "")
    if not text:
        raise ValueError(_(
            "This figure has no alt text: make it with a designkit.plots function, "
            "or call designkit.plots.figure.set_alt_text(fig, 'One sentence ...')."
        ))
    return text


def to_png(fig: Figure, dpi: int = DPI) -> bytes:
    """Render the figure to PNG bytes (Agg; works headless).

    >>> f = new_figure(); _ = f.add_subplot()
    >>> to_png(f)[:4]
    b'\\x89PNG'
    """
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def to_svg(fig: Figure) -> str:
    """Render the figure to an inline SVG string that scales to its container, titled with its alt text.

    Text stays text (``svg.fonttype = none``): smaller and faster than PNG, readable by screen readers.

    >>> f = new_figure(); _ = f.add_subplot(); set_alt_text(f, "Empty axes.")
    >>> to_svg(f)[:4]
    '<svg'
    """
    import matplotlib as mpl

    buf = io.StringIO()
    with mpl.rc_context({"svg.fonttype": "none", "svg.hashsalt": "designkit"}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]
    alt = html.escape(getattr(fig, _ALT, "") or "")
    head_end = svg.index(">")
    head = re.sub(r'\s(width|height)="[^"]*"', "", svg[:head_end])
    return (head + f' role="img" aria-label="{alt}" style="width:100%;height:auto;max-width:{fig.get_size_inches()[0] * 96:.0f}px"'
            + svg[head_end:])


def figure_html(fig: Figure) -> str:
    """HTML ``<figure>`` with the image, its alt text as ``alt`` and as a visible caption."""
    alt = html.escape(alt_text(fig))
    label = html.escape(_("Alt text:"))
    data = base64.b64encode(to_png(fig)).decode("ascii")
    return (
        f'<figure style="margin:0"><img src="data:image/png;base64,{data}" alt="{alt}" '
        f'style="max-width:100%"/><figcaption style="font-size:0.9em;color:{INK}">'
        f"<b>{label}</b> {alt}</figcaption></figure>"
    )


def show(fig: Figure) -> None:
    """Display the figure in a notebook with its alt text as ``alt`` and as a caption.

    Outside a notebook it prints the title and alt text instead.

    >>> f = new_figure(); set_finding(f, "Rates fell")
    >>> set_alt_text(f, "Line chart of rates.")
    >>> show(f)  # doctest: +SKIP
    """
    try:
        from IPython import get_ipython
        from IPython.display import HTML, display
    except ImportError:  # pragma: no cover - IPython ships with the kit
        get_ipython = None
    if get_ipython is not None and get_ipython() is not None:
        display(HTML(figure_html(fig)))
    else:
        print(finding(fig) + "\n" + _("Alt text:") + " " + alt_text(fig))
