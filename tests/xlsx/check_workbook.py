"""Read a workbook of `guidance --format xlsx` back with openpyxl and check it against the JSON output
of the same command and seed: every value equal (to the 16 significant digits libxlsxwriter writes),
percents in a percent format and other values not, and the charts there.

Usage: check_workbook.py KIND WORKBOOK JSON [RUN_JSON] [TRIALS_CSV]
  KIND        run, compare, sweep, sensitivity or propose; display: a run of
              tests/data/scenarios/good/display_metrics.yaml, whose metrics' cell formats it checks too
  RUN_JSON    propose: `run --format json` with the same seed, for the Summary and Guidance sheets
  TRIALS_CSV  run: `--samples FILE.csv` with the same seed, for the Trials sheet
       check_workbook.py libreoffice SUMMARY_CSV JSON
  the Summary sheet as LibreOffice exported it to CSV (values as it read them, to its 15 significant
  digits, percents written as percents) against the run's JSON
Prints each failure and exits 1 when there is any.
"""
import csv
import json
import math
import sys

import openpyxl
from openpyxl.chart import BarChart

failures = []


def fail(message):
    failures.append(message)
    print("FAIL:", message)


def same(cell, expected, where):
    """A cell against a JSON value: null is an empty cell; numbers to 16 significant digits."""
    if expected is None:
        if cell is not None:
            fail(f"{where}: expected an empty cell, found {cell!r}")
    elif isinstance(expected, str):
        if str(cell) != expected:
            fail(f"{where}: expected {expected!r}, found {cell!r}")
    elif not isinstance(cell, (int, float)) or not math.isclose(cell, expected, rel_tol=1e-15, abs_tol=1e-300):
        fail(f"{where}: expected {expected!r}, found {cell!r}")


def rows(sheet):
    """The sheet's rows as dicts keyed by the header row's names (the cells, for their formats)."""
    table = list(sheet.iter_rows())
    names = [cell.value for cell in table[0]]
    return [dict(zip(names, row)) for row in table[1:] if any(cell.value is not None for cell in row)]


def check_format(cell, percent, where):
    if cell.value is None:
        return
    if percent != cell.number_format.endswith("%"):
        fail(f"{where}: number format {cell.number_format!r} for a {'percent' if percent else 'number'}")


def check_about(book, expected):
    about = {row["item"].value: row["value"].value for row in rows(book["About"])}
    command = about.get("command") or ""
    if not command.startswith("guidance ") or "--format xlsx" not in command:
        fail(f"About command: expected the command line that wrote the workbook, found {command!r}")
    for key in ("scenario", "variant", "units", "trials", "seed", "sampling", "metric"):
        if key in expected:
            value = about.get(key)
            same(str(value) if key in ("seed", "trials") else value, str(expected[key]) if key in ("seed", "trials") else expected[key],
                 f"About {key}")


def check_summary(book, runs, key=None):
    """runs: {key value (None for a run): run JSON}."""
    seen = 0
    for row in rows(book["Summary"]):
        run = runs[row[key].value if key else None]
        name = row["variable"].value
        variable = run["variables"][name]
        where = f"Summary {row[key].value + ' ' if key and isinstance(row[key].value, str) else ''}{name}"
        same(row["kind"].value, variable["kind"], where + " kind")
        same(row["count"].value, variable["count"], where + " count")
        same(row["nonfinite"].value, variable["nonfinite"], where + " nonfinite")
        seen += 1
        if row["p"].value is not None:
            check_indicator(row, variable, where)
            continue
        for stat in ("p_low", "p_high"):
            same(row[stat].value, None, f"{where} {stat}")
        for stat in ("mean", "mean_se", "sd", "min", "max"):
            same(row[stat].value, variable[stat], f"{where} {stat}")
            check_format(row[stat], variable["percent"], f"{where} {stat}")
        for p, value in variable["percentiles"].items():
            same(row[p].value, value, f"{where} {p}")
            check_format(row[p], variable["percent"], f"{where} {p}")
    expected = sum(len(run["variables"]) for run in runs.values())
    if seen != expected:
        fail(f"Summary has {seen} rows, expected {expected}")


def wilson(p, n, z=1.959963984540054):
    """The 95% Wilson interval of a share p of n trials, as the engine computes it."""
    z2n = z * z / n
    center = (p + z2n / 2) / (1 + z2n)
    half = z * math.sqrt(p * (1 - p) / n + z2n / (4 * n)) / (1 + z2n)
    return (0.0 if p == 0 else max(0.0, center - half), 1.0 if p == 1 else min(1.0, center + half))


