"""Grader calibration: score six anchor answers row by row, then compare with the key in ``rubric.md``.

Used by ``course/instructor-notes/calibration.ipynb``. The anchors are the realistic answers every rubric
carries at full, half and none (:mod:`designkit.classroom.rubrics`); their per-row scores are the key. A grader
scores them *blind* (labels A-F, levels hidden), in a small ipywidgets form or in plain code, and
:func:`compare` shows, row by row, where and by how much their scores differ from the key.

>>> parts = {"ps9-demo": rubrics.parse_text(rubrics.EXAMPLE, "rubric.md")}
>>> picks = pick_anchors(parts, n=3)
>>> sorted(p.anchor.level for p in picks)
['full', 'half', 'none']
>>> scores = {p.label: dict(p.anchor.scores) for p in picks}
>>> scores[picks[0].label][picks[0].part.rows[0].id] = None      # one row left unscored
>>> result = compare(picks, scores)
>>> result.agreement, result.unscored
(1.0, 1)
"""
from __future__ import annotations

import random
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from designkit.classroom import rubrics

LEVELS = ("full", "half", "none")


@dataclass(frozen=True)
class Pick:
    """One anchor to score blind: its label, set, part and the anchor itself."""

    label: str
    assignment: str
    part: rubrics.Part
    anchor: rubrics.Anchor


@dataclass
class Comparison:
    """Your scores against the key, row by row."""

    rows: list[dict[str, Any]] = field(default_factory=list)   # one per (anchor, rubric row)

    @property
    def scored(self) -> list[dict[str, Any]]:
        return [r for r in self.rows if r["yours"] is not None]

    @property
    def unscored(self) -> int:
        return len(self.rows) - len(self.scored)

    @property
    def agreement(self) -> float:
        """The share of scored rows where you gave exactly the key's score (nan when nothing is scored)."""
        s = self.scored
        return sum(r["difference"] == 0 for r in s) / len(s) if s else float("nan")

    @property
    def mean_difference(self) -> float:
        """Mean of (yours - key) over scored rows: above 0 you are more lenient than the key, below 0 stricter."""
        s = self.scored
        return sum(r["difference"] for r in s) / len(s) if s else float("nan")

    def table(self) -> Any:
        """A pandas DataFrame: anchor, set, part, row, criterion, your score, the key, the difference."""
        import pandas as pd

        columns = ["anchor", "set", "part", "row", "criterion", "points", "yours", "key", "difference"]
        return pd.DataFrame([{k: r[k] for k in columns} for r in self.rows], columns=columns)

    def differences(self) -> list[dict[str, Any]]:
        """The scored rows where you and the key differ, largest difference first."""
        return sorted((r for r in self.scored if r["difference"]), key=lambda r: -abs(r["difference"]))

    def summary(self) -> str:
        """A few lines: how many rows you scored, exact agreement, lenient or strict, where to look again."""
        s = self.scored
        if not s:
            return "Nothing scored yet: enter your scores in the form (or in `my_scores`), then compare again."
        lines = [f"You scored {len(s)} of {len(self.rows)} rubric rows; {self.agreement:.0%} match the key exactly."]
        bias = self.mean_difference
        if bias > 0.1:
            lines.append(f"On average you gave {bias:.2f} points per row more than the key: more lenient.")
        elif bias < -0.1:
            lines.append(f"On average you gave {-bias:.2f} points per row less than the key: stricter.")
        else:
            lines.append("On average you are neither more lenient nor stricter than the key.")
        for r in self.differences():
            lines.append(f"- anchor {r['anchor']}, {r['row']} ({r['criterion']}): you {r['yours']:g}, key "
                         f"{r['key']:g} ({r['difference']:+g}). The key's level: {r['key_descriptor']}")
        if self.unscored:
            lines.append(f"{self.unscored} row(s) not scored yet.")
        return "\n".join(lines)


