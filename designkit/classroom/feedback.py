"""Feedback: ``nbgrader generate_feedback`` for every graded submission (in parallel workers), then
``release_feedback`` to the exchange when there is one, so students fetch it from the Assignments tab.
nbgrader files released feedback under a hash of the submission's ``submission_secret.txt``, which only
submissions made through the exchange have; the others (a simulated class, an LMS import) keep their
feedback in ``feedback/`` only, and the summary says how many.

The HTML files land in ``feedback/<student>/<set>/<notebook>.html`` (nbgrader's layout). Each page is in the
language of its submission (``metadata.designkit.lang`` of the submitted notebook, as when it was graded): the
kit's template (``templates/feedback/parts.html.j2``) translates its own words (:data:`PAGE_WORDS`), and the
check messages in the outputs are already in that language, since the grading kernel ran with its ``COURSE_LANG``.

>>> FeedbackSummary(generated=2).lines()[0]
'generated feedback for 2 submission(s) in feedback/<student>/<set>/'
"""
from __future__ import annotations

from dataclasses import dataclass, field

from designkit.classroom.course import Course
from designkit.i18n import N_, _

# The feedback page's own words: templates/feedback/parts.html.j2 passes each to dk_t() (designkit.i18n._ as the
# Jinja filter designkit_t); listed here so that Babel extracts them into classroom.po.
PAGE_WORDS = (N_("(Score: {got} / {of})"), N_("Before you read your scores"), N_("Test cell"),
              N_("Coding free-response"), N_("Written response"), N_("Task"), N_("Comment"),
              N_("Late submission penalty (Score: -{penalty})"))


@dataclass
class FeedbackSummary:
    """What ``feedback`` did."""

    generated: int = 0
    released: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    exchange: bool = False
    not_via_exchange: int = 0

    def lines(self) -> list[str]:
        out = [_("generated feedback for {n} submission(s) in feedback/<student>/<set>/", n=self.generated)]
        if not self.exchange:
            out.append(_("no exchange: feedback not released (run `release` first to use one)"))
        else:
            out.append(_("released {n} to the exchange (students fetch it in the Assignments tab)",
                         n=len(self.released)))
            if self.not_via_exchange:
                out.append(_("{n} submission(s) did not come through the exchange (no submission_secret.txt, e.g. "
                             "the simulated class): their feedback stays in feedback/", n=self.not_via_exchange))
        out += [_("  problem: {problem}", problem=p) for p in self.problems]
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
