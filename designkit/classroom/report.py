"""The class report: ``reports/report.html`` with PNG figures in ``reports/figures/``.

Read from the gradebook (scores) and the status table (what happened to each submission):

- score distribution per problem set (graded submissions; missing and ungraded ones counted apart);
- per-question pass rates (share of graded submissions with full marks on each autograded part);
- item analysis: difficulty (mean share of the points) and discrimination (point-biserial correlation
  between full marks on the item and the rest of the set's score), with the items to review;
- students at risk (under 50 % of the points so far, or two or more sets missing or ungraded);
- flagged submissions with their reasons: late, edited read-only cells, errors in the student's code,
  repaired before grading, not graded.

Every figure has a title that states the finding, labelled axes with units, the Okabe–Ito palette and
an alt text written next to it.

>>> point_biserial([1, 0, 1, 0], [9.0, 3.0, 8.0, 4.0]) > 0.9
True
"""
from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from pathlib import Path

from designkit.classroom.course import Course
from designkit.classroom.status import StatusTable

AT_RISK_PERCENT = 50.0
WEAK_DISCRIMINATION = 0.2


def point_biserial(item: list[float], rest: list[float]) -> float:
    """Pearson correlation of an item's 0/1 (or partial) scores with the rest score; nan when either is
    constant or there are fewer than three submissions."""
    n = len(item)
    if n < 3 or n != len(rest):
        return math.nan
    mi, mr = sum(item) / n, sum(rest) / n
    si = math.sqrt(sum((x - mi) ** 2 for x in item))
    sr = math.sqrt(sum((y - mr) ** 2 for y in rest))
    if si == 0 or sr == 0:
        return math.nan
    return sum((x - mi) * (y - mr) for x, y in zip(item, rest, strict=True)) / (si * sr)


@dataclass
class Item:
    """One graded part of a problem set, across the class."""

    assignment: str
    name: str
    max_score: float
    auto: bool
    scores: list[float] = field(default_factory=list)
    rest: list[float] = field(default_factory=list)

    @property
    def difficulty(self) -> float:
        return sum(self.scores) / (len(self.scores) * self.max_score) if self.scores and self.max_score else math.nan

    @property
    def pass_rate(self) -> float:
        return sum(s >= self.max_score for s in self.scores) / len(self.scores) if self.scores else math.nan

    @property
    def discrimination(self) -> float:
        return point_biserial([s / self.max_score for s in self.scores], self.rest)


def read_items(course: Course, assignments: list[str], graded: set[tuple[str, str]]) -> list[Item]:
    """Per-part scores of the graded submissions, from the gradebook."""
    items: dict[tuple[str, str], Item] = {}
    with course.open_gradebook() as gb:
        for a in assignments:
            assignment = gb.find_assignment(a)
            for nb in assignment.notebooks:
                for gc in nb.grade_cells:
                    items[(a, gc.name)] = Item(a, gc.name, float(gc.max_score), gc.cell_type == "code")
            for sub in assignment.submissions:
                if (sub.student.id, a) not in graded:
                    continue
                parts = {g.name: float(g.score) for snb in sub.notebooks for g in snb.grades}
                total = sum(parts.values())
                for name, score in parts.items():
                    if (a, name) in items:
                        items[(a, name)].scores.append(score)
                        items[(a, name)].rest.append(total - score)
    return [items[k] for k in sorted(items, key=lambda k: (assignments.index(k[0]), k[1]))]


