"""designkit.checks: each check's success and each of its teaching failure messages.

Values come from the course's cases: Project Mwana's mean days to notify (44.2 -> 26.7 for facilities,
66.8 -> 35.0 for caregivers; Seidenberg et al. 2012), and the global under-5 mortality rate (43 per
1,000 live births in 2015; UN IGME).
"""

from __future__ import annotations

import math

import pytest

from designkit import checks
from designkit.framing import CODES, HowMightWe, Idea, Persona, PriorityMatrix, ProblemTree


def fails(check, *args, **kwargs) -> str:
    """Run a check that must fail; return its message."""
    with pytest.raises(AssertionError) as err:
        check(*args, **kwargs)
    return str(err.value)


# ---- number -------------------------------------------------------------------------------------------

def test_number_passes_within_tolerance():
    assert checks.number(17.5, 17.5, name="days_saved") is None
    assert checks.number(39.59, 39.6, name="pct", tol=0.05) is None
    assert checks.number(101, 100, name="n", rel=0.02) is None
    assert checks.number(42, 42) is None  # name is optional
    np = pytest.importorskip("numpy")
    assert checks.number(np.float64(26.7), 26.7, name="after") is None
    assert checks.number(np.array(26.7), 26.7, name="after") is None


@pytest.mark.parametrize("actual, words", [
    (..., "`days_saved` is still `...`: replace the ..."),
    (None, "`days_saved` is None: nothing was computed yet"),
    (float("nan"), "NaN ('not a number')"),
    (math.inf, "infinite: a division by zero?"),
    ("17.5", "a number written as text. Remove the quotes"),
    ("seventeen", "but a number is expected. Compute the value"),
    (True, "a yes/no value"),
    ([17.5], "one number is expected. Pick the single value"),
    ({"a": 1}, "a dict with 1 key(s), but one number is expected"),
    (object(), "a object, but a number is expected"),
])
def test_number_messages_for_values_that_are_not_a_number(actual, words):
    assert words in fails(checks.number, actual, 17.5, name="days_saved")


def test_number_series_hint():
    pd = pytest.importorskip("pandas")
    message = fails(checks.number, pd.Series([1.0, 2.0]), 1.0, name="rate")
    assert "a pandas Series of shape (2,)" in message and ".iloc[0]" in message


@pytest.mark.parametrize("actual, expected, words", [
    (1750, 17.5, "about 100 times too large: check the unit (a percentage vs a proportion"),
    (0.396, 39.6, "about 100 times too small"),
    (175, 17.5, "about 10 times too large: check the unit (per 100 vs per 1,000"),
    (17500, 17.5, "about 1,000 times too large"),
    (-17.5, 17.5, "right size but the wrong sign (-17.5 instead of 17.5 days): subtract in the other order"),
    (18.5, 17.5, "`days_saved` is 18.5 days, too high: expected 17.5 days. Re-read the question"),
    (16, 17.5, "too low"),
])
def test_number_mismatch_hints(actual, expected, words):
    assert words in fails(checks.number, actual, expected, name="days_saved", unit="days")


def test_number_tolerance_is_shown_and_author_errors_are_type_errors():
    assert "(within 0.1)" in fails(checks.number, 17.7, 17.5, name="x", tol=0.1)
    assert "(within 1%)" in fails(checks.number, 18, 17.5, name="x", rel=0.01)
    with pytest.raises(TypeError, match="expected value of a check must be a real number"):
        checks.number(1, "1", name="x")


def test_number_does_not_trust_a_lying_eq():
    class Liar(float):
        def __eq__(self, other):
            return True

        def __sub__(self, other):
            return 0.0

        __rsub__ = __sub__

    assert "too high" in fails(checks.number, Liar(99.0), 17.5, name="x")


# ---- rates, percentages, proportions -----------------------------------------------------------------

def test_rate_per_1000():
    assert checks.rate_per_1000(43.4, 43, name="u5mr") is None
    assert "looks like a percentage (per 100)" in fails(checks.rate_per_1000, 4.3, 43, name="u5mr")
    assert "looks like a proportion (per 1). Multiply by 1,000" in fails(checks.rate_per_1000, 0.043, 43, name="u5mr")
    assert "looks like a count, not a rate" in fails(checks.rate_per_1000, 5_900_000, 43, name="u5mr")
    assert "per 100,000" in fails(checks.rate_per_1000, 4300, 43, name="u5mr")
    assert "negative, and a rate cannot be" in fails(checks.rate_per_1000, -43, 43, name="u5mr")
    message = fails(checks.rate_per_1000, 37, 43, name="u5mr")
    assert "rate per 1,000 live births (expected about 43)" in message and "too low" in message
    assert "per 1,000 pupils" in fails(checks.rate_per_1000, 1, 43, name="x", per="pupils")
    assert "is None" in fails(checks.rate_per_1000, None, 43, name="u5mr")


