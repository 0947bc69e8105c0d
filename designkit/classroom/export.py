"""``grades.csv``: one row per student, a column per problem set and the total; ready for an LMS import.

Columns: ``student_id``, one column per problem set (points), ``total``, ``max_total``, ``percent``,
``notes``. A score of 0 with no note is a real zero; a missing submission and a submission that could
not be graded also count 0 (so totals are complete) but their ``notes`` say so, e.g.
``ps0-warm-up: not graded (invalid JSON ...)``. A second header-free file is not needed: LMS gradebook
imports (Canvas, Moodle, Blackboard) read a CSV whose first column is the student's id and whose
other columns are numeric grades; ``notes`` is text and is ignored by their column mapping.

>>> COLUMNS_AFTER
['total', 'max_total', 'percent', 'notes']
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from designkit.classroom.course import Course
from designkit.classroom.status import StatusTable

COLUMNS_AFTER = ["total", "max_total", "percent", "notes"]


@dataclass
class ClassGrades:
    """Scores read from the gradebook, with the status of every submission."""

    assignments: list[str]
    max_scores: dict[str, float]
    scores: dict[str, dict[str, float]]  # student -> assignment -> points
    notes: dict[str, list[str]] = field(default_factory=dict)
    states: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def students(self) -> list[str]:
        return sorted(self.scores)

    def total(self, student: str) -> float:
        return sum(self.scores[student].values())

    @property
    def max_total(self) -> float:
        return sum(self.max_scores.values())


def read_grades(course: Course, names: list[str] | None = None) -> ClassGrades:
    """Every student's points per problem set from the gradebook, and the reasons behind odd zeros."""
    from nbgrader.api import MissingEntry

    from designkit.classroom.grading import roster

    wanted = course.check_assignments(names)
    table = StatusTable(course.status_file)
    with course.open_gradebook() as gb:
        in_db = {a.name for a in gb.assignments}
        assignments = [a for a in wanted if a in in_db]
        max_scores = {a: float(gb.find_assignment(a).max_score) for a in assignments}
        grades = ClassGrades(assignments, max_scores, {})
        for student in roster(course):
            grades.scores[student] = {}
            notes: list[str] = []
            for a in assignments:
                row = table.get(student, a)
                try:
                    sub = gb.find_submission(a, student)
                except MissingEntry:
                    sub = None
                if sub is None or (row is not None and row.state == "missing"):
                    grades.scores[student][a] = 0.0
                    grades.states[(student, a)] = "missing"
                    notes.append(f"{a}: missing")
                    continue
                grades.scores[student][a] = float(sub.score)
                state = row.state if row is not None else "graded"
                if row is None and not (course.autograded / student / a).is_dir():
                    state = "submitted"
                grades.states[(student, a)] = state
                if state == "not-graded":
                    notes.append(f"{a}: not graded ({row.reason})")
                elif state == "submitted":
                    notes.append(f"{a}: submitted, not graded yet")
                else:
                    if sub.total_seconds_late > 0:
                        notes.append(f"{a}: late ({sub.total_seconds_late / 3600:.1f} h)")
                    if sub.needs_manual_grade:
                        notes.append(f"{a}: awaiting manual grading")
                    if row is not None and any(f.startswith("repaired") for f in row.flags):
                        notes.append(f"{a}: repaired before grading")
            grades.notes[student] = notes
    return grades


def write_grades_csv(course: Course, path: Path | None = None, names: list[str] | None = None) -> Path:
    """Write ``grades.csv`` (or ``path``) and return its path.

    >>> write_grades_csv.__name__
    'write_grades_csv'
    """
    grades = read_grades(course, names)
    path = Path(path) if path else course.grades_csv
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["student_id", *grades.assignments, *COLUMNS_AFTER])
        for student in grades.students:
            total = grades.total(student)
            pct = 100 * total / grades.max_total if grades.max_total else 0.0
            writer.writerow([student, *(f"{grades.scores[student][a]:g}" for a in grades.assignments),
                             f"{total:g}", f"{grades.max_total:g}", f"{pct:.1f}", "; ".join(grades.notes[student])])
    return path
