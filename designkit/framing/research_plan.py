"""Research plan for research with children: questions, who takes part, methods, ethics and data handling.

Ethics steps follow the ERIC compendium (Ethical Research Involving Children, UNICEF Office of Research -
Innocenti, 2013; childethics.com): informed consent from a caregiver AND the child's own assent, a named
safeguarding lead, and a referral pathway for a child who discloses harm or is distressed. Anyone under 18 is a
child (CRC art. 1). Data handling follows the Responsible Data for Children principles (RD4C: purpose-driven,
proportional, prevention of harms across the data life cycle, protective of children's rights...): say why each
piece of data is collected, keep identifiable data only where it is needed, store it safely and delete it.

>>> plan = ResearchPlan(
...     questions=["What happens to a family between the clinic visit and the result?"],
...     participants=[ParticipantGroup("children", 8, 15, 6), ParticipantGroup("caregivers", 18, 70, 6)],
...     methods=[Method("role-play with puppets", ["children"]), Method("interview", ["caregivers"])],
...     consent="caregiver reads or hears the information sheet and signs",
...     assent="the child hears a picture story of the study and says yes or no; can stop at any time",
...     safeguarding_lead="district social welfare officer (named in the protocol)",
...     referral_pathway="disclosure -> safeguarding lead the same day -> district social welfare office",
...     data=DataHandling(purpose="redesign how results reach families", identifiable=[],
...                       storage="paper notes locked at the office", retention="destroyed after the course"))
>>> plan.ok
True
>>> [f.code for f in ResearchPlan(participants=[ParticipantGroup("children", 8, 12)]).validate()][:3]
['no-questions', 'no-methods', 'minor-without-assent']
"""

from __future__ import annotations

import numbers
import re
from dataclasses import dataclass, field
from typing import Any

from designkit.i18n import N_, _

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
from ._text import norm

#: A participant younger than this is a child (CRC art. 1): their assent and a caregiver's consent are needed.
ADULT_AGE = 18
MAX_AGE = 120


@dataclass(frozen=True)
class MethodAge:
    """One row of :data:`METHODS_BY_AGE`: a method, the words that name it, the youngest age it suits, the source."""

    method: str
    words: tuple[str, ...]
    min_age: int | None
    source: str
    status: str
    why: str


#: Methods by age, as far as the kit's sources support an age boundary.
#:
#: Status of this table (read before relying on it): only ONE row carries a sourced age boundary. Read and
#: MacFarlane (2006, the Fun Toolkit paper [@read2006_funtoolkit]) report that young children's answers on a
#: rating scale such as the Smileyometer cluster at the top of the scale, so the ratings cannot tell prototypes
#: apart; summaries of that paper place the boundary at about age 10. The other rows name methods the course
#: teaches, but the kit has NO sourced age boundary for them: their ``min_age`` is None, their ``source`` is empty
#: and no rule fires. A team that uses them with young children must argue the fit itself (the ERIC compendium
#: [@eric2013] gives ethical questions to ask, not an age table). Add a boundary only with a source you have read.
METHODS_BY_AGE: tuple[MethodAge, ...] = (
    MethodAge("rating scale", ("rating scale", "rating scales", "smileyometer", "smiley scale", "smiley face scale",
                               "likert", "satisfaction scale", "score out of", "rate from", "star rating",
                               "评分量表", "笑脸量表", "打分", "评分", "满分", "星级评价", "李克特", "满意度量表"),
              10, "read2006_funtoolkit", "sourced",
              N_("young children's ratings cluster at the top of the scale (Read & MacFarlane 2006), so the scores "
                 "cannot tell two versions apart; observe what they do, or use an again-again table, alongside")),
    MethodAge("interview", ("interview", "interviews", "访谈", "采访"), None, "", "no sourced age boundary", ""),
    MethodAge("focus group", ("focus group", "focus groups", "group discussion", "焦点小组", "小组讨论"), None, "", "no sourced age boundary", ""),
    MethodAge("drawing", ("drawing", "draw", "drawings", "画画", "绘画", "画图"), None, "", "no sourced age boundary", ""),
    MethodAge("role-play", ("role-play", "role play", "puppets", "puppet", "角色扮演", "木偶"), None, "", "no sourced age boundary", ""),
    MethodAge("observation", ("observation", "observe", "observing", "shadowing", "观察", "跟随观察"), None, "", "no sourced age boundary", ""),
    MethodAge("written questionnaire", ("questionnaire", "survey", "written form", "问卷", "书面表格"), None, "", "no sourced age boundary", ""),
)


