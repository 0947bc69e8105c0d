"""The studio strand's models: participation plan, research plan, interview guide, affinity map, test plan/results.

For every rule: a good example (the rule stays quiet), a bad one (it fires, with the registered level) and a
nonsense one (malformed input raises FramingError naming the field). Plus the JSON round trip, junk anywhere in
the JSON, and the illustrative field notes: honest clustering finds the themes it was written to hold.
"""

from __future__ import annotations

import json

import pytest

from designkit import data
from designkit.framing import (
    CODES,
    HART_RUNGS,
    METHODS_BY_AGE,
    MODELS,
    AffinityMap,
    DataHandling,
    FramingError,
    Insight,
    InterviewGuide,
    Method,
    Note,
    ParticipantGroup,
    ParticipationPlan,
    ResearchPlan,
    Result,
    Session,
    Task,
    TestPlan,
    TestResults,
    Theme,
    double_barrelled,
    is_closed,
    is_question,
    jargon_for_age,
    leading_phrases,
    load,
    observable,
    reports_back,
    save,
    theme_solution,
    tokenism_cues,
    unsuited_to_age,
    vague_step,
)


def codes(model) -> list[str]:
    found = model.validate()
    for f in found:
        assert f.code in CODES and CODES[f.code][0] == f.level, f
    return [f.code for f in found]


# --------------------------------------------------------------------------------------------- participation
def participation(**changes) -> ParticipationPlan:
    fields = dict(
        activity="children aged 8-15 test the new certificate tracking card",
        space="a quiet classroom after lessons, with their teacher nearby; any child may leave at any time",
        voice="children act out a visit to the office with puppets and sort pictures of the card",
        audience="the district registrar joins the last session and hears the children's choices",
        influence="the registrar changes the card and the team returns after two weeks to show the children "
                  "what changed and why",
        rung="consulted and informed")
    fields.update(changes)
    return ParticipationPlan(**fields)


def test_participation_good_plan_is_lundy_complete():
    assert codes(participation()) == ["lundy-complete"] and participation().ok


@pytest.mark.parametrize("element", ["space", "voice", "audience", "influence"])
def test_each_missing_lundy_element_is_a_problem(element):
    found = {f.code: f for f in participation(**{element: "  "}).validate()}
    assert f"no-{element}" in found and found[f"no-{element}"].level == "problem"
    assert "lundy-complete" not in found


def test_voice_without_influence_is_extraction():
    message = {f.code: f.message for f in participation(influence="").validate()}["no-influence"]
    assert "extraction" in message
    # without a voice either, the message asks for influence without the extraction warning
    both = {f.code: f.message for f in participation(influence="", voice="").validate()}
    assert "extraction" not in both["no-influence"]


def test_activity_is_required():
    assert codes(participation(activity=""))[0] == "no-activity"


@pytest.mark.parametrize("rung", ["manipulation", "Decoration", 3])
def test_bottom_rungs_of_harts_ladder_are_tokenism(rung):
    assert "tokenism" in codes(participation(rung=rung))


@pytest.mark.parametrize("rung", ["", "assigned but informed", 5, 8, HART_RUNGS[-1]])
def test_genuine_rungs_are_not_tokenism(rung):
    assert "tokenism" not in codes(participation(rung=rung))


def test_decoration_cues_are_a_suggestion():
    found = {f.code: f for f in participation(voice="children sing a song for the cameras at the launch").validate()}
    assert found["tokenism-risk"].level == "suggestion" and "'sing a song'" in found["tokenism-risk"].message
    assert tokenism_cues("children sing for the launch") == ["sing", "for the launch"]
    assert tokenism_cues("the children present their findings to the registrar") == []
    assert tokenism_cues("a single mother") == []  # a cue is a whole word


