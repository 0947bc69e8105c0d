"""ProblemTree, Node and ObjectivesTree: feedback codes, FramingError cases, objectives, traversal.

Examples use Project Mwana (Zambia): infant HIV results took weeks to reach clinics and mothers
(Seidenberg et al., Bull WHO 2012; Sutcliffe et al., BMC Pediatrics 2017).
"""

from __future__ import annotations

import pytest

from designkit.framing import CODES, FramingError, Node, ObjectivesTree, ProblemTree


def codes(model) -> list[str]:
    """The model's feedback codes, after checking each is registered with its level in CODES."""
    found = model.validate()
    for f in found:
        assert f.code in CODES and CODES[f.code][0] == f.level, f
        assert f.message.strip()[-1] in ".?!'\")", f.message
    return [f.code for f in found]


def mwana_tree() -> ProblemTree:
    return ProblemTree(
        "delayed HIV test results for infants",
        causes=[
            Node("results travel by courier or post from 3 laboratories", evidence="seidenberg2012; unicefinnovation_mwana",
                 children=[Node("few laboratories run the infant PCR test", evidence="unicefinnovation_mwana")]),
            Node("results wait at the clinic until the caregiver returns", evidence="seidenberg2012"),
            Node("clinics cannot reach many mothers by phone", evidence="sutcliffe2017"),
        ],
        effects=[Node("late start of treatment for infected infants"),
                 Node("high mortality among infected infants before age 2")],
    )


def test_complete_tree_is_ok_with_evidence_strength():
    tree = mwana_tree()
    assert codes(tree) == ["evidence-given"]
    assert tree.ok
    # citing is not praised as if it proved anything: the message says what is checked next, and by whom
    message = tree.validate()[0].message
    assert "3 cause(s) cite a source" in message and "validate(case=...)" in message and "a person" in message


@pytest.mark.parametrize("core", ["lack of hospitals", "Lack of an SMS system for results", "no app for results",
                                  "need for more laboratories", "not enough nurses", "There is no courier"])
def test_core_phrased_as_missing_solution_is_a_problem(core):
    tree = mwana_tree()
    tree.core_problem = core
    found = {f.code: f for f in tree.validate()}
    assert "core-is-missing-solution" in found
    message = found["core-is-missing-solution"].message
    assert "missing solution" in message and "condition" in message and "high infant mortality" in message
    assert not tree.ok


def test_condition_is_not_flagged():
    tree = mwana_tree()
    tree.core_problem = "high infant mortality"
    assert "core-is-missing-solution" not in codes(tree)
    tree.core_problem = "nobody hears back from the lab"  # starts with "no" as part of a word
    assert "core-is-missing-solution" not in codes(tree)


def test_incomplete_tree_needs_three_causes_and_two_effects():
    tree = ProblemTree("delayed HIV test results", causes=["slow courier"], effects=["late treatment"])
    found = codes(tree)
    assert found[:2] == ["too-few-causes", "too-few-effects"]
    messages = " ".join(f.message for f in tree.validate())
    assert "at least 3" in messages and "at least 2" in messages and "why does this happen" in messages


def test_empty_core_and_empty_node():
    tree = ProblemTree("", causes=["a", "b", ""], effects=["c", "d"])
    found = codes(tree)
    assert found[0] == "core-missing"
    assert "empty-node" in found


def test_duplicate_text_in_two_branches_case_insensitive():
    tree = mwana_tree()
    tree.effects.append(Node("Clinics cannot reach many mothers by phone."))
    found = {f.code: f for f in tree.validate()}
    assert "duplicate-node" in found
    assert "appears twice" in found["duplicate-node"].message
    assert "circular-cause" not in found


def test_text_equal_to_an_ancestor_or_the_core_is_circular():
    tree = mwana_tree()
    tree.causes[0].children[0].children.append(Node("results travel by courier or post from 3 laboratories"))
    tree.causes.append(Node("Delayed HIV test results for infants"))
    circular = [f for f in tree.validate() if f.code == "circular-cause"]
    assert len(circular) == 2
    assert "cannot cause itself" in circular[0].message
    assert "duplicate-node" not in codes(tree)


def test_a_real_object_cycle_is_a_framing_error_at_construction_and_in_validate():
    loop = Node("results are late")
    loop.children.append(loop)
    with pytest.raises(FramingError, match="appears twice in the tree"):
        ProblemTree("delayed results", causes=[loop])
    tree = mwana_tree()
    tree.causes[1].children.append(tree.causes[1])  # mutated after construction
    with pytest.raises(FramingError, match="loop back"):
        tree.validate()
    with pytest.raises(FramingError):
        tree.to_json()


def test_a_node_shared_by_two_parents_is_a_framing_error():
    shared = Node("few laboratories")
    with pytest.raises(FramingError, match="separate Node"):
        ProblemTree("delayed results", causes=[Node("a", children=[shared]), Node("b", children=[shared])])


