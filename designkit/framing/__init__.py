"""Design artefacts as plain dataclasses, each with ``to_json()``, ``from_json()`` and ``validate()``.

Models: :class:`ProblemTree` (with :class:`Node`, and its :class:`ObjectivesTree`),
:class:`StakeholderMap` (:class:`Stakeholder`), :class:`PointOfView`, :class:`HowMightWe`,
:class:`Persona`, :class:`JourneyMap` (:class:`Stage`), :class:`PriorityMatrix` (:class:`Idea`).
The studio strand: :class:`ParticipationPlan` (Lundy, Hart), :class:`ResearchPlan` (:class:`ParticipantGroup`,
:class:`Method`, :class:`DataHandling`; ERIC, RD4C, :data:`METHODS_BY_AGE`), :class:`InterviewGuide` (word rules
in :mod:`designkit.framing.interview_rules`), :class:`AffinityMap` (:class:`Note`, :class:`Theme`,
:class:`Insight`), :class:`TestPlan` (:class:`Task`, :class:`Session`) and :class:`TestResults` (:class:`Result`).

- ``validate() -> list[Feedback]``: problems (must fix), suggestions and strengths, each with a stable
  ``code`` listed in :data:`CODES`; ``ok`` is True when there is no problem.
- Chinese: the rules read Chinese texts too (:mod:`designkit.framing.rules_zh`, words cut by jieba), with the same
  codes; messages come in the course language (``COURSE_LANG=zh-CN``: designkit/locale/zh_CN/.../framing.po).
- Malformed input (a wrong type, a number off the scale, an emotion of 7, an unknown role, a node reached
  twice, malformed JSON) raises :class:`FramingError` (a ``ValueError``) at construction, in
  ``from_json`` and at the start of ``validate()``. See ``designkit/framing/_base.py`` for the rule.
- ``save(model, path)`` / ``load(path)`` store models as JSON files.
- The text rules behind the feedback are public too, one function per rule, in :mod:`designkit.framing.rules`
  (word lists you can read; ``RULES`` names them all): ``missing_solution``, ``to_objective``,
  ``mentions_child``, ``states_age``, ``user_group``, ``outcome_verbs``, ``solution_phrase``, ``technologies``,
  ``vague_phrases``, ``has_number``, ``has_context``, and for vagueness and evidence ``filler_words``,
  ``vague_user``, ``vague_outcome``, ``feeling_need``, ``filler_insight``, ``names_product``, ``content_words``,
  ``is_statement``.
- ``validate(case="mwana")`` adds what needs a case: parts not about the case and cited sources that do not
  state what a part says, from the claims tables of :mod:`designkit.framing.claims` (``claims.cases()``).
  Parts cite sources with ``Node(..., evidence="key1; key2")`` on causes and effects, or with "[@key]" at the
  end of a pain point, an insight, a stakeholder's notes or a persona's goals and frustrations.

This package imports no matplotlib, ipywidgets or nbgrader: grade cells stay fast.

>>> hmw = HowMightWe("How might we help mothers learn their baby's HIV result in time to start treatment?")
>>> hmw.ok, [f.code for f in hmw.validate()]
(True, ['well-framed'])
>>> tree = ProblemTree("delayed HIV results", [Node("children eat too much fruit", evidence="seidenberg2012")])
>>> [f.code for f in tree.validate(case="mwana") if f.code.startswith(("item-off", "evidence-"))]
['item-off-case', 'evidence-unsupported']
"""

from designkit.i18n import N_

from . import (
    claims,
    rules,
    rules_zh,  # noqa: F401  (registers the Chinese variants of the rules; jieba loads lazily)
)
from ._base import LEVELS, SCHEMA_VERSION, CaseItem, Feedback, FramingError, FramingModel
from .how_might_we import HowMightWe
from .io import MODELS, from_json, load, save
from .journey import JourneyMap, Stage
from .persona import Persona
from .point_of_view import PointOfView
from .priority import Idea, PriorityMatrix
from .problem_tree import Node, ObjectivesTree, ProblemTree
from .rules import (
    OBJECTIVE_REWRITES,
    RULES,
    content_words,
    feeling_need,
    filler_insight,
    filler_words,
    has_context,
    has_number,
    is_statement,
    mentions_child,
    missing_solution,
    names_product,
    outcome_verbs,
    solution_phrase,
    states_age,
    technologies,
    to_objective,
    user_group,
    vague_outcome,
    vague_phrases,
    vague_user,
)
from .stakeholders import ROLES, Stakeholder, StakeholderMap