def method_age(method: str) -> MethodAge | None:
    """The row of :data:`METHODS_BY_AGE` whose words name ``method`` (the first that matches), or None.

    >>> method_age("Smileyometer after each task").method
    'rating scale'
    >>> method_age("walking tour with the child") is None
    True
    """
    text = method.casefold()
    for row in METHODS_BY_AGE:
        if any(w in text if any("\u4e00" <= c <= "\u9fff" for c in w) else re.search(r"\b" + re.escape(w) + r"\b", text)
               for w in row.words):  # a Chinese word ("评分量表") anywhere: Chinese has no spaces between words
            return row
    return None


def unsuited_to_age(method: str, ages: tuple[int, int]) -> MethodAge | None:
    """The sourced table row that makes ``method`` unsuited to an age range ``(youngest, oldest)``, or None.

    Only rows with a sourced ``min_age`` can make a method unsuited (see :data:`METHODS_BY_AGE`).

    >>> unsuited_to_age("smileyometer", (6, 9)).min_age
    10
    >>> unsuited_to_age("smileyometer", (11, 15)) is None, unsuited_to_age("interview", (6, 9)) is None
    (True, True)
    """
    row = method_age(method)
    if row is None or row.min_age is None or row.status != "sourced":
        return None
    return row if ages[0] < row.min_age else None


def check_age(value: Any, what: str) -> int:
    """An age in whole years, 0 to 120; FramingError otherwise.

    >>> check_age(9, "age of Amara")
    9
    """
    if isinstance(value, numbers.Real) and not isinstance(value, bool) and float(value).is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_AGE:
        raise FramingError(_("The {what} is {value}; it must be a whole number of years from 0 to {max_age}, e.g. 9.",
                             what=what, value=_describe(value), max_age=MAX_AGE))
    return value


@dataclass
class ParticipantGroup:
    """Who takes part: a group's ``name``, its age range ``min_age``..``max_age`` (years) and how many (``count``).

    >>> ParticipantGroup("children in the waiting room", 8, 12, 6).is_minor
    True
    """

    name: str
    min_age: int
    max_age: int
    count: int = 1

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        """Structural check: a name, ages 0..120 with min <= max, a count of at least 1 (FramingError)."""
        check_text(self.name, _("Participant group name"))
        who = _("group {name}", name=repr(self.name))
        self.min_age = check_age(self.min_age, _("min_age of {who}", who=who))
        self.max_age = check_age(self.max_age, _("max_age of {who}", who=who))
        if self.min_age > self.max_age:
            raise FramingError(_("The ages of {who} run from {min_age} to {max_age}: min_age must not be larger than max_age.",
                                 who=who, min_age=self.min_age, max_age=self.max_age))
        if isinstance(self.count, bool) or not isinstance(self.count, int) or self.count < 1:
            raise FramingError(_("The count of {who} is {count}; it must be a whole number >= 1.",
                                 who=who, count=_describe(self.count)))

    @property
    def is_minor(self) -> bool:
        """True when anyone in the group may be under 18."""
        return self.min_age < ADULT_AGE

    def to_dict(self) -> dict:
        """The group as a JSON-ready dict."""
        return {"name": self.name, "min_age": self.min_age, "max_age": self.max_age, "count": self.count}

    @classmethod
    def from_dict(cls, data: Any, what: str = "a participant group") -> ParticipantGroup:
        """Rebuild from ``to_dict()`` output."""
        take_fields(data, what, ("name", "min_age", "max_age"), ("count",))
        return cls(data["name"], data["min_age"], data["max_age"], data.get("count", 1))


@dataclass
class Method:
    """A research method and the participant ``groups`` (names) it is used with; no groups means all groups.

    >>> Method("drawing and talking", ["children"]).groups
    ['children']
    """

    name: str
    groups: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        """Structural check: a name and a list of group names (FramingError)."""
        check_text(self.name, "Method name")
        self.groups = check_text_list(self.groups, _("groups of method {name}", name=repr(self.name)))

    def to_dict(self) -> dict:
        """The method as a JSON-ready dict."""
        return {"name": self.name, "groups": list(self.groups)}

    @classmethod
    def from_dict(cls, data: Any, what: str = "a method") -> Method:
        """Rebuild from ``to_dict()`` output."""
        take_fields(data, what, ("name",), ("groups",))
        return cls(data["name"], data.get("groups", []))


