"""Figures of the framing models: problem tree, stakeholder grid, journey map, priority matrix.

Each reads a model from :mod:`designkit.framing` (a model in progress, even an empty one, draws a
figure that says what is missing) and computes its title and alt text from the model.

>>> from designkit.framing import ProblemTree, Node
>>> fig = problem_tree(ProblemTree("late HIV test results for infants",
...                                causes=[Node("results go by courier")], effects=[Node("late treatment")]))
>>> finding(fig)
"Core problem 'late HIV test results for infants': 1 cause and 1 effect mapped, none with evidence yet"
"""
from __future__ import annotations

import textwrap
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

from matplotlib.figure import Figure

from designkit.i18n import N_, _
from designkit.plots.figure import axes_for, finding, fit, freeze, set_alt_text, set_finding, wrap
from designkit.plots.label_layout import axes_size_pt, place_labels
from designkit.plots.labels import fmt, join_names
from designkit.plots.palette import (
    BAD,
    BAD_TEXT,
    CAUSE_FILL,
    CORE_FILL,
    EFFECT_FILL,
    GOOD,
    LIGHT,
    MUTED,
    NEUTRAL,
    OKABE_ITO,
    PAIN_BAND,
    series_colour,
)

if TYPE_CHECKING:
    from designkit.framing import JourneyMap, PriorityMatrix, ProblemTree, StakeholderMap

__all__ = ["problem_tree", "stakeholder_grid", "journey_map", "priority_matrix", "finding"]


def _count(n: int, one: str, many: str) -> str:
    """``one`` or ``many`` (messages with ``{n}``, marked with N_) in the course language.

    >>> _count(2, *CAUSES)
    '2 causes'
    """
    return _(one if n == 1 else many, n=n)


def _short(text: str, n: int = 40) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _shorten(text: str, n: int) -> str:
    """At most ``n`` characters, cut at a word (Latin) or a character (Chinese, which has no spaces)."""
    if any(unicodedata.east_asian_width(ch) in "WF" for ch in text):
        return _short(text, n)
    return textwrap.shorten(text, n, placeholder="…")


def _quoted(names: Iterable[str], limit: int = 3) -> str:
    names = list(names)
    shown = [f"'{_short(n, 32)}'" for n in names[:limit]]
    if len(names) > limit:
        shown.append(_("{n} more", n=len(names) - limit))
    return join_names(shown)


# --------------------------------------------------------------------------------------------- tree
def _leaves(node) -> int:
    return max(1, sum(_leaves(c) for c in node.children))


def _place(nodes, x0: float, depth: int, out: list) -> None:
    """Give each node an x (centre of its leaves) and a depth; children sit one level further out."""
    x = x0
    for node in nodes:
        width = _leaves(node)
        out.append((node, x + width / 2, depth, None))
        start = len(out) - 1
        _place(node.children, x, depth + 1, out)
        for i in range(start + 1, len(out)):
            child, cx, cd, parent = out[i]
            if cd == depth + 1 and parent is None:
                out[i] = (child, cx, cd, start)
        x += width


def _box(ax, x: float, y: float, text: str, face: str, edge: str, width_chars: int, size: float,
         bold: bool = False):
    lines = [textwrap.fill(part, width_chars, break_long_words=part.startswith("[@") is False)
             for part in text.split("\n")]
    return ax.text(x, y, "\n".join(lines) or "…", ha="center", va="center", fontsize=size,
            fontweight="bold" if bold else "normal", wrap=False,
            bbox={"boxstyle": "round,pad=0.35", "fc": face, "ec": edge, "lw": 1.2})