def test_vague_steps_and_report_back():
    assert "step-not-concrete" in codes(participation(audience="take their views into account"))
    assert "step-not-concrete" in codes(participation(space="school"))
    assert vague_step("TBD") and vague_step("listen to children") and not vague_step(participation().space)
    assert "no-report-back" in codes(participation(influence="the registrar changes the card layout as agreed"))
    assert reports_back("we explain to the children what changed") and not reports_back("the card is changed")


@pytest.mark.parametrize("bad, match", [
    (dict(rung="ladder"), "Hart rung"), (dict(rung=9), "Hart rung"), (dict(rung=True), "Hart rung"),
    (dict(space=None), "space"), (dict(activity=7), "activity"), (dict(voice=["a"]), "voice")])
def test_participation_nonsense_raises(bad, match):
    with pytest.raises(FramingError, match=match):
        participation(**bad)


# --------------------------------------------------------------------------------------------- research plan
def research(**changes) -> ResearchPlan:
    fields = dict(
        questions=["What happens to a family between the birth and the certificate?",
                   "How do children experience the wait?"],
        participants=[ParticipantGroup("children", 8, 15, 6), ParticipantGroup("caregivers", 20, 70, 4),
                      ParticipantGroup("teachers", 25, 60, 2)],
        methods=[Method("role-play with puppets", ["children"]), Method("drawing and talking", ["children"]),
                 Method("interview", ["caregivers", "teachers"])],
        consent="the caregiver hears the information sheet read aloud, asks questions and signs or thumbprints",
        assent="each child hears a picture story of the study, says yes or no, and can stop at any time",
        safeguarding_lead="the school's designated safeguarding teacher (named in the protocol)",
        referral_pathway="a disclosure goes to the safeguarding lead the same day, who refers to the district "
                         "social welfare office",
        data=DataHandling(purpose="redesign how families learn the certificate is ready", identifiable=[],
                          storage="paper notes locked in the school office", retention="destroyed after the course"))
    fields.update(changes)
    return ResearchPlan(**fields)


def test_research_good_plan_has_ethics_in_place():
    assert codes(research()) == ["ethics-in-place"] and research().ok


def test_minors_without_assent_consent_lead_or_pathway_are_problems():
    found = codes(research(assent="", consent="", safeguarding_lead=" ", referral_pathway=""))
    assert found[:4] == ["minor-without-assent", "no-consent", "no-safeguarding-lead", "no-referral-pathway"]
    # adults only: no child assent, lead or pathway needed
    adults = research(participants=[ParticipantGroup("caregivers", 20, 70)], methods=[Method("interview")],
                      assent="", consent="", safeguarding_lead="", referral_pathway="")
    assert codes(adults) == []


def test_a_group_that_starts_at_17_counts_as_minors():
    plan = research(participants=[ParticipantGroup("young people", 17, 24)], methods=[Method("interview")], assent="")
    assert "minor-without-assent" in codes(plan)
    assert ParticipantGroup("young adults", 18, 24).is_minor is False


def test_rating_scale_with_young_children_is_unsuited_sourced_rows_only():
    plan = research(methods=[Method("smileyometer after each task", ["children"])])
    found = {f.code: f for f in plan.validate()}
    assert found["method-unsuited-to-age"].level == "problem"
    assert "[@read2006_funtoolkit]" in found["method-unsuited-to-age"].message
    older = research(participants=[ParticipantGroup("children", 11, 15)],
                     methods=[Method("smileyometer", ["children"])])
    assert "method-unsuited-to-age" not in codes(older)
    # a method without a sourced age boundary is never flagged, whatever the age
    young = research(participants=[ParticipantGroup("children", 5, 7)], methods=[Method("focus group")])
    assert "method-unsuited-to-age" not in codes(young)


