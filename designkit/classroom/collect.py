"""Collecting submissions: ``nbgrader collect`` from the exchange, and recording what is in ``submitted/``.

With an exchange (``release`` made one), every submission students sent with ``nbgrader submit`` (or the
Assignments tab) is collected into ``submitted/<student>/<set>/`` by nbgrader itself. Before nbgrader copies
anything, intake (``designkit.grading.intake``) removes from the exchange's ``inbound/`` every symbolic link,
hard link to a file outside and special file (nbgrader's copy would follow a link and store its target);
the same sweep runs over ``submitted/`` before grading. What was dropped is kept in
``backups/intake/<student>/<set>.json`` and shown in the status table, ``grades.csv``'s notes and the report.

Submissions already in ``submitted/`` (a simulated class, or an LMS download imported with ``nbgrader
zip_collect``) are recorded too: each student is registered in the gradebook and each submission gets a
``submitted`` row in the status table, so ``grade`` and ``report`` see the whole class.

>>> CollectSummary(collected=["ps0-warm-up"], recorded=3).lines()[-1]
'recorded 3 submission(s) in submitted/'
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

from designkit.classroom.course import Course
from designkit.classroom.status import State, StatusRow, StatusTable, fingerprint


@dataclass
class CollectSummary:
    """What ``collect`` did."""

    collected: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    recorded: int = 0
    exchange: str = ""
    dropped: dict[str, list[str]] = field(default_factory=dict)

    def lines(self) -> list[str]:
        out = []
        if self.exchange:
            out.append(f"collected from the exchange {self.exchange}: {', '.join(self.collected) or 'nothing'}")
        else:
            out.append("no exchange with submissions: nothing to collect from it")
        out += [f"  problem: {p}" for p in self.problems]
        out += [f"  dropped from {key} (never followed or copied): {'; '.join(what)}"
                for key, what in sorted(self.dropped.items())]
        out.append(f"recorded {self.recorded} submission(s) in submitted/")
        return out


def record_drops(course: Course, student: str, assignment: str, dropped: list[str]) -> None:
    """Add ``dropped`` (descriptions) to what intake removed from ``student``'s ``assignment``."""
    if not dropped:
        return
    path = course.intake_log / student / f"{assignment}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    old = recorded_drops(course, student, assignment)
    path.write_text(json.dumps(old + [d for d in dropped if d not in old], indent=1), encoding="utf-8")


def recorded_drops(course: Course, student: str, assignment: str) -> list[str]:
    """What intake has removed from this submission so far (descriptions), oldest first."""
    path = course.intake_log / student / f"{assignment}.json"
    if not path.is_file():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return [f"(the intake record {path} is unreadable)"]
    return [str(d) for d in data] if isinstance(data, list) else []


def sweep_submitted(course: Course, assignments: list[str]) -> dict[str, list[str]]:
    """Intake over ``submitted/``: a student or submission folder that is a link is removed (the link, never
    its target); inside each submission, links and special files are removed. Returns
    ``{"student/set": [descriptions]}`` of what was dropped now (also recorded for the report)."""
    from designkit.grading.intake import Dropped, sanitize

    out: dict[str, list[str]] = {}
    if not course.submitted.is_dir():
        return out
    for entry in sorted(course.submitted.iterdir()):
        if entry.is_symlink():
            what = Dropped(".", "symlink", os.readlink(entry)).describe()
            entry.unlink()
            for name in assignments:
                record_drops(course, entry.name, name, [f"the student folder was {what[5:]}"])
            out[f"{entry.name}/*"] = [f"the student folder itself: {what[5:]}"]
            continue
        if not entry.is_dir():
            continue
        for name in assignments:
            folder = entry / name
            if not os.path.lexists(folder):
                continue
            dropped = [d.describe() for d in sanitize(folder)]
            dropped = [f"the submission folder itself: {d[5:]}" if d.startswith("'.': ") else d for d in dropped]
            if dropped:
                record_drops(course, entry.name, name, dropped)
                out[f"{entry.name}/{name}"] = dropped
    return out


def offered_sets(course: Course, names: list[str]) -> set[str]:
    """The sets of ``names`` that were given to the class: those the exchange offers (its ``outbound/``) and
    those someone submitted. With no exchange at all (a simulated class, an LMS download), every set counts.
    A student without a submission counts as "missing" only for these.
    """
    outbound = course.exchange_root() / course.course_id() / "outbound"
    if not outbound.is_dir():
        return set(names)
    submitted = {name for name in names if course.submitted.is_dir()
                 and any((s / name).is_dir() for s in course.submitted.iterdir())}
    return {name for name in names if (outbound / name).is_dir()} | submitted


def collect(course: Course, names: list[str] | None = None, wait: float = 0.0) -> CollectSummary:
    """Collect from the exchange (when it holds submissions), then record every submission in ``submitted/``.
    Takes the course's grading lock (see ``designkit.grading.lock``).
    """
    with course.lock(wait, "collect"):
        return _collect(course, names)


def _collect(course: Course, names: list[str] | None) -> CollectSummary:
    from designkit.classroom.course import retry_db
    from designkit.grading.intake import sanitize_inbound

    names = course.check_assignments(names)
    summary = CollectSummary()
    inbound = course.exchange_root() / course.course_id() / "inbound"
    if inbound.is_dir() and any(inbound.iterdir()):
        summary.exchange = str(inbound)
        api = course.api()
        for name in names:
            if not any(inbound.glob(f"*+{name}+*")):
                continue
            for (student, _), dropped in sanitize_inbound(inbound, name).items():
                texts = [d.describe() for d in dropped]
                record_drops(course, student, name, texts)
                summary.dropped.setdefault(f"{student}/{name}", []).extend(texts)
            result = api.collect(name, update=True)
            if result.get("success"):
                summary.collected.append(name)
            else:
                summary.problems.append(f"{name}: {(result.get('error') or '').strip().splitlines()[-1:]}")
    for key, texts in sweep_submitted(course, names).items():
        summary.dropped.setdefault(key, []).extend(t for t in texts if t not in summary.dropped.get(key, []))
    table = StatusTable(course.status_file)
    students = course.students_submitted()

    def _register() -> None:
        with course.open_gradebook() as gb:
            for student in students:
                gb.update_or_create_student(student)

    if students:
        retry_db(_register)
    for student in students:
        for name in names:
            folder = course.submitted / student / name
            if not folder.is_dir():
                continue
            fp = fingerprint(folder)
            row = table.get(student, name)
            if row is None or row.fingerprint != fp:
                table.put(StatusRow(student, name, State.SUBMITTED, fingerprint=fp,
                                    dropped=recorded_drops(course, student, name)), save=False)
            summary.recorded += 1
    table.save()
    return summary
