"""Participation plan: how children take part in a design activity, along Lundy's four elements.

Lundy (2007) reads CRC article 12 as four elements, all needed [@lundy2007]:

- **space**: a safe, inclusive opportunity for children to form and express a view;
- **voice**: children are helped to express it (in ways that suit them: drawing, role-play, their language);
- **audience**: the view is listened to by someone with the power to act on it;
- **influence**: the view is acted on as appropriate, and children are told what happened and why.

Voice without audience and influence is extraction: children give their views and nothing comes back.
Hart's ladder [@hart1992] names the bottom rungs (manipulation, decoration, tokenism) as non-participation.

>>> plan = ParticipationPlan(
...     "children aged 8-15 test the new results card",
...     space="a quiet corner of the clinic's child-friendly room, with a trusted nurse nearby",
...     voice="children act out the wait with puppets and sort pictures of the card they like",
...     audience="the district health officer joins the last session and hears the children's choices",
...     influence="the team changes the card and returns after two weeks to show the children what changed")
>>> plan.ok, [f.code for f in plan.validate()]
(True, ['lundy-complete'])
"""

from __future__ import annotations

import numbers
import re
from dataclasses import dataclass

from designkit.i18n import N_, _

from ._base import Feedback, FramingError, FramingModel, _describe, check_text, take_fields
from ._records import listing
from ._text import language_of, words

ELEMENTS = ("space", "voice", "audience", "influence")

#: Hart's ladder of participation (Hart 1992), from the bottom rung (1) to the top (8).
HART_RUNGS = (
    "manipulation", "decoration", "tokenism", "assigned but informed", "consulted and informed",
    "adult-initiated, shared decisions with children", "child-initiated and directed",
    "child-initiated, shared decisions with adults",
)
#: The three bottom rungs: non-participation.
NON_PARTICIPATION = HART_RUNGS[:3]

#: Words and phrases that often mark children as decoration or token (check the step when one appears).
TOKENISM_CUES = (
    "photo opportunity", "photo op", "photos for the report", "for the cameras", "for the launch", "for the press",
    "wear t-shirts", "t-shirts", "sing", "sing a song", "dance", "perform", "performance", "on stage",
    "read a speech", "speech written", "script written", "already decided", "after the decision",
    "final design is fixed", "for the report cover", "as a symbol", "symbolic", "represent all children",
)
_TOKENISM_RE = re.compile(r"\b(?:" + "|".join(re.escape(c) for c in sorted(TOKENISM_CUES, key=len, reverse=True))
                          + r")\b", re.IGNORECASE)

#: Steps that promise participation without saying what will happen.
VAGUE_STEPS = (
    "listen to children", "listen to them", "take their views into account", "take views into account",
    "consider their views", "consider children's views", "give children a voice", "involve children",
    "children participate", "tbd", "to be decided", "as appropriate", "if possible", "where possible", "n/a",
)
MIN_STEP_WORDS = 5

#: The same in Chinese (``TOKENISM_CUES``, ``VAGUE_STEPS``, ``FEEDBACK_WORDS``).
TOKENISM_CUES_ZH = ("拍照", "合影", "摆拍", "为了镜头", "为了启动仪式", "为了媒体", "穿统一的T恤", "唱歌",
                    "唱一首歌", "跳舞", "表演", "上台", "念讲稿", "读讲稿", "稿子已经写好", "已经决定", "决定之后",
                    "最终设计已经定了", "报告封面", "作为象征", "象征性", "代表所有儿童")
VAGUE_STEPS_ZH = ("倾听儿童", "听取儿童意见", "听听他们的意见", "考虑他们的意见", "考虑儿童的意见", "让儿童发声",
                  "让儿童参与", "儿童参与", "待定", "视情况而定", "如果可能", "尽可能", "不适用")
FEEDBACK_WORDS_ZH = ("告诉", "告知", "反馈", "回馈", "解释", "说明", "展示", "给他们看", "回访", "回去", "写信", "一封信",
                     "改变了什么", "发生了什么", "通知")