def test_methods_by_age_table_states_its_status_and_sources():
    sourced = [row for row in METHODS_BY_AGE if row.status == "sourced"]
    assert [row.method for row in sourced] == ["rating scale"] and sourced[0].min_age == 10
    assert all(row.min_age is None and row.source == "" for row in METHODS_BY_AGE if row.status != "sourced")
    from pathlib import Path

    import yaml
    refs = yaml.safe_load((Path(__file__).parents[1] / "course" / "references.yml").read_text(encoding="utf-8"))
    keys = {r["key"] for r in refs}
    assert {row.source for row in sourced} <= keys
    assert unsuited_to_age("Likert scale", (8, 12)) is not None and unsuited_to_age("Likert scale", (10, 12)) is None


def test_unknown_group_and_identifiable_data():
    assert "method-unknown-group" in codes(research(methods=[Method("interview", ["parents"])]))
    kept = research(data=DataHandling(purpose="x", identifiable=["names", "photos"], storage="s", retention="r"))
    found = {f.code: f for f in kept.validate()}
    assert found["identifiable-without-need"].level == "problem" and "names, photos" in found[
        "identifiable-without-need"].message
    justified = DataHandling(purpose="x", identifiable=["caregivers' phone numbers"],
                             needed="to tell them the date of the follow-up visit", storage="s", retention="r")
    assert codes(research(data=justified)) == ["ethics-in-place"]


def test_data_purpose_and_retention_are_suggestions():
    found = codes(research(data=DataHandling()))
    assert found == ["no-data-purpose", "no-retention", "ethics-in-place"]


def test_an_empty_plan_says_what_to_do_first():
    assert codes(ResearchPlan()) == ["no-questions", "no-participants", "no-methods", "no-data-purpose"]


@pytest.mark.parametrize("build, match", [
    (lambda: ParticipantGroup("children", 12, 8), "min_age must not be larger"),
    (lambda: ParticipantGroup("children", -1, 8), "min_age"),
    (lambda: ParticipantGroup("children", 8.5, 9), "whole number"),
    (lambda: ParticipantGroup("children", 8, 200), "max_age"),
    (lambda: ParticipantGroup("children", 8, 9, 0), "count"),
    (lambda: ParticipantGroup("children", "eight", 9), "min_age"),
    (lambda: research(participants=["children 8-12"]), "ParticipantGroup"),
    (lambda: research(methods="interview"), "Method"),
    (lambda: research(data={"purpose": "x"}), "DataHandling"),
    (lambda: DataHandling(identifiable=[1]), "identifiable"),
    (lambda: research(assent=None), "assent")])
def test_research_nonsense_raises(build, match):
    with pytest.raises(FramingError, match=match):
        build()


# --------------------------------------------------------------------------------------------- interview guide
GOOD_QUESTIONS = ["Tell me about the last time you went to town with your family.",
                  "What happens while you wait outside the office?",
                  "Who do you ask when you want to know something about your papers?"]


def test_interview_good_guide():
    guide = InterviewGuide("children waiting for a birth certificate", 9, GOOD_QUESTIONS)
    assert codes(guide) == ["open-questions"] and guide.ok


@pytest.mark.parametrize("question, code", [
    ("Don't you think the office is too slow?", "leading-question"),
    ("How much do you like the new card?", "leading-question"),
    ("The wait is terrible, right?", "leading-question"),
    ("Do you like going to town?", "closed-question"),
    ("Is the clerk kind to you?", "closed-question"),
    ("What did you do and why did you do it?", "double-barrelled"),
    ("How do you feel about the queue and the cost?", "double-barrelled"),
    ("Was the card easy and useful?", "double-barrelled"),
    ("What are the pain points in the registration process?", "jargon-for-age"),
    ("Which touchpoint did you like?", "jargon-for-age"),
])
def test_interview_rules_fire(question, code):
    assert code in codes(InterviewGuide("children", 9, [question]))


@pytest.mark.parametrize("question", GOOD_QUESTIONS + ["What was the wait like for you?",
                                                        "Draw what happens when you go to the office.",
                                                        "Can you tell me what happened next?",
                                                        "What happens between the clinic and the office?"])