def _figures(course: Course, out: Path, grades, items: list[Item], graded: set[tuple[str, str]]) -> list[dict]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from designkit.plots.palette import OKABE_ITO

    out.mkdir(parents=True, exist_ok=True)
    figs = []

    # 1. score distribution per assignment
    data = [[100 * grades.scores[s][a] / grades.max_scores[a] for s in grades.students if (s, a) in graded]
            for a in grades.assignments]
    medians = [sorted(d)[len(d) // 2] if d else math.nan for d in data]
    fig, ax = plt.subplots(figsize=(8, 4.2))
    ax.boxplot([d or [math.nan] for d in data], tick_labels=grades.assignments, widths=0.5, showfliers=False,
               medianprops={"color": OKABE_ITO["vermillion"], "linewidth": 2},
               boxprops={"color": OKABE_ITO["blue"]}, whiskerprops={"color": OKABE_ITO["blue"]},
               capprops={"color": OKABE_ITO["blue"]}, flierprops={"markeredgecolor": OKABE_ITO["blue"]})
    for i, d in enumerate(data, start=1):
        xs = [i + 0.18 * ((k * 0.37) % 1 - 0.5) for k in range(len(d))]
        ax.scatter(xs, d, s=12, color=OKABE_ITO["orange"], alpha=0.8, zorder=3)
    ax.set_ylabel("score (% of the set's points)")
    ax.set_xlabel("problem set (graded submissions only)")
    ax.set_ylim(-5, 105)
    valid = [(m, a) for m, a in zip(medians, grades.assignments, strict=True) if not math.isnan(m)]
    if valid:
        lo, hi = min(valid), max(valid)
        title = (f"Median score is {lo[0]:.0f}% on {lo[1]}" if lo == hi else
                 f"Median score ranges from {lo[0]:.0f}% ({lo[1]}) to {hi[0]:.0f}% ({hi[1]})")
    else:
        title = "No graded submissions yet"
    ax.set_title(title)
    plt.setp(ax.get_xticklabels(), rotation=20, ha="right")
    fig.tight_layout()
    figs.append({"file": "scores.png", "fig": fig, "title": title,
                 "alt": f"Box plots of each graded submission's score by problem set; {title.lower()}."})

    # 2. pass rates of the autograded parts
    auto = [it for it in items if it.auto and it.scores]
    fig, ax = plt.subplots(figsize=(8, max(3, 0.32 * len(auto) + 1.2)))
    labels = [f"{it.assignment.split('-')[0]} {it.name}" for it in auto]
    rates = [100 * it.pass_rate for it in auto]
    colours = [OKABE_ITO["vermillion"] if r < 50 else OKABE_ITO["bluish_green"] for r in rates]
    ax.barh(range(len(auto)), rates, color=colours)
    ax.set_yticks(range(len(auto)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("graded submissions with full marks on the part (%)")
    ax.axvline(50, color=OKABE_ITO["black"], linestyle=":", linewidth=1)
    if auto:
        worst = min(auto, key=lambda it: it.pass_rate)
        title = f"Lowest pass rate: {worst.name} in {worst.assignment} ({100 * worst.pass_rate:.0f}%)"
    else:
        title = "No autograded parts graded yet"
    ax.set_title(title)
    fig.tight_layout()
    figs.append({"file": "pass_rates.png", "fig": fig, "title": title,
                 "alt": f"Horizontal bars of the share of full marks on each autograded part, under 50% in "
                        f"vermillion; {title.lower()}."})

    # 3. item analysis
    fig, ax = plt.subplots(figsize=(7, 4.5))
    pts = [(it.difficulty, it.discrimination, it) for it in items if it.scores and not math.isnan(it.discrimination)]
    weak = [it for d, r, it in pts if r < WEAK_DISCRIMINATION]
    for k, (d, r, it) in enumerate(pts):
        colour = OKABE_ITO["vermillion"] if r < WEAK_DISCRIMINATION else OKABE_ITO["blue"]
        ax.scatter(d, r, color=colour, marker="o" if it.auto else "s", s=36, zorder=3)
        if r < WEAK_DISCRIMINATION or d < 0.2:  # label the parts to review; the table lists them all
            left = k % 2 == 1  # alternate sides so neighbouring labels do not cover each other
            ax.annotate(f"{it.assignment.split('-')[0]} {it.name}", (d, r), fontsize=7,
                        xytext=(-7 if left else 7, -3), textcoords="offset points",
                        ha="right" if left else "left")
    ax.axhline(WEAK_DISCRIMINATION, color=OKABE_ITO["black"], linestyle="--", linewidth=1)
    ax.set_xlim(-0.05, 1.05)
    ax.set_ylim(-1.05, 1.05)
    ax.set_xlabel("difficulty: mean share of the part's points (0 = nobody, 1 = everybody)")
    ax.set_ylabel("discrimination (point-biserial r)")
    title = (f"{len(weak)} of {len(pts)} parts discriminate weakly (r < {WEAK_DISCRIMINATION})" if pts
             else "Too few graded submissions for item analysis")
    ax.set_title(title)
    fig.tight_layout()
    figs.append({"file": "items.png", "fig": fig, "title": title,
                 "alt": "Scatter of each part's difficulty against its discrimination, circles autograded and "
                        f"squares written, the dashed line at r = {WEAK_DISCRIMINATION}, the parts to review "
                        f"labelled; {title.lower()}."})

    # 4. totals
    fig, ax = plt.subplots(figsize=(7, 3.8))
    pct = [100 * grades.total(s) / grades.max_total if grades.max_total else 0 for s in grades.students]
    ax.hist(pct, bins=[i * 10 for i in range(11)], color=OKABE_ITO["sky_blue"], edgecolor=OKABE_ITO["blue"])
    ax.axvline(AT_RISK_PERCENT, color=OKABE_ITO["vermillion"], linestyle="--", linewidth=1.5)
    ax.set_xlabel("total so far (% of all points; missing and ungraded count 0)")
    ax.set_ylabel("students")
    below = sum(p < AT_RISK_PERCENT for p in pct)
    title = f"{below} of {len(pct)} students are below {AT_RISK_PERCENT:.0f}% of the points so far"
    ax.set_title(title)
    fig.tight_layout()
    figs.append({"file": "totals.png", "fig": fig, "title": title,
                 "alt": f"Histogram of students' totals in 10-point bins with a dashed line at "
                        f"{AT_RISK_PERCENT:.0f}%; {title.lower()}."})

    for f in figs:
        f["fig"].savefig(out / f["file"], dpi=110)
        plt.close(f["fig"])
    return figs


def _table(headers: list[str], rows: list[list[object]]) -> str:
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _fmt(x: float, digits: int = 2) -> str:
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def flag_category(flag: str) -> str:
    """The report's category of a status flag.

    >>> flag_category("repaired: renamed a to b")
    'repaired'
    """
    for prefix, cat in (("not graded", "not graded"), ("late", "late"), ("edited locked", "edited locked cell"),
                        ("error", "errors"), ("repaired", "repaired")):
        if flag.startswith(prefix):
            return cat
    return "note"


def write_report(course: Course) -> Path:
    """Write ``reports/report.html`` and its figures; returns the report's path.

    >>> write_report.__name__
    'write_report'
    """
    from designkit.classroom.export import read_grades

    grades = read_grades(course)
    table = StatusTable(course.status_file)
    graded = {(s, a) for (s, a), st in grades.states.items() if st == "graded"}
    items = read_items(course, grades.assignments, graded)
    out = course.reports
    figs = _figures(course, out / "figures", grades, items, graded)

    summary_rows = []
    for a in grades.assignments:
        states = [grades.states.get((s, a), "missing") for s in grades.students]
        scores = sorted(100 * grades.scores[s][a] / grades.max_scores[a] for s in grades.students if (s, a) in graded)
        late = sum(1 for s in grades.students if (r := table.get(s, a)) and r.late)
        summary_rows.append([a, f"{grades.max_scores[a]:g}", len(states) - states.count("missing"),
                             states.count("graded"), states.count("not-graded"), states.count("missing"), late,
                             _fmt(sum(scores) / len(scores), 1) if scores else "n/a",
                             _fmt(scores[len(scores) // 2], 1) if scores else "n/a"])
    item_rows = [[it.assignment, it.name, "auto" if it.auto else "written", f"{it.max_score:g}", len(it.scores),
                  _fmt(100 * it.pass_rate, 0), _fmt(it.difficulty), _fmt(it.discrimination),
                  "review: weak discrimination" if not math.isnan(it.discrimination) and it.discrimination
                  < WEAK_DISCRIMINATION else ("review: almost nobody gets it" if it.difficulty < 0.2 else "")]
                 for it in items if it.scores]
    risk_rows = []
    for s in grades.students:
        pct = 100 * grades.total(s) / grades.max_total if grades.max_total else 0.0
        absent = [a for a in grades.assignments if grades.states.get((s, a)) in ("missing", "not-graded")]
        reasons = []
        if pct < AT_RISK_PERCENT:
            reasons.append(f"{pct:.0f}% of the points so far")
        if len(absent) >= 2:
            reasons.append(f"{len(absent)} sets missing or not graded ({', '.join(absent)})")
        if reasons:
            risk_rows.append([s, f"{grades.total(s):g} / {grades.max_total:g}", "; ".join(reasons)])
    flag_rows = []
    counts: dict[str, int] = {}
    for row in table:
        cats = sorted({flag_category(f) for f in row.flags} - {"note"})
        for c in cats:
            counts[c] = counts.get(c, 0) + 1
        if cats:
            flag_rows.append([row.student, row.assignment, ", ".join(cats),
                              "; ".join(f for f in row.flags if flag_category(f) != "note")
                              + ("; " if any(flag_category(f) == "note" for f in row.flags) else "")
                              + "; ".join(f for f in row.flags if flag_category(f) == "note")])
    manual_left = sum(1 for s in grades.students for n in grades.notes[s] if "awaiting manual grading" in n)

    fig_html = "".join(
        f'<figure><img src="figures/{f["file"]}" alt="{html.escape(f["alt"])}">'
        f'<figcaption>{html.escape(f["alt"])}</figcaption></figure>' for f in figs)
    css = ("body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}"
           "table{border-collapse:collapse;margin:1em 0;font-size:0.9em}td,th{border:1px solid #bbb;"
           "padding:3px 6px;text-align:left;vertical-align:top}th{background:#eef}img{max-width:100%}"
           "figcaption{font-size:0.85em;color:#444}")
    flag_summary = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) or "none"
    doc = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Class report: {html.escape(course.course_id())}</title>
<style>{css}</style></head><body>
<h1>Class report: {html.escape(course.course_id())}</h1>
<p>{len(grades.students)} students, {len(grades.assignments)} problem set(s), {grades.max_total:g} points in all.
Scores come from the nbgrader gradebook (<code>gradebook.db</code>); what happened to each submission from the
status table (<code>grading-status.json</code>). Grades per student: <code>grades.csv</code>.
Written answers still awaiting a grader: {manual_left}.</p>
<h2>Problem sets</h2>
{_table(["set", "points", "submitted", "graded", "not graded", "missing", "late", "mean %", "median %"], summary_rows)}
<h2>Figures</h2>
{fig_html}
<h2>Item analysis</h2>
<p>Difficulty is the mean share of a part's points among graded submissions; discrimination is the
point-biserial correlation between the share of the part's points and the rest of the set's score. Parts with
r &lt; {WEAK_DISCRIMINATION} or difficulty under 0.2 are worth reviewing.</p>
{_table(["set", "part", "kind", "points", "n", "full marks %", "difficulty", "discrimination", "note"], item_rows)}
<h2>Students at risk</h2>
<p>Under {AT_RISK_PERCENT:.0f}% of the points so far, or two or more sets missing or not graded.</p>
{_table(["student", "total", "why"], risk_rows) if risk_rows else "<p>None.</p>"}
<h2>Flagged submissions</h2>
<p>Flags: {html.escape(flag_summary)}. A submission that could not be graded scores 0 in
<code>grades.csv</code> with its reason in the <code>notes</code> column, so it is never mistaken for a real
zero; the originals of repaired submissions are in <code>backups/originals/</code>.</p>
{_table(["student", "set", "flags", "details"], flag_rows) if flag_rows else "<p>None.</p>"}
</body></html>
"""
    out.mkdir(parents=True, exist_ok=True)
    path = out / "report.html"
    path.write_text(doc, encoding="utf-8")
    return path
