"""Grades where institutions keep them: the kit's grades written as Canvas's and Moodle's gradebook imports.

Pure functions, no command-line parsing: rows of ``grades.csv`` (``export``'s own rows: ``student_id``, a column
per problem set, then ``total``, ``max_total``, ``percent``, ``notes``) -> :class:`Grades` -> the file an LMS
imports. Students are matched to LMS accounts through a *roster*: a CSV with the columns ``student_id`` (the kit's
id, e.g. the hub user name) and ``lms_login`` (what the LMS knows: Canvas's *SIS Login ID*, often the
institutional e-mail; Moodle's e-mail address, ID number or user name).

Specifications followed (read 2026-11-30; every column below comes from them):

Canvas, "How do I import grades in the Gradebook?" (Instructure's Instructor Guide,
https://community.canvaslms.com/t5/Instructor-Guide/How-do-I-import-grades-in-the-Gradebook/ta-p/807):
  the CSV carries the columns ``Student``, ``ID``, ``SIS User ID``, ``SIS Login ID``, ``Section``, then one column
  per assignment; an existing assignment keeps its Canvas id in the header, ``Name (12345)``, as Canvas's own
  gradebook export writes it (the guide's list as quoted in ucfopen/Materia#1071; the column order as in the
  export, which Canvas's importer expects: myl7's CityU guide, and PrairieLearn/PrairieLearn#4547, where Canvas
  matched students with ``Student``, ``SIS Login ID`` and ``Section``). Canvas's ``ID`` is its own user id, which
  the kit cannot know: so the kit *fills in* the gradebook the instructor exported from Canvas (Grades > Export),
  keeping Canvas's identity columns and rows as they are, and keeps only the kit's assignment columns (columns
  the import would not change are better left out: Ohio State's CarmenCanvas guide, "Import CSV File for Carmen
  Grades"). Rows of the export without a Canvas user id (``Points Possible``, and the posting-policy row some
  exports carry) are kept as they are.
Moodle, "Grade import" (MoodleDocs, https://docs.moodle.org/311/en/Grade_import) and its importer
(moodle/moodle ``grade/import/csv/classes/load_data.php``): a CSV with a header row; at import the teacher maps
  one column to the user (``Map from`` -> ``Map to``: ``useremail``, ``useridnumber``, ``username`` or ``userid``)
  and each grade column to a grade item (or to a new one). A cell that is empty or ``-`` means *no grade*; any
  other text aborts the whole import; totals cannot be imported. So the kit writes one identity column (headed
  as Moodle's own export heads it: ``Email address``, ``ID number``, ``Username``) and one column per problem set,
  and a grade the kit does not have yet (awaiting a person, or not graded yet) as ``-``.

Errors name the file and the row and say what to do; every problem is reported at once (:class:`LMSError`),
and nothing is dropped silently: students the LMS has but the kit has no grades for are listed in the result.

>>> grades = grades_from_rows([["student_id", "ps0", "total", "max_total", "percent", "notes"],
...                            ["ada", "7", "7", "10", "70.0", ""],
...                            ["bo", "awaiting manual grading", "awaiting manual grading", "10", "", ""]])
>>> grades.scores["ada"], grades.scores["bo"]
({'ps0': 7.0}, {'ps0': None})
>>> moodle_rows(grades, {"ada": "ada@uni.example", "bo": "bo@uni.example"}, identity="email")
[['Email address', 'ps0'], ['ada@uni.example', '7'], ['bo@uni.example', '-']]
"""
from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from designkit.classroom.course import CourseError

# grades.csv's columns after the problem sets (designkit.classroom.export.COLUMNS_AFTER)
_AFTER = ("total", "max_total", "percent", "notes")

CANVAS_IDENTITY = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
_CANVAS_ASSIGNMENT = re.compile(r"^(?P<name>.*?)\s*\((?P<id>\d+)\)\s*$")

