"""Rubrics with anchors: ``source/<set>/rubric.md`` parsed, validated and written into the set's task cells.

``rubric.md`` is the one source of truth for a set's rubric-graded parts (the convention is in
``source/README.md``). Each part has a table of rows and three anchor answers (full, half, none), written as
realistic student work, with the score each anchor earns on every row::

    ## q5-written (3 points)

    | Row | Criterion | Full marks | Half marks | No marks | Points |
    |---|---|---|---|---|---|
    | q5-r1-two-framings | Two framings | ... | ... | ... | 1 |
    ...
    ### Anchors

    #### Full
    > the answer ...

    Scores: q5-r1-two-framings 1, q5-r2-evidence 1, q5-r3-people-left-out 1

In the notebook every row is a locked markdown *task* cell ``qK-rN-slug`` (nbgrader: ``task: true``,
``points``), scored by a person in Formgrader with its own comment. Its ``### BEGIN MARK SCHEME`` region holds
the row's descriptors and anchor scores (the first row also holds the three anchor answers); nbgrader removes
the region from the student version (ClearMarkScheme), keeps it in the gradebook and restores it for the
grader; :mod:`designkit.classroom.markscheme` removes it from feedback.

:func:`sync` writes those regions (and the question's table) from ``rubric.md`` into the source notebook;
:func:`check` reports every place where the notebook and ``rubric.md`` disagree::

    python -m designkit.classroom.rubrics check source/ps2-problem-framing
    python -m designkit.classroom.rubrics sync source/ps2-problem-framing

>>> part = parse_text(EXAMPLE, "rubric.md")[0]
>>> [r.id for r in part.rows], part.points
(['q1-r1-names-a-cause', 'q1-r2-evidence'], 2.0)
>>> part.anchor("half").scores
{'q1-r1-names-a-cause': 1.0, 'q1-r2-evidence': 0.0}
"""
from __future__ import annotations

import argparse
import copy
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

LEVELS = ("full", "half", "none")
HEADER = ["Row", "Criterion", "Full marks", "Half marks", "No marks", "Points"]
BEGIN = "### BEGIN MARK SCHEME"
END = "### END MARK SCHEME"

PART_HEADING = re.compile(r"^## (?P<id>q(?P<k>\d+)-[a-z0-9]+(?:-[a-z0-9]+)*) \((?P<points>\d+(?:\.\d+)?) points?\)\s*$")
LOOKS_LIKE_PART = re.compile(r"^## q\d")
ROW_ID = re.compile(r"^q(?P<k>\d+)-r(?P<n>\d+)-[a-z0-9]+(?:-[a-z0-9]+)*$")
SCORES = re.compile(r"^Scores:\s*(?P<body>.*)$")
VISIBLE_PREFIX = re.compile(r"^\*\*Part \d+, rubric row \d+ \([^)]*\): .*?\.\*\*[ \t]*")

EXAMPLE = """\
## q1-written (2 points)

| Row | Criterion | Full marks | Half marks | No marks | Points |
|---|---|---|---|---|---|
| q1-r1-names-a-cause | Names a cause | A cause, not a symptom | A symptom | Nothing | 1 |
| q1-r2-evidence | Uses evidence | A cited number | A number, uncited | No number | 1 |

### Anchors

#### Full
> Results travel by courier for 44 days [@seidenberg2012].

Scores: q1-r1-names-a-cause 1, q1-r2-evidence 1

#### Half
> Results are slow.

Scores: q1-r1-names-a-cause 1, q1-r2-evidence 0

#### None
> Drones.

Scores: q1-r1-names-a-cause 0, q1-r2-evidence 0
"""


class RubricError(ValueError):
    """rubric.md (or the notebook it describes) breaks the convention; the message names file and line."""


@dataclass(frozen=True)
class Row:
    """One rubric row: one task cell, one score and one comment in Formgrader."""

    id: str
    criterion: str
    full: str
    half: str
    none: str
    points: float
    line: int

    @property
    def number(self) -> int:
        """The row's N in ``qK-rN-slug``."""
        return int(ROW_ID.match(self.id)["n"])  # type: ignore[index]

    def descriptor(self, score: float) -> str:
        """The descriptor of the level ``score`` falls in (full, half or none)."""
        if score >= self.points:
            return self.full
        return self.half if score > 0 else self.none