# isort: split
# The studio strand: research with children, synthesis, prototyping and testing.
from .affinity import AffinityMap, Insight, Note, Theme, theme_solution
from .interview_guide import InterviewGuide
from .interview_rules import double_barrelled, is_closed, is_question, jargon_for_age, leading_phrases
from .participation import HART_RUNGS, ParticipationPlan, reports_back, tokenism_cues, vague_step
from .research_plan import (
    METHODS_BY_AGE,
    DataHandling,
    Method,
    ParticipantGroup,
    ResearchPlan,
    unsuited_to_age,
)
from .testing import Result, Session, Task, TestPlan, TestResults, observable

# Every feedback code, its level and what it means: the stable vocabulary of grade cells and tests.
CODES: dict[str, tuple[str, str]] = {
    # ProblemTree
    "core-missing": ("problem", N_("the core problem is empty")),
    "core-is-missing-solution": ("problem", N_("the core problem names a missing solution ('lack of X')")),
    "too-few-causes": ("problem", N_("fewer than 3 direct causes")),
    "too-few-effects": ("problem", N_("fewer than 2 effects")),
    "empty-node": ("problem", N_("a cause or effect has no text")),
    "duplicate-node": ("problem", N_("the same text appears twice in the tree")),
    "circular-cause": ("problem", N_("a node repeats the core problem or one of its ancestors")),
    "cause-is-missing-solution": ("suggestion", N_("a cause names a missing solution")),
    "evidence-given": ("strength", N_("direct causes cite a source (its message no longer praises the tree: whether "
                                   "the sources support the causes is checked with validate(case=...))")),
    "evidence-missing": ("suggestion", N_("direct causes without evidence")),
    "evidence-not-a-key": ("suggestion", N_("evidence not written as a citation key or dataset name")),
    # ObjectivesTree
    "objective-needs-rewording": ("suggestion", N_("an objective made by the fallback 'is resolved' rule")),
    # StakeholderMap
    "no-children": ("problem", N_("no children or young people as rights-holders (CRC art. 12)")),
    "children-included": ("strength", N_("children are on the map as rights-holders")),
    "no-duty-bearer": ("problem", N_("no duty-bearer on the map")),
    "duplicate-stakeholder": ("problem", N_("the same name twice (case-insensitive)")),
    "power-gap-mapped": ("strength", N_("children placed with high interest and low influence")),
    "children-participation": ("suggestion", N_("plan children's participation (CRC art. 12)")),
    # StakeholderMap, PriorityMatrix
    "empty-name": ("problem", N_("a stakeholder or idea has no name")),
    # PointOfView
    "missing-user": ("problem", N_("the user is empty")),
    "missing-need": ("problem", N_("the need is empty")),
    "missing-insight": ("problem", N_("the insight is empty")),
    "need-is-solution": ("problem", N_("the need names a solution")),
    "user-too-vague": ("suggestion", N_("the user could be anyone: a broad group ('people', 'children', 'a mother in a "
                                     "village') with no age, condition, situation or named place")),
    "need-is-feeling": ("problem", N_("the need is only a feeling ('to be happy') with no observable change")),
    "insight-filler": ("problem", N_("the insight gives no reason: it says nothing concrete or restates the need")),
    "insight-too-thin": ("suggestion", N_("the insight is under 5 words")),
    "pov-well-formed": ("strength", N_("a complete point of view in form (a person judges whether the insight is real)")),
    # HowMightWe
    "hmw-missing": ("problem", N_("the question is empty")),
    "hmw-format": ("problem", N_("does not start with 'How might we'")),
    "no-user": ("problem", N_("names no person or group")),
    "no-outcome": ("problem", N_("has no verb of change")),
    "embeds-solution": ("problem", N_("contains a solution")),
    "too-broad": ("suggestion", N_("too few words, vague words, a generic verb ('help') with no change named, or a "
                                "user who could be anyone with no place or moment")),
    "too-narrow": ("suggestion", N_("names a technology or a single product or feature (changed: a number, an age, a "
                                 "place or length no longer make a question too narrow: precision is not narrowness)")),
    "hmw-too-long": ("suggestion", N_("more than 25 words: too long to remember (before, reported as too-narrow)")),
    "well-framed": ("strength", N_("user, outcome, open to solutions, balanced scope, no filler (form only: a person "
                                "judges whether it asks about the right problem)")),
    # Persona
    "missing-name": ("problem", N_("the persona has no name")),
    "missing-context": ("problem", N_("the persona has no context")),
    "no-goals": ("problem", N_("no goal")),
    "no-frustrations": ("problem", N_("no frustration")),
    "quote-without-source": ("problem", N_("a quote with no source that is not marked illustrative")),
    "quote-sourced": ("strength", N_("the quote carries its source")),
    "quote-marked-illustrative": ("strength", N_("the quote is marked illustrative")),
    "child-without-age": ("suggestion", N_("a child persona states no age")),
    # JourneyMap
    "missing-persona": ("problem", N_("whose journey is not said")),
    "too-few-stages": ("problem", N_("fewer than 3 stages")),
    "empty-stage-name": ("problem", N_("a stage has no name")),
    "duplicate-stage": ("problem", N_("two stages share a name")),
    "missing-pain-points": ("problem", N_("a negative stage without pain points")),
    "stage-without-actions": ("suggestion", N_("a stage without actions")),
    "no-low-point": ("suggestion", N_("no stage has a negative emotion")),
    "lowest-point-identified": ("strength", N_("the lowest stage is negative and has pain points")),
    # every model: filler wording
    "vague-wording": ("problem", N_("filler words ('stuff', 'things', 'places', 'in general', 'various') stand for "
                                 "something not named")),
    # every model, with validate(case=...): relevance to the case and evidence against the claims tables
    "off-case": ("problem", N_("fewer than half of the artefact's parts are about the case")),
    "item-off-case": ("suggestion", N_("one part shares almost no words with the case (a person checks it)")),
    "evidence-unsupported": ("problem", N_("a part cites a source of the case that does not state it")),
    "evidence-unchecked": ("suggestion", N_("a part cites a key with no claims in the case's table")),
    "evidence-supported": ("strength", N_("parts whose cited sources state what they say")),
    # PriorityMatrix
    "too-few-ideas": ("problem", N_("fewer than 3 ideas")),
    "duplicate-idea": ("problem", N_("the same idea twice")),
    "all-scored-same": ("suggestion", N_("every idea has the same scores")),
    "quick-win-found": ("strength", N_("at least one quick win")),
    # ParticipationPlan (Lundy's space, voice, audience, influence; Hart's ladder)
    "no-activity": ("problem", N_("what children take part in is not said")),
    "no-space": ("problem", N_("no safe space for children to form and express a view")),
    "no-voice": ("problem", N_("no step that helps children express their view")),
    "no-audience": ("problem", N_("nobody with power to act hears the children's views")),
    "no-influence": ("problem", N_("nothing is done with the views (voice without influence is extraction)")),
    "step-not-concrete": ("suggestion", N_("a step is a promise (under 5 words or 'listen to children')")),
    "tokenism": ("problem", N_("the activity sits on a bottom rung of Hart's ladder")),
    "tokenism-risk": ("suggestion", N_("a step mentions a decoration or token cue")),
    "no-report-back": ("suggestion", N_("children are not told what was done with their views")),
    "lundy-complete": ("strength", N_("space, voice, audience and influence each have a concrete step")),
    # ResearchPlan (ERIC, RD4C); "no-questions" also InterviewGuide
    "no-questions": ("problem", N_("no questions written")),
    "no-participants": ("problem", N_("no participant groups")),
    "no-methods": ("problem", N_("no methods")),
    "minor-without-assent": ("problem", N_("participants under 18 but no assent step")),
    "no-consent": ("problem", N_("participants under 18 but no caregiver consent step")),
    "no-safeguarding-lead": ("problem", N_("no safeguarding lead named")),
    "no-referral-pathway": ("problem", N_("no referral pathway for a child at risk")),
    "method-unknown-group": ("problem", N_("a method names a participant group that is not in the plan")),
    "method-unsuited-to-age": ("problem", N_("a method unsuited to the participants' ages (sourced rows only)")),
    "identifiable-without-need": ("problem", N_("identifiable data kept without saying why it is needed")),
    "no-data-purpose": ("suggestion", N_("the data's purpose is not said (RD4C)")),
    "no-retention": ("suggestion", N_("where the data is kept or when it is deleted is not said (RD4C)")),
    "ethics-in-place": ("strength", N_("consent, assent, safeguarding lead and referral pathway for children")),
    # InterviewGuide
    "age-missing": ("problem", N_("the interviewee's age is not stated")),
    "empty-question": ("problem", N_("a question is empty")),
    "leading-question": ("problem", N_("a question leads towards an answer")),
    "closed-question": ("suggestion", N_("a question can be answered yes or no")),
    "not-a-question": ("suggestion", N_("a line that reads as neither a question nor a prompt")),
    "double-barrelled": ("problem", N_("a question asks two things at once")),
    "jargon-for-age": ("problem", N_("a question uses words the interviewee's age may not use")),
    "open-questions": ("strength", N_("open, neutral questions in plain words for the age")),
    # AffinityMap; "empty-name" also
    "no-notes": ("problem", N_("no field notes")),
    "no-themes": ("problem", N_("no themes")),
    "no-insights": ("problem", N_("no insights")),
    "empty-theme": ("problem", N_("a theme has no notes")),
    "theme-is-solution": ("problem", N_("a theme restates a solution")),
    "insight-without-theme": ("problem", N_("an insight rests on no theme")),
    "single-participant-insight": ("problem", N_("an insight rests on notes from one participant only")),
    "notes-unused": ("suggestion", N_("notes in no theme")),
    "insights-grounded": ("strength", N_("every insight rests on several participants")),
    # TestPlan, TestResults
    "missing-prototype": ("problem", N_("what is tested is not said")),
    "no-tasks": ("problem", N_("no tasks")),
    "task-without-criterion": ("problem", N_("a task has no success criterion")),
    "criterion-not-observable": ("suggestion", N_("a success criterion names a state of mind")),
    "no-sessions": ("problem", N_("no sessions")),
    "session-age-missing": ("problem", N_("a session has no participant age")),
    "no-measures": ("suggestion", N_("how success is measured is not said")),
    "plan-ready": ("strength", N_("observable criteria and ages for every session")),
    "no-versions": ("problem", N_("no prototype versions named")),
    "no-results": ("problem", N_("no results recorded")),
    "version-under-tested": ("suggestion", N_("a version tested with fewer than 2 participants")),
    "success-improved": ("strength", N_("task success rose from the first version to the last")),
    "no-improvement": ("suggestion", N_("task success did not rise across versions")),
}