def problem_tree(tree: ProblemTree, *, fig: Figure | None = None) -> Figure:
    """Diagram of a :class:`~designkit.framing.ProblemTree`: core problem in the middle, causes below,
    effects above, arrows pointing from causes towards effects; evidence keys shown as ``[@key]``.

    >>> from designkit.framing import ProblemTree
    >>> finding(problem_tree(ProblemTree("", [], [])))
    'Problem tree in progress: write the core problem, then its causes and effects'
    """
    fig, ax, fresh = axes_for(fig, ("problem_tree",), figsize=(9, 6))
    if fresh:
        ax.set_xticks([])
        ax.set_ylabel(_("Causes below, effects above (no units)"))
        ax.set_xlabel(_("Each box is one cause or effect; arrows point from cause to effect"))
        for side in ("top", "right", "bottom", "left"):
            ax.spines[side].set_visible(False)
        ax.tick_params(length=0)
        freeze(ax)
    core = (tree.core_problem or "").strip()
    causes: list = []
    effects: list = []
    _place(tree.causes, 0.0, 1, causes)
    _place(tree.effects, 0.0, 1, effects)
    width = max(1, sum(_leaves(n) for n in tree.causes), sum(_leaves(n) for n in tree.effects))
    wchars = max(10, int(95 / width))
    size = 9 if width <= 5 else 7.5

    def centre(rows):
        shift = (width - sum(_leaves(n) for n, _, d, _ in rows if d == 1)) / 2
        return [(n, x + shift, d, p) for n, x, d, p in rows]

    causes, effects = centre(causes), centre(effects)
    mid = width / 2
    core_box = _box(ax, mid, 0, core or _("(write the core problem)"), CORE_FILL, OKABE_ITO["vermillion"],
                    max(24, wchars * 2), size + 1.5, bold=True)
    arrows = []
    for rows, sign, face, edge in ((causes, -1, CAUSE_FILL, OKABE_ITO["blue"]),
                                   (effects, 1, EFFECT_FILL, OKABE_ITO["orange"])):
        boxes = []
        for node, x, depth, _parent in rows:
            label = node.text.strip() or _("(empty)")
            if node.evidence:
                label += "\n" + "\n".join(f"[@{k.strip()}]" for k in str(node.evidence).replace(",", ";").split(";")
                                          if k.strip())
            boxes.append(_box(ax, x, sign * depth, label, face, edge, wchars, size))
        for (_node, _x, _depth, parent), box in zip(rows, boxes, strict=True):
            target = core_box if parent is None else boxes[parent]
            arrows.append((box, target) if sign < 0 else (target, box))  # arrows point from cause to effect
    depth_c = max([d for _, _, d, _ in causes], default=1)
    depth_e = max([d for _, _, d, _ in effects], default=1)
    ax.set_xlim(-0.05, width + 0.05)
    ax.set_ylim(-depth_c - 0.6, depth_e + 0.6)
    ax.set_yticks([-(depth_c + 1) / 2, 0, (depth_e + 1) / 2], [_("Causes"), _("Core\nproblem"), _("Effects")], fontsize=9)

    all_nodes = [n for n, *_ in causes + effects]
    with_evidence = sum(1 for n in all_nodes if n.evidence)
    n_causes, n_effects = len(causes), len(effects)
    if not core:
        text = _("Problem tree in progress: write the core problem, then its causes and effects")
    else:
        evid = (_("none with evidence yet") if with_evidence == 0 else
                _("all with evidence") if with_evidence == len(all_nodes) else
                _("{n} of {total} with evidence", n=with_evidence, total=len(all_nodes)))
        text = _("Core problem '{core}': {causes} and {effects} mapped, {evidence}", core=_short(core, 60),
                 causes=_count(n_causes, *CAUSES),
                 effects=_count(n_effects, *EFFECTS), evidence=evid)
    set_finding(fig, text)
    top_causes = [n.text for n in tree.causes]
    top_effects = [n.text for n in tree.effects]
    below = _count(len(top_causes), *DIRECT_CAUSES)
    if top_causes:
        below += f" ({_quoted(top_causes, 5)})"
    if n_causes > len(top_causes):
        below = _("{a} and {b}", a=below, b=_count(n_causes - len(top_causes), *DEEPER_CAUSES))
    above = _count(len(top_effects), *DIRECT_EFFECTS)
    if top_effects:
        above += f" ({_quoted(top_effects, 5)})"
    if n_effects > len(top_effects):
        above = _("{a} and {b}", a=above, b=_count(n_effects - len(top_effects), *FURTHER_EFFECTS))
    alt = _("Problem tree diagram with the core problem '{core}' in the middle; below it {below}; above it "
            "{above}.", core=core or _("not yet written"), below=below, above=above)
    set_alt_text(fig, alt)
    fit(fig, left=0.9, bottom=0.45, right=0.1)
    _draw_arrows(ax, arrows)
    return fig


