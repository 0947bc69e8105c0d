"""Problem sets from both sides, through real nbgrader (conventions: source/README.md).

Parametrised over every ``source/ps*/`` folder, so a new set is tested as soon as it exists:

- static checks (no kernel): names, kernelspec, ids, no outputs, points add up to the stated total, the set's
  section of ``source/README.md`` lists every graded cell with its points (autograder or person) and keeps the
  autograder to at most 40% of the design points; every rubric-graded part has its rubric in ``rubric.md``, shown
  identically in its question cell and carried, row by row, by task cells whose mark schemes hold the descriptors
  and (first row) the anchor answers at full, half and none (parsed and compared by
  ``designkit.classroom.rubrics``); ``mistakes.yml`` well formed with at least two
  mistakes for every autograded part; ``nonsense.yml`` well formed, with a keyword-stuffed fixture in every set
  that has design parts;
- the source notebook passes ``nbgrader.validator.Validator`` and the released one fails every test
  (``invert=True``): the CLI's ``nbgrader validate`` exits 0 either way, so the class is called;
- ``generate_assignment`` in a temporary copy reproduces ``assignments/<set>/`` byte for byte; no hidden test, no
  mark scheme, no anchor answer and no grader file reaches it;
- one real in-process ``autograde`` run per set grades: the solution (full marks on every autograded part), the
  blank release (zero), the documented common mistakes (each loses its part's points and its grade cell shows the
  ``message_contains`` phrase) and every nonsense fixture. Mistakes are batched into a few "waves" of students,
  each wave holding at most one mistake per answer cell; parts a wave does not touch must keep full marks, which
  shows that each mistake fails its own part only. The totals of every submission equal the set's table in
  ``source/README.md``, and no nonsense fixture keeps more than a quarter of the autograded design points.
"""

from __future__ import annotations

import copy
import datetime as dt
import filecmp
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "source"
RELEASE = ROOT / "assignments"
README = SOURCE / "README.md"
SETS = sorted(p.name for pattern in ("ps*", "capstone-*") for p in SOURCE.glob(pattern)
              if (p / f"{p.name}.ipynb").is_file()  # problem sets and the team capstone's milestones
              and p.name != "capstone-peer"  # a form, not a problem set: tests/test_peer.py
              and not p.name.endswith("-zh"))  # generated translations: tests/test_i18n.py
NAME = re.compile(r"^(ps\d+|capstone-m\d+)-[a-z0-9]+(-[a-z0-9]+)*$")
TOTAL = re.compile(r"Total:\s*(\d+)\s*points")
TABLE_ROW = re.compile(r"^\|(.+)\|\s*$")
ROW_ID = re.compile(r"^(q\d+)-r(\d+)-[a-z0-9]+(-[a-z0-9]+)*$")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
MISTAKE_KEYS = {"part", "cell", "mistake", "code", "message_contains"}
NONSENSE_KEYS = {"name", "kind", "cells"}
NONSENSE_KINDS = {"unrelated", "filler", "vague", "keyword-stuffed"}
GRADER_FILES = ("mistakes.yml", "rubric.md", "nonsense.yml")
PARTS_HEADER = ["Part", "Points", "Design", "Graded by", "Verified automatically", "Judged by a person"]
TOTALS_HEADER = ["Submission", "Autograded points", "Autograded design points"]
MAX_AUTOGRADED_DESIGN_SHARE = 0.40  # of a set's design points
MAX_NONSENSE_SHARE = 0.25  # of a set's autograded design points
NOTEBOOK_SECONDS = 20  # the course's limit per notebook (nbgrader_config.py: Execute.timeout per cell)
MARK_SCHEME = re.compile(r"### BEGIN MARK SCHEME\n(.*?)### END MARK SCHEME", re.S)

# nbgrader 0.9.6's gradebook triggers SQLAlchemy autoflush warnings while autograding; they are not ours.
pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")


# ----------------------------------------------------------------------------------------------- helpers
def nbg(cell: nbformat.NotebookNode) -> dict:
    """The cell's nbgrader metadata ({} for a plain cell)."""
    return cell.get("metadata", {}).get("nbgrader", {})


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(str(path), as_version=4)


def source_nb(ps: str) -> nbformat.NotebookNode:
    return read(SOURCE / ps / f"{ps}.ipynb")


def autograded_parts(nb: nbformat.NotebookNode) -> dict[str, float]:
    """grade_id -> points of the autograded (code) grade cells."""
    return {nbg(c)["grade_id"]: nbg(c)["points"] for c in nb.cells if nbg(c).get("grade") and c.cell_type == "code"}


def written_parts(nb: nbformat.NotebookNode) -> dict[str, float]:
    """grade_id -> points of the manually graded written (markdown) answers (0: the rubric rows carry the points)."""
    return {
        nbg(c)["grade_id"]: nbg(c)["points"]
        for c in nb.cells
        if nbg(c).get("grade") and nbg(c).get("solution") and c.cell_type == "markdown"
    }


