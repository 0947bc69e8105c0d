"""Problem sets from both sides, through real nbgrader (conventions: source/README.md).

Parametrised over every ``source/ps*/`` folder, so a new set is tested as soon as it exists:

- static checks (no kernel): names, kernelspec, ids, no outputs, points add up to the stated total, a rubric for
  every written part (the same table in the notebook and in ``rubric.md``), ``mistakes.yml`` well formed with at
  least two mistakes for every autograded part;
- the source notebook passes ``nbgrader.validator.Validator`` and the released one fails every test
  (``invert=True``): the CLI's ``nbgrader validate`` exits 0 either way, so the class is called;
- ``generate_assignment`` in a temporary copy reproduces ``assignments/<set>/`` byte for byte, and no hidden test
  reaches it;
- one real in-process ``autograde`` run per set grades: the solution (full marks on every autograded part), the
  blank release (zero), and the documented common mistakes (each loses its part's points and its grade cell
  shows the ``message_contains`` phrase). Mistakes are batched into a few "waves" of students, each wave holding
  at most one mistake per answer cell; parts a wave does not touch must keep full marks, which shows that each
  mistake fails its own part only.
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
SETS = sorted(p.name for p in SOURCE.glob("ps*") if (p / f"{p.name}.ipynb").is_file())
NAME = re.compile(r"^ps\d+-[a-z0-9]+(-[a-z0-9]+)*$")
TOTAL = re.compile(r"Total:\s*(\d+)\s*points")
RUBRIC_ROW = re.compile(r"^\|(.+)\|\s*$")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
MISTAKE_KEYS = {"part", "cell", "mistake", "code", "message_contains"}
GRADER_FILES = ("mistakes.yml", "rubric.md")
NOTEBOOK_SECONDS = 20  # the course's limit per notebook (nbgrader_config.py: Execute.timeout per cell)

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
    """grade_id -> points of the manually graded written (markdown) answers."""
    return {
        nbg(c)["grade_id"]: nbg(c)["points"]
        for c in nb.cells
        if nbg(c).get("grade") and nbg(c).get("solution") and c.cell_type == "markdown"
    }


def load_mistakes(ps: str) -> list[dict]:
    path = SOURCE / ps / "mistakes.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict) and isinstance(data.get("mistakes"), list), (
        f"{path}: expected a mapping with a `mistakes:` list (see source/README.md)"
    )
    return data["mistakes"]


def rubric_tables(text: str) -> list[list[list[str]]]:
    """Markdown tables in ``text`` as lists of rows of stripped cells (separator rows dropped)."""
    tables, current = [], []
    for line in text.splitlines():
        m = RUBRIC_ROW.match(line.strip())
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


def rubric_points(table: list[list[str]]) -> float:
    """Sum of the last column ("Points") of a rubric table."""
    assert table[0][-1].lower() == "points", f"a rubric's last column must be 'Points', got {table[0]}"
    return sum(float(row[-1]) for row in table[1:])


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
    (or from ``overrides``: cell id -> code, for a common mistake)."""
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


@pytest.fixture(scope="module")
def graded(released: Released, timings: dict[str, float]) -> Graded:
    """One real autograde pass over the solution, the blank release and every wave of mistakes."""
    from nbgrader.api import Gradebook

    ps, course = released.ps, released.course
    solution, blank = source_nb(ps), read(released.notebook)
    students: dict[str, nbformat.NotebookNode] = {"solution": filled(blank, solution, {}), "blank": blank}
    result = Graded(released)
    for i, wave in enumerate(waves(load_mistakes(ps)), start=1):
        student = f"mistakes-{i}"
        students[student] = filled(blank, solution, {m["cell"]: m["code"] for m in wave})
        result.mutants[student] = wave
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
    assert NAME.match(ps), f"source/{ps}: use psN-kebab-slug"
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


def test_points_add_up_to_the_stated_total(ps: str) -> None:
    nb = source_nb(ps)
    auto, written = autograded_parts(nb), written_parts(nb)
    assert 4 <= len(auto) <= 8, f"{ps}: {len(auto)} autograded parts (the convention is 4-8)"
    assert 1 <= len(written) <= 3, f"{ps}: {len(written)} written parts (the convention is 1-3)"
    stated = TOTAL.search(nb.cells[0].source)
    assert stated, f"{ps}: the first cell must state 'Total: N points'"
    assert sum(auto.values()) + sum(written.values()) == int(stated.group(1)), (
        f"{ps}: parts add up to {sum(auto.values()) + sum(written.values())}, the top says {stated.group(1)}"
    )


def test_every_written_part_has_its_rubric(ps: str) -> None:
    """The rubric shown above the answer cell equals the one in rubric.md, and its points match the part's."""
    nb = source_nb(ps)
    rubric_md = (SOURCE / ps / "rubric.md").read_text(encoding="utf-8")
    sections = dict(re.findall(r"^## (\S+)[^\n]*\n(.*?)(?=^## |\Z)", rubric_md, re.M | re.S))
    for i, cell in enumerate(nb.cells):
        if cell.id not in written_parts(nb):
            continue
        points = nbg(cell)["points"]
        shown = [t for t in rubric_tables(nb.cells[i - 1].source) if t[0][-1].lower() == "points"]
        assert shown, f"{ps}/{cell.id}: the cell before a written answer must show its rubric table"
        assert rubric_points(shown[0]) == points, f"{ps}/{cell.id}: rubric points != {points}"
        assert cell.id in sections, f"{ps}/rubric.md: no '## {cell.id}' section"
        kept = rubric_tables(sections[cell.id])
        assert kept and kept[0] == shown[0], f"{ps}/{cell.id}: rubric.md and the notebook show different rubrics"


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

    validator = Validator(config=nbgrader_config(released.course), invert=True)
    result = validator.validate(str(released.notebook))
    assert result == {}, f"{released.ps}: a blank notebook passes tests:\n{result}"


def test_no_grader_files_are_released(released: Released) -> None:
    """rubric.md and mistakes.yml stay in source/: generate_assignment must not copy them to students."""
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
    assert "BEGIN HIDDEN TESTS" not in text and "BEGIN SOLUTION" not in text
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


def test_blank_fails_with_teaching_messages(graded: Graded) -> None:
    """The blank release runs without a crash outside the tests, and every test fails with an AssertionError
    (a check's message), not a NameError or TypeError; the solution raises nothing anywhere."""
    parts = set(graded.scores["solution"])
    blank = graded.errors["blank"]
    crashed = {cell: name for cell, name in blank.items() if cell not in parts}
    assert not crashed, f"{graded.released.ps}: blank answer or set-up cells raise {crashed}: keep a placeholder"
    rough = {cell: name for cell, name in blank.items() if cell in parts and name != "AssertionError"}
    assert not rough, f"{graded.released.ps}: on a blank notebook these tests fail with {rough}, not a message"
    assert not graded.errors["solution"], f"{graded.released.ps}: the solution raises {graded.errors['solution']}"


def test_notebooks_run_within_the_time_limit(graded: Graded) -> None:
    """Measured (reported in the summary); the bound is loose: nbgrader's per-cell timeout is the real limit."""
    slow = {s: round(t, 1) for s, t in graded.seconds.items() if t > 3 * NOTEBOOK_SECONDS}
    assert not slow, f"{graded.released.ps}: autograde took {slow} s per notebook"