def _half_size_pt(box) -> tuple[float, float]:
    """Estimated half width and half height of a text box in points (from its characters, no rendering)."""
    size = box.get_fontsize()
    lines = box.get_text().split("\n")
    em = 0.62 if box.get_fontweight() == "bold" else 0.57
    pad = 0.35 * size
    return max(len(line) for line in lines) * em * size / 2 + pad, len(lines) * 1.2 * size / 2 + pad


def _draw_arrows(ax, arrows) -> None:
    """Arrows from box edge to box edge, shortened by each box's size along the arrow's direction.

    Cheaper than clipping to the box patches (matplotlib's bezier search dominated a redraw).
    """
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    w, h = axes_size_pt(ax)
    sx, sy = w / ((x1 - x0) or 1), h / ((y1 - y0) or 1)

    def edge(box, ux: float, uy: float) -> float:
        hw, hh = _half_size_pt(box)
        return min(hw / abs(ux) if ux else float("inf"), hh / abs(uy) if uy else float("inf"))

    for start, end in arrows:
        (xs, ys), (xe, ye) = start.get_position(), end.get_position()
        dx, dy = (xe - xs) * sx, (ye - ys) * sy
        length = (dx * dx + dy * dy) ** 0.5 or 1.0
        ux, uy = dx / length, dy / length
        ax.annotate("", xy=(xe, ye), xytext=(xs, ys),
                    arrowprops={"arrowstyle": "-|>", "color": NEUTRAL, "lw": 1.1,
                                "shrinkA": edge(start, ux, uy) + 1, "shrinkB": edge(end, ux, uy) + 2})


# ---------------------------------------------------------------------------------------- grids
def _quadrant_grid(ax, scale, labels: dict[tuple[bool, bool], str]) -> None:
    """Shade the grid's quadrants and name them; ``labels[(x_high, y_high)]``."""
    low, high = scale
    mid = (low + high) / 2
    pad = (high - low) * 0.08
    ax.set_xlim(low - pad, high + pad)
    ax.set_ylim(low - 2.4 * pad, high + 2.4 * pad)  # room above and below the points for the names
    ax.axvline(mid, color=NEUTRAL, lw=0.8, ls=":")
    ax.axhline(mid, color=NEUTRAL, lw=0.8, ls=":")
    ax.fill_between([mid, high + pad], mid, high + 2.4 * pad, color=LIGHT, zorder=0)
    for (x_high, y_high), text in labels.items():
        ax.text(high + pad * 0.8 if x_high else low - pad * 0.8, high + pad * 2.3 if y_high else low - pad * 2.3,
                text.upper(), ha="right" if x_high else "left", va="top" if y_high else "bottom",
                fontsize=8, color=MUTED, fontweight="bold")
    ticks = list(range(int(low), int(high) + 1)) if high - low <= 10 else None
    if ticks:
        ax.set_xticks(ticks)
        ax.set_yticks(ticks)
    ax.spines[["top", "right"]].set_visible(False)


def _label_points(ax, points: list[tuple[float, float]], texts: list[str]) -> None:
    """Write each text next to its point where it overlaps nothing else (call after ``fit``)."""
    places = place_labels(points, texts, ax.get_xlim(), ax.get_ylim(), axes_size_pt(ax))
    for (x, y), text, (dx, dy, ha, va) in zip(points, texts, places, strict=True):
        ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", fontsize=8, ha=ha, va=va)


#: Counted words, one message for one and one for more (``_count(n, *CAUSES)``).
CAUSES = (N_("{n} cause"), N_("{n} causes"))
EFFECTS = (N_("{n} effect"), N_("{n} effects"))
DEEPER_CAUSES = (N_("{n} deeper cause"), N_("{n} deeper causes"))
FURTHER_EFFECTS = (N_("{n} further effect"), N_("{n} further effects"))
STAKEHOLDERS = (N_("{n} stakeholder"), N_("{n} stakeholders"))
IDEAS = (N_("{n} idea"), N_("{n} ideas"))
STAGES = (N_("{n} stage"), N_("{n} stages"))
DIRECT_CAUSES = (N_("{n} direct cause"), N_("{n} direct causes"))
DIRECT_EFFECTS = (N_("{n} direct effect"), N_("{n} direct effects"))
PAIN_POINTS = (N_("{n} pain point"), N_("{n} pain points"))