def rubric_rows(nb: nbformat.NotebookNode) -> dict[str, float]:
    """grade_id -> points of the rubric rows (manually graded task cells), in notebook order."""
    return {nbg(c)["grade_id"]: nbg(c)["points"] for c in nb.cells if nbg(c).get("task")}


def load_yaml_list(ps: str, filename: str, key: str, required: bool = True) -> list[dict]:
    path = SOURCE / ps / filename
    if not path.exists() and not required:
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict) and isinstance(data.get(key), list), (
        f"{path}: expected a mapping with a `{key}:` list (see source/README.md)"
    )
    return data[key]


def load_mistakes(ps: str) -> list[dict]:
    return load_yaml_list(ps, "mistakes.yml", "mistakes")


def load_nonsense(ps: str) -> list[dict]:
    return load_yaml_list(ps, "nonsense.yml", "nonsense", required=False)


def md_tables(text: str) -> list[list[list[str]]]:
    """Markdown tables in ``text`` as lists of rows of stripped cells (separator rows dropped)."""
    tables, current = [], []
    for line in text.splitlines():
        m = TABLE_ROW.match(line.strip())
        if m:
            cells = [c.strip() for c in m.group(1).split("|")]
            if not all(set(c) <= set("-: ") for c in cells):
                current.append(cells)
        elif current:
            tables.append(current)
            current = []
    if current:
        tables.append(current)
    return tables


def number(text: str) -> float:
    return float(text.replace(",", ""))


# ------------------------------------------------------------------------- source/README.md and rubric.md
@dataclass
class SetTable:
    """A set's section of source/README.md: what each graded cell is worth and who grades it, and the totals
    that every graded submission must get."""

    parts: dict[str, dict[str, str]]  # part id -> column -> text
    totals: dict[str, tuple[float, float, float, float]]  # submission -> (auto, auto max, design, design max)


def readme_section(ps: str) -> SetTable:
    text = README.read_text(encoding="utf-8")
    sections = dict(re.findall(r"^### ((?:ps|capstone-)\S+)[ \t]*\n(.*?)(?=^#{1,3} |\Z)", text, re.M | re.S))
    assert ps in sections, f"source/README.md has no '### {ps}' section with the set's tables (see its conventions)"
    tables = md_tables(sections[ps])
    parts = [t for t in tables if t[0] == PARTS_HEADER]
    totals = [t for t in tables if t[0] == TOTALS_HEADER]
    assert len(parts) == 1 and len(totals) == 1, (
        f"source/README.md, '### {ps}': expected one table headed {PARTS_HEADER} and one headed {TOTALS_HEADER}"
    )
    rows = {}
    for row in parts[0][1:]:
        assert len(row) == len(PARTS_HEADER), f"source/README.md, {ps}: row {row} needs {len(PARTS_HEADER)} cells"
        assert row[0] not in rows, f"source/README.md, {ps}: part {row[0]} listed twice"
        rows[row[0]] = dict(zip(PARTS_HEADER, row))
    sums = {}
    for row in totals[0][1:]:
        cells = [re.fullmatch(r"([\d.]+)\s*/\s*([\d.]+)", c) for c in row[1:]]
        assert len(row) == 3 and all(cells), f"source/README.md, {ps}: write totals as 'got / max', not {row}"
        assert row[0] not in sums, f"source/README.md, {ps}: submission {row[0]!r} listed twice"
        sums[row[0]] = tuple(number(x) for m in cells for x in m.groups())
    return SetTable(rows, sums)


def mark_scheme(cell: nbformat.NotebookNode) -> str:
    found = MARK_SCHEME.findall(cell.source)
    return found[0] if len(found) == 1 else ""


def flat(text: str) -> str:
    return " ".join(" ".join(re.sub(r"^>\s?", "", line) for line in text.splitlines()).split())


def design_points(table: SetTable) -> tuple[float, float]:
    """(autograded design points, all design points) from a set's README table."""
    design = [r for r in table.parts.values() if r["Design"] == "yes"]
    auto = sum(number(r["Points"]) for r in design if r["Graded by"] == "autograder")
    return auto, sum(number(r["Points"]) for r in design)


def nbgrader_config(course: Path):
    """The course's own nbgrader_config.py, loaded for a temporary copy (never a real gradebook or exchange)."""
    from traitlets.config.loader import PyFileConfigLoader

    saved = {k: os.environ.pop(k) for k in ("DESIGNKIT_DB_URL", "DESIGNKIT_EXCHANGE") if k in os.environ}
    try:
        return PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    finally:
        os.environ.update(saved)


def nbgrader_api(course: Path):
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    config = nbgrader_config(course)
    return NbGraderAPI(CourseDirectory(config=config), config=config)