def test_interview_rules_stay_quiet_on_good_questions(question):
    assert leading_phrases(question) == [] and not is_closed(question)
    assert double_barrelled(question) == [] and jargon_for_age(question, 9) == []


def test_jargon_depends_on_age():
    question = "How long did the registration process take?"
    assert jargon_for_age(question, 9) == ["registration", "process"]
    assert jargon_for_age(question, 17) == ["registration", "process"]
    assert jargon_for_age(question, 18) == [] and jargon_for_age(question, None) == ["registration", "process"]
    assert codes(InterviewGuide("caregivers", 35, [question])) == ["open-questions"]
    assert jargon_for_age("Which pain points did you see?", 40) == ["pain points"]


def test_closed_questions_are_a_suggestion_and_open_question_strength_needs_a_majority_of_open_ones():
    guide = InterviewGuide("children", 10, ["Do you go to school?", "Is it far?", "What happens on the way?"])
    assert codes(guide) == ["closed-question", "closed-question"] and guide.ok
    assert is_closed("And do you walk there?") and is_closed("Can't you go alone?")


@pytest.mark.parametrize("line", ["the clinic", "asdf qwer zxcv", "waiting", "Card."])
def test_a_line_that_is_not_a_question_earns_no_strength(line):
    guide = InterviewGuide("children", 9, [*GOOD_QUESTIONS, line])
    found = codes(guide)
    assert "not-a-question" in found and "open-questions" not in found
    assert not is_question(line) and is_question("Draw your way to school.")


def test_interview_missing_age_questions_and_empty_questions():
    assert codes(InterviewGuide("children", None, [])) == ["age-missing", "no-questions"]
    assert "empty-question" in codes(InterviewGuide("children", 9, ["What happens next?", " "]))


@pytest.mark.parametrize("bad, match", [
    (dict(age=-3), "age"), (dict(age="nine"), "age"), (dict(age=9.5), "age"), (dict(questions=[1]), "questions"),
    (dict(interviewee=None), "interviewee"), (dict(age=True), "age")])
def test_interview_nonsense_raises(bad, match):
    fields = dict(interviewee="children", age=9, questions=GOOD_QUESTIONS) | bad
    with pytest.raises(FramingError, match=match):
        InterviewGuide(**fields)


# --------------------------------------------------------------------------------------------- affinity map
def honest_map() -> AffinityMap:
    """How the team that wrote the illustrative field notes clusters them (several honest answers exist)."""
    themes = [
        Theme("Trips that end in 'come back later'", ["n01", "n02", "n06", "n11", "n25", "n29", "n33", "n37", "n40"]),
        Theme("Each trip costs the family money, work or school", ["n03", "n07", "n13", "n26", "n31", "n36"]),
        Theme("Deadlines turn the wait into fear for children", ["n04", "n20", "n23", "n28", "n34"]),
        Theme("Small errors on forms send families back to the start", ["n08", "n12", "n17", "n22"]),
        Theme("Children are kept outside the conversation", ["n10", "n24", "n27", "n35", "n39", "n41"]),
        Theme("Families ask the people they trust, not the office", ["n09", "n16", "n18", "n21", "n32"]),
    ]
    insights = [
        Insight("Families cannot see where the certificate is, so every question costs a trip or a favour",
                ["Trips that end in 'come back later'", "Families ask the people they trust, not the office"]),
        Insight("Children carry the stakes of the wait but are left out of it",
                ["Deadlines turn the wait into fear for children", "Children are kept outside the conversation"]),
    ]
    return AffinityMap.from_notes(data.field_notes(), themes, insights)