@dataclass(frozen=True)
class Anchor:
    """A realistic answer at one level, with the score it earns on every row of its part."""

    level: str
    answer: str          # the markdown as written in rubric.md (a blockquote)
    scores: dict[str, float]
    line: int

    @property
    def text(self) -> str:
        """The answer as the student would have typed it (blockquote markers removed).

        >>> Anchor("full", "> One\\n>\\n> two", {}, 1).text
        'One\\n\\ntwo'
        """
        return "\n".join(re.sub(r"^> ?", "", line) for line in self.answer.splitlines()).strip()

    @property
    def total(self) -> float:
        return sum(self.scores.values())


@dataclass
class Part:
    """A rubric-graded part: its answer cell id (``qK-written``, or ``qK-answer`` for code), rows, anchors."""

    answer_id: str
    points: float
    rows: list[Row]
    anchors: list[Anchor]
    path: Path
    line: int
    notes: str = ""

    @property
    def number(self) -> int:
        return int(re.match(r"q(\d+)-", self.answer_id)[1])  # type: ignore[index]

    def anchor(self, level: str) -> Anchor:
        for a in self.anchors:
            if a.level == level:
                return a
        raise KeyError(level)

    def row(self, row_id: str) -> Row:
        for r in self.rows:
            if r.id == row_id:
                return r
        raise KeyError(row_id)


@dataclass
class SyncReport:
    """What :func:`sync` changed (or would change)."""

    notebook: Path
    changed: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        if not self.changed:
            return [f"{self.notebook}: up to date with rubric.md"]
        return [f"{self.notebook}:"] + [f"  {c}" for c in self.changed]


