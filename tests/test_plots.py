"""designkit.plots: every figure renders headless with a finding title, labelled axes (with units)
and alt text computed from the data; change the data and the title changes."""
from __future__ import annotations

import os
import re
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import designkit.data as kit_data  # noqa: E402
from designkit import plots  # noqa: E402
from designkit.framing import (  # noqa: E402
    Idea,
    JourneyMap,
    Node,
    PriorityMatrix,
    ProblemTree,
    Stage,
    Stakeholder,
    StakeholderMap,
)
from designkit.plots import OKABE_ITO, SDG32_NEONATAL, SDG32_UNDER5, alt_text, finding  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def sowc_tidy() -> pd.DataFrame:
    return kit_data.tidy("sowc_child_mortality")


@pytest.fixture(scope="module")
def sowc() -> pd.DataFrame:
    return kit_data.load("sowc_child_mortality")


def mwana_tree() -> ProblemTree:
    return ProblemTree(
        "HIV-exposed infants wait months for their test results",
        causes=[Node("results travel by courier from the labs", evidence="seidenberg2012",
                     children=[Node("only 3 labs run the infant PCR test", evidence="unicefinnovation_mwana")]),
                Node("clinics cannot reach mothers", evidence="sutcliffe2017"),
                Node("paper results pile up")],
        effects=[Node("treatment starts late"), Node("mothers stop coming back")])


def mwana_map() -> StakeholderMap:
    return StakeholderMap([Stakeholder("HIV-exposed infants", "rights-holder", 5, 1),
                           Stakeholder("Ministry of Health", "duty-bearer", 4, 5),
                           Stakeholder("Clinic staff", "implementer", 4, 3)])


def mwana_journey() -> JourneyMap:
    return JourneyMap("Chipo", [Stage("Baby tested", ["blood spot"], ["clinic"], [], 0),
                                Stage("Waiting", ["walks back to ask"], ["clinic"], ["no news for weeks"], -2),
                                Stage("Treatment starts", ["collects medicine"], ["clinic"], [], 1)])


def mwana_matrix() -> PriorityMatrix:
    return PriorityMatrix([Idea("Text results to clinics", 5, 4), Idea("Drones carry samples", 4, 2),
                           Idea("Open more labs", 5, 1)])


def all_figures(sowc_tidy, sowc):
    return {
        "trend": plots.trend_with_target(sowc_tidy, "under5_mortality_rate", ["Bangladesh", "Zambia"]),
        "equity_gap": plots.equity_gap(sowc, "under5_mortality_2018_male", "under5_mortality_2018_female"),
        "problem_tree": plots.problem_tree(mwana_tree()),
        "stakeholder_grid": plots.stakeholder_grid(mwana_map()),
        "journey_map": plots.journey_map(mwana_journey()),
        "priority_matrix": plots.priority_matrix(mwana_matrix()),
    }


UNITS = {
    "trend": ("Year", "deaths per 1,000 live births"),
    "equity_gap": ("deaths per 1,000 live births", "Country or area"),
    "problem_tree": ("cause", "no units"),
    "stakeholder_grid": ("score 1–5", "score 1–5"),
    "journey_map": ("Stage", "−2 to +2"),
    "priority_matrix": ("score 1–5", "score 1–5"),
}


@pytest.mark.parametrize("name", list(UNITS))
def test_every_figure_renders_with_title_labels_and_alt_text(name, sowc_tidy, sowc):
    fig = all_figures(sowc_tidy, sowc)[name]
    assert plots.to_png(fig).startswith(b"\x89PNG")
    assert plots.to_svg(fig).startswith("<svg")
    assert finding(fig).strip() and fig.get_suptitle().strip()
    ax = fig.axes[0]
    x_unit, y_unit = UNITS[name]
    assert x_unit in ax.get_xlabel(), ax.get_xlabel()
    assert y_unit in ax.get_ylabel(), ax.get_ylabel()
    alt = alt_text(fig)
    assert len(alt.split()) >= 8 and alt.endswith(".")


def test_trend_title_states_the_computed_change(sowc_tidy):
    fig = plots.trend_with_target(sowc_tidy, "under5_mortality_rate", ["Bangladesh"])
    bgd = sowc_tidy[(sowc_tidy.country == "Bangladesh") & (sowc_tidy.indicator == "under5_mortality_rate")]
    first, last = bgd.sort_values("year").value.iloc[[0, -1]]
    pct = round((first - last) / first * 100)
    assert finding(fig) == (f"Under-5 mortality fell {pct}% in Bangladesh, 1990–2018, "
                            "still above the SDG 3.2 target (≤ 25)")
    assert f"from {first:g} in 1990 to {last:g} in 2018" in alt_text(fig)
    assert "SDG 3.2 target of 25 by 2030" in alt_text(fig)