def outputs_text(cell: nbformat.NotebookNode) -> str:
    """What a grade cell told the student: error names and messages, printed text and displayed values.

    The traceback is left out on purpose: it quotes the test's source lines, so a phrase found there would not
    prove that the student was shown that message."""
    parts = []
    for out in cell.get("outputs", []):
        parts += [out.get("ename", ""), out.get("evalue", "")]
        parts.append(out.get("text", "") if isinstance(out.get("text", ""), str) else "".join(out["text"]))
        data = out.get("data", {})
        parts.append(str(data.get("text/plain", "")))
    return ANSI.sub("", "\n".join(parts))


def filled(release: nbformat.NotebookNode, solution: nbformat.NotebookNode, overrides: dict[str, str]):
    """What a student submits: the released notebook with every answer cell taken from ``solution``
    (or from ``overrides``: cell id -> code, for a common mistake or a nonsense fixture)."""
    answers = {c.id: c.source for c in solution.cells if nbg(c).get("solution")}
    nb = copy.deepcopy(release)
    for cell in nb.cells:
        if nbg(cell).get("solution"):
            cell.source = overrides.get(cell.id, answers[cell.id])
    return nb


def waves(mistakes: list[dict]) -> list[list[dict]]:
    """Batch mistakes into few submissions: wave i holds the i-th mistake of every answer cell.

    Several parts may test one answer cell (e.g. a problem tree), so waves are made per cell: a wave never
    replaces a cell twice. A wave's "touched" parts are the parts its mistakes name; the others must keep
    full marks in that submission."""
    by_cell: dict[str, list[dict]] = {}
    for m in mistakes:
        by_cell.setdefault(m["cell"], []).append(m)
    depth = max((len(v) for v in by_cell.values()), default=0)
    return [[v[i] for v in by_cell.values() if i < len(v)] for i in range(depth)]


# ---------------------------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module", params=SETS)
def ps(request: pytest.FixtureRequest) -> str:
    return request.param


@dataclass
class Released:
    course: Path
    ps: str
    log: str

    @property
    def folder(self) -> Path:
        return self.course / "assignments" / self.ps

    @property
    def notebook(self) -> Path:
        return self.folder / f"{self.ps}.ipynb"


@pytest.fixture(scope="module")
def released(ps: str, course_copy: Callable[..., Path]) -> Released:
    """A temporary copy of the course with ``ps`` generated by nbgrader (in-process, as the CLI would)."""
    course = course_copy([ps])
    result = nbgrader_api(course).generate_assignment(ps, force=True, create=True)
    assert result["success"], f"generate_assignment {ps} failed:\n{result.get('error')}\n{result.get('log')}"
    return Released(course, ps, result.get("log", ""))


@dataclass
class Graded:
    released: Released
    scores: dict[str, dict[str, tuple[float, float]]] = field(default_factory=dict)  # student -> part -> (got, max)
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)  # student -> part -> grade cell output
    errors: dict[str, dict[str, str]] = field(default_factory=dict)  # student -> cell id -> error name
    seconds: dict[str, float] = field(default_factory=dict)
    mutants: dict[str, list[dict]] = field(default_factory=dict)  # student -> mistakes in it
    nonsense: dict[str, dict] = field(default_factory=dict)  # student -> the nonsense fixture it submitted


@pytest.fixture(scope="module")
def graded(released: Released, timings: dict[str, float]) -> Graded:
    """One real autograde pass over the solution, the blank release, every wave of mistakes and every nonsense
    fixture (the answer cells it names replaced, the others the solution's)."""
    from nbgrader.api import Gradebook

    ps, course = released.ps, released.course
    solution, blank = source_nb(ps), read(released.notebook)
    students: dict[str, nbformat.NotebookNode] = {"solution": filled(blank, solution, {}), "blank": blank}
    result = Graded(released)
    for i, wave in enumerate(waves(load_mistakes(ps)), start=1):
        student = f"mistakes-{i}"
        students[student] = filled(blank, solution, {m["cell"]: m["code"] for m in wave})
        result.mutants[student] = wave
    for i, fixture in enumerate(load_nonsense(ps), start=1):
        student = f"nonsense-{i}"
        students[student] = filled(blank, solution, fixture["cells"])
        result.nonsense[student] = fixture
    stamp = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f %Z")
    for student, nb in students.items():
        folder = course / "submitted" / student / ps
        folder.mkdir(parents=True)
        nbformat.write(nb, str(folder / f"{ps}.ipynb"))
        (folder / "timestamp.txt").write_text(stamp)

    api = nbgrader_api(course)
    for student in students:
        start = time.perf_counter()
        out = api.autograde(ps, student, force=True, create=True)
        result.seconds[student] = time.perf_counter() - start
        assert out["success"], f"autograde {ps}/{student} failed:\n{out.get('error')}\n{out.get('log')}"
        timings[f"{ps} autograde {student}"] = result.seconds[student]

    parts = autograded_parts(solution)
    with Gradebook(api.coursedir.db_url) as gb:
        for student in students:
            result.scores[student] = {}
            for part in parts:
                grade = gb.find_grade(part, ps, ps, student)
                result.scores[student][part] = (grade.score, grade.max_score)
    for student in students:
        nb = read(course / "autograded" / student / ps / f"{ps}.ipynb")
        result.outputs[student] = {nbg(c)["grade_id"]: outputs_text(c) for c in nb.cells if nbg(c).get("grade")}
        result.errors[student] = {
            c.id: out.get("ename", "")
            for c in nb.cells
            if c.cell_type == "code"
            for out in c.get("outputs", [])
            if out.get("output_type") == "error"
        }
    return result


