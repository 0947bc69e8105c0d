"""Teams for the capstone: ``teams.csv``, one submission per team, one grade for every member.

``teams.csv`` in the course folder (student data: git-ignored) has a header ``team,member`` and one row per
member. The capstone milestones (``capstone-m*``) are team work:

- **submitted once**: any member submits, in either language (a milestone is a *set*: ``capstone-m1-...`` and
  its Chinese version ``capstone-m1-...-zh`` are one milestone, ``course.set_of``); when several members submit,
  RULE decides which one counts, whatever the languages (the others are kept, moved to
  ``backups/team-superseded/<assignment>/`` so that a person grades the team's work once);
- **graded once**: the counting submission is graded like any other;
- **reaching every member**: ``propagate`` copies the team's scores and comments in the gradebook (nbgrader's
  ``Gradebook`` API), the graded and feedback folders and the status row to every other member, under the
  assignment the team submitted (the language of the counting submission, so its feedback reads in that
  language); ``grades.csv`` and the report merge a set's languages (``results.read_results``), so each member
  has one capstone mark.

Bad input is a ``TeamsError`` naming the file and the row (a member in two teams, an unknown student, an empty
field); a team with no submission and members who submitted different work are *flags* (nothing is lost: the
rule decides, the report lists them).

>>> teams = parse_teams("team,member\\nred,s1\\nred,s2\\nblue,s3\\n", "teams.csv")
>>> teams.members("red"), teams.team_of("s3")
(['s1', 's2'], 'blue')
"""
from __future__ import annotations

import csv
import io
import shutil
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from designkit.classroom.course import Course, CourseError, lang_of, set_of
from designkit.i18n import N_, _

TEAMS_NAME = "teams.csv"
TEAM_PREFIX = "capstone-m"  # the team milestones; the peer assessment (capstone-peer) is individual
SUPERSEDED = "team-superseded"
SETTINGS_NAME = "capstone.json"  # the instructor's capstone settings: peer weight and cap, the mentor course
MENTOR_SETS = ("capstone-m2-mentor-review",)  # the milestones mentors score, in the mentor course
RULE = N_("Team rule: a team's work is submitted once, by any member, in English or in Chinese (both are the same "
          "milestone); when several members submit, the latest submission in either language (by its "
          "timestamp.txt) counts, ties going to the first member in teams.csv. The other submissions are kept in "
          "backups/team-superseded/ and listed in the report.")


class TeamsError(CourseError):
    """``teams.csv`` cannot be used as it is; the message names the file, the row and the fix."""


def is_team_assignment(name: str) -> bool:
    """True for the capstone milestones graded once per team.

    >>> is_team_assignment("capstone-m2-mentor-review-zh"), is_team_assignment("capstone-peer")
    (True, False)
    """
    return name.startswith(TEAM_PREFIX)


def rule() -> str:
    """RULE in the current language (``designkit.i18n.lang``).

    >>> "latest" in rule() or "最新" in rule()
    True
    """
    return _(RULE)


def team_sets(course: Course, names: list[str] | None = None) -> list[str]:
    """The team milestones among ``names`` (default all), one per set whatever its languages, in course order.

    >>> team_sets(Course.find(), ["capstone-m1-charter-and-plan-zh", "capstone-m1-charter-and-plan", "ps0-warm-up"])
    ['capstone-m1-charter-and-plan']
    """
    out: list[str] = []
    for name in course.check_assignments(names):
        if is_team_assignment(name) and set_of(name) not in out:
            out.append(set_of(name))
    return out