def test_field_notes_are_labelled_illustrative_and_well_formed():
    notes = data.field_notes()
    assert list(notes.columns) == ["note_id", "participant", "age", "role", "text"]
    assert 30 <= len(notes) <= 45 and notes["note_id"].is_unique
    assert notes.attrs["status"] == "illustrative"
    entry = data.entry("field_notes")
    assert entry.illustrative and "NOT real data" in entry.title and "not real data" in entry.source
    children = notes[notes["role"] == "child"]
    assert children["age"].between(8, 15).all() and children["participant"].nunique() >= 3
    assert {"caregiver", "health worker", "teacher"} <= set(notes["role"])
    assert not notes["text"].str.contains("%").any(), "no figures in the illustrative notes"
    assert data.load("field_notes").equals(notes)


def test_honest_clustering_of_the_field_notes():
    m = honest_map()
    assert codes(m) == ["notes-unused", "insights-grounded"]
    support = {t.name: len(m.participants_of(t)) for t in m.themes}
    assert 4 <= len(support) <= 6 and sum(n >= 4 for n in support.values()) >= 2
    # the decoys: vivid notes from one participant each, left out of the themes
    unused = {n.id for n in m.unused_notes()}
    assert {"n05", "n14", "n30", "n38"} <= unused


def test_a_decoy_insight_rests_on_one_participant():
    m = honest_map()
    m.themes.append(Theme("Paying a fixer to speed things up", ["n14"]))
    m.insights.append(Insight("Corruption is the main barrier", ["Paying a fixer to speed things up"]))
    found = {f.code: f for f in m.validate()}
    assert found["single-participant-insight"].level == "problem" and "G3" in found["single-participant-insight"].message
    assert "insights-grounded" not in found


def test_several_notes_from_one_participant_are_still_one_participant():
    notes = [Note("a", "P1", "x"), Note("b", "P1", "y"), Note("c", "P2", "z")]
    m = AffinityMap(notes, [Theme("Waiting", ["a", "b"]), Theme("Cost", ["c"])],
                    [Insight("one voice", ["Waiting"]), Insight("two voices", ["Waiting", "Cost"])])
    assert codes(m) == ["single-participant-insight"]


@pytest.mark.parametrize("name, solution", [
    ("SMS reminders", "SMS"), ("Need for a helpline", "a helpline"), ("Send a reminder card", "reminder"),
    ("An app for parents", "app"), ("Lack of a mobile office", "a mobile office")])
def test_theme_that_restates_a_solution(name, solution):
    assert solution in (theme_solution(name) or "")
    m = AffinityMap([Note("a", "P1", "x"), Note("b", "P2", "y")], [Theme(name, ["a", "b"])],
                    [Insight("i", [name])])
    assert "theme-is-solution" in codes(m)


@pytest.mark.parametrize("name", ["Trips that end in 'come back later'", "No one explains the delay",
                                  "Waiting without news", "Children are kept outside the conversation",
                                  "Errors on forms"])
def test_experience_themes_are_not_solutions(name):
    assert theme_solution(name) is None


def test_affinity_missing_parts_and_empty_themes():
    assert codes(AffinityMap()) == ["no-notes", "no-themes", "no-insights"]
    m = AffinityMap([Note("a", "P1", "x")], [Theme("Waiting", []), Theme("", ["a"])], [Insight("i", [])])
    found = codes(m)
    assert {"empty-theme", "empty-name", "insight-without-theme"} <= set(found)


@pytest.mark.parametrize("build, match", [
    (lambda: AffinityMap([Note("a", "P1", "x"), Note("a", "P2", "y")]), "Two notes have the id"),
    (lambda: AffinityMap([Note("", "P1", "x")]), "empty id"),
    (lambda: AffinityMap([Note("a", "P1", "x")], [Theme("T", ["zz"])]), "do not exist: zz"),
    (lambda: AffinityMap([Note("a", "P1", "x")], [Theme("T", ["a"])], [Insight("i", ["U"])]), "do not exist"),
    (lambda: AffinityMap(["a note"]), "Note"),
    (lambda: Note("a", None, "x"), "participant"),
    (lambda: Theme("T", "a"), None),  # a single id is accepted as a one-item list
    (lambda: AffinityMap.from_notes([{"id": "a"}]), "note_id"),
    (lambda: AffinityMap.from_notes(42), "table or a list")])
