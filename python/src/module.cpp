// guidance._engine: the engine's public API for Python (docs/python.md). The package around it
// (python/guidance/) turns what this returns into DataFrames; results cross as the documented JSON of
// the CLI (docs/output-format.md), so Python sees the CLI's numbers bit for bit, and trials as NumPy
// arrays over the engine's own columns.
//
// Every simulation runs on its own thread with the GIL released, while the calling thread, on which
// Python runs its signal handlers, checks for them every 50 ms: Ctrl-C (a notebook's interrupt) stops
// the run at its next progress report and raises KeyboardInterrupt.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <tbb/global_control.h>
#include <tbb/info.h>

#include "args/errors.hpp"
#include "args/tuning.hpp"
#include "guidance/diagnostics.hpp"
#include "guidance/load.hpp"
#include "guidance/memory.hpp"
#include "guidance/report.hpp"
#include "guidance/sensitivity.hpp"
#include "guidance/simulate.hpp"
#include "guidance/tuning.hpp"

namespace py = pybind11;

namespace guidance::python {

namespace {

using Progress = std::function<bool(std::uint64_t)>;

/// What every simulating call takes: None leaves the scenario's setting (scenario_run_options).
struct RunArguments {
  std::optional<std::uint64_t> trials;
  std::optional<std::uint64_t> seed;
  std::optional<std::string> sampling;
  std::optional<unsigned> threads;  // None: every core
};

RunOptions resolve(const Model& model, const RunArguments& arguments) {
  RunOptions options = scenario_run_options(model);
  if (arguments.trials) {
    if (*arguments.trials < 1) throw py::value_error("trials must be at least 1");
    options.trials = *arguments.trials;
  }
  if (arguments.seed) options.seed = *arguments.seed;
  if (arguments.sampling) {
    const std::optional<Sampling> sampling = sampling_from_key(*arguments.sampling);
    if (!sampling)
      throw py::value_error("sampling must be \"mc\", \"lhs\" or \"sobol\", found \"" + *arguments.sampling + "\"");
    options.sampling = *sampling;
  }
  return options;
}

/// Run `work` on a thread of its own with the GIL released; see the file's comment. `work` gets the
/// progress callback to give the engine. Errors it throws are rethrown here (the module's translator
/// turns InputError into guidance.ScenarioError).
template <class Work>
auto interruptible(unsigned threads, Work work) -> decltype(work(std::declval<const Progress&>())) {
  using Result = decltype(work(std::declval<const Progress&>()));
  std::atomic<bool> cancelled{false};
  const Progress progress = [&](std::uint64_t) { return !cancelled.load(std::memory_order_relaxed); };
  std::optional<Result> result;
  std::exception_ptr error;
  bool interrupted = false;
  {
    py::gil_scoped_release release;
    std::mutex mutex;
    std::condition_variable finished;
    bool done = false;
    std::thread worker([&] {
      try {
        const tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                                        threads > 0 ? threads : tbb::info::default_concurrency());
        result.emplace(work(progress));
      } catch (...) {
        error = std::current_exception();
      }
      const std::lock_guard lock(mutex);
      done = true;
      finished.notify_one();
    });
    std::unique_lock lock(mutex);
    while (!finished.wait_for(lock, std::chrono::milliseconds(50), [&] { return done; })) {
      if (interrupted) continue;
      lock.unlock();
      {
        py::gil_scoped_acquire acquire;
        interrupted = PyErr_CheckSignals() != 0;  // the handler's exception (KeyboardInterrupt) is now set
      }
      if (interrupted) cancelled = true;
      lock.lock();
    }
    lock.unlock();
    worker.join();
  }
  if (interrupted) throw py::error_already_set();
  if (error) std::rethrow_exception(error);
  return std::move(*result);
}

/// A run: the model it ran, every trial and the statistics.
struct RunResult {
  std::shared_ptr<const Model> model;  // owned by the scenario it was run from
  SimulationResult result;
  RunReport report;
};

/// One variable's trials, read-only, over the run's own column (kept alive by the array's base); a
/// constant variable's value repeated in a new array.
py::array_t<double> trials_of(const py::object& self, const std::string& name) {
  const RunResult& run = self.cast<const RunResult&>();
  const std::ptrdiff_t found = run.model->find(name);
  if (found < 0) throw py::key_error(name);
  const auto variable = static_cast<std::size_t>(found);
  const auto count = static_cast<py::ssize_t>(run.result.trials);
  py::array_t<double> array;
  if (run.model->variables[variable].stochastic) {
    array = py::array_t<double>({count}, {py::ssize_t(sizeof(double))}, run.result.column(variable).data(), self);
  } else {
    array = py::array_t<double>(count);
    std::fill_n(array.mutable_data(), count, run.model->variables[variable].constant_value);
  }
  array.attr("setflags")(py::arg("write") = false);
  return array;
}

/// A scenario file read once, with its variant and `set=` overrides applied.
struct LoadedScenario {
  std::shared_ptr<const TuningSource> source;
  std::string path;     // compare loads its variants from the file, read once (load_variants)
  LoadOptions options;
  bool repair_correlations = false;

