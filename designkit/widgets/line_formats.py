"""One-line text formats for the studio editors: each line of a text area is one item of a model.

Every ``parse_*`` turns text into model parts and raises FramingError naming the line and the format when a line
cannot be read; every ``format_*`` writes the parts back, so that text -> model -> text is stable.

>>> groups = parse_groups("children: 8-15 (6)\\ncaregivers: 20-70")
>>> [(g.name, g.min_age, g.max_age, g.count) for g in groups]
[('children', 8, 15, 6), ('caregivers', 20, 70, 1)]
>>> print(format_groups(groups))
children: 8-15 (6)
caregivers: 20-70
"""
from __future__ import annotations

import re

from designkit.framing import (
    FramingError,
    Insight,
    Method,
    Note,
    ParticipantGroup,
    Result,
    Session,
    Task,
    Theme,
)
from designkit.i18n import N_, _
from designkit.widgets.text_lists import parse_lines

_GROUP_RE = re.compile(r"^(?P<name>.+?)\s*:\s*(?P<low>\d{1,3})(?:\s*(?:-|–|to)\s*(?P<high>\d{1,3}))?"
                       r"(?:\s*\(\s*(?P<count>\d+)\s*\))?\s*$")


def _fail(what: str, n: int, line: str, example: str) -> FramingError:
    return FramingError(_("{what}, line {n} ({line}): write it as {example}.", what=_(what), n=n, line=repr(line),
                          example=_(example)))


def parse_groups(text: str) -> list[ParticipantGroup]:
    """Lines ``name: youngest-oldest (count)``; the count is optional, one age means a range of one year."""
    out = []
    for n, line in enumerate(parse_lines(text), start=1):
        m = _GROUP_RE.match(line)
        if not m:
            raise _fail(N_("Participants"), n, line, "'children: 8-15 (6)'")
        low = int(m.group("low"))
        high = int(m.group("high") or low)
        out.append(ParticipantGroup(m.group("name").strip(), low, high, int(m.group("count") or 1)))
    return out


def format_groups(groups: list[ParticipantGroup]) -> str:
    """The inverse of :func:`parse_groups`."""
    lines = []
    for g in groups:
        ages = f"{g.min_age}" if g.min_age == g.max_age else f"{g.min_age}-{g.max_age}"
        lines.append(f"{g.name}: {ages}" + (f" ({g.count})" if g.count != 1 else ""))
    return "\n".join(lines)


def parse_methods(text: str) -> list[Method]:
    """Lines ``method: group, group`` (or just ``method`` for every group).

    >>> [(m.name, m.groups) for m in parse_methods("role-play: children\\ninterview")]
    [('role-play', ['children']), ('interview', [])]
    """
    out = []
    for line in parse_lines(text):
        name, _, groups = line.partition(":")
        out.append(Method(name.strip(), [g.strip() for g in groups.split(",") if g.strip()]))
    return out


def format_methods(methods: list[Method]) -> str:
    """The inverse of :func:`parse_methods`."""
    return "\n".join(m.name + (": " + ", ".join(m.groups) if m.groups else "") for m in methods)


def parse_notes(text: str) -> list[Note]:
    """Lines ``id | participant | text``.

    >>> parse_notes("n1 | G1 | We came back again")[0].participant
    'G1'
    """
    out = []
    for n, line in enumerate(parse_lines(text), start=1):
        parts = [p.strip() for p in line.split("|", 2)]
        if len(parts) != 3 or not parts[0] or not parts[1]:
            raise _fail(N_("Notes"), n, line, N_("'n1 | G1 | what was seen or said'"))
        out.append(Note(*parts))
    return out


def format_notes(notes: list[Note]) -> str:
    """The inverse of :func:`parse_notes`."""
    return "\n".join(f"{n.id} | {n.participant} | {n.text}" for n in notes)