def test_affinity_nonsense_raises(build, match):
    if match is None:
        assert build().notes == ["a"]
        return
    with pytest.raises(FramingError, match=match):
        build()


# --------------------------------------------------------------------------------------------- testing
def test_plan(**changes) -> TestPlan:
    fields = dict(prototype="paper certificate tracking card",
                  tasks=[Task("find when to come back", "points to the date without help"),
                         Task("tell who to ask", "names the person or place on the card")],
                  sessions=[Session("C1", 9), Session("C2", 11), Session("C3", 14)],
                  measures=["observation of each task", "again-again table"])
    fields.update(changes)
    return TestPlan(**fields)


test_plan.__test__ = False  # a builder, not a test


def results(plan: TestPlan | None = None, **changes) -> TestResults:
    plan = plan or test_plan()
    outcome = {("v1", "C1"): (False, False), ("v1", "C2"): (True, False), ("v1", "C3"): (True, False),
               ("v2", "C1"): (True, False), ("v2", "C2"): (True, True), ("v2", "C3"): (True, True),
               ("v3", "C1"): (True, True), ("v3", "C2"): (True, True), ("v3", "C3"): (True, True)}
    rows = [Result(p, v, t.name, ok) for (v, p), oks in outcome.items() for t, ok in zip(plan.tasks, oks)]
    fields = dict(plan=plan, versions=["v1", "v2", "v3"], results=rows) | changes
    return TestResults(**fields)


def test_test_plan_good_and_results_improve():
    assert codes(test_plan()) == ["plan-ready"]
    r = results()
    assert codes(r) == ["plan-ready", "success-improved"] and r.ok
    assert r.overall_rates() == {"v1": pytest.approx(2 / 6), "v2": pytest.approx(5 / 6), "v3": 1.0}
    assert r.success_rates()["v1"] == {"find when to come back": pytest.approx(2 / 3), "tell who to ask": 0.0}


def test_test_plan_rules():
    assert codes(test_plan(prototype="", tasks=[], sessions=[], measures=[])) == [
        "missing-prototype", "no-tasks", "no-sessions", "no-measures"]
    assert "task-without-criterion" in codes(test_plan(tasks=[Task("find the date")]))
    found = {f.code: f for f in test_plan(tasks=[Task("read the card", "understands the card")]).validate()}
    assert found["criterion-not-observable"].level == "suggestion"
    assert observable("finds the date within a minute") and not observable("likes the card")
    assert "session-age-missing" in codes(test_plan(sessions=[Session("C1")]))


def test_rating_scale_in_a_test_with_young_children():
    found = {f.code: f for f in test_plan(measures=["smileyometer"]).validate()}
    assert "C1" in found["method-unsuited-to-age"].message and "C2" not in found["method-unsuited-to-age"].message
    older = test_plan(sessions=[Session("C2", 11), Session("C3", 14)], measures=["smileyometer"])
    assert "method-unsuited-to-age" not in codes(older)


def test_results_rules():
    assert codes(results(results=[])) == ["plan-ready", "no-results"]
    assert "no-versions" in codes(results(versions=[], results=[]))
    one = [Result("C1", "v1", "find when to come back", True), Result("C1", "v2", "find when to come back", False)]
    found = codes(results(versions=["v1", "v2"], results=one))
    assert found == ["plan-ready", "version-under-tested", "version-under-tested", "no-improvement"]