  const Model& model() const { return source->model; }
};

LoadedScenario load(const std::string& path, const std::string& variant, const std::vector<std::string>& overrides,
                    const std::vector<std::string>& actuals, bool repair_correlations) {
  LoadOptions options;
  options.variant = variant;
  options.overrides = overrides;
  options.actuals = actuals;
  options.labels = {"--set", "--actual", "--given"};  // errors read as the command line's (docs/python.md)
  return {std::make_shared<const TuningSource>(open_scenario(path, options, repair_correlations)), path,
          std::move(options), repair_correlations};
}

RunResult run_scenario(const LoadedScenario& scenario, const RunArguments& arguments) {
  RunOptions options = resolve(scenario.model(), arguments);
  const std::shared_ptr<const Model> model(scenario.source, &scenario.model());
  return interruptible(arguments.threads.value_or(0), [&](const Progress& progress) {
    // The CLI's check, inside the thread limit it depends on: the same refusal as `guidance run`.
    check_memory("run", run_memory(*model), options.trials);
    options.progress = progress;
    RunResult done{model, simulate(*model, options), {}};
    done.report = analyze(*model, done.result, Charts::all);
    return done;
  });
}

/// A sensitivity analysis, and the model it ran (for its HTML report's names and formats).
struct SensitivityResult {
  std::shared_ptr<const Model> model;  // owned by the scenario it was run from
  SensitivityReport report;
};

/// Variants compared: each variant's model and report.
struct CompareResult {
  std::vector<VariantReport> variants;
};

SensitivityResult sensitivity_of(const LoadedScenario& scenario, const std::string& metric,
                           const std::vector<std::string>& methods, double range_low, double range_high,
                           bool ignore_correlations, bool by_element, std::optional<std::size_t> permutations,
                           const RunArguments& arguments) {
  const Model& model = scenario.model();
  SensitivityOptions options;
  options.metric = args::find_variable(model, metric, "metric");
  options.methods.clear();
  for (const std::string& name : methods) {
    if (name == "all") {
      options.methods.assign(std::begin(all_sensitivity_methods), std::end(all_sensitivity_methods));
      options.skip_inapplicable = true;
    } else if (const std::optional<SensitivityMethod> method = method_from_name(name)) {
      options.methods.push_back(*method);
    } else {
      std::vector<std::string> names{"all"};
      for (const SensitivityMethod known : all_sensitivity_methods) names.emplace_back(method_name(known));
      const std::string hint = did_you_mean(name, names);
      throw py::value_error("unknown sensitivity method \"" + name + "\"" + (hint.empty() ? "" : ": " + hint));
    }
  }
  options.range_low = range_low;
  options.range_high = range_high;
  if (!(0.0 < range_low && range_low < range_high && range_high < 1.0))
    throw py::value_error("range must be two probabilities (low, high) with 0 < low < high < 1");
  options.ignore_correlations = ignore_correlations;
  options.by_element = by_element;
  options.shapley_permutations = permutations;
  options.run = resolve(model, arguments);
  return interruptible(arguments.threads.value_or(0), [&](const Progress& progress) {
    options.run.progress = progress;
    return SensitivityResult{std::shared_ptr<const Model>(scenario.source, &model), sensitivity(model, options)};
  });
}

// compare, sweep and solve: a thin adapter over the tuning API (tuning.hpp), whose string arguments are
// read as the command line reads them (cli/args/), errors and all.
CompareResult compare_of(const LoadedScenario& scenario, const std::vector<std::string>& variants,
                         const RunArguments& arguments) {
  const std::vector<Scenario> scenarios =
      open_variants(scenario.path, scenario.options, variants, scenario.repair_correlations);
  RunOptions options = resolve(scenario.model(), arguments);
  return interruptible(arguments.threads.value_or(0), [&](const Progress& progress) {
    options.progress = progress;
    // Every chart, as compare --report draws them: a notebook shows the result as that report.
    return CompareResult{compare_variants(scenarios, options, Charts::all)};
  });
}

Sweep sweep_of(const LoadedScenario& scenario, const std::vector<std::string>& variations,
               const RunArguments& arguments) {
  std::vector<Variation> vary;
  for (const std::string& variation : variations) vary.push_back(args::parse_variation(variation));
  RunOptions options = resolve(scenario.model(), arguments);
  return interruptible(arguments.threads.value_or(0), [&](const Progress& progress) {
    options.progress = progress;
    return run_sweep(*scenario.source, std::move(vary), options);
  });
}

std::string solve_of(const LoadedScenario& scenario, const std::string& target, const std::string& vary,
                     const std::optional<std::string>& bracket, const RunArguments& arguments) {
  const Target parsed = parse_target(target, "--target");
  const Variation variation = args::parse_variation(vary);
  SolveOptions solve_options;
  if (bracket) solve_options.bracket = args::parse_bracket(*bracket);
  RunOptions options = resolve(scenario.model(), arguments);
  return interruptible(arguments.threads.value_or(0), [&](const Progress& progress) {
    options.progress = progress;
    return solution_json(solve(*scenario.source, parsed, variation, options, solve_options)).dump();
  });
}

/// guidance.ScenarioError(str, message, file, line, column, hint) for an InputError.
void raise_scenario_error(const InputError& error) {
  const SourceLocation& where = error.where();
  const bool located = where.source && where.line > 0;
  const py::object file = where.source ? py::object(py::str(std::string(where.path()))) : py::object(py::none());
  const py::object line = located ? py::object(py::int_(where.line)) : py::object(py::none());
  const py::object column = located ? py::object(py::int_(where.column)) : py::object(py::none());
  const py::object hint = error.hint().empty() ? py::object(py::none()) : py::object(py::str(error.hint()));
  std::string rendered = error.render();
  while (!rendered.empty() && rendered.back() == '\n') rendered.pop_back();
  const py::object type = py::module_::import("guidance").attr("ScenarioError");
  const py::object instance = type(rendered, error.message(), file, line, column, hint);
  PyErr_SetObject(type.ptr(), instance.ptr());
}

}  // namespace

}  // namespace guidance::python