def test_changing_the_data_changes_title_and_alt_text(sowc_tidy):
    rows = sowc_tidy[(sowc_tidy.country == "Bangladesh") & (sowc_tidy.indicator == "under5_mortality_rate")]
    before = plots.trend_with_target(rows)
    changed = rows.assign(value=rows.value.where(rows.year != 2018, 20.0))
    after = plots.trend_with_target(changed)
    assert finding(before) != finding(after)
    assert "now at or below the SDG 3.2 target" in finding(after)
    assert "to 20 in 2018" in alt_text(after) and alt_text(before) != alt_text(after)
    rising = rows.assign(value=rows.value.where(rows.year != 2018, 200.0))
    assert "rose" in finding(plots.trend_with_target(rising))


def test_target_line_only_where_sdg_3_2_applies(sowc_tidy):
    nmr = plots.trend_with_target(sowc_tidy, "neonatal_mortality_rate", ["Zambia"])
    assert "≤ 12" in finding(nmr)
    assert any(line.get_linestyle() == "--" and list(line.get_ydata()) == [12.0, 12.0] for line in nmr.axes[0].lines)
    imr = plots.trend_with_target(sowc_tidy, "infant_mortality_rate", ["Zambia"])
    assert "target" not in finding(imr) and "target" not in alt_text(imr)
    assert (SDG32_UNDER5.value, SDG32_NEONATAL.value) == (25.0, 12.0)


def test_target_source_key_resolves_in_the_course_references():
    references = (ROOT / "course" / "references.yml").read_text(encoding="utf-8")
    for target in (SDG32_UNDER5, SDG32_NEONATAL):
        assert re.search(rf"^- key: {re.escape(target.source_key)}\s*$", references, re.M), target.source_key


def test_series_use_the_okabe_ito_palette(sowc_tidy):
    fig = plots.trend_with_target(sowc_tidy, "under5_mortality_rate", ["Bangladesh", "Zambia", "Malawi"])
    colours = {matplotlib.colors.to_hex(line.get_color()).upper() for line in fig.axes[0].lines}
    assert colours <= {c.upper() for c in OKABE_ITO.values()}


def test_trend_errors_name_the_problem(sowc_tidy):
    with pytest.raises(ValueError, match="Zambia"):
        plots.trend_with_target(sowc_tidy, "under5_mortality_rate", ["Zambiaa"])
    with pytest.raises(ValueError, match="pass indicator="):
        plots.trend_with_target(sowc_tidy)
    with pytest.raises(ValueError, match="needs columns"):
        plots.trend_with_target(pd.DataFrame({"x": [1]}))


def test_equity_gap_counts_every_country_and_follows_the_data(sowc):
    male, female = "under5_mortality_2018_male", "under5_mortality_2018_female"
    fig = plots.equity_gap(sowc, male, female)
    higher = int((sowc[male] > sowc[female]).sum())
    assert f"higher for boys than girls in {higher} of {len(sowc)} countries (2018)" in finding(fig)
    swapped = sowc.rename(columns={male: female, female: male})
    assert finding(plots.equity_gap(swapped, male, female)) != finding(fig)
    assert len(fig.axes[0].get_yticklabels()) == 15


def test_equity_gap_by_region(sowc):
    regions = kit_data.load("gapminder")[["iso3", "region"]].dropna().drop_duplicates("iso3")
    df = sowc.merge(regions, on="iso3")
    fig = plots.equity_gap(df, "under5_mortality_2018_male", "under5_mortality_2018_female", by="region")
    assert "regions" in finding(fig)
    assert fig.axes[0].get_ylabel() == "Region"


def test_framing_titles_follow_the_model():
    tree = mwana_tree()
    before = finding(plots.problem_tree(tree))
    assert "3 causes" not in before and "4 causes" in before  # 3 direct + 1 sub-cause
    tree.causes.append(Node("long walks to the clinic"))
    assert "5 causes" in finding(plots.problem_tree(tree))
    assert "Problem tree in progress" in finding(plots.problem_tree(ProblemTree("", [], [])))

    m = mwana_map()
    assert finding(plots.stakeholder_grid(m)).startswith("1 of 3 stakeholders to manage closely")
    m.stakeholders[0].influence = 5
    assert finding(plots.stakeholder_grid(m)).startswith("2 of 3 stakeholders to manage closely")

    j = mwana_journey()
    assert "'Waiting'" in finding(plots.journey_map(j))
    j.stages[0].emotion = -2
    j.stages[1].emotion = -1
    assert "'Baby tested'" in finding(plots.journey_map(j))

    pm = mwana_matrix()
    assert "'Text results to clinics'" in finding(plots.priority_matrix(pm))
    pm.ideas[2].feasibility = 5
    assert "'Open more labs'" in finding(plots.priority_matrix(pm))


