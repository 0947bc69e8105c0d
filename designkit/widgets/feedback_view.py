"""Render ``validate()`` feedback as HTML, grouped by level, in plain words.

For a screen reader the view is a labelled group; each group is a heading followed by a list that names
itself and its length (``aria-label``); the icons are hidden from it (the heading says the same in words).
Colours come from :mod:`designkit.plots.palette` (text variants at 4.5:1 or more).

>>> from designkit.framing import Feedback
>>> html = feedback_html([Feedback("problem", "too-few-causes", "Add at least 3 causes.", "causes")])
>>> "Must fix" in html and "Add at least 3 causes." in html
True
>>> 'role="group"' in html and 'aria-label="Must fix: 1 item"' in html
True
"""
from __future__ import annotations

import html as _html
from collections.abc import Iterable

from designkit.i18n import N_, _
from designkit.plots.palette import BAD_TEXT, GOOD_TEXT, INFO_TEXT, MUTED

GROUPS = (
    ("problem", "✖", N_("Must fix"), BAD_TEXT),
    ("suggestion", "➜", N_("Worth considering"), INFO_TEXT),
    ("strength", "✔", N_("Working well"), GOOD_TEXT),
)


def feedback_html(feedback: Iterable, error: str | None = None, title: str | None = None,
                  label: str | None = None) -> str:
    """HTML list of feedback grouped as Must fix / Worth considering / Working well.

    ``error`` (a structural error message) is shown first, as something to fix before anything else.
    Every item has an icon and a heading, so meaning never rests on colour alone. ``label`` names the
    view for a screen reader (default: ``title``); editors pass their own name, e.g. "Problem tree: feedback".
    """
    items = list(feedback)
    title = title if title is not None else _("Feedback")
    parts = [f'<div class="designkit-feedback" role="group" aria-label="{_html.escape(label or title)}" '
             'style="font-size:13px;line-height:1.4">'
             f'<div role="heading" aria-level="4" style="font-weight:bold;margin-bottom:4px">{_html.escape(title)}</div>']
    if error:
        cannot = _html.escape(_("Cannot use this yet:"))
        parts.append(f'<div style="color:{BAD_TEXT};margin-bottom:6px"><b><span aria-hidden="true">✖ '
                     f"</span>{cannot}</b> {_html.escape(error)}</div>")
    for level, icon, heading, colour in GROUPS:
        group = [f for f in items if f.level == level]
        if not group:
            continue
        count = _("{n} item", n=len(group)) if len(group) == 1 else _("{n} items", n=len(group))
        heading = _(heading)
        parts.append(f'<div style="margin-top:4px"><div role="heading" aria-level="5" style="font-weight:bold;'
                     f'color:{colour}"><span aria-hidden="true">{icon} </span>{heading} ({len(group)})</div>'
                     f'<ul aria-label="{heading}: {count}" style="margin:2px 0 4px 18px;padding:0">')
        for f in group:
            where = f' <span style="color:{MUTED}">— {_html.escape(f.where)}</span>' if f.where else ""
            parts.append(f'<li title="{_html.escape(f.code)}">{_html.escape(f.message)}{where}</li>')
        parts.append("</ul></div>")
    if not items and not error:
        nothing = _html.escape(_("Nothing to report yet."))
        parts.append(f'<div style="color:{MUTED}">{nothing}</div>')
    parts.append("</div>")
    return "".join(parts)


def summary(feedback: Iterable) -> str:
    """One line: how many problems, suggestions and strengths.

    >>> summary([])
    '0 problems, 0 suggestions, 0 strengths'
    """
    items = list(feedback)
    counts = {level: sum(f.level == level for f in items) for level, *_rest in GROUPS}
    return _(", ").join(_(_COUNTS[lvl][0] if counts[lvl] == 1 else _COUNTS[lvl][1], n=counts[lvl])
                        for lvl, *_rest in GROUPS)


_COUNTS = {"problem": (N_("{n} problem"), N_("{n} problems")),
           "suggestion": (N_("{n} suggestion"), N_("{n} suggestions")),
           "strength": (N_("{n} strength"), N_("{n} strengths"))}
