"""Journey map: a persona's experience as a sequence of stages, with an emotion at each stage.

Emotion is a whole number from -2 (very negative) to +2 (very positive); anything else raises
FramingError naming the stage. The lowest point of the curve is where a design can help most.

>>> j = JourneyMap("Chipo", [
...     Stage("Baby tested at the clinic", ["gives a blood spot"], ["nurse"], [], 0),
...     Stage("Waiting for the result", ["travels back to ask"], ["clinic"], ["weeks with no news"], -2),
...     Stage("Result arrives", ["hears the result"], ["community agent"], [], 1)])
>>> j.lowest_stage().name
'Waiting for the result'
>>> j.emotion_curve()
[('Baby tested at the clinic', 0), ('Waiting for the result', -2), ('Result arrives', 1)]
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field
from typing import Any

from designkit.i18n import _

from ._base import (
    CaseItem,
    Feedback,
    FramingError,
    FramingModel,
    _describe,
    check_items,
    check_text,
    check_text_list,
    filler_feedback,
    take_fields,
)
from .persona import Persona
from .rules import cited_keys, norm, without_citations

EMOTION_MIN, EMOTION_MAX = -2, 2
MIN_STAGES = 3


def check_emotion(value: Any, stage: str) -> int:
    """The emotion as an int in -2..+2; FramingError naming the stage otherwise.

    >>> check_emotion(-2, "Waiting")
    -2
    """
    if isinstance(value, numbers.Real) and not isinstance(value, bool) and float(value).is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not EMOTION_MIN <= value <= EMOTION_MAX:
        raise FramingError(
            _("The emotion of stage {stage} is {value}; it must be a whole number from -2 (very negative) "
              "through 0 (neutral) to +2 (very positive).", stage=repr(stage), value=_describe(value)))
    return value


@dataclass
class Stage:
    """One stage of a journey: what the person does, where they meet the service, what hurts, how they feel.

    >>> Stage("Registering the birth", ["travels to the sub-county"], ["parish chief"], ["fees"], -1).emotion
    -1
    """

    name: str
    actions: list[str] = field(default_factory=list)
    touchpoints: list[str] = field(default_factory=list)
    pain_points: list[str] = field(default_factory=list)
    emotion: int = 0

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        """Structural check: texts, lists of texts and an emotion in -2..+2 (FramingError)."""
        check_text(self.name, "Stage name")
        name = repr(self.name)
        self.actions = check_text_list(self.actions, _("actions of stage {name}", name=name))
        self.touchpoints = check_text_list(self.touchpoints, _("touchpoints of stage {name}", name=name))
        self.pain_points = check_text_list(self.pain_points, _("pain_points of stage {name}", name=name))
        self.emotion = check_emotion(self.emotion, self.name)

    def to_dict(self) -> dict:
        """The stage as a JSON-ready dict."""
        return {"name": self.name, "actions": list(self.actions), "touchpoints": list(self.touchpoints),
                "pain_points": list(self.pain_points), "emotion": self.emotion}

    @classmethod
    def from_dict(cls, data: Any, what: str = "a stage") -> Stage:
        """Rebuild from ``to_dict()`` output."""
        take_fields(data, what, ("name", "emotion"), ("actions", "touchpoints", "pain_points"))
        return cls(data["name"], data.get("actions", []), data.get("touchpoints", []),
                   data.get("pain_points", []), data["emotion"])


@dataclass
class JourneyMap(FramingModel):
    """A journey: whose (``persona``: a name, or a :class:`Persona`) and its ``stages`` in order.

    Checks: at least 3 stages; no duplicate stage names; pain points where the emotion is negative;
    a low point (a strength when it is identified with its pain points).

    >>> JourneyMap("Chipo", [Stage("Waiting", [], [], [], -2)]).validate()[0].code
    'too-few-stages'
    """

    MODEL = "JourneyMap"

    persona: str | Persona
    stages: list[Stage] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        """Structural check: a persona name or Persona, and Stage objects (FramingError)."""
        if isinstance(self.persona, Persona):
            self.persona.check()
        else:
            check_text(self.persona, _("JourneyMap persona (a name or a Persona)"))
        self.stages = check_items(self.stages, Stage, "stages")
        for stage in self.stages:
            stage.check()

    @property
    def persona_name(self) -> str:
        """The persona's name, whether ``persona`` is a text or a Persona."""
        return self.persona.name if isinstance(self.persona, Persona) else self.persona

    def emotion_curve(self) -> list[tuple[str, int]]:
        """[(stage name, emotion), ...] in journey order."""
        self.check()
        return [(s.name, s.emotion) for s in self.stages]

    def lowest_stage(self) -> Stage | None:
        """The stage with the lowest emotion (the first one if several tie); None with no stages."""
        self.check()
        return min(self.stages, key=lambda s: s.emotion, default=None)

    def to_dict(self) -> dict:
        """The journey as a JSON-ready dict (a Persona is stored whole)."""
        persona = self.persona.to_dict() | {"type": "Persona"} if isinstance(self.persona, Persona) else self.persona
        return {"persona": persona, "stages": [s.to_dict() for s in self.stages]}

    @classmethod
    def from_dict(cls, data: dict) -> JourneyMap:
        """Rebuild from ``to_dict()`` output."""
        take_fields(data, _("The {model} JSON", model="JourneyMap"), ("persona", "stages"))
        persona = data["persona"]
        if isinstance(persona, dict):
            persona = Persona.from_json(persona)
        stages = data["stages"]
        if not isinstance(stages, list):
            raise FramingError(_("'stages' must be a list, but it is {stages}.", stages=_describe(stages)))
        return cls(persona, [Stage.from_dict(s, f"stages[{i}]") for i, s in enumerate(stages)])

    def case_items(self) -> list[CaseItem]:
        """Each stage (its name, actions, touchpoints and pain points) for relevance, and each pain point that
        cites a source ("... [@key]"), read with its stage's name, for evidence."""
        self.check()
        out = []
        for s in self.stages:
            texts = [s.name, *s.actions, *s.touchpoints, *s.pain_points]
            out.append(CaseItem(_("stage '{name}'",
                                  name=s.name), "; ".join(without_citations(t) for t in texts if t.strip())))
            for p in s.pain_points:
                keys = tuple(cited_keys(p))
                if keys:
                    out.append(CaseItem(_("pain point of '{name}'", name=s.name), f"{s.name}: {without_citations(p)}", keys,
                                        relevance=False))
        return out

    def _feedback(self) -> list[Feedback]:
        out: list[Feedback] = []
        out += filler_feedback([(_("stage '{name}'", name=s.name), t) for s in self.stages
                                for t in [s.name, *s.actions, *s.pain_points] if t.strip()])
        if not self.persona_name.strip():
            out.append(Feedback("problem", "missing-persona",
                                _("Say whose journey this is: the persona's name (or the Persona itself)."),
                                where="persona"))
        if len(self.stages) < MIN_STAGES:
            out.append(Feedback(
                "problem", "too-few-stages",
                _("The journey has {n_stages} stage(s); map at least {min_stages} (before, during and after the key"
                  " moment) to see where the experience goes wrong.",
                  n_stages=len(self.stages), min_stages=MIN_STAGES), where="stages"))
        seen: set[str] = set()
        for stage in self.stages:
            key = norm(stage.name)
            if not key:
                out.append(Feedback("problem", "empty-stage-name", _("A stage has no name: say what happens in it."),
                                    where="stages"))
            elif key in seen:
                out.append(Feedback("problem", "duplicate-stage",
                                    _("Two stages are called '{name}': give each stage its own name.",
                                      name=stage.name),
                                    where=stage.name))
            seen.add(key)
            if stage.emotion < 0 and not [p for p in stage.pain_points if p.strip()]:
                out.append(Feedback(
                    "problem", "missing-pain-points",
                    _("At '{name}' the emotion is {emotion}: what hurts there? Add its pain points.",
                      name=stage.name, emotion=stage.emotion),
                    where=stage.name))
            if not [a for a in stage.actions if a.strip()]:
                out.append(Feedback("suggestion", "stage-without-actions",
                                    _("What does {value} do at '{name}'? Add actions.",
                                      value=self.persona_name or _('the persona'), name=stage.name),
                                    where=stage.name))
        low = self.lowest_stage()
        if low is not None and self.stages:
            if low.emotion >= 0:
                out.append(Feedback(
                    "suggestion", "no-low-point",
                    _("No stage has a negative emotion. Real journeys have low points: ask the people you met "
                    "where they waited, worried or gave up."), where="stages"))
            elif [p for p in low.pain_points if p.strip()]:
                out.append(Feedback(
                    "strength", "lowest-point-identified",
                    _("The lowest point is '{name}' (emotion {emotion}), with its pain points: that is where a design "
                      "can help most. The emotions are hypotheses: a person will ask whether they come from what the "
                      "people on this journey said.", name=low.name, emotion=low.emotion), where=low.name))
        return out