@dataclass
class Teams:
    """Who is in which team (in the order of ``teams.csv``), and the row each member came from."""

    path: Path
    teams: dict[str, list[str]] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)  # member -> row number in the file (header = row 1)

    def members(self, team: str) -> list[str]:
        return list(self.teams[team])

    def team_of(self, member: str) -> str | None:
        return next((t for t, ms in self.teams.items() if member in ms), None)

    def teammates(self, member: str) -> list[str]:
        """The member's team including the member (empty when the member is in no team)."""
        team = self.team_of(member)
        return self.members(team) if team else []

    @property
    def students(self) -> list[str]:
        return [m for ms in self.teams.values() for m in ms]

    def where(self, team: str) -> str:
        """``teams.csv rows 2-4`` for messages."""
        rows = sorted(self.rows[m] for m in self.teams[team])
        span = f"row {rows[0]}" if len(rows) == 1 else f"rows {', '.join(map(str, rows))}"
        return f"{self.path.name} {span}"

    def check_students(self, known: list[str] | set[str]) -> None:
        """Raise ``TeamsError`` for a member who is not a student of the course.

        >>> parse_teams("team,member\\nred,s9\\n", "teams.csv").check_students({"s1"})
        Traceback (most recent call last):
        ...
        designkit.classroom.teams.TeamsError: teams.csv row 2: 's9' is not a student of this course (not in the gradebook or submitted/): correct the id or remove the row
        """
        known = set(known)
        for member in self.students:
            if member not in known:
                raise TeamsError(
                    f"{self.path} row {self.rows[member]}: {member!r} is not a student of this course (not in "
                    "the gradebook or submitted/): correct the id or remove the row")


def parse_teams(text: str, path: str | Path) -> Teams:
    """``teams.csv`` text -> ``Teams``; ``TeamsError`` names the file and row of the first problem.

    >>> parse_teams("team,member\\nred,s1\\nblue,s1\\n", "teams.csv")
    Traceback (most recent call last):
    ...
    designkit.classroom.teams.TeamsError: teams.csv row 3: 's1' is already in team 'red' (row 2); a student is in one team only: remove one of the rows
    """
    path = Path(path)
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or [h.strip().lower() for h in header[:2]] != ["team", "member"]:
        raise TeamsError(f"{path} row 1: the header must be 'team,member' (found {header!r}); add it as the "
                         "first line")
    teams = Teams(path)
    for number, row in enumerate(reader, start=2):
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) < 2 or not row[0].strip() or not row[1].strip():
            raise TeamsError(f"{path} row {number}: a row needs a team and a member (found {row!r}); fill in both "
                             "or delete the row")
        team, member = row[0].strip(), row[1].strip()
        if member in teams.rows:
            first = teams.team_of(member)
            raise TeamsError(f"{path} row {number}: {member!r} is already in team {first!r} (row "
                             f"{teams.rows[member]}); a student is in one team only: remove one of the rows")
        teams.teams.setdefault(team, []).append(member)
        teams.rows[member] = number
    if not teams.teams:
        raise TeamsError(f"{path}: no teams in it; add one 'team,member' row per student")
    return teams


def read_teams(course: Course, path: Path | None = None, check: bool = True) -> Teams:
    """The course's ``teams.csv`` (or ``path``), checked against the course's students when ``check``."""
    path = Path(path) if path else course.root / TEAMS_NAME
    if not path.is_file():
        raise TeamsError(f"{path} not found: write it with a 'team,member' header and one row per student "
                         "(it holds student data: keep it out of git)")
    teams = parse_teams(path.read_text(encoding="utf-8"), path)
    if check:
        from designkit.classroom.grading import roster

        teams.check_students(roster(course))
    return teams


def _timestamp(folder: Path) -> datetime | None:
    from nbgrader.utils import parse_utc

    stamp = folder / "timestamp.txt"
    if not stamp.is_file():
        return None
    try:
        return parse_utc(stamp.read_text(encoding="utf-8").strip())
    except (ValueError, OverflowError):
        return None


@dataclass
class Candidate:
    member: str
    folder: Path
    timestamp: datetime | None
    fingerprint: str
    assignment: str = ""  # the nbgrader assignment it was submitted as (``<set>`` or ``<set>-zh``)

    @property
    def lang(self) -> str:
        return lang_of(self.assignment)


