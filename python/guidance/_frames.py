"""DataFrames from the CLI's documented JSON (docs/output-format.md): the numbers are copied, never
recomputed, so a frame holds the CLI's values bit for bit. JSON's null (a statistic with no finite
value) becomes NaN."""

from __future__ import annotations

import pandas

_PERCENTILES = ["p1", "p5", "p10", "p25", "p50", "p75", "p90", "p95", "p99"]


def _number(value):
    return float("nan") if value is None else value


class ReportFrame(pandas.DataFrame):
    """A DataFrame that shows itself in a notebook as the HTML report of the analysis it came from (its
    tables and charts, as the CLI's --report draws them). A frame derived from it (a selection, a copy,
    a sum) is a plain DataFrame, and it pickles as one: the report is of these numbers only."""

    _metadata = ["_report"]

    @property
    def _constructor(self):
        return pandas.DataFrame

    def __reduce__(self):
        return pandas.DataFrame(self).__reduce__()

    def _repr_html_(self) -> str:
        return self._report.html()


def report_frame(frame: pandas.DataFrame, report) -> ReportFrame:
    """`frame` shown as `report` (an engine result with .html()) in a notebook."""
    framed = ReportFrame(frame)
    framed._report = report
    return framed


def percentile_frame(run: dict) -> pandas.DataFrame:
    rows = {}
    for name, variable in run["variables"].items():
        row = {"mean": variable["mean"]}
        row.update(variable["percentiles"])
        for key in ("sd", "mean_se", "min", "max", "count", "nonfinite", "kind", "percent"):
            row[key] = variable[key]
        rows[name] = row
    frame = pandas.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "name"
    return frame.fillna(float("nan"))


def guidance_frame(run: dict) -> pandas.DataFrame:
    columns = ["name", "low", "high", "p_in", "ci_low", "ci_high", "below", "above", "nonfinite"]
    rows = [[line["name"], _number(line["low"]), _number(line["high"]), line["p_in"], *line["p_in_ci"],
             line["p_below"], line["p_above"], line["nonfinite"]] for line in run["guidance"]]
    return pandas.DataFrame(rows, columns=columns)


def _per_driver(section: dict, columns: dict) -> pandas.DataFrame:
    """{driver: {key: value or [low, high]}} -> one row per driver; `columns` maps a JSON key to the
    column name (an interval key to a pair of names)."""
    rows = []
    for driver, values in section.items():
        row = {"driver": driver}
        for key, names in columns.items():
            if isinstance(names, tuple):
                row[names[0]], row[names[1]] = (_number(v) for v in values[key])
            else:
                row[names] = _number(values[key])
        rows.append(row)
    return pandas.DataFrame(rows)


def sensitivity_frames(report: dict) -> dict:
    frames = {}
    if "tornado" in report:
        tornado = report["tornado"]
        frame = pandas.DataFrame(tornado["bars"]).fillna(float("nan"))
        frame.attrs.update(base=_number(tornado["base"]), range=tuple(tornado["range"]))
        frames["tornado"] = frame
    if "spider" in report:
        frames["spider"] = pandas.DataFrame(
            [{"driver": driver, **point} for driver, points in report["spider"].items() for point in points]
        ).fillna(float("nan"))
    if "correlation" in report:
        frames["correlation"] = _per_driver(report["correlation"], {"spearman": "spearman", "contribution": "contribution"})
    if "sobol" in report:
        frames["sobol"] = _per_driver(report["sobol"], {"first": "first", "first_ci": ("first_ci_low", "first_ci_high"),
                                                        "total": "total", "total_ci": ("total_ci_low", "total_ci_high")})
    if "shapley" in report:
        frames["shapley"] = _per_driver(report["shapley"], {"effect": "effect", "ci": ("ci_low", "ci_high")})
    if "regional" in report:
        frames["regional"] = pandas.DataFrame(
            [{"guidance": miss["guidance"], "side": miss["side"], "bound": miss["bound"],
              "probability": miss["probability"], "trials": miss["trials"], **shift}
             for miss in report["regional"] for shift in miss["drivers"]],
            columns=["guidance", "side", "bound", "probability", "trials", "driver", "shift_sd"]).fillna(float("nan"))
    for frame in frames.values():
        frame.attrs.update(metric=report["metric"], notes=report["notes"], skipped=report.get("skipped", []))
    return frames


def compare_frame(report: dict, metric: str | None) -> pandas.DataFrame:
    rows = []
    for variant, run in report["variants"].items():
        lines = {line["name"]: line for line in run["guidance"]}
        for name, variable in run["variables"].items():
            if (metric is None and name not in lines) or (metric is not None and name != metric):
                continue
            row = {"variant": variant, "variable": name, "mean": variable["mean"]}
            row.update({key: variable["percentiles"][key] for key in ("p10", "p50", "p90")})
            line = lines.get(name)
            row["p_in"] = line["p_in"] if line else float("nan")
            row["ci_low"], row["ci_high"] = line["p_in_ci"] if line else (float("nan"), float("nan"))
            rows.append(row)
    frame = pandas.DataFrame(rows).fillna(float("nan"))
    return frame.set_index("variant").drop(columns="variable") if metric is not None else frame


def sweep_frame(report: dict) -> pandas.DataFrame:
    rows = []
    for point in report["points"]:
        row = dict(point["values"])
        row.update({f"p_in {line['name']}": line["p_in"] for line in point["guidance"]})
        if "guidance_joint" in point:
            row["p_in all at once"] = point["guidance_joint"]["p_in"]
        rows.append(row)
    return pandas.DataFrame(rows)
