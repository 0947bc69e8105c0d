"""The studio editors, headless: widget state <-> model <-> JSON, live feedback, line formats, and the
success-across-versions figure (title that states the finding, alt text, labelled axes)."""
from __future__ import annotations

import json
import os

os.environ.setdefault("MPLBACKEND", "Agg")

import pytest  # noqa: E402
from test_framing_studio import (  # noqa: E402
    GOOD_QUESTIONS,
    honest_map,
    participation,
    research,
    results,
    test_plan,
)

from designkit import plots  # noqa: E402
from designkit.framing import FramingError, InterviewGuide, TestPlan, TestResults  # noqa: E402
from designkit.widgets import (  # noqa: E402
    AffinityMapEditor,
    EditorFileError,
    InterviewGuideEditor,
    ParticipationPlanEditor,
    ResearchPlanEditor,
    TestPlanEditor,
    TestResultsEditor,
)
from designkit.widgets import line_formats as lf  # noqa: E402

EXAMPLES = {
    ParticipationPlanEditor: participation,
    ResearchPlanEditor: research,
    InterviewGuideEditor: lambda: InterviewGuide("children waiting for a birth certificate", 9, GOOD_QUESTIONS),
    AffinityMapEditor: honest_map,
    TestPlanEditor: test_plan,
    TestResultsEditor: results,
}


def codes(editor) -> list[str]:
    return [f.code for f in editor.feedback]


@pytest.mark.parametrize("cls", list(EXAMPLES), ids=lambda c: c.__name__)
def test_editor_round_trips_model_widget_json(cls, tmp_path):
    model = EXAMPLES[cls]()
    editor = cls(model=model)
    assert editor.error is None and editor.model.to_json() == model.to_json()
    # widget state -> model: re-reading the controls gives the same model
    assert editor._read() == model
    again = cls()
    again.from_json(editor.to_json())
    assert again.model == model
    path = editor.save(tmp_path / "model.json")
    assert json.loads(path.read_text(encoding="utf-8"))["type"] == model.MODEL
    fresh = cls()
    fresh.load(path)
    assert fresh.model == model and "Loaded" in fresh.status.value
    assert codes(editor) == [f.code for f in model.validate()]
    assert "application/vnd.jupyter.widget-view+json" in editor._repr_mimebundle_()
    assert "role='figure'" in editor.figure_view.value or 'role="img"' in editor.figure_view.value


@pytest.mark.parametrize("cls", list(EXAMPLES), ids=lambda c: c.__name__)
def test_bad_file_is_a_clear_error_and_nothing_is_lost(cls, tmp_path):
    editor = cls(model=EXAMPLES[cls]())
    before = editor.model.to_json()
    bad = tmp_path / "broken.json"
    bad.write_text('{"type": "ResearchPlan", "questions": ', encoding="utf-8")
    with pytest.raises(EditorFileError, match="broken.json"):
        editor.load(bad)
    with pytest.raises(FramingError):
        editor.from_json("not json")
    assert editor.model.to_json() == before


def test_participation_editor_controls_drive_the_model():
    ed = ParticipationPlanEditor(model=participation())
    assert codes(ed) == ["lundy-complete"]
    ed.influence.value = ""
    assert "no-influence" in codes(ed) and "extraction" in ed.feedback_view.value
    assert "Influence missing" in ed.figure_view.value and "✖" in ed.figure_view.value
    ed.rung.value = "decoration"
    assert ed.model.rung == "decoration" and "tokenism" in codes(ed)


def test_research_editor_parses_groups_and_methods_and_reports_line_errors():
    ed = ResearchPlanEditor(model=research())
    ed.methods.value = "smileyometer: children"
    assert "method-unsuited-to-age" in codes(ed)
    ed.participants.value = "children aged eight"
    assert ed.error and "line 1" in ed.error and "children: 8-15 (6)" in ed.error
    # the last good model is kept while the controls hold an error, and saving refuses
    assert ed.model.participants[0].name == "children"
    with pytest.raises(EditorFileError, match="fix this first"):
        ed.save(os.devnull)
    ed.participants.value = "children: 11-15"
    assert ed.error is None and "method-unsuited-to-age" not in codes(ed)


def test_interview_editor_flags_each_question_in_the_list():
    ed = InterviewGuideEditor(model=InterviewGuide("children", 9, GOOD_QUESTIONS))
    ed.questions.value += "\nWhat are the pain points of the process?"
    assert "jargon-for-age" in codes(ed) and "jargon: pain points, process" in ed.figure_view.value
    ed.age.value = ""
    assert ed.model.age is None and "age-missing" in codes(ed)


def test_affinity_editor_from_field_notes_and_board():
    ed = AffinityMapEditor.from_field_notes()
    assert codes(ed) == ["no-themes", "no-insights"]
    ed.themes.value = "Paying a fixer: n14"
    ed.insights.value = "Corruption is the main barrier <- Paying a fixer"
    assert "single-participant-insight" in codes(ed)
    assert "1 participant(s), 1 note(s)" in ed.figure_view.value
    assert plots.finding(ed.figure) == "“Paying a fixer” is backed by the most participants (1); 1 of 1 theme rests on one participant"
    ed.themes.value = "Paying a fixer: n99"
    assert ed.error and "n99" in ed.error


