"""The class report: ``reports/report.html`` (rendered from ``templates/report.html.j2`` with Jinja2) and its
PNG figures in ``reports/figures/``, drawn with ``designkit.plots`` (a title that states the finding, alt text
next to each figure, the Okabe–Ito palette). Everything is read through ``designkit.classroom.results``:

- score distribution per problem set (graded and scored submissions; missing and ungraded ones apart);
- per-question pass rates (share of graded submissions with full marks on each autograded part);
- item analysis: difficulty and discrimination (point-biserial), with the items to review;
- students at risk (under 50 % of the points so far, or two or more sets missing or ungraded);
- flagged submissions with their reasons and the evidence of their last grading run: links and special
  files dropped at intake, files left out by the size cap, what the guard restored, cells that errored or
  timed out, and nbgrader's log of the run.

>>> flag_summary({"late": 2, "repaired": 1})
'late: 2, repaired: 1'
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from designkit.classroom.course import Course, set_of
from designkit.classroom.results import ClassResults, Item, read_results
from designkit.classroom.status import FlagKind, State
from designkit.i18n import N_, _, lang

AT_RISK_PERCENT = 50.0
WEAK_DISCRIMINATION = 0.2
TEMPLATE = "report.html.j2"
BOTH = N_("both languages")  # the flag of a student who submitted a set in English and in Chinese
# the names of the flag kinds (designkit.classroom.status.FlagKind's values), marked for translation; the report
# shows each as _(kind.value). A flag's details keep the words recorded when it was graded.
FLAG_NAMES = (N_("not graded"), N_("grading environment failed"), N_("late"), N_("edited locked cell"), N_("errors"),
              N_("timeout"), N_("repaired"), N_("links or special files dropped"), N_("left out (size cap)"),
              N_("guard restored"), N_("awaiting manual grading"), N_("note"))


def _fmt(x: float | None, digits: int = 2) -> str:
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def flag_summary(counts: dict[str, int]) -> str:
    return ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) or _("none")


def _percentages(results: ClassResults, a: str) -> list[float]:
    return [100 * s.score / s.max_score for s in results.graded(a) if not s.awaiting_manual and s.max_score]


def figures(results: ClassResults) -> list[tuple[str, Any]]:
    """The report's figures as (file name, Figure made with ``designkit.plots``, with a finding and alt text)."""
    from designkit.plots.figure import fit, new_figure, set_alt_text, set_finding
    from designkit.plots.palette import OKABE_ITO

    figs = []
    # 1. score distribution per assignment
    data = [_percentages(results, a) for a in results.assignments]
    medians = [sorted(d)[len(d) // 2] if d else math.nan for d in data]
    fig = new_figure(figsize=(8, 4.4))
    ax = fig.add_subplot()
    ax.boxplot([d or [math.nan] for d in data], tick_labels=results.assignments, widths=0.5, showfliers=False,
               medianprops={"color": OKABE_ITO["vermillion"], "linewidth": 2},
               boxprops={"color": OKABE_ITO["blue"]}, whiskerprops={"color": OKABE_ITO["blue"]},
               capprops={"color": OKABE_ITO["blue"]})
    for i, d in enumerate(data, start=1):
        xs = [i + 0.18 * ((k * 0.37) % 1 - 0.5) for k in range(len(d))]
        ax.scatter(xs, d, s=12, color=OKABE_ITO["orange"], alpha=0.8, zorder=3)
    ax.set_ylabel(_("score (% of the set's points)"))
    ax.set_xlabel(_("problem set (graded and scored submissions)"))
    ax.set_ylim(-5, 105)
    for label in ax.get_xticklabels():
        label.set_rotation(20)
        label.set_horizontalalignment("right")
    valid = [(m, a) for m, a in zip(medians, results.assignments, strict=True) if not math.isnan(m)]
    if valid:
        lo, hi = min(valid), max(valid)
        title = (_("Median score is {pct}% on {set}", pct=f"{lo[0]:.0f}", set=lo[1]) if lo == hi else
                 _("Median score ranges from {low}% ({low_set}) to {high}% ({high_set})", low=f"{lo[0]:.0f}",
                   low_set=lo[1], high=f"{hi[0]:.0f}", high_set=hi[1]))
    else:
        title = _("No graded and scored submissions yet")
    set_finding(fig, title)
    set_alt_text(fig, _("Box plots of each graded submission's score by problem set; {finding}.",
                        finding=_lower(title)))
    fit(fig, bottom=1.35)
    figs.append(("scores.png", fig))

    # 2. pass rates of the autograded parts
    auto = [it for it in results.items if it.auto and it.scores]
    fig = new_figure(figsize=(8, max(3, 0.32 * len(auto) + 1.4)))
    ax = fig.add_subplot()
    rates = [100 * it.pass_rate for it in auto]
    ax.barh(range(len(auto)), rates, color=[OKABE_ITO["vermillion"] if r < 50 else OKABE_ITO["bluish_green"]
                                             for r in rates])
    ax.set_yticks(range(len(auto)), [f"{it.assignment.split('-')[0]} {it.name}" for it in auto], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel(_("graded submissions with full marks on the part (%)"))
    ax.axvline(50, color=OKABE_ITO["black"], linestyle=":", linewidth=1)
    if auto:
        worst = min(auto, key=lambda it: it.pass_rate)
        title = _("Lowest pass rate: {part} in {set} ({pct}%)", part=worst.name, set=worst.assignment,
                  pct=f"{100 * worst.pass_rate:.0f}")
    else:
        title = _("No autograded parts graded yet")
    set_finding(fig, title)
    set_alt_text(fig, _("Horizontal bars of the share of full marks on each autograded part, under 50% in "
                        "vermillion; {finding}.", finding=_lower(title)))
    fit(fig, left=2.2)
    figs.append(("pass_rates.png", fig))

    # 3. item analysis
    fig = new_figure(figsize=(7, 4.6))
    ax = fig.add_subplot()
    pts = [(it.difficulty, it.discrimination, it) for it in results.items
           if it.scores and not math.isnan(it.discrimination)]
    weak = [it for d, r, it in pts if r < WEAK_DISCRIMINATION]
    for k, (d, r, it) in enumerate(pts):
        colour = OKABE_ITO["vermillion"] if r < WEAK_DISCRIMINATION else OKABE_ITO["blue"]
        ax.scatter(d, r, color=colour, marker="o" if it.auto else "s", s=36, zorder=3)
        if r < WEAK_DISCRIMINATION or d < 0.2:  # label the parts to review; the table lists them all
            left = k % 2 == 1  # alternate sides so neighbouring labels do not cover each other
            ax.annotate(f"{it.assignment.split('-')[0]} {it.name}", (d, r), fontsize=7,
                        xytext=(-7 if left else 7, -3), textcoords="offset points", ha="right" if left else "left")
    ax.axhline(WEAK_DISCRIMINATION, color=OKABE_ITO["black"], linestyle="--", linewidth=1)
    ax.set_xlim(-0.05, 1.05)
    ax.set_ylim(-1.05, 1.05)
    ax.set_xlabel(_("difficulty: mean share of the part's points (0 = nobody, 1 = everybody)"))
    ax.set_ylabel(_("discrimination (point-biserial r)"))
    title = (_("{weak} of {n} parts discriminate weakly (r < {r})", weak=len(weak), n=len(pts), r=WEAK_DISCRIMINATION)
             if pts else _("Too few graded submissions for item analysis"))
    set_finding(fig, title)
    set_alt_text(fig, _("Scatter of each part's difficulty against its discrimination, circles autograded and "
                        "squares written, the dashed line at r = {r}, the parts to review labelled; {finding}.",
                        r=WEAK_DISCRIMINATION, finding=_lower(title)))
    fit(fig)
    figs.append(("items.png", fig))

    # 4. totals
    fig = new_figure(figsize=(7, 4.0))
    ax = fig.add_subplot()
    totals = [(s, results.total(s)) for s in results.students]
    pct = [100 * t / results.max_total if results.max_total else 0 for _, t in totals if t is not None]
    pending = sum(t is None for _, t in totals)
    ax.hist(pct, bins=[i * 10 for i in range(11)], color=OKABE_ITO["sky_blue"], edgecolor=OKABE_ITO["blue"])
    ax.axvline(AT_RISK_PERCENT, color=OKABE_ITO["vermillion"], linestyle="--", linewidth=1.5)
    ax.set_xlabel(_("total so far (% of all points; missing and ungraded count 0)"))
    ax.set_ylabel(_("students"))
    below = sum(p < AT_RISK_PERCENT for p in pct)
    title = _("{below} of {n} students with a total are below {pct}% of the points so far", below=below, n=len(pct),
              pct=f"{AT_RISK_PERCENT:.0f}")
    set_finding(fig, title)
    set_alt_text(fig, _("Histogram of students' totals in 10-point bins with a dashed line at {pct}% ({pending} "
                        "students awaiting manual grading are not shown); {finding}.",
                        pct=f"{AT_RISK_PERCENT:.0f}", pending=pending, finding=_lower(title)))
    fit(fig)
    figs.append(("totals.png", fig))
    return figs


def _lower(title: str) -> str:
    """A finding inside a sentence (English starts lower case; Chinese has no case).

    >>> _lower("Median score is 50%")
    'median score is 50%'
    """
    return title[:1].lower() + title[1:]


def _item_note(it: Item) -> str:
    if not math.isnan(it.discrimination) and it.discrimination < WEAK_DISCRIMINATION:
        return _("review: weak discrimination")
    return _("review: almost nobody gets it") if it.difficulty < 0.2 else ""


def context(results: ClassResults, figs: list[dict]) -> dict[str, Any]:
    """What the template shows."""
    set_rows = []
    for a in results.assignments:
        scores = sorted(_percentages(results, a))
        subs = [results.sub(s, a) for s in results.students]
        in_zh = sum(s.state != State.MISSING and s.lang != "en" for s in subs)
        set_rows.append([a, f"{results.max_scores[a]:g}", sum(s.state != State.MISSING for s in subs), in_zh,
                         results.count(a, State.GRADED), sum(s.awaiting_manual for s in subs),
                         results.count(a, State.NOT_GRADED), results.count(a, State.FAILED),
                         results.count(a, State.MISSING), sum(s.seconds_late > 0 for s in subs),
                         _fmt(sum(scores) / len(scores), 1) if scores else "n/a",
                         _fmt(scores[len(scores) // 2], 1) if scores else "n/a"])
    item_rows = [[it.assignment, it.name, _("auto") if it.auto else _("written"), f"{it.max_score:g}", len(it.scores),
                  _fmt(100 * it.pass_rate, 0), _fmt(it.difficulty), _fmt(it.discrimination), _item_note(it)]
                 for it in results.items if it.scores]
    risk_rows = []
    for s in results.students:
        total = results.total(s)
        absent = [a for a in results.assignments
                  if results.sub(s, a).state in (State.MISSING, State.NOT_GRADED)]
        reasons = []
        if total is not None and results.max_total and 100 * total / results.max_total < AT_RISK_PERCENT:
            reasons.append(_("{pct}% of the points so far", pct=f"{100 * total / results.max_total:.0f}"))
        if len(absent) >= 2:
            reasons.append(_("{n} sets missing or not graded ({sets})", n=len(absent), sets=", ".join(absent)))
        if reasons:
            risk_rows.append([s, f"{total:g} / {results.max_total:g}" if total is not None else
                              results.total_text(s), "; ".join(reasons)])
    counts: dict[str, int] = {}
    flagged = []
    for row in results.rows:
        kinds = sorted({f.kind for f in row.flags} - {FlagKind.NOTE}, key=lambda k: list(FlagKind).index(k))
        sub = results.subs.get((row.student, set_of(row.assignment)))
        if sub is not None and sub.awaiting_manual and sub.variant == row.assignment:
            kinds.append(FlagKind.MANUAL)
        for k in kinds:
            counts[_(k.value)] = counts.get(_(k.value), 0) + 1
        if not kinds:
            continue
        flagged.append({
            "student": row.student, "assignment": row.assignment, "kinds": ", ".join(_(k.value) for k in kinds),
            "details": [str(f) for f in row.flags if f.kind not in (FlagKind.DROPPED,)],
            "dropped": row.dropped, "guard": row.guard_restored, "cells": [c.describe() for c in row.cells],
            "log": row.log if (row.state != State.GRADED or row.cells or row.guard_restored) else ""})
    for sub in results.subs.values():
        if sub.also:  # submitted in both languages: the latest counts
            counts[_(BOTH)] = counts.get(_(BOTH), 0) + 1
            flagged.append({"student": sub.student, "assignment": sub.assignment, "kinds": _(BOTH),
                            "details": sub.notes()[:1], "dropped": [], "guard": [], "cells": [], "log": ""})
    return {"course_id": results.course_id, "n_students": len(results.students), "assignments": results.assignments,
            "max_total": f"{results.max_total:g}", "awaiting": sum(s.awaiting_manual for s in results.subs.values()),
            "set_rows": set_rows, "figures": figs, "weak": WEAK_DISCRIMINATION, "item_rows": item_rows,
            "at_risk": f"{AT_RISK_PERCENT:.0f}", "risk_rows": risk_rows, "flag_summary": flag_summary(counts),
            "flagged": flagged, "lang": lang(), "words": words(results, flag_summary(counts)),
            "stop": "。" if lang() == "zh-CN" else "."}


def words(results: ClassResults, flags: str) -> dict[str, Any]:
    """The report's sentences and headings in the course language (``COURSE_LANG`` at ``make report``: the
    instructor's), for ``templates/report.html.j2``; the HTML in them is the kit's own, every value escaped."""
    from markupsafe import Markup, escape

    def html(message: str, **fields: object) -> Markup:  # message: marked with N_(), translated here
        return Markup(_(message, **{k: escape(v) for k, v in fields.items()}))

    return {
        "title": _("Class report: {course}", course=results.course_id),
        "intro": html(N_(
            "{n} students, {sets} problem set(s), {points} points in all. Scores come from the nbgrader gradebook; "
            "what happened to each submission from the status table (<code>grading-status.json</code>). Grades per "
            "student: <code>grades.csv</code>. Submissions awaiting manual grading (written parts no person has "
            "scored yet): {awaiting}; their students' totals are not given until they are scored."),
            n=len(results.students), sets=len(results.assignments), points=f"{results.max_total:g}",
            awaiting=sum(s.awaiting_manual for s in results.subs.values())),
        "sets": _("Problem sets"),
        "set_head": [_("set"), _("points"), _("submitted"), _("in Chinese"), _("graded"), _("awaiting manual grading"),
                     _("not graded"), _("grading failed"), _("missing"), _("late"), _("mean %"), _("median %")],
        "sets_note": html(N_(
            "Mean and median are over graded submissions whose written parts have been scored. A set in Chinese "
            "(<code>&lt;set&gt;-zh</code>, the same grade ids and points) counts as its set: \"in Chinese\" is how "
            "many of the submissions are in Chinese; a student who submitted both counts once, by the latest.")),
        "figures": _("Figures"),
        "item_title": _("Item analysis"),
        "items_note": html(N_(
            "Difficulty is the mean share of a part's points among graded submissions; discrimination is the "
            "point-biserial correlation between the share of the part's points and the rest of the set's score. "
            "Parts with r &lt; {weak} or difficulty under 0.2 are worth reviewing. Written parts count only once a "
            "person has scored them."), weak=WEAK_DISCRIMINATION),
        "item_head": [_("set"), _("part"), _("kind"), _("points"), _("n"), _("full marks %"), _("difficulty"),
                      _("discrimination"), _("note")],
        "risk": _("Students at risk"),
        "risk_note": _("Under {pct}% of the points so far, or two or more sets missing or not graded.",
                       pct=f"{AT_RISK_PERCENT:.0f}"),
        "risk_head": [_("student"), _("total"), _("why")],
        "none": _("None."),
        "flagged": _("Flagged submissions"),
        "flagged_note": html(N_(
            "Flags: {flags}. A submission that could not be graded scores 0 in <code>grades.csv</code> with its "
            "reason in the <code>notes</code> column, so it is never mistaken for a real zero; one whose grading "
            "environment failed has no score recorded and is graded again by the next run. Originals of repaired "
            "submissions are in <code>backups/originals/</code>. Each row keeps the evidence of its last grading run."),
            flags=flags),
        "flag_head": [_("student"), _("set"), _("flags"), _("details and evidence")],
        "dropped": _("Dropped before grading (never followed or copied):"),
        "guard": _("The guard restored:"),
        "cells": _("Cells that errored or timed out:"),
        "log": _("nbgrader's log of this run"),
    }


def capstone_context(course: Course, results: ClassResults) -> dict[str, Any] | None:
    """The capstone section (None without ``teams.csv``): the rule, per team its members' team mark, WebPA
    score and factor, who did not rate, and the flags (submissions and ratings). Comments stay out of it (they
    are in reports/peer-comments-INSTRUCTORS-ONLY.csv)."""
    from designkit.classroom import capstone
    from designkit.classroom.teams import is_team_assignment, resolve, rule

    if not capstone.enabled(course):
        return None
    marks = capstone.capstone_marks(course, results)
    submission_flags = [f for a in results.assignments if is_team_assignment(a)
                        for ts in resolve(course, marks.teams, a) for f in ts.flags()]
    rows = []
    for p in marks.peers:
        for m in p.members:
            rows.append([p.team, m, _fmt(marks.team_mark.get(m), 1) if marks.team_mark.get(m) is not None
                         else results.total_text(m), _fmt(p.scores[m]), _fmt(p.factors[m]),
                         _fmt(marks.individual(m), 1) if marks.individual(m) is not None else "",
                         "no" if m in p.missing_raters else "yes"])
    return {"rule": rule(), "mentors": capstone.mentor_lines(course), "weight": f"{marks.config.weight:g}", "cap": f"{marks.config.cap:g}",
            "max_mark": f"{marks.max_mark:g}", "rows": rows, "submission_flags": submission_flags,
            "peer_flags": [f"team {p.team}: {f}" for p in marks.peers for f in p.flags],
            "n_missing": sum(len(p.missing_raters) for p in marks.peers)}


def render(results: ClassResults, figs: list[dict], capstone: dict[str, Any] | None = None) -> str:
    """The report's HTML from the Jinja2 template (every value escaped).
    """
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(loader=FileSystemLoader(Path(__file__).with_name("templates")),
                      autoescape=select_autoescape(["html", "j2"]), undefined=StrictUndefined)
    return env.get_template(TEMPLATE).render(**context(results, figs), capstone=capstone)


def write_report(course: Course) -> Path:
    """Write ``reports/report.html`` and its figures; returns the report's path.
    """
    from designkit.plots.figure import alt_text, finding

    results = read_results(course, items=True)
    out = course.reports
    (out / "figures").mkdir(parents=True, exist_ok=True)
    figs = []
    for name, fig in figures(results):
        fig.savefig(out / "figures" / name, dpi=110)
        figs.append({"file": name, "title": finding(fig), "alt": alt_text(fig)})
    path = out / "report.html"
    path.write_text(render(results, figs, capstone_context(course, results)), encoding="utf-8")
    return path