def parse_themes(text: str) -> list[Theme]:
    """Lines ``theme name: note id, note id``.

    >>> [(t.name, t.notes) for t in parse_themes("Repeat trips: n1, n2")]
    [('Repeat trips', ['n1', 'n2'])]
    """
    out = []
    for line in parse_lines(text):
        name, _, ids = line.rpartition(":") if ":" in line else (line, "", "")
        out.append(Theme(name.strip(), [i.strip() for i in ids.split(",") if i.strip()]))
    return out


def format_themes(themes: list[Theme]) -> str:
    """The inverse of :func:`parse_themes`."""
    return "\n".join(f"{t.name}: {', '.join(t.notes)}" for t in themes)


def parse_insights(text: str) -> list[Insight]:
    """Lines ``insight <- theme; theme``.

    >>> [(i.text, i.themes) for i in parse_insights("Trips cost families <- Repeat trips; Cost")]
    [('Trips cost families', ['Repeat trips', 'Cost'])]
    """
    out = []
    for line in parse_lines(text):
        body, _, themes = line.partition("<-")
        out.append(Insight(body.strip(), [t.strip() for t in themes.split(";") if t.strip()]))
    return out


def format_insights(insights: list[Insight]) -> str:
    """The inverse of :func:`parse_insights`."""
    return "\n".join(i.text + (" <- " + "; ".join(i.themes) if i.themes else "") for i in insights)


def parse_tasks(text: str) -> list[Task]:
    """Lines ``task: success criterion``.

    >>> parse_tasks("find the date: points to it without help")[0].criterion
    'points to it without help'
    """
    out = []
    for line in parse_lines(text):
        name, _, criterion = line.partition(":")
        out.append(Task(name.strip(), criterion.strip()))
    return out


def format_tasks(tasks: list[Task]) -> str:
    """The inverse of :func:`parse_tasks`."""
    return "\n".join(t.name + (f": {t.criterion}" if t.criterion else "") for t in tasks)


def parse_sessions(text: str) -> list[Session]:
    """Lines ``participant: age`` (the age may be left out until known).

    >>> [(s.participant, s.age) for s in parse_sessions("C1: 9\\nC2")]
    [('C1', 9), ('C2', None)]
    """
    out = []
    for n, line in enumerate(parse_lines(text), start=1):
        who, _, age = line.partition(":")
        age = age.strip()
        if age and not age.isdigit():
            raise _fail(N_("Sessions"), n, line, N_("'C1: 9' (the participant's code and age in years)"))
        out.append(Session(who.strip(), int(age) if age else None))
    return out


def format_sessions(sessions: list[Session]) -> str:
    """The inverse of :func:`parse_sessions`."""
    return "\n".join(s.participant + (f": {s.age}" if s.age is not None else "") for s in sessions)


_YES = {"yes", "y", "1", "true", "success", "succeeded", "pass", "ok", "✔"}
_NO = {"no", "n", "0", "false", "fail", "failed", "✖"}


def parse_results(text: str) -> list[Result]:
    """Lines ``version | participant | task | yes/no``.

    >>> r = parse_results("v1 | C1 | find the date | no")[0]
    >>> (r.version, r.participant, r.task, r.success)
    ('v1', 'C1', 'find the date', False)
    """
    out = []
    for n, line in enumerate(parse_lines(text), start=1):
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 4 or parts[3].casefold() not in _YES | _NO:
            raise _fail(N_("Results"), n, line, N_("'v1 | C1 | task | yes' (or no)"))
        out.append(Result(parts[1], parts[0], parts[2], parts[3].casefold() in _YES))
    return out


def format_results(results: list[Result]) -> str:
    """The inverse of :func:`parse_results`."""
    return "\n".join(f"{r.version} | {r.participant} | {r.task} | {'yes' if r.success else 'no'}" for r in results)


def parse_list(text: str, sep: str = ",") -> list[str]:
    """Items separated by ``sep`` on one line, or one per line.

    >>> parse_list("v1, v2\\nv3")
    ['v1', 'v2', 'v3']
    """
    return [item.strip() for line in parse_lines(text) for item in line.split(sep) if item.strip()]