#: The stakeholder roles and quadrants as the framing models name them (translated where shown).
ROLES = (N_("rights-holder"), N_("duty-bearer"), N_("implementer"), N_("influencer"), N_("funder"), N_("other"))
QUADRANTS = (N_("manage closely"), N_("keep satisfied"), N_("keep informed"), N_("monitor"))
PRIORITY_CORNERS = (N_("Quick win"), N_("Big bet"), N_("Easy extra"), N_("Deprioritise"))

_ROLE_MARKERS = {"rights-holder": "o", "duty-bearer": "s", "implementer": "^", "influencer": "D",
                 "funder": "P", "other": "X"}


def stakeholder_grid(stakeholder_map: StakeholderMap, *, fig: Figure | None = None) -> Figure:
    """Influence (y) against interest (x) for a :class:`~designkit.framing.StakeholderMap`, with the
    four quadrants named (manage closely, keep satisfied, keep informed, monitor); colour and marker
    shape show the role.

    >>> from designkit.framing import StakeholderMap, Stakeholder
    >>> m = StakeholderMap([Stakeholder("Infants' mothers", "rights-holder", 5, 1),
    ...                     Stakeholder("Ministry of Health", "duty-bearer", 4, 5)])
    >>> finding(stakeholder_grid(m))
    "1 of 2 stakeholders to manage closely ('Ministry of Health'); 1 rights-holder has high interest but low influence"
    """
    scale = tuple(stakeholder_map.scale)
    fig, ax, fresh = axes_for(fig, ("stakeholder_grid", scale), figsize=(7.5, 5.6))
    if fresh:
        _quadrant_grid(ax, scale, {(True, True): _("Manage closely"), (False, True): _("Keep satisfied"),
                                   (True, False): _("Keep informed"), (False, False): _("Monitor")})
        span = _("score {low}–{high}", low=fmt(scale[0]), high=fmt(scale[1]))
        ax.set_xlabel(_("Interest in the problem ({span})", span=span))
        ax.set_ylabel(_("Influence over the solution ({span})", span=span))
        freeze(ax)
    people = list(stakeholder_map.stakeholders)
    roles = list(dict.fromkeys(s.role for s in people))
    for i, role in enumerate(roles):
        group = [s for s in people if s.role == role]
        ax.scatter([s.interest for s in group], [s.influence for s in group], s=70, zorder=3,
                   color=series_colour(i), marker=_ROLE_MARKERS.get(role, "o"), label=_(role), edgecolor="white")
    if roles:
        ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0), title=_("Role"),
                  title_fontsize=8)

    quads = stakeholder_map.quadrants() if people else {}
    manage = [n for n, q in quads.items() if q == "manage closely"]
    mid = (scale[0] + scale[1]) / 2
    voiceless = [s for s in people if s.role == "rights-holder" and s.interest > mid and s.influence <= mid]
    if not people:
        text = _("Stakeholder map in progress: add who has a stake, with their interest and influence")
    else:
        text = _("{n} of {people} to manage closely", n=len(manage),
                 people=_count(len(people), *STAKEHOLDERS))
        if manage:
            text += f" ({_quoted(manage)})"
        if voiceless:
            text += (_("; 1 rights-holder has high interest but low influence") if len(voiceless) == 1 else
                     _("; {n} rights-holders have high interest but low influence", n=len(voiceless)))
    set_finding(fig, text)
    by_quad = {q: [n for n, qq in quads.items() if qq == q] for q in QUADRANTS}
    parts = [f"{_(q)}: {join_names([_short(n, 40) for n in names])}" for q, names in by_quad.items() if names]
    set_alt_text(fig, _("Scatter plot of {people} by interest (across) and influence (up) on a {low}–{high} scale",
                        people=_count(len(people), *STAKEHOLDERS),
                        low=fmt(scale[0]), high=fmt(scale[1]))
                 + (_("; ") + _("; ").join(parts) if parts else _("; no stakeholders yet")) + _("."))
    fit(fig, left=0.75, bottom=0.55, right=1.45)
    _label_points(ax, [(s.interest, s.influence) for s in people], [_short(s.name, 28) for s in people])
    return fig


