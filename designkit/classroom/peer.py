"""Peer assessment after the capstone: WebPA weighting factors from each member's ratings of the team.

Each member rates every member of their team, themselves included, on the stated criteria (``CRITERIA``, 0-5
each) in ``capstone-peer``'s form. The form knows the student's own team and nobody else's: ``add_rosters``
writes each team's member ids (nothing else) into its members' own Milestone 3 feedback pages before nbgrader
releases them, and the form's widget (``designkit.widgets.peer_form``) reads the roster from the feedback the
student fetched. The pipeline still checks every id against ``teams.csv``; a rating of someone outside the
rater's team is left out and flagged. The method is WebPA's [@webpa_worked_example]:

1. each rater's marks are normalised by the rater's own total (each rater shares out one "cake");
2. a member's WebPA score is the sum of the shares the member received;
3. when some members did not rate, the scores are multiplied by ``members / raters`` (WebPA's correction
   for missing raters), so a full, even team scores 1.0 each.

The instructor chooses how much the factor moves the team mark: ``individual = team_mark * (1 - weight +
weight * score)``, with the score first limited to ``1 +/- cap`` and the result never above the maximum.
Free-text comments are read for the instructor's report only; nothing from one student's form reaches another.

>>> f = webpa_scores({"a": {"a": 4, "b": 4}, "b": {"a": 2, "b": 2}}, ["a", "b"])
>>> f["a"], f["b"]
(1.0, 1.0)
"""
from __future__ import annotations

import ast
import json
from dataclasses import dataclass, field
from pathlib import Path

from designkit.classroom.course import Course, CourseError

PEER_ASSIGNMENT = "capstone-peer"
FORM_CELL = "peer-ratings"
CRITERIA = ("contribution", "reliability", "communication", "respect-for-children")
SCALE = (0, 5)
#: The milestone whose feedback carries each team's roster to its members, and the roster element's id (the
#: same as ``designkit.widgets.peer_form``'s, which reads it; a test keeps them equal).
ROSTER_AFTER = "capstone-m3-pitch"
ROSTER_ID = "designkit-team-roster"
#: A set in Chinese is its own nbgrader assignment ``<set>-zh`` with the same cells (``make translations``): the
#: peer form and M3 exist in both languages, and a student uses either.
LANG_VARIANTS = ("", "-zh")


class PeerFormError(CourseError):
    """A peer form that cannot be read; the message names the file and what is wrong."""


def webpa_scores(ratings: dict[str, dict[str, float]], members: list[str]) -> dict[str, float]:
    """WebPA scores for one team: ``ratings[rater][ratee]`` (a rater's total over the criteria).

    Raters whose marks add up to 0 cannot share anything out and count as not having rated. With no rater at
    all every member scores 1.0 (the team mark unchanged).

    >>> webpa_scores({"a": {"a": 3, "b": 1}}, ["a", "b"])   # b did not rate: scores x 2/1
    {'a': 1.5, 'b': 0.5}
    """
    raters = [r for r in members if r in ratings and sum(ratings[r].get(m, 0) for m in members) > 0]
    if not raters:
        return {m: 1.0 for m in members}
    scores = {m: 0.0 for m in members}
    for r in raters:
        total = sum(ratings[r].get(m, 0) for m in members)
        for m in members:
            scores[m] += ratings[r].get(m, 0) / total
    correction = len(members) / len(raters)
    return {m: round(s * correction, 6) for m, s in scores.items()}


@dataclass(frozen=True)
class PeerConfig:
    """How the instructor applies the factor: ``weight`` (0 = ignore peer assessment, 1 = all of the mark is
    moved by it) and ``cap`` (the largest move of the score away from 1).

    >>> PeerConfig(weight=0.5, cap=0.3).individual(60.0, 100.0, 1.5)
    69.0
    """

    weight: float = 0.5
    cap: float = 0.3

    def __post_init__(self) -> None:
        if not 0 <= self.weight <= 1 or not 0 <= self.cap <= 1:
            raise CourseError(f"peer weight and cap must be between 0 and 1 (got {self.weight}, {self.cap})")

    def factor(self, score: float) -> float:
        """The multiplier of the team mark for a WebPA score."""
        capped = min(max(score, 1 - self.cap), 1 + self.cap)
        return round(1 - self.weight + self.weight * capped, 6)

    def individual(self, team_mark: float, max_mark: float, score: float) -> float:
        return round(min(team_mark * self.factor(score), max_mark), 6)