# --------------------------------------------------------------------------------------------------
# parsing rubric.md
# --------------------------------------------------------------------------------------------------
def _number(text: str, where: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise RubricError(f"{where}: {text!r} is not a number") from None
    return value


def _split_row(line: str) -> list[str]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    cells = re.split(r"(?<!\\)\|", body)
    return [c.strip().replace("\\|", "|") for c in cells]


def _table(lines: list[str], start: int) -> tuple[list[list[str]], int]:
    """The pipe table starting at index ``start``: its body rows and the index after it."""
    end = start
    while end < len(lines) and lines[end].lstrip().startswith("|"):
        end += 1
    return [_split_row(line) for line in lines[start + 2:end]], end


def parse_text(text: str, path: str | Path = "rubric.md") -> list[Part]:
    """Parse and validate the text of a rubric.md; raises :class:`RubricError` naming ``path:line``.

    >>> parse_text("## q2-written (1 point)\\n", "r.md")
    Traceback (most recent call last):
    ...
    designkit.classroom.rubrics.RubricError: r.md:1: q2-written has no rubric table (| Row | Criterion | Full marks | Half marks | No marks | Points |)
    """
    path = Path(path)
    lines = text.splitlines()
    heads = []
    for i, line in enumerate(lines):
        if line.startswith("## ") or line.startswith("# "):
            heads.append(i)
    parts: list[Part] = []
    for h, i in enumerate(heads):
        line = lines[i]
        if not LOOKS_LIKE_PART.match(line):
            continue
        m = PART_HEADING.match(line)
        if not m:
            raise RubricError(f"{path}:{i + 1}: a part heading reads '## qK-written (P points)' (the part's answer "
                              f"cell id, then its points), not {line!r}")
        end = heads[h + 1] if h + 1 < len(heads) else len(lines)
        parts.append(_parse_part(lines, i, end, m, path))
    ids = [p.answer_id for p in parts]
    for pid in ids:
        if ids.count(pid) > 1:
            raise RubricError(f"{path}: part {pid} appears twice")
    return parts


def _parse_part(lines: list[str], start: int, end: int, m: re.Match, path: Path) -> Part:
    pid, k, points = m["id"], int(m["k"]), float(m["points"])
    where = f"{path}:{start + 1}"
    table_at = next((i for i in range(start + 1, end) if lines[i].lstrip().startswith("|")), None)
    if table_at is None:
        raise RubricError(f"{where}: {pid} has no rubric table (| {' | '.join(HEADER)} |)")
    header = _split_row(lines[table_at])
    if header != HEADER:
        raise RubricError(f"{path}:{table_at + 1}: the table's header must be | {' | '.join(HEADER)} |, "
                          f"found | {' | '.join(header)} |")
    body, after = _table(lines, table_at)
    rows: list[Row] = []
    for offset, cells in enumerate(body):
        ln = table_at + 3 + offset
        if len(cells) != len(HEADER):
            raise RubricError(f"{path}:{ln}: a row has {len(HEADER)} cells ({', '.join(HEADER)}), found {len(cells)}")
        rid = cells[0]
        rm = ROW_ID.match(rid)
        if not rm or int(rm["k"]) != k:
            raise RubricError(f"{path}:{ln}: row id {rid!r} must read q{k}-rN-kebab-slug (part {k}, row N)")
        if int(rm["n"]) != len(rows) + 1:
            raise RubricError(f"{path}:{ln}: row {rid} should be row {len(rows) + 1} (rows are numbered 1, 2, ...)")
        for name, value in zip(HEADER[1:5], cells[1:5]):
            if not value:
                raise RubricError(f"{path}:{ln}: row {rid} has an empty '{name}' cell")
        pts = _number(cells[5], f"{path}:{ln}: points of {rid}")
        if pts <= 0 or pts * 2 != int(pts * 2):
            raise RubricError(f"{path}:{ln}: points of {rid} must be positive, in halves; found {cells[5]}")
        rows.append(Row(rid, cells[1], cells[2], cells[3], cells[4], pts, ln))
    if not rows:
        raise RubricError(f"{path}:{table_at + 1}: the table of {pid} has no rows")
    total = sum(r.points for r in rows)
    if total != points:
        raise RubricError(f"{where}: the rows of {pid} add up to {total:g} points, the heading says {points:g}")
    notes_end = next((i for i in range(after, end) if lines[i].strip() == "### Anchors"), None)
    if notes_end is None:
        raise RubricError(f"{where}: {pid} has no '### Anchors' section (#### Full, #### Half, #### None, each "
                          "an answer then a 'Scores:' line)")
    notes = "\n".join(lines[after:notes_end]).strip()
    anchors = _parse_anchors(lines, notes_end + 1, end, rows, pid, points, path)
    return Part(pid, points, rows, anchors, path, start + 1, notes)


def _parse_anchors(lines: list[str], start: int, end: int, rows: list[Row], pid: str, points: float,
                   path: Path) -> list[Anchor]:
    heads = [i for i in range(start, end) if lines[i].startswith("#### ")]
    levels = [lines[i][5:].strip().lower() for i in heads]
    if levels != list(LEVELS):
        where = f"{path}:{(heads[0] if heads else start) + 1}"
        raise RubricError(f"{where}: the anchors of {pid} are '#### Full', '#### Half', '#### None' in that "
                          f"order; found {[lines[i][5:].strip() for i in heads]}")
    anchors = []
    for j, i in enumerate(heads):
        stop = heads[j + 1] if j + 1 < len(heads) else end
        block = lines[i + 1:stop]
        score_at = [n for n, line in enumerate(block) if SCORES.match(line.strip())]
        if len(score_at) != 1:
            raise RubricError(f"{path}:{i + 1}: anchor {levels[j]} of {pid} needs exactly one line "
                              f"'Scores: {rows[0].id} <score>, ...' after the answer (found {len(score_at)})")
        n = score_at[0]
        ln = i + 2 + n
        answer = "\n".join(block[:n]).strip()
        if not answer:
            raise RubricError(f"{path}:{i + 1}: anchor {levels[j]} of {pid} has no answer above its Scores line")
        for bad in ("BEGIN MARK SCHEME", "END MARK SCHEME", "BEGIN SOLUTION", "END SOLUTION"):
            if bad in answer:
                raise RubricError(f"{path}:{i + 1}: anchor {levels[j]} of {pid} contains {bad!r}: nbgrader would "
                                  "cut the mark scheme there")
        if re.search(r"!\[.*\]\(attachment:", answer):
            raise RubricError(f"{path}:{i + 1}: anchor {levels[j]} of {pid} has an attachment (nbgrader refuses "
                              "attachments in mark schemes): embed the image or describe it")
        scores = _parse_scores(SCORES.match(block[n].strip())["body"], rows, f"{path}:{ln}", pid, levels[j])  # type: ignore[index]
        anchor = Anchor(levels[j], answer, scores, i + 1)
        if levels[j] == "full" and anchor.total != points:
            raise RubricError(f"{path}:{ln}: the full anchor of {pid} must score full marks ({points:g}), "
                              f"its scores add up to {anchor.total:g}")
        if levels[j] == "none" and anchor.total != 0:
            raise RubricError(f"{path}:{ln}: the none anchor of {pid} must score 0, its scores add up to "
                              f"{anchor.total:g}")
        if levels[j] == "half" and not 0 < anchor.total < points:
            raise RubricError(f"{path}:{ln}: the half anchor of {pid} must score between 0 and {points:g}, "
                              f"its scores add up to {anchor.total:g}")
        anchors.append(anchor)
    return anchors


def _parse_scores(body: str, rows: list[Row], where: str, pid: str, level: str) -> dict[str, float]:
    scores: dict[str, float] = {}
    for item in filter(None, (s.strip() for s in body.split(","))):
        bits = item.split()
        if len(bits) != 2:
            raise RubricError(f"{where}: {item!r} in the {level} anchor's Scores must read '<row id> <score>'")
        rid, value = bits[0], _number(bits[1], f"{where}: score of {bits[0]}")
        if rid in scores:
            raise RubricError(f"{where}: the {level} anchor scores {rid} twice")
        scores[rid] = value
    known = [r.id for r in rows]
    unknown = [r for r in scores if r not in known]
    missing = [r for r in known if r not in scores]
    if unknown or missing:
        raise RubricError(f"{where}: the {level} anchor of {pid} must score every row of its table once"
                          + (f"; unknown rows: {', '.join(unknown)}" if unknown else "")
                          + (f"; missing rows: {', '.join(missing)}" if missing else ""))
    for r in rows:
        value = scores[r.id]
        if not 0 <= value <= r.points or value * 2 != int(value * 2):
            raise RubricError(f"{where}: the {level} anchor's score {value:g} on {r.id} must be between 0 and "
                              f"{r.points:g}, in halves")
    return {r.id: scores[r.id] for r in rows}


def parse(path: str | Path) -> list[Part]:
    """Parse ``rubric.md`` (a file, or the set folder holding it)."""
    path = Path(path)
    if path.is_dir():
        path = path / "rubric.md"
    if not path.exists():
        raise RubricError(f"{path}: not found (every set with rubric-graded parts has a rubric.md)")
    return parse_text(path.read_text(encoding="utf-8"), path)


def all_parts(source: str | Path) -> dict[str, list[Part]]:
    """Every set's rubric-graded parts under ``source/`` (sets whose rubric.md has parts), by set name."""
    out = {}
    for rubric in sorted(Path(source).glob("*/rubric.md")):
        parts = parse(rubric)
        if parts:
            out[rubric.parent.name] = parts
    return out


# --------------------------------------------------------------------------------------------------
# rendering: the mark-scheme regions and the question's table
# --------------------------------------------------------------------------------------------------
def _fmt(x: float) -> str:
    return f"{x:g}"


def render_table(part: Part) -> str:
    """The table as the question shows it to students (the same rows, no anchors)."""
    out = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    for r in part.rows:
        cells = [r.id, r.criterion, r.full, r.half, r.none, _fmt(r.points)]
        out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(out)


def visible_prefix(part: Part, row: Row) -> str:
    """The bold first words of a row's task cell: part, row, points and criterion."""
    unit = "point" if row.points == 1 else "points"
    return f"**Part {part.number}, rubric row {row.number} ({_fmt(row.points)} {unit}): {row.criterion.rstrip('.')}.**"


def anchor_markdown(part: Part, anchor: Anchor) -> str:
    """An anchor as a grader reads it: a written answer as its blockquote, a code answer as a code block.

    >>> part = parse_text(EXAMPLE.replace("q1-written", "q1-answer"))[0]
    >>> print(anchor_markdown(part, part.anchor("none")))
    ```python
    Drones.
    ```
    """
    if part.answer_id.endswith("-written"):
        return anchor.answer
    text = anchor.text.strip("\n")
    if text.startswith("```"):  # rubric.md already fences the code: fencing it again would nest two blocks
        return text
    return "```python\n" + text + "\n```"


def render_mark_scheme(part: Part, row: Row) -> str:
    """The mark-scheme region of one row's task cell, delimiters included.

    >>> part = parse_text(EXAMPLE)[0]
    >>> print(render_mark_scheme(part, part.rows[1]))
    ### BEGIN MARK SCHEME
    **Full marks (1):** A cited number
    <BLANKLINE>
    **Half marks (0.5):** A number, uncited
    <BLANKLINE>
    **No marks (0):** No number
    <BLANKLINE>
    **Anchors on this row:** full 1, half 0, none 0 (anchor answers: rubric row 1 of Part 1).
    <BLANKLINE>
    ### END MARK SCHEME
    """
    anchors = ", ".join(f"{a.level} {_fmt(a.scores[row.id])}" for a in part.anchors)
    out = [BEGIN,
           f"**Full marks ({_fmt(row.points)}):** {row.full}", "",
           f"**Half marks ({_fmt(row.points / 2)}):** {row.half}", "",
           f"**No marks (0):** {row.none}", ""]
    if row.number == 1:
        out += [f"**Anchors on this row:** {anchors}.", "",
                f"**Anchor answers for Part {part.number}** (realistic student work; graders only):"]
        for a in part.anchors:
            per_row = ", ".join(f"row {part.row(rid).number} {_fmt(s)}" for rid, s in a.scores.items())
            out += ["", f"*{a.level.capitalize()} ({_fmt(a.total)}/{_fmt(part.points)}: {per_row}):*", "",
                    anchor_markdown(part, a)]
    else:
        out.append(f"**Anchors on this row:** {anchors} (anchor answers: rubric row 1 of Part {part.number}).")
    out += ["", END]  # the blank line ends the last blockquote before the delimiter
    return "\n".join(out)


# --------------------------------------------------------------------------------------------------
# the notebook side
# --------------------------------------------------------------------------------------------------
def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return src if isinstance(src, str) else "".join(src)


def _meta(cell: dict) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def _cell_id(cell: dict) -> str | None:
    return _meta(cell).get("grade_id") or cell.get("id")


def _set_source(cell: dict, text: str) -> None:
    cell["source"] = text


def _replace_region(text: str, region: str) -> str:
    """``text`` with its mark-scheme region replaced by ``region`` (appended when it has none)."""
    lines = text.split("\n")
    if BEGIN in text:
        b = next(i for i, line in enumerate(lines) if BEGIN in line)
        e = next((i for i in range(b, len(lines)) if END in lines[i]), None)
        if e is None:
            raise RubricError(f"a mark-scheme region opens with {BEGIN!r} and never closes with {END!r}")
        return "\n".join(lines[:b] + region.split("\n") + lines[e + 1:])
    return text.rstrip("\n") + "\n\n" + region


def _with_prefix(text: str, prefix: str) -> str:
    first, _, rest = text.partition("\n")
    if VISIBLE_PREFIX.match(first):
        tail = VISIBLE_PREFIX.sub("", first, count=1)
        return prefix + (" " + tail if tail else "") + ("\n" + rest if rest else "")
    return prefix + " " + text if text and not text.startswith(BEGIN) else prefix + "\n" + text


def _visible(text: str) -> str:
    """What a student sees of a task cell (the mark-scheme region removed)."""
    lines, out, inside = text.split("\n"), [], False
    for line in lines:
        if BEGIN in line:
            inside = True
        elif END in line:
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out).strip()