def check_indicator(row, variable, where):
    """An indicator metric's row: its probability and 95% interval, in a percent format, and no statistics.
    With every trial finite the probability is the mean of its 0s and 1s."""
    for stat in ["mean", "mean_se", "sd", "min", "max"] + list(variable["percentiles"]):
        same(row[stat].value, None, f"{where} {stat}")
    if variable["nonfinite"] == 0 and not math.isclose(row["p"].value, variable["mean"], rel_tol=1e-12):
        fail(f"{where} p: expected the mean {variable['mean']!r}, found {row['p'].value!r}")
    for name, bound in zip(("p_low", "p_high"), wilson(row["p"].value, variable["count"] + variable["nonfinite"])):
        if not math.isclose(row[name].value, bound, rel_tol=1e-12):
            fail(f"{where} {name}: expected {bound!r}, found {row[name].value!r}")
    for name in ("p", "p_low", "p_high"):
        check_format(row[name], True, f"{where} {name}")


def check_display(book):
    """tests/data/scenarios/good/display_metrics.yaml: each metric's display as the cells' number format."""
    formats = {row["variable"].value: row for row in rows(book["Summary"])}
    for name, stat, expected in (("gross_profit", "p50", '"$"#,##0.0"M"'),       # format: currency, USD millions
                                 ("operating_margin", "p50", "0.0%"),           # format: percent, digits: 1
                                 ("eps", "p50", "#,##0.00"),                    # digits: 2
                                 ("revenue", "p50", "#,##0.0"),                 # decimals by magnitude
                                 ("thin_margin", "p", "0.00%")):                # an indicator
        found = formats[name][stat].number_format
        if found != expected:
            fail(f"Summary {name} {stat}: number format {found!r}, expected {expected!r}")
    if formats["thin_margin"]["p50"].value is not None:
        fail("Summary thin_margin: an indicator with percentiles")


def check_guidance(book, runs, key=None):
    seen = 0
    for row in rows(book["Guidance"]):
        run = runs[row[key].value if key else None]
        if row["line"].value == "all lines":
            joint = run["guidance_joint"]
            same(row["p_in"].value, joint["p_in"], "Guidance joint p_in")
            same(row["p_in_low"].value, joint["p_in_ci"][0], "Guidance joint p_in_low")
            same(row["p_in_high"].value, joint["p_in_ci"][1], "Guidance joint p_in_high")
            continue
        line = next(line for line in run["guidance"] if line["name"] == row["line"].value)
        where = f"Guidance {line['name']}"
        percent = run["variables"][row["variable"].value]["percent"]
        for name in ("low", "high"):
            same(row[name].value, line[name], f"{where} {name}")
            check_format(row[name], percent, f"{where} {name}")
        for name in ("p_in", "p_below", "p_above"):
            same(row[name].value, line[name], f"{where} {name}")
            check_format(row[name], True, f"{where} {name}")
        same(row["p_in_low"].value, line["p_in_ci"][0], where + " p_in_low")
        same(row["p_in_high"].value, line["p_in_ci"][1], where + " p_in_high")
        same(row["nonfinite"].value, line["nonfinite"], where + " nonfinite")
        seen += 1
    expected = sum(len(run["guidance"]) for run in runs.values())
    if seen != expected:
        fail(f"Guidance has {seen} lines, expected {expected}")


def check_histograms(book, run):
    """A column chart of each guidance line on a metric that varies."""
    charted = [line for line in run["guidance"]
               if run["variables"][line["name"]]["kind"] == "metric" and not run["variables"][line["name"]]["constant"]]
    charts = book["Guidance"]._charts
    if len(charts) != len(charted):
        fail(f"Guidance has {len(charts)} charts, expected {len(charted)} (one per guided metric)")
    for chart in charts:
        if not isinstance(chart, BarChart) or chart.barDir != "col" or len(chart.series) != 2:
            fail("a histogram is not a column chart of two series (in range, outside)")
    counted = {}
    for row in rows(book["Histograms"]):
        counted[row["line"].value] = counted.get(row["line"].value, 0) + (row["in range"].value or 0) + (row["outside"].value or 0)
    for line in charted:
        if counted.get(line["name"], 0) <= 0:
            fail(f"Histograms: no trials counted for {line['name']}")