FEEDBACK_WORDS = ("tell", "tells", "told", "report back", "reports back", "feedback", "explain", "explains",
                  "show", "shows", "return", "returns", "come back", "comes back", "share back", "letter",
                  "what changed", "what happened", "inform", "informs")
_FEEDBACK_RE = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in FEEDBACK_WORDS) + r")\b", re.IGNORECASE)


def tokenism_cues(step: str) -> list[str]:
    """The phrases in ``step`` that often mark children as decoration or tokens (``TOKENISM_CUES``).

    >>> tokenism_cues("children sing at the launch of the new card")
    ['sing']
    """
    if language_of(step) == "zh":  # "孩子们在新卡片的启动仪式上唱歌"
        from .rules_zh import _find_all

        return [w for _, w in _find_all(step, TOKENISM_CUES_ZH)]
    return [m.group(0).casefold() for m in _TOKENISM_RE.finditer(step)]


def vague_step(step: str) -> bool:
    """True when ``step`` is too short (under 5 words) or only a promise ("listen to children", "TBD").

    >>> vague_step("take their views into account"), vague_step("the nurse asks each child to draw the wait")
    (True, False)
    """
    text = step.strip().strip(".").casefold()
    if language_of(text) == "zh":  # "考虑他们的意见" vague; "护士请每个孩子画出等待的过程" a step
        text = text.strip("。")
        return len(words(text)) < MIN_STEP_WORDS or any(text == v or text.startswith(v + "如果") for v in VAGUE_STEPS_ZH)
    return len(words(text)) < MIN_STEP_WORDS or any(text == v or text.startswith(v + " if") for v in VAGUE_STEPS)


def reports_back(step: str) -> bool:
    """True when ``step`` says children are told what happened with their views (``FEEDBACK_WORDS``).

    >>> reports_back("the team returns to show the children what changed"), reports_back("the card is changed")
    (True, False)
    """
    if language_of(step) == "zh":  # "团队回访，给孩子们看改变了什么"
        return any(w in step for w in FEEDBACK_WORDS_ZH)
    return bool(_FEEDBACK_RE.search(step))


def normalise_rung(value: object) -> str:
    """A Hart rung name from its name (any case) or its number 1-8; "" stays "" (not assessed).

    >>> normalise_rung(3), normalise_rung("Consulted and Informed")
    ('tokenism', 'consulted and informed')
    """
    if isinstance(value, numbers.Integral) and not isinstance(value, bool) and 1 <= int(value) <= len(HART_RUNGS):
        return HART_RUNGS[int(value) - 1]
    if isinstance(value, str):
        key = " ".join(value.split()).casefold()
        if key == "" or key in HART_RUNGS:
            return key
    raise FramingError(_('The Hart rung is {value}; use a number 1-8 or one of: {hart_rungs} (or "" when not assessed).',
                         value=_describe(value), hart_rungs='; '.join(HART_RUNGS)))


