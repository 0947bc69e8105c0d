"""A simulated grader: rubric scores for the simulated class's written answers, through the Gradebook API.

Real graders use the Formgrader. For the demo, this grader reads each written answer in ``autograded/``,
recognises the simulated texts of ``designkit/classroom/answers/<set>.yml`` (strong, adequate, weak) and
enters the score the part's rubric gives that text, with a one-line comment, exactly as the Formgrader
would (``Grade.manual_score``, ``Comment.manual_comment``). Any other text is left for a person.

>>> normalise("  Two\\n words ")
'two words'
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from designkit.classroom.course import Course
from designkit.classroom.status import StatusTable


def normalise(text: str) -> str:
    return " ".join(text.split()).lower()


@dataclass
class ManualSummary:
    """How many written answers the simulated grader scored, and how many it left for a person."""

    scored: int = 0
    left: int = 0


def grade_written(course: Course, names: list[str] | None = None) -> ManualSummary:
    """Enter rubric scores for recognised written answers of every graded submission.

    >>> grade_written.__name__
    'grade_written'
    """
    from designkit.classroom.grading import _retry_db
    from designkit.classroom.simulate import written_answers

    names = course.check_assignments(names)
    table = StatusTable(course.status_file)
    summary = ManualSummary()
    lookup = {}
    for name in names:
        answers = written_answers(course, name)
        lookup[name] = {gid: {normalise(v["text"]): (q, v["score"]) for q, v in qualities.items()}
                        for gid, qualities in answers.items()}
    todo = []
    for row in table:
        if row.state != "graded" or row.assignment not in names or not lookup[row.assignment]:
            continue
        for path in sorted((course.autograded / row.student / row.assignment).glob("*.ipynb")):
            nb = json.loads(path.read_text(encoding="utf-8"))
            for cell in nb["cells"]:
                gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
                if gid in lookup[row.assignment]:
                    text = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
                    todo.append((row.student, row.assignment, path.stem, gid,
                                 lookup[row.assignment][gid].get(normalise(text))))

    def _enter() -> None:
        with course.open_gradebook() as gb:
            for student, assignment, notebook, gid, match in todo:
                grade = gb.find_grade(gid, notebook, assignment, student)
                if match is None:
                    if grade.needs_manual_grade:
                        summary.left += 1
                    continue
                quality, score = match
                grade.manual_score = float(score)
                grade.needs_manual_grade = False
                comment = gb.find_comment(gid, notebook, assignment, student)
                comment.manual_comment = (f"Rubric: {score:g}/{grade.max_score:g} ({quality} answer; "
                                          "scored by the demo's simulated grader).")
                summary.scored += 1
            gb.db.commit()

    _retry_db(_enter)
    return summary
