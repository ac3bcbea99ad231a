"""Errors are Python exceptions: guidance.ScenarioError carries the CLI's message, caret and all."""

import pytest

import guidance
from conftest import SOURCE_DIR, cli

BAD_INPUTS = sorted([*(SOURCE_DIR / "tests" / "catalogue" / "inputs").glob("*.yaml"),
                     *(SOURCE_DIR / "tests" / "data" / "scenarios" / "bad").glob("*.yaml")])


def test_the_catalogue_has_files_to_check():
    assert len(BAD_INPUTS) > 30


@pytest.mark.parametrize("path", BAD_INPUTS, ids=lambda path: path.name)
def test_a_bad_file_raises_the_clis_message(path):
    done = cli("validate", str(path), check=False)
    if done.returncode == 0:  # bad only when run (too many trials for memory, a metric that is NaN)
        guidance.load(str(path))
        return
    assert done.returncode == 2
    with pytest.raises(guidance.ScenarioError) as raised:
        guidance.load(str(path))
    assert str(raised.value) == done.stderr.rstrip("\n")


def test_the_error_says_where(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\ndrivers:\n  units: {dist: normal, mean: 10, sd: -0.4}\nmetrics:\n  y: units\n")
    with pytest.raises(guidance.ScenarioError) as raised:
        guidance.load(str(path))
    error = raised.value
    assert (error.file, error.line, error.column) == (str(path), 3, 39)
    assert error.message == "sd must be > 0, found -0.4"
    assert error.hint == "the standard deviation must be positive"
    assert str(error) == (f"{path}:3:39: error: sd must be > 0, found -0.4\n"
                          "      units: {dist: normal, mean: 10, sd: -0.4}\n"
                          "                                          ^~~~\n"
                          "hint: the standard deviation must be positive")
    assert isinstance(error, ValueError)


def test_an_override_error_points_into_the_override(flagship):
    with pytest.raises(guidance.ScenarioError) as raised:
        guidance.load(flagship, set={"revenu.p90": 1140})
    done = cli("validate", flagship, "--set", "revenu.p90=1140", check=False)
    assert str(raised.value) == done.stderr.rstrip("\n")
    assert raised.value.file == "--set"


def test_an_unknown_variant(flagship):
    with pytest.raises(guidance.ScenarioError) as raised:
        guidance.load(flagship, scenario="bera")
    assert str(raised.value) == cli("validate", flagship, "--scenario", "bera", check=False).stderr.rstrip("\n")
    assert "did you mean `bear`?" in raised.value.hint


def test_a_missing_file(tmp_path):
    missing = str(tmp_path / "missing.yaml")
    with pytest.raises(guidance.ScenarioError) as raised:
        guidance.load(missing)
    assert str(raised.value) == cli("validate", missing, check=False).stderr.rstrip("\n")


def test_too_many_trials_for_memory(flagship, monkeypatch):
    # A fixed limit, so that both see the same memory (the machine's available memory moves between calls).
    monkeypatch.setenv("GUIDANCE_MEMORY_LIMIT", str(16 * 2**30))
    # The module keeps the trials (its results are arrays over them); --memory 1PiB keeps them too,
    # where the command line would otherwise stream them.
    done = cli("run", flagship, "-n", "1e10", "--memory", "1PiB", check=False)
    with pytest.raises(guidance.ScenarioError) as raised:
        guidance.load(flagship).run(trials=10_000_000_000)
    assert str(raised.value) == done.stderr.rstrip("\n")
