"""Student versions and their release: ``nbgrader generate_assignment`` and ``release_assignment``.

``generate`` writes ``assignments/<psN-slug>/`` from ``source/<psN-slug>/`` for every problem set (or the
ones named) and records them in the gradebook. It is exactly ``nbgrader generate_assignment --force``,
whose output depends only on the source: regenerating an unchanged set gives byte-identical files. ``release`` copies them to the exchange (created, inside the course folder, with the
permissions nbgrader's release creates: 0777 for the exchange root, as on a shared server).

>>> from designkit.classroom.course import Course
>>> isinstance(Course.find().assignment_names(), list)
True
"""
from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from designkit.classroom.course import Course, CourseError


def generate(course: Course, names: list[str] | None = None, progress: bool = True) -> list[Path]:
    """Run nbgrader generate_assignment for each problem set; returns the generated folders.
    """
    from tqdm import tqdm

    todo = course.check_assignments(names)
    api = course.api()
    out = []
    for name in tqdm(todo, desc="generate_assignment", unit="set", disable=not progress, file=sys.stderr):
        result = api.generate_assignment(name, force=True, create=True)
        if not result.get("success"):
            log = (result.get("log") or "") + (result.get("error") or "")
            errors = [ln for ln in log.splitlines() if "ERROR" in ln or "Error" in ln]
            raise CourseError(f"nbgrader generate_assignment {name} failed:\n" + "\n".join(errors[-8:] or
                                                                                        log.splitlines()[-8:]))
        out.append(course.release / name)
    return out


def prepare_exchange(course: Course) -> Path:
    """Create the exchange root with the permissions nbgrader's release expects (0777, any user may
    submit) and return it."""
    root = course.exchange_root()
    root.mkdir(parents=True, exist_ok=True)
    perms = stat.S_IRWXU | stat.S_IRWXG | stat.S_IRWXO
    if stat.S_IMODE(root.stat().st_mode) != perms:
        os.chmod(root, perms)
    return root


def release(course: Course, names: list[str] | None = None, progress: bool = True) -> Path:
    """Generate and release the problem sets to the exchange; returns the exchange's course folder."""
    from tqdm import tqdm

    todo = course.check_assignments(names)
    generate(course, todo, progress=progress)
    prepare_exchange(course)
    api = course.api()
    for name in tqdm(todo, desc="release_assignment", unit="set", disable=not progress, file=sys.stderr):
        api.unrelease(name)  # nbgrader refuses to overwrite an existing release without --force
        result = api.release_assignment(name)
        if not result.get("success"):
            log = (result.get("log") or "") + (result.get("error") or "")
            raise CourseError(f"nbgrader release_assignment {name} failed:\n" + "\n".join(log.splitlines()[-8:]))
    return course.exchange_root() / course.course_id()
