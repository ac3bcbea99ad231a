"""guidance.load and Model.run: the CLI's numbers bit for bit, the trials without a copy, the HTML."""

import gc

import numpy
import pandas
import pytest

import guidance
from conftest import cli, cli_json

RUN = dict(trials=20_000, seed=7, sampling="sobol")
CLI_RUN = ["--scenario", "bear", "--set", "revenue.p90=1140", "-n", "20000", "--seed", "7", "--sampling", "sobol"]


@pytest.fixture(scope="module")
def model(flagship):
    return guidance.load(flagship, scenario="bear", set={"revenue.p90": 1140})


@pytest.fixture(scope="module")
def result(model):
    return model.run(**RUN)


@pytest.fixture(scope="module")
def expected(flagship):
    return cli_json("run", flagship, *CLI_RUN)


def test_the_run_is_the_clis_json(result, expected):
    assert result.json == expected  # every number compared exactly: JSON round-trips doubles


def test_the_percentile_frame_holds_the_clis_numbers(result, expected):
    frame = result.percentiles
    assert list(frame.index) == list(expected["variables"])
    assert list(frame.columns[:10]) == ["mean", "p1", "p5", "p10", "p25", "p50", "p75", "p90", "p95", "p99"]
    for name, variable in expected["variables"].items():
        assert frame.loc[name, "mean"] == variable["mean"]
        assert frame.loc[name, "sd"] == variable["sd"]
        for key, value in variable["percentiles"].items():
            assert frame.loc[name, key] == value


def test_the_guidance_frame_holds_the_clis_numbers(result, expected):
    frame = result.guidance
    assert list(frame.columns) == ["name", "low", "high", "p_in", "ci_low", "ci_high", "below", "above", "nonfinite"]
    assert len(frame) == len(expected["guidance"]) == 4
    for row, line in zip(frame.itertuples(), expected["guidance"]):
        assert (row.name, row.low, row.high, row.p_in) == (line["name"], line["low"], line["high"], line["p_in"])
        assert [row.ci_low, row.ci_high] == line["p_in_ci"]
        assert (row.below, row.above) == (line["p_below"], line["p_above"])


def test_joint_is_every_line_at_once(result, expected):
    joint = result.joint
    assert joint.p_in == expected["guidance_joint"]["p_in"]
    assert [joint.ci_low, joint.ci_high] == expected["guidance_joint"]["p_in_ci"]


def test_the_trials_are_the_clis_samples(model, flagship, tmp_path):
    samples = tmp_path / "samples.csv"
    cli("run", flagship, *CLI_RUN, "--samples", str(samples))
    written = pandas.read_csv(samples, float_precision="round_trip").drop(columns="trial")
    frame = model.run(**RUN).to_frame()
    assert list(frame.columns) == list(written.columns)
    assert frame.equals(written)


def test_a_variables_trials_are_a_read_only_view_owned_by_the_result(model):
    run = model.run(trials=5000, seed=3)
    eps = run["eps"]
    assert eps.shape == (5000,) and eps.dtype == numpy.float64
    assert not eps.flags.writeable and not eps.flags.owndata
    assert numpy.shares_memory(eps, run["eps"])
    with pytest.raises(ValueError):
        eps[0] = 1.0
    total = eps.sum()
    del run
    gc.collect()
    assert eps.sum() == total  # the array keeps the result's memory alive


def test_a_constant_driver_repeats_its_value(tmp_path):
    path = tmp_path / "constant.yaml"
    path.write_text("name: c\ndrivers:\n  units: {dist: normal, mean: 10, sd: 1}\n  price: 2\n"
                    "metrics:\n  revenue: units * price\n")
    run = guidance.load(str(path)).run(trials=10, seed=1)
    assert list(run["price"]) == [2.0] * 10
    assert run.percentiles.loc["price", "p50"] == 2.0
    with pytest.raises(KeyError):
        run["prices"]


def test_the_result_is_the_same_on_one_thread(model, result):
    assert model.run(**RUN, threads=1).json == result.json


def test_the_scenarios_own_settings_are_the_default(flagship):
    run = guidance.load(flagship).run(trials=1000)
    assert run.json == cli_json("run", flagship, "-n", "1000")
    assert run.json["seed"] == 20121023


def test_the_result_shows_itself_in_a_notebook(result):
    html = result._repr_html_()
    assert html.startswith('<div class="guidance-report">')
    assert "<html" not in html and "<script" not in html
    assert html.count("<svg") == 8  # a histogram and a CDF per guidance line
    assert "Percentiles" in html and "Guidance line" in html
    assert ".guidance-report .chart .bar.in" in html  # the stylesheet applies inside the report only
    assert "\nbody" not in html and "\n:root" not in html


def test_repr_is_the_clis_table(flagship):
    model = guidance.load(flagship)
    run = model.run(trials=2000, seed=5)
    assert repr(run) == cli("run", flagship, "-n", "2000", "--seed", "5").stdout
    assert repr(model) == cli("validate", flagship).stdout


def test_set_takes_numbers_text_and_distributions(flagship):
    model = guidance.load(flagship, set={"tax_rate": "30%", "opex": {"dist": "normal", "mean": 550, "sd": 5},
                                         "revenue.p90": 1131.5})
    expected = cli_json("run", flagship, "--set", "tax_rate=30%", "--set", "opex={dist: normal, mean: 550, sd: 5}",
                        "--set", "revenue.p90=1131.5", "-n", "2000")
    assert model.run(trials=2000).json == expected


def test_arguments_python_cannot_take(model):
    with pytest.raises(ValueError, match='sampling must be "mc", "lhs" or "sobol", found "qmc"'):
        model.run(trials=10, sampling="qmc")
    with pytest.raises(ValueError, match="trials must be at least 1"):
        model.run(trials=0)
    with pytest.raises(TypeError):
        guidance.load("x.yaml", set={"tax_rate": True})