@dataclass
class ParticipationPlan(FramingModel):
    """How children take part in ``activity``: one concrete step for each of Lundy's four elements, and
    optionally the ``rung`` of Hart's ladder the team honestly places the activity on.

    Checks: an activity; each element filled (a missing audience or influence is a problem: voice without
    influence is extraction); tokenism (a bottom rung of Hart's ladder is a problem; a step with a decoration
    cue is a suggestion); each step concrete; influence reports back to children.

    >>> ParticipationPlan("co-design the card", voice="children draw the wait and explain the drawing",
    ...                   space="a quiet classroom after school with their teacher").validate()[0].code
    'no-audience'
    """

    MODEL = "ParticipationPlan"

    activity: str = ""
    space: str = ""
    voice: str = ""
    audience: str = ""
    influence: str = ""
    rung: str = ""

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        """Structural check: texts, and a known Hart rung or "" (FramingError)."""
        check_text(self.activity, "ParticipationPlan.activity")
        for name in ELEMENTS:
            check_text(getattr(self, name), f"ParticipationPlan.{name}")
        self.rung = normalise_rung(self.rung)

    def steps(self) -> dict[str, str]:
        """{element: step} for Lundy's four elements, in order."""
        return {name: getattr(self, name) for name in ELEMENTS}

    def to_dict(self) -> dict:
        """The plan as a JSON-ready dict."""
        return {"activity": self.activity, **self.steps(), "rung": self.rung}

    @classmethod
    def from_dict(cls, data: dict) -> ParticipationPlan:
        """Rebuild from ``to_dict()`` output."""
        take_fields(data, _("The {model} JSON",
                            model="ParticipationPlan"), (), ("activity", *ELEMENTS, "rung"))
        return cls(data.get("activity", ""), *(data.get(name, "") for name in ELEMENTS), data.get("rung", ""))

    def _feedback(self) -> list[Feedback]:
        out: list[Feedback] = []
        if not self.activity.strip():
            out.append(Feedback("problem", "no-activity",
                                _("Say what children take part in (e.g. 'children aged 8-15 test the results card')."),
                                where="activity"))
        prompts = {
            "space": N_("Where and how do children form and express a view safely? Name the place, who is there, "
                     "and how a child who does not want to take part can say no."),
            "voice": N_("How are children helped to express their view (drawing, role-play, their own language, "
                     "a trusted adult)?"),
            "audience": N_("Who with the power to act hears the children's views? Without an audience, a view goes "
                        "nowhere: name the person (e.g. the district health officer) and when they listen."),
            "influence": N_("What will be done with the children's views, and how will children be told what changed "
                         "and why?"),
        }
        for name in ELEMENTS:
            step = getattr(self, name)
            if not step.strip():
                message = _(prompts[name])
                if name == "influence" and self.voice.strip():
                    message = _("Voice without influence is extraction: children give their views and nothing "
                                "comes back.") + " " + message
                out.append({"space": lambda m: Feedback("problem", "no-space", m, where="space"),
                            "voice": lambda m: Feedback("problem", "no-voice", m, where="voice"),
                            "audience": lambda m: Feedback("problem", "no-audience", m, where="audience"),
                            "influence": lambda m: Feedback("problem", "no-influence", m, where="influence"),
                            }[name](message))
            elif vague_step(step):
                out.append(Feedback("suggestion", "step-not-concrete",
                                    _("The {name} step '{strip}' is a promise, not a step: say who does what, where and when.",
                                      name=name, strip=step.strip()), where=name))
        if self.rung in NON_PARTICIPATION:
            out.append(Feedback(
                "problem", "tokenism",
                _("You placed the activity on the '{rung}' rung of Hart's ladder: that is non-participation. Give "
                  "children real information and a real say: at least 'assigned but informed', better 'consulted "
                  "and informed' or shared decisions.", rung=self.rung), where="rung"))
        for name in ELEMENTS:
            cues = tokenism_cues(getattr(self, name))
            if cues:
                out.append(Feedback(
                    "suggestion", "tokenism-risk",
                    _("The {name} step mentions {c}: check that children are not there as decoration or tokens (Hart's "
                      "ladder). Do they understand the purpose, and does their view change anything?",
                      name=name, c=listing(repr(c) for c in cues)), where=name))
        if self.influence.strip() and not reports_back(self.influence):
            out.append(Feedback("suggestion", "no-report-back",
                                _("Say how children will be told what was done with their views, and why "
                                "(a return visit, a letter, a picture of the changed design)."), where="influence"))
        if not [f for f in out if f.level == "problem"] and all(getattr(self, n).strip() for n in ELEMENTS) \
                and not any(f.code == "step-not-concrete" for f in out):
            out.append(Feedback("strength", "lundy-complete",
                                _("Space, voice, audience and influence each have a concrete step (in form: ask the "
                                "children afterwards whether their view changed anything)."),
                                where="plan"))
        return out
