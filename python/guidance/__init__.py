"""guidance: how likely is each range of a company's financial guidance?

The engine of the `guidance` command for Python (docs/python.md):

    import guidance
    m = guidance.load("scenarios/juniper_q4_2012.yaml", scenario="bear", set={"revenue.p90": 1140})
    r = m.run(trials=1_000_000, seed=7)
    r.percentiles      # DataFrame: one row per variable
    r.guidance         # DataFrame: one row per guidance line
    r["eps"]           # the trials, a read-only NumPy array over the run's memory

The numbers are the CLI's for the same file, seed and sampling, bit for bit. A bad scenario or argument
raises ScenarioError; Ctrl-C stops a run with KeyboardInterrupt.
"""

from __future__ import annotations

import json
import numbers
from typing import Any, Iterable, Mapping, NamedTuple, Optional, Sequence


class ScenarioError(ValueError):
    """A bad scenario file, `set=` override or argument, located in the user's text.

    str() is the CLI's message: "file:line:column: error: ...", the source line with carets under the
    span, and "hint: ..." when there is one. `file`, `line`, `column` and `hint` are None where the
    error has none (an argument that is not in a file has no line).
    """

    def __init__(self, text: str, message: str, file: Optional[str], line: Optional[int],
                 column: Optional[int], hint: Optional[str]):
        super().__init__(text)
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.hint = hint


# After ScenarioError: the extension raises it.
from . import _engine, _frames  # noqa: E402


class Joint(NamedTuple):
    """P(every guidance line holds in the same trial), with its Wilson 95% interval."""
    p_in: float
    ci_low: float
    ci_high: float


class Sensitivity(dict):
    """What `Model.sensitivity` found: a DataFrame per method (tornado, spider, correlation, sobol,
    shapley, regional), the whole answer as `guidance sensitivity --format json` writes it (`json`); in a
    notebook, the sensitivity report (the tornado chart and a table per method). Pickles as a dict."""

    def __init__(self, engine: "_engine.SensitivityResult"):
        self.json = json.loads(engine.json())
        super().__init__(_frames.sensitivity_frames(self.json))
        self._engine = engine

    def __reduce__(self):
        return dict, (dict(self),)

    def _repr_html_(self) -> str:
        return self._engine.html()


class Solution(NamedTuple):
    """What `Model.solve` found: the parameter's `value`, the target statistic `achieved` there with its
    95% `interval`, the `bracket` of values the target is crossed between, and the whole answer as
    `guidance solve --format json` writes it (`json`)."""
    value: float
    achieved: float
    interval: tuple
    bracket: tuple
    json: dict

    def __repr__(self) -> str:
        return (f"Solution(value={self.value!r}, achieved={self.achieved!r}, interval={self.interval!r}, "
                f"bracket={self.bracket!r})")


def _value_text(value: Any) -> str:
    """A `set=` or sweep value as the command line writes it: numbers exactly (a float's repr round-trips),
    text ("30%", "1,115 ± 2%") as given, a dict as a YAML flow mapping ({dist: normal, mean: 1, sd: 2})."""
    if isinstance(value, bool):
        raise TypeError(f"a driver's value cannot be {value!r}: give a number, text such as '30%', or a dict")
    if isinstance(value, numbers.Integral):  # NumPy's integers and floats too
        return str(int(value))
    if isinstance(value, numbers.Real):
        return repr(float(value))
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{key}: {_value_text(item)}" for key, item in value.items()) + "}"
    raise TypeError(f"a driver's value cannot be {type(value).__name__}: give a number, text or a dict")


def _assignments(values: Optional[Mapping[str, Any]]) -> list:
    return [f"{name}={_value_text(value)}" for name, value in (values or {}).items()]


def load(path: str, scenario: str = "base", set: Optional[Mapping[str, Any]] = None,
         actual: Optional[Mapping[str, Any]] = None, repair_correlations: bool = False) -> "Model":
    """Read and check a scenario file, as `guidance run FILE --scenario SCENARIO --set NAME=VALUE ...`.

    `set` maps "NAME" or "NAME.PARAM" to a value (a number, text such as "30%", or a dict for a new
    distribution); `actual` maps a variable to a reported figure. Raises ScenarioError.
    """
    return Model(_engine.load(str(path), scenario, _assignments(set), _assignments(actual), repair_correlations))


