"""Feedback: ``nbgrader generate_feedback`` for every graded submission (in parallel workers), then
``release_feedback`` to the exchange when there is one, so students fetch it from the Assignments tab.
nbgrader files released feedback under a hash of the submission's ``submission_secret.txt``, which only
submissions made through the exchange have; the others (a simulated class, an LMS import) keep their
feedback in ``feedback/`` only, and the summary says how many.

The HTML files land in ``feedback/<student>/<set>/<notebook>.html`` (nbgrader's layout).

>>> FeedbackSummary(generated=2).lines()[0]
'generated feedback for 2 submission(s) in feedback/<student>/<set>/'
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
    exchange: bool = False
    not_via_exchange: int = 0

    def lines(self) -> list[str]:
        out = [f"generated feedback for {self.generated} submission(s) in feedback/<student>/<set>/"]
        if not self.exchange:
            out.append("no exchange: feedback not released (run `release` first to use one)")
        else:
            out.append(f"released {len(self.released)} to the exchange (students fetch it in the Assignments tab)")
            if self.not_via_exchange:
                out.append(f"{self.not_via_exchange} submission(s) did not come through the exchange (no "
                           "submission_secret.txt, e.g. the simulated class): their feedback stays in feedback/")
        out += [f"  problem: {p}" for p in self.problems]
        return out


def feedback(course: Course, names: list[str] | None = None, jobs: int | None = None,
             progress: bool = True, wait: float = 0.0, max_stored: int | None = None) -> FeedbackSummary:
    """Generate feedback for every graded submission and release it if an exchange exists, holding the
    course's grading lock (``wait``: seconds to queue behind another grader). ``max_stored``: bytes kept per
    student in ``autograded/`` + ``feedback/`` (what is left out is named at the top of the feedback).
    """
    with course.lock(wait, "feedback"):
        return _feedback(course, names, jobs, progress, max_stored)


def _feedback(course: Course, names: list[str] | None, jobs: int | None, progress: bool,
              max_stored: int | None) -> FeedbackSummary:
    from designkit.classroom.grading import DEFAULT_MAX_STORED, generate_feedback

    names = course.check_assignments(names)
    summary = FeedbackSummary()
    summary.generated, summary.problems = generate_feedback(
        course, names, jobs=jobs, progress=progress,
        max_stored=DEFAULT_MAX_STORED if max_stored is None else max_stored)
    from designkit.classroom import capstone

    if capstone.enabled(course):  # each member's M3 feedback carries their own team's ids (the peer form's rows)
        from designkit.classroom.peer import LANG_VARIANTS, ROSTER_AFTER, add_rosters
        from designkit.classroom.teams import read_teams

        for m3 in [f"{ROSTER_AFTER}{suffix}" for suffix in LANG_VARIANTS if f"{ROSTER_AFTER}{suffix}" in names]:
            add_rosters(course, read_teams(course, check=False), m3)
    summary.exchange = (course.exchange_root() / course.course_id()).is_dir()
    if summary.exchange and course.feedback.is_dir():
        api = course.api()
        for name in names:
            for folder in sorted(course.feedback.glob(f"*/{name}")):
                student = folder.parent.name
                if not (folder / "submission_secret.txt").exists():
                    summary.not_via_exchange += 1
                    continue
                result = api.release_feedback(name, student)
                if result.get("success"):
                    summary.released.append(f"{student}/{name}")
                else:
                    summary.problems.append(f"release_feedback {student}/{name}: "
                                            f"{(result.get('error') or '').strip().splitlines()[-1:]}")
    return summary
