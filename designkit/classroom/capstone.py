"""The capstone's part of the pipeline, in one place: before grading (one submission per team), after grading
(the team's result to every member), and the peer-assessment factors in ``grades.csv``.

``teams.csv`` switches it on: without it, nothing here runs and the pipeline is unchanged.

>>> from designkit.classroom.course import Course
>>> enabled(Course.find()) in (True, False)
True
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from designkit.classroom.course import Course
from designkit.classroom.peer import PeerConfig, TeamPeer, assess
from designkit.classroom.teams import (  # noqa: F401 (settings and the mentor course are part of this module's face)
    MENTOR_SETS,
    SETTINGS_NAME,
    TEAMS_NAME,
    Teams,
    copy_scores,
    is_team_assignment,
    mentor_course,
    mentor_sets,
    read_teams,
    settings,
)


def peer_config(course: Course) -> PeerConfig:
    """The instructor's choice in ``capstone.json`` (``{"peer_weight": 0.5, "peer_cap": 0.3}``), else the
    defaults; a file that cannot be used is a ``CourseError`` naming it.

    >>> peer_config(Course.find()) == PeerConfig() or (Course.find().root / SETTINGS_NAME).is_file()
    True
    """
    import json

    from designkit.classroom.course import CourseError

    path = course.root / SETTINGS_NAME
    if not path.is_file():
        return PeerConfig()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return PeerConfig(float(data.get("peer_weight", 0.5)), float(data.get("peer_cap", 0.3)))
    except (ValueError, TypeError, AttributeError) as exc:
        raise CourseError(f"{path}: {exc}; write it as {{\"peer_weight\": 0.5, \"peer_cap\": 0.3}}") from exc


def enabled(course: Course) -> bool:
    """True when the course has a ``teams.csv``."""
    return (course.root / TEAMS_NAME).is_file()


@dataclass
class CapstoneMarks:
    """Per student: team, WebPA score and factor, the team's capstone mark and the individual one."""

    teams: Teams
    peers: list[TeamPeer]
    config: PeerConfig
    team_mark: dict[str, float | None] = field(default_factory=dict)
    max_mark: float = 0.0

    def peer_of(self, student: str) -> TeamPeer | None:
        return next((p for p in self.peers if student in p.members), None)

    def factor(self, student: str) -> float | None:
        p = self.peer_of(student)
        return p.factors[student] if p else None

    def individual(self, student: str) -> float | None:
        mark, factor = self.team_mark.get(student), self.factor(student)
        if mark is None or factor is None:
            return None
        return round(min(mark * factor, self.max_mark), 6)

    def table(self) -> list[str]:
        """Per team and per member: the team's capstone mark, each member's WebPA score, factor and individual
        mark (``pending`` while a milestone awaits a grader or a mentor).

        >>> from designkit.classroom.teams import parse_teams
        >>> t = parse_teams("team,member\\nred,s1\\nred,s2\\n", "teams.csv")
        >>> p = TeamPeer("red", ["s1", "s2"], {"s1": 1.2, "s2": 0.8}, {"s1": 1.1, "s2": 0.9})
        >>> m = CapstoneMarks(t, [p], PeerConfig(), {"s1": 20.0, "s2": 20.0}, 40.0)
        >>> print("\\n".join(m.table()))
        team  member  team mark  WebPA score  factor  individual
        red   s1           20.0         1.20    1.10        22.0
        red   s2           20.0         0.80    0.90        18.0
        """
        def num(x: float | None, fmt: str) -> str:
            return "pending" if x is None else format(x, fmt)

        width = max([len(t) for t in self.teams.teams] + [4]) + 2
        mwidth = max([len(m) for m in self.teams.students] + [6]) + 2
        out = [f"{'team':<{width}}{'member':<{mwidth}}{'team mark':>9}{'WebPA score':>13}{'factor':>8}"
               f"{'individual':>12}"]
        for p in self.peers:
            for m in p.members:
                out.append(f"{p.team:<{width}}{m:<{mwidth}}{num(self.team_mark.get(m), '.1f'):>9}"
                           f"{p.scores[m]:>13.2f}{p.factors[m]:>8.2f}{num(self.individual(m), '.1f'):>12}")
        return out


