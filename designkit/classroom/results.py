"""The one reader of results: the gradebook (scores, through nbgrader's Gradebook) joined with the status
table (what happened to each submission). ``export``, ``report`` and ``demo`` all read through it.

A submission whose written parts no person has scored yet (nbgrader's ``needs_manual_grade``) is *awaiting
manual grading*: it has no score yet, and the student's total is not given until it is scored (never a low
total); once a person has scored it, the total includes the rubric points.

>>> Submission("s1", "ps0", State.GRADED, 6.0, 10.0, needs_manual=True).score_text
'awaiting manual grading'
>>> Submission("s1", "ps0", State.GRADED, 6.0, 10.0).score_text
'6'

A problem set exists in two languages as two nbgrader assignments, ``<set>`` and ``<set>-zh`` (same grade ids and
points): results are read per *set*, and a student's submission is the one in either language (``lang`` says
which). A student who submitted both is counted once, by the latest submission, and flagged; a student is missing
a set only when neither language was submitted.

>>> Submission("s1", "ps0", State.GRADED, 6.0, 10.0, lang="zh-CN", also=["en"]).notes()[0]
'ps0: submitted in en & zh-CN: the latest (zh-CN) counts'
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from designkit.classroom.course import Course, lang_of, set_of
from designkit.classroom.status import FlagKind, State, StatusRow, StatusTable
from designkit.i18n import N_, _

AWAITING = N_("awaiting manual grading")
NOT_YET = N_("not graded yet")  # collected, or its grading environment failed: the next grade run decides


@dataclass
class Submission:
    """One student's result on one problem set."""

    student: str
    assignment: str
    state: State
    score: float
    max_score: float
    needs_manual: bool = False
    seconds_late: float = 0.0
    row: StatusRow | None = None
    lang: str = "en"  # the language of the submission that counts
    also: list[str] = field(default_factory=list)  # the languages of the student's other submissions of the set
    variant: str = ""  # the nbgrader assignment that counts (``<set>`` or ``<set>-zh``)

    @property
    def awaiting_manual(self) -> bool:
        return self.state == State.GRADED and self.needs_manual

    @property
    def pending(self) -> bool:
        """No final score yet: awaiting a person, or not graded yet."""
        return self.awaiting_manual or self.state in (State.SUBMITTED, State.FAILED)

    @property
    def final_score(self) -> float | None:
        """The points that count (0 for missing or ungradable work), None while pending."""
        return None if self.pending else self.score

    @property
    def score_text(self) -> str:
        if self.awaiting_manual:
            return _(AWAITING)
        return _(NOT_YET) if self.pending else f"{self.score:g}"

    def notes(self) -> list[str]:
        a = self.assignment
        if self.state == State.MISSING:
            return [_("{set}: missing", set=a)]
        if self.state == State.NOT_GRADED:
            return [_("{set}: not graded ({reason})", set=a,
                      reason=self.row.reason if self.row else _("no reason recorded"))]
        if self.state == State.FAILED:
            return [_("{set}: not graded yet (the grading environment failed: {why})", set=a,
                      why=self.row.environment if self.row else "")]
        if self.state == State.SUBMITTED:
            return [_("{set}: submitted, not graded yet", set=a)]
        out = []
        if self.also:
            out.append(_("{set}: submitted in {langs}: the latest ({lang}) counts", set=a,
                         langs=" & ".join(sorted({self.lang, *self.also})), lang=self.lang))
        if self.seconds_late > 0:
            out.append(_("{set}: late ({hours} h)", set=a, hours=f"{self.seconds_late / 3600:.1f}"))
        if self.awaiting_manual:
            out.append(_("{set}: awaiting manual grading (autograded part {score} of {max})", set=a,
                         score=f"{self.score:g}", max=f"{self.max_score:g}"))
        kinds = self.row.kinds() if self.row else set()
        if FlagKind.REPAIRED in kinds:
            out.append(_("{set}: repaired before grading", set=a))
        if self.row and self.row.dropped:
            out.append(_("{set}: links or special files dropped ({n})", set=a, n=len(self.row.dropped)))
        if self.row and self.row.left_out:
            out.append(_("{set}: files left out by the size cap ({files})", set=a, files=", ".join(self.row.left_out)))
        return out


