"""PeerRatingForm: the capstone's peer-assessment form as a widget that knows the student's own team.

How the form knows the team without showing anyone else's: after Milestone 3 is graded, the instructor's
pipeline writes a small roster -- the member ids of *that* team, nothing else (no team name, no marks, no
comments) -- into each member's own Milestone 3 feedback page (``designkit.classroom.peer.add_rosters``), and
nbgrader's own feedback channel carries it (``release_feedback``: each student can fetch only the feedback of
their own submission). When the student fetches that feedback in the Assignments tab, nbgrader puts it at
``<course folder>/capstone-m3-pitch/feedback/<timestamp>/capstone-m3-pitch.html``, beside the peer form's own
folder. :func:`find_roster` reads the newest one; the form then starts with one row per teammate. Without it
(feedback not fetched yet, or another member submitted Milestone 3 for the team, so nbgrader has no feedback
for this student) the form asks for the ids, as the plain-code form does.

The widget keeps a plain Python value (``.ratings``, ``.comment``; ``.value`` holds both) in step with its
controls and shows it as the code of the form cell (``.to_code()``): that cell, not the widget, is what the
student submits and what the pipeline reads (``designkit.classroom.peer.read_form``, without running it).

>>> form = PeerRatingForm(["s2", "s1"], me="s1")
>>> form.members                                   # the student first
['s1', 's2']
>>> form.set_mark("s2", "contribution", 5)
>>> form.ratings["s2"]["contribution"], form.ratings["s1"]["contribution"]
(5, 3)
>>> "ratings = {" in form.to_code() and '"s2": {"contribution": 5,' in form.to_code()
True
"""
from __future__ import annotations

import getpass
import html
import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import ipywidgets as W

from designkit.i18n import _
from designkit.plots.palette import GRID, MUTED
from designkit.widgets.editor import STYLE, labelled

#: The criteria and the scale of the form: the same as the pipeline's (``designkit.classroom.peer``; a test
#: keeps them equal -- student code does not import the instructor side).
CRITERIA = ("contribution", "reliability", "communication", "respect-for-children")
SCALE = (0, 5)
DEFAULT_MARK = 3
#: The milestone whose released feedback carries the team roster, and the id of the roster's element.
ROSTER_AFTER = "capstone-m3-pitch"
ROSTER_ID = "designkit-team-roster"
_ROSTER_RE = re.compile(r'<script type="application/json" id="' + ROSTER_ID + r'">(.*?)</script>', re.S)


class RosterError(ValueError):
    """A roster that cannot be used; the message names the file."""


def read_roster(page: str, where: str = "feedback page") -> list[str] | None:
    """The member ids in a feedback page's roster element, or None when the page has none.

    >>> read_roster('<p>..</p><script type="application/json" id="designkit-team-roster">'
    ...             '{"members": ["s1", "s2"]}</script>')
    ['s1', 's2']
    >>> read_roster("<p>no roster</p>") is None
    True
    """
    found = _ROSTER_RE.search(page)
    if found is None:
        return None
    try:
        data = json.loads(found.group(1).replace("<\\/", "</"))
    except ValueError as exc:
        raise RosterError(_("{where}: the team list in it is not valid JSON ({error}); type the ids in the form "
                            "cell instead", where=where, error=exc)) from exc
    members = data.get("members") if isinstance(data, dict) else None
    if not isinstance(members, list) or not members or not all(isinstance(m, str) and m.strip() for m in members):
        raise RosterError(_("{where}: the team list in it has no member ids; type the ids in the form cell "
                            "instead", where=where))
    return [m.strip() for m in members]


