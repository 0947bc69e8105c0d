"""A reproducible simulated class whose work arrives as real submissions.

No OS identity is faked: each submission is written straight into nbgrader's documented course layout,
``submitted/<student>/<assignment>/<notebook>.ipynb`` plus ``timestamp.txt``, exactly where
``nbgrader collect`` puts what students submit, and every student is registered in the gradebook.

Each (student, problem set) gets a profile, drawn from ``random.Random`` seeded with the seed, the
student and the set, so the same seed always gives the same class:

- ``full``: every autograded answer is the source's solution;
- ``partial``: some answers are the solution, the others left as the released stub;
- ``mistakes``: the solution with one or two documented common mistakes (``mistakes.yml``) in place;
- ``blank``: the released notebook, untouched;
- ``late``: like ``full`` or ``mistakes`` but submitted after the due date set in the gradebook;
- ``missing``: nothing submitted.

One student in five (``student05``, ``student10``...) works in Chinese: they fetch and submit the Chinese version of
each problem set (``<set>-zh``, when ``make translations`` has generated it) with the same answers, so the same
code is graded in both languages (``make demo``'s summary compares them). The team capstone's milestones and peer
form are handed in in the student's language too, or in the language ``capstone_langs`` gives (the demo has one
team work in Chinese as a whole: ``capstone.capstone_languages``); ``teams`` and ``peer`` read either language.

Written parts get an answer of the student's level: ``strong``, ``adequate`` or ``weak`` texts written
per part in ``designkit/classroom/answers/<set>.yml`` with the score its rubric gives each (a strong answer
may be the set's own full-marks example, ``from_example: true``, so no figure is restated). For a part
without such texts they are derived from the source's example answer (the example itself, its first
sentence, its first words), marked ``derived``.

>>> profile_for(7, "student01", "ps0-warm-up").kind in PROFILES
True
>>> student_lang(["student01", "student02", "student03", "student04", "student05"], "student05")
'zh-CN'
"""
from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from designkit.classroom.course import Course, CourseError, in_lang, set_of

PROFILES = ("full", "partial", "mistakes", "blank", "late", "missing")
WEIGHTS = {  # by ability band: (full, partial, mistakes, blank, late, missing)
    "high": (45, 10, 30, 2, 10, 3),
    "middle": (25, 20, 35, 5, 10, 5),
    "low": (8, 30, 30, 12, 8, 12),
}
QUALITIES = ("strong", "adequate", "weak")
IN_CHINESE_EVERY = 5  # every fifth simulated student works in Chinese
FIRST_DUE = datetime(2026, 9, 14, 23, 59, tzinfo=timezone.utc)
ANSWERS_DIR = Path(__file__).with_name("answers")


@dataclass
class Profile:
    """What one simulated student hands in for one problem set.

    >>> Profile("blank", "weak").answers_code
    False
    """

    kind: str
    written: str
    mistakes: list[int] = field(default_factory=list)  # indices into mistakes.yml
    answered: list[str] = field(default_factory=list)  # for partial: the answer cells filled in
    hours: float = 0.0  # before the due date (negative) or after it (late)

    @property
    def answers_code(self) -> bool:
        return self.kind not in ("blank", "missing")


def student_ids(n: int) -> list[str]:
    """``student01`` ... ``studentNN``.

    >>> student_ids(2)
    ['student01', 'student02']
    """
    width = max(2, len(str(n)))
    return [f"student{i:0{width}d}" for i in range(1, n + 1)]


def student_lang(students: list[str], student: str) -> str:
    """The language a simulated student works in: Chinese for every fifth student, else English."""
    return "zh-CN" if (students.index(student) + 1) % IN_CHINESE_EVERY == 0 else "en"


def _band(seed: int, student: str) -> str:
    ability = random.Random(f"{seed}|{student}").random()
    return "low" if ability < 0.2 else "high" if ability > 0.65 else "middle"


def profile_for(seed: int, student: str, assignment: str, n_mistakes: int = 0,
                answer_cells: list[str] | None = None) -> Profile:
    """The reproducible profile of ``student`` for ``assignment``."""
    band = _band(seed, student)
    rng = random.Random(f"{seed}|{student}|{assignment}")
    kind = rng.choices(PROFILES, weights=WEIGHTS[band])[0]
    written_w = {"high": (6, 3, 1), "middle": (3, 5, 2), "low": (1, 3, 6)}[band]
    written = rng.choices(QUALITIES, weights=written_w)[0]
    prof = Profile(kind, written)
    if kind == "late":
        prof.hours = round(rng.uniform(1, 60), 2)
        if n_mistakes and rng.random() < 0.5:
            prof.mistakes = [rng.randrange(n_mistakes)]
    else:
        prof.hours = -round(rng.uniform(1, 96), 2)
    if kind == "mistakes" and n_mistakes:
        prof.mistakes = sorted(rng.sample(range(n_mistakes), k=min(n_mistakes, rng.choice((1, 1, 2)))))
    if kind == "partial" and answer_cells:
        k = rng.randint(1, max(1, len(answer_cells) - 1))
        prof.answered = sorted(rng.sample(answer_cells, k=k))
    return prof


