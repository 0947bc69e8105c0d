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