def capstone_marks(course: Course, results, config: PeerConfig | None = None) -> CapstoneMarks:
    """The team milestones' total per member (None while pending) and the peer factors."""
    teams = read_teams(course)
    config = config or peer_config(course)
    team_sets = [a for a in results.assignments if is_team_assignment(a)]
    marks = CapstoneMarks(teams, assess(course, teams, config), config,
                          max_mark=sum(results.max_scores[a] for a in team_sets))
    for student in results.students:
        scores = [results.sub(student, a).final_score for a in team_sets]
        marks.team_mark[student] = None if any(s is None for s in scores) else float(sum(scores))  # type: ignore
    return marks


def write_peer_report(course: Course, marks: CapstoneMarks, folder: Path | None = None) -> tuple[Path, Path]:
    """``reports/peer-factors.csv`` (team, member, WebPA score, factor, rated) and, apart,
    ``reports/peer-comments-INSTRUCTORS-ONLY.csv`` (the free-text comments). Both are for instructors."""
    folder = folder or course.root / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    factors, comments = folder / "peer-factors.csv", folder / "peer-comments-INSTRUCTORS-ONLY.csv"
    with factors.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["team", "member", "webpa_score", "factor", "rated", "team_flags"])
        for p in marks.peers:
            for m in p.members:
                w.writerow([p.team, m, f"{p.scores[m]:.3f}", f"{p.factors[m]:.3f}",
                            "no" if m in p.missing_raters else "yes", "; ".join(p.flags)])
    with comments.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["team", "rater", "comment"])
        for p in marks.peers:
            for rater, text in sorted(p.comments.items()):
                w.writerow([p.team, rater, text])
    return factors, comments