# --------------------------------------------------------------------------------------------------
# the material: solutions, mistakes and written answers
# --------------------------------------------------------------------------------------------------
def _text(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def _meta(cell: dict) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def solution_text(source: str, begin: str = "BEGIN SOLUTION", end: str = "END SOLUTION") -> str:
    """The source cell with the solution markers removed (what a student with full marks writes); ``begin``
    and ``end`` are the course's delimiters (``Course.delimiters()``), matched as nbgrader does (in the line).

    >>> solution_text("x = None\\n### BEGIN SOLUTION\\nx = 1\\n### END SOLUTION\\nx")
    'x = None\\nx = 1\\nx'
    """
    lines = [ln for ln in source.splitlines() if begin not in ln and end not in ln]
    return "\n".join(lines)


def load_mistakes(course: Course, assignment: str) -> list[dict]:
    """The documented common mistakes of a set (``source/<set>/mistakes.yml``); [] when there is none."""
    path = course.source / assignment / "mistakes.yml"
    if not path.exists():
        return []
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise CourseError(f"{path} is not valid YAML ({exc}): fix it (format in source/README.md).") from exc
    items = data.get("mistakes", []) if isinstance(data, dict) else []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not {"part", "cell", "code"} <= set(item):
            raise CourseError(f"{path}: mistake #{i + 1} needs 'part', 'cell' and 'code' (format in source/README.md).")
    return items


def written_answers(course: Course, assignment: str) -> dict[str, dict[str, dict[str, Any]]]:
    """``{grade_id: {quality: {"text": ..., "score": ..., "derived": bool}}}`` for the written parts."""
    import yaml

    source_nb = json.loads((course.source / assignment / f"{assignment}.ipynb").read_text(encoding="utf-8")) \
        if (course.source / assignment / f"{assignment}.ipynb").exists() else {"cells": []}
    written = {_meta(c)["grade_id"]: c for c in source_nb["cells"]
               if c.get("cell_type") == "markdown" and _meta(c).get("solution") and _meta(c).get("grade")}
    path = ANSWERS_DIR / f"{assignment}.yml"
    given = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    out: dict[str, dict[str, dict[str, Any]]] = {}
    marks = course.delimiters() if written else {}
    for gid, cell in written.items():
        points = float(_meta(cell).get("points") or 0)
        example = solution_text(_text(cell), marks["begin_solution"], marks["end_solution"])
        example = re.sub(r"^\*[^*]*\(for graders[^)]*\):\*\s*", "", example.strip())
        if gid in (given or {}):
            out[gid] = {}
            for q, v in given[gid].items():
                if not isinstance(v, dict) or "score" not in v or not ("text" in v or v.get("from_example")):
                    raise CourseError(f"{path}: {gid}/{q} needs 'score' and 'text' (or 'from_example: true').")
                text = example if v.get("from_example") else str(v["text"]).strip()
                out[gid][q] = {"text": text, "score": float(v["score"]), "derived": False}
            continue
        first = re.split(r"(?<=[.!?])\s", example, maxsplit=1)[0]
        words = " ".join(example.split()[:12])
        out[gid] = {
            "strong": {"text": example, "score": points, "derived": True},
            "adequate": {"text": first, "score": round(points * 0.5 * 2) / 2, "derived": True},
            "weak": {"text": words + " ...", "score": round(points * 0.25 * 2) / 2, "derived": True},
        }
    return out


# --------------------------------------------------------------------------------------------------
# building submissions
# --------------------------------------------------------------------------------------------------
def build_notebook(course: Course, assignment: str, notebook: str, prof: Profile,
                   mistakes: list[dict], answers: dict[str, dict[str, dict[str, Any]]]) -> dict:
    """The notebook a student with ``prof`` submits: the released version with their answers."""
    released = json.loads((course.release / assignment / f"{notebook}.ipynb").read_text(encoding="utf-8"))
    source = json.loads((course.source / assignment / f"{notebook}.ipynb").read_text(encoding="utf-8"))
    marks = course.delimiters()
    solutions = {_meta(c)["grade_id"]: solution_text(_text(c), marks["begin_solution"], marks["end_solution"])
                 for c in source["cells"] if _meta(c).get("solution")}
    replaced = {mistakes[i]["cell"]: str(mistakes[i]["code"]).rstrip("\n") for i in prof.mistakes}
    for cell in released["cells"]:
        meta = _meta(cell)
        gid = meta.get("grade_id")
        if not meta.get("solution") or gid not in solutions or not prof.answers_code:
            continue
        if cell["cell_type"] == "markdown":
            if gid in answers:
                cell["source"] = answers[gid][prof.written]["text"]
            continue
        if prof.kind == "partial" and gid not in prof.answered:
            continue
        cell["source"] = replaced.get(gid, solutions[gid])
    return released


def due_dates(course: Course, names: list[str]) -> dict[str, datetime]:
    """The due date of each set: the gradebook's, or one week apart from 14 September 2026, 23:59 UTC
    (then written to the gradebook, so nbgrader computes lateness)."""
    out = {}
    sets = course.set_names()
    with course.open_gradebook() as gb:
        for name in course.assignment_names():
            if name not in names:
                continue
            i = sets.index(set_of(name))  # both languages of a set are due together
            assignment = gb.update_or_create_assignment(name)
            if assignment.duedate is None:
                assignment.duedate = (FIRST_DUE + timedelta(weeks=i)).replace(tzinfo=None)
                gb.db.commit()
            out[name] = assignment.duedate.replace(tzinfo=timezone.utc)
    return out


@dataclass
class SimulatedClass:
    """What ``simulate`` wrote."""

    students: list[str]
    profiles: dict[tuple[str, str], Profile]  # by (student, set)
    submitted: Path
    submitted_as: dict[tuple[str, str], str] = field(default_factory=dict)  # (student, set) -> the assignment

    def count(self, kind: str) -> int:
        return sum(p.kind == kind for p in self.profiles.values())


def simulate(course: Course, n_students: int, seed: int = 0, names: list[str] | None = None,
             progress: bool = True, capstone_langs: dict[str, str] | None = None) -> SimulatedClass:
    """Write a simulated class of ``n_students`` into ``submitted/``; the same seed gives the same files.
    ``capstone_langs`` (student -> ``en`` | ``zh-CN``): the language of each student's capstone work, default
    their own.
    """
    import shutil
    import sys

    from tqdm import tqdm

    from designkit.classroom.grading import ensure_generated

    if n_students < 1:
        raise CourseError(f"--students must be at least 1 (got {n_students}).")
    names = course.check_assignments(names)
    ensure_generated(course, names)
    dues = due_dates(course, names)
    students = student_ids(n_students)
    with course.open_gradebook() as gb:
        for student in students:
            gb.update_or_create_student(student)
    profiles: dict[tuple[str, str], Profile] = {}
    submitted_as: dict[tuple[str, str], str] = {}
    sets = list(dict.fromkeys(set_of(name) for name in names))
    material = {}
    for name in sets:
        mistakes = load_mistakes(course, name)  # code cells are identical in both languages: the same fixtures
        answers = written_answers(course, name)
        cells = []
        for nb in course.notebook_ids(name):  # the English source: the same code cells as the Chinese one
            src = json.loads((course.source / name / f"{nb}.ipynb").read_text(encoding="utf-8"))
            cells += [_meta(c)["grade_id"] for c in src["cells"]
                      if _meta(c).get("solution") and c["cell_type"] == "code"]
        material[name] = (mistakes, answers, cells)
    for student in tqdm(students, desc="simulate", unit="student", disable=not progress, file=sys.stderr):
        lang = student_lang(students, student)
        for name in sets:
            mistakes, answers, cells = material[name]
            prof = profile_for(seed, student, name, len(mistakes), cells)
            profiles[(student, name)] = prof
            variants = [v for v in course.variants(name) if v in names]
            chosen = (capstone_langs or {}).get(student, lang) if name.startswith("capstone-") else lang
            variant = in_lang(name, chosen) if in_lang(name, chosen) in variants else variants[0]
            submitted_as[(student, name)] = variant
            for v in variants:  # earlier simulated work of this student, in either language
                if (course.submitted / student / v).exists():
                    shutil.rmtree(course.submitted / student / v)
            if prof.kind == "missing":
                continue
            folder = course.submitted / student / variant
            folder.mkdir(parents=True)
            for nb in course.notebook_ids(variant):
                built = build_notebook(course, variant, nb, prof, mistakes, answers)
                (folder / f"{nb}.ipynb").write_text(json.dumps(built, indent=1, ensure_ascii=False) + "\n",
                                                    encoding="utf-8")
            when = dues[variant] + timedelta(hours=prof.hours)
            (folder / "timestamp.txt").write_text(when.strftime("%Y-%m-%d %H:%M:%S.%f UTC"), encoding="utf-8")
    return SimulatedClass(students, profiles, course.submitted, submitted_as)