@dataclass
class TeamSubmission:
    """What a team submitted for one milestone (a set, in either language) and which submission counts."""

    team: str
    assignment: str  # the set (language-free); ``counting.assignment`` is the language it was submitted in
    members: list[str]
    where: str
    counting: Candidate | None = None
    others: list[Candidate] = field(default_factory=list)

    @property
    def differing(self) -> bool:
        """Members submitted different work (the rule decided; the report flags it)."""
        return self.counting is not None and any(c.fingerprint != self.counting.fingerprint for c in self.others)

    def flags(self) -> list[str]:
        if self.counting is None:
            return [f"team {self.team} ({self.where}): no member submitted {self.assignment}"]
        if self.differing:
            differ = sorted({f"{c.member} ({c.lang})" for c in self.others
                             if c.fingerprint != self.counting.fingerprint})
            return [f"team {self.team}: {', '.join(differ)} also submitted different work for {self.assignment}; "
                    f"{self.counting.member}'s ({self.counting.lang}, the latest) counts, the others are kept in "
                    "backups/team-superseded/"]
        return []


def _superseded(course: Course, assignment: str, member: str) -> Path:
    return course.backups / SUPERSEDED / assignment / member


def _variants(course: Course, problem_set: str) -> list[str]:
    """The set's nbgrader assignments (English first), the set itself when the course does not list it."""
    return course.variants(problem_set) or [problem_set]


def _candidates(course: Course, members: list[str], problem_set: str) -> list[Candidate]:
    """Every submission of the set by the members, in any language, live or set aside. Fingerprints compare the
    answers, not the language: the same work handed in as ``<set>`` and ``<set>-zh`` has the same code and
    answers but a different notebook (translated text), so a fingerprint is taken of the answer cells only.
    Other files in the folder are not compared."""
    found = []
    for member in members:
        for a in _variants(course, problem_set):
            for folder in (course.submitted / member / a, _superseded(course, a, member)):
                if folder.is_dir():
                    found.append(Candidate(member, folder, _timestamp(folder), _answers_fingerprint(folder), a))
    return found


def _answers_fingerprint(folder: Path) -> str:
    """A hash of the answer cells (nbgrader ``solution`` cells: id and source) of the folder's notebooks, so the
    same work in either language has the same fingerprint; a notebook that is not valid JSON is hashed whole.

    >>> import tempfile, json
    >>> with tempfile.TemporaryDirectory() as d:
    ...     cell = {"id": "a", "source": "x = 1", "metadata": {"nbgrader": {"solution": True}}}
    ...     _ = (Path(d) / "n.ipynb").write_text(json.dumps({"cells": [cell, {"id": "t", "source": "text"}]}))
    ...     first = _answers_fingerprint(Path(d))
    ...     _ = (Path(d) / "n.ipynb").write_text(json.dumps({"cells": [cell, {"id": "t", "source": "文本"}]}))
    ...     first == _answers_fingerprint(Path(d))
    True
    """
    import hashlib
    import json

    h = hashlib.sha256()
    for nb in sorted(folder.glob("*.ipynb")):
        if nb.is_symlink() or not nb.is_file():  # links and special files are never opened (status.fingerprint)
            continue
        raw = nb.read_bytes()
        try:
            cells = json.loads(raw).get("cells", [])
            answers = [(c.get("id"), "".join(c["source"]) if isinstance(c.get("source"), list) else c.get("source"))
                       for c in cells if c.get("metadata", {}).get("nbgrader", {}).get("solution")]
        except (ValueError, AttributeError):
            answers = []
        if answers:
            h.update(json.dumps([nb.stem.removesuffix("-zh"), answers], ensure_ascii=False).encode())
        else:  # not a notebook, or no answer cells: the file itself
            h.update(raw)
    return h.hexdigest()


