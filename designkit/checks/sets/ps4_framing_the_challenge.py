"""Visible checks of ps4-framing-the-challenge (source/ps4-framing-the-challenge): POV, How Might We, reframing.

The checks use what the set-up cell defines (``keyword_run``, ``MAX_KEYWORD_RUN``, ``CASE``), as the grade cells did.

>>> PROBLEM_SET.find("q3-hmw-three").variable
'hmw_questions'
"""

from __future__ import annotations

import re
from typing import Any

from designkit.i18n import _

from .. import evidence_supports as supports
from .. import no_feedback, not_vague, on_case, valid_model
from ..parts import Part, ProblemSet

NAME = "ps4-framing-the-challenge"


def solution_in_disguise(found: Any, ns: dict[str, Any]) -> str:
    assert isinstance(found, set | frozenset | list | tuple), (
        _("solution_framed should be a set of letters such as {{'A', 'B'}}, not {cls}.", cls=type(found).__name__)
    )
    letters = {str(x).strip().upper() for x in found}
    unknown = letters - set("ABCDEF")
    assert not unknown, _("{items} are not statement letters: use letters from A to F.", items=sorted(unknown))
    assert letters, _("solution_framed is empty: at least one statement names a solution. Which "
                      "ones already say what to build?")
    return _("letters of the statements; which letters, the hidden tests check (six letters have "
             "too few possible answers to check here without giving them away).")


def _pov(pov: Any) -> None:
    from designkit.framing import PointOfView

    assert isinstance(pov, PointOfView), (
        _("pov should be a PointOfView(user=..., need=..., insight=...), not {cls}.", cls=type(pov).__name__)
    )


def pov_form(pov: Any, ns: dict[str, Any]) -> str:
    from designkit.framing import PointOfView, technologies, user_group

    _pov(pov)
    valid_model(pov, name="pov", kind=PointOfView)
    no_feedback(pov, "user-too-vague", name="pov")
    no_feedback(pov, "insight-too-thin", name="pov")
    assert pov.need.strip().lower().startswith("to "), (
        _("The need {need!r} should be written as a verb starting with 'to ...' (what she is "
          "trying to do).", need=pov.need)
    )
    tech = technologies(pov.need)
    assert not tech, (
        _("The need names a technology ({items}): that is a solution. Write what she is trying to "
          "do, e.g. 'to learn the result in time', and keep the channel for the ideas.", items=', '.join(tech))
    )
    not_vague(pov.need, name="pov.need")
    for part in ("user", "need"):
        assert ns["keyword_run"](getattr(pov, part)) <= ns["MAX_KEYWORD_RUN"], (
            _("pov.{part} reads as a list of keywords ({getattr!r}): write it as words that link "
              "(who she is, where, in what situation; what she is trying to do).", part=part, getattr=getattr(pov, part))
        )
    assert any(w in pov.user.lower() for w in ("mother", "caregiver", "parent", "grandmother", "woman", "guardian")), (
        _("The user {user!r} should be the caregiver the question asks about (a mother or "
          "caregiver), not {user_group!r}.", user=pov.user, user_group=user_group(pov.user))
    )
    on_case(pov.user, ns["CASE"], name="pov.user")
    return (_("all of it checked: the form of your point of view is right. Whether the insight "
              "explains the need and the need is what matters for the baby is for a person to judge: "
              "rubric rows q2-r1 and q2-r2."))


def pov_evidence(pov: Any, ns: dict[str, Any]) -> str:
    _pov(pov)
    supports(pov, ns["CASE"], name="pov")
    return (_("all of it checked: the source you cite states what your insight says. Whether it is "
              "the insight that explains her need is for a person to judge: rubric row q2-r1."))


def _content_words(text: str) -> set[str]:
    stop = {"how", "might", "we", "the", "a", "an", "their", "her", "his", "to", "of", "in", "and", "for", "who", "is"}
    return {w for w in re.findall(r"[a-z']+", text.lower().replace("’", "'")) if w not in stop}