def test_results_editor_redraws_the_figure_in_place():
    ed = TestResultsEditor(model=results())
    fig = ed.figure
    assert plots.finding(fig).startswith("Task success rose from 33% (v1) to 100% (v3)")
    ed.results.value = ed.results.value.replace("v3 | C1 | find when to come back | yes",
                                                "v3 | C1 | find when to come back | no")
    assert ed.figure is fig and "weakest task on v3: 'find when to come back' (67%)" in plots.finding(fig)
    ed.results.value += "\nv1 | C1 | find when to come back | maybe"
    assert ed.error and "yes' (or no)" in ed.error


@pytest.mark.parametrize("parse, fmt, text", [
    (lf.parse_groups, lf.format_groups, "children: 8-15 (6)\ncaregivers: 20-70\nteacher: 45"),
    (lf.parse_methods, lf.format_methods, "role-play: children\ninterview: caregivers, teachers\nobservation"),
    (lf.parse_notes, lf.format_notes, "n1 | G1 | We came back: again | and again"),
    (lf.parse_themes, lf.format_themes, "Trips: for nothing: n1, n2\nCost: n3"),
    (lf.parse_insights, lf.format_insights, "Trips cost families <- Trips; Cost"),
    (lf.parse_tasks, lf.format_tasks, "find the date: points to it\nsay who to ask"),
    (lf.parse_sessions, lf.format_sessions, "C1: 9\nC2"),
    (lf.parse_results, lf.format_results, "v1 | C1 | find the date | yes\nv2 | C1 | find the date | no"),
])
def test_line_formats_round_trip(parse, fmt, text):
    assert fmt(parse(text)) == text


@pytest.mark.parametrize("parse, text, match", [
    (lf.parse_groups, "children", "'children: 8-15 \\(6\\)'"),
    (lf.parse_groups, "children: 15-8", "min_age must not be larger"),
    (lf.parse_notes, "n1 G1 text", "n1 \\| G1"),
    (lf.parse_sessions, "C1: nine", "'C1: 9'"),
    (lf.parse_results, "v1 | C1 | t", "yes' \\(or no\\)"),
])
def test_line_formats_name_the_line_and_the_format(parse, text, match):
    with pytest.raises(FramingError, match=match):
        parse(text)


# --------------------------------------------------------------------------------------------- the figure
def test_success_figure_has_a_finding_title_labels_and_alt_text():
    fig = plots.success_across_versions(results())
    assert plots.to_png(fig).startswith(b"\x89PNG") and plots.to_svg(fig).startswith("<svg")
    assert fig.get_suptitle().strip() and plots.finding(fig) == "Task success rose from 33% (v1) to 100% (v3) over 3 versions"
    ax = fig.axes[0]
    assert "%" in ax.get_ylabel() and "version" in ax.get_xlabel()
    alt = plots.alt_text(fig)
    assert alt.endswith(".") and "find when to come back 67%, 100%, 100%" in alt and "all tasks 33%, 83%, 100%" in alt
    texts = [t.get_text() for t in ax.texts]
    assert "All tasks" in texts and "tell who to ask" in texts  # lines are labelled, not only coloured


def test_success_figure_follows_the_data():
    worse = results()
    worse.results = [r for r in worse.results if r.version != "v3"] + [
        type(r)(r.participant, "v3", r.task, False) for r in worse.results if r.version == "v3"]
    assert plots.finding(plots.success_across_versions(worse)).startswith("Task success fell from 33% (v1) to 0% (v3)")
    one = TestResults(test_plan(), ["v1"], [r for r in results().results if r.version == "v1"])
    assert "test the next version" in plots.finding(plots.success_across_versions(one))
    empty = plots.success_across_versions(TestResults(TestPlan("card"), [], []))
    assert plots.finding(empty).startswith("Test results in progress") and plots.alt_text(empty).endswith(".")
    from designkit.plots.palette import SERIES

    colours = {line.get_color() for line in plots.success_across_versions(results()).axes[0].lines}
    assert colours <= set(SERIES)


def test_theme_support_figure_shows_who_backs_each_theme():
    m = honest_map()
    fig = plots.theme_support(m)
    assert plots.finding(fig).startswith("“Trips that end in 'come back later'” is backed by the most participants (8)")
    assert plots.finding(fig).endswith("0 of 6 themes rest on one participant")
    ax = fig.axes[0]
    assert "participants" in ax.get_xlabel().lower() and "number of people" in ax.get_xlabel()
    assert [round(p.get_width()) for p in ax.patches] == [8, 6, 5, 4, 4, 4]
    alt = plots.alt_text(fig)
    assert alt.endswith(".") and "dashed line marks 2 participants" in alt
    from designkit.framing import Theme

    m.themes.append(Theme("Paying a fixer to speed things up", ["n14"]))
    fig = plots.theme_support(m, fig=fig)
    assert plots.finding(fig).endswith("1 of 7 themes rests on one participant")
    assert any(p.get_hatch() == "//" for p in fig.axes[0].patches)  # not colour alone
    empty = plots.theme_support(type(m)())
    assert plots.finding(empty) == "Affinity map in progress: group the notes into themes"