def find_roster(folder: str | os.PathLike | None = None) -> tuple[list[str], Path] | None:
    """The team roster from the student's fetched Milestone 3 feedback, and the file it came from, or None.

    ``folder`` is the peer form's own folder (default: the current folder, where JupyterLab starts the
    notebook's kernel). nbgrader fetches feedback into ``<assignment>/feedback/<timestamp>/<notebook>.html``
    beside it (with or without the course id in the path, the two are siblings); M3 may be its English
    (``capstone-m3-pitch``) or Chinese (``capstone-m3-pitch-zh``) assignment; the newest timestamp wins.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     page = Path(d, ROSTER_AFTER, "feedback", "2026-12-10 10:00:00.000000 UTC", ROSTER_AFTER + ".html")
    ...     page.parent.mkdir(parents=True)
    ...     _ = page.write_text('<script type="application/json" id="designkit-team-roster">'
    ...                         '{"members": ["s1", "s4"]}</script>')
    ...     find_roster(Path(d, "capstone-peer"))[0]
    ['s1', 's4']
    """
    here = Path(folder) if folder is not None else Path.cwd()
    pages = sorted((page for m3 in (ROSTER_AFTER, f"{ROSTER_AFTER}-zh")  # M3 in English or in Chinese
                    for page in (here.parent / m3 / "feedback").glob(f"*/{m3}.html")),
                   key=lambda p: p.parent.name, reverse=True)
    for page in pages:
        members = read_roster(page.read_text(encoding="utf-8", errors="replace"), str(page))
        if members is not None:
            return members, page
    return None