def test_redraw_reuses_one_figure_without_pyplot():
    import matplotlib.pyplot as plt

    fig = plots.stakeholder_grid(mwana_map())
    artists = len(fig.axes[0].get_children())
    for influence in (1, 2, 3, 4, 5):
        m = mwana_map()
        m.stakeholders[0].influence = influence
        again = plots.stakeholder_grid(m, fig=fig)
        assert again is fig and len(fig.axes) == 1
        assert len(fig.axes[0].get_children()) == artists  # old points and names were removed
    assert [list(c.get_offsets()[0]) for c in fig.axes[0].collections[1:]][0] == [5, 5]
    assert plt.get_fignums() == []


def test_show_and_html_carry_the_alt_text(capsys):
    fig = plots.priority_matrix(mwana_matrix())
    plots.show(fig)
    out = capsys.readouterr().out
    assert finding(fig) in out and alt_text(fig) in out
    html = plots.figure_html(fig)
    assert 'alt="' in html and "<figcaption" in html
    assert 'aria-label="' in plots.to_svg(fig)


def test_alt_text_missing_is_a_clear_error():
    from matplotlib.figure import Figure

    with pytest.raises(ValueError, match="no alt text"):
        alt_text(Figure())


def test_a_single_year_is_a_snapshot_not_a_change(sowc_tidy):
    rows = sowc_tidy[sowc_tidy.indicator == "under5_mortality_rate_female"]
    fig = plots.trend_with_target(rows, countries=["Zambia", "Malawi"])
    zmb, mwi = (rows.loc[rows.country == c, "value"].item() for c in ("Zambia", "Malawi"))
    hi, lo = ("Zambia", zmb), ("Malawi", mwi)
    if mwi > zmb:
        hi, lo = lo, hi
    assert finding(fig) == (f"Under-5 mortality (girls), 2018: highest in {hi[0]} ({hi[1]:g}), lowest in {lo[0]} ({lo[1]:g}); "
                            "0 of 2 at or below the SDG 3.2 target (≤ 25)")
    assert f"Zambia {zmb:g} in 2018" in alt_text(fig)


# ---------------------------------------------------------------------------------------- palette
# Contrast (WCAG 2.1), colour-vision-deficiency simulation and colour difference come from ColorAide, a
# maintained colour library: its "machado" filters are the matrices of Machado, Oliveira & Fernandes (2009),
# "A physiologically-based model for simulation of color vision deficiency", IEEE TVCG 15(6):1291-1298, and
# its "brettel" filters the method of Brettel, Viénot & Mollon (1997), JOSA A 14(10):2647-2655.
from designkit.plots import palette  # noqa: E402

AA_TEXT = 4.5  # WCAG 2.1 success criterion 1.4.3, normal-size text
SERIES_FLOOR = 7.5  # the kit's own floor (CIEDE2000) for any two series, in every simulation below
DEFICIENCIES = ("protan", "deutan", "tritan")


def _contrast(fg: str, bg: str) -> float:
    from coloraide import Color

    return Color(fg).contrast(bg, method="wcag21")


def _text_colours() -> dict[str, str]:
    return {**{f"TEXT[{k}]": v for k, v in palette.TEXT.items()}, "INK": palette.INK, "MUTED": palette.MUTED,
            "GOOD_TEXT": palette.GOOD_TEXT, "BAD_TEXT": palette.BAD_TEXT, "INFO_TEXT": palette.INFO_TEXT}


def test_text_colours_meet_wcag_aa_on_every_background_they_are_drawn_on():
    low = {(name, bg): round(_contrast(fg, colour), 2) for name, fg in _text_colours().items()
           for bg, colour in palette.TEXT_BACKGROUNDS.items() if _contrast(fg, colour) < AA_TEXT}
    assert not low, f"text below {AA_TEXT}:1 (colour, background): {low}"
    # the problem tree's boxes carry black text only
    assert all(_contrast("#000000", fill) >= AA_TEXT for fill in palette.FILLS.values())


