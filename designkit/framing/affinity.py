"""Affinity map: field notes (each from one participant) grouped into themes, themes into insights.

An insight must rest on notes from more than one participant: a single vivid quote is a lead to follow up,
not a pattern. A theme names what people experience, not a solution ("SMS reminders" is an idea, not a theme).

>>> notes = [Note("n1", "P1", "We came back three times and the result was not there."),
...          Note("n2", "P2", "The nurse said come next week, again."),
...          Note("n3", "P3", "I keep the card in my bag in case they call.")]
>>> m = AffinityMap(notes, [Theme("Repeat trips for nothing", ["n1", "n2"]),
...                         Theme("Holding on to the paper", ["n3"])],
...                 [Insight("Families pay for every wasted trip, so they stop coming", ["Repeat trips for nothing"])])
>>> m.participants_of(m.insights[0])
['P1', 'P2']
>>> [f.code for f in m.validate()]
['insights-grounded']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from designkit.i18n import _

from ._base import (
    Feedback,
    FramingError,
    FramingModel,
    _describe,
    check_items,
    check_text,
    check_text_list,
    take_fields,
)
from ._records import listing
from ._text import language_of, missing_solution, norm, solution_phrase, technologies

MIN_PARTICIPANTS = 2

#: Nouns that name a thing to build: a theme made of one of these restates a solution.
SOLUTION_WORDS = ("app", "apps", "reminder", "reminders", "hotline", "helpline", "chatbot", "kiosk", "dashboard",
                  "platform", "website", "portal", "campaign", "voucher", "vouchers", "poster", "posters",
                  "leaflet", "leaflets", "device", "devices")
_SOLUTION_WORD_RE = re.compile(r"\b(?:" + "|".join(SOLUTION_WORDS) + r")\b", re.IGNORECASE)
#: The same in Chinese (``SOLUTION_WORDS``), and verbs of providing at the start of a theme.
SOLUTION_WORDS_ZH = ("应用", "提醒", "热线", "求助热线", "聊天机器人", "自助机", "仪表盘", "平台", "网站", "门户", "宣传活动",
                     "代金券", "海报", "传单", "设备", "短信提醒")
PROVIDE_VERBS_ZH = ("建", "建立", "提供", "开发", "安装", "引入", "给", "发送", "设立", "开设", "培训", "分发", "增加",
                    "做一个", "推出")
# "没人解释", "没有消息": an experience, though the problem-tree rule reads "没有X" as a gap
EXPERIENCE_OPENERS_ZH = ("没人", "没有人", "没有消息", "没有任何消息", "无人")
# a verb of providing at the start: "Provide ...", "Send ...", "Train nurses to ..."
_PROVIDE_RE = re.compile(r"^\s*(?:build|provide|create|install|introduce|give|send|set up|offer|train|distribute|"
                         r"add|make)\s+\w", re.IGNORECASE)
# "No one explains", "Without news": an experience, even though the rule for problem trees reads "no X" as a gap
_EXPERIENCE_OPENERS = frozenset({"no", "without", "missing", "lacking"})


def theme_solution(name: str) -> str | None:
    """What a theme's ``name`` proposes, if it restates a solution ("SMS reminders", "need for a hotline",
    "a new card"); None when it names an experience.

    >>> theme_solution("SMS reminders for results"), theme_solution("Repeat trips for nothing")
    ('SMS', None)
    >>> theme_solution("Lack of a helpline"), theme_solution("No one explains the delay")
    ('a helpline', None)
    """
    if language_of(name) == "zh":  # "短信提醒结果" proposes 短信; "白跑好几趟" is an experience
        text = name.strip()
        missing = missing_solution(text) if not text.startswith(EXPERIENCE_OPENERS_ZH) else None
        found = missing or solution_phrase(text) or (technologies(text) or [None])[0]
        if found:
            return found
        words_found = [w for w in SOLUTION_WORDS_ZH if w in text]
        if words_found:
            return words_found[0]
        return text if text.startswith(PROVIDE_VERBS_ZH) else None
    first = name.strip().split(" ", 1)[0].casefold() if name.strip() else ""
    missing = missing_solution(name) if first not in _EXPERIENCE_OPENERS else None
    if missing:
        return missing
    found = solution_phrase(" " + name) or (technologies(name) or [None])[0]
    if found:
        return found
    m = _SOLUTION_WORD_RE.search(name)
    if m:
        return m.group(0)
    return name.strip() if _PROVIDE_RE.match(name) else None


@dataclass
class Note:
    """One field note: its ``id``, the ``participant`` (an anonymised code) and the ``text``.

    >>> Note("n7", "C2 (girl, 11)", "She drew the bus, the queue and a clock.").participant
    'C2 (girl, 11)'
    """

    id: str
    participant: str
    text: str

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        """Structural check: three texts (FramingError)."""
        check_text(self.id, "Note id")
        check_text(self.participant, _("participant of note {id}", id=repr(self.id)))
        check_text(self.text, _("text of note {id}", id=repr(self.id)))

    def to_dict(self) -> dict:
        """As a JSON-ready dict."""
        return {"id": self.id, "participant": self.participant, "text": self.text}


@dataclass
class Theme:
    """A theme: a ``name`` for what the notes have in common and the ids of its ``notes``.

    >>> Theme("Not knowing when to come back", ["n1", "n4"]).notes
    ['n1', 'n4']
    """

    name: str
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        """Structural check (FramingError)."""
        check_text(self.name, "Theme name")
        self.notes = check_text_list(self.notes, _("notes of theme {name}", name=repr(self.name)))

    def to_dict(self) -> dict:
        """As a JSON-ready dict."""
        return {"name": self.name, "notes": list(self.notes)}


@dataclass
class Insight:
    """An insight: a ``text`` (what you learnt, and why it matters) resting on ``themes`` (their names).

    >>> Insight("Children carry the worry of the wait too", ["Children notice the worry"]).themes
    ['Children notice the worry']
    """

    text: str
    themes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        """Structural check (FramingError)."""
        check_text(self.text, "Insight text")
        self.themes = check_text_list(self.themes, _("themes of insight {text}", text=repr(self.text[:40])))

    def to_dict(self) -> dict:
        """As a JSON-ready dict."""
        return {"text": self.text, "themes": list(self.themes)}


@dataclass
class AffinityMap(FramingModel):
    """``notes`` -> ``themes`` -> ``insights``.

    Structural (FramingError): note ids are unique and non-empty; every note id a theme names and every theme
    name an insight names exist. Feedback: notes, themes and insights present; no empty theme; a theme that
    restates a solution; an insight resting on notes from fewer than 2 participants; notes not in any theme
    (a suggestion: look at them again before you leave them out).

    >>> AffinityMap([Note("n1", "P1", "I walk two hours")], [], []).validate()[0].code
    'no-themes'
    """

    MODEL = "AffinityMap"

    notes: list[Note] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    insights: list[Insight] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.check()

    @classmethod
    def from_notes(cls, rows: Any, themes: list[Theme] | None = None,
                   insights: list[Insight] | None = None) -> AffinityMap:
        """A map from a table of notes with the columns ``note_id``, ``participant`` and ``text`` (e.g.
        ``designkit.data.field_notes()``) or from a list of such dicts.

        >>> AffinityMap.from_notes([{"note_id": "n1", "participant": "P1", "text": "We waited"}]).notes[0].id
        'n1'
        """
        records = rows.to_dict("records") if hasattr(rows, "to_dict") else rows
        if not isinstance(records, list):
            raise FramingError(_("from_notes needs a table or a list of dicts, not {records}.",
                                 records=_describe(records)))
        notes = []
        for i, r in enumerate(records):
            if not isinstance(r, dict) or not {"note_id", "participant", "text"} <= set(r):
                raise FramingError(_("Row {i} of the notes needs 'note_id', 'participant' and 'text'.", i=i))
            notes.append(Note(str(r["note_id"]), str(r["participant"]), str(r["text"])))
        return cls(notes, themes or [], insights or [])

    def check(self) -> None:
        """Structural check (FramingError): types, unique note ids, and references that resolve."""
        self.notes = check_items(self.notes, Note, "notes")
        self.themes = check_items(self.themes, Theme, "themes")
        self.insights = check_items(self.insights, Insight, "insights")
        ids: set[str] = set()
        for note in self.notes:
            note.check()
            if not note.id.strip():
                raise FramingError(_("A note has an empty id: give every note an id such as 'n1'."))
            if note.id in ids:
                raise FramingError(_("Two notes have the id {id}: give every note its own id.",
                                     id=repr(note.id)))
            ids.add(note.id)
        names = set()
        for theme in self.themes:
            theme.check()
            unknown = [n for n in theme.notes if n not in ids]
            if unknown:
                raise FramingError(_("Theme {name} names note(s) that do not exist: {unknown}. Use the notes' ids (e.g. {value}).",
                                     name=repr(theme.name), unknown=listing(unknown), value=listing(sorted(ids)[:3]) or 'n1'))
            names.add(norm(theme.name))
        for insight in self.insights:
            insight.check()
            unknown = [t for t in insight.themes if norm(t) not in names]
            if unknown:
                raise FramingError(_("The insight {text} rests on theme(s) that do not exist: {repr}. Use the themes' names.",
                                     text=repr(insight.text[:40]), repr=listing(map(repr, unknown))))

    def note(self, note_id: str) -> Note:
        """The note with this id (FramingError if none)."""
        for n in self.notes:
            if n.id == note_id:
                return n
        raise FramingError(_("No note with the id {note_id}.", note_id=repr(note_id)))

    def theme(self, name: str) -> Theme:
        """The theme with this name, case-insensitive (FramingError if none)."""
        for t in self.themes:
            if norm(t.name) == norm(name):
                return t
        raise FramingError(_("No theme called {name}; the themes are: {name2}.",
                             name=repr(name), name2=listing(t.name for t in self.themes)))

    def participants_of(self, item: Theme | Insight) -> list[str]:
        """The distinct participants whose notes support a theme or an insight, in note order."""
        self.check()
        return self._participants_of(item)

    def _participants_of(self, item: Theme | Insight) -> list[str]:
        themes = [item] if isinstance(item, Theme) else [self.theme(t) for t in item.themes]
        wanted = {n for t in themes for n in t.notes}
        out: list[str] = []
        for note in self.notes:
            if note.id in wanted and note.participant not in out:
                out.append(note.participant)
        return out

    def unused_notes(self) -> list[Note]:
        """Notes that are in no theme."""
        self.check()
        used = {n for t in self.themes for n in t.notes}
        return [n for n in self.notes if n.id not in used]

    def to_dict(self) -> dict:
        """The map as a JSON-ready dict."""
        return {"notes": [n.to_dict() for n in self.notes], "themes": [t.to_dict() for t in self.themes],
                "insights": [i.to_dict() for i in self.insights]}

    @classmethod
    def from_dict(cls, data: dict) -> AffinityMap:
        """Rebuild from ``to_dict()`` output."""
        take_fields(data, _("The {model} JSON", model="AffinityMap"), (), ("notes", "themes", "insights"))
        lists = {k: data.get(k, []) for k in ("notes", "themes", "insights")}
        for k, v in lists.items():
            if not isinstance(v, list):
                raise FramingError(_("'{k}' must be a list, but it is {v}.", k=k, v=_describe(v)))
        notes, themes, insights = [], [], []
        for i, n in enumerate(lists["notes"]):
            take_fields(n, f"notes[{i}]", ("id", "participant", "text"))
            notes.append(Note(n["id"], n["participant"], n["text"]))
        for i, t in enumerate(lists["themes"]):
            take_fields(t, f"themes[{i}]", ("name",), ("notes",))
            themes.append(Theme(t["name"], t.get("notes", [])))
        for i, s in enumerate(lists["insights"]):
            take_fields(s, f"insights[{i}]", ("text",), ("themes",))
            insights.append(Insight(s["text"], s.get("themes", [])))
        return cls(notes, themes, insights)

    def _feedback(self) -> list[Feedback]:
        out: list[Feedback] = []
        if not self.notes:
            out.append(Feedback("problem", "no-notes", _("Add the field notes: one observation or quote per note, "
                                                       "with the participant's code."), where="notes"))
        if not self.themes:
            out.append(Feedback("problem", "no-themes", _("Group the notes into themes: what do several notes have in "
                                                        "common?"), where="themes"))
        if not self.insights:
            out.append(Feedback("problem", "no-insights", _("Write insights: what did you learn from the themes, and "
                                                          "why does it matter for the design?"), where="insights"))
        for theme in self.themes:
            if not theme.name.strip():
                out.append(Feedback("problem", "empty-name", _("A theme has no name: say what its notes share."),
                                    where="themes"))
            if not theme.notes:
                out.append(Feedback("problem", "empty-theme",
                                    _("Theme '{name}' has no notes: put the notes that support it in it, or remove it.",
                                      name=theme.name), where=theme.name))
            proposed = theme_solution(theme.name) if theme.name.strip() else None
            if proposed:
                out.append(Feedback(
                    "problem", "theme-is-solution",
                    _("Theme '{name}' restates a solution ({proposed}). A theme names what people experience (e.g. "
                      "'Repeat trips for nothing'), so that many ideas stay open; keep the solution for ideation.",
                      name=theme.name, proposed=repr(proposed)), where=theme.name))
        for insight in self.insights:
            if not insight.themes:
                out.append(Feedback("problem", "insight-without-theme",
                                    _("The insight '{strip}' rests on no theme: say which themes support it.",
                                      strip=insight.text.strip()), where="insights"))
                continue
            people = self._participants_of(insight)
            if len(people) < MIN_PARTICIPANTS:
                who = people[0] if people else "nobody"
                out.append(Feedback(
                    "problem", "single-participant-insight",
                    _("The insight '{strip}' rests on notes from one participant only ({who}). One vivid story is a "
                      "lead, not a pattern: find it in notes from at least {min_participants} participants, or follow "
                      "it up before you build on it.",
                      strip=insight.text.strip(), who=who, min_participants=MIN_PARTICIPANTS), where=insight.text[:40]))
        unused = self.unused_notes()
        if unused and self.themes:
            out.append(Feedback(
                "suggestion", "notes-unused",
                _("{n_unused} note(s) are in no theme ({id}{value}). Read them again: a note that fits nowhere may "
                  "be a surprise worth a theme of its own.",
                  n_unused=len(unused), id=listing(n.id for n in unused[:8]), value=', ...' if len(unused) > 8 else ''), where="notes"))
        if self.insights and not [f for f in out if f.level == "problem"]:
            out.append(Feedback("strength", "insights-grounded",
                                _("Every insight rests on themes supported by several participants."),
                                where="insights"))
        return out
