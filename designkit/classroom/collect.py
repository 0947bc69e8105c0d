"""Collecting submissions: ``nbgrader collect`` from the exchange, and recording what is in ``submitted/``.

With an exchange (``release`` made one), every submission students sent with ``nbgrader submit`` (or the
Assignments tab) is collected into ``submitted/<student>/<set>/`` by nbgrader itself. Submissions that are
already in ``submitted/`` (a simulated class, or an LMS download imported with ``nbgrader zip_collect``)
are recorded too: each student is registered in the gradebook and each submission gets a ``submitted``
row in the status table, so ``grade`` and ``report`` see the whole class.

>>> CollectSummary(collected=["ps0-warm-up"], recorded=3).lines()[-1]
'recorded 3 submission(s) in submitted/'
"""
from __future__ import annotations

from dataclasses import dataclass, field

from designkit.classroom.course import Course
from designkit.classroom.status import StatusRow, StatusTable, fingerprint


@dataclass
class CollectSummary:
    """What ``collect`` did."""

    collected: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    recorded: int = 0
    exchange: str = ""

    def lines(self) -> list[str]:
        out = []
        if self.exchange:
            out.append(f"collected from the exchange {self.exchange}: {', '.join(self.collected) or 'nothing'}")
        else:
            out.append("no exchange with submissions: nothing to collect from it")
        out += [f"  problem: {p}" for p in self.problems]
        out.append(f"recorded {self.recorded} submission(s) in submitted/")
        return out


def collect(course: Course, names: list[str] | None = None) -> CollectSummary:
    """Collect from the exchange (when it holds submissions), then record every submission in ``submitted/``.

    >>> collect.__name__
    'collect'
    """
    from designkit.classroom.grading import _retry_db

    names = course.check_assignments(names)
    summary = CollectSummary()
    inbound = course.exchange_root() / course.course_id() / "inbound"
    if inbound.is_dir() and any(inbound.iterdir()):
        summary.exchange = str(inbound)
        api = course.api()
        for name in names:
            if not any(inbound.glob(f"*+{name}+*")):
                continue
            result = api.collect(name, update=True)
            if result.get("success"):
                summary.collected.append(name)
            else:
                summary.problems.append(f"{name}: {(result.get('error') or '').strip().splitlines()[-1:]}")
    table = StatusTable(course.status_file)
    students = course.students_submitted()

    def _register() -> None:
        with course.open_gradebook() as gb:
            for student in students:
                gb.update_or_create_student(student)

    if students:
        _retry_db(_register)
    for student in students:
        for name in names:
            folder = course.submitted / student / name
            if not folder.is_dir():
                continue
            fp = fingerprint(folder)
            row = table.get(student, name)
            if row is None or row.fingerprint != fp:
                table.put(StatusRow(student, name, "submitted", fingerprint=fp), save=False)
            summary.recorded += 1
    table.save()
    return summary