# ---------------------------------------------------------------------------------------- static checks
def test_there_are_problem_sets() -> None:
    assert SETS, "no source/ps*/ps*.ipynb found: see source/README.md"
    assert (SOURCE / "header.ipynb").is_file(), "source/header.ipynb (the shared header) is missing"


def test_source_notebook_format(ps: str) -> None:
    """Name, kernelspec, cell ids, no outputs, and nbgrader metadata every graded cell needs."""
    assert NAME.match(ps), f"source/{ps}: use psN-kebab-slug (or capstone-mN-kebab-slug)"
    nb = source_nb(ps)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3", f"{ps}: kernelspec must be python3"
    assert nb.metadata.language_info.name == "python"
    ids = [c.get("id") for c in nb.cells]
    assert all(ids) and len(ids) == len(set(ids)), f"{ps}: every cell needs a unique id"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, f"{ps}/{cell.id}: stored with outputs"
        meta = nbg(cell)
        if meta:
            assert meta["grade_id"] == cell.id, f"{ps}/{cell.id}: grade_id must equal the cell id"
        if meta.get("grade") and cell.cell_type == "code":
            assert cell.source.lstrip().startswith('"""'), f"{ps}/{cell.id}: a grade cell starts with a docstring"
        if meta.get("solution") and cell.cell_type == "code":
            assert "### BEGIN SOLUTION" in cell.source, f"{ps}/{cell.id}: solution cell without a solution region"
            before = cell.source.split("### BEGIN SOLUTION")[0]
            assert re.search(r"^\w+\s*=", before, re.M), (
                f"{ps}/{cell.id}: put a placeholder assignment (e.g. `answer = None`) before ### BEGIN SOLUTION"
            )
            assert "NotImplementedError" not in cell.source
        if meta.get("task"):
            assert cell.cell_type == "markdown" and ROW_ID.match(cell.id), (
                f"{ps}/{cell.id}: a rubric row is a markdown task cell with an id like q2-r1-core-problem"
            )
            assert meta.get("locked") and not meta.get("grade") and not meta.get("solution"), (
                f"{ps}/{cell.id}: a rubric row is a locked task cell with grade: false, solution: false "
                "(with grade: true nbgrader counts its points twice)"
            )


def test_points_add_up_to_the_stated_total(ps: str) -> None:
    """Autograded grade cells and rubric rows carry every point; the written answer cells carry none."""
    nb = source_nb(ps)
    auto, written, rows = autograded_parts(nb), written_parts(nb), rubric_rows(nb)
    assert 3 <= len(auto) <= 8, f"{ps}: {len(auto)} autograded grade cells (the convention is 3-8)"
    assert rows, f"{ps}: no rubric-graded part (every set has at least one, see source/README.md)"
    nonzero = {k: v for k, v in written.items() if v}
    assert not nonzero, f"{ps}: written answer cells {nonzero} carry points; give them 0 and put the points on rows"
    stated = TOTAL.search(nb.cells[0].source)
    assert stated, f"{ps}: the first cell must state 'Total: N points'"
    got = sum(auto.values()) + sum(rows.values())
    assert got == int(stated.group(1)), f"{ps}: parts add up to {got}, the top says {stated.group(1)}"


def test_readme_table_lists_every_graded_cell(ps: str) -> None:
    """source/README.md's table for the set: every grade cell and rubric row, with its points and grader, each
    saying what is verified or judged; the autograder holds at most 40% of the design points."""
    nb, table = source_nb(ps), readme_section(ps)
    auto, rows = autograded_parts(nb), rubric_rows(nb)
    expected = {**{p: ("autograder", v) for p, v in auto.items()}, **{p: ("person", v) for p, v in rows.items()}}
    assert set(table.parts) == set(expected), (
        f"source/README.md, {ps}: the table lists {sorted(table.parts)}, the notebook grades {sorted(expected)}"
    )
    for part, (who, points) in expected.items():
        row = table.parts[part]
        assert row["Graded by"] == who, f"source/README.md, {ps}/{part}: graded by {who}, not {row['Graded by']}"
        assert number(row["Points"]) == points, f"source/README.md, {ps}/{part}: {points} points, not {row['Points']}"
        assert row["Design"] in ("yes", "no"), f"source/README.md, {ps}/{part}: Design is 'yes' or 'no'"
        said = row["Verified automatically"] if who == "autograder" else row["Judged by a person"]
        other = row["Judged by a person"] if who == "autograder" else row["Verified automatically"]
        assert said not in ("", "—", "-"), f"source/README.md, {ps}/{part}: say what the {who} looks at"
        assert other in ("—", "-"), f"source/README.md, {ps}/{part}: a {who} part leaves the other column '—'"
    auto_design, design = design_points(table)
    assert auto_design <= MAX_AUTOGRADED_DESIGN_SHARE * design, (
        f"{ps}: the autograder holds {auto_design:g} of {design:g} design points (more than "
        f"{MAX_AUTOGRADED_DESIGN_SHARE:.0%}): move judgement to rubric rows"
    )