# Moodle's "Map to" user fields and the header its own grade export gives each column
MOODLE_IDENTITY = {"email": "Email address", "idnumber": "ID number", "username": "Username"}
MOODLE_NO_GRADE = "-"

ROSTER_COLUMNS = ("student_id", "lms_login")


class LMSError(CourseError):
    """Every problem found while matching the kit's grades to an LMS file, one line each (the command line prints
    it as an error, like every course error)."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass
class Grades:
    """The kit's grades: points per student and problem set; ``None`` where there is no final score yet."""

    assignments: list[str]
    scores: dict[str, dict[str, float | None]] = field(default_factory=dict)
    max_scores: dict[str, float] = field(default_factory=dict)  # points each problem set is worth, when known

    @property
    def students(self) -> list[str]:
        return sorted(self.scores)


def grades_from_rows(rows: Iterable[Sequence[str]], source: str = "grades.csv") -> Grades:
    """Parse the rows of ``grades.csv`` (header first). A cell that is not a number (``awaiting manual grading``,
    ``not graded yet``) is a grade the kit does not have yet: ``None``.

    >>> grades_from_rows([["student_id", "ps1", "total", "max_total", "percent", "notes"],
    ...                   ["ada", "4.5", "4.5", "5", "90.0", ""]]).scores
    {'ada': {'ps1': 4.5}}
    """
    rows = [list(r) for r in rows]
    if not rows or not rows[0] or rows[0][0] != "student_id":
        raise LMSError([f"{source}: the first row must be grades.csv's header starting with 'student_id' "
                        "(write it with `python -m designkit.classroom export`)"])
    header = rows[0]
    end = header.index("total") if "total" in header else len(header)
    assignments = header[1:end]
    grades = Grades(assignments)
    problems = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        student = row[0].strip()
        if student in grades.scores:
            problems.append(f"{source}, row {number}: student {student!r} appears twice")
            continue
        grades.scores[student] = {a: _number(row[i + 1] if i + 1 < len(row) else "") for i, a in enumerate(assignments)}
    if problems:
        raise LMSError(problems)
    return grades


def grades_from_results(results) -> Grades:
    """The grades of ``designkit.classroom.results.read_results``: each final score, ``None`` while a set is
    pending (awaiting a person, or not graded yet), and the points each set is worth."""
    return Grades(list(results.assignments),
                  {s: {a: results.sub(s, a).final_score for a in results.assignments} for s in results.students},
                  dict(results.max_scores))


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _points(value: float) -> str:
    return f"{value:g}"


def read_roster(path: Path) -> dict[str, str]:
    """Read a roster CSV (``student_id,lms_login``) into {kit student id: LMS login}.

    Blank lines are skipped; a missing column, an empty cell or a student or login given twice is an error that
    names the file and the row.

    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d, "roster.csv"); _ = p.write_text("student_id,lms_login\\nada,ada@uni.example\\n")
    ...     read_roster(p)
    {'ada': 'ada@uni.example'}
    """
    path = Path(path)
    if not path.is_file():
        raise LMSError([f"{path}: roster not found (a CSV with the columns {', '.join(ROSTER_COLUMNS)})"])
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in ROSTER_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise LMSError([f"{path}, row 1: the header lacks {', '.join(missing)} "
                            f"(expected the columns {', '.join(ROSTER_COLUMNS)})"])
        roster: dict[str, str] = {}
        rows_of: dict[str, int] = {}
        logins: dict[str, int] = {}
        problems = []
        for number, row in enumerate(reader, start=2):
            student, login = (row.get("student_id") or "").strip(), (row.get("lms_login") or "").strip()
            if not student and not login:
                continue
            if not student or not login:
                problems.append(f"{path}, row {number}: both student_id and lms_login are needed")
            elif student in roster:
                problems.append(f"{path}, row {number}: student {student!r} is already on row {rows_of[student]}")
            elif login.casefold() in logins:
                problems.append(f"{path}, row {number}: login {login!r} is already on row {logins[login.casefold()]}")
            else:
                roster[student], rows_of[student], logins[login.casefold()] = login, number, number
    if problems:
        raise LMSError(problems)
    return roster


