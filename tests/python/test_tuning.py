"""Model.compare, sweep and solve: the CLI's numbers, as DataFrames (a thin adapter over the tuning API)."""

import pickle

import numpy
import pandas
import pytest

import guidance
from conftest import cli_json, cli_report, notebook_report

RUN = dict(trials=2000, seed=7)
CLI_RUN = ["-n", "2000", "--seed", "7"]


@pytest.fixture(scope="module")
def model(flagship):
    return guidance.load(flagship)


def test_compare_one_metric(model, flagship):
    frame = model.compare(["base", "bear", "bull"], metric="eps", **RUN)
    expected = cli_json("compare", flagship, "--scenarios", "base,bear,bull", *CLI_RUN)["variants"]
    assert list(frame.index) == ["base", "bear", "bull"]
    for variant, row in frame.iterrows():
        eps = expected[variant]["variables"]["eps"]
        line = next(line for line in expected[variant]["guidance"] if line["name"] == "eps")
        assert [row["mean"], row["p10"], row["p50"], row["p90"]] == [eps["mean"], *(eps["percentiles"][p] for p in
                                                                                   ("p10", "p50", "p90"))]
        assert [row["p_in"], row["ci_low"], row["ci_high"]] == [line["p_in"], *line["p_in_ci"]]


def test_compare_every_guided_variable_of_every_variant(model):
    frame = model.compare(**RUN)
    assert list(frame["variant"].unique()) == model.variants
    assert len(frame) == 4 * len(model.variants)


def test_compare_shows_the_compare_report_in_a_notebook(model, flagship, tmp_path):
    frame = model.compare(["base", "bear"], metric="eps", **RUN)
    html = notebook_report(frame._repr_html_())
    assert html.count("<svg") == 8  # per guidance line the variants' densities and CDFs overlaid
    assert "<h2>Guidance by variant</h2>" in html and "<h2>Percentiles</h2>" in html and "<table" in html
    assert html == cli_report(tmp_path, "compare", flagship, "--scenarios", "base,bear", *CLI_RUN)
    # What is made from the frame is a plain DataFrame: the report is of these numbers only.
    for derived in (frame.copy(), frame[["p_in"]], frame.head(1), pickle.loads(pickle.dumps(frame))):
        assert type(derived) is pandas.DataFrame


def test_sweep_shows_the_sweep_report_in_a_notebook(model, flagship, tmp_path):
    frame = model.sweep({"revenue.p90": [1120, 1140], "tax_rate": ["30%", "32%"]}, **RUN)
    html = notebook_report(frame._repr_html_())
    assert html.count("<svg") == 4 + 1  # P(in) of each guidance line and of all at once, against revenue.p90
    assert html.count('<polyline class="series s1"') == 5  # a curve per tax_rate
    assert "<h2>Points</h2>" in html and html.count("<tr><td>") == 4
    assert html == cli_report(tmp_path, "sweep", flagship, "--vary", "revenue.p90=1120,1140", "--vary",
                              "tax_rate=30%,32%", *CLI_RUN)


def test_sweep(model, flagship):
    frame = model.sweep({"revenue.p90": range(1120, 1160, 10)}, **RUN)
    expected = cli_json("sweep", flagship, "--vary", "revenue.p90=1120,1130,1140,1150", *CLI_RUN)
    assert list(frame["revenue.p90"]) == [1120.0, 1130.0, 1140.0, 1150.0]
    for row, point in zip(frame.to_dict("records"), expected["points"]):
        for line in point["guidance"]:
            assert row[f"p_in {line['name']}"] == line["p_in"]
        assert row["p_in all at once"] == point["guidance_joint"]["p_in"]


def test_sweep_takes_numpys_numbers(model, flagship):
    frame = model.sweep({"revenue.p90": numpy.arange(1120.0, 1131.0, 2.5), "tax_rate": numpy.array([0.3, 0.32])}, **RUN)
    expected = cli_json("sweep", flagship, "--vary", "revenue.p90=1120.0,1122.5,1125.0,1127.5,1130.0",
                        "--vary", "tax_rate=0.3,0.32", *CLI_RUN)
    assert len(frame) == 10
    assert frame.to_dict("records") == [
        {**point["values"], **{f"p_in {line['name']}": line["p_in"] for line in point["guidance"]},
         "p_in all at once": point["guidance_joint"]["p_in"]} for point in expected["points"]]


def test_solve(model, flagship):
    solution = model.solve("P(eps >= 0.22) = 0.5", vary="revenue.p90", **RUN)
    expected = cli_json("solve", flagship, "--target", "P(eps >= 0.22) = 0.5", "--vary", "revenue.p90", *CLI_RUN)
    assert solution.json == expected
    assert solution.value == expected["value"] and solution.achieved == expected["achieved"]
    assert list(solution.interval) == expected["achieved_ci"] and list(solution.bracket) == expected["bracket"]


def test_a_bad_target_points_into_it(model):
    with pytest.raises(guidance.ScenarioError) as raised:
        model.solve("P(eps >= ) = 0.5", vary="revenue.p90", **RUN)
    assert raised.value.file == "--target"