class Model:
    """A scenario file read once, with its variant and overrides applied. Every method simulates it."""

    def __init__(self, engine: "_engine.LoadedScenario"):
        self._engine = engine

    @property
    def names(self) -> list:
        """The drivers, in file order, then the metrics."""
        return self._engine.names

    @property
    def variants(self) -> list:
        """"base" and every variant under `scenarios:`, in file order."""
        return self._engine.variants

    def __repr__(self) -> str:
        return self._engine.summary()

    def run(self, trials: Optional[int] = None, seed: Optional[int] = None, sampling: Optional[str] = None,
            threads: Optional[int] = None) -> "Result":
        """Simulate, as `guidance run`: None takes the scenario's `simulation:` setting, else 100,000
        trials, seed 1 and "mc" sampling ("lhs", "sobol"). `threads` None uses every core; the
        numbers never depend on it."""
        return Result(self._engine.run(_engine.RunArguments(trials, seed, sampling, threads)))

    def sensitivity(self, metric: str, methods: Sequence[str] = ("tornado", "correlation"),
                    trials: Optional[int] = None, seed: Optional[int] = None, sampling: Optional[str] = None,
                    threads: Optional[int] = None, range: tuple = (0.10, 0.90),
                    ignore_correlations: bool = False, by_element: bool = False,
                    permutations: Optional[int] = None) -> Sensitivity:
        """Which driver moves `metric`, as `guidance sensitivity`: a DataFrame per method asked for
        (tornado, spider, correlation, sobol, shapley, regional; "all" for every one that applies).
        `range` is the tornado's and spider's (low, high) probabilities. A dimensioned driver is one
        input; `by_element` makes each of its elements one (`revenue[Q3]`). `permutations` asks for
        Shapley's random-permutation design with that many permutations. docs/python.md lists each
        frame's columns. In a notebook the result shows the sensitivity report."""
        if isinstance(methods, str):
            methods = [methods]
        return Sensitivity(self._engine.sensitivity(metric, list(methods), float(range[0]), float(range[1]),
                                                    ignore_correlations, by_element, permutations,
                                                    _engine.RunArguments(trials, seed, sampling, threads)))

    def compare(self, scenarios: Optional[Iterable[str]] = None, metric: Optional[str] = None,
                trials: Optional[int] = None, seed: Optional[int] = None, sampling: Optional[str] = None,
                threads: Optional[int] = None):
        """Variants side by side on the same trials, as `guidance compare` (default: every variant):
        one row per variant and guided variable (only `metric` if given) with its mean, P10, P50, P90
        and the P(in) of its guidance line. In a notebook the frame shows the compare report (every
        line's distributions overlaid, a colour per variant)."""
        names = list(scenarios) if scenarios is not None else self.variants
        result = self._engine.compare(names, _engine.RunArguments(trials, seed, sampling, threads))
        return _frames.report_frame(_frames.compare_frame(json.loads(result.json()), metric), result)

    def sweep(self, vary: Mapping[str, Iterable[Any]], trials: Optional[int] = None, seed: Optional[int] = None,
              sampling: Optional[str] = None, threads: Optional[int] = None):
        """Run every combination of one or two driver parameters' values, as `guidance sweep --vary`:
        one row per point with the parameters' values and each guidance line's P(in). In a notebook
        the frame shows the sweep report (each line's P(in) against the parameter)."""
        variations = [f"{name}=" + ",".join(_value_text(value) for value in values) for name, values in vary.items()]
        result = self._engine.sweep(variations, _engine.RunArguments(trials, seed, sampling, threads))
        return _frames.report_frame(_frames.sweep_frame(json.loads(result.json())), result)

    def solve(self, target: str, vary: str, bracket: Optional[tuple] = None, trials: Optional[int] = None,
              seed: Optional[int] = None, sampling: Optional[str] = None, threads: Optional[int] = None) -> Solution:
        """The value of the driver parameter `vary` at which `target` ("P(eps >= 0.22) = 0.5",
        "p50(eps) = 0.21", "mean(eps) = 0.2") holds, as `guidance solve`; `bracket` (low, high) bounds
        the search."""
        bracket_text = None if bracket is None else f"{_value_text(bracket[0])}:{_value_text(bracket[1])}"
        report = json.loads(self._engine.solve(target, vary, bracket_text,
                                               _engine.RunArguments(trials, seed, sampling, threads)))
        return Solution(report["value"], report["achieved"], tuple(report["achieved_ci"]), tuple(report["bracket"]),
                        report)


class Result:
    """A run: its statistics (as `guidance run --format json` has them, in `json`) and every trial."""

    def __init__(self, engine: "_engine.RunResult"):
        self._engine = engine
        self.json = json.loads(engine.json())

    @property
    def trials(self) -> int:
        return self.json["trials"]

    @property
    def names(self) -> list:
        """The drivers, in file order, then the metrics."""
        return self._engine.names

    @property
    def percentiles(self):
        """One row per variable: mean, P1 ... P99, sd, min, max, counts (see docs/python.md)."""
        return _frames.percentile_frame(self.json)

    @property
    def guidance(self):
        """One row per guidance line: name, low, high, p_in, ci_low, ci_high, below, above, nonfinite."""
        return _frames.guidance_frame(self.json)

    @property
    def joint(self) -> Optional[Joint]:
        """P(all guidance lines at once) with its 95% interval; None without guidance lines."""
        joint = self.json.get("guidance_joint")
        if joint is None:
            return None
        return Joint(joint["p_in"], *joint["p_in_ci"])

    def __getitem__(self, name: str):
        """The variable's trials in trial order: a read-only NumPy array over the run's own memory (a
        constant's value repeated in a new array). KeyError for an unknown name."""
        return self._engine.trials(name)

    def to_frame(self):
        """Every variable's trials, a column each (a copy)."""
        import pandas
        return pandas.DataFrame({name: self[name] for name in self.names})

    def __repr__(self) -> str:
        return self._engine.table()

    def _repr_html_(self) -> str:
        return self._engine.html()