def _task_metadata(row: Row, old: dict | None = None) -> dict:
    meta = dict(old or {})
    meta.update({"grade": False, "grade_id": row.id, "locked": True, "points": row.points,
                 "schema_version": meta.get("schema_version", 3), "solution": False, "task": True})
    if float(row.points).is_integer():
        meta["points"] = int(row.points)
    return dict(sorted(meta.items()))


def _notebook_path(set_folder: Path) -> Path:
    path = set_folder / f"{set_folder.name}.ipynb"
    if not path.exists():
        raise RubricError(f"{path}: not found (a set folder holds <set>.ipynb next to rubric.md)")
    return path


def _replace_table(text: str, table: str) -> str:
    """Replace the rubric table (its header names Criterion and Points) in a question's markdown, or append it."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.lstrip().startswith("|") and {"Criterion", "Points"} <= set(_split_row(line)):
            end = i
            while end < len(lines) and lines[end].lstrip().startswith("|"):
                end += 1
            return "\n".join(lines[:i] + table.split("\n") + lines[end:])
    return text.rstrip("\n") + "\n\n" + table


def _apply(set_folder: Path, nb: dict, parts: list[Part], nb_path: Path) -> list[str]:
    """Bring ``nb`` in line with ``parts`` (in place); return what changed."""
    changed: list[str] = []
    cells = nb["cells"]
    for part in parts:
        k = part.number
        index = {_cell_id(c): i for i, c in enumerate(cells)}
        if part.answer_id not in index:
            raise RubricError(f"{nb_path}: rubric.md:{part.line} describes {part.answer_id}, but the notebook "
                              f"has no cell with that id (add the part's answer cell, or rename the heading)")
        answer = cells[index[part.answer_id]]
        if part.answer_id.endswith("-written") and _meta(answer).get("grade") and _meta(answer).get("points") != 0:
            answer["metadata"]["nbgrader"]["points"] = 0
            changed.append(f"{part.answer_id}: points set to 0 (the rubric rows carry the part's points)")
        question = f"q{k}-question"
        if question in index:
            cell = cells[index[question]]
            new = _replace_table(_source(cell), render_table(part))
            if new != _source(cell):
                _set_source(cell, new)
                changed.append(f"{question}: rubric table updated")
        stale = [c for c in cells if (_cell_id(c) or "").startswith(f"q{k}-r") and ROW_ID.match(_cell_id(c) or "")
                 and _cell_id(c) not in {r.id for r in part.rows}]
        if stale:
            raise RubricError(f"{nb_path}: task cell {_cell_id(stale[0])} is not a row of {part.answer_id} in "
                              f"rubric.md:{part.line}: delete the cell or add the row")
        after = index[part.answer_id]
        for row in part.rows:
            index = {_cell_id(c): i for i, c in enumerate(cells)}
            if row.id in index:
                cell = cells[index[row.id]]
                old = _source(cell)
                new = _replace_region(_with_prefix(old, visible_prefix(part, row)), render_mark_scheme(part, row))
                what = []
                if cell.get("cell_type") != "markdown":
                    raise RubricError(f"{nb_path}: task cell {row.id} must be a markdown cell")
                if new != old:
                    _set_source(cell, new)
                    what.append("mark scheme" if _visible(new) == _visible(old) else "text and mark scheme")
                meta = _task_metadata(row, _meta(cell))
                if meta != _meta(cell) or cell.get("id") != row.id:
                    cell.setdefault("metadata", {})["nbgrader"] = meta
                    cell["id"] = row.id
                    what.append("nbgrader metadata (task cell, points)")
                if what:
                    changed.append(f"{row.id}: {' and '.join(what)} updated")
                after = index[row.id]
            else:
                look = row.full if row.full.endswith((".", "?", "!")) else row.full + "."
                text = visible_prefix(part, row) + " " + look + "\n\n" + render_mark_scheme(part, row)
                cell = nbformat.v4.new_markdown_cell(text, id=row.id, metadata={
                    "deletable": False, "editable": False, "nbgrader": _task_metadata(row)})
                cells.insert(after + 1, cell)
                after += 1
                changed.append(f"{row.id}: task cell added after {_cell_id(cells[after - 1])} (edit its visible "
                               "text: what a person looks at)")
    return changed


def sync(set_folder: str | Path, write: bool = True) -> SyncReport:
    """Write the task cells' mark-scheme regions (and the questions' tables) from rubric.md into the source.

    Missing task cells are added after the part's answer cell; metadata is set to nbgrader's manually graded
    task (``task: true``, row points). ``write=False`` reports without writing.

    >>> import tempfile
    >>> from nbformat.v4 import new_markdown_cell, new_notebook
    >>> folder = Path(tempfile.mkdtemp()) / "ps9-demo"; folder.mkdir()
    >>> _ = (folder / "rubric.md").write_text(EXAMPLE)
    >>> table = "| Criterion | Points |\\n|---|---|"
    >>> nb = new_notebook(cells=[new_markdown_cell("## Part 1 (2 points)\\n" + table, id="q1-question"),
    ...     new_markdown_cell("answer", id="q1-written", metadata={"nbgrader": {"grade_id": "q1-written",
    ...                       "grade": True, "solution": True, "points": 0}})])
    >>> nbformat.write(nb, folder / "ps9-demo.ipynb")
    >>> len(sync(folder).changed), check(folder)
    (3, [])
    """
    set_folder = Path(set_folder)
    parts = parse(set_folder)
    nb_path = _notebook_path(set_folder)
    nb = nbformat.read(nb_path, as_version=4)
    changed = _apply(set_folder, nb, parts, nb_path)
    if changed and write:
        nbformat.write(nb, nb_path)
    return SyncReport(nb_path, changed)


def check(set_folder: str | Path) -> list[str]:
    """Every disagreement between rubric.md and the source notebook (empty when they agree).

    Checks rubric.md itself, each row's task cell (markdown, locked, ``task: true``, ``grade: false``,
    ``solution: false``, row points, its mark-scheme region), the question's table and heading points, and the
    answer cell (``qK-written``: a manually graded markdown answer with ``points: 0``).
    """
    set_folder = Path(set_folder)
    try:
        parts = parse(set_folder)
        nb_path = _notebook_path(set_folder)
    except RubricError as exc:
        return [str(exc)]
    nb = nbformat.read(nb_path, as_version=4)
    problems: list[str] = []
    by_id = {_cell_id(c): c for c in nb["cells"]}
    for part in parts:
        answer = by_id.get(part.answer_id)
        if answer is not None and part.answer_id.endswith("-written"):
            m = _meta(answer)
            if not (answer.get("cell_type") == "markdown" and m.get("grade") and m.get("solution")
                    and float(m.get("points", -1)) == 0):
                problems.append(f"{nb_path}: {part.answer_id} must be a manually graded markdown answer with "
                                "points 0 (nbgrader: grade and solution true, points 0); the rows carry the points")
        question = by_id.get(f"q{part.number}-question")
        if question is None:
            problems.append(f"{nb_path}: no q{part.number}-question cell (it shows the rubric table to students)")
        else:
            first = _source(question).split("\n", 1)[0]
            said = re.findall(r"(\d+(?:\.\d+)?) (?:points?\b|graded by a person)", first)
            if part.points not in [float(x) for x in said]:
                problems.append(f"{nb_path}: q{part.number}-question's heading should say the {part.points:g} "
                                f"points a person grades (rubric.md:{part.line}), reads {first!r}")
    try:
        changed = _apply(set_folder, copy.deepcopy(nb), parts, nb_path)
    except RubricError as exc:
        return problems + [str(exc)]
    problems += [f"{nb_path}: {c.replace(' updated', ' differs from rubric.md')} (run: python -m "
                 f"designkit.classroom.rubrics sync {set_folder})" for c in changed]
    return problems


def main(argv: Iterable[str] | None = None) -> int:
    """``python -m designkit.classroom.rubrics sync|check <set folder> ...``; exit status 1 on problems."""
    parser = argparse.ArgumentParser(prog="python -m designkit.classroom.rubrics", description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["sync", "check"])
    parser.add_argument("sets", nargs="+", type=Path, help="set folders, e.g. source/ps2-problem-framing")
    args = parser.parse_args(list(argv) if argv is not None else None)
    status = 0
    for folder in args.sets:
        if args.command == "check":
            problems = check(folder)
            for p in problems:
                print(p)
            if problems:
                status = 1
            else:
                print(f"{folder}: rubric.md and the notebook agree")
            continue
        try:
            report = sync(folder)
        except RubricError as exc:
            print(f"error: {exc}", file=sys.stderr)
            status = 1
            continue
        print("\n".join(report.lines()))
    return status


if __name__ == "__main__":
    sys.exit(main())