@dataclass
class Item:
    """One graded part of a problem set, across the class (the parts a person has not scored yet are left
    out of its scores)."""

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
        if not self.max_score:  # a 0-point part (a written answer scored by its rubric rows)
            return math.nan
        return point_biserial([s / self.max_score for s in self.scores], self.rest)


def point_biserial(item: list[float], rest: list[float]) -> float:
    """Pearson correlation of an item's 0/1 (or partial) scores with the rest score; nan when either is
    constant or there are fewer than three submissions.

    >>> point_biserial([1, 0, 1, 0], [9.0, 3.0, 8.0, 4.0]) > 0.9
    True
    """
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
class ClassResults:
    """Every student's results, the problem sets' maximum scores, the status rows and the items."""

    course_id: str
    assignments: list[str]
    max_scores: dict[str, float]
    students: list[str]
    subs: dict[tuple[str, str], Submission]
    rows: list[StatusRow]
    items: list[Item] = field(default_factory=list)
    variants: dict[str, list[str]] = field(default_factory=dict)  # set -> its nbgrader assignments in the gradebook

    @property
    def bilingual(self) -> bool:
        """Whether any set has a version in another language than English (then grades.csv has a ``lang``)."""
        return any(lang_of(v) != "en" for vs in self.variants.values() for v in vs)

    def langs(self, student: str) -> str:
        """The languages the student's counted submissions are in: one code when all agree, else the language of
        most sets followed by the sets in the others.

        >>> r = ClassResults("c", ["ps0", "ps1"], {}, ["s"], {("s", "ps0"): Submission("s", "ps0", State.GRADED,
        ...     1, 1, lang="zh-CN"), ("s", "ps1"): Submission("s", "ps1", State.MISSING, 0, 1)}, [])
        >>> r.langs("s")
        'zh-CN'
        >>> r.subs[("s", "ps1")] = Submission("s", "ps1", State.GRADED, 1, 1); r.subs[("s", "ps2")] = r.subs[("s", "ps0")]
        >>> r.assignments.append("ps2"); r.langs("s")
        'zh-CN (en: ps1)'
        """
        subs = [self.sub(student, a) for a in self.assignments if self.sub(student, a).state != State.MISSING]
        counts: dict[str, int] = {}
        for s in subs:
            counts[s.lang] = counts.get(s.lang, 0) + 1
        if len(counts) <= 1:
            return next(iter(counts), "")
        main = max(sorted(counts), key=lambda code: counts[code])  # the language of most sets, then the others
        rest = "; ".join(f"{code}: {', '.join(s.assignment for s in subs if s.lang == code)}"
                         for code in sorted(counts) if code != main)
        return f"{main} ({rest})"

    @property
    def max_total(self) -> float:
        return sum(self.max_scores.values())

    def sub(self, student: str, assignment: str) -> Submission:
        return self.subs[(student, assignment)]

    def total(self, student: str) -> float | None:
        """The student's points so far; None while a set is pending (awaiting a person, or not graded yet)."""
        scores = [self.sub(student, a).final_score for a in self.assignments]
        return None if any(s is None for s in scores) else sum(scores)  # type: ignore[misc]

    def total_text(self, student: str) -> str:
        """The total as ``grades.csv`` shows it: points, or why there is none yet."""
        total = self.total(student)
        if total is not None:
            return f"{total:g}"
        return _(AWAITING) if any(self.sub(student, a).awaiting_manual for a in self.assignments) else _(NOT_YET)

    def notes(self, student: str) -> list[str]:
        return [n for a in self.assignments for n in self.sub(student, a).notes()]

    def count(self, assignment: str, state: State) -> int:
        return sum(self.sub(s, assignment).state == state for s in self.students)

    def graded(self, assignment: str) -> list[Submission]:
        return [self.sub(s, assignment) for s in self.students if self.sub(s, assignment).state == State.GRADED]


def wanted_sets(course: Course, names: list[str] | None) -> list[str]:
    """The problem sets of ``names`` (an assignment in another language names its set), default all of them."""
    out: list[str] = []
    for name in course.check_assignments(names):
        if set_of(name) not in out:
            out.append(set_of(name))
    return out