def test_every_rubric_graded_part_has_its_rubric_and_anchors(ps: str, released: Released) -> None:
    """rubric.md, the question's table and the task cells' mark schemes agree (``designkit.classroom.rubrics``
    parses rubric.md, checking that rows add up and that the anchors score full, half and none); every written
    answer and every task cell belongs to a part of rubric.md; no mark scheme and no anchor reaches the release."""
    from designkit.classroom import rubrics

    nb = source_nb(ps)
    cells = {c.id: c for c in nb.cells}
    problems = rubrics.check(SOURCE / ps)
    assert not problems, f"{ps}: rubric.md and the notebook disagree:\n- " + "\n- ".join(problems)
    parts = rubrics.parse(SOURCE / ps)
    by_answer = {part.answer_id: part for part in parts}
    for written in written_parts(nb):
        assert written in by_answer, f"{ps}/rubric.md: no '## {written} (P points)' section"
    rows = rubric_rows(nb)
    covered: list[str] = []
    for part in parts:
        where = f"{ps}/rubric.md, {part.answer_id}"
        assert nbg(cells[part.answer_id]).get("solution"), f"{where}: not an answer cell of the set"
        assert sum(r.points for r in part.rows) == part.points, f"{where}: rows do not add up to {part.points:g}"
        for n, row in enumerate(part.rows, start=1):
            assert rows.get(row.id) == row.points, f"{ps}/{row.id}: no task cell with {row.points:g} points"
            scheme = flat(mark_scheme(cells[row.id]))
            for descriptor in (row.full, row.half, row.none):
                assert flat(descriptor) in scheme, f"{ps}/{row.id}: the mark scheme lacks {descriptor!r} (rubric.md)"
            if n == 1:
                for anchor in part.anchors:
                    assert flat(anchor.text) in scheme, f"{ps}/{row.id}: the mark scheme lacks the {anchor.level} anchor"
            covered.append(row.id)
        for anchor in part.anchors:
            assert len(anchor.text.split()) >= 8, f"{where}: the {anchor.level} anchor is not a realistic answer"
    assert sorted(covered) == sorted(rows), f"{ps}: task cells {sorted(set(rows) - set(covered))} are not in rubric.md"
    release = read(released.notebook)
    text = flat("\n".join(c.source for c in release.cells))
    assert "MARK SCHEME" not in text, f"{ps}: a mark scheme reaches the release"
    for part in parts:
        for anchor in part.anchors:
            lines = [flat(line) for line in anchor.text.splitlines() if len(line.split()) >= 6]
            leaked = [line for line in lines if line in text]
            assert not leaked, f"{ps}: the {anchor.level} anchor of {part.answer_id} shows in the release: {leaked[0]!r}"


def test_mistakes_are_documented_for_every_part(ps: str) -> None:
    nb = source_nb(ps)
    parts = autograded_parts(nb)
    solution_cells = {c.id for c in nb.cells if nbg(c).get("solution") and c.cell_type == "code"}
    mistakes = load_mistakes(ps)
    for m in mistakes:
        assert set(m) == MISTAKE_KEYS, f"{ps}/mistakes.yml: entry {m.get('mistake')!r} needs exactly {MISTAKE_KEYS}"
        assert m["part"] in parts, f"{ps}/mistakes.yml: part {m['part']!r} is not an autograded grade cell"
        assert m["cell"] in solution_cells, f"{ps}/mistakes.yml: cell {m['cell']!r} is not a solution cell"
        assert all(isinstance(m[k], str) and m[k].strip() for k in MISTAKE_KEYS)
    for part in parts:
        n = sum(m["part"] == part for m in mistakes)
        assert n >= 2, f"{ps}: part {part} has {n} documented mistake(s); at least 2 are required"


