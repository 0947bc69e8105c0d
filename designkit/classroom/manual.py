"""The demo's simulated grader: scores each rubric row of each submission through nbgrader's Gradebook API.

Real graders use Formgrader, where every rubric row (a task cell ``qK-rN-slug``, see
:mod:`designkit.classroom.rubrics`) is one score with one comment. For ``make demo`` this grader does the same
through the Gradebook API (``Grade.manual_score``, ``Comment.manual_comment``, ``needs_manual_grade``), for
the rows that exist in the gradebook, reading each part's answer in ``autograded/``:

- an answer that is one of the part's anchors (``rubric.md``) gets that anchor's score on every row;
- a simulated answer of a known quality (``designkit/classroom/answers/<set>.yml``: strong, adequate, weak)
  gets the per-row scores that file gives it (``rows``), else those of the anchor of its level (strong: full,
  adequate: half; weak: half of the half anchor's);
- any other answer (a code answer, an unknown text) gets scores in line with the submission's autograded
  share, nudged per row by a seeded draw, in half points; a blank answer gets 0 on every row.

Each comment is the rubric's descriptor of the level the score falls in. A few submissions per set (about one
in ten, at least one when there are three or more; chosen by a hash of student and set, so always the same)
are left unscored, so the report shows work awaiting a grader. A row a person has already scored is never
overwritten.

Sets whose written answers still carry their own points (no rubric rows) are scored as before: a recognised
simulated text gets the score its answers file gives it.

>>> round_half(1.26), round_half(0.74), round_half(-1)
(1.5, 0.5, 0.0)
>>> level_name(0, 2), level_name(1, 2), level_name(2, 2)
('No marks', 'Half marks', 'Full marks')
"""
from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from typing import Any

from designkit.classroom.course import Course, set_of
from designkit.classroom.status import StatusTable

QUALITY_LEVEL = {"strong": "full", "adequate": "half", "weak": "weak"}
LEAVE_SHARE = 0.1  # the share of submissions per set left for a person
BLANK = {"", "your answer here"}


def normalise(text: str) -> str:
    """Case and spacing removed, for recognising a text.

    >>> normalise("  Two\\n words ")
    'two words'
    """
    return " ".join(text.split()).lower()


def round_half(x: float) -> float:
    """Nearest half point, never below 0."""
    return max(0.0, math.floor(x * 2 + 0.5) / 2)


def level_name(score: float, points: float) -> str:
    return "Full marks" if score >= points else "Half marks" if score > 0 else "No marks"


def _draw(*keys: str) -> float:
    """A reproducible number in [0, 1) from the keys."""
    return int(hashlib.sha256("/".join(keys).encode()).hexdigest()[:12], 16) / 16 ** 12


@dataclass
class _Plan:
    """One part of one submission to score."""

    student: str
    assignment: str
    notebook: str
    part: Any
    text: str | None
    known: dict[str, tuple[str, dict[str, float] | None]]   # normalised text -> (quality, per-row scores)


@dataclass
class ManualSummary:
    """What the simulated grader did: rubric rows (or legacy written answers) scored, left for a person."""

    scored: int = 0
    left: int = 0
    submissions_scored: int = 0
    submissions_left: list[str] = field(default_factory=list)   # "<student>/<set>" left for a person
    for_mentors: list[str] = field(default_factory=list)  # sets scored in the capstone's mentor course, not here

    def lines(self) -> list[str]:
        out = [f"scored {self.scored} rubric rows of {self.submissions_scored} submission(s)"]
        if self.submissions_left:
            out.append(f"left for a person (awaiting manual grading): {', '.join(self.submissions_left)}")
        out += [f"not scored here: {a} (scored by mentors in the mentor course)" for a in self.for_mentors]
        return out


def left_for_a_person(students: list[str], assignment: str) -> set[str]:
    """The submissions the simulated grader leaves unscored: about one in ten, at least one of three or more.

    >>> sorted(left_for_a_person(["a", "b"], "ps1")), len(left_for_a_person([f"s{i}" for i in range(30)], "ps1"))
    ([], 3)
    """
    if len(students) < 3:
        return set()
    n = max(1, round(LEAVE_SHARE * len(students)))
    return set(sorted(students, key=lambda s: _draw(s, assignment, "leave"))[:n])


def _cell_text(nb: dict, cell_id: str) -> str | None:
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade_id") == cell_id or cell.get("id") == cell_id:
            src = cell.get("source", "")
            return src if isinstance(src, str) else "".join(src)
    return None


def _row_scores(part: Any, text: str | None, known: dict[str, tuple[str, dict[str, float] | None]], share: float,
                student: str,
                assignment: str) -> tuple[dict[str, float], str]:
    """Per-row scores for one answer, and how they were decided."""
    if text is None or normalise(text) in BLANK:
        return {r.id: 0.0 for r in part.rows}, "no answer"
    said = normalise(text)
    for anchor in part.anchors:
        if said == normalise(anchor.text):
            return dict(anchor.scores), f"the {anchor.level} anchor"
    quality, rows = known.get(said, (None, None))
    if rows is not None:
        missing = [r.id for r in part.rows if r.id not in rows]
        if missing:
            raise ValueError(f"designkit/classroom/answers: the {quality} answer to {part.answer_id} has no score "
                             f"for {', '.join(missing)} in its 'rows' (keep it equal to {part.path})")
        return {r.id: float(rows[r.id]) for r in part.rows}, f"a {quality} answer"
    if quality in QUALITY_LEVEL:
        level = QUALITY_LEVEL[quality]
        if level == "weak":
            return {r: round_half(s / 2) for r, s in part.anchor("half").scores.items()}, f"a {quality} answer"
        return dict(part.anchor(level).scores), f"a {quality} answer"
    scores = {}
    for row in part.rows:
        nudge = (_draw(student, assignment, row.id) - 0.5) * 0.6
        scores[row.id] = min(row.points, round_half(row.points * (share + nudge)))
    return scores, "in line with the autograded work"


