"""designkit.widgets: every editor built headless and driven by setting its controls; the model, the
feedback and the figure follow; JSON round trips through the widget; save/load with clear errors."""
from __future__ import annotations

import json
import os

os.environ.setdefault("MPLBACKEND", "Agg")

import pytest  # noqa: E402

from designkit.framing import (  # noqa: E402
    FramingError,
    HowMightWe,
    Idea,
    JourneyMap,
    Node,
    Persona,
    PointOfView,
    PriorityMatrix,
    ProblemTree,
    Stage,
    Stakeholder,
    StakeholderMap,
)
from designkit.framing import save as save_model  # noqa: E402
from designkit.plots import finding  # noqa: E402
from designkit.widgets import (  # noqa: E402
    EditorFileError,
    HowMightWeBuilder,
    IndicatorExplorer,
    JourneyMapEditor,
    PersonaEditor,
    PriorityMatrixEditor,
    ProblemTreeEditor,
    StakeholderMapEditor,
)


def codes(editor) -> set[str]:
    return {f.code for f in editor.feedback}


def mwana_tree() -> ProblemTree:
    return ProblemTree(
        "HIV-exposed infants wait months for their test results",
        causes=[Node("results travel by courier from the labs", evidence="seidenberg2012",
                     children=[Node("only 3 labs run the infant PCR test")]),
                Node("clinics cannot reach mothers", evidence="sutcliffe2017"),
                Node("paper results pile up")],
        effects=[Node("treatment starts late"), Node("mothers stop coming back")])


EXAMPLES = {
    ProblemTreeEditor: mwana_tree,
    StakeholderMapEditor: lambda: StakeholderMap([Stakeholder("HIV-exposed infants", "rights-holder", 5, 1),
                                                  Stakeholder("Ministry of Health", "duty-bearer", 4, 5, "owns labs")]),
    PersonaEditor: lambda: Persona("Chipo", "a mother of a 6-week-old baby in rural Mazabuka", ["know the result"],
                                   ["travelling for nothing"], "Every trip costs me a day.", None, True),
    JourneyMapEditor: lambda: JourneyMap("Chipo", [Stage("Tested", ["blood spot"], ["clinic"], [], 0),
                                                   Stage("Waiting", ["asks"], ["clinic"], ["no news"], -2),
                                                   Stage("Treated", ["collects medicine"], ["clinic"], [], 1)]),
    PriorityMatrixEditor: lambda: PriorityMatrix([Idea("Text results", 5, 4), Idea("Drones", 4, 2),
                                                  Idea("More labs", 5, 1)]),
    HowMightWeBuilder: lambda: HowMightWe("How might we help mothers in rural Zambia learn their baby's HIV "
                                          "result in time to start treatment?"),
}


@pytest.mark.parametrize("cls", list(EXAMPLES), ids=lambda c: c.__name__)
def test_editor_round_trips_model_widget_json(cls, tmp_path):
    model = EXAMPLES[cls]()
    editor = cls(model=model)
    assert editor.model.to_json() == model.to_json()
    # widget -> model -> JSON -> a new editor -> the same JSON
    again = cls()
    again.from_json(editor.to_json())
    assert again.model.to_json() == model.to_json()
    # save and load through files
    path = editor.save(tmp_path / "model.json")
    assert json.loads(path.read_text())["type"] == model.MODEL
    fresh = cls()
    fresh.load(path)
    assert fresh.model.to_json() == model.to_json()
    assert "Loaded" in fresh.status.value
    assert editor.feedback_view.value and editor.widget is not None
    bundle = editor._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


@pytest.mark.parametrize("cls", list(EXAMPLES), ids=lambda c: c.__name__)
def test_bad_json_file_is_a_clear_error_and_nothing_is_lost(cls, tmp_path):
    editor = cls(model=EXAMPLES[cls]())
    before = editor.model.to_json()
    bad = tmp_path / "broken.json"
    bad.write_text('{"type": "ProblemTree", "core_problem": ', encoding="utf-8")
    with pytest.raises(EditorFileError, match="broken.json") as err:
        editor.load(bad)
    assert "unchanged" in str(err.value)
    assert "broken.json" in editor.status.value
    with pytest.raises(EditorFileError, match="missing.json"):
        editor.load(tmp_path / "missing.json")
    assert editor.model.to_json() == before
    with pytest.raises(FramingError):
        editor.from_json("not json")
    assert editor.model.to_json() == before