// A run's columns are move-only (guidance::Column), but std::vector reports itself copyable whatever it
// holds, so pybind11 would generate a copy of RunResult that cannot compile. A run is moved into Python.
template <>
struct pybind11::detail::is_copy_constructible<guidance::python::RunResult> : std::false_type {};

PYBIND11_MODULE(_engine, module) {
  using namespace guidance::python;
  module.doc() = "The guidance engine; use the `guidance` package (docs/python.md), not this module";

  py::register_exception_translator([](std::exception_ptr error) {
    try {
      if (error) std::rethrow_exception(error);
    } catch (const guidance::InputError& input) {
      raise_scenario_error(guidance::args::command_line_error(input));  // worded as the command line's
    } catch (const guidance::RunCancelled&) {
      PyErr_SetNone(PyExc_KeyboardInterrupt);
    }
  });

  py::class_<RunArguments>(module, "RunArguments")
      .def(py::init<std::optional<std::uint64_t>, std::optional<std::uint64_t>, std::optional<std::string>,
                    std::optional<unsigned>>(),
           py::arg("trials") = py::none(), py::arg("seed") = py::none(), py::arg("sampling") = py::none(),
           py::arg("threads") = py::none());

  py::class_<RunResult>(module, "RunResult")
      .def("json", [](const RunResult& run) { return guidance::run_json(*run.model, run.report).dump(); },
           "The run as `guidance run --format json` writes it")
      .def("html", [](const RunResult& run) { return guidance::render_html_run(*run.model, run.report, {.command = {}, .embedded = true}); },
           "The HTML report's header, tables and charts, to embed in a page")
      .def("table",
           [](const RunResult& run) { return guidance::render_table(*run.model, run.report, {.histograms = true}); },
           "The table `guidance run` prints")
      .def("trials", &trials_of, "One variable's trials: a read-only array over the run's own memory")
      .def_property_readonly("names", [](const RunResult& run) {
        std::vector<std::string> names;
        for (const guidance::Variable& variable : run.model->variables) names.push_back(variable.name);
        return names;
      });

  // The analyses: their JSON as the CLI writes it, and their HTML report as a fragment to embed.
  py::class_<SensitivityResult>(module, "SensitivityResult")
      .def("json", [](const SensitivityResult& result) { return guidance::sensitivity_json(*result.model, result.report).dump(); })
      .def("html", [](const SensitivityResult& result) {
        return guidance::render_html_sensitivity(*result.model, result.report, {.command = {}, .embedded = true});
      });
  py::class_<CompareResult>(module, "CompareResult")
      .def("json", [](const CompareResult& result) { return guidance::compare_json(result.variants).dump(); })
      .def("html", [](const CompareResult& result) { return guidance::render_html_compare(result.variants, {.command = {}, .embedded = true}); });
  py::class_<guidance::Sweep>(module, "Sweep")
      .def("json", [](const guidance::Sweep& sweep) { return guidance::sweep_json(sweep).dump(); })
      .def("html", [](const guidance::Sweep& sweep) { return guidance::render_html_sweep(sweep, {.command = {}, .embedded = true}); });

  py::class_<LoadedScenario>(module, "LoadedScenario")
      .def_property_readonly("names", [](const LoadedScenario& scenario) {
        std::vector<std::string> names;
        for (const guidance::Variable& variable : scenario.model().variables) names.push_back(variable.name);
        return names;
      })
      .def_property_readonly("variants", [](const LoadedScenario& scenario) {
        return guidance::all_variants(scenario.source->scenario);
      })
      .def("summary", [](const LoadedScenario& scenario) {
        return guidance::render_summary(scenario.source->scenario, scenario.model());
      }, "What `guidance validate` prints")
      .def("run", &run_scenario)
      .def("sensitivity", &sensitivity_of)
      .def("compare", &compare_of)
      .def("sweep", &sweep_of)
      .def("solve", &solve_of);

  module.def("load", &load, py::arg("path"), py::arg("variant"), py::arg("overrides"), py::arg("actuals"),
             py::arg("repair_correlations"));
}