def priority_matrix(matrix: PriorityMatrix, *, fig: Figure | None = None) -> Figure:
    """Impact (y) against feasibility (x) for a :class:`~designkit.framing.PriorityMatrix`, with
    the quadrants named and each idea labelled with its rank.

    >>> from designkit.framing import PriorityMatrix, Idea
    >>> m = PriorityMatrix([Idea("Text results to clinics", 5, 4), Idea("Drones to the lab", 4, 2)])
    >>> finding(priority_matrix(m))
    "Top priority: 'Text results to clinics' (impact 5, feasibility 4); 1 of 2 ideas in 'quick win'"
    """
    scale = tuple(matrix.scale)
    ideas = list(matrix.ideas)
    corner = _priority_quadrant_names(matrix)
    fig, ax, fresh = axes_for(fig, ("priority_matrix", scale), figsize=(7.5, 5.6))
    if fresh:
        _quadrant_grid(ax, scale, corner)
        span = _("score {low}–{high}", low=fmt(scale[0]), high=fmt(scale[1]))
        ax.set_xlabel(_("Feasibility: how easy to do with what we have ({span})", span=span))
        ax.set_ylabel(_("Impact on children ({span})", span=span))
        freeze(ax)
    ranking = _ranked_names(matrix) if ideas else []
    rank = {name: i + 1 for i, name in enumerate(ranking)}
    mid = (scale[0] + scale[1]) / 2
    for idea in ideas:
        both_high = idea.impact > mid and idea.feasibility > mid
        ax.scatter([idea.feasibility], [idea.impact], s=200 if both_high else 70, zorder=3, edgecolor="white",
                   color=GOOD if both_high else OKABE_ITO["blue"], marker="*" if both_high else "o")

    top_corner = corner[(True, True)].lower()
    quick = [i.name for i in ideas if i.impact > mid and i.feasibility > mid]
    if not ideas:
        text = _("Priority matrix in progress: add ideas with their impact and feasibility")
    else:
        best = next(i for i in ideas if i.name == ranking[0])
        text = _("Top priority: '{name}' (impact {impact}, feasibility {feasibility}); {n} of {ideas} in '{corner}'",
                 name=_short(best.name, 40), impact=fmt(best.impact), feasibility=fmt(best.feasibility),
                 n=len(quick), ideas=_count(len(ideas), *IDEAS), corner=top_corner)
    set_finding(fig, text)
    order = _("; ").join(_("{rank}. {name} (impact {impact}, feasibility {feasibility})", rank=rank[i.name],
                           name=_short(i.name, 40), impact=fmt(i.impact), feasibility=fmt(i.feasibility))
                         for i in sorted(ideas, key=lambda i: rank[i.name]))
    set_alt_text(fig, _("Scatter plot of {ideas} by feasibility (across) and impact (up) on a {low}–{high} scale",
                        ideas=_count(len(ideas), *IDEAS), low=fmt(scale[0]),
                        high=fmt(scale[1]))
                 + (_(", ranked: {order}", order=order) if ideas else _("; no ideas yet")) + _("."))
    fit(fig, left=0.75, bottom=0.55, right=0.3)
    _label_points(ax, [(i.feasibility, i.impact) for i in ideas],
                  [f"{rank.get(i.name, '?')}. {_short(i.name, 34)}" for i in ideas])
    return fig


def _ranked_names(matrix) -> list[str]:
    ranked = matrix.ranking()
    return [getattr(r, "name", r) for r in ranked]


def _priority_quadrant_names(matrix) -> dict[tuple[bool, bool], str]:
    """Corner labels from the model's own quadrant rule (x = feasibility high?, y = impact high?)."""
    from designkit.framing import priority as _priority

    low, high = matrix.scale
    return {(fx, iy): _(_priority.quadrant_of(high if iy else low, high if fx else low, (low, high)).capitalize())
            for fx in (True, False) for iy in (True, False)}