@dataclass
class DataHandling:
    """How the data is handled (RD4C): ``purpose``, the ``identifiable`` data kept (names, photos, recordings...),
    why each is ``needed``, ``storage`` and ``retention`` (when it is deleted).

    >>> DataHandling(identifiable=["audio recordings"]).needed
    ''
    """

    purpose: str = ""
    identifiable: list[str] = field(default_factory=list)
    needed: str = ""
    storage: str = ""
    retention: str = ""

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        """Structural check: texts and a list of texts (FramingError)."""
        for name in ("purpose", "needed", "storage", "retention"):
            check_text(getattr(self, name), f"DataHandling.{name}")
        self.identifiable = check_text_list(self.identifiable, "DataHandling.identifiable")

    def to_dict(self) -> dict:
        """As a JSON-ready dict."""
        return {"purpose": self.purpose, "identifiable": list(self.identifiable), "needed": self.needed,
                "storage": self.storage, "retention": self.retention}

    @classmethod
    def from_dict(cls, data: Any, what: str = "data") -> DataHandling:
        """Rebuild from ``to_dict()`` output."""
        take_fields(data, what, (), ("purpose", "identifiable", "needed", "storage", "retention"))
        return cls(data.get("purpose", ""), data.get("identifiable", []), data.get("needed", ""),
                   data.get("storage", ""), data.get("retention", ""))


def _filled(text: str) -> bool:
    return bool(text.strip())