def whoami() -> str:
    """The student's id as nbgrader takes it: ``JUPYTERHUB_USER`` in a ``jovyan`` container, else the OS user."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name at all (a sandbox): nobody is marked "you"
        return ""
    return os.environ.get("JUPYTERHUB_USER", user) if user == "jovyan" else user


def ratings_code(ratings: dict[str, dict[str, int]], comment: str = "") -> str:
    """The form cell's code for ``ratings`` and ``comment`` (what the pipeline reads).

    >>> print(ratings_code({"s1": {"contribution": 4}}, "fine"))
    ratings = {
        "s1": {"contribution": 4},
    }
    comment = "fine"
    """
    lines = ["ratings = {"]
    for member, marks in ratings.items():
        inner = ", ".join(f"{json.dumps(c)}: {int(v)}" for c, v in marks.items())
        lines.append(f"    {json.dumps(member)}: {{{inner}}},")
    lines += ["}", f"comment = {json.dumps(comment, ensure_ascii=False)}"]
    return "\n".join(lines)


class PeerRatingForm:
    """One row of sliders per team member (0-5 per criterion), a comment for the instructors, and the form cell's
    code, kept in step. Build it with the team's ids (``members``), or with :meth:`for_student` to read them
    from the student's fetched Milestone 3 feedback."""

    def __init__(self, members: Iterable[str] = (), ratings: dict[str, dict[str, int]] | None = None,
                 comment: str = "", me: str | None = None, note: str = "") -> None:
        self.me = me
        self._sliders: dict[str, dict[str, W.IntSlider]] = {}
        self._updating = False
        self.note = W.HTML(f"<div style='color:{MUTED};font-size:12px'>{html.escape(note)}</div>")
        self.ids = labelled(W.Text(placeholder=_("e.g. s1, s2, s3"), continuous_update=False,
                                   layout=W.Layout(width="95%")),
                            _("Member ids of your team, yours included, separated by commas"))
        self.ids.observe(self._ids_changed, names="value")
        self.rows = W.VBox()
        self.comment_box = labelled(W.Textarea(value=comment, layout=W.Layout(width="95%", height="4em")),
                                    _("Comment for the instructors (no other student sees it)"))
        self.comment_box.observe(self._changed, names="value")
        self.code_view = labelled(W.Textarea(layout=W.Layout(width="95%", height="10em")),
                                  _("Your form as code: copy all of it into the form cell below, replacing "
                                    "what is there (the form cell is what you submit)"))
        self.code_view.add_class("designkit-outline")
        title = html.escape(_("Peer assessment"))
        scale = html.escape(_("Rate every member of your team, yourself included: 0 = not at all, 3 = as much as "
                              "could be expected, 5 = far beyond."))
        header = W.HTML(f"<h3 style='margin:0 0 4px 0'>{title}</h3>"
                        f"<div style='color:{MUTED};font-size:12px;margin-bottom:6px'>{scale}</div>")
        self.widget = W.VBox([STYLE, header, self.note, self.ids, self.rows, self.comment_box, self.code_view],
                             layout=W.Layout(border=f"1px solid {GRID}", padding="8px"))
        self.widget.add_class("designkit-editor")
        self._build(list(members), ratings or {})

    # ---- building ---------------------------------------------------------------------------------
    @classmethod
    def for_student(cls, folder: str | os.PathLike | None = None, me: str | None = None) -> PeerRatingForm:
        """The form for the student running the notebook: rows from their fetched Milestone 3 feedback when it
        holds a roster (see :func:`find_roster`), else empty rows to fill in with the ids."""
        me = whoami() if me is None else me
        try:
            found = find_roster(folder)
        except RosterError as err:
            return cls(me=me, note=str(err))
        if found is None:
            return cls(me=me, note=_("No team list yet: fetch your Milestone 3 feedback in the Assignments tab "
                                     "and run this cell again, or type the ids below."))
        members, page = found
        return cls(members, me=me, note=_("Your team, from your Milestone 3 feedback ({file}).", file=page.name))

    def _order(self, members: list[str]) -> list[str]:
        unique = list(dict.fromkeys(m.strip() for m in members if m.strip()))
        if self.me in unique:
            unique.remove(self.me)
            unique.insert(0, self.me)
        return unique

    def _build(self, members: list[str], ratings: dict[str, dict[str, int]]) -> None:
        members = self._order(members)
        self._updating = True
        try:
            self.ids.value = ", ".join(members)
            self._sliders = {}
            boxes = []
            for m in members:
                marks = ratings.get(m, {})
                row = {}
                for c in CRITERIA:
                    slider = labelled(W.IntSlider(value=int(marks.get(c, DEFAULT_MARK)), min=SCALE[0], max=SCALE[1],
                                                  layout=W.Layout(width="95%")), f"{m}: {c}")
                    slider.observe(self._changed, names="value")
                    row[c] = slider
                self._sliders[m] = row
                title = _("{member} (you)", member=m) if m == self.me else m
                boxes.append(W.VBox([W.HTML(f"<b>{html.escape(title)}</b>"), *row.values()],
                                    layout=W.Layout(margin="4px 0", padding="2px 0 2px 8px",
                                                    border_left=f"3px solid {GRID}")))
            self.rows.children = boxes
        finally:
            self._updating = False
        self._changed()

    def _ids_changed(self, change: Any) -> None:
        if not self._updating:
            self._build(change["new"].replace(";", ",").split(","), self.ratings)

    def _changed(self, _change: Any = None) -> None:
        if not self._updating:
            self.code_view.value = self.to_code()

    # ---- the plain value --------------------------------------------------------------------------
    @property
    def members(self) -> list[str]:
        """The ids rated, in the form's order (the student first)."""
        return list(self._sliders)

    @property
    def ratings(self) -> dict[str, dict[str, int]]:
        """``{member: {criterion: mark}}`` as the sliders show it now."""
        return {m: {c: int(s.value) for c, s in row.items()} for m, row in self._sliders.items()}

    @ratings.setter
    def ratings(self, value: dict[str, dict[str, int]]) -> None:
        for m, marks in value.items():
            for c, mark in marks.items():
                if c not in CRITERIA:
                    raise ValueError(_("{criterion!r} is not one of the criteria ({criteria})", criterion=c,
                                       criteria=", ".join(CRITERIA)))
                if not isinstance(mark, int) or isinstance(mark, bool) or not SCALE[0] <= mark <= SCALE[1]:
                    raise ValueError(_("{member}: {criterion} needs a whole mark from {low} to {high} (found "
                                       "{mark!r})", member=m, criterion=c, low=SCALE[0], high=SCALE[1], mark=mark))
        self._build(list(value), value)

    @property
    def comment(self) -> str:
        """The comment for the instructors."""
        return self.comment_box.value

    @comment.setter
    def comment(self, text: str) -> None:
        self.comment_box.value = text

    @property
    def value(self) -> dict[str, Any]:
        """``{"ratings": ..., "comment": ...}``: the plain value of the form."""
        return {"ratings": self.ratings, "comment": self.comment}

    def set_mark(self, member: str, criterion: str, mark: int) -> None:
        """Move one slider (as a student would)."""
        self._sliders[member][criterion].value = mark

    def to_code(self) -> str:
        """The code of the form cell for what the form shows now (see :func:`ratings_code`)."""
        return ratings_code(self.ratings, self.comment)

    def _repr_mimebundle_(self, **kwargs: Any):
        return self.widget._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        return f"PeerRatingForm(members={self.members!r})"