def read_results(course: Course, names: list[str] | None = None, items: bool = False) -> ClassResults:
    """Read the gradebook and the status table once (``items=True`` adds the per-part scores). One result per
    student and set, whatever the language (see the module's docstring)."""
    from nbgrader.api import MissingEntry

    from designkit.classroom.grading import roster

    wanted = wanted_sets(course, names)
    table = StatusTable(course.status_file)
    with course.open_gradebook() as gb:
        in_db = {a.name for a in gb.assignments}
        variants = {s: [v for v in (s, *sorted(n for n in in_db if n != s and set_of(n) == s)) if v in in_db]
                    for s in wanted}
        assignments = [s for s in wanted if variants[s]]
        max_scores = {s: float(gb.find_assignment(variants[s][0]).max_score) for s in assignments}
        students = roster(course)
        subs: dict[tuple[str, str], Submission] = {}
        for student in students:
            for a in assignments:
                found = []  # (timestamp, variant, nbgrader submission, status row)
                failed = None
                for v in variants[a]:
                    row = table.get(student, v)
                    try:
                        sub = gb.find_submission(v, student)
                    except MissingEntry:
                        sub = None
                    if sub is None or (row is not None and row.state == State.MISSING):
                        if row is not None and row.state == State.FAILED:
                            failed = row
                        continue
                    found.append((sub.timestamp.isoformat() if sub.timestamp else "", v, sub, row))
                if not found:
                    state = State.FAILED if failed is not None else State.MISSING
                    subs[(student, a)] = Submission(student, a, state, 0.0, max_scores[a], row=failed)
                    continue
                found.sort(key=lambda f: (f[0], f[1]))
                _, v, sub, row = found[-1]  # the latest counts
                state = row.state if row is not None else State.GRADED
                if row is None and not (course.autograded / student / v).is_dir():
                    state = State.SUBMITTED
                subs[(student, a)] = Submission(
                    student, a, state, float(sub.score), max_scores[a],
                    needs_manual=bool(sub.needs_manual_grade) and state == State.GRADED,
                    seconds_late=float(sub.total_seconds_late or 0), row=row, lang=lang_of(v),
                    also=[lang_of(f[1]) for f in found[:-1]], variant=v)
        results = ClassResults(course.course_id(), assignments, max_scores, students, subs, list(table),
                               variants={a: variants[a] for a in assignments})
        if items:
            results.items = _read_items(gb, results)
    return results


def _read_items(gb, results: ClassResults) -> list[Item]:
    graded = {(s.student, s.assignment) for a in results.assignments for s in results.graded(a)}
    items: dict[tuple[str, str], Item] = {}
    counted = {(s.student, s.assignment): s.variant for a in results.assignments for s in results.graded(a)}
    for a in results.assignments:
        for v in results.variants.get(a, [a]):  # both languages: the same grade ids, one item each
            assignment = gb.find_assignment(v)
            for nb in assignment.notebooks:
                # Autograded tests and written answers (grade cells) and rubric rows (task cells); a 0-point cell
                # (the written answer whose rows are scored as tasks) is not an item.
                for gc in [*nb.grade_cells, *nb.task_cells]:
                    if gc.max_score and (a, gc.name) not in items:
                        auto = gc.cell_type == "code" and gc in nb.grade_cells
                        items[(a, gc.name)] = Item(a, gc.name, float(gc.max_score), auto)
            _add_scores(assignment, a, v, graded, counted, items)
    return [items[k] for k in sorted(items, key=lambda k: (results.assignments.index(k[0]), k[1]))]


def _add_scores(assignment, a: str, v: str, graded: set, counted: dict, items: dict) -> None:
    """Each counted submission's part scores into the items of set ``a`` (``assignment``: its version ``v``)."""
    for sub in assignment.submissions:
        if (sub.student.id, a) not in graded or counted.get((sub.student.id, a), v) != v:
            continue
        parts = {g.name: float(g.manual_score if g.manual_score is not None else g.auto_score)
                 for snb in sub.notebooks for g in snb.grades
                 if g.manual_score is not None or g.auto_score is not None}  # unscored written parts: out
        total = sum(parts.values())
        for name, score in parts.items():
            if (a, name) in items:
                items[(a, name)].scores.append(score)
                items[(a, name)].rest.append(total - score)
