"""Figures of the studio strand: task success across prototype versions, and how many participants back each
theme of an affinity map.

>>> from designkit.framing import Result, Session, Task, TestPlan, TestResults
>>> plan = TestPlan("results card", [Task("find the date", "points to it")], [Session("C1", 9), Session("C2", 12)])
>>> res = TestResults(plan, ["v1", "v2"], [Result("C1", "v1", "find the date", False),
...                                        Result("C2", "v1", "find the date", True),
...                                        Result("C1", "v2", "find the date", True),
...                                        Result("C2", "v2", "find the date", True)])
>>> finding(success_across_versions(res))
'Task success rose from 50% (v1) to 100% (v2) over 2 versions'
"""
from __future__ import annotations

import textwrap
import unicodedata
from typing import TYPE_CHECKING

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from designkit.i18n import _
from designkit.plots.figure import axes_for, finding, fit, freeze, set_alt_text, set_finding, wrap
from designkit.plots.palette import BAD, GOOD, GRID, NEUTRAL, OKABE_ITO, series_colour, text_colour

if TYPE_CHECKING:
    from designkit.framing import AffinityMap, TestResults

__all__ = ["success_across_versions", "theme_support", "finding"]

_MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
_STYLES = ["-", "--", "-.", ":"]


def _short(text: str, n: int = 32) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _shorten(text: str, n: int) -> str:
    """At most ``n`` characters, cut at a word (Latin) or a character (Chinese, which has no spaces)."""
    if any(unicodedata.east_asian_width(ch) in "WF" for ch in text):
        return _short(text, n)
    return textwrap.shorten(text, n, placeholder="…")


def _pct(x: float | None) -> str:
    return _("not tested") if x is None else f"{x:.0%}"


def _spread(ys: list[float], gap: float = 7, low: float = -3, high: float = 103) -> list[float]:
    """Label heights for sorted ``ys``: at least ``gap`` apart, inside ``low``..``high``, as close as possible.

    >>> _spread([100, 100, 100])
    [89, 96, 103]
    """
    out: list[float] = []
    for y in ys:
        out.append(max(y, out[-1] + gap) if out else max(y, low))
    if out and out[-1] > high:
        out[-1] = high
        for i in range(len(out) - 2, -1, -1):
            out[i] = min(out[i], out[i + 1] - gap)
    return out


def success_across_versions(results: TestResults, *, fig: Figure | None = None) -> Figure:
    """The share of participants who succeeded at each task, version by version, with all tasks together as a
    thick black line; each line is labelled at its end (colour is never the only cue: markers and line styles
    differ too). The title states how overall success changed from the first tested version to the last.

    >>> from designkit.framing import TestPlan, TestResults
    >>> finding(success_across_versions(TestResults(TestPlan("card"), ["v1"], [])))
    'Test results in progress: record who succeeded at each task on each version'
    """
    results.check()
    versions = list(results.versions)
    tasks = [t.name for t in results.plan.tasks]
    by_task = results.success_rates()
    overall = results.overall_rates()
    fig, ax, fresh = axes_for(fig, ("success_across_versions",), figsize=(7.5, 4.8))
    if fresh:
        ax.set_ylim(-5, 105)
        ax.set_yticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
        ax.set_ylabel(_("Participants who succeeded (% of those who tried)"))
        ax.set_xlabel(_("Prototype version (in order of testing)"))
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="y", color=GRID, lw=0.8)
        ax.set_axisbelow(True)
        freeze(ax)
    xs = list(range(len(versions)))
    ax.set_xticks(xs, [_short(v, 14) for v in versions])
    ax.set_xlim(-0.4, max(len(versions) - 1, 0) + 1.6)
    labels: list[tuple[float, float, str, str]] = []
    all_tasks = _("All tasks")
    for i, task in enumerate(tasks):
        points = [(x, by_task[v][task]) for x, v in zip(xs, versions, strict=True) if by_task[v][task] is not None]
        if not points:
            continue
        colour = series_colour(i)
        ax.plot([x for x, _ in points], [100 * y for _, y in points], color=colour, lw=1.6,
                ls=_STYLES[i % len(_STYLES)], marker=_MARKERS[i % len(_MARKERS)], ms=6, zorder=2)
        labels.append((points[-1][0], 100 * points[-1][1], _short(task), colour))
    tested = [(x, overall[v]) for x, v in zip(xs, versions, strict=True) if overall[v] is not None]
    if tested:
        ax.plot([x for x, _ in tested], [100 * y for _, y in tested], color=OKABE_ITO["black"], lw=3.2,
                marker="o", ms=8, zorder=3)
        labels.append((tested[-1][0], 100 * tested[-1][1], all_tasks, OKABE_ITO["black"]))
    # labels at the line ends, nudged apart so that they never overlap
    ordered = sorted(labels, key=lambda item: item[1])
    for (x, y, text, colour), target in zip(ordered, _spread([item[1] for item in ordered]), strict=True):
        ax.annotate(text, (x, y), xytext=(x + 0.12, target), textcoords="data", va="center", fontsize=8.5,
                    color=text_colour(colour), fontweight="bold" if text == all_tasks else "normal",
                    arrowprops={"arrowstyle": "-", "color": NEUTRAL, "lw": 0.6} if abs(target - y) > 1 else None)

    if len(tested) == 0:
        text = _("Test results in progress: record who succeeded at each task on each version")
        alt = _("Empty line chart of task success across prototype versions: no results yet.")
    else:
        (x0, first), (x1, last) = tested[0], tested[-1]
        v0, v1 = versions[x0], versions[x1]
        n = len(tested)
        if len(tested) == 1:
            text = _("Task success was {first:.0%} on {v0}; test the next version to see a change", first=first, v0=v0)
        elif last > first:
            text = _("Task success rose from {first:.0%} ({v0}) to {last:.0%} ({v1}) over {n} versions", first=first,
                     v0=v0, last=last, v1=v1, n=n)
        elif last < first:
            text = _("Task success fell from {first:.0%} ({v0}) to {last:.0%} ({v1}) over {n} versions", first=first,
                     v0=v0, last=last, v1=v1, n=n)
        else:
            text = _("Task success stayed at {first:.0%} from {v0} to {v1} over {n} versions", first=first, v0=v0,
                     v1=v1, n=n)
        weakest = [(by_task[v1][t], t) for t in tasks if by_task[v1][t] is not None and by_task[v1][t] < 1]
        if weakest and len(tested) > 1:
            rate, task = min(weakest)
            text += _("; weakest task on {version}: '{task}' ({rate:.0%})", version=v1, task=_short(task, 28), rate=rate)
        people = [len(results.participants_of(v)) for v in versions]
        sep = _(", ")
        alt = _("Line chart of the share of participants who succeeded at each of {n} task(s) across versions "
                "{versions}: {each}; all tasks {overall}; participants per version {people}.", n=len(tasks),
                versions=sep.join(versions),
                each=_("; ").join(f"{_short(t)} {sep.join(_pct(by_task[v][t]) for v in versions)}" for t in tasks),
                overall=sep.join(_pct(overall[v]) for v in versions), people=sep.join(str(k) for k in people))
    set_finding(fig, text)
    set_alt_text(fig, alt)
    fit(fig, left=0.85, bottom=0.6, right=0.3)
    return fig