def test_percent():
    assert checks.percent(39.6, 39.6, name="reduction_pct") is None
    assert "looks like a proportion (0 to 1). Multiply by 100" in fails(checks.percent, 0.396, 39.6, name="p")
    assert "10 times too large: a rate per 1,000" in fails(checks.percent, 396, 39.6, name="p")
    assert "wrong sign" in fails(checks.percent, -39.6, 39.6, name="p")
    assert "its complement (100 - 39.6)" in fails(checks.percent, 60.4, 39.6, name="p")
    assert "outside 0-100" in fails(checks.percent, 120, 39.6, name="p")
    assert "too low" in fails(checks.percent, 30, 39.6, name="p")


def test_proportion():
    assert checks.proportion(0.381, 0.38, name="share") is None
    assert "looks like a percentage. Divide by 100" in fails(checks.proportion, 38, 0.38, name="share")
    assert "its complement" in fails(checks.proportion, 0.62, 0.38, name="share")
    assert "outside 0-1" in fails(checks.proportion, 1.5, 0.38, name="share")
    assert "too high" in fails(checks.proportion, 0.5, 0.38, name="share")


# ---- collections -------------------------------------------------------------------------------------

def test_same_set():
    assert checks.same_set({"A", "C", "E"}, ["E", "C", "A", "A"], name="letters") is None
    message = fails(checks.same_set, ["A", "B"], ["A", "C"], name="letters")
    assert message == "`letters` is not the expected set of items. Missing: 'C'. Not expected: 'B'."
    assert checks.same_set([" malawi", "ZAMBIA"], ["Malawi", "Zambia"], name="c", normalize=True) is None
    assert "differ only in capital letters or spaces" in fails(checks.same_set, ["malawi"], ["Malawi"], name="c")
    assert "a single text" in fails(checks.same_set, "ACE", ["A", "C", "E"], name="letters")
    assert "use list(letters)" in fails(checks.same_set, {"A": 1}, ["A"], name="letters")
    assert "is still `...`" in fails(checks.same_set, ..., ["A"], name="letters")
    assert "but a list (or set) of items is expected" in fails(checks.same_set, 5, ["A"], name="letters")
    assert "cannot be compared" in fails(checks.same_set, [["A"]], ["A"], name="letters")


def test_ordered():
    assert checks.ordered(["a", "b"], ["a", "b"], name="r") is None
    assert "position 1 is 'b', expected 'a'" in fails(checks.ordered, ["b", "a"], ["a", "b"], name="r")
    assert "Missing: 'c'" in fails(checks.ordered, ["a", "b"], ["a", "c"], name="r")
    assert "an item is repeated" in fails(checks.ordered, ["a", "a", "b"], ["a", "b"], name="r")
    assert checks.ordered(["A ", "b"], ["a", "B"], name="r", normalize=True) is None


def test_top_n_with_a_priority_matrix_ranking():
    matrix = PriorityMatrix([Idea("Drones", 4, 2), Idea("Text results", 5, 4), Idea("Reminder cards", 2, 5)])
    assert checks.top_n(matrix.ranking(), ["Reminder cards", "Text results"], name="ranking") is None
    assert checks.top_n(matrix.ranking(), ["Text results", "Reminder cards"], name="ranking", in_order=True) is None
    message = fails(checks.top_n, matrix.ranking(), ["Text results", "Drones"], name="ranking")
    assert message == ("Your top 2 in `ranking` should be 'Text results', 'Drones'. Missing from your top 2: "
                       "'Drones'. In your top 2 but should not be: 'Reminder cards'.")
    message = fails(checks.top_n, ["Reminder cards", "Text results"], ["Text results", "Reminder cards"],
                    name="ranking", in_order=True)
    assert "right items in the order" in message and "highest first" in message
    assert "has only 1 item(s)" in fails(checks.top_n, ["Drones"], ["a", "b"], name="ranking")
    with pytest.raises(ValueError):
        checks.top_n(["a"], ["a"], n=2)


# ---- table ---------------------------------------------------------------------------------------------

@pytest.fixture
def notify():
    pd = pytest.importorskip("pandas")
    return pd.DataFrame({"step": ["facility", "caregiver"], "before": [44.2, 66.8], "after": [26.7, 35.0],
                         "saved": [17.5, 31.8]})