# --------------------------------------------------------------------------------------------------
# the simulated class (make demo)
# --------------------------------------------------------------------------------------------------
def form_teams(course: Course, students: list[str], seed: int = 0, size: int = 3) -> Path:
    """Write ``teams.csv`` for a simulated class: shuffled (same seed, same teams), teams of ``size`` (the
    last ones one smaller when the class does not divide).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     c = Course(Path(d))
    ...     text = form_teams(c, [f"s{i}" for i in range(7)], seed=1).read_text()
    >>> text.splitlines()[0], len(text.splitlines())
    ('team,member', 8)
    """
    import random

    order = list(students)
    random.Random(seed).shuffle(order)
    n_teams = max(1, -(-len(order) // size))
    path = course.root / TEAMS_NAME
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["team", "member"])
        for i, member in enumerate(order):
            w.writerow([f"team-{i % n_teams + 1:02d}", member])
    return path


def capstone_languages(teams: Teams, langs: dict[str, str]) -> dict[str, str]:
    """The language each member of a simulated class hands the capstone in: their own (``langs``), except that
    one team works in Chinese as a whole (``zh-CN`` for every member): the first team in ``teams.csv`` with a
    member who works in Chinese, leaving out the teams ``simulate_capstone`` uses for its flags (the second and
    the third), else the last team. Members working in Chinese in the other teams hand in in Chinese too, so
    a team can mix the languages.

    >>> from designkit.classroom.teams import parse_teams
    >>> t = parse_teams("team,member\\na,s1\\nb,s2\\nc,s3\\nd,s4\\nd,s5\\n", "teams.csv")
    >>> capstone_languages(t, {"s1": "en", "s2": "zh-CN", "s3": "en", "s4": "en", "s5": "zh-CN"})
    {'s1': 'en', 's2': 'zh-CN', 's3': 'en', 's4': 'zh-CN', 's5': 'zh-CN'}
    """
    names = list(teams.teams)
    eligible = [t for i, t in enumerate(names) if i not in (1, 2)] or names
    chinese = next((t for t in eligible if any(langs.get(m) == "zh-CN" for m in teams.members(t))), eligible[-1])
    return {m: "zh-CN" if t == chinese else langs.get(m, "en") for t, ms in teams.teams.items() for m in ms}


@dataclass
class SimulatedCapstone:
    """What ``simulate_capstone`` changed in the simulated class."""

    free_riders: list[str] = field(default_factory=list)
    no_rating: list[str] = field(default_factory=list)
    no_submission: list[tuple[str, str]] = field(default_factory=list)  # (team, milestone)
    two_submitted: list[tuple[str, str]] = field(default_factory=list)
    languages: dict[str, list[str]] = field(default_factory=dict)  # team -> the languages of its kept work

    def lines(self) -> list[str]:
        return [f"free riders (rated low by their teammates): {', '.join(self.free_riders) or 'none'}",
                f"peer forms not submitted: {', '.join(self.no_rating) or 'none'}",
                *(f"no submission: team {t}, {a}" for t, a in self.no_submission),
                *(f"two members submitted: team {t}, {a}" for t, a in self.two_submitted),
                "languages of the teams' milestones and peer forms: "
                + "; ".join(f"{t} {' & '.join(ls)}" for t, ls in self.languages.items())]


def simulate_capstone(course: Course, teams: Teams, seed: int = 0, langs: dict[str, str] | None = None
                      ) -> SimulatedCapstone:
    """Make the simulated class behave like teams: for each team milestone one member's submission stays, in the
    language it was handed in (the others are removed: they never submitted), except one team where two members
    submitted (in two languages when the team has both) and one team that submitted nothing for M1; every member
    fills the peer form in their language (``langs``: member -> ``en`` | ``zh-CN``, see ``capstone_languages``;
    English by default), except a few, with about one free rider in four teams (rated 1-2 by the others, rating
    themselves 5)."""
    import json
    import random
    import shutil

    from designkit.classroom.course import in_lang, lang_of
    from designkit.classroom.peer import CRITERIA, FORM_CELL, PEER_ASSIGNMENT
    from designkit.classroom.teams import team_sets as team_sets_of

    langs = langs or {}
    rng = random.Random(seed * 7919 + 3)
    out = SimulatedCapstone()
    names = course.check_assignments(None)
    team_sets = team_sets_of(course, names)
    team_names = list(teams.teams)
    kept_langs: dict[str, set[str]] = {t: set() for t in team_names}
    for i, team in enumerate(team_names):
        members = teams.members(team)
        for a in team_sets:
            have = [(m, v) for m in members for v in course.variants(a) if (course.submitted / m / v).is_dir()]
            keep = have[:1]
            if i == 1 and len(have) >= 2:
                keep = [have[0], next((h for h in have[1:] if lang_of(h[1]) != lang_of(have[0][1])), have[1])]
                out.two_submitted.append((team, a))
            if i == 2 and a == team_sets[0]:
                keep = []
                out.no_submission.append((team, a))
            for m, v in have:
                if (m, v) not in keep:
                    shutil.rmtree(course.submitted / m / v)
            kept_langs[team] |= {lang_of(v) for _m, v in keep}
    peer_variants = [v for v in course.variants(PEER_ASSIGNMENT) if v in names]
    if not peer_variants:
        out.languages = {t: sorted(ls) for t, ls in kept_langs.items()}
        return out
    for i, team in enumerate(team_names):
        members = teams.members(team)
        rider = members[-1] if i % 4 == 0 and len(members) > 2 else None
        if rider:
            out.free_riders.append(rider)
        for rater in members:
            variant = in_lang(PEER_ASSIGNMENT, langs.get(rater, "en"))
            variant = variant if variant in peer_variants else peer_variants[0]
            release = course.release / variant / f"{variant}.ipynb"
            stamp = "2026-12-18 12:00:00.000000 UTC"
            for v in peer_variants:  # what the simulated class wrote for the form: replaced by the ratings below
                folder = course.submitted / rater / v
                if (folder / "timestamp.txt").is_file():
                    stamp = (folder / "timestamp.txt").read_text(encoding="utf-8")
                if folder.exists():
                    shutil.rmtree(folder)
            if (rater != rider and rng.random() < 0.1) or not release.is_file():
                out.no_rating.append(rater)
                continue
            ratings = {}
            for m in members:
                if m == rider and rater != rider:
                    marks = {c: rng.randint(1, 2) for c in CRITERIA}
                elif rater == rider:
                    marks = {c: 5 if m == rider else rng.randint(3, 4) for c in CRITERIA}
                else:
                    marks = {c: rng.randint(3, 5) for c in CRITERIA}
                ratings[m] = marks
            comment = f"{rider} rarely took part." if rider and rater != rider and rider in ratings else ""
            nb = json.loads(release.read_text(encoding="utf-8"))
            for cell in nb["cells"]:
                if cell.get("id") == FORM_CELL:
                    cell["source"] = f"ratings = {ratings!r}\ncomment = {comment!r}\n"
            folder = course.submitted / rater / variant
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{variant}.ipynb").write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n",
                                                     encoding="utf-8")
            (folder / "timestamp.txt").write_text(stamp, encoding="utf-8")
            kept_langs[team].add(lang_of(variant))
    out.languages = {t: sorted(ls) for t, ls in kept_langs.items()}
    return out