def test_nonsense_fixtures_are_well_formed(ps: str) -> None:
    """Every set with design parts has nonsense fixtures, including one stuffed with the case's keywords."""
    nb, table = source_nb(ps), readme_section(ps)
    solution_cells = {c.id for c in nb.cells if nbg(c).get("solution") and c.cell_type == "code"}
    fixtures = load_nonsense(ps)
    _, design = design_points(table)
    if design:
        kinds = {f.get("kind") for f in fixtures}
        assert "keyword-stuffed" in kinds and "unrelated" in kinds, (
            f"{ps}: a set with design parts needs source/{ps}/nonsense.yml with at least an 'unrelated' and a "
            f"'keyword-stuffed' fixture (has {sorted(map(str, kinds))})"
        )
    names = [f.get("name") for f in fixtures]
    assert len(names) == len(set(names)), f"{ps}/nonsense.yml: fixture names must be unique"
    for f in fixtures:
        assert set(f) == NONSENSE_KEYS, f"{ps}/nonsense.yml: {f.get('name')!r} needs exactly {NONSENSE_KEYS}"
        assert f["kind"] in NONSENSE_KINDS, f"{ps}/nonsense.yml: {f['name']!r}: kind is one of {NONSENSE_KINDS}"
        assert isinstance(f["cells"], dict) and f["cells"], f"{ps}/nonsense.yml: {f['name']!r} replaces no cell"
        unknown = set(f["cells"]) - solution_cells
        assert not unknown, f"{ps}/nonsense.yml: {f['name']!r} replaces {unknown}, which are not answer cells"


# ------------------------------------------------------------------------------------------ nbgrader
def test_source_passes_validate(ps: str, course_copy: Callable[..., Path], timings: dict[str, float]) -> None:
    from nbgrader.validator import Validator

    course = course_copy([ps])
    start = time.perf_counter()
    result = Validator(config=nbgrader_config(course)).validate(str(course / "source" / ps / f"{ps}.ipynb"))
    timings[f"{ps} validate source"] = time.perf_counter() - start
    assert result == {}, f"{ps}: the solution fails its own tests:\n{result}"


def test_release_fails_every_test(released: Released) -> None:
    from nbgrader.validator import Validator

    config = nbgrader_config(released.course)
    validator = Validator(config=config, invert=True)
    result = validator.validate(str(released.notebook))
    # A 0-point written answer (its points are on the rubric rows) has nothing to fail: nbgrader counts its 0 of 0
    # as "passed". Only those stubs are let through; every test must fail.
    stub = config.ClearSolutions.text_stub
    passed = [c for c in result.pop("passed", []) if c.get("source", "").strip() != stub]
    if passed:
        result["passed"] = passed
    assert result == {}, f"{released.ps}: a blank notebook passes tests:\n{result}"


def test_no_grader_files_are_released(released: Released) -> None:
    """rubric.md, mistakes.yml and nonsense.yml stay in source/: generate_assignment must not copy them."""
    leaked = sorted(p.name for p in released.folder.rglob("*") if p.name in GRADER_FILES)
    assert not leaked, (
        f"generate_assignment copies the grader files {leaked} into assignments/{released.ps}: "
        f"nbgrader_config.py needs c.CourseDirectory.ignore to list {list(GRADER_FILES)} "
        "(besides nbgrader's defaults '.ipynb_checkpoints', '*.pyc', '__pycache__', 'feedback')"
    )


def test_released_folder_matches_a_fresh_generate(released: Released) -> None:
    """assignments/<ps>/ is byte for byte what generate_assignment writes from source/ (grader files aside)."""
    committed = RELEASE / released.ps
    assert committed.is_dir(), f"assignments/{released.ps} is missing: regenerate it (source/README.md)"

    def files(folder: Path) -> list[str]:
        return sorted(
            p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p.name not in GRADER_FILES
        )

    fresh, kept = files(released.folder), files(committed)
    assert fresh == kept, f"assignments/{released.ps} holds {kept}, a fresh generate gives {fresh}: regenerate it"
    changed = [f for f in fresh if not filecmp.cmp(released.folder / f, committed / f, shallow=False)]
    assert not changed, f"assignments/{released.ps}: {changed} differ from a fresh generate: regenerate them"