def resolve(course: Course, teams: Teams, assignment: str) -> list[TeamSubmission]:
    """Which submission counts for each team (RULE) for the milestone ``assignment`` (a set, or either of its
    languages: the same milestone); nothing is moved.

    The latest timestamp wins, whatever the language; a submission without a readable timestamp loses to any with
    one; ties go to the first member in ``teams.csv``, then to the live submission."""
    problem_set = set_of(assignment)
    out = []
    for team, members in teams.teams.items():
        ts = TeamSubmission(team, problem_set, list(members), teams.where(team))
        cands = _candidates(course, members, problem_set)
        if cands:
            order = {m: i for i, m in enumerate(members)}
            cands.sort(key=lambda c, order=order: (
                c.timestamp.replace(tzinfo=None) if c.timestamp else datetime.min, -order[c.member],
                c.folder.parent.parent == course.submitted), reverse=True)
            ts.counting, ts.others = cands[0], cands[1:]
        out.append(ts)
    return out


def prepare(course: Course, teams: Teams, assignments: list[str]) -> list[TeamSubmission]:
    """Before grading: for each team milestone (one per set: ``assignments`` may name either language) keep only
    the counting submission in ``submitted/`` (in the language it was submitted in); the others, in either
    language, move to ``backups/team-superseded/<assignment>/<member>/`` (kept, never deleted). Idempotent:
    running it again moves nothing, and a later submission by another member, in either language, takes over (the
    older one is set aside)."""
    results = []
    for problem_set in dict.fromkeys(set_of(a) for a in assignments if is_team_assignment(a)):
        for ts in resolve(course, teams, problem_set):
            if ts.counting is not None:
                a = ts.counting.assignment
                live = course.submitted / ts.counting.member / a
                if ts.counting.folder != live:  # the counting one was set aside earlier: bring it back
                    if live.exists():
                        _set_aside(course, a, ts.counting.member, live)
                    live.parent.mkdir(parents=True, exist_ok=True)
                    shutil.move(str(ts.counting.folder), live)
                    ts.counting.folder = live
                for other in ts.others:
                    if other.folder.parent.parent == course.submitted:
                        other.folder = _set_aside(course, other.assignment, other.member, other.folder)
            results.append(ts)
    return results


def _set_aside(course: Course, assignment: str, member: str, folder: Path) -> Path:
    target = _superseded(course, assignment, member)
    if target.exists():  # an older set-aside copy of the same member: keep it under its own name
        stamp = _timestamp(target)
        keep = target.with_name(f"{member}-{stamp:%Y%m%dT%H%M%S}" if stamp else f"{member}-older")
        n = 1
        while keep.exists():
            keep = keep.with_name(f"{keep.name}-{n}")
            n += 1
        shutil.move(str(target), keep)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(folder), target)
    return target


@dataclass
class Propagation:
    """What ``propagate`` did."""

    copied: list[tuple[str, str, str]] = field(default_factory=list)  # (assignment, from member, to member)
    waiting: list[str] = field(default_factory=list)  # teams whose work is not graded yet
    flags: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [rule(), f"team results copied to {len(self.copied)} member submission(s)"]
        out += [f"  waiting: {w}" for w in self.waiting]
        out += [f"  flag: {f}" for f in self.flags]
        return out