def theme_support(affinity: AffinityMap, *, fig: Figure | None = None) -> Figure:
    """How many participants back each theme of an :class:`~designkit.framing.AffinityMap` (horizontal bars,
    most backed first), with a line at 2: a theme backed by one participant (hatched, vermillion) is a lead to
    follow up, not a pattern. The title names the best-backed theme and counts the single-participant ones.

    >>> from designkit.framing import AffinityMap, Note, Theme
    >>> m = AffinityMap([Note("a", "P1", "x"), Note("b", "P2", "y"), Note("c", "P3", "z")],
    ...                 [Theme("Waiting without news", ["a", "b"]), Theme("A fixer at the door", ["c"])])
    >>> finding(theme_support(m))
    '“Waiting without news” is backed by the most participants (2); 1 of 2 themes rests on one participant'
    """
    affinity.check()
    rows = sorted(((len(affinity.participants_of(t)), len(t.notes), t.name) for t in affinity.themes),
                  key=lambda r: (-r[0], -r[1], r[2].casefold()))
    height = max(3.2, 1.2 + 0.5 * len(rows))
    fig, ax, fresh = axes_for(fig, ("theme_support", len(rows)), figsize=(7.5, height))
    if fresh:
        ax.set_xlabel(_("Participants whose notes back the theme (number of people)"))
        ax.set_ylabel(_("Theme"))
        ax.spines[["top", "right"]].set_visible(False)
        freeze(ax)
    ys = list(range(len(rows)))[::-1]
    for y, (people, notes, _name) in zip(ys, rows, strict=True):
        single = people < 2
        ax.barh(y, people, color=BAD if single else GOOD, hatch="//" if single else None, edgecolor="white",
                height=0.65, zorder=2)
        ax.annotate(_("{people} (1 note)", people=people) if notes == 1 else
                    _("{people} ({notes} notes)", people=people, notes=notes), (people, y), xytext=(4, 0),
                    textcoords="offset points", va="center", fontsize=8.5)
    ax.axvline(2, color=NEUTRAL, ls="--", lw=1, zorder=1)
    ax.set_yticks(ys, [wrap(_shorten(name or _("(unnamed)"), 64), 34)
                       for _, _, name in rows], fontsize=8)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlim(0, max([r[0] for r in rows], default=2) + 1.5)
    ax.set_ylim(-0.7, max(len(rows), 1) - 0.3)
    singles = [name for people, _, name in rows if people < 2]
    if not rows:
        text = _("Affinity map in progress: group the notes into themes")
        alt = _("Empty bar chart of themes: no themes yet.")
    else:
        people, name = rows[0][0], rows[0][2]
        if len(rows) == 1:
            rest = (_("1 of 1 theme rests on one participant") if len(singles) == 1 else
                    _("{k} of 1 theme rest on one participant", k=len(singles)))
        else:
            rest = (_("1 of {n} themes rests on one participant", n=len(rows)) if len(singles) == 1 else
                    _("{k} of {n} themes rest on one participant", k=len(singles), n=len(rows)))
        text = _("“{name}” is backed by the most participants ({people}); {rest}", name=_short(name, 48),
                 people=people, rest=rest)
        each = _("; ").join(f"{_short(n, 40)} {p}" for p, _notes, n in rows)
        alt = (_("Bar chart of the number of participants backing each of 1 theme, most first: {each}; a dashed "
                 "line marks 2 participants, the least an insight should rest on.", each=each) if len(rows) == 1 else
               _("Bar chart of the number of participants backing each of {n} themes, most first: {each}; a dashed "
                 "line marks 2 participants, the least an insight should rest on.", n=len(rows), each=each))
    set_finding(fig, text)
    set_alt_text(fig, alt)
    fit(fig, left=2.9, bottom=0.6, right=0.3)
    return fig
