"""Model.sensitivity: one DataFrame per method, the CLI's numbers."""

import pickle

import pytest

import guidance
from conftest import SOURCE_DIR, cli_json, cli_report, notebook_report

ARGS = ["-m", "eps", "-n", "2000", "--seed", "7"]


@pytest.fixture(scope="module")
def model(flagship):
    return guidance.load(flagship)


def test_every_method_as_the_cli_has_it(model, flagship):
    frames = model.sensitivity("eps", methods=["all"], trials=2000, seed=7)
    expected = cli_json("sensitivity", flagship, *ARGS, "--method", "all")
    assert set(frames) == {"tornado", "spider", "correlation", "shapley", "regional"}  # sobol: correlated drivers
    assert frames["tornado"].attrs["skipped"] == expected["skipped"]

    tornado = frames["tornado"]
    assert tornado.attrs["base"] == expected["tornado"]["base"]
    assert tornado.to_dict("records") == expected["tornado"]["bars"]

    spider = frames["spider"]
    assert len(spider) == sum(len(points) for points in expected["spider"].values())
    for row in spider.itertuples():
        point = expected["spider"][row.driver][int(row.percentile / 10) - 1]
        assert (row.percentile, row.input, row.output) == (point["percentile"], point["input"], point["output"])

    for row in frames["correlation"].itertuples():
        assert (row.spearman, row.contribution) == tuple(expected["correlation"][row.driver].values())
    for row in frames["shapley"].itertuples():
        effect = expected["shapley"][row.driver]
        assert [row.effect, row.ci_low, row.ci_high] == [effect["effect"], *effect["ci"]]

    regional = frames["regional"]
    shifts = [(miss["guidance"], miss["side"], shift["driver"], shift["shift_sd"])
              for miss in expected["regional"] for shift in miss["drivers"]]
    assert list(regional[["guidance", "side", "driver", "shift_sd"]].itertuples(index=False, name=None)) == shifts


def test_the_result_shows_the_sensitivity_report_in_a_notebook(model, flagship, tmp_path):
    result = model.sensitivity("eps", methods=["tornado", "correlation"], trials=2000, seed=7)
    assert result.json == cli_json("sensitivity", flagship, *ARGS, "--method", "tornado,correlation")
    html = notebook_report(result._repr_html_())
    assert html.count("<svg") == 1  # the tornado
    assert "<h2>Rank correlation</h2>" in html and html.count("<table") == 2  # the tornado's numbers, correlation's
    assert html == cli_report(tmp_path, "sensitivity", flagship, *ARGS, "--method", "tornado,correlation")
    assert type(pickle.loads(pickle.dumps(result))) is dict


def test_sobol_with_independent_drivers(model, flagship):
    frames = model.sensitivity("eps", methods=["sobol"], trials=1000, seed=7, ignore_correlations=True)
    expected = cli_json("sensitivity", flagship, "-m", "eps", "-n", "1000", "--seed", "7", "--method", "sobol",
                        "--ignore-correlations")
    sobol = frames["sobol"]
    assert list(sobol.columns) == ["driver", "first", "first_ci_low", "first_ci_high", "total", "total_ci_low",
                                   "total_ci_high"]
    for row in sobol.itertuples():
        index = expected["sobol"][row.driver]
        assert [row.first, row.first_ci_low, row.first_ci_high] == [index["first"], *index["first_ci"]]
        assert [row.total, row.total_ci_low, row.total_ci_high] == [index["total"], *index["total_ci"]]


def test_bad_requests(model):
    with pytest.raises(ValueError, match='unknown sensitivity method "tornadoo": did you mean `tornado`?'):
        model.sensitivity("eps", methods=["tornadoo"])
    with pytest.raises(guidance.ScenarioError, match="`epss`"):
        model.sensitivity("epss")
    with pytest.raises(ValueError, match="range must be"):
        model.sensitivity("eps", range=(0.9, 0.1))


def test_dimensioned_drivers_by_group_and_by_element():
    fy = str(SOURCE_DIR / "scenarios" / "juniper_fy2012.yaml")
    model = guidance.load(fy)
    args = ["-m", "fy_eps", "-n", "1000", "--seed", "3", "--method", "tornado,shapley", "--permutations", "10"]
    grouped = model.sensitivity("fy_eps", methods=["tornado", "shapley"], trials=1000, seed=3, permutations=10)
    assert grouped.json == cli_json("sensitivity", fy, *args)
    assert list(grouped["shapley"]["driver"]) == ["revenue", "operating_margin", "other_income", "diluted_shares"]
    elements = model.sensitivity("fy_eps", methods=["tornado", "shapley"], trials=1000, seed=3, permutations=10,
                                 by_element=True)
    assert elements.json == cli_json("sensitivity", fy, *args, "--by-element")
    assert list(elements["shapley"]["driver"])[0] == "revenue[Q4]"