def propagate(course: Course, teams: Teams, assignments: list[str] | None = None) -> Propagation:
    """After grading (and after people scored the written parts): give every member the team's result.

    Copies, for each team milestone (a set: one per team whatever the languages), the counting member's gradebook
    grades and comments (auto and manual scores, extra credit) to every other member's submission of the same
    nbgrader assignment -- the language the team submitted in -- (created through the Gradebook API when
    missing, with the counting submission's timestamp, so it is the member's latest of the set and
    ``read_results`` counts it), and the team's ``autograded/`` and ``feedback/`` folders and status row.
    Idempotent: running it again rewrites the same values."""
    from nbgrader.api import MissingEntry

    from designkit.classroom.status import StatusTable

    names = team_sets(course, assignments)
    summary = Propagation()
    table = StatusTable(course.status_file)
    with course.open_gradebook() as gb:
        in_db = {a.name for a in gb.assignments}
        for problem_set in names:
            for ts in resolve(course, teams, problem_set):
                summary.flags += ts.flags()
                a = ts.counting.assignment if ts.counting is not None else problem_set
                if ts.counting is None or a not in in_db:
                    continue
                source = ts.counting.member
                try:
                    src = gb.find_submission(a, source)
                except MissingEntry:
                    summary.waiting.append(f"team {ts.team}: {a} from {source} is not graded yet")
                    continue
                for member in ts.members:
                    if member == source:
                        continue
                    copy_scores(gb, src, a, member)
                    for base in (course.autograded, course.feedback):
                        if (base / source / a).is_dir():
                            target = base / member / a
                            if target.exists():
                                shutil.rmtree(target)
                            shutil.copytree(base / source / a, target)
                    row = table.get(source, a)
                    if row is not None:
                        table.put(replace(row, student=member), save=False)
                    summary.copied.append((a, source, member))
    table.save()
    return summary


# ----- capstone.json: the mentor course (here so that the simulated grader can ask without an import cycle)
def copy_scores(gb, src, assignment: str, student: str) -> None:
    """Give ``student`` the scores and comments of the graded submission ``src`` of ``assignment`` in the
    gradebook ``gb`` (an ``nbgrader.api.Gradebook``; ``src`` may come from another course's gradebook): their
    submission is created when missing, with ``src``'s timestamp, and committed. Team propagation and the mentor
    course's import both write marks this way."""
    from nbgrader.api import MissingEntry

    gb.update_or_create_student(student)
    try:
        gb.find_submission(assignment, student)
    except MissingEntry:
        with gb.db.no_autoflush:  # nbgrader builds the submission's rows before adding them
            gb.add_submission(assignment, student, timestamp=src.timestamp)
    for snb in src.notebooks:
        for g in snb.grades:
            dg = gb.find_grade(g.name, snb.name, assignment, student)
            dg.auto_score, dg.manual_score = g.auto_score, g.manual_score
            dg.extra_credit, dg.needs_manual_grade = g.extra_credit, g.needs_manual_grade
        for c in snb.comments:
            dc = gb.find_comment(c.name, snb.name, assignment, student)
            dc.auto_comment, dc.manual_comment = c.auto_comment, c.manual_comment
    gb.db.commit()


def settings(course: Course) -> dict:
    """``capstone.json`` as a dict ({} when absent)."""
    import json

    path = course.root / SETTINGS_NAME
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def mentor_course(course: Course) -> tuple[Course, list[str]] | None:
    """The mentor course recorded in ``capstone.json`` and its milestones in every language of the main course
    (``capstone.json`` names the sets; each team's M2 goes there in the language the team submitted), or None."""
    data = settings(course)
    if not data.get("mentor_course"):
        return None
    try:
        mentors = Course.find(data["mentor_course"])
    except CourseError as exc:
        raise CourseError(f"{course.root / SETTINGS_NAME} names the mentor course {data['mentor_course']}, which "
                          f"cannot be used ({exc}); run `capstone init --target DIR` again, or remove "
                          "\"mentor_course\" from it to score the milestones in this course") from exc
    sets = [v for s in dict.fromkeys(set_of(n) for n in data.get("mentor_sets", MENTOR_SETS))
            for v in _variants(course, s)]
    return mentors, sets


def mentor_sets(course: Course) -> list[str]:
    """The milestones scored by mentors in the mentor course (``capstone.json``), or [] without one. The main
    course's graders do not score them: its simulated grader skips them, and status and report say where they
    are scored; export takes the mentors' scores (``import_mentor_grades``).

    >>> mentor_sets(Course.find()) == [] or (Course.find().root / SETTINGS_NAME).is_file()
    True
    """
    found = mentor_course(course)
    return found[1] if found else []