def _rows_given(assignment: str) -> dict[tuple[str, str], dict[str, float]]:
    """``{(answer cell id, quality): {row id: score}}`` from ``answers/<set>.yml`` (its optional ``rows``)."""
    import yaml

    from designkit.classroom.simulate import ANSWERS_DIR

    path = ANSWERS_DIR / f"{assignment}.yml"
    given = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    return {(gid, q): v["rows"] for gid, qualities in (given or {}).items() for q, v in qualities.items()
            if isinstance(v, dict) and isinstance(v.get("rows"), dict)}


def grade_written(course: Course, names: list[str] | None = None) -> ManualSummary:
    """Score the rubric rows of every graded submission (leaving a few for a person); see the module doc.
    """
    from designkit.classroom import rubrics
    from designkit.classroom.course import retry_db
    from designkit.classroom.simulate import written_answers
    from designkit.classroom.teams import mentor_sets

    names = course.check_assignments(names)
    table = StatusTable(course.status_file)
    summary = ManualSummary(for_mentors=[a for a in mentor_sets(course) if a in names])
    names = [a for a in names if a not in summary.for_mentors]  # the mentors score them, in their own course
    plans: list[_Plan] = []
    legacy: list[tuple[str, str, str, str, tuple[str, float] | None]] = []
    for name in names:
        base = set_of(name)  # a set in Chinese has the English set's rubric rows (same ids) and simulated answers
        rubric = course.source / base / "rubric.md"
        parts = rubrics.parse(rubric) if rubric.exists() and "### Anchors" in rubric.read_text("utf-8") else []
        texts = written_answers(course, base)
        rows_given = _rows_given(base)
        known = {gid: {normalise(v["text"]): (q, rows_given.get((gid, q))) for q, v in qualities.items()}
                 for gid, qualities in texts.items()}
        row_parts = {p.answer_id for p in parts}
        graded = sorted(r.student for r in table if r.assignment == name and r.state == "graded")
        leave = left_for_a_person(graded, name) if parts else set()
        summary.submissions_left += [f"{s}/{name}" for s in graded if s in leave]
        for student in graded:
            for path in sorted((course.autograded / student / name).glob("*.ipynb")):
                nb = json.loads(path.read_text(encoding="utf-8"))
                if student in leave:
                    summary.left += sum(len(p.rows) for p in parts)
                else:
                    plans += [_Plan(student, name, path.stem, p, _cell_text(nb, p.answer_id),
                                    known.get(p.answer_id, {})) for p in parts]
                for gid, qualities in texts.items():   # written answers with their own points (no rubric rows)
                    if gid in row_parts or (text := _cell_text(nb, gid)) is None:
                        continue
                    match = {normalise(v["text"]): (q, v["score"]) for q, v in qualities.items()}.get(normalise(text))
                    legacy.append((student, name, path.stem, gid, match))

    left_before = summary.left

    def _enter() -> None:  # may run again when SQLite is busy: counts start afresh each time
        from nbgrader.api import MissingEntry

        done: set[str] = set()
        summary.scored, summary.left = 0, left_before
        with course.open_gradebook() as gb:
            for plan in plans:
                student, name, notebook, part = plan.student, plan.assignment, plan.notebook, plan.part
                rows = {}
                for row in part.rows:
                    try:
                        rows[row.id] = (row, gb.find_grade(row.id, notebook, name, student))
                    except MissingEntry:  # this row is not in the gradebook (e.g. a set released before it)
                        continue
                if not rows:
                    continue
                nb = gb.find_submission_notebook(notebook, name, student)
                auto = [g for g in nb.grades if g.auto_score is not None and g.max_score > 0]
                share = sum(g.auto_score for g in auto) / sum(g.max_score for g in auto) if auto else 0.5
                scores, how = _row_scores(part, plan.text, plan.known, share, student, name)
                for row, grade in rows.values():
                    if grade.manual_score is not None:
                        continue  # a person (or an earlier run) scored it: never overwrite
                    score = scores[row.id]
                    grade.manual_score = score
                    grade.needs_manual_grade = False
                    gb.find_comment(row.id, notebook, name, student).manual_comment = (
                        f"{level_name(score, row.points)} ({score:g}/{row.points:g}): {row.descriptor(score)} "
                        f"[demo's simulated grader; scored as {how}]")
                    summary.scored += 1
                    done.add(f"{student}/{name}")
            for student, name, notebook, gid, match in legacy:
                grade = gb.find_grade(gid, notebook, name, student)
                if match is None or grade.max_score == 0:
                    if grade.needs_manual_grade:
                        summary.left += 1
                    continue
                quality, score = match
                grade.manual_score = float(score)
                grade.needs_manual_grade = False
                gb.find_comment(gid, notebook, name, student).manual_comment = (
                    f"Rubric: {score:g}/{grade.max_score:g} ({quality} answer; scored by the demo's simulated grader).")
                summary.scored += 1
            gb.db.commit()
        summary.submissions_scored = len(done)

    retry_db(_enter)
    return summary