# -------------------------------------------------------------------------------------- journey
def journey_map(journey: JourneyMap, *, fig: Figure | None = None) -> Figure:
    """The persona's emotion (−2 to +2) at each stage of a :class:`~designkit.framing.JourneyMap`,
    with the pain points written under the stages where they happen.

    >>> from designkit.framing import JourneyMap, Stage
    >>> j = JourneyMap("Mwila, a mother", [Stage("Sample taken", ["give blood"], ["clinic"], [], 0),
    ...                                    Stage("Waiting", ["walk to clinic"], ["clinic"], ["no result"], -2)])
    >>> finding(journey_map(j))
    "Mwila, a mother: lowest point at 'Waiting' (emotion −2), with 1 pain point"
    """
    stages = list(journey.stages)
    fig, ax, fresh = axes_for(fig, ("journey_map",), figsize=(max(7.5, 1.45 * len(stages) + 1.5), 5.2))
    if fresh:
        ax.axhline(0, color=NEUTRAL, lw=0.8)
        ax.set_yticks([-2, -1, 0, 1, 2], [_("−2 very bad"), "−1", _("0 neutral"), "+1", _("+2 very good")], fontsize=8)
        ax.set_xlabel(_("Stage of the journey (in order)"))
        ax.set_ylabel(_("Emotion (scale −2 to +2)"))
        ax.spines[["top", "right"]].set_visible(False)
        freeze(ax)
    who = _persona_name(journey.persona) or _("The persona")
    xs = list(range(len(stages)))
    emotions = [s.emotion for s in stages]
    ax.axhspan(-2.6 - 0.5 * _max_pain_lines(stages), 0, color=PAIN_BAND, zorder=0)
    if stages:
        ax.plot(xs, emotions, color=OKABE_ITO["blue"], lw=2, zorder=2)
        for x, e in zip(xs, emotions, strict=True):
            ax.scatter([x], [e], s=90, zorder=3, edgecolor="white",
                       color=BAD if e < 0 else GOOD if e > 0 else NEUTRAL,
                       marker="v" if e < 0 else "^" if e > 0 else "o")
    for x, stage in zip(xs, stages, strict=True):
        pains = [p for p in stage.pain_points if p.strip()]
        if pains:
            shown = pains[:2] + ([_("+{n} more", n=len(pains) - 2)] if len(pains) > 2 else [])
            lines = [line for p in shown for line in wrap("• " + _shorten(p, 60), 24).split("\n")]
            ax.annotate("\n".join(lines), (x, stage.emotion), xytext=(0, -16),
                        textcoords="offset points", ha="center", va="top", fontsize=7.5, color=BAD_TEXT)
    ax.set_xticks(xs, [wrap(s.name or _("(unnamed)"), 14) for s in stages], fontsize=8.5)
    ax.set_xlim(-0.6, max(len(stages), 1) - 0.4)
    ax.set_ylim(-2.6 - 0.5 * _max_pain_lines(stages), 2.6)

    if not stages:
        text = _("{who}'s journey map in progress: add the stages in order", who=who)
        alt = _("Empty journey map for {who}: no stages yet.", who=who)
    else:
        low = min(stages, key=lambda s: s.emotion)
        n_pains = len([p for p in low.pain_points if p.strip()])
        total = sum(len([p for p in s.pain_points if p.strip()]) for s in stages)
        pain_one, pain_many = PAIN_POINTS
        if low.emotion < 0:
            text = _("{who}: lowest point at '{stage}' (emotion {emotion}), with {pains}", who=who,
                     stage=_short(low.name, 36), emotion=_signed(low.emotion), pains=_count(n_pains, pain_one, pain_many))
        else:
            text = _("{who}: no stage feels bad (lowest emotion {emotion}); {pains}", who=who,
                     emotion=_signed(low.emotion), pains=_count(total, pain_one, pain_many))
        alt = _("Line chart of {who}'s emotion from −2 to +2 across {stages}: {each}; {pains} in all, {n} at the "
                "lowest stage.", who=who, stages=_count(len(stages), *STAGES),
                each=_("; ").join(f"{_short(s.name, 30)} {_signed(s.emotion)}" for s in stages),
                pains=_count(total, pain_one, pain_many), n=n_pains)
    set_finding(fig, text)
    set_alt_text(fig, alt)
    fit(fig, left=1.2, bottom=0.85, right=0.2)
    return fig


def _signed(x: float) -> str:
    return ("+" if x > 0 else "−" if x < 0 else "") + fmt(abs(x))


def _persona_name(persona) -> str:
    if persona is None:
        return ""
    return str(getattr(persona, "name", persona)).strip()


def _max_pain_lines(stages) -> int:
    lines = 0
    for s in stages:
        pains = [p for p in s.pain_points if p.strip()]
        lines = max(lines, sum(len(wrap("• " + p, 24).split("\n")) for p in pains[:2]) + (len(pains) > 2))
    return lines