def find_source(start: str | Path | None = None) -> Path:
    """The course's ``source/`` folder: the first one above ``start`` (default: the current folder) whose sets
    hold a ``rubric.md``, else the kit's own checkout's.

    >>> (find_source() / "header.ipynb").exists()
    True
    """
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents, Path(__file__).resolve().parents[2]):
        if any((folder / "source").glob("*/rubric.md")):
            return folder / "source"
    raise FileNotFoundError(f"no source/<set>/rubric.md above {here}: open this notebook inside the course folder "
                            "(graders have source/; students do not)")


def pick_anchors(parts: dict[str, list[rubrics.Part]], n: int = 6, seed: int = 0, max_rows: int = 4) -> list[Pick]:
    """``n`` anchors from different parts, each level (full, half, none) equally often, in a shuffled order,
    labelled A, B, C, ... so the level is not given away. Parts with at most ``max_rows`` rows come first (a
    calibration round should be short). The same ``seed`` gives the same six."""
    rng = random.Random(seed)
    everything = [(name, part) for name, ps in sorted(parts.items()) for part in ps]
    if not everything:
        raise ValueError("no rubric-graded part found: every set's rubric.md is empty")
    pool = [(name, part) for name, part in everything if len(part.rows) <= max_rows]
    if len(pool) < n:
        pool += [item for item in everything if item not in pool]
    rng.shuffle(pool)
    levels = [LEVELS[i % 3] for i in range(n)]
    rng.shuffle(levels)
    picks = []
    for i, level in enumerate(levels):
        name, part = pool[i % len(pool)]
        picks.append((name, part, part.anchor(level)))
    order = list(range(n))
    rng.shuffle(order)
    return [Pick(string.ascii_uppercase[j], *picks[k]) for j, k in enumerate(order)]


def load(source: str | Path | None = None, n: int = 6, seed: int = 0) -> list[Pick]:
    """Six anchors (by default) from the sets' ``rubric.md`` files under ``source``."""
    return pick_anchors(rubrics.all_parts(source or find_source()), n=n, seed=seed)


