"""Render ``validate()`` feedback as HTML, grouped by level, in plain words.

>>> from designkit.framing import Feedback
>>> html = feedback_html([Feedback("problem", "too-few-causes", "Add at least 3 causes.", "causes")])
>>> "Must fix" in html and "Add at least 3 causes." in html
True
"""
from __future__ import annotations

import html as _html
from collections.abc import Iterable

GROUPS = (
    ("problem", "✖", "Must fix", "#D55E00"),
    ("suggestion", "➜", "Worth considering", "#0072B2"),
    ("strength", "✔", "Working well", "#009E73"),
)


def feedback_html(feedback: Iterable, error: str | None = None, title: str = "Feedback") -> str:
    """HTML list of feedback grouped as Must fix / Worth considering / Working well.

    ``error`` (a structural error message) is shown first, as something to fix before anything else.
    Every item has an icon and a heading, so meaning never rests on colour alone.
    """
    items = list(feedback)
    parts = [f'<div class="designkit-feedback" style="font-size:13px;line-height:1.4">'
             f'<div style="font-weight:bold;margin-bottom:4px">{_html.escape(title)}</div>']
    if error:
        parts.append(f'<div style="color:#D55E00;margin-bottom:6px"><b>✖ Cannot use this yet:</b> '
                     f"{_html.escape(error)}</div>")
    for level, icon, heading, colour in GROUPS:
        group = [f for f in items if f.level == level]
        if not group:
            continue
        parts.append(f'<div style="margin-top:4px"><b style="color:{colour}">{icon} {heading} ({len(group)})</b>'
                     '<ul style="margin:2px 0 4px 18px;padding:0">')
        for f in group:
            where = f' <span style="color:#555">— {_html.escape(f.where)}</span>' if f.where else ""
            parts.append(f'<li title="{_html.escape(f.code)}">{_html.escape(f.message)}{where}</li>')
        parts.append("</ul></div>")
    if not items and not error:
        parts.append('<div style="color:#555">Nothing to report yet.</div>')
    parts.append("</div>")
    return "".join(parts)


def summary(feedback: Iterable) -> str:
    """One line: how many problems, suggestions and strengths.

    >>> summary([])
    '0 problems, 0 suggestions, 0 strengths'
    """
    items = list(feedback)
    counts = {level: sum(f.level == level for f in items) for level, *_ in GROUPS}

    def n(k: int, word: str) -> str:
        return f"{k} {word}" + ("" if k == 1 else "s")

    return ", ".join(n(counts[lvl], lvl) for lvl, *_ in GROUPS)