def check_trials(book, samples):
    with open(samples, newline="") as file:
        expected = list(csv.reader(file))
    table = list(book["Trials"].iter_rows(values_only=True))
    if len(table) != len(expected):
        fail(f"Trials has {len(table)} rows, expected {len(expected)}")
    if list(table[0]) != expected[0]:
        fail(f"Trials header {table[0]} differs from the CSV's {expected[0]}")
    for got, want in zip(table[1:], expected[1:]):
        for column, (cell, text) in enumerate(zip(got, want)):
            same(cell, float(text) if text else None, f"Trials trial {want[0]} column {expected[0][column]}")
        if failures:
            return


def check_sensitivity(book, expected):
    if "tornado" in expected:
        tornado = expected["tornado"]
        table = rows(book["Tornado"])
        bars = [row for row in table if row["driver"].value != "base"]
        for row, bar in zip(bars, tornado["bars"]):
            for name in ("driver", "low_input", "high_input", "output_low", "output_high", "swing"):
                same(row[name].value, bar[name], f"Tornado {bar['driver']} {name}")
        if len(bars) != len(tornado["bars"]):
            fail(f"Tornado has {len(bars)} bars, expected {len(tornado['bars'])}")
        base = next(row for row in table if row["driver"].value == "base")
        same(base["output_low"].value, tornado["base"], "Tornado base")
        charts = book["Tornado"]._charts
        if len(charts) != 1 or not isinstance(charts[0], BarChart) or charts[0].barDir != "bar":
            fail("Tornado: no horizontal bar chart")
    if "spider" in expected:
        table = rows(book["Spider"])
        points = [(driver, point) for driver, line in expected["spider"].items() for point in line]
        for row, (driver, point) in zip(table, points):
            same(row["driver"].value, driver, "Spider driver")
            same(row["percentile"].value * 100.0, point["percentile"], f"Spider {driver} percentile")
            same(row["input"].value, point["input"], f"Spider {driver} input")
            same(row["output"].value, point["output"], f"Spider {driver} output")
        if len(table) != len(points):
            fail(f"Spider has {len(table)} rows, expected {len(points)}")
    for method, names in (("correlation", {"spearman": "spearman", "contribution": "contribution"}),
                          ("sobol", {"first": "first", "total": "total"}),
                          ("shapley", {"effect": "effect"})):
        if method not in expected:
            continue
        table = {row["driver"].value: row for row in rows(book[method.capitalize()])}
        for driver, values in expected[method].items():
            for column, key in names.items():
                same(table[driver][column].value, values[key], f"{method} {driver} {column}")
            for column, key in (("first", "first_ci"), ("total", "total_ci"), ("effect", "ci")):
                if key in values:
                    same(table[driver][column + "_low"].value, values[key][0], f"{method} {driver} {column}_low")
                    same(table[driver][column + "_high"].value, values[key][1], f"{method} {driver} {column}_high")
    if "regional" in expected:
        table = rows(book["Regional"])
        shifts = [(miss, shift) for miss in expected["regional"] for shift in miss["drivers"] or [None]]
        for row, (miss, shift) in zip(table, shifts):
            same(row["line"].value, miss["guidance"], "Regional line")
            same(row["side"].value, miss["side"], "Regional side")
            same(row["trials"].value, miss["trials"], "Regional trials")
            same(row["probability"].value, miss["probability"], "Regional probability")
            if shift:
                same(row["driver"].value, shift["driver"], "Regional driver")
                same(row["shift_sd"].value, shift["shift_sd"], f"Regional {shift['driver']} shift_sd")
        if len(table) != len(shifts):
            fail(f"Regional has {len(table)} rows, expected {len(shifts)}")
    methods = {row["method"].value: row for row in rows(book["Methods"]) if row["evaluations"].value is not None}
    for method, design in expected["designs"].items():
        same(methods[method]["evaluations"].value, design["evaluations"], f"Methods {method} evaluations")
        same(methods[method]["nonfinite"].value, design["nonfinite"], f"Methods {method} nonfinite")