def hmw_three(questions: Any, ns: dict[str, Any]) -> str:
    from designkit.framing import HowMightWe, technologies

    assert isinstance(questions, list | tuple), (
        _("hmw_questions should be a list [HowMightWe(...), HowMightWe(...), HowMightWe(...)], not "
          "{cls}.", cls=type(questions).__name__)
    )
    assert len(questions) == 3, _("hmw_questions holds {n_questions} question(s): write exactly 3.", n_questions=len(questions))
    for i, q in enumerate(questions):
        assert isinstance(q, HowMightWe), (
            _("hmw_questions[{i}] is {cls}, not a HowMightWe: wrap the text, HowMightWe(\"How might "
              "we ...?\").", i=i, cls=type(q).__name__)
        )
    for i, q in enumerate(questions):
        valid_model(q, name=f"hmw_questions[{i}]", kind=HowMightWe)
        no_feedback(q, "too-broad", name=f"hmw_questions[{i}]")
        tech = technologies(q.text)
        assert not tech, (
            _("hmw_questions[{i}] names a technology ({items}): that chooses the answer. Ask about "
              "the outcome.", i=i, items=', '.join(tech))
        )
        not_vague(q.text, name=f"hmw_questions[{i}]")
        assert ns["keyword_run"](q.text) <= ns["MAX_KEYWORD_RUN"], (
            _("hmw_questions[{i}] reads as a list of keywords ({text!r}): write a question a team "
              "could act on, with words that link who, what should change and where.", i=i, text=q.text)
        )
        on_case(q.text, ns["CASE"], name=f"hmw_questions[{i}]")
    for i in range(3):
        for j in range(i + 1, 3):
            a, b = _content_words(questions[i].text), _content_words(questions[j].text)
            overlap = len(a & b) / max(1, len(a | b))
            assert overlap < 0.6, (
                _("hmw_questions[{i}] and hmw_questions[{j}] ask nearly the same question "
                  "({overlap:.0%} of their words are shared): take a different angle (the result, the "
                  "mother, the clinic staff...).", i=i, j=j, overlap=overlap)
            )
    return (_("all of it checked: three well-formed questions about the case. Whether they are "
              "worth asking is for a person to judge: rubric rows q3-r1 and q3-r2."))


def _text(question: Any, variable: str) -> str:
    from designkit.framing import HowMightWe

    text = question.text if isinstance(question, HowMightWe) else question
    assert isinstance(text, str), _("{variable} should be text (a str), not {cls}.", variable=variable, cls=type(question).__name__)
    return text


def broader(question: Any, ns: dict[str, Any]) -> str:
    from designkit.framing import has_number, technologies

    text = _text(question, "broader_question")
    tech = technologies(text)
    assert not tech, _("The broader question still names a technology ({items}): broadening drops "
                       "the means.", items=', '.join(tech))
    assert not has_number(text), _("The broader question still has a number (a deadline or "
                                   "target): broadening drops it.")
    assert "mother" in text.lower(), (
        _("Keep who it is for: the broader question should still be about the mothers, or it no "
          "longer frames this challenge.")
    )
    assert "result" in text.lower() and any(w in text.lower() for w in ("baby", "babies", "infant", "hiv", "test")), (
        _("Keep what should change: the broader question should still be about getting the baby's "
          "(HIV test) result.")
    )
    not_vague(text, name="broader_question")
    assert ns["keyword_run"](text) <= ns["MAX_KEYWORD_RUN"], (
        _("broader_question reads as a list of keywords ({text!r}): write a question, with words "
          "that link who and what.", text=text)
    )
    return (_("no technology or number, still about the mothers and the baby's result, not vague; "
              "whether it is a well-framed question and not too broad, the hidden tests check."))


def narrower(question: Any, ns: dict[str, Any]) -> str:
    from designkit.framing import HowMightWe, has_context

    text = _text(question, "narrower_question")
    assert "[" not in text and "]" not in text, (
        _("{text!r} still has a [slot]: narrower() marks where detail is missing; replace each "
          "[slot] with your own words.", text=text)
    )
    valid_model(HowMightWe(text), name="narrower_question", kind=HowMightWe)
    assert has_context(" " + text + " "), (
        _("{text!r} does not say where or when: add a place or a moment (in ..., during ..., "
          "before ...).", text=text)
    )
    not_vague(text, name="narrower_question")
    assert ns["keyword_run"](text) <= ns["MAX_KEYWORD_RUN"], (
        _("narrower_question reads as a list of keywords ({text!r}): write a question, with words "
          "that link who, what and where.", text=text)
    )
    on_case(text, ns["CASE"], name="narrower_question")
    return (_("well framed, says where or when, not vague, about the case; whether it is not too "
              "broad and adds detail, the hidden tests check."))


def bottlenecks(found: Any, ns: dict[str, Any]) -> str:
    assert isinstance(found, dict), _("bottlenecks should be a dict {{project: label}}, not {cls}.", cls=type(found).__name__)
    expected_keys = {"Project Mwana", "Malawi drones", "Macha"}
    assert set(found) == expected_keys, _("bottlenecks has the keys {items}; use exactly {items2}.", items=sorted(found), items2=sorted(expected_keys))
    labels = {"information", "transport", "last mile"}
    bad = {k: v for k, v in found.items() if v not in labels}
    assert not bad, _("{bad}: use one of the labels {items} for each project.", bad=bad, items=sorted(labels))
    return _("the three projects, each with one of the labels; which label, the hidden tests check "
             "(three labels have too few possible answers to check here without giving them away).")


PROBLEM_SET = ProblemSet(
    NAME,
    (
        Part("q1-solution-in-disguise", 1, "solution_framed", solution_in_disguise),
        Part("q2-pov-form", 1, "pov", pov_form),
        Part("q2-pov-evidence", 1, "pov", pov_evidence),
        Part("q3-hmw-three", 1, "hmw_questions", hmw_three),
        Part("q4-broader", 1, "broader_question", broader),
        Part("q5-narrower", 1, "narrower_question", narrower),
        Part("q6-bottlenecks", 1, "bottlenecks", bottlenecks),
    ),
    rubric={"q2": 3, "q3": 3, "q7": 6},
)
