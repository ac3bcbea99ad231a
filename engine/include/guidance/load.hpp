// The scenario loader: YAML text -> Scenario, with every error located in the user's text.
//
// yaml-cpp is guarded: the file size is capped, the event stream is pre-scanned (one document, bounded
// depth and size, no aliases, no duplicate keys) before any node is built, and scalars are converted
// strictly ("1,115", "yes", "010", ".nan" are errors, "63.5%" is 0.635).
#pragma once

#include <string>
#include <vector>

#include "guidance/scenario.hpp"

namespace guidance {

struct LoadOptions {
  /// A name under `scenarios:`; "base" is the file itself.
  std::string variant = "base";
  /// `--set` arguments, applied in order after the variant: "NAME=VALUE", "NAME.PARAM=VALUE",
  /// "NAME={dist: normal, mean: 1, sd: 2}". Errors point into the argument (path "--set").
  std::vector<std::string> overrides;
  /// `--actual NAME=VALUE` arguments, added to (or replacing) the file's `actuals:`.
  std::vector<std::string> actuals;
};

/// Largest scenario file accepted, in bytes.
inline constexpr std::size_t max_scenario_bytes = 4 * 1024 * 1024;

/// Read and validate a scenario file. Throws InputError (unreadable file, bad YAML, bad values).
Scenario load_scenario(const std::string& path, const LoadOptions& options = {});

/// The same for text already in memory; `path` is used in messages.
Scenario parse_scenario(std::string text, const std::string& path, const LoadOptions& options = {});

}  // namespace guidance
