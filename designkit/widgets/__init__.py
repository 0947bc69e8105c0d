"""ipywidgets editors over the framing models, and an indicator explorer.

Each editor keeps ``.model`` (the current framing model) in step with its controls, shows
``validate()`` feedback live (grouped: must fix, worth considering, working well), redraws the
model's figure on every change, and saves/loads JSON (``.save(path)``, ``.load(path)``). Build one
with a model to start from, headless or in a notebook, and display it (or its ``.widget``).

>>> from designkit.framing import ProblemTree
>>> from designkit.widgets import ProblemTreeEditor
>>> ed = ProblemTreeEditor(model=ProblemTree("late HIV test results for infants", [], []))
>>> ed.model.core_problem
'late HIV test results for infants'
"""
from designkit.widgets.affinity_editor import AffinityMapEditor
from designkit.widgets.editor import EditorFileError, ModelEditor
from designkit.widgets.hmw_builder import HowMightWeBuilder
from designkit.widgets.indicator_explorer import IndicatorExplorer
from designkit.widgets.interview_guide_editor import InterviewGuideEditor
from designkit.widgets.journey_editor import JourneyMapEditor
from designkit.widgets.participation_editor import ParticipationPlanEditor
from designkit.widgets.persona_editor import PersonaEditor
from designkit.widgets.priority_editor import PriorityMatrixEditor
from designkit.widgets.problem_tree_editor import ProblemTreeEditor
from designkit.widgets.research_plan_editor import ResearchPlanEditor
from designkit.widgets.stakeholder_editor import StakeholderMapEditor
from designkit.widgets.testing_editor import TestPlanEditor, TestResultsEditor

__all__ = [
    "EditorFileError",
    "HowMightWeBuilder",
    "IndicatorExplorer",
    "JourneyMapEditor",
    "ModelEditor",
    "PersonaEditor",
    "PriorityMatrixEditor",
    "ProblemTreeEditor",
    "StakeholderMapEditor",
    # the studio strand
    "AffinityMapEditor",
    "InterviewGuideEditor",
    "ParticipationPlanEditor",
    "ResearchPlanEditor",
    "TestPlanEditor",
    "TestResultsEditor",
]