def _missing_from_roster(grades: Grades, roster: dict[str, str], roster_name: str) -> list[str]:
    return [f"{roster_name}: student {s!r} has grades but no row (add a row '{s},<their LMS login>')"
            for s in grades.students if s not in roster]


# --- Moodle --------------------------------------------------------------------------------------------------

def moodle_rows(grades: Grades, roster: dict[str, str] | None = None, identity: str = "email",
                roster_name: str = "roster.csv") -> list[list[str]]:
    """The rows of a Moodle grade import CSV, header first: the identity column, then one column per problem set.

    Without a roster, the kit's student ids are Moodle user names (``identity='username'``, e.g. a hub whose
    accounts are the institution's).

    >>> g = Grades(["ps1"], {"ada": {"ps1": 3.0}})
    >>> moodle_rows(g, identity="username")
    [['Username', 'ps1'], ['ada', '3']]
    """
    if identity not in MOODLE_IDENTITY:
        raise LMSError([f"Moodle identity {identity!r}: choose one of {', '.join(MOODLE_IDENTITY)}"])
    if roster is None:
        if identity != "username":
            raise LMSError([f"Moodle identity {identity!r} needs a roster (student_id,lms_login) to find each "
                            "student's value; without one the kit's ids are used as Moodle user names"])
        roster = {s: s for s in grades.students}
    problems = _missing_from_roster(grades, roster, roster_name)
    if problems:
        raise LMSError(problems)
    rows = [[MOODLE_IDENTITY[identity], *grades.assignments]]
    for student in grades.students:
        cells = [MOODLE_NO_GRADE if (v := grades.scores[student][a]) is None else _points(v) for a in grades.assignments]
        rows.append([roster[student], *cells])
    return rows


# --- Canvas --------------------------------------------------------------------------------------------------

@dataclass
class CanvasFill:
    """The filled-in Canvas gradebook and what the instructor should know about it."""

    rows: list[list[str]]
    columns: dict[str, str]                                 # kit assignment -> Canvas header
    pending: list[tuple[str, str]] = field(default_factory=list)   # (student, assignment) left as Canvas had it
    not_in_kit: list[str] = field(default_factory=list)      # Canvas students the kit has no grades for


def read_canvas_export(path: Path) -> list[list[str]]:
    """The rows of a gradebook CSV exported from Canvas, checked for Canvas's identity columns."""
    path = Path(path)
    if not path.is_file():
        raise LMSError([f"{path}: Canvas gradebook export not found (in Canvas: Grades > Export > "
                        "Export Entire Gradebook)"])
    with path.open(newline="", encoding="utf-8-sig") as fh:
        rows = [row for row in csv.reader(fh)]
    if not rows:
        raise LMSError([f"{path}: the file is empty; export the gradebook from Canvas again"])
    header = [h.strip() for h in rows[0]]
    missing = [c for c in CANVAS_IDENTITY if c not in header]
    if missing:
        raise LMSError([f"{path}, row 1: not a Canvas gradebook export: the columns {', '.join(missing)} are missing "
                        "(export it from Canvas with Grades > Export, and do not remove its first five columns)"])
    rows[0] = header
    return rows