def test_table_passes_in_any_order_with_a_key_and_extra_columns(notify):
    mine = notify.iloc[::-1].assign(note="x")
    assert checks.table(mine, notify, name="notify", key="step") is None
    assert checks.table(notify.copy(), notify, name="notify") is None
    assert checks.table(notify[["step", "saved"]], notify, name="notify", key="step", columns=["saved"]) is None


def test_table_failures(notify):
    pd = pytest.importorskip("pandas")
    assert "is None" in fails(checks.table, None, notify, name="notify")
    assert "double brackets" in fails(checks.table, notify["saved"], notify, name="notify")
    assert "a list of 2 item(s), but a table" in fails(checks.table, [1, 2], notify, name="notify")
    assert "missing the column(s) 'saved'. Its columns are" in fails(
        checks.table, notify.drop(columns="saved"), notify, name="notify")
    assert "They are in the index: add .reset_index()" in fails(
        checks.table, notify.set_index("step"), notify, name="notify", key="step")
    message = fails(checks.table, notify.iloc[:1], notify, name="notify", key="step")
    assert "Missing 'step': 'caregiver'" in message and "Check your filter" in message
    assert "has 1 rows; expected 2" in fails(checks.table, notify.iloc[:1], notify, name="notify")
    assert "repeated rows for" in fails(checks.table, pd.concat([notify, notify.iloc[:1]]), notify,
                                        name="notify", key="step")
    wrong = notify.assign(saved=notify["saved"] / 10)
    message = fails(checks.table, wrong, notify, name="notify", key="step")
    assert "row 'facility', column 'saved': 1.75 instead of 17.5" in message and "1/10 of the expected" in message
    assert "in another order: sort them" in fails(checks.table, notify.iloc[::-1], notify, name="notify")
    texty = notify.assign(saved=notify["saved"].astype(str))
    assert "holds object values, but numbers are expected" in fails(checks.table, texty, notify, name="notify")
    missing = notify.assign(after=[26.7, None])
    assert "a missing value instead of 35" in fails(checks.table, missing, notify, name="notify")
    with pytest.raises(ValueError, match="not in the expected table"):
        checks.table(notify, notify, columns=["nope"])


# ---- framing models ------------------------------------------------------------------------------------

GOOD_HMW = HowMightWe("How might we help caregivers learn their baby's HIV test result in time to start treatment?")


def test_valid_model():
    assert checks.valid_model(GOOD_HMW, name="hmw", kind=HowMightWe) is None
    assert checks.valid_model(GOOD_HMW, name="hmw", kind="HowMightWe") is None
    message = fails(checks.valid_model, ProblemTree("lack of hospitals"), name="tree")
    assert message.startswith("`tree` has 3 problem(s) to fix:\n- [core-is-missing-solution]")
    assert "[too-few-causes]" in message and "[too-few-effects]" in message
    assert "is a HowMightWe, but a ProblemTree is expected" in fails(checks.valid_model, GOOD_HMW, name="tree",
                                                                    kind=ProblemTree)
    assert "not a framing model: create it with ProblemTree(...)" in fails(
        checks.valid_model, "a tree", name="tree", kind="ProblemTree")
    assert "is None" in fails(checks.valid_model, None, name="tree")
    with pytest.raises(ValueError, match="kind must be one of"):
        checks.valid_model(GOOD_HMW, kind="Tree")


def test_valid_model_reports_malformed_models_and_resists_a_vouching_subclass():
    persona = Persona("Chipo", "a mother", ["know the result"], ["travel"])
    persona.goals = 5  # malformed after construction
    assert "cannot be checked yet: Persona goals must be a list" in fails(checks.valid_model, persona, name="p")

    class Trusting(ProblemTree):
        def validate(self):
            return []

    assert "not a framing model" in fails(checks.valid_model, Trusting("lack of hospitals"), name="tree")


def test_has_and_no_feedback():
    drones = HowMightWe("How might we help mothers get results using drones?")
    assert checks.has_feedback(drones, "embeds-solution", name="hmw") is None
    assert checks.no_feedback(GOOD_HMW, "embeds-solution", name="hmw") is None
    message = fails(checks.no_feedback, drones, "embeds-solution", name="hmw", hint="Ask about the outcome.")
    assert message.startswith("`hmw` still has 'embeds-solution': The question already contains a solution")
    assert message.endswith("Ask about the outcome.")
    message = fails(checks.has_feedback, GOOD_HMW, "too-broad", name="hmw")
    assert message == f"`hmw` does not show 'too-broad' yet ({CODES['too-broad'][1]})."
    tree = ProblemTree("high infant mortality")
    assert "First fix: [too-few-causes]" in fails(checks.has_feedback, tree, "evidence-given", name="tree")
    with pytest.raises(ValueError, match="unknown feedback code"):
        checks.has_feedback(GOOD_HMW, "great")