def test_load_refuses_another_model_type(tmp_path):
    path = save_model(EXAMPLES[PersonaEditor](), tmp_path / "persona.json")
    editor = ProblemTreeEditor(model=mwana_tree())
    with pytest.raises(EditorFileError, match="persona.json.*not a ProblemTree"):
        editor.load(path)
    assert editor.model.core_problem.startswith("HIV-exposed")


def test_save_to_a_missing_folder_names_it(tmp_path):
    editor = ProblemTreeEditor(model=mwana_tree())
    with pytest.raises(EditorFileError, match="nowhere"):
        editor.save(tmp_path / "nowhere" / "tree.json")


def test_problem_tree_editor_follows_its_text_areas():
    ed = ProblemTreeEditor()
    assert "core-missing" in codes(ed)
    ed.core.value = "lack of SMS printers"
    assert "core-is-missing-solution" in codes(ed)
    ed.core.value = "HIV-exposed infants wait months for their test results"
    ed.causes.value = ("- results travel by courier [@seidenberg2012]\n"
                       "    only 3 labs run the test [@unicefinnovation_mwana]\n"
                       "- clinics cannot reach mothers [@sutcliffe2017; @unicefstories2014_mwana]\n")
    assert "too-few-causes" in codes(ed)
    causes = ed.model.causes
    assert [c.text for c in causes] == ["results travel by courier", "clinics cannot reach mothers"]
    assert causes[0].children[0].evidence == "unicefinnovation_mwana"
    assert causes[1].evidence == "sutcliffe2017; unicefstories2014_mwana"
    ed.causes.value += "paper results pile up\n"
    ed.effects.value = "treatment starts late\nmothers stop coming back"
    assert ed.model.ok and "too-few-causes" not in codes(ed)
    assert "3 causes" not in finding(ed.figure) and "4 causes and 2 effects" in finding(ed.figure)
    assert "Must fix" not in ed.feedback_view.value and "Working well" in ed.feedback_view.value


def test_stakeholder_editor_rows_drive_the_map_and_grid():
    ed = StakeholderMapEditor()
    assert "no-children" in codes(ed) and "no-duty-bearer" in codes(ed)
    ed.add_stakeholder("HIV-exposed infants", "rights-holder", 5, 1)
    ed.rows.add_button.click()  # the Add button adds a blank row to fill in
    row = ed.rows.rows[1]
    row["name"].value, row["role"].value = "Ministry of Health", "duty-bearer"
    row["interest"].value, row["influence"].value = 4, 5
    assert ed.model.quadrant("Ministry of Health") == "manage closely"
    assert "no-duty-bearer" not in codes(ed) and "no-children" not in codes(ed)
    assert finding(ed.figure).startswith("1 of 2 stakeholders to manage closely")
    ed.rows.rows[0]["influence"].value = 5
    assert finding(ed.figure).startswith("2 of 2 stakeholders to manage closely")
    ed.rows.remove(0)
    assert [s.name for s in ed.model.stakeholders] == ["Ministry of Health"]
    assert "no-children" in codes(ed)


def test_priority_editor_ranks_live():
    ed = PriorityMatrixEditor(model=EXAMPLES[PriorityMatrixEditor]())
    assert [i.name for i in ed.model.ranking()][0] == "Text results"
    ed.rows.rows[2]["feasibility"].value = 5
    assert ed.model.ranking()[0].name == "More labs"
    assert "1. More labs" in "".join(t.get_text() for t in ed.figure.axes[0].texts)
    assert "<ol" in ed.ranking_view.value


def test_journey_editor_stages_emotions_and_order():
    ed = JourneyMapEditor()
    assert "missing-persona" in codes(ed)
    ed.persona.value = "Chipo"
    ed.add_stage("Tested", actions=["blood spot"], emotion=0)
    ed.add_stage("Waiting", actions=["asks"], emotion=-2)
    ed.add_stage("Treated", actions=["collects medicine"], emotion=1)
    assert "missing-pain-points" in codes(ed)
    ed.rows.rows[1]["pain_points"].value = "no news for weeks\neach trip costs a day's work"
    assert "lowest-point-identified" in codes(ed)
    assert ed.model.lowest_stage().pain_points == ["no news for weeks", "each trip costs a day's work"]
    ed.rows.move(2, -2)
    assert [s.name for s in ed.model.stages] == ["Treated", "Tested", "Waiting"]
    assert "'Waiting'" in finding(ed.figure)