@pytest.mark.parametrize("build, match", [
    (lambda: results(results=[Result("C9", "v1", "find when to come back", True)]), "No session for participant"),
    (lambda: results(results=[Result("C1", "v1", "dance", True)]), "No task called"),
    (lambda: results(results=[Result("C1", "v9", "find when to come back", True)]), "not in versions"),
    (lambda: results(results=[Result("C1", "v1", "find when to come back", True)] * 2), "Two results"),
    (lambda: Result("C1", "v1", "t", "yes"), "True or False"),
    (lambda: Result("C1", "v1", "t", 1), "True or False"),
    (lambda: results(versions=["v1", "V1"]), "repeat"),
    (lambda: test_plan(sessions=[Session("C1", 9), Session("c1", 10)]), "Two participants"),
    (lambda: test_plan(tasks=[Task("a"), Task("A")]), "Two tasks"),
    (lambda: Session("C1", 300), "age"),
    (lambda: TestResults("plan", []), "TestPlan")])
def test_testing_nonsense_raises(build, match):
    with pytest.raises(FramingError, match=match):
        build()


# --------------------------------------------------------------------------------------------- JSON
def examples() -> list:
    return [participation(), research(), InterviewGuide("children", 9, GOOD_QUESTIONS), honest_map(),
            test_plan(), results()]


@pytest.mark.parametrize("model", examples(), ids=lambda m: type(m).__name__)
def test_round_trip_through_json_and_files(model, tmp_path):
    assert type(model).MODEL in MODELS
    again = type(model).from_json(model.to_json())
    assert again == model and codes(again) == codes(model)
    path = save(model, tmp_path / "model.json")
    assert load(path) == model and load(path, kind=type(model)) == model
    assert json.loads(path.read_text(encoding="utf-8"))["type"] == type(model).MODEL


JUNK = [None, 7, -1, 1e9, float("nan"), True, "x", "", [], [None], [7], {}, {"text": None}, [{"name": 1}]]


def _paths(value, prefix=()):
    """Every (path, value) inside a JSON-like structure."""
    yield prefix, value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, prefix + (i,))


def _replace(value, path, new):
    if not path:
        return new
    copy = json.loads(json.dumps(value))
    target = copy
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = new
    return copy


@pytest.mark.parametrize("model", examples(), ids=lambda m: type(m).__name__)
def test_junk_anywhere_in_the_json_gives_a_framing_error_or_a_valid_model(model):
    data_ = json.loads(model.to_json())
    tried = 0
    for path, _ in list(_paths(data_)):
        if path in ((), ("type",)):
            continue
        for junk in JUNK:
            tried += 1
            try:
                rebuilt = type(model).from_json(_replace(data_, path, junk))
            except FramingError as err:
                assert str(err) and "Traceback" not in str(err)
                continue
            rebuilt.validate()
            assert type(model).from_json(rebuilt.to_json()) == rebuilt
    assert tried > 20


def test_json_of_another_model_is_refused():
    with pytest.raises(FramingError, match="describes a 'TestPlan'"):
        ResearchPlan.from_json(test_plan().to_json())
    with pytest.raises(FramingError, match="unknown field"):
        ParticipationPlan.from_json({"type": "ParticipationPlan", "voise": "x"})


# --------------------------------------------------------------------------------------------- docstrings
STUDIO_MODULES = ["designkit.framing.participation", "designkit.framing.research_plan",
                  "designkit.framing.interview_rules", "designkit.framing.interview_guide",
                  "designkit.framing.affinity", "designkit.framing.testing", "designkit.data.field_notes",
                  "designkit.plots.studio_figures", "designkit.widgets.line_formats",
                  "designkit.widgets.participation_editor", "designkit.widgets.research_plan_editor",
                  "designkit.widgets.interview_guide_editor", "designkit.widgets.affinity_editor",
                  "designkit.widgets.testing_editor"]


@pytest.mark.parametrize("name", STUDIO_MODULES)
def test_docstring_examples_hold(name):
    """The examples in the studio modules' docstrings are real: they run and give what they show."""
    import doctest
    import importlib
    import os

    os.environ.setdefault("MPLBACKEND", "Agg")
    module = importlib.import_module(name)
    failed, attempted = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert attempted > 0 and failed == 0, f"{name}: {failed} of {attempted} docstring examples failed"
