// The scenario loader: YAML text -> Scenario, with every error located in the user's text.
//
//   LoadOptions options;
//   options.variant = "bear";                      // a name under `scenarios:`
//   options.overrides = {"tax_rate=30%", "revenue.mean=1120"};   // errors name them "set"
//   Scenario scenario = load_scenario("scenarios/juniper_q4_2012.yaml", options);
//
// yaml-cpp is guarded: the file size is capped, the text must be UTF-8, and the loader builds its own
// located tree from yaml-cpp's events (one document, bounded depth, size and lookahead, no anchors,
// aliases or tags, no duplicate keys). Scalars are converted strictly ("1,115", "yes", "010", ".nan" are
// errors, "63.5%" is 0.635). The file and every variant are checked, their formulas compiled; then the selected variant, the
// overrides and the actuals are applied and checked the same way. docs/scenario-format.md has the format
// and every message.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "guidance/formula.hpp"
#include "guidance/scenario.hpp"

namespace guidance {

/// How errors name the arguments of LoadOptions, as their input ("set:1:9: error: ..."): a client
/// names them as its users write them (the command line by its flags).
struct ArgumentLabels {
  std::string overrides = "set";
  std::string actuals = "actual";
  std::string given = "given";
};

struct LoadOptions {
  /// A name under `scenarios:`; "base" is the file itself.
  std::string variant = "base";
  /// Overrides, applied in order after the variant: "NAME=VALUE", "NAME.PARAM=VALUE",
  /// "NAME={dist: normal, mean: 1, sd: 2}". Errors point into the argument (path labels.overrides).
  std::vector<std::string> overrides;
  /// Reported figures NAME=VALUE, added to (or replacing) the file's `actuals:`. Errors point into the
  /// argument (path labels.actuals).
  std::vector<std::string> actuals;
  /// Values already reported NAME=VALUE, added to the file's `given:` or replacing what it gives that
  /// element (`revenue[routing,Q3]=590`). Errors point into the argument (path labels.given).
  std::vector<std::string> given;
  ArgumentLabels labels;
  /// Check every variant, not only the selected one. Off where the same text was loaded and checked
  /// before: the tuning commands load it again for every variant or point.
  bool check_variants = true;
};

/// Largest scenario file accepted, in bytes.
inline constexpr std::size_t max_scenario_bytes = 4 * 1024 * 1024;

/// Read and validate a scenario file. Throws InputError (unreadable or oversized file, bad YAML, bad
/// values, an unknown variant, a bad override), rendered as "path:line:column: error: ...".
Scenario load_scenario(const std::string& path, const LoadOptions& options = {});

/// The same for text already in memory; `path` is used in messages.
Scenario parse_scenario(std::string text, const std::string& path, const LoadOptions& options = {});

/// The file at `path` in each of `variants` (empty: base and every variant, in file order), the file
/// read and parsed once: parse_variants() on its text. Throws InputError as load_scenario.
std::vector<Scenario> load_variants(const std::string& path, const LoadOptions& options,
                                    std::span<const std::string> variants = {});

/// parse_scenario() for each of `variants` in turn (options.variant is ignored; empty: base and every
/// variant, in file order), in the order given.
/// The text is read once and each variant applied once, on top of the one it extends, so the time
/// is linear in the number of variants, not in their number times the length of their chains.
std::vector<Scenario> parse_variants(std::string text, const std::string& path, const LoadOptions& options,
                                     std::span<const std::string> variants);

/// The scenario's metrics compiled over its drivers, constant drivers folded in: what build_model
/// runs, and what the loader checks the file's every variant with. Throws InputError located in the
/// formulas' text (formula.hpp lists the errors).
formula::Program compile_metrics(const Scenario& scenario);

}  // namespace guidance