def test_the_okabe_ito_originals_are_too_light_for_text_and_their_text_variants_are_not():
    """Why TEXT exists: the ratios on white before (the marks' colours) and after (their text variants)."""
    before = {k: round(_contrast(v, "white"), 2) for k, v in palette.OKABE_ITO.items()}
    assert before["vermillion"] == 3.87 and before["bluish_green"] == 3.42 and before["orange"] == 2.25
    after = {k: round(_contrast(v, "white"), 2) for k, v in palette.TEXT.items()}
    assert min(after.values()) >= 5.0, after
    feedback = {palette.BAD_TEXT: "Must fix", palette.GOOD_TEXT: "Working well", palette.INFO_TEXT: "Worth considering"}
    from designkit.widgets.feedback_view import GROUPS

    assert {colour: heading for _, _, heading, colour in GROUPS} == feedback


def test_text_variants_keep_the_okabe_ito_hue_and_only_darken():
    from coloraide import Color

    for name, mark in palette.OKABE_ITO.items():
        if name == "black":
            continue
        a, b = Color(mark).convert("oklch"), Color(palette.TEXT[name]).convert("oklch")
        assert abs(a["hue"] - b["hue"]) < 2.0, (name, a["hue"], b["hue"])
        assert b["lightness"] <= a["lightness"] + 1e-9, name
        assert palette.text_colour(mark) == palette.TEXT[name]
    with pytest.raises(ValueError, match="not a colour of designkit.plots.palette"):
        palette.text_colour("#123456")


@pytest.mark.parametrize("method", ["machado", "brettel"])
def test_series_stay_apart_under_simulated_colour_vision_deficiencies(method):
    """Every pair of series colours differs by at least SERIES_FLOOR (CIEDE2000) for full protanopia,
    deuteranopia and tritanopia, and for typical colour vision. Measured weakest pairs: Machado tritan
    10.9 (orange / reddish purple), Brettel tritan 7.9 (the same pair), protan and deutan >= 12.2."""
    import itertools

    from coloraide import Color

    assert len(set(palette.SERIES)) == len(palette.SERIES) >= 6
    for kind in (None, *DEFICIENCIES):
        seen = [Color(c) if kind is None else Color(c).filter(kind, method=method).convert("srgb").fit("srgb")
                for c in palette.SERIES]
        closest = min((a.delta_e(b, method="2000"), palette.SERIES[i], palette.SERIES[j])
                      for (i, a), (j, b) in itertools.combinations(enumerate(seen), 2))
        assert closest[0] >= SERIES_FLOOR, f"{kind or 'typical'} ({method}): {closest[1]} and {closest[2]} " \
                                           f"differ by only {closest[0]:.1f}"
    # a simulation that changes nothing would pass trivially: check it moves a red-green pair together
    red, green = Color(palette.OKABE_ITO["vermillion"]), Color(palette.OKABE_ITO["bluish_green"])
    deutan = [c.filter("deutan", method=method).convert("srgb").fit("srgb") for c in (red, green)]
    assert deutan[0].delta_e(deutan[1], method="2000") < red.delta_e(green, method="2000") / 2


def test_chart_labels_use_the_text_variant_of_their_line(sowc_tidy):
    fig = plots.trend_with_target(sowc_tidy, "under5_mortality_rate", ["Bangladesh", "Zambia", "Malawi"])
    ax = fig.axes[0]
    lines = {line.get_label(): matplotlib.colors.to_hex(line.get_color()).upper() for line in ax.lines}
    for text in ax.texts:
        country = text.get_text().split(" ")[0]
        if country in lines:
            assert matplotlib.colors.to_hex(text.get_color()).upper() == palette.text_colour(lines[country])


def test_no_stray_hex_colours_outside_the_palette():
    """Figures, editors and feedback views take every colour from designkit/plots/palette.py.

    Scanned: the string literals of every module under designkit/ (comments are not colours). Left out:
    designkit/classroom/, the instructor's side (report page CSS), owned and restyled separately.
    """
    import io
    import tokenize

    hex_colour = re.compile(r"(?<![\w&])#(?:[0-9A-Fa-f]{8}|[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})(?![0-9A-Za-z_])")
    stray = []
    for path in sorted((ROOT / "designkit").rglob("*")):
        rel = path.relative_to(ROOT).as_posix()
        if rel == "designkit/plots/palette.py" or rel.startswith("designkit/classroom/") or "__pycache__" in rel:
            continue
        if path.suffix == ".py":
            tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
            texts = [(t.start[0], t.string) for t in tokens
                     if tokenize.tok_name[t.type] in ("STRING", "FSTRING_MIDDLE")]  # f-strings: 3.12+
        elif path.suffix in {".html", ".css", ".j2", ".svg"}:
            texts = list(enumerate(path.read_text(encoding="utf-8").splitlines(), 1))
        else:
            continue
        stray += [f"{rel}:{line}: {m.group(0)}" for line, text in texts for m in hex_colour.finditer(text)]
    assert not stray, "colours outside designkit/plots/palette.py (add a named colour there): " + "; ".join(stray)