def test_evidence_missing_and_not_a_key():
    tree = ProblemTree("delayed HIV test results", effects=["late treatment", "deaths"], causes=[
        Node("slow courier", evidence="Seidenberg et al. 2012"),
        Node("few labs"), Node("mothers without phones", evidence="sowc_child_mortality")])
    found = {f.code: f for f in tree.validate()}
    assert set(found) == {"evidence-given", "evidence-missing", "evidence-not-a-key"}
    assert found["evidence-missing"].level == "suggestion" and "few labs" in found["evidence-missing"].message
    assert "seidenberg2012" in found["evidence-missing"].message
    assert "slow courier" in found["evidence-not-a-key"].message
    assert "2 cause(s)" in found["evidence-given"].message
    assert tree.ok  # evidence is a suggestion, not a problem


def test_cause_phrased_as_missing_solution_gets_a_suggestion():
    tree = mwana_tree()
    tree.causes[2].children.append(Node("lack of mobile phones"))
    hit = [f for f in tree.validate() if f.code == "cause-is-missing-solution"]
    assert len(hit) == 1 and hit[0].level == "suggestion" and hit[0].where == "lack of mobile phones"
    assert "mobile phones" in hit[0].message


def test_all_causes_depth_and_plain_text_nodes():
    tree = mwana_tree()
    assert [n.text for n in tree.all_causes()][:2] == ["results travel by courier or post from 3 laboratories",
                                                       "few laboratories run the infant PCR test"]
    assert len(tree.all_causes()) == 4 and len(tree.all_effects()) == 2
    assert tree.depth() == 2
    assert ProblemTree("x").depth() == 0
    plain = ProblemTree("x", causes=["a"], effects=["b"])
    assert plain.causes == [Node("a")] and isinstance(plain.effects[0], Node)


def test_objectives_tree_uses_documented_rewrites():
    objectives = mwana_tree().objectives()
    assert isinstance(objectives, ObjectivesTree)
    assert objectives.core_objective == "timely HIV test results for infants"
    assert objectives.ends[0].text == "timely start of treatment for infected infants"
    assert objectives.ends[1].text == "lower mortality among infected infants before age 2"
    assert objectives.means[0].children[0].text == "more laboratories run the infant PCR test"
    # evidence travels with the node
    assert objectives.means[0].evidence == "seidenberg2012; unicefinnovation_mwana"
    # fallback
    fallback = [f for f in objectives.validate() if f.code == "objective-needs-rewording"]
    assert [f.where for f in fallback] == ["results travel by courier or post from 3 laboratories is resolved",
                                           "results wait at the clinic until the caregiver returns is resolved",
                                           "clinics cannot reach many mothers by phone is resolved"]
    assert ProblemTree("Low birth registration").objectives().core_objective == "Higher birth registration"
    assert ProblemTree("lack of hospitals").objectives().core_objective == "adequate hospitals"


@pytest.mark.parametrize("build, message", [
    (lambda: ProblemTree(42), "core_problem must be text"),
    (lambda: ProblemTree("x", causes="slow courier"), "causes must be a list"),
    (lambda: ProblemTree("x", causes=[42]), r"causes\[0\] must be a Node"),
    (lambda: Node(None), "Node.text must be text"),
    (lambda: Node("x", evidence=2012), "evidence"),
    (lambda: Node("x", children=[{"text": "y"}]), "must be a Node"),
])
def test_wrong_types_raise_framing_error_with_a_fix(build, message):
    with pytest.raises(FramingError, match=message):
        build()
    assert issubclass(FramingError, ValueError)


def test_json_round_trip_and_errors():
    tree = mwana_tree()
    text = tree.to_json()
    assert text.startswith('{\n  "type": "ProblemTree",\n  "version": 1,')
    again = ProblemTree.from_json(text)
    assert again == tree and again.to_json() == text
    assert ProblemTree.from_json({"core_problem": "x"}) == ProblemTree("x")
    with pytest.raises(FramingError, match="not valid JSON.*line 1"):
        ProblemTree.from_json('{"core_problem": "x",}')
    with pytest.raises(FramingError, match="unknown field.*cuases"):
        ProblemTree.from_json({"core_problem": "x", "cuases": []})
    with pytest.raises(FramingError, match="missing the field.*core_problem"):
        ProblemTree.from_json({"causes": []})
    with pytest.raises(FramingError, match="describes a 'Persona'"):
        ProblemTree.from_json({"type": "Persona", "core_problem": "x"})
    with pytest.raises(FramingError, match=r"child 0 of 'a'.*missing the field"):
        ProblemTree.from_json({"core_problem": "x", "causes": [{"text": "a", "children": [{"evidence": "k"}]}]})
    objectives = tree.objectives()
    assert ObjectivesTree.from_json(objectives.to_json()) == objectives
