"""``grades.csv``: one row per student, a column per problem set and the total; ready for an LMS import.

Columns: ``student_id``, one column per problem set (points), ``total``, ``max_total``, ``percent``,
``notes``, and ``lang`` when a set exists in another language (see below). A score of 0 with no note is a real zero; a missing submission and a submission that could
not be graded also count 0 (so totals are complete) but their ``notes`` say so, e.g.
``ps0-warm-up: not graded (invalid JSON ...)``. A set whose written parts no person has scored yet reads
``awaiting manual grading`` instead of points, and so do the student's total and percent: a partial
score is never shown as a low total (likewise ``not graded yet`` for a submission collected but not graded,
or whose grading environment failed). LMS gradebook imports (Canvas, Moodle, Blackboard) read a CSV whose
first column is the student's id and whose other columns are grades; a text cell is left unimported.

With a ``teams.csv`` (the team capstone), the mentors' scores are first imported from the mentor course (when
``capstone.json`` names one), then the team's result is copied to every member
(``teams.propagate``) and four columns follow: ``team``, ``peer_factor`` (WebPA, ``peer.PeerConfig``),
``capstone_team`` (the team milestones' points) and ``capstone_individual`` (those points times the factor,
never above their maximum); the total then counts ``capstone_individual`` in place of ``capstone_team``.

A problem set in Chinese is its own nbgrader assignment, ``<set>-zh``, with the same grade ids and points: its
score goes in the ``<set>`` column. The ``lang`` column (present once a set exists in another language) names the
language of the student's counted submissions (``en``, ``zh-CN``, or e.g. ``zh-CN (en: capstone-peer)`` when
they differ). A student who
submitted a set in both languages is counted once, by the latest submission, and ``notes`` says so.

>>> COLUMNS_AFTER
['total', 'max_total', 'percent', 'notes']
"""
from __future__ import annotations

import csv
from pathlib import Path

from designkit.classroom.course import Course
from designkit.classroom.results import ClassResults, read_results

COLUMNS_AFTER = ["total", "max_total", "percent", "notes"]


def _num(x: float | None) -> str:
    return "" if x is None else f"{x:g}"


def csv_rows(results: ClassResults, capstone=None) -> list[list[str]]:
    """The rows of ``grades.csv``, header first (``capstone``: a ``capstone.CapstoneMarks``, or None)."""
    extra = ["team", "peer_factor", "capstone_team", "capstone_individual"] if capstone else []
    lang = ["lang"] if results.bilingual else []
    rows = [["student_id", *results.assignments, *COLUMNS_AFTER, *lang, *extra]]
    for student in results.students:
        total = results.total(student)
        total_text = pct = results.total_text(student)
        tail: list[str] = []
        if capstone:
            team_mark, individual = capstone.team_mark.get(student), capstone.individual(student)
            if total is not None and team_mark is not None and individual is not None:
                total = round(total - team_mark + individual, 6)
                total_text = f"{total:g}"
            factor = capstone.factor(student)
            tail = [capstone.teams.team_of(student) or "", _num(None if factor is None else round(factor, 3)),
                    _num(team_mark), _num(None if individual is None else round(individual, 2))]
        if total is not None:
            pct = f"{100 * total / results.max_total:.1f}" if results.max_total else "0.0"
        rows.append([student, *(results.sub(student, a).score_text for a in results.assignments),
                     total_text, f"{results.max_total:g}", pct, "; ".join(results.notes(student)),
                     *([results.langs(student)] if lang else []), *tail])
    return rows


def write_grades_csv(course: Course, path: Path | None = None, names: list[str] | None = None) -> Path:
    """Write ``grades.csv`` (or ``path``) and return its path.
    """
    from designkit.classroom import capstone

    marks = None
    if capstone.enabled(course):
        from designkit.classroom.teams import propagate, read_teams

        capstone.import_mentor_grades(course)  # the mentor course's M2 scores (capstone.json), if there is one
        propagate(course, read_teams(course), names)
        results = read_results(course, names)
        marks = capstone.capstone_marks(course, results)
        capstone.write_peer_report(course, marks)
    else:
        results = read_results(course, names)
    path = Path(path) if path else course.grades_csv
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(csv_rows(results, marks))
    return path
