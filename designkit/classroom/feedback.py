"""Feedback: ``nbgrader generate_feedback`` for every graded submission (in parallel workers), then
``release_feedback`` to the exchange when there is one, so students fetch it from the Assignments tab.

The HTML files land in ``feedback/<student>/<set>/<notebook>.html`` (nbgrader's layout).

>>> FeedbackSummary(generated=2).lines()[0]
'generated feedback for 2 submission(s) in feedback/'
"""
from __future__ import annotations

from dataclasses import dataclass, field

from designkit.classroom.course import Course


@dataclass
class FeedbackSummary:
    """What ``feedback`` did."""

    generated: int = 0
    released: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"generated feedback for {self.generated} submission(s) in feedback/"]
        if self.released:
            out.append(f"released feedback to the exchange for {', '.join(self.released)}")
        else:
            out.append("no exchange: feedback not released (run `release` first to use one)")
        out += [f"  problem: {p}" for p in self.problems]
        return out


def feedback(course: Course, names: list[str] | None = None, jobs: int | None = None,
             progress: bool = True) -> FeedbackSummary:
    """Generate feedback for every graded submission and release it if an exchange exists.

    >>> feedback.__name__
    'feedback'
    """
    from designkit.classroom.grading import generate_feedback

    names = course.check_assignments(names)
    summary = FeedbackSummary()
    summary.generated, summary.problems = generate_feedback(course, names, jobs=jobs, progress=progress)
    if (course.exchange_root() / course.course_id()).is_dir():
        api = course.api()
        for name in names:
            if not (course.feedback.is_dir() and any(course.feedback.glob(f"*/{name}"))):
                continue
            result = api.release_feedback(name)
            if result.get("success"):
                summary.released.append(name)
            else:
                summary.problems.append(f"release_feedback {name}: "
                                        f"{(result.get('error') or '').strip().splitlines()[-1:]}")
    return summary