# --------------------------------------------------------------------------------------------------
# mentors: M2 in its own nbgrader course, merged back at export
# --------------------------------------------------------------------------------------------------
MENTOR_CONFIG = '''"""nbgrader configuration of the capstone's mentor course (written by
`python -m designkit.classroom capstone init`): the main course's settings, its own course id, gradebook and
exchange. Mentors are graders of this course only: they see its milestone and nothing else of the class."""
import os

here = os.path.dirname(os.path.abspath(__file__))
c = get_config()  # noqa: F821
load_subconfig({main_config!r})  # noqa: F821
c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.root = here
c.CourseDirectory.db_url = os.environ.get("DESIGNKIT_MENTOR_DB_URL", "sqlite:///" + os.path.join(here, "gradebook.db"))
c.Exchange.root = os.environ.get("DESIGNKIT_MENTOR_EXCHANGE", os.path.join(here, "exchange"))
c.IncludeHeaderFooter.header = "source/header.ipynb"
'''


def _save_settings(course: Course, data: dict) -> None:
    import json

    (course.root / SETTINGS_NAME).write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def init_mentor_course(course: Course, target: Path, sets: tuple[str, ...] = MENTOR_SETS) -> Course:
    """Create the mentor course in ``target`` (its own nbgrader_config.py, source/header.ipynb and the mentor
    milestones with their rubrics, in every language the main course has: ``<set>`` and ``<set>-zh`` with
    ``source/header-zh.ipynb``, so a team's M2 is reviewed in the language it was submitted in) and record it in the
    main course's ``capstone.json``. Idempotent."""
    import shutil

    from designkit.classroom.course import HEADERS, CourseError, set_of

    target = Path(target).expanduser().resolve()
    if target == course.root:
        raise CourseError(f"{target}: the mentor course needs its own folder, not the main course's")
    for name in sets:
        if not (course.source / name).is_dir():
            raise CourseError(f"{course.source / name} not found: the mentor course is built from it")
    (target / "source").mkdir(parents=True, exist_ok=True)
    main_id = course.course_id()
    (target / "nbgrader_config.py").write_text(
        MENTOR_CONFIG.format(main_config=str(course.config_file), course_id=f"{main_id}-mentors"), encoding="utf-8")
    for header in HEADERS.values():
        if (course.root / header).is_file():
            shutil.copy(course.root / header, target / header)
    sets = tuple(dict.fromkeys(set_of(name) for name in sets))
    for name in [v for s in sets for v in course.variants(s)] or list(sets):
        if (target / "source" / name).exists():
            shutil.rmtree(target / "source" / name)
        shutil.copytree(course.source / name, target / "source" / name)
    data = settings(course)
    data.update({"mentor_course": str(target), "mentor_sets": list(sets)})
    _save_settings(course, data)
    return Course.find(target)


def sync_to_mentors(course: Course, teams: Teams) -> list[str]:
    """Copy each team's counting submission of the mentor milestones into the mentor course's ``submitted/``
    (under the submitting member's id, as the assignment the team submitted: ``<set>`` or ``<set>-zh``), so
    mentors grade each team once, in the team's language. A copy of the same member in the other language (the
    team's earlier counting submission) is removed there. Returns what was copied."""
    import shutil

    from designkit.classroom.course import CourseError, set_of
    from designkit.classroom.teams import resolve

    found = mentor_course(course)
    if found is None:
        return []
    mentors, sets = found
    copied = []
    for problem_set in dict.fromkeys(set_of(a) for a in sets):
        for ts in resolve(course, teams, problem_set):
            if ts.counting is None or ts.counting.folder.parent.parent != course.submitted:
                continue
            a = ts.counting.assignment
            if not (mentors.source / a).is_dir():
                raise CourseError(f"{mentors.source / a} not found: team {ts.team} submitted {a}, which the mentor "
                                  f"course {mentors.root} does not have; run `capstone init --target "
                                  f"{mentors.root}` again (it adds every language of the mentor milestones)")
            for other in sets:
                stale = mentors.submitted / ts.counting.member / other
                if other != a and set_of(other) == problem_set and stale.exists():
                    shutil.rmtree(stale)
            target = mentors.submitted / ts.counting.member / a
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(ts.counting.folder, target)
            copied.append(f"team {ts.team}: {ts.counting.member}/{a}")
    return copied


