"""TestPlanEditor and TestResultsEditor: tasks with success criteria, sessions with ages, and results by version.

Lines: tasks as ``task: success criterion``, sessions as ``participant: age``, results as
``version | participant | task | yes/no``. The results editor redraws the success-across-versions figure.

>>> ed = TestResultsEditor()
>>> ed.prototype.value = "paper certificate tracking card"
>>> ed.tasks.value = "find when to come back: points to the date without help"
>>> ed.sessions.value = "C1: 9\\nC2: 12"; ed.versions.value = "v1, v2"
>>> ed.record("v1", "C1", "find when to come back", False); ed.record("v1", "C2", "find when to come back", True)
>>> ed.record("v2", "C1", "find when to come back", True); ed.record("v2", "C2", "find when to come back", True)
>>> ed.model.overall_rates()
{'v1': 0.5, 'v2': 1.0}
>>> from designkit.plots import finding
>>> finding(ed.figure)
'Task success rose from 50% (v1) to 100% (v2) over 2 versions'
"""
from __future__ import annotations

import html

import ipywidgets as W

from designkit.framing import Result, TestPlan, TestResults
from designkit.i18n import N_, _
from designkit.widgets.editor import ModelEditor, labelled
from designkit.widgets.line_formats import (
    format_results,
    format_sessions,
    format_tasks,
    parse_list,
    parse_results,
    parse_sessions,
    parse_tasks,
)
from designkit.widgets.text_lists import format_lines, parse_lines


def plan_summary(plan: TestPlan) -> str:
    """The test plan as a short table: each task with its criterion, and the sessions with ages."""
    esc = html.escape
    no_criterion = "<i>" + esc(_("no criterion")) + "</i>"
    rows = "".join(f"<tr><td>{esc(t.name)}</td><td>{esc(t.criterion) or no_criterion}</td></tr>"
                   for t in plan.tasks)
    sessions = _(", ").join(f"{esc(s.participant)} ({s.age if s.age is not None else esc(_('age?'))})"
                            for s in plan.sessions)
    label = esc(_("Test plan for {prototype}", prototype=plan.prototype or _("the prototype")))
    heading = esc(_("Testing: {prototype}", prototype=plan.prototype or _("(prototype?)")))
    table_label, task, success = esc(_("Tasks and success criteria")), esc(_("Task")), esc(_("Success when…"))
    sessions_line = esc(_("Sessions:")) + " " + (sessions or esc(_("none yet")))
    return (f"<div role='figure' aria-label='{label}'>"
            f"<b>{heading}</b><div class='designkit-table' tabindex='0' "
            f"role='region' aria-label='{table_label}'>"
            f"<table><tr><th>{task}</th><th>{success}</th></tr>{rows}</table></div>"
            f"<div style='font-size:12px'>{sessions_line}</div></div>")


class TestPlanEditor(ModelEditor):
    """Edit a :class:`~designkit.framing.TestPlan`; the plan's summary and the feedback follow each change."""

    __test__ = False  # not a pytest test class
    model_class = TestPlan
    title = N_("Test plan")
    help = (N_("What you test, the tasks and what you will SEE when each works, who tests it (with "
              "their age) and how you measure."))
    default_file = "test-plan.json"

    def empty_model(self) -> TestPlan:
        return TestPlan()

    def _build_controls(self) -> W.Widget:
        self.prototype = W.Text(placeholder=_("which prototype"), description=_("Prototype"), layout=W.Layout(width="100%"))
        self.tasks = W.Textarea(placeholder=_("one task per line: task: what you will see when it "
                                              "works"),
                                layout=W.Layout(width="100%", height="5em"))
        self.sessions = W.Textarea(placeholder=_("one participant per line: C1: 9"),
                                   layout=W.Layout(width="100%", height="4em"))
        self.measures = W.Textarea(placeholder=_("how you measure, one per line (observation, "
                                                 "again-again table...)"),
                                   layout=W.Layout(width="100%", height="3em"))
        for w in (self.prototype, self.tasks, self.sessions, self.measures):
            w.observe(self._changed, names="value")
        return W.VBox([self.prototype, labelled(self.tasks, _("Tasks")), labelled(self.sessions, _("Sessions")),
                       labelled(self.measures, _("Measures")), *self._more_controls()])

    def _more_controls(self) -> list[W.Widget]:
        return []

    def _write_plan(self, plan: TestPlan) -> None:
        self.prototype.value = plan.prototype
        self.tasks.value = format_tasks(plan.tasks)
        self.sessions.value = format_sessions(plan.sessions)
        self.measures.value = format_lines(plan.measures)

    def _read_plan(self) -> TestPlan:
        return TestPlan(self.prototype.value.strip(), parse_tasks(self.tasks.value),
                        parse_sessions(self.sessions.value), parse_lines(self.measures.value))

    def _write(self, plan: TestPlan) -> None:
        self._write_plan(plan)

    def _read(self) -> TestPlan:
        return self._read_plan()

    def _draw(self, model: TestPlan) -> str:
        return plan_summary(model)


class TestResultsEditor(TestPlanEditor):
    """Edit :class:`~designkit.framing.TestResults` (the plan and the results by version); the success figure
    redraws on each change."""

    __test__ = False  # not a pytest test class
    model_class = TestResults
    title = N_("Test results")
    help = (N_("The plan, then the versions you tested in order and one line per attempt: did the "
              "participant succeed at the task on that version?"))
    default_file = "test-results.json"

    def empty_model(self) -> TestResults:
        return TestResults(TestPlan())

    def _more_controls(self) -> list[W.Widget]:
        self.versions = W.Text(placeholder=_("v1, v2, v3 (in order)"), description=_("Versions"), layout=W.Layout(width="100%"))
        self.results = W.Textarea(placeholder=_("one attempt per line: v1 | C1 | task | yes"),
                                  layout=W.Layout(width="100%", height="10em"))
        for w in (self.versions, self.results):
            w.observe(self._changed, names="value")
        return [self.versions, labelled(self.results, _("Results"))]

    def record(self, version: str, participant: str, task: str, success: bool) -> None:
        """Add one result line (the plain-code way to type it)."""
        line = format_results([Result(participant, version, task, success)])
        self.results.value = (self.results.value.rstrip("\n") + "\n" + line).lstrip("\n")

    def _write(self, res: TestResults) -> None:
        self._write_plan(res.plan)
        self.versions.value = ", ".join(res.versions)
        self.results.value = format_results(res.results)

    def _read(self) -> TestResults:
        return TestResults(self._read_plan(), parse_list(self.versions.value), parse_results(self.results.value))

    def _draw(self, model: TestResults) -> str:
        from designkit.plots import success_across_versions

        return plan_summary(model.plan) + self._figure(success_across_versions, model)
