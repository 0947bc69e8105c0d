"""The student's loop (designkit.checks.loop) in a real IPython shell: what a grade cell prints or raises.

Each test runs cells as a notebook would (set-up, answer, grade cell) through IPython's InteractiveShell, so the
post_run_cell records that name a syntax error, a stopped cell, a copy or a missing cell are the real ones.
"""

from __future__ import annotations

import sys

import pytest
from IPython.core.interactiveshell import InteractiveShell

from designkit.checks import loop
from designkit.checks.loop import PartFailed, digests, matches
from designkit.checks.sets import get

SETS = ["ps0-warm-up", "ps1-child-mortality", "ps2-problem-framing", "ps3-stakeholders-journeys",
        "ps4-framing-the-challenge", "ps5-measuring-what-matters", "ps6-prioritise-and-adapt",
        "ps7-research-and-synthesis"]


@pytest.fixture()
def shell():
    """A fresh IPython shell that has run ps0's set-up lines.

    IPython puts its own namespace module in ``sys.modules["__main__"]`` (with no ``__spec__``): put pytest's
    back afterwards, or every later test that starts worker processes (multiprocessing's spawn reads
    ``__main__.__spec__``) fails.
    """
    main = sys.modules["__main__"]
    shell = InteractiveShell.instance()
    shell.reset()
    loop._state["runs"].clear()
    setup = shell.run_cell('from designkit import checks\nfrom designkit.data import load\n'
                           'checks.begin("ps0-warm-up")\nsowc = load("sowc_child_mortality")')
    assert setup.success, setup.error_in_exec
    try:
        yield shell
    finally:
        # later tests (figures' display) must not see a live shell; the next shell registers the hook again
        InteractiveShell.clear_instance()
        loop._state["hooked"] = False
        loop._state["runs"].clear()  # what this shell ran is not what the next notebook (or doctest) ran
        sys.modules["__main__"] = main


def grade(shell, part: str, **kwargs) -> tuple[str | None, str]:
    """Run ``checks.part(part)`` as a grade cell: (the failure's message or None, what it printed)."""
    from IPython.utils.capture import capture_output

    with capture_output() as out:
        result = shell.run_cell(f'checks.part("{part}")', **kwargs)
    error = result.error_in_exec
    if error is not None:
        assert isinstance(error, PartFailed), f"{part} raised {type(error).__name__}: {error}"
        return str(error), out.stdout
    return None, out.stdout


def test_a_right_answer_says_what_was_checked(shell):
    shell.run_cell('median_rate_2018 = None\nmedian_rate_2018 = sowc["under5_mortality_2018"].median()')
    failure, printed = grade(shell, "q2-median-rate")
    assert failure is None
    assert printed.startswith("✓ Part 2 (q2-median-rate): the value is right"), printed


def test_a_wrong_number_no_mistake_explains_is_caught(shell):
    shell.run_cell('median_rate_2018 = None\nmedian_rate_2018 = sowc["under5_mortality_2018"].median() + 1')
    failure, _ = grade(shell, "q2-median-rate")
    assert failure == ("Part 2 (q2-median-rate): 18 is not the median of the 2018 rates (checked against a coded form "
                       "of the answer, rounded to 0.1): sowc['under5_mortality_2018'].median().")


def test_a_name_check_is_honest_about_what_it_leaves_to_the_hidden_tests(shell):
    shell.run_cell('highest_country = None\nhighest_country = "Chad"')
    failure, printed = grade(shell, "q1-highest-rate")
    assert failure is None and "the hidden tests check" in printed, printed


def test_a_syntax_error_is_named_with_its_line(shell):
    shell.run_cell("malawi_reduction_pct = None\nmalawi_reduction_pct = (1 +")
    failure, _ = grade(shell, "q3-malawi-reduction")
    assert failure.startswith("Part 3 (q3-malawi-reduction): your answer cell (q3-answer) has a syntax error on line 2 "
                              "(`malawi_reduction_pct = (1 +`)"), failure


def test_a_syntax_error_wins_over_an_old_value(shell):
    shell.run_cell("malawi_reduction_pct = None\nmalawi_reduction_pct = 79.1")
    shell.run_cell("malawi_reduction_pct = None\nmalawi_reduction_pct = 79.1 +")
    failure, _ = grade(shell, "q3-malawi-reduction")
    assert "syntax error on line 2" in failure


def test_a_stopped_cell_is_named_as_a_time_out(shell):
    shell.run_cell("countries_at_target = None\nraise KeyboardInterrupt")
    failure, _ = grade(shell, "q4-at-target")
    assert "your answer cell (q4-answer) was stopped before it finished (a time-out" in failure, failure