def test_hidden_tests_never_reach_students(ps: str, released: Released) -> None:
    text = released.notebook.read_text(encoding="utf-8")
    assert "BEGIN HIDDEN TESTS" not in text and "BEGIN SOLUTION" not in text and "BEGIN MARK SCHEME" not in text
    for cell in source_nb(ps).cells:
        for block in re.findall(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", cell.source, re.S):
            assert block.strip() not in "\n".join(c.source for c in read(released.notebook).cells), (
                f"{ps}/{cell.id}: a hidden test shows in the release"
            )


def test_autograde_solution_blank_and_mistakes(graded: Graded) -> None:
    ps = graded.released.ps
    problems = []
    for part, (got, full) in graded.scores["solution"].items():
        if got != full:
            problems.append(f"solution scores {got}/{full} on {part}:\n{graded.outputs['solution'][part]}")
    for part, (got, full) in graded.scores["blank"].items():
        if got != 0:
            problems.append(f"the blank notebook scores {got}/{full} on {part}")
    for student, wave in graded.mutants.items():
        touched = {m["part"] for m in wave}
        for m in wave:
            got, full = graded.scores[student][m["part"]]
            shown = graded.outputs[student][m["part"]]
            if got != 0:
                problems.append(f"mistake {m['mistake']!r} still scores {got}/{full} on {m['part']}")
            if m["message_contains"] not in shown:
                problems.append(
                    f"mistake {m['mistake']!r}: {m['part']} does not say {m['message_contains']!r}; it shows:\n{shown}"
                )
        for part, (got, full) in graded.scores[student].items():
            if part not in touched and got != full:
                problems.append(f"{student}: untouched part {part} lost points ({got}/{full}): a mistake leaks")
    assert not problems, f"{ps}:\n- " + "\n- ".join(problems)


def submission_totals(graded: Graded, design: set[str]) -> dict[str, tuple[float, float, float, float]]:
    """What each graded submission earned, named as in the README: solution, blank, 'mistake: <part>: <what>'
    (the solution with that one mistake: the test above shows the others in its wave take nothing from it) and
    'nonsense: <name>'."""

    def totals(scores: dict[str, tuple[float, float]]) -> tuple[float, float, float, float]:
        return (
            sum(g for g, _ in scores.values()),
            sum(m for _, m in scores.values()),
            sum(g for p, (g, _) in scores.items() if p in design),
            sum(m for p, (_, m) in scores.items() if p in design),
        )

    out = {"solution": totals(graded.scores["solution"]), "blank": totals(graded.scores["blank"])}
    for student, wave in graded.mutants.items():
        for m in wave:
            scores = dict(graded.scores["solution"])
            scores[m["part"]] = graded.scores[student][m["part"]]
            out[f"mistake: {m['part']}: {m['mistake']}"] = totals(scores)
    for student, fixture in graded.nonsense.items():
        out[f"nonsense: {fixture['name']}"] = totals(graded.scores[student])
    return out


def test_totals_match_the_readme_and_nonsense_earns_little(graded: Graded) -> None:
    """Every submission's autograded totals equal the set's table in source/README.md; no nonsense fixture keeps
    more than a quarter of the autograded design points."""
    ps = graded.released.ps
    table = readme_section(ps)
    design = {p for p, row in table.parts.items() if row["Design"] == "yes" and row["Graded by"] == "autograder"}
    got = submission_totals(graded, design)
    shown = "\n".join(f"| {k} | {a:g} / {am:g} | {d:g} / {dm:g} |" for k, (a, am, d, dm) in got.items())
    assert got == table.totals, (
        f"source/README.md, {ps}: the totals table differs from what nbgrader gave; measured:\n{shown}"
    )
    greedy = {
        k: f"{d:g} / {dm:g}" for k, (_, _, d, dm) in got.items() if k.startswith("nonsense:") and d > MAX_NONSENSE_SHARE * dm
    }
    assert not greedy, f"{ps}: nonsense keeps more than a quarter of the autograded design points: {greedy}"


# A check's message: an AssertionError, or designkit.checks.PartFailed (an AssertionError shown as one line).
MESSAGES = {"AssertionError", "PartFailed"}


def test_blank_fails_with_teaching_messages(graded: Graded) -> None:
    """The blank release runs without a crash outside the tests, and every test fails with an AssertionError
    (a check's message), not a NameError or TypeError; the solution raises nothing anywhere."""
    parts = set(graded.scores["solution"])
    blank = graded.errors["blank"]
    crashed = {cell: name for cell, name in blank.items() if cell not in parts}
    assert not crashed, f"{graded.released.ps}: blank answer or set-up cells raise {crashed}: keep a placeholder"
    rough = {cell: name for cell, name in blank.items() if cell in parts and name not in MESSAGES}
    assert not rough, f"{graded.released.ps}: on a blank notebook these tests fail with {rough}, not a message"
    assert not graded.errors["solution"], f"{graded.released.ps}: the solution raises {graded.errors['solution']}"
    for student, fixture in graded.nonsense.items():
        rough = {c: n for c, n in graded.errors[student].items() if n not in MESSAGES}
        assert not rough, f"{graded.released.ps}: nonsense {fixture['name']!r} makes cells raise {rough}, not a message"


def test_notebooks_run_within_the_time_limit(graded: Graded) -> None:
    """Measured (reported in the summary); the bound is loose: nbgrader's per-cell timeout is the real limit."""
    slow = {s: round(t, 1) for s, t in graded.seconds.items() if t > 3 * NOTEBOOK_SECONDS}
    assert not slow, f"{graded.released.ps}: autograde took {slow} s per notebook"


# ------------------------------------------------------------------------------------- the student's loop
def loop_set(ps: str):
    """The set's visible checks (designkit.checks.sets), or None for a set not yet on the loop convention."""
    if not any(f'checks.begin("{ps}")' in c.source for c in source_nb(ps).cells if c.id.endswith("-setup")):
        return None
    from designkit.checks.sets import get

    return get(ps)


def test_grade_cells_print_one_line_and_run_all_reaches_the_end(ps: str) -> None:
    """On the loop convention (source/README.md), each grade cell is its docstring, one ``checks.part`` call and a
    hidden block wrapped in ``checks.hidden``; it is tagged ``raises-exception`` (Run All goes on); the set's
    registered parts and points equal the notebook's; the last cell calls ``checks.check_all()``."""
    problem_set = loop_set(ps)
    if problem_set is None:
        pytest.skip(f"{ps} is not on the loop convention yet (no checks.begin in its set-up cell)")
    nb = source_nb(ps)
    assert {p.id: p.points for p in problem_set.parts} == autograded_parts(nb), (
        f"designkit/checks/sets/{ps.replace('-', '_')}.py: parts and points differ from the notebook's grade cells"
    )
    rubric: dict[str, float] = {}
    for row, points in rubric_rows(nb).items():
        part = ROW_ID.match(row).group(1)
        rubric[part] = rubric.get(part, 0) + points
    assert problem_set.rubric == rubric, f"{ps}: the registry's rubric points {problem_set.rubric} != {rubric}"
    for cell in nb.cells:
        if nbg(cell).get("grade") and cell.cell_type == "code":
            visible = re.sub(r"### BEGIN HIDDEN TESTS\n.*?### END HIDDEN TESTS", "", cell.source, flags=re.S)
            lines = [line for line in visible.strip().splitlines() if line.strip()]
            assert len(lines) == 2 and lines[1] == f'checks.part("{cell.id}")', (
                f"{ps}/{cell.id}: a grade cell is its docstring and checks.part({cell.id!r}); it shows:\n{visible}"
            )
            for block in re.findall(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", cell.source, re.S):
                assert block.startswith(f'with checks.hidden("{cell.id}"):'), f"{ps}/{cell.id}: wrap hidden tests"
            assert "raises-exception" in cell.metadata.get("tags", []), f"{ps}/{cell.id}: tag it raises-exception"
    last = nb.cells[-1]
    assert last.cell_type == "code" and "checks.check_all()" in last.source and nbg(last).get("locked"), (
        f"{ps}: the last cell is a locked code cell calling checks.check_all()"
    )


def answer_texts(value: object) -> set[str]:
    """How an answer would show in a file: its repr and text, a collection written out, a number to 0.1."""
    if isinstance(value, str):
        return {value, repr(value)}
    if isinstance(value, set | frozenset | list | tuple):  # its items may be given names (a classification)
        items = sorted(map(str, value))
        written = {", ".join(items), " and ".join(items)} if len(items) > 1 else set()  # one item: a given name
        return ({repr(value), repr(items), repr(set(items))} | written) - {""}
    if isinstance(value, bool) or value is None:
        return set()
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
        return {repr(value)} | ({f"{number:.1f}", f"{number:.2f}"} if not number.is_integer() else set())
    return {repr(value)} if len(repr(value)) < 200 else set()


def test_no_answer_shows_in_plain_text_in_the_release(ps: str, tmp_path: Path) -> None:
    """Run the source (the solution) and look for each autograded part's value, as text, in assignments/<set>/
    and in the set's visible checks: neither may give an answer away."""
    problem_set = loop_set(ps)
    if problem_set is None:
        pytest.skip(f"{ps} is not on the loop convention yet")
    import json

    from nbclient import NotebookClient

    nb = source_nb(ps)
    variables = [p.variable for p in problem_set.parts]
    probe = (
        "import json as _json\n"
        f"print(_json.dumps({{k: repr(globals()[k]) for k in {variables!r}}}))"
    )
    nb.cells.append(nbformat.v4.new_code_cell(probe))
    NotebookClient(nb, timeout=NOTEBOOK_SECONDS, kernel_name="python3", allow_errors=False,
                   resources={"metadata": {"path": str(SOURCE / ps)}}).execute()
    reprs = json.loads(nb.cells[-1].outputs[0]["text"])
    import ast

    released = "\n".join(c.source for c in read(RELEASE / ps / f"{ps}.ipynb").cells)
    module = (ROOT / "designkit" / "checks" / "sets" / f"{ps.replace('-', '_')}.py").read_text(encoding="utf-8")
    leaks = []
    for part in problem_set.parts:
        try:
            value = ast.literal_eval(reprs[part.variable])
        except (ValueError, SyntaxError):  # a DataFrame, a Series, a model: its repr is checked as it is
            value = reprs[part.variable]
        for text in answer_texts(value):
            pattern = rf"(?<![\w.]){re.escape(text)}(?![\w.])"
            for where, body in (("assignments", released), ("visible checks", module)):
                if len(text) > 2 and re.search(pattern, body):
                    leaks.append(f"{part.id}: {text!r} shows in {where}")
    assert not leaks, f"{ps}: answers in plain text:\n" + "\n".join(leaks)
