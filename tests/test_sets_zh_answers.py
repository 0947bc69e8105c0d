"""A Chinese answer scores what the same English answer scores, and Chinese nonsense earns nothing (issue 18).

For every set with ``source/<set>/answers-zh.yml`` (grader-only, like ``mistakes.yml``; format below), one real
in-process nbgrader pass grades, in a temporary copy of the course:

- the English solution;
- ``solution-zh``: the released notebook with the answer cells that ``answers:`` names written in Chinese (the
  other answer cells keep the solution's code, e.g. a set of letters);
- every fixture of ``nonsense:``: well-formed Chinese nonsense (an artefact about something else, the case's
  keywords strung together...), the answer cells it names replaced.

The Chinese submissions are graded with ``COURSE_LANG=zh-CN`` in the kernel, as the grading pipeline does for a
notebook whose ``metadata.designkit.lang`` is ``zh-CN``: every message then comes from the Chinese catalogues, so a
translation that breaks a message (a field it lacks) shows here as an error, not as a lost point somewhere else.

Checked: the Chinese solution gets exactly the English solution's points on every autograded part; each Chinese
nonsense fixture keeps 0 of the set's autograded design points (``source/README.md``'s table says which parts are
design); every failing test fails with a check's message (no NameError or KeyError); ``answers-zh.yml`` never reaches
the release.

``answers-zh.yml``::

    answers:            # answer cell id -> its code, in Chinese
      q2-answer: |
        pov = None
        pov = PointOfView(user="蒙泽农村的一位母亲……", ...)
    nonsense:           # as in nonsense.yml
      - name: 关于校园食堂的观点陈述和问题
        kind: unrelated
        cells: {q2-answer: "..."}
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest
import yaml
from test_assignments import (
    NONSENSE_KEYS,
    NONSENSE_KINDS,
    SOURCE,
    autograded_parts,
    filled,
    nbg,
    nbgrader_api,
    outputs_text,
    read,
    readme_section,
    source_nb,
)

SETS_ZH = sorted(p.parent.name for p in SOURCE.glob("*/answers-zh.yml"))
CJK = re.compile(r"[\u4e00-\u9fff]")
MESSAGES = {"AssertionError", "PartFailed"}  # a check's message (designkit.checks.PartFailed is an AssertionError)

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")


def load_answers(ps: str) -> dict:
    path = SOURCE / ps / "answers-zh.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict) and isinstance(data.get("answers"), dict) and data["answers"], (
        f"{path}: expected a mapping with `answers:` (answer cell id -> code in Chinese), see tests/test_sets_zh_answers.py"
    )
    assert isinstance(data.get("nonsense"), list) and data["nonsense"], f"{path}: `nonsense:` needs at least one fixture"
    return data


@dataclass
class GradedZh:
    ps: str
    course: Path
    scores: dict[str, dict[str, float]] = field(default_factory=dict)  # student -> part -> points
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)  # student -> part -> what the grade cell showed
    errors: dict[str, dict[str, str]] = field(default_factory=dict)  # student -> cell id -> error name
    nonsense: dict[str, dict] = field(default_factory=dict)  # student -> fixture


@pytest.fixture(scope="module", params=SETS_ZH)
def graded_zh(request: pytest.FixtureRequest, course_copy: Callable[..., Path], timings: dict[str, float]) -> GradedZh:
    """The English solution, the Chinese solution and the Chinese nonsense of one set, autograded by nbgrader."""
    from nbgrader.api import Gradebook

    ps = request.param
    data = load_answers(ps)
    course = course_copy([ps])
    api = nbgrader_api(course)
    result = api.generate_assignment(ps, force=True, create=True)
    assert result["success"], f"generate_assignment {ps} failed:\n{result.get('error')}\n{result.get('log')}"
    solution, blank = source_nb(ps), read(course / "assignments" / ps / f"{ps}.ipynb")
    graded = GradedZh(ps, course)
    students = {"solution": (filled(blank, solution, {}), "en"),
                "solution-zh": (filled(blank, solution, data["answers"]), "zh-CN")}
    for i, fixture in enumerate(data["nonsense"], start=1):
        students[f"nonsense-zh-{i}"] = (filled(blank, solution, fixture["cells"]), "zh-CN")
        graded.nonsense[f"nonsense-zh-{i}"] = fixture
    stamp = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f %Z")
    for student, (nb, lang) in students.items():
        nb.metadata["designkit"] = {"lang": lang}
        folder = course / "submitted" / student / ps
        folder.mkdir(parents=True)
        nbformat.write(nb, str(folder / f"{ps}.ipynb"))
        (folder / "timestamp.txt").write_text(stamp)
    saved = os.environ.get("COURSE_LANG")
    try:
        for student, (_, lang) in students.items():
            os.environ["COURSE_LANG"] = lang  # the kernel nbgrader starts inherits it, as in the grading pipeline
            start = time.perf_counter()
            out = api.autograde(ps, student, force=True, create=True)
            timings[f"{ps} autograde {student}"] = time.perf_counter() - start
            assert out["success"], f"autograde {ps}/{student} failed:\n{out.get('error')}\n{out.get('log')}"
    finally:
        if saved is None:
            os.environ.pop("COURSE_LANG", None)
        else:
            os.environ["COURSE_LANG"] = saved
    parts = autograded_parts(solution)
    with Gradebook(api.coursedir.db_url) as gb:
        for student in students:
            graded.scores[student] = {p: gb.find_grade(p, ps, ps, student).score for p in parts}
    for student in students:
        nb = read(course / "autograded" / student / ps / f"{ps}.ipynb")
        graded.outputs[student] = {nbg(c)["grade_id"]: outputs_text(c) for c in nb.cells if nbg(c).get("grade")}
        graded.errors[student] = {c.id: o.get("ename", "") for c in nb.cells if c.cell_type == "code"
                                  for o in c.get("outputs", []) if o.get("output_type") == "error"}
    return graded


def test_there_are_chinese_answers() -> None:
    """At least ps4 and ps7 (the sets with the most text) have Chinese answers."""
    assert {"ps4-framing-the-challenge", "ps7-research-and-synthesis"} <= set(SETS_ZH), (
        f"source/<set>/answers-zh.yml exists for {SETS_ZH}; ps4 and ps7 need one (see this file's docstring)"
    )


@pytest.mark.parametrize("ps", SETS_ZH)
def test_answers_zh_well_formed(ps: str) -> None:
    """Each override is an answer cell of the set and is written in Chinese; nonsense fixtures as in nonsense.yml."""
    data = load_answers(ps)
    cells = {c.id for c in source_nb(ps).cells if nbg(c).get("solution") and c.cell_type == "code"}
    where = f"source/{ps}/answers-zh.yml"
    for name, overrides in [("answers", data["answers"])] + [(f["name"], f.get("cells")) for f in data["nonsense"]]:
        assert isinstance(overrides, dict) and overrides, f"{where}: {name!r} replaces no cell"
        unknown = set(overrides) - cells
        assert not unknown, f"{where}: {name!r} replaces {sorted(unknown)}, which are not answer cells of {ps}"
        english = [cell for cell, code in overrides.items() if not CJK.search(code)]
        assert not english, f"{where}: {name!r} gives {english} without a word of Chinese"
    names = [f.get("name") for f in data["nonsense"]]
    assert len(names) == len(set(names)), f"{where}: nonsense names must be unique"
    for f in data["nonsense"]:
        assert set(f) == NONSENSE_KEYS and f["kind"] in NONSENSE_KINDS, (
            f"{where}: {f.get('name')!r} needs exactly {sorted(NONSENSE_KEYS)}, kind one of {sorted(NONSENSE_KINDS)}"
        )


def test_chinese_solution_scores_as_the_english(graded_zh: GradedZh) -> None:
    english, chinese = graded_zh.scores["solution"], graded_zh.scores["solution-zh"]
    differ = {p: (english[p], chinese[p]) for p in english if english[p] != chinese[p]}
    assert not differ, f"{graded_zh.ps}: the Chinese answers score differently from the English solution:\n" + "\n".join(
        f"- {p}: English {e:g}, Chinese {z:g}; the grade cell said: {graded_zh.outputs['solution-zh'][p].strip()[:400]}"
        for p, (e, z) in differ.items()
    )


def test_chinese_nonsense_earns_no_design_points(graded_zh: GradedZh) -> None:
    table = readme_section(graded_zh.ps)
    design = {p for p, row in table.parts.items() if row["Design"] == "yes" and row["Graded by"] == "autograder"}
    greedy = {fixture["name"]: {p: graded_zh.scores[s][p] for p in design if graded_zh.scores[s][p]}
              for s, fixture in graded_zh.nonsense.items()}
    greedy = {name: parts for name, parts in greedy.items() if parts}
    assert not greedy, f"{graded_zh.ps}: Chinese nonsense keeps autograded design points: {greedy}"


def test_chinese_submissions_fail_only_with_messages(graded_zh: GradedZh) -> None:
    """A Chinese submission's failures are checks' messages (a broken translation would raise KeyError here)."""
    rough = {s: {c: n for c, n in errors.items() if n not in MESSAGES}
             for s, errors in graded_zh.errors.items() if s != "solution"}
    rough = {s: e for s, e in rough.items() if e}
    assert not rough, f"{graded_zh.ps}: cells raise {rough}, not a check's message"


def test_answers_zh_never_released(graded_zh: GradedZh) -> None:
    leaked = sorted(p.name for p in (graded_zh.course / "assignments" / graded_zh.ps).rglob("answers-zh.yml"))
    assert not leaked, f"answers-zh.yml reaches assignments/{graded_zh.ps}: nbgrader_config.py's ignore must list it"
