"""``grades.csv``: one row per student, a column per problem set and the total; ready for an LMS import.

Columns: ``student_id``, one column per problem set (points), ``total``, ``max_total``, ``percent``,
``notes``. A score of 0 with no note is a real zero; a missing submission and a submission that could
not be graded also count 0 (so totals are complete) but their ``notes`` say so, e.g.
``ps0-warm-up: not graded (invalid JSON ...)``. A set whose written parts no person has scored yet reads
``awaiting manual grading`` instead of points, and so do the student's total and percent: a partial
score is never shown as a low total (likewise ``not graded yet`` for a submission collected but not graded,
or whose grading environment failed). LMS gradebook imports (Canvas, Moodle, Blackboard) read a CSV whose
first column is the student's id and whose other columns are grades; a text cell is left unimported.

>>> COLUMNS_AFTER
['total', 'max_total', 'percent', 'notes']
"""
from __future__ import annotations

import csv
from pathlib import Path

from designkit.classroom.course import Course
from designkit.classroom.results import ClassResults, read_results

COLUMNS_AFTER = ["total", "max_total", "percent", "notes"]


def csv_rows(results: ClassResults) -> list[list[str]]:
    """The rows of ``grades.csv``, header first."""
    rows = [["student_id", *results.assignments, *COLUMNS_AFTER]]
    for student in results.students:
        total = results.total(student)
        total_text = pct = results.total_text(student)
        if total is not None:
            pct = f"{100 * total / results.max_total:.1f}" if results.max_total else "0.0"
        rows.append([student, *(results.sub(student, a).score_text for a in results.assignments),
                     total_text, f"{results.max_total:g}", pct, "; ".join(results.notes(student))])
    return rows


def write_grades_csv(course: Course, path: Path | None = None, names: list[str] | None = None) -> Path:
    """Write ``grades.csv`` (or ``path``) and return its path.

    >>> write_grades_csv.__name__
    'write_grades_csv'
    """
    results = read_results(course, names)
    path = Path(path) if path else course.grades_csv
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(csv_rows(results))
    return path