def check_proposal(book, expected):
    table = {row["range"].value: row for row in rows(book["Propose"])}
    for name in ("narrowest", "central"):
        row = table[name]
        same(row["low"].value, expected[name][0], f"Propose {name} low")
        same(row["high"].value, expected[name][1], f"Propose {name} high")
        same(row["p_in"].value, expected[name + "_p_in"], f"Propose {name} p_in")
        same(row["low_rank"].value, expected[name + "_ranks"][0], f"Propose {name} low_rank")
        same(row["high_rank"].value, expected[name + "_ranks"][1], f"Propose {name} high_rank")
    published = expected["publish"]
    if published:
        row = table["publish"]
        same(row["low"].value, published["range"][0], "Propose publish low")
        same(row["high"].value, published["range"][1], "Propose publish high")
        same(row["p_in"].value, published["p_in"], "Propose publish p_in")
        same(row["center"].value, published["center"], "Propose publish center")
        same(row["half_width"].value, published["half_width"], "Propose publish half_width")
    elif "publish" in table:
        fail("Propose has a publish row, the JSON none")
    for line in expected["lines"]:
        row = table["guidance " + line["name"]]
        for name in ("low", "high", "low_rank", "high_rank", "p_in"):
            same(row[name].value, line[name], f"Propose {line['name']} {name}")
        same(row["p_in_low"].value, line["p_in_ci"][0], f"Propose {line['name']} p_in_low")
        same(row["p_in_high"].value, line["p_in_ci"][1], f"Propose {line['name']} p_in_high")


def check_sweep(book, expected):
    names = [vary["name"] for vary in expected["vary"]]
    table = rows(book["Sweep"])
    if len(table) != len(expected["points"]):
        fail(f"Sweep has {len(table)} rows, expected {len(expected['points'])}")
    for row, point in zip(table, expected["points"]):
        for name in names:
            same(row[name].value, point["values"][name], f"Sweep {name}")
        for line in point["guidance"]:
            same(row["p_in " + line["name"]].value, line["p_in"], f"Sweep p_in {line['name']}")
        same(row["p_in all lines"].value, point["guidance_joint"]["p_in"], "Sweep joint p_in")


def check_libreoffice(summary_csv, run):
    """The Summary sheet as a real spreadsheet program read it: every statistic, percents shown as such."""
    with open(summary_csv, newline="") as file:
        table = list(csv.DictReader(file))
    if len(table) != len(run["variables"]):
        fail(f"LibreOffice's Summary has {len(table)} rows, expected {len(run['variables'])}")
    for row in table:
        variable = run["variables"][row["variable"]]
        expected = {stat: variable[stat] for stat in ("mean", "mean_se", "sd", "min", "max")} | variable["percentiles"]
        for stat, value in expected.items():
            text = row[stat]
            where = f"LibreOffice Summary {row['variable']} {stat}"
            if text.endswith("%") != variable["percent"]:
                fail(f"{where}: {text!r} for a {'percent' if variable['percent'] else 'number'}")
            number = float(text.rstrip("%")) / (100.0 if text.endswith("%") else 1.0)
            if not math.isclose(number, value, rel_tol=1e-13):
                fail(f"{where}: expected {value!r}, found {text!r}")


def main():
    kind, workbook, expected_file = sys.argv[1:4]
    extra = sys.argv[4] if len(sys.argv) > 4 else None
    with open(expected_file) as file:
        expected = json.load(file)
    if kind == "libreoffice":
        check_libreoffice(workbook, expected)
        if failures:
            sys.exit(1)
        print(f"{workbook}: every value equals the JSON's")
        return
    book = openpyxl.load_workbook(workbook)
    if kind in ("run", "display"):
        if kind == "display":
            check_display(book)
        check_about(book, expected)
        check_summary(book, {None: expected})
        check_guidance(book, {None: expected})
        check_histograms(book, expected)
        if extra:
            check_trials(book, extra)
        elif "Trials" in book.sheetnames:
            fail("a Trials sheet without --samples")
    elif kind == "compare":
        check_about(book, next(iter(expected["variants"].values())))
        check_summary(book, expected["variants"], "variant")
        check_guidance(book, expected["variants"], "variant")
    elif kind == "sweep":
        check_about(book, expected)
        check_sweep(book, expected)
        if len(expected["vary"]) == 1:  # one key column: rows find their point by its value
            name = expected["vary"][0]["name"]
            points = {point["values"][name]: point for point in expected["points"]}
            check_summary(book, points, name)
            check_guidance(book, points, name)
    elif kind == "sensitivity":
        check_about(book, expected)
        check_sensitivity(book, expected)
    elif kind == "propose":
        check_about(book, expected)
        check_proposal(book, expected)
        with open(extra) as file:
            run = json.load(file)
        check_summary(book, {None: run})
        check_guidance(book, {None: run})
        check_histograms(book, run)
    else:
        sys.exit(f"unknown kind {kind}")
    if failures:
        print(f"{workbook}: {len(failures)} failures")
        sys.exit(1)
    print(f"{workbook}: every value equals the JSON's")


if __name__ == "__main__":
    main()