__all__ = [
    "CODES", "LEVELS", "MODELS", "OBJECTIVE_REWRITES", "ROLES", "RULES", "SCHEMA_VERSION", "CaseItem", "Feedback",
    "FramingError", "claims", "content_words", "feeling_need", "filler_insight", "filler_words", "is_statement",
    "names_product", "rules", "vague_outcome", "vague_user",
    "FramingModel", "HowMightWe", "Idea", "JourneyMap", "Node", "ObjectivesTree", "Persona", "PointOfView",
    "PriorityMatrix", "ProblemTree", "Stage", "Stakeholder", "StakeholderMap", "from_json", "has_context",
    "has_number", "load", "mentions_child", "missing_solution", "outcome_verbs", "save", "solution_phrase",
    "states_age", "technologies", "to_objective", "user_group", "vague_phrases",
    # studio strand
    "HART_RUNGS", "METHODS_BY_AGE", "AffinityMap", "DataHandling", "Insight", "InterviewGuide", "Method", "Note",
    "ParticipantGroup", "ParticipationPlan", "ResearchPlan", "Result", "Session", "Task", "TestPlan", "TestResults",
    "Theme", "double_barrelled", "is_closed", "is_question", "jargon_for_age", "leading_phrases", "observable",
    "reports_back", "theme_solution", "tokenism_cues", "unsuited_to_age", "vague_step",
]
