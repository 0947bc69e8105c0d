"""Testing a prototype with children: the plan (tasks, success criteria, sessions) and the results by version.

A task says what the participant tries to do; its success criterion says what the team will SEE when it works
(observable: "finds the date of the next visit on the card without help", not "understands the card").
Each session records the participant's age, because methods and words depend on it; a rating scale with
children under about 10 is flagged (see :data:`designkit.framing.research_plan.METHODS_BY_AGE`).

>>> plan = TestPlan("paper results card", [Task("find the next visit", "points to the date without help")],
...                 [Session("C1", 9), Session("C2", 12)], measures=["observation"])
>>> res = TestResults(plan, ["v1", "v2"], [Result("C1", "v1", "find the next visit", False),
...                                        Result("C2", "v1", "find the next visit", True),
...                                        Result("C1", "v2", "find the next visit", True),
...                                        Result("C2", "v2", "find the next visit", True)])
>>> res.overall_rates()
{'v1': 0.5, 'v2': 1.0}
>>> [f.code for f in res.validate()]
['plan-ready', 'success-improved']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import ClassVar

from designkit.i18n import _

from ._base import (
    Feedback,
    FramingError,
    FramingModel,
    _describe,
    check_items,
    check_text,
    check_text_list,
    parse_json,
    take_fields,
)
from ._records import listing
from ._text import language_of, norm
from .research_plan import check_age, unsuited_to_age

MIN_SESSIONS_PER_VERSION = 2

#: Words for what happens in someone's head: a criterion made only of these cannot be observed.
MENTAL_WORDS = ("understand", "understands", "understood", "like", "likes", "liked", "enjoy", "enjoys", "know",
                "knows", "feel", "feels", "think", "thinks", "appreciate", "appreciates", "happy", "satisfied",
                "aware", "learn", "learns", "engaged", "comfortable", "love", "loves", "want", "wants")
#: Words for what a team can see or hear a participant do.
OBSERVABLE_WORDS = ("find", "finds", "found", "point", "points", "read", "reads", "say", "says", "tell", "tells",
                    "complete", "completes", "finish", "finishes", "choose", "chooses", "pick", "picks", "write",
                    "writes", "tap", "taps", "press", "presses", "open", "opens", "fill", "fills", "sort", "sorts",
                    "explain", "explains", "show", "shows", "name", "names", "match", "matches", "put", "puts",
                    "circle", "circles", "ask", "asks", "answer", "answers", "without help", "within", "minutes",
                    "seconds", "first try", "attempt", "attempts", "again-again")
#: The same in Chinese (``MENTAL_WORDS``, ``OBSERVABLE_WORDS``).
MENTAL_WORDS_ZH = ("理解", "明白", "懂", "看懂", "听懂", "喜欢", "享受", "知道", "感觉", "感到", "觉得", "认为", "欣赏",
                   "开心", "满意", "意识到", "学会", "投入", "舒服", "爱", "想要")
OBSERVABLE_WORDS_ZH = ("找到", "指出", "指着", "指向", "读", "读出", "说出", "告诉", "完成", "做完", "选择", "选出",
                       "挑出", "写", "写下", "点击", "按", "打开", "填", "填写", "排序", "解释", "展示", "给我们看",
                       "说出名字", "配对", "放", "圈出", "问", "回答", "不用帮忙", "无需帮助", "独立", "之内", "以内",
                       "分钟", "秒", "第一次", "尝试")
_MENTAL_RE = re.compile(r"\b(?:" + "|".join(MENTAL_WORDS) + r")\b", re.IGNORECASE)
_OBSERVABLE_RE = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in OBSERVABLE_WORDS) + r")\b|\d", re.IGNORECASE)


def observable(criterion: str) -> bool:
    """True when a success criterion names something the team can see or hear (a word from ``OBSERVABLE_WORDS``
    or a number), or at least no state of mind (``MENTAL_WORDS``).

    >>> observable("points to the date without help"), observable("understands the card")
    (True, False)
    """
    if language_of(criterion) == "zh":  # "不用帮忙就能指出日期" yes, "看懂了卡片" no
        return (any(w in criterion for w in OBSERVABLE_WORDS_ZH) or any(c.isdigit() for c in criterion)
                or not any(w in criterion for w in MENTAL_WORDS_ZH))
    return bool(_OBSERVABLE_RE.search(criterion)) or not _MENTAL_RE.search(criterion)


@dataclass
class Task:
    """A task the participant tries, and its observable success ``criterion``.

    >>> Task("find the next visit", "points to the date without help").criterion
    'points to the date without help'
    """

    name: str
    criterion: str = ""

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        """Structural check (FramingError)."""
        check_text(self.name, "Task name")
        check_text(self.criterion, _("criterion of task {name}", name=repr(self.name)))

    def to_dict(self) -> dict:
        """As a JSON-ready dict."""
        return {"name": self.name, "criterion": self.criterion}


@dataclass
class Session:
    """One test session: the ``participant``'s code and ``age`` in years (None until stated).

    >>> Session("C3", 11).age
    11
    """

    participant: str
    age: int | None = None

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        """Structural check (FramingError)."""
        check_text(self.participant, "Session participant")
        if self.age is not None:
            self.age = check_age(self.age, _("age of participant {participant}",
                                             participant=repr(self.participant)))

    def to_dict(self) -> dict:
        """As a JSON-ready dict."""
        return {"participant": self.participant, "age": self.age}


@dataclass
class TestPlan(FramingModel):
    """What is tested (``prototype``), the ``tasks`` with success criteria, the ``sessions`` (who, what age) and
    the ``measures`` (how: observation, again-again table, a rating scale...).

    >>> TestPlan("results card", [Task("find the date")], [Session("C1", 9)]).validate()[0].code
    'task-without-criterion'
    """

    __test__: ClassVar[bool] = False  # not a pytest test class
    MODEL = "TestPlan"

    prototype: str = ""
    tasks: list[Task] = field(default_factory=list)
    sessions: list[Session] = field(default_factory=list)
    measures: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        """Structural check: types, unique task names and participant codes (FramingError)."""
        check_text(self.prototype, "TestPlan.prototype")
        self.tasks = check_items(self.tasks, Task, "tasks")
        self.sessions = check_items(self.sessions, Session, "sessions")
        self.measures = check_text_list(self.measures, "TestPlan.measures")
        for label, keys in (("task", [norm(t.name) for t in self.tasks if t.check() is None]),
                            ("participant", [norm(s.participant) for s in self.sessions if s.check() is None])):
            dup = sorted({k for k in keys if keys.count(k) > 1})
            if dup:
                raise FramingError(_("Two {label}s are called {dup}: give each {label} its own name.",
                                     label=label, dup=repr(dup[0])))

    def task(self, name: str) -> Task:
        """The task called ``name`` (case-insensitive); FramingError if none."""
        for t in self.tasks:
            if norm(t.name) == norm(name):
                return t
        raise FramingError(_("No task called {name}; the tasks are: {name2}.",
                             name=repr(name), name2=listing(t.name for t in self.tasks)))

    def session(self, participant: str) -> Session:
        """The session of ``participant`` (case-insensitive); FramingError if none."""
        for s in self.sessions:
            if norm(s.participant) == norm(participant):
                return s
        raise FramingError(_("No session for participant {participant}; the participants are: {participant2}.",
                             participant=repr(participant), participant2=listing(s.participant for s in self.sessions)))

    def to_dict(self) -> dict:
        """The plan as a JSON-ready dict."""
        return {"prototype": self.prototype, "tasks": [t.to_dict() for t in self.tasks],
                "sessions": [s.to_dict() for s in self.sessions], "measures": list(self.measures)}

    @classmethod
    def from_dict(cls, data: dict) -> TestPlan:
        """Rebuild from ``to_dict()`` output."""
        take_fields(data, _("The {model} JSON",
                            model="TestPlan"), (), ("prototype", "tasks", "sessions", "measures"))
        tasks, sessions = data.get("tasks", []), data.get("sessions", [])
        for k, v in (("tasks", tasks), ("sessions", sessions)):
            if not isinstance(v, list):
                raise FramingError(_("'{k}' must be a list, but it is {v}.", k=k, v=_describe(v)))
        built_tasks = []
        for i, t in enumerate(tasks):
            take_fields(t, f"tasks[{i}]", ("name",), ("criterion",))
            built_tasks.append(Task(t["name"], t.get("criterion", "")))
        built_sessions = []
        for i, s in enumerate(sessions):
            take_fields(s, f"sessions[{i}]", ("participant",), ("age",))
            built_sessions.append(Session(s["participant"], s.get("age")))
        return cls(data.get("prototype", ""), built_tasks, built_sessions, data.get("measures", []))

    def _feedback(self) -> list[Feedback]:
        out: list[Feedback] = []
        if not self.prototype.strip():
            out.append(Feedback("problem", "missing-prototype", _("Say what you are testing (which prototype)."),
                                where="prototype"))
        if not self.tasks:
            out.append(Feedback("problem", "no-tasks",
                                _("Write the tasks participants will try (e.g. 'find the date of the next visit')."),
                                where="tasks"))
        for task in self.tasks:
            if not task.criterion.strip():
                out.append(Feedback("problem", "task-without-criterion",
                                    _("Task '{name}' has no success criterion: what will you see when it works?",
                                      name=task.name),
                                    where=task.name))
            elif not observable(task.criterion):
                out.append(Feedback(
                    "suggestion", "criterion-not-observable",
                    _("The criterion '{criterion}' describes a state of mind. Write what you will see or hear: e.g. "
                      "'points to the date without help' rather than 'understands the card'.",
                      criterion=task.criterion), where=task.name))
        if not self.sessions:
            out.append(Feedback("problem", "no-sessions", _("Plan the sessions: who tests it, and their age."),
                                where="sessions"))
        missing = [s.participant for s in self.sessions if s.age is None]
        if missing:
            out.append(Feedback("problem", "session-age-missing",
                                _("State the age of {missing}: what suits a child depends on it.",
                                  missing=listing(missing)),
                                where="sessions"))
        ages = [s.age for s in self.sessions if s.age is not None]
        for measure in self.measures:
            row = unsuited_to_age(measure, (min(ages), max(ages))) if ages else None
            if row is not None:
                young = [s.participant for s in self.sessions if s.age is not None and s.age < row.min_age]
                out.append(Feedback(
                    "problem", "method-unsuited-to-age",
                    _("'{measure}' with {young} (under {min_age}): {why} [@{source}].",
                      measure=measure, young=listing(young), min_age=row.min_age, why=_(row.why), source=row.source),
                    where=measure))
        if not [m for m in self.measures if m.strip()]:
            out.append(Feedback("suggestion", "no-measures",
                                _("Say how you will measure: observation of each task (success or not), and what "
                                "children say afterwards."), where="measures"))
        if not [f for f in out if f.level == "problem"] and self.tasks and self.sessions:
            out.append(Feedback("strength", "plan-ready",
                                _("Every task has an observable success criterion and every session an age."),
                                where="plan"))
        return out


@dataclass
class Result:
    """Whether ``participant`` succeeded (``success``: True/False) at ``task`` on prototype ``version``.

    >>> Result("C1", "v1", "find the next visit", False).success
    False
    """

    participant: str
    version: str
    task: str
    success: bool

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        """Structural check (FramingError)."""
        check_text(self.participant, "Result participant")
        check_text(self.version, "Result version")
        check_text(self.task, "Result task")
        if not isinstance(self.success, bool):
            raise FramingError(_("The success of {participant} at {task} ({version}) is {success}; it must be True or False.",
                                 participant=repr(self.participant), task=repr(self.task), version=self.version, success=_describe(self.success)))

    def to_dict(self) -> dict:
        """As a JSON-ready dict."""
        return {"participant": self.participant, "version": self.version, "task": self.task,
                "success": self.success}


@dataclass
class TestResults(FramingModel):
    """The results of a :class:`TestPlan`: prototype ``versions`` in order, and one :class:`Result` per
    participant, version and task.

    Structural (FramingError): every result names a participant, a task and a version of the plan, at most once.
    Feedback: the plan's own feedback, then: results present; every version tested by at least 2 participants
    (a suggestion); success across versions (improved: a strength; not improved: a suggestion).

    >>> TestResults(TestPlan("card", [Task("find", "points to it")], [Session("C1", 9)]), ["v1"], []
    ...             ).validate()[-1].code
    'no-results'
    """

    __test__: ClassVar[bool] = False  # not a pytest test class
    MODEL = "TestResults"

    plan: TestPlan
    versions: list[str] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        """Structural check (FramingError)."""
        if not isinstance(self.plan, TestPlan):
            raise FramingError(_("TestResults.plan must be a TestPlan(...), but it is {plan}.",
                                 plan=_describe(self.plan)))
        self.plan.check()
        self.versions = check_text_list(self.versions, "TestResults.versions")
        if len({norm(v) for v in self.versions}) < len(self.versions):
            raise FramingError(_("The versions {versions} repeat a name: give each version its own name.",
                                 versions=self.versions))
        self.results = check_items(self.results, Result, "results")
        seen: set[tuple[str, str, str]] = set()
        versions = {norm(v) for v in self.versions}
        for r in self.results:
            r.check()
            self.plan.session(r.participant)
            self.plan.task(r.task)
            if norm(r.version) not in versions:
                raise FramingError(_("Result for {participant} names version {version}, which is not in versions {versions}: add it "
                                     "there, in order.",
                                     participant=repr(r.participant), version=repr(r.version), versions=self.versions))
            key = (norm(r.participant), norm(r.version), norm(r.task))
            if key in seen:
                raise FramingError(_("Two results for {participant}, {version}, {task}: keep one.",
                                     participant=repr(r.participant), version=repr(r.version), task=repr(r.task)))
            seen.add(key)

    def success_rates(self) -> dict[str, dict[str, float | None]]:
        """{version: {task: share of participants who succeeded (0..1), or None if nobody tried}}."""
        self.check()
        out: dict[str, dict[str, float | None]] = {}
        for v in self.versions:
            out[v] = {}
            for t in self.plan.tasks:
                tried = [r.success for r in self.results if norm(r.version) == norm(v) and norm(r.task) == norm(t.name)]
                out[v][t.name] = sum(tried) / len(tried) if tried else None
        return out

    def overall_rates(self) -> dict[str, float | None]:
        """{version: share of all attempts that succeeded, or None if the version was not tested}."""
        self.check()
        return self._overall_rates()

    def _overall_rates(self) -> dict[str, float | None]:
        out: dict[str, float | None] = {}
        for v in self.versions:
            tried = [r.success for r in self.results if norm(r.version) == norm(v)]
            out[v] = sum(tried) / len(tried) if tried else None
        return out

    def participants_of(self, version: str) -> list[str]:
        """The participants who tested ``version``, in order of the results."""
        out: list[str] = []
        for r in self.results:
            if norm(r.version) == norm(version) and r.participant not in out:
                out.append(r.participant)
        return out

    def to_dict(self) -> dict:
        """As a JSON-ready dict (the plan is stored whole)."""
        return {"plan": self.plan.to_dict() | {"type": TestPlan.MODEL}, "versions": list(self.versions),
                "results": [r.to_dict() for r in self.results]}

    @classmethod
    def from_dict(cls, data: dict) -> TestResults:
        """Rebuild from ``to_dict()`` output."""
        take_fields(data, _("The {model} JSON", model="TestResults"), ("plan",), ("versions", "results"))
        plan = TestPlan.from_dict(parse_json(data["plan"], TestPlan.MODEL))
        results = data.get("results", [])
        if not isinstance(results, list):
            raise FramingError(_("'results' must be a list, but it is {results}.",
                                 results=_describe(results)))
        built = []
        for i, r in enumerate(results):
            take_fields(r, f"results[{i}]", ("participant", "version", "task", "success"))
            built.append(Result(r["participant"], r["version"], r["task"], r["success"]))
        return cls(plan, data.get("versions", []), built)

    def _feedback(self) -> list[Feedback]:
        out = list(self.plan._feedback())
        if not self.versions:
            out.append(Feedback("problem", "no-versions", _("Name the prototype versions you tested, in order "
                                                          "(e.g. v1, v2)."), where="versions"))
        if not self.results:
            out.append(Feedback("problem", "no-results",
                                _("Record one result per participant, version and task: did they succeed?"),
                                where="results"))
            return out
        for v in self.versions:
            people = self.participants_of(v)
            if len(people) < MIN_SESSIONS_PER_VERSION:
                out.append(Feedback(
                    "suggestion", "version-under-tested",
                    _("Version {v} was tested with {n_people} participant(s): with fewer than "
                      "{min_sessions_per_version}, one person's day decides the result. Test it with more.",
                      v=v, n_people=len(people), min_sessions_per_version=MIN_SESSIONS_PER_VERSION), where=v))
        rates = [(v, r) for v, r in self._overall_rates().items() if r is not None]
        if len(rates) >= 2:
            (first, a), (last, b) = rates[0], rates[-1]
            if b > a:
                out.append(Feedback("strength", "success-improved",
                                    _("Task success rose from {a:.0%} ({first}) to {b:.0%} ({last}): the iterations worked.",
                                      a=a, first=first, b=b, last=last), where="results"))
            else:
                out.append(Feedback("suggestion", "no-improvement",
                                    _("Task success did not rise from {first} ({a:.0%}) to {last} ({b:.0%}): look at which tasks fail "
                                      "and what children did there before the next version.",
                                      first=first, a=a, last=last, b=b),
                                    where="results"))
        return out