def fill_canvas_export(grades: Grades, export_rows: list[list[str]], roster: dict[str, str],
                       export_name: str = "canvas.csv", roster_name: str = "roster.csv") -> CanvasFill:
    """Fill the kit's grades into the rows of a Canvas gradebook export.

    Students are matched on ``SIS Login ID`` (case-insensitively) through the roster; problem sets on the
    assignment's name in the header, ``ps1-framing (12345)``. A grade the kit does not have yet leaves Canvas's
    cell as exported (no change on import).

    >>> export = [list(CANVAS_IDENTITY) + ["ps1 (77)", "Quiz (78)"],
    ...           ["    Points Possible", "", "", "", "", "5", "2"],
    ...           ["Lovelace, Ada", "101", "", "ada@uni.example", "A", "", "1"]]
    >>> fill_canvas_export(Grades(["ps1"], {"ada": {"ps1": 4.0}}), export, {"ada": "ada@uni.example"}).rows
    [['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section', 'ps1 (77)'], ['    Points Possible', '', '', '', '', '5'], ['Lovelace, Ada', '101', '', 'ada@uni.example', 'A', '4']]
    """
    header = export_rows[0]
    index = {name: header.index(name) for name in CANVAS_IDENTITY}
    problems = _missing_from_roster(grades, roster, roster_name)

    # problem sets -> the export's assignment columns, by name
    by_name: dict[str, list[int]] = {}
    for i, title in enumerate(header):
        match = _CANVAS_ASSIGNMENT.match(title)
        if match and title not in CANVAS_IDENTITY:
            by_name.setdefault(match["name"].strip(), []).append(i)
    columns: dict[str, int] = {}
    for assignment in grades.assignments:
        found = by_name.get(assignment, [])
        if len(found) == 1:
            columns[assignment] = found[0]
        elif not found:
            problems.append(f"{export_name}, row 1: no assignment column named {assignment!r} (headers look like "
                            f"'{assignment} (12345)'): create the assignment in Canvas with that name and its points, "
                            "then export the gradebook again")
        else:
            problems.append(f"{export_name}, row 1: {len(found)} assignment columns are named {assignment!r}: "
                            "rename all but one in Canvas and export again")

    # students -> rows, by SIS Login ID
    row_of_login: dict[str, int] = {}
    for number, row in enumerate(export_rows[1:], start=2):
        cells = row + [""] * (len(header) - len(row))
        if not cells[index["ID"]].strip():
            continue  # Points Possible and other rows without a Canvas user
        login = cells[index["SIS Login ID"]].strip().casefold()
        if not login:
            continue  # e.g. Canvas's Test Student: never in a roster
        if login in row_of_login:
            problems.append(f"{export_name}, row {number}: SIS Login ID {login!r} is already on row "
                            f"{row_of_login[login]}")
        else:
            row_of_login[login] = number
    roster_rows = {login.casefold(): student for student, login in roster.items()}
    for student in grades.students:
        login = roster.get(student)
        if login is not None and login.casefold() not in row_of_login:
            problems.append(f"{roster_name}: login {login!r} of student {student!r} is not in {export_name}'s "
                            "SIS Login ID column (is the student enrolled in the Canvas course? export the "
                            "gradebook again, with inactive and concluded enrolments shown)")
    problems += _points_differ(grades, export_rows, columns, index, export_name)
    if problems:
        raise LMSError(problems)

    keep = [index[name] for name in CANVAS_IDENTITY] + [columns[a] for a in grades.assignments]
    out = [[header[i] for i in keep]]
    fill = CanvasFill(out, {a: header[i] for a, i in columns.items()})
    for row in export_rows[1:]:
        cells = row + [""] * (len(header) - len(row))
        new = [cells[i] for i in keep]
        student = roster_rows.get(cells[index["SIS Login ID"]].strip().casefold()) if cells[index["ID"]].strip() else None
        if student in grades.scores:
            for j, assignment in enumerate(grades.assignments, start=len(CANVAS_IDENTITY)):
                value = grades.scores[student][assignment]
                if value is None:
                    fill.pending.append((student, assignment))
                else:
                    new[j] = _points(value)
        elif cells[index["ID"]].strip():
            fill.not_in_kit.append(cells[index["Student"]] or cells[index["ID"]])
        out.append(new)
    return fill