def import_mentor_grades(course: Course) -> list[str]:
    """Copy the mentors' scores and comments (auto and manual) of the mentor milestones from the mentor
    course's gradebook into the main course's, through nbgrader's Gradebook API; ``teams.propagate`` then gives
    them to every member. Returns what was imported."""
    from nbgrader.api import MissingEntry

    found = mentor_course(course)
    if found is None:
        return []
    mentors, sets = found
    done = []
    with mentors.open_gradebook() as src_gb, course.open_gradebook() as gb:
        for a in sets:
            try:
                src_assignment = src_gb.find_assignment(a)
                gb.find_assignment(a)
            except MissingEntry:
                continue
            for src in src_assignment.submissions:
                student = src.student.id
                copy_scores(gb, src, a, student)
                done.append(f"{student}/{a}")
    return done


def mentor_lines(course: Course) -> list[str]:
    """For status and the report: where each mentor milestone is scored and how far the mentors are, from the
    mentor course's gradebook ([] without a mentor course)."""
    from nbgrader.api import MissingEntry

    found = mentor_course(course)
    if found is None:
        return []
    mentors, sets = found
    lines = []
    with mentors.open_gradebook() as gb:
        for a in sets:
            try:
                subs = list(gb.find_assignment(a).submissions)
            except MissingEntry:
                subs = []
            waiting = sum(bool(s.needs_manual_grade) for s in subs)
            lines.append(f"{a}: scored by mentors in the mentor course {mentors.course_id()} ({mentors.root}), not "
                         f"by this course's graders; {len(subs)} team submission(s) there, {waiting} still waiting "
                         "for a mentor; export takes the mentors' scores")
    return lines


@dataclass
class MentorReview:
    """What ``simulate_mentor_review`` did in the demo's mentor course."""

    mentors: Course
    synced: list[str] = field(default_factory=list)
    graded: int = 0
    scored: int = 0
    left: int = 0
    imported: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [f"mentor course {self.mentors.course_id()} in {self.mentors.root} (capstone.json): "
                f"{len(self.synced)} team submission(s) of {', '.join(MENTOR_SETS)} copied there, autograded "
                f"{self.graded}",
                f"the simulated mentors scored {self.scored} rubric rows; left for a mentor: {self.left}",
                f"imported into this course's gradebook: {len(self.imported)} (the team's members get them when "
                "the result is propagated)"]


def simulate_mentor_review(course: Course, teams: Teams, jobs: int | None = None, use_sandbox: bool = True,
                           progress: bool = False) -> MentorReview | None:
    """The demo's mentor review: the mentor course (``demo/mentor-course/``, created and recorded in
    ``capstone.json`` unless one is recorded already), each team's counting M2 copied there, autograded there,
    its rubric rows scored by a simulated mentor (the same simulated grader as the main course's, in the mentor
    course), and the scores imported into the main course's gradebook. None when the course has no M2."""
    from designkit.classroom.assignments import generate
    from designkit.classroom.grading import grade
    from designkit.classroom.manual import grade_written

    if not all((course.source / a).is_dir() for a in MENTOR_SETS):
        return None
    recorded = settings(course).get("mentor_course")
    if recorded and (Path(recorded) / "nbgrader_config.py").is_file():
        mentors = Course.find(recorded)
        if not all((mentors.source / a).is_dir() for a in mentor_sets(course)):  # made before M2 had a Chinese version
            mentors = init_mentor_course(course, mentors.root, tuple(settings(course).get("mentor_sets", MENTOR_SETS)))
    else:  # none recorded, or the demo's earlier one was cleaned away
        mentors = init_mentor_course(course, course.root / "demo" / "mentor-course")
    sets = mentor_sets(course)
    generate(mentors, sets, progress=False)
    review = MentorReview(mentors, synced=sync_to_mentors(course, teams))
    review.graded = grade(mentors, sets, jobs=jobs, use_sandbox=use_sandbox, progress=progress).graded
    written = grade_written(mentors, sets)
    review.scored, review.left = written.scored, written.left
    review.imported = import_mentor_grades(course)
    return review