@dataclass
class ResearchPlan(FramingModel):
    """A plan for research with children and the adults around them.

    Checks (problems): research questions, participants and methods present; caregiver ``consent`` and child
    ``assent`` steps when anyone is under 18; a ``safeguarding_lead`` and a ``referral_pathway`` when anyone is
    under 18; no method unsuited to a group's ages (the sourced rows of :data:`METHODS_BY_AGE`); no identifiable
    data kept without saying why it is needed; every method's groups exist. Suggestions: the data's purpose and
    its retention.

    >>> ResearchPlan(["How do families learn results?"], [ParticipantGroup("caregivers", 20, 60)],
    ...              [Method("interview")]).validate()[0].code
    'no-data-purpose'
    """

    MODEL = "ResearchPlan"

    questions: list[str] = field(default_factory=list)
    participants: list[ParticipantGroup] = field(default_factory=list)
    methods: list[Method] = field(default_factory=list)
    consent: str = ""
    assent: str = ""
    safeguarding_lead: str = ""
    referral_pathway: str = ""
    data: DataHandling = field(default_factory=DataHandling)

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        """Structural check of every field (FramingError)."""
        self.questions = check_text_list(self.questions, "ResearchPlan questions")
        self.participants = check_items(self.participants, ParticipantGroup, "participants")
        for group in self.participants:
            group.check()
        self.methods = check_items(self.methods, Method, "methods")
        for method in self.methods:
            method.check()
        for name in ("consent", "assent", "safeguarding_lead", "referral_pathway"):
            check_text(getattr(self, name), f"ResearchPlan.{name}")
        if not isinstance(self.data, DataHandling):
            raise FramingError(_("ResearchPlan.data must be a DataHandling(...), but it is {data}.",
                                 data=_describe(self.data)))
        self.data.check()

    @property
    def minors(self) -> list[ParticipantGroup]:
        """The participant groups that include anyone under 18."""
        return [g for g in self.participants if g.is_minor]

    def groups_of(self, method: Method) -> list[ParticipantGroup]:
        """The participant groups a method is used with (all groups when it names none)."""
        if not method.groups:
            return list(self.participants)
        wanted = {norm(g) for g in method.groups}
        return [g for g in self.participants if norm(g.name) in wanted]

    def to_dict(self) -> dict:
        """The plan as a JSON-ready dict."""
        return {"questions": list(self.questions), "participants": [g.to_dict() for g in self.participants],
                "methods": [m.to_dict() for m in self.methods], "consent": self.consent, "assent": self.assent,
                "safeguarding_lead": self.safeguarding_lead, "referral_pathway": self.referral_pathway,
                "data": self.data.to_dict()}

    @classmethod
    def from_dict(cls, data: dict) -> ResearchPlan:
        """Rebuild from ``to_dict()`` output."""
        take_fields(data, _("The {model} JSON", model="ResearchPlan"), (),
                    ("questions", "participants", "methods", "consent", "assent", "safeguarding_lead",
                     "referral_pathway", "data"))
        groups, methods = data.get("participants", []), data.get("methods", [])
        for name, value in (("participants", groups), ("methods", methods)):
            if not isinstance(value, list):
                raise FramingError(_("'{name}' must be a list, but it is {value}.",
                                     name=name, value=_describe(value)))
        return cls(data.get("questions", []),
                   [ParticipantGroup.from_dict(g, f"participants[{i}]") for i, g in enumerate(groups)],
                   [Method.from_dict(m, f"methods[{i}]") for i, m in enumerate(methods)],
                   data.get("consent", ""), data.get("assent", ""), data.get("safeguarding_lead", ""),
                   data.get("referral_pathway", ""), DataHandling.from_dict(data.get("data", {})))

    def _feedback(self) -> list[Feedback]:
        out: list[Feedback] = []
        if not [q for q in self.questions if q.strip()]:
            out.append(Feedback("problem", "no-questions",
                                _("Write the research questions: what do you need to learn, and from whom?"),
                                where="questions"))
        if not self.participants:
            out.append(Feedback("problem", "no-participants",
                                _("Say who takes part: each group with its age range (e.g. children 8-12, caregivers)."),
                                where="participants"))
        if not self.methods:
            out.append(Feedback("problem", "no-methods",
                                _("Choose the methods (interview, observation, drawing, role-play...) and the groups "
                                "you use each with."), where="methods"))
        minors = self.minors
        names = ", ".join(f"{g.name} ({g.min_age}-{g.max_age})" for g in minors)
        if minors and not _filled(self.assent):
            out.append(Feedback(
                "problem", "minor-without-assent",
                _("{names} include(s) children under {adult_age} but the plan has no assent step. A caregiver's "
                  "consent is not enough: explain the study to each child in words (or pictures) they understand, "
                  "ask for their own yes, and tell them they can stop at any time without trouble (ERIC).",
                  names=names, adult_age=ADULT_AGE),
                where="assent"))
        if minors and not _filled(self.consent):
            out.append(Feedback(
                "problem", "no-consent",
                _("{names} include(s) children under {adult_age}: describe how a parent or caregiver gives informed"
                  " consent (what they are told, how they agree, how they can withdraw).",
                  names=names, adult_age=ADULT_AGE), where="consent"))
        if minors and not _filled(self.safeguarding_lead):
            out.append(Feedback(
                "problem", "no-safeguarding-lead",
                _("Name a safeguarding lead: the person the team tells at once if a child is at risk or discloses "
                "harm, and who knows what to do next."), where="safeguarding_lead"))
        if minors and not _filled(self.referral_pathway):
            out.append(Feedback(
                "problem", "no-referral-pathway",
                _("Write the referral pathway: if a child discloses abuse or is distressed, who do you tell, by "
                "when, and which local service (social welfare, health, police, a helpline) takes over?"),
                where="referral_pathway"))
        known = {norm(g.name) for g in self.participants}
        for method in self.methods:
            unknown = [g for g in method.groups if norm(g) not in known]
            if unknown:
                out.append(Feedback(
                    "problem", "method-unknown-group",
                    _("Method '{name}' names group(s) not in the participants: {unknown}. Use the participant groups' "
                      "names, or add the group.",
                      name=method.name, unknown=listing(unknown)), where=method.name))
            for group in self.groups_of(method):
                row = unsuited_to_age(method.name, (group.min_age, group.max_age))
                if row is not None:
                    out.append(Feedback(
                        "problem", "method-unsuited-to-age",
                        _("'{name}' with {name2} ({min_age}-{max_age}): a {method} suits children from about {min_age2}; "
                          "{why} [@{source}].",
                          name=method.name, name2=group.name, min_age=group.min_age, max_age=group.max_age, method=row.method, min_age2=row.min_age, why=_(row.why), source=row.source), where=method.name))
        d = self.data
        kept = [x for x in d.identifiable if x.strip()]
        if kept and not _filled(d.needed):
            out.append(Feedback(
                "problem", "identifiable-without-need",
                _("The plan keeps identifiable data ({kept}) without saying why it is needed. RD4C asks for "
                  "proportional data: collect only what the purpose needs. Say why each item is needed, or do not "
                  "keep it (write notes with a code instead of a name; describe, do not photograph).",
                  kept=listing(kept)),
                where="data"))
        if not _filled(d.purpose):
            out.append(Feedback("suggestion", "no-data-purpose",
                                _("Say what the data is for (RD4C: purpose-driven), so that nothing is collected "
                                "'just in case'."), where="data"))
        if (kept or self.participants) and not (_filled(d.retention) and _filled(d.storage)):
            out.append(Feedback("suggestion", "no-retention",
                                _("Say where the notes are kept and when they are deleted (RD4C: prevent harm across "
                                "the data life cycle)."), where="data"))
        if not [f for f in out if f.level == "problem"] and minors:
            out.append(Feedback("strength", "ethics-in-place",
                                _("Consent, assent, a safeguarding lead and a referral pathway are in place for the "
                                "children taking part."), where="ethics"))
        return out