def test_journey_editor_keeps_a_whole_persona():
    persona = EXAMPLES[PersonaEditor]()
    ed = JourneyMapEditor(model=JourneyMap(persona, EXAMPLES[JourneyMapEditor]().stages))
    ed.rows.rows[0]["emotion"].value = 1
    assert isinstance(ed.model.persona, Persona) and ed.model.persona.context == persona.context


def test_persona_editor_quote_rules_and_card():
    ed = PersonaEditor()
    ed.name.value = "Chipo"
    ed.context.value = "a mother of a 6-week-old baby in rural Mazabuka"
    ed.goals.value = "know her baby's result in time\n\n- start treatment early"
    ed.frustrations.value = "travelling to the clinic for nothing"
    assert ed.model.goals == ["know her baby's result in time", "start treatment early"]
    ed.quote.value = "Every trip costs me a day of work."
    assert "quote-without-source" in codes(ed)
    ed.illustrative.value = True
    assert ed.model.ok and "quote-marked-illustrative" in codes(ed)
    assert "illustrative" in ed.figure_view.value and "Chipo" in ed.figure_view.value


def test_hmw_builder_from_point_of_view_to_question(tmp_path):
    b = HowMightWeBuilder()
    assert {"missing-user", "hmw-missing"} <= codes(b)
    b.user.value = "a mother in rural Monze whose baby was tested for HIV"
    b.need.value = "to know her baby's result while treatment can still help"
    b.insight.value = "the result takes weeks to reach the clinic and each trip costs her a day's work"
    assert b.pov.ok and "pov-well-formed" in codes(b)
    assert "needs to know" in b.statement.value
    b.draft_from_pov()
    assert b.model.text.startswith("How might we help a mother in rural Monze")
    broader, narrower = b.suggestions()
    b.use_broader()
    assert b.model.text == broader
    b.text.value = "How might we reduce child deaths?"
    b.use_narrower()
    assert "[" in b.model.text
    # the point of view saves and loads on its own
    path = b.save_pov(tmp_path / "pov.json")
    other = HowMightWeBuilder()
    other.load(path)
    assert other.pov == b.pov and isinstance(other.pov, PointOfView)


def test_redraws_reuse_one_figure():
    ed = StakeholderMapEditor(model=EXAMPLES[StakeholderMapEditor]())
    fig = ed.figure
    for v in (1, 2, 3, 4, 5, 1):
        ed.rows.rows[0]["influence"].value = v
    assert ed.figure is fig and len(fig.axes) == 1
    assert ed.figure_view.value.count("<svg") == 1


def test_indicator_explorer_follows_its_controls():
    ex = IndicatorExplorer(countries=["Zambia", "Malawi"])
    assert ex.selection["dataset"] == "sowc_child_mortality"
    assert ex.selection["indicator"] == "under5_mortality_rate"
    assert list(ex.table.index) == ["Zambia", "Malawi"] and list(ex.table.columns) == [1990, 2000, 2018]
    assert "SDG 3.2 target (≤ 25)" in ex.finding
    ex.indicator.value = "infant_mortality_rate"
    assert "target" not in ex.finding and list(ex.table.columns) == [1990, 2018]
    ex.dataset.value = "gapminder"
    assert ex.selection["indicator"] == "infant_mortality_rate" and ex.years.min == 1960
    ex.countries.value = ["Zambia"]
    ex.years.value = (1990, 2000)
    assert set(ex.data["year"]) == set(range(1990, 2001))
    assert "Zambia" in ex.finding and "1990–2000" in ex.finding
    ex.countries.value = []
    assert ex.error and "at least one country" in ex.message.value
    with pytest.raises(ValueError, match="Zambia"):
        ex.select(countries=["Zambiaa"])


def test_wrong_model_type_is_refused_with_the_names():
    with pytest.raises(TypeError, match="ProblemTreeEditor edits a ProblemTree, not a StakeholderMap"):
        ProblemTreeEditor(model=StakeholderMap([]))
    ed = PersonaEditor()
    with pytest.raises(TypeError, match="must be a Persona"):
        ed.model = mwana_tree()
    ed.model = EXAMPLES[PersonaEditor]()
    assert ed.name.value == "Chipo" and ed.goals.value == "know the result"