def _points_differ(grades: Grades, export_rows: list[list[str]], columns: dict[str, int], index: dict[str, int],
                   export_name: str) -> list[str]:
    """A problem set worth other points in Canvas than in the kit would be imported on the wrong scale."""
    problems = []
    for number, row in enumerate(export_rows[1:], start=2):
        if row and row[index["Student"]].strip() == "Points Possible" and not row[index["ID"]].strip():
            for assignment, i in columns.items():
                kit = grades.max_scores.get(assignment)
                canvas = _number(row[i]) if i < len(row) else None
                if kit is not None and canvas is not None and canvas != kit:
                    problems.append(f"{export_name}, row {number}: {assignment} is worth {_points(canvas)} points in "
                                    f"Canvas but {_points(kit)} in the kit: set its points in Canvas to "
                                    f"{_points(kit)} and export the gradebook again")
    return problems


FORMATS = ("canvas", "moodle")


def write_for_lms(grades: Grades, fmt: str, output: Path, roster: Path | None = None,
                  canvas_export: Path | None = None, identity: str = "email") -> list[str]:
    """Write the import file for ``fmt`` (``canvas`` or ``moodle``) to ``output``; return what to tell the
    instructor, one line each. Canvas needs ``roster`` and ``canvas_export``; Moodle needs ``roster`` unless
    ``identity='username'``.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     write_for_lms(Grades(["ps0"], {"ada": {"ps0": 2.0}}), "moodle", Path(d, "m.csv"), identity="username")[1]
    'import: the course gradebook, Import > CSV file; Map from "Username" to username, and each problem set to its grade item'
    """
    if fmt not in FORMATS:
        raise LMSError([f"format {fmt!r}: choose one of {', '.join(FORMATS)} (or csv for grades.csv)"])
    roster_map = read_roster(roster) if roster is not None else None
    roster_name = str(roster) if roster is not None else "the roster"
    output = Path(output)
    if fmt == "moodle":
        rows = moodle_rows(grades, roster_map, identity=identity, roster_name=roster_name)
        write_csv(rows, output)
        pending = sum(row[1:].count(MOODLE_NO_GRADE) for row in rows[1:])
        map_to = {"email": "useremail", "idnumber": "useridnumber", "username": "username"}[identity]
        return [f"wrote {output} ({len(rows) - 1} students, {len(grades.assignments)} problem sets for Moodle)",
                f'import: the course gradebook, Import > CSV file; Map from "{MOODLE_IDENTITY[identity]}" to {map_to}, and each '
                "problem set to its grade item",
                *([f"{pending} grade(s) not final yet are '-' (no grade in Moodle)"] if pending else [])]
    problems = []
    if roster_map is None:
        problems.append("canvas needs --roster: a CSV with the columns student_id,lms_login (Canvas's SIS Login ID)")
    if canvas_export is None:
        problems.append("canvas needs --canvas-export: the gradebook CSV downloaded from Canvas (Grades > Export)")
    if problems:
        raise LMSError(problems)
    fill = fill_canvas_export(grades, read_canvas_export(canvas_export), roster_map, export_name=str(canvas_export),
                              roster_name=roster_name)
    write_csv(fill.rows, output)
    lines = [f"wrote {output} ({len(grades.students)} students filled in {canvas_export}: "
             f"{', '.join(fill.columns.values())})",
             "import: Canvas Grades > Import, choose this file, check the changes Canvas lists"]
    if fill.pending:
        lines.append(f"{len(fill.pending)} grade(s) not final yet left as Canvas had them: "
                     + ", ".join(f"{s} {a}" for s, a in fill.pending))
    if fill.not_in_kit:
        lines.append(f"{len(fill.not_in_kit)} Canvas student(s) with no grades in the kit, left unchanged: "
                     + "; ".join(fill.not_in_kit))
    return lines


def write_csv(rows: Iterable[Sequence[str]], path: Path) -> Path:
    """Write rows as UTF-8 CSV (both LMSs read UTF-8) and return the path."""
    path = Path(path)
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return path
