"""ProblemTreeEditor: the core problem, and causes and effects as indented outlines.

>>> from designkit.framing import ProblemTree, Node
>>> ed = ProblemTreeEditor(ProblemTree("late HIV test results for infants", [Node("results go by courier")], []))
>>> ed.causes.value = "results go by courier [@seidenberg2012]\\n  only 3 labs\\nno phones\\nlong walks"
>>> [n.text for n in ed.model.causes], ed.model.causes[0].evidence
(['results go by courier', 'no phones', 'long walks'], 'seidenberg2012')
>>> "too-few-effects" in [f.code for f in ed.feedback]
True
"""
from __future__ import annotations

import ipywidgets as W

from designkit.framing import ProblemTree
from designkit.i18n import N_, _
from designkit.widgets.editor import ModelEditor, labelled
from designkit.widgets.text_lists import format_outline, parse_outline


class ProblemTreeEditor(ModelEditor):
    """Edit a :class:`~designkit.framing.ProblemTree`; the diagram and the feedback follow each change."""

    model_class = ProblemTree
    title = N_("Problem tree")
    help = N_("State the core problem as a condition people live with, not a missing solution. "
              "Causes go below it, effects above. One per line. Indent a line (two spaces) to put it under the "
              "line above. Add evidence at the end as [@citation_key] or [@dataset_name].")
    default_file = "problem-tree.json"

    def empty_model(self) -> ProblemTree:
        return ProblemTree("", [], [])

    def _build_controls(self) -> W.Widget:
        self.core = W.Textarea(placeholder=_("e.g. HIV-exposed infants wait weeks for their test "
                                             "results"),
                               layout=W.Layout(width="100%", height="3.2em"))
        self.causes = W.Textarea(placeholder=_("results travel by courier [@seidenberg2012]\n  only "
                                               "3 labs run the test"),
                                 layout=W.Layout(width="100%", height="11em"))
        self.effects = W.Textarea(placeholder=_("treatment starts late\nmothers stop coming back"),
                                  layout=W.Layout(width="100%", height="7em"))
        for w in (self.core, self.causes, self.effects):
            w.observe(self._changed, names="value")
        for w in (self.causes, self.effects):
            w.add_class("designkit-outline")  # keep one item per line, indentation visible
        return W.VBox([labelled(self.core, _("Core problem")), labelled(self.causes, _("Causes (why "
                                                                                    "it happens)")),
                       labelled(self.effects, _("Effects (what it leads to)"))])

    def _write(self, model: ProblemTree) -> None:
        self.core.value = model.core_problem
        self.causes.value = format_outline(model.causes)
        self.effects.value = format_outline(model.effects)

    def _read(self) -> ProblemTree:
        return ProblemTree(self.core.value.strip(), parse_outline(self.causes.value),
                           parse_outline(self.effects.value))

    def _draw(self, model: ProblemTree) -> str:
        from designkit.plots import problem_tree

        return self._figure(problem_tree, model)