# ---------------------------------------------------------------------------------------- accessibility
def _all_editors():
    import designkit.widgets as kit_widgets

    editors = [getattr(kit_widgets, name) for name in kit_widgets.__all__]
    return [e for e in editors if isinstance(e, type) and e not in (kit_widgets.ModelEditor, EditorFileError)]


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


@pytest.mark.parametrize("editor_class", _all_editors(), ids=lambda c: c.__name__)
def test_every_field_has_an_accessible_name(editor_class):
    """Each input carries its own name (ipywidgets renders ``description`` as a <label for=...> tied to the
    field); a bold heading next to a field would not be read out when the field gets the focus."""
    import ipywidgets as W

    editor = editor_class()
    rows = getattr(editor, "rows", None)
    if rows is not None:  # row editors: add a row the way a student does, so its fields are checked too
        rows.add_button.click()
        rows.add_button.click()
    unnamed = []
    for w in _walk(editor.widget):
        if getattr(w, "layout", None) is not None and w.layout.display == "none":
            continue  # not in the page (a value kept for code, shown through other controls)
        if isinstance(w, (W.IntSlider, W.FloatSlider, W.IntRangeSlider, W.FloatRangeSlider, W.SelectionSlider,
                          W.SelectionRangeSlider)):
            named = False  # ipywidgets gives a slider's handle no accessible name, whatever its description
        elif isinstance(w, W.TagsInput):
            named = bool(w.placeholder.strip("\u200b ").strip())  # its text box has no <label>: the placeholder names it
        elif isinstance(w, W.Button):
            named = bool(w.description or w.tooltip)
        elif isinstance(w, (W.Text, W.Textarea, W.Dropdown, W.Checkbox, W.Select, W.SelectMultiple, W.IntText,
                            W.FloatText)):
            named = bool(w.description.strip())
        else:
            continue
        if not named:
            unnamed.append(f"{type(w).__name__}(placeholder={getattr(w, 'placeholder', None)!r})")
    assert not unnamed, f"{editor_class.__name__}: fields without an accessible name: {unnamed}"


def test_feedback_is_a_labelled_region_with_named_lists_and_silent_icons():
    from html.parser import HTMLParser

    from designkit.framing import Feedback
    from designkit.widgets.feedback_view import feedback_html

    page = feedback_html([Feedback("problem", "a", "Fix this.", "causes"), Feedback("strength", "b", "Good."),
                          Feedback("strength", "c", "Also good.")], error="Line 2 has no text.")

    class Collect(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags, self.hidden_text, self._hidden = [], [], 0

        def handle_starttag(self, tag, attrs):
            self.tags.append((tag, dict(attrs)))
            self._hidden += dict(attrs).get("aria-hidden") == "true"

        def handle_endtag(self, tag):
            if tag == "span" and self._hidden:
                self._hidden -= 1

        def handle_data(self, data):
            if self._hidden:
                self.hidden_text.append(data.strip())

    c = Collect()
    c.feed(page)
    groups = [a for t, a in c.tags if a.get("role") == "group"]
    assert groups and groups[0]["aria-label"].startswith("Feedback")
    lists = [a["aria-label"] for t, a in c.tags if t == "ul"]
    assert lists == ["Must fix: 1 item", "Working well: 2 items"]
    assert sorted(c.hidden_text) == ["✔", "✖", "✖"], "icons are hidden from screen readers; the words remain"
    assert sum(a.get("role") == "heading" for t, a in c.tags) == 3


def test_scrollable_regions_can_take_the_keyboard_focus():
    """A region that scrolls (overflow) must be focusable (tabindex=0) so a keyboard user can scroll it."""
    import re as _re

    from designkit.framing import AffinityMap, TestPlan
    from designkit.widgets import AffinityMapEditor, TestPlanEditor

    views = [IndicatorExplorer(dataset="sowc_child_mortality", countries=["Zambia"]).table_view.value,
             AffinityMapEditor.from_field_notes().figure_view.value, AffinityMapEditor(AffinityMap()).figure_view.value,
             TestPlanEditor(TestPlan("card")).figure_view.value]
    checked = 0
    for value in views:
        for tag in _re.findall(r"<div[^>]*>", value):
            if "overflow" in tag or "designkit-table" in tag:
                checked += 1
                assert "tabindex='0'" in tag or 'tabindex="0"' in tag, tag
                assert "aria-label=" in tag, tag
    assert checked >= 4