def question_text(source: Path, pick: Pick) -> str:
    """The part's question as students see it (the ``qK-question`` cell of the set's source notebook)."""
    import nbformat

    nb = nbformat.read(source / pick.assignment / f"{pick.assignment}.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.get("id") == f"q{pick.part.number}-question":
            return cell.source
    return f"(no q{pick.part.number}-question cell in {pick.assignment})"


def as_markdown(pick: Pick, source: Path | None = None) -> str:
    """What the grader reads for one anchor: the question (with its rubric table) and the answer."""
    question = question_text(source, pick) if source is not None else rubrics.render_table(pick.part)
    return (f"### Anchor {pick.label}: {pick.assignment}, part {pick.part.number} "
            f"({pick.part.points:g} points)\n\n<details open><summary>The question</summary>\n\n{question}\n\n"
            f"</details>\n\n**The answer to score:**\n\n{rubrics.anchor_markdown(pick.part, pick.anchor)}\n")


def blank_scores(picks: list[Pick]) -> dict[str, dict[str, float | None]]:
    """``{label: {row id: None}}``: the plain-code form to fill in.

    >>> picks = pick_anchors({"ps9": rubrics.parse_text(rubrics.EXAMPLE)}, n=1)
    >>> blank_scores(picks)
    {'A': {'q1-r1-names-a-cause': None, 'q1-r2-evidence': None}}
    """
    return {p.label: {r.id: None for r in p.part.rows} for p in picks}


def combine(*scores: dict[str, dict[str, float | None]]) -> dict[str, dict[str, float | None]]:
    """Several ``{label: {row id: score}}`` dicts into one; a later score fills in or replaces an earlier one,
    a ``None`` never replaces a score.

    >>> combine({"A": {"r1": 1, "r2": None}}, {"A": {"r2": 0.5, "r1": None}})
    {'A': {'r1': 1, 'r2': 0.5}}
    """
    out: dict[str, dict[str, float | None]] = {}
    for given in scores:
        for label, rows in given.items():
            mine = out.setdefault(label, {})
            for row, value in rows.items():
                if value is not None or row not in mine:
                    mine[row] = value
    return out


def compare(picks: list[Pick], scores: dict[str, dict[str, float | None]]) -> Comparison:
    """Your ``scores`` (``{label: {row id: score or None}}``) against the key. Scores must be 0 to the row's
    points in halves; a label or row that is not among the picks is an error."""
    by_label = {p.label: p for p in picks}
    unknown = [label for label in scores if label not in by_label]
    if unknown:
        raise ValueError(f"no anchor labelled {', '.join(unknown)}: the anchors are {', '.join(by_label)}")
    result = Comparison()
    for p in picks:
        given = scores.get(p.label, {})
        rows = {r.id for r in p.part.rows}
        extra = [r for r in given if r not in rows]
        if extra:
            raise ValueError(f"anchor {p.label} has no row {', '.join(extra)}: its rows are {', '.join(sorted(rows))}")
        for row in p.part.rows:
            yours = given.get(row.id)
            if yours is not None:
                yours = float(yours)
                if not 0 <= yours <= row.points or yours * 2 != int(yours * 2):
                    raise ValueError(f"anchor {p.label}, {row.id}: {yours:g} is not a score between 0 and "
                                     f"{row.points:g} in half points")
            key = p.anchor.scores[row.id]
            result.rows.append({
                "anchor": p.label, "set": p.assignment, "part": p.part.number, "row": row.id,
                "criterion": row.criterion, "points": row.points, "yours": yours, "key": key,
                "difference": None if yours is None else yours - key,
                "key_level": p.anchor.level, "key_descriptor": row.descriptor(key),
            })
    return result


class CalibrationForm:
    """An ipywidgets form: one dropdown per rubric row of each anchor (0 to the row's points in halves, or
    blank), and a button that shows the comparison with the key underneath.

    >>> form = CalibrationForm(pick_anchors({"ps9": rubrics.parse_text(rubrics.EXAMPLE)}, n=1))
    >>> form.set_scores({"A": {"q1-r1-names-a-cause": 1}}); form.scores()["A"]
    {'q1-r1-names-a-cause': 1.0, 'q1-r2-evidence': None}
    """

    def __init__(self, picks: list[Pick]) -> None:
        import ipywidgets as w

        self.picks = picks
        self.inputs: dict[tuple[str, str], Any] = {}
        boxes = []
        for p in picks:
            rows = []
            for row in p.part.rows:
                options = [("—", None)] + [(f"{x / 2:g}", x / 2) for x in range(int(row.points * 2) + 1)]
                dropdown = w.Dropdown(options=options, value=None, layout=w.Layout(width="6em"))
                self.inputs[(p.label, row.id)] = dropdown
                rows.append(w.HBox([dropdown, w.Label(f"{row.id}: {row.criterion} (of {row.points:g})")]))
            boxes.append(w.VBox([w.HTML(f"<b>Anchor {p.label}</b> ({p.assignment}, part {p.part.number})"),
                                 *rows]))
        self.button = w.Button(description="Compare with the key", button_style="primary")
        self.output = w.Output()
        self.button.on_click(lambda _: self.show())
        self.widget = w.VBox([*boxes, self.button, self.output])

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    def scores(self) -> dict[str, dict[str, float | None]]:
        """The scores entered so far, ``{label: {row id: score or None}}``."""
        out = blank_scores(self.picks)
        for (label, row), dropdown in self.inputs.items():
            out[label][row] = dropdown.value
        return out

    def set_scores(self, scores: dict[str, dict[str, float | None]]) -> None:
        """Fill the form from ``{label: {row id: score}}`` (for example a colleague's scores)."""
        for label, rows in scores.items():
            for row, value in rows.items():
                self.inputs[(label, row)].value = None if value is None else float(value)

    def show(self) -> Comparison:
        """Compare the form's scores with the key and show the result under the button."""
        from IPython.display import display

        result = compare(self.picks, self.scores())
        self.output.clear_output()
        with self.output:
            print(result.summary())
            if result.scored:
                display(result.table())
        return result
