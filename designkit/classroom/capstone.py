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
from designkit.classroom.teams import TEAMS_NAME, Teams, is_team_assignment, read_teams

SETTINGS_NAME = "capstone.json"


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
def form_teams(course: Course, students: list[str], seed: int = 0, size: int = 4) -> Path:
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


@dataclass
class SimulatedCapstone:
    """What ``simulate_capstone`` changed in the simulated class."""

    free_riders: list[str] = field(default_factory=list)
    no_rating: list[str] = field(default_factory=list)
    no_submission: list[tuple[str, str]] = field(default_factory=list)  # (team, milestone)
    two_submitted: list[tuple[str, str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [f"free riders (rated low by their teammates): {', '.join(self.free_riders) or 'none'}",
                f"peer forms not submitted: {', '.join(self.no_rating) or 'none'}",
                *(f"no submission: team {t}, {a}" for t, a in self.no_submission),
                *(f"two members submitted different work: team {t}, {a}" for t, a in self.two_submitted)]


def simulate_capstone(course: Course, teams: Teams, seed: int = 0) -> SimulatedCapstone:
    """Make the simulated class behave like teams: for each team milestone one member's submission stays
    (the others are removed: they never submitted), except one team where two members submitted and one team
    that submitted nothing for M1; every member fills the peer form, except a few, with about one free rider
    in four teams (rated 1-2 by the others, rating themselves 5)."""
    import json
    import random
    import shutil

    from designkit.classroom.peer import CRITERIA, FORM_CELL, PEER_ASSIGNMENT

    rng = random.Random(seed * 7919 + 3)
    out = SimulatedCapstone()
    names = course.check_assignments(None)
    team_sets = [a for a in names if is_team_assignment(a)]
    team_names = list(teams.teams)
    for i, team in enumerate(team_names):
        members = teams.members(team)
        for a in team_sets:
            have = [m for m in members if (course.submitted / m / a).is_dir()]
            keep = have[:1]
            if i == 1 and len(have) >= 2:
                keep = have[:2]
                out.two_submitted.append((team, a))
            if i == 2 and a == team_sets[0]:
                keep = []
                out.no_submission.append((team, a))
            for m in have:
                if m not in keep:
                    shutil.rmtree(course.submitted / m / a)
    release = course.release / PEER_ASSIGNMENT / f"{PEER_ASSIGNMENT}.ipynb"
    if PEER_ASSIGNMENT not in names or not release.is_file():
        return out
    for i, team in enumerate(team_names):
        members = teams.members(team)
        rider = members[-1] if i % 4 == 0 and len(members) > 2 else None
        if rider:
            out.free_riders.append(rider)
        for rater in members:
            folder = course.submitted / rater / PEER_ASSIGNMENT
            if rater != rider and rng.random() < 0.1:
                if folder.exists():
                    shutil.rmtree(folder)
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
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{PEER_ASSIGNMENT}.ipynb").write_text(json.dumps(nb, indent=1) + "\n", encoding="utf-8")
            if not (folder / "timestamp.txt").exists():
                stamp = "2026-12-18 12:00:00.000000 UTC"
                (folder / "timestamp.txt").write_text(stamp, encoding="utf-8")
    return out