@dataclass
class PeerForm:
    """One student's submitted form: ratings per ratee (per criterion) and the comment for the instructor."""

    rater: str
    ratings: dict[str, dict[str, int]]
    comment: str = ""

    def totals(self) -> dict[str, float]:
        return {ratee: float(sum(by.values())) for ratee, by in self.ratings.items()}


def parse_form(source: str, rater: str, where: str) -> PeerForm:
    """The form cell's code -> ``PeerForm``, read without running it (``ast.literal_eval`` of the
    ``ratings`` and ``comment`` assignments).

    >>> parse_form('ratings = {"s2": {"contribution": 4}}\\ncomment = "ok"', "s1", "x").ratings
    {'s2': {'contribution': 4}}
    """
    values: dict[str, object] = {}
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise PeerFormError(f"{where}: the form cell is not valid Python ({exc.msg}, line {exc.lineno})") from exc
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                values[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError as exc:
                raise PeerFormError(f"{where}: {node.targets[0].id} must be written out as plain values") from exc
    ratings = values.get("ratings")
    if not isinstance(ratings, dict):
        raise PeerFormError(f"{where}: no `ratings = {{...}}` dictionary in the form cell")
    clean: dict[str, dict[str, int]] = {}
    for ratee, by in ratings.items():
        if not isinstance(by, dict):
            raise PeerFormError(f"{where}: the ratings of {ratee!r} must be a dictionary criterion -> mark")
        row = {}
        for criterion, mark in by.items():
            if criterion not in CRITERIA:
                raise PeerFormError(f"{where}: unknown criterion {criterion!r} (the criteria: {', '.join(CRITERIA)})")
            if not isinstance(mark, int) or isinstance(mark, bool) or not SCALE[0] <= mark <= SCALE[1]:
                raise PeerFormError(f"{where}: {ratee!r} {criterion}: {mark!r} is not a whole mark from "
                                    f"{SCALE[0]} to {SCALE[1]}")
            row[criterion] = mark
        clean[str(ratee).strip()] = row
    comment = values.get("comment", "")
    return PeerForm(rater, clean, comment if isinstance(comment, str) else str(comment))


def read_form(path: Path, rater: str) -> PeerForm:
    """Read the form cell (id ``peer-ratings``) of a submitted ``capstone-peer`` notebook."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PeerFormError(f"{path}: cannot be read as a notebook ({exc})") from exc
    for cell in nb.get("cells", []):
        if cell.get("id") == FORM_CELL or cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == FORM_CELL:
            src = cell.get("source", "")
            return parse_form("".join(src) if isinstance(src, list) else src, rater, str(path))
    raise PeerFormError(f"{path}: no cell with id {FORM_CELL!r} (the form cell was deleted?)")


@dataclass
class TeamPeer:
    """The peer assessment of one team."""

    team: str
    members: list[str]
    scores: dict[str, float]
    factors: dict[str, float]
    missing_raters: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    comments: dict[str, str] = field(default_factory=dict)  # rater -> comment: instructors only


def assess_team(team: str, members: list[str], forms: dict[str, PeerForm], config: PeerConfig) -> TeamPeer:
    """WebPA for one team from its members' forms (forms of other students are ignored).

    Ratings of someone outside the team are left out and flagged; a teammate left unrated counts 0 from that
    rater and is flagged. Outliers flagged: a score limited by the cap, and a rater who gives themselves more
    than twice an equal share."""
    ratings: dict[str, dict[str, float]] = {}
    flags: list[str] = []
    comments = {}
    for rater in members:
        form = forms.get(rater)
        if form is None:
            continue
        if form.comment.strip():
            comments[rater] = form.comment.strip()
        totals = form.totals()
        strangers = sorted(set(totals) - set(members))
        if strangers:
            flags.append(f"{rater} rated {len(strangers)} student(s) outside the team (left out)")
        unrated = [m for m in members if m not in totals]
        if unrated:
            flags.append(f"{rater} did not rate {', '.join(unrated)} (counted 0)")
        ratings[rater] = {m: totals.get(m, 0.0) for m in members}
        given = sum(ratings[rater].values())
        if given == 0:
            flags.append(f"{rater} gave every member 0 (form not counted)")
        elif ratings[rater][rater] / given > 2 / len(members):
            flags.append(f"{rater} gave themselves {ratings[rater][rater] / given:.0%} of their marks "
                         f"(an equal share is {1 / len(members):.0%})")
    scores = webpa_scores(ratings, members)
    missing = [m for m in members if m not in ratings or sum(ratings[m].values()) == 0]
    if len(missing) == len(members):
        flags.append("nobody rated: factors are 1 (team mark unchanged)")
    for m in members:
        if abs(scores[m] - 1) > config.cap:
            flags.append(f"{m}: WebPA score {scores[m]:.2f} limited to {config.factor(scores[m]):.2f} by the cap")
    return TeamPeer(team, members, scores, {m: config.factor(scores[m]) for m in members}, missing, flags,
                    comments)


def _submitted_forms(course: Course, member: str) -> list[Path]:
    """The member's submitted peer notebooks in either language, the latest submission (``timestamp.txt``) last."""
    found = []
    for suffix in LANG_VARIANTS:
        folder = course.submitted / member / f"{PEER_ASSIGNMENT}{suffix}"
        for nb in sorted(folder.glob("*.ipynb")) if folder.is_dir() else []:
            stamp = folder / "timestamp.txt"
            found.append((stamp.read_text(encoding="utf-8").strip() if stamp.is_file() else "", nb))
    return [nb for _stamp, nb in sorted(found)]


def assess(course: Course, teams, config: PeerConfig | None = None) -> list[TeamPeer]:
    """Peer assessment for every team from ``submitted/<student>/capstone-peer/`` (or its Chinese version
    ``capstone-peer-zh/``; with both, the later submission counts). A form that cannot be read counts as missing
    and is flagged with its file."""
    config = config or PeerConfig()
    out = []
    for team, members in teams.teams.items():
        forms: dict[str, PeerForm] = {}
        unreadable = []
        for m in members:
            nbs = _submitted_forms(course, m)
            if not nbs:
                continue
            try:
                forms[m] = read_form(nbs[-1], m)
            except PeerFormError as exc:
                unreadable.append(str(exc))
        tp = assess_team(team, members, forms, config)
        tp.flags = [f"unreadable form (counted as missing): {u}" for u in unreadable] + tp.flags
        out.append(tp)
    return out


def roster_element(members: list[str]) -> str:
    """The roster element written into a member's feedback page: the team's member ids and nothing else.

    >>> roster_element(["s1", "s2"])
    '<script type="application/json" id="designkit-team-roster">{"members": ["s1", "s2"]}</script>'
    """
    data = json.dumps({"members": list(members)}, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/json" id="{ROSTER_ID}">{data}</script>'


def add_rosters(course: Course, teams, assignment: str = ROSTER_AFTER) -> list[str]:
    """Write each team's roster into its members' own feedback pages of ``assignment``
    (``feedback/<member>/<assignment>/*.html``) after nbgrader generated them and before it releases them, so
    each member's released feedback carries their own team's ids only (no team name, marks or comments beyond
    what the page already shows that member). Idempotent: a page's earlier roster is replaced. Returns the
    pages written."""
    import re

    pattern = re.compile(r'<script type="application/json" id="' + ROSTER_ID + r'">.*?</script>', re.S)
    written = []
    for _team, members in teams.teams.items():
        element = roster_element(members)
        for member in members:
            for page in sorted((course.feedback / member / assignment).glob("*.html")):
                text = page.read_text(encoding="utf-8")
                if pattern.search(text):
                    text = pattern.sub(lambda _m, e=element: e, text)
                elif "</body>" in text:
                    head, tail = text.rsplit("</body>", 1)
                    text = f"{head}{element}\n</body>{tail}"
                else:
                    text = f"{text}\n{element}\n"
                page.write_text(text, encoding="utf-8")
                written.append(str(page.relative_to(course.root)))
    return written