def test_an_error_in_the_answer_is_named(shell):
    shell.run_cell("countries_at_target = None\ncountries_at_target = int(sowc['no such column'].sum())")
    failure, _ = grade(shell, "q4-at-target")
    assert "your answer cell (q4-answer) stopped with KeyError" in failure, failure


def test_an_answer_that_breaks_the_check_fails_in_one_line(monkeypatch):
    def check(value, ns):
        return f"{value['total']} checked"  # a list has no key 'total': the student's form breaks the check

    one = loop.ProblemSet("ps-test", (loop.Part("q1-total", 1, "answer", check),))
    monkeypatch.setitem(loop._state, "set", one)
    monkeypatch.setattr(loop, "_part", one.find)
    with pytest.raises(PartFailed, match=r"^Part 1 \(q1-total\): `answer` could not be checked \(TypeError: "):
        loop.part("q1-total", {"answer": [1, 2]})
    loop.check_all({"answer": [1, 2]})  # lists it as open, never raises


def test_a_notebook_cannot_swap_the_check_a_grade_cell_runs(shell):
    shell.run_cell("countries_at_target = None\ncountries_at_target = 'many'")
    shell.run_cell("from designkit.checks import loop\n"
                   "loop._state['set'] = loop.ProblemSet('fake', (loop.Part('q4-at-target', 2, 'countries_at_target',"
                   " lambda value, ns: 'fine'),))")
    failure, _ = grade(shell, "q4-at-target")
    assert failure and "whole number of countries" in failure, failure


def test_part_ids_are_unique_across_the_sets():
    from designkit.checks.sets import names

    ids = [one.id for name in names() for one in get(name).parts]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert set(SETS) <= set(names())


def test_a_missing_answer_cell_is_named(shell):
    failure, _ = grade(shell, "q4-at-target")
    assert "`countries_at_target` is not set" in failure and "Undo" in failure, failure


def test_a_copied_answer_cell_is_named(shell):
    shell.run_cell("countries_at_target = None\ncountries_at_target = 121", cell_id="original")
    shell.run_cell("countries_at_target = None\ncountries_at_target = 120", cell_id="copy")
    failure, _ = grade(shell, "q4-at-target")
    assert "an answer cell was copied" in failure, failure


def test_failures_render_as_short_lines_without_a_traceback(shell):
    shell.run_cell("median_rate_2018 = None")
    result = shell.run_cell('checks.part("q2-median-rate")')
    lines = result.error_in_exec._render_traceback_()
    assert lines[0].startswith("✗ Part 2 (q2-median-rate)") and all(len(line) <= loop.WIDTH for line in lines)


def test_hidden_tests_fail_in_one_line_naming_the_part():
    with pytest.raises(PartFailed, match=r"^Part 3 \(q3-girls-higher\), hidden test: "):
        with loop.hidden("q3-girls-higher"):
            raise AssertionError("girls_higher misses a country.")


def test_check_all_sums_up_and_never_raises(shell):
    from IPython.utils.capture import capture_output

    shell.run_cell('highest_country = None\nhighest_country = "Chad"')
    shell.run_cell("malawi_reduction_pct = None\nmalawi_reduction_pct = (1 +")
    with capture_output() as out:
        result = shell.run_cell("checks.check_all()")
    assert result.success
    assert "1 of 4 autograded parts pass their visible checks (2 of 8 autograded points" in out.stdout
    assert "✗ Part 3 (q3-malawi-reduction, 2 points): your answer cell (q3-answer) has a syntax error" in out.stdout
    assert "Graded by a person with the rubric in the question (2 points): Part 5 (2 points)." in out.stdout


def test_digests_accept_the_tolerance_and_nothing_else():
    coded = digests(79.08, tol=0.1, decimals=1, salt="s")
    assert all(matches(v, coded, decimals=1, salt="s") for v in (78.98, 79.08, 79.18))
    assert not any(matches(v, coded, decimals=1, salt="s") for v in (78.9, 79.3, 0.7908, float("inf")))
    assert not matches(79.08, coded, decimals=1, salt="another part")


@pytest.mark.parametrize("ps", SETS)
def test_every_set_has_its_visible_checks(ps):
    problem_set = get(ps)
    assert problem_set.name == ps and problem_set.parts
    assert all(part.id.startswith("q") and part.points > 0 for part in problem_set.parts)


def test_an_unknown_set_or_part_says_what_to_add():
    with pytest.raises(ValueError, match="add designkit/checks/sets/ps99_nothing.py"):
        get("ps99-nothing")
    with pytest.raises(ValueError, match="has no autograded part 'q9-none'"):
        get("ps0-warm-up").find("q9-none")
